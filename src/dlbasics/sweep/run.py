"""``run_sweep``: one sweep command from start to finish.

1. **Plan**: validate the request and the grid before touching any storage.
2. **Enqueue once**: add every configuration the study does not hold yet (waiting, running or
   finished) as a WAITING trial, under the enqueue lock, so two machines starting together
   cannot add it twice.
3. **Work**: ``--jobs`` local workers (any number of machines may run the same command) pop and
   train trials until every configuration of the grid has finished somewhere.
4. **Report**: read the trials back and write ``sweep.json``, ``sweep.md`` and two figures, all
   four or none (``staged_files``). A spawned worker that died on the way is one line on stderr:
   its trial ran again elsewhere, so the result is whole.

A lost database connection, or a journal file that cannot be written, is one line
(:func:`~dlbasics.sweep.storage.storage_errors`); a rerun of the same command resumes.
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from dlbasics.data.options import DataOptions
from dlbasics.errors import ConfigError
from dlbasics.experiments import registry
from dlbasics.experiments.runner import validate_config
from dlbasics.sweep.grids import OBJECTIVE, SweepDefinition, get_sweep
from dlbasics.sweep.liveness import GRACE_SECONDS, HEARTBEAT_SECONDS
from dlbasics.sweep.outcomes import describe_ends
from dlbasics.sweep.plan import Planned, Request, enqueue_missing, plan
from dlbasics.sweep.seeds import add_seed_statistics
from dlbasics.sweep.selection import collect, pick_best, resolve_base
from dlbasics.sweep.storage import open_storage, open_study, parse_storage, storage_errors
from dlbasics.sweep.summary import write_results
from dlbasics.sweep.workers import WorkerContext, run_workers, sigterm_interrupts
from dlbasics.training.hyperparameters import check_seed, check_seeds


def run_sweep(
    name: str,
    *,
    grid: str = "report",
    out_dir: Path,
    storage: str | None = None,
    study_name: str | None = None,
    jobs: int = 1,
    epochs: int | None = None,
    seed: int = 42,
    seeds: tuple[int, ...] | None = None,
    engine: str | None = None,
    data: DataOptions | None = None,
    quiet: bool = True,
    from_dir: Path | None = None,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
    grace_seconds: float = GRACE_SECONDS,
) -> dict[str, Any]:
    """Run sweep ``name`` (q4.1, q4.2, q4.3) to completion and return the ``sweep.json`` content.

    Any number of such calls (processes, machines) may run at once on one study (same
    ``storage`` and ``study_name``): each configuration runs once in total, and each call
    returns when all have finished. Writes ``out_dir``/sweep.json, sweep.md, sweep_loss.png and
    sweep_dev_acc.png; the default storage is a journal file in ``out_dir``.

    ``seeds``: several seeds (``seed`` first): every configuration runs once per seed, and the
    winner is the best mean validation accuracy (:mod:`dlbasics.sweep.seeds`).
    """
    definition = get_sweep(name)
    if not isinstance(jobs, int) or jobs < 1:
        raise ConfigError(f"invalid --jobs {jobs!r}: must be an integer >= 1")
    check_seed(seed)
    seeds = check_seeds(seeds) if seeds else (seed,)
    if seeds[0] != seed:
        raise ConfigError(f"the first of the seeds ({seeds[0]}) must be the primary seed ({seed})")
    if from_dir is not None and definition.needs is None and not Path(from_dir).exists():
        # q4.3 reports a missing --from itself (resolve_base); the others would ignore it
        raise ConfigError(
            f"--from {from_dir} does not exist (and sweep {name} starts from no other sweep: "
            "leave --from out)"
        )
    if not 0 < heartbeat_seconds < grace_seconds:
        raise ConfigError(
            "the heartbeat interval must be positive and shorter than the grace period"
        )
    out_dir = Path(out_dir)
    experiment = registry.get(definition.experiment)
    request = Request(
        name=name,
        grid=grid,
        epochs=epochs,
        seed=seed,
        engine=engine or experiment.default_engine,
        data=data or DataOptions(),
    )
    # bad grid, engine or hyperparameters (--epochs within the hyperparameter table's bounds):
    # fail before touching any storage
    plan(definition, request)
    spec = parse_storage(storage, out_dir)
    study_name = study_name or name
    with storage_errors(spec):
        # A journal file that does not exist yet holds no study to start from: create it (and the
        # output folder) only once the base configuration is known, so a failed lookup leaves nothing.
        exists = spec.kind != "journal" or Path(spec.url).is_file()
        opened = open_storage(spec) if exists else None
        base, base_source = resolve_base(
            definition, request, opened, spec, study_name, out_dir, from_dir
        )
        requests = [replace(request, seed=s) for s in seeds]
        planned_by_seed = [plan(definition, r, base) for r in requests]
        planned = planned_by_seed[0]
        if opened is None:
            opened = open_storage(spec)
        study = open_study(opened, study_name, name, spec.display)
        added = sum(
            enqueue_missing(spec, opened, study, p, name, r)
            for p, r in zip(planned_by_seed, requests, strict=True)
        )
        every = [item for p in planned_by_seed for item in p]
        if not quiet:
            print(
                f"{name}: {len(every)} configurations, {len(every) - added} already in study "
                f"{study_name!r} at {spec.display}; {jobs} worker(s)",
                file=sys.stderr,
                flush=True,
            )
        threads = None
        if jobs > 1:  # share the cores between the local workers instead of oversubscribing them
            from dlbasics.results.provenance import physical_cores

            threads = max(1, physical_cores() // jobs)
        context = WorkerContext(
            spec=spec,
            study_name=study_name,
            sweep=name,
            experiment=definition.experiment,
            space=definition.space,
            keys=tuple(item.key for item in every),
            total=len(every),
            seed=seed,
            engine=request.engine,
            data=request.data,
            quiet=quiet,
            show_bars=not quiet and jobs == 1 and sys.stderr.isatty(),
            heartbeat=heartbeat_seconds,
            grace=grace_seconds,
            poll=min(1.0, heartbeat_seconds),
            threads=threads,
        )
        with sigterm_interrupts():
            ended = run_workers(context, jobs)
        for line in describe_ends(name, ended, study.get_trials(deepcopy=False), set(context.keys)):
            print(line, file=sys.stderr, flush=True)  # even with --quiet: not progress, an incident

        entries_by_seed = [collect(study, p) for p in planned_by_seed]
        entries = entries_by_seed[0]
        best = add_seed_statistics(entries_by_seed, seeds) if len(seeds) > 1 else None
        result = _result(definition, request, study_name, spec.display, planned, entries)
        if len(seeds) > 1:  # additions only: a single-seed sweep.json is unchanged
            result["seeds"], result["best"] = list(seeds), best
        if base is not None:
            result["base"] = {"config": base, "source": base_source}
        write_results(result, entries, out_dir)
        return result


def _result(
    definition: SweepDefinition,
    request: Request,
    study_name: str,
    display: str,
    planned: list[Planned],
    entries: list[dict[str, Any]],
) -> dict[str, Any]:
    """The content of ``sweep.json`` (without ``base``)."""
    experiment = registry.get(definition.experiment)
    return {
        "sweep": request.name,
        "title": definition.title,
        "grid": request.grid,
        "study": study_name,
        "storage": display,
        "experiment": definition.experiment,
        "engine": request.engine,
        "seed": request.seed,
        "epochs": planned[0].config.get("epochs") if planned else request.epochs,
        "data_limit": request.data.limit,
        "objective": f"{OBJECTIVE} (maximize)",
        "trials": [{k: v for k, v in e.items() if k != "_index"} for e in entries],
        "best": pick_best(entries),
        # the experiment's defaults (the homework's Table 1) at this sweep's epochs: what q4.3's
        # report grid also starts from, and how a reader tells those trials apart
        "defaults": validate_config(
            experiment, {} if request.epochs is None else {"epochs": request.epochs}
        ),
    }
