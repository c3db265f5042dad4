"""Planning a reproduction: one :class:`StepOutcome` per (step, seed), its key, folder and
cached state, and which of them run now.

With one seed the outcomes are exactly the single-seed reproduction's (``seed`` None, the same
keys and folders as ever). With several, each step has one outcome per seed, in step order and
then seed order; the primary seed's keep the single-seed keys, so a cache made with one seed is
reused when seeds are added, and seed ``s`` of q4.3 reads seed ``s`` of q4.2.
"""

from __future__ import annotations

import sys

from dlbasics.pipeline.cache import cache_dir, code_version, key_hash, step_key
from dlbasics.pipeline.options import ReproduceOptions
from dlbasics.pipeline.steps import BY_NAME, STEP_NAMES, STEPS, Step
from dlbasics.results.steps import StepOutcome, read_done


def resolve_engine(step: Step, requested: str | None) -> tuple[str | None, str]:
    """The engine ``step`` runs on, and a note when the requested one is not available there."""
    if step.experiment is None:
        return None, ""
    from dlbasics.experiments import registry

    try:
        experiment = registry.get(step.experiment)
    except Exception:  # not importable yet: the step itself will fail and say why
        return requested, ""
    if requested is None or requested in experiment.engines:
        return requested or experiment.default_engine, ""
    return experiment.default_engine, (
        f"{step.name} has no {requested!r} engine (it has {', '.join(experiment.engines)}); "
        f"it ran on its default, {experiment.default_engine!r}"
    )


def unit_label(outcome: StepOutcome) -> str:
    """How a unit is named to the user: ``q4.2``, or ``q4.2 seed 43`` in a many-seed run."""
    name = outcome.step.name
    return name if outcome.seed is None else f"{name} seed {outcome.seed}"


def seed_outcomes(
    options: ReproduceOptions, version: str, seed: int, *, read: bool = True
) -> dict[str, StepOutcome]:
    """Every step's outcome for ``seed``, by step name; ``read``: fill each in from its cache.

    The key's seed is ``seed``; the outcome's ``seed`` is None when the reproduction has one
    seed (:attr:`StepOutcome.seed`).
    """
    single = len(options.all_seeds) == 1
    outcomes: dict[str, StepOutcome] = {}
    for step in STEPS:
        engine, note = resolve_engine(step, options.engine)
        needs = {name: key_hash(outcomes[name].key) for name in step.needs}
        key = step_key(step, options, engine, version, needs, seed)
        outcome = StepOutcome(
            step,
            "not run",
            key,
            cache_dir(options.out, step, key),
            seed=None if single else seed,
            engine=engine,
        )
        if note:
            outcome.engine_note = note
        if read:
            read_done(outcome)
        outcomes[step.name] = outcome
    return outcomes


def plan_outcomes(
    options: ReproduceOptions, version: str | None = None
) -> tuple[list[StepOutcome], list[str]]:
    """Every (step, seed) unit's outcome, and the labels (:func:`unit_label`) of those to run
    now, in order (step order, then seed order).

    Steps named by --only run unless cached; a step they need that is neither selected nor cached
    is added (q4.3 needs q4.2's sweep), seed by seed. ``version``: the code version (default:
    this code's).
    """
    version = version or code_version()
    planned = [seed_outcomes(options, version, seed) for seed in options.all_seeds]
    selected = set(options.only or STEP_NAMES)
    to_run: list[str] = []
    for outcomes in planned:
        wanted = set(selected)
        for step in reversed(STEPS):  # needs point backwards, so one reverse pass closes the set
            if step.name in wanted:
                for need in step.needs:
                    if need not in wanted and not outcomes[need].ok:
                        wanted.add(need)
                        outcomes[step.name].notes.append(
                            f"{need} ran too: {step.name} needs its result"
                        )
        for name in wanted:
            if not outcomes[name].ok:
                to_run.append(unit_label(outcomes[name]))
                if outcomes[name].cache_problem:
                    outcomes[name].notes.append(
                        f"recomputed, its cache failed the check: {outcomes[name].cache_problem}"
                    )
    ordered = [outcomes[step.name] for step in STEPS for outcomes in planned]
    labels = set(to_run)
    return ordered, [unit_label(o) for o in ordered if unit_label(o) in labels]


def unit_outcome(
    options: ReproduceOptions, version: str, name: str, seed: int
) -> tuple[StepOutcome, dict[str, StepOutcome]]:
    """What a worker of :mod:`dlbasics.pipeline.units` runs: one unit's outcome and the
    outcomes of the steps it needs, each read from its cache folder as it is now (so that a
    folder that failed its manifest is emptied before the unit runs again)."""
    outcomes = seed_outcomes(options, version, seed, read=False)
    needs = {need: outcomes[need] for need in BY_NAME[name].needs}
    for outcome in (outcomes[name], *needs.values()):
        read_done(outcome)
    return outcomes[name], needs


def report_cache_problems(outcomes: list[StepOutcome], to_run: list[str]) -> None:
    """One line on stderr per finished step whose cached files were not trusted."""
    for outcome in outcomes:
        if outcome.cache_problem:
            label = unit_label(outcome)
            then = (
                "recomputing"
                if label in to_run
                else f"not used (`reproduce --only {outcome.step.name}` recomputes it)"
            )
            print(f"{label}: {outcome.cache_problem}; {then}", file=sys.stderr, flush=True)
