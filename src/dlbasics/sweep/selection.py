"""Reading results back from a study: q4.2's best as q4.3's start, the grid's trials, the winner.

:func:`resolve_base` finds the configuration a dependent sweep (q4.3) starts from;
:func:`collect` picks one trial per configuration of the grid; :func:`pick_best` the winner.
The winner is always the highest validation accuracy among the configurations that finished
without diverging, ties to the earlier configuration of the grid; a *stalled* configuration
(it finished but learned nothing: chance-level accuracy, or a loss that never fell below its
first epoch's) wins only when no configuration finished ``ok``. Its accuracy is real, but its
own run says that training did not work, so any configuration that trained is the better
answer to "which hyperparameters train best"; a sweep in which nothing trained still names
its least bad configuration, marked stalled, rather than none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dlbasics.errors import ConfigError
from dlbasics.sweep.attributes import DUPLICATE, FAIL_REASON, KEY, OUTCOME, SCORED
from dlbasics.sweep.grids import OBJECTIVE, SweepDefinition
from dlbasics.sweep.plan import Planned, Request
from dlbasics.sweep.queue import states
from dlbasics.sweep.storage import StorageSpec


def _from_sweep_json(path: Path, needs: str, request: Request) -> tuple[dict[str, Any], str]:
    try:
        sweep = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        raise ConfigError(
            f"{path} not found: pass --from the output directory of a finished "
            f"`dlbasics sweep {needs}`"
        ) from None
    except (OSError, ValueError) as error:
        raise ConfigError(f"{path}: unreadable sweep.json ({error})") from None
    if sweep.get("sweep") != needs:
        raise ConfigError(f"{path} is the result of sweep {sweep.get('sweep')!r}, not {needs}")
    best = sweep.get("best") or {}
    if not best.get("config"):
        raise ConfigError(f"{path}: sweep {needs} has no finished configuration to start from")
    if (
        sweep.get("data_limit") != request.data.limit
    ):  # a --limit smoke run is no base for a full one

        def describe(limit: Any) -> str:
            return "the full data" if limit is None else f"--limit {limit}"

        raise ConfigError(
            f"{path}: sweep {needs} ran on {describe(sweep.get('data_limit'))}, this "
            f"{request.name} on {describe(request.data.limit)}; use the same data for both"
        )
    return dict(best["config"]), str(path)


def _from_storage(
    storage: Any, study_name: str, needs: str, request: Request, display: str
) -> tuple[dict[str, Any], str] | None:
    """The best finished configuration of study ``study_name`` with the same settings, or None
    when that study does not exist there."""
    import optuna

    try:
        study = optuna.load_study(study_name=study_name, storage=storage)
    except KeyError:
        return None
    state = states()
    same = [
        t
        for t in study.get_trials(deepcopy=False)
        if t.user_attrs.get("seed") == request.seed
        and t.user_attrs.get("engine") == request.engine
        and t.user_attrs.get("data_limit") == request.data.limit
        and (
            request.epochs is None
            or (t.user_attrs.get("config") or {}).get("epochs") == request.epochs
        )
    ]
    pending = [t for t in same if t.state in (state.WAITING, state.RUNNING)]
    if pending:
        raise ConfigError(
            f"sweep {needs} (study {study_name!r} in {display}) is not finished: "
            f"{len(pending)} configuration(s) still waiting or running"
        )
    done = [t for t in same if t.state == state.COMPLETE and t.user_attrs.get(OUTCOME) in SCORED]
    if not done:
        return None
    best = max(
        done,
        key=lambda t: (
            t.user_attrs.get(OUTCOME) == "ok",
            (t.user_attrs.get("final") or {}).get(OBJECTIVE, -1),
            -t.number,
        ),
    )
    return dict(best.user_attrs["config"]), f"study {study_name!r} in {display}"


def resolve_base(
    definition: SweepDefinition,
    request: Request,
    storage: Any,
    spec: StorageSpec,
    study_name: str,
    out_dir: Path,
    from_dir: Path | None,
) -> tuple[dict[str, Any], str] | tuple[None, None]:
    """The configuration a dependent sweep (q4.3) starts from: the best of ``definition.needs``.

    Looked up in ``--from DIR`` when given; else in the same storage (``storage`` None: nothing
    there yet), under the study name with the sweep name swapped (``q4.2`` for ``q4.3``); else
    in ``OUT/../q4.2/sweep.json`` (the default layout of ``dlbasics sweep``)."""
    needs = definition.needs
    if needs is None:
        return None, None
    if from_dir is not None:
        config, source = _from_sweep_json(Path(from_dir) / "sweep.json", needs, request)
    else:
        other = (
            study_name.replace(definition.name, needs) if definition.name in study_name else needs
        )
        found = (
            None if storage is None else _from_storage(storage, other, needs, request, spec.display)
        )
        sibling = Path(out_dir).parent / needs / "sweep.json"
        if found is not None:
            config, source = found
        elif sibling.is_file():
            config, source = _from_sweep_json(sibling, needs, request)
        else:
            raise ConfigError(
                f"sweep {definition.name} starts from the best configuration of {needs}, found "
                f"neither in {spec.display} nor in {sibling}: run `dlbasics sweep {needs}` first "
                f"with the same --out parent/--storage, or pass --from DIR"
            )
    config.pop("epochs", None)  # the epochs come from this sweep's request
    return config, source


def _trial_entry(trial: Any, index: int) -> dict[str, Any]:
    state = states()
    attrs = trial.user_attrs
    if trial.state == state.COMPLETE:
        status = attrs.get(OUTCOME, "ok")
    elif trial.state == state.FAIL:
        status = "failed"
    else:
        status = trial.state.name.lower()
    entry: dict[str, Any] = {
        "number": trial.number,
        "config": attrs.get("config"),
        "final": attrs.get("final") or {"train_loss": None, "dev_acc": None, "test_acc": None},
        "history": attrs.get("history") or [],
        "seconds": attrs.get("seconds"),
        "status": status,
    }
    message = attrs.get("message") if status != "failed" else attrs.get(FAIL_REASON)
    if message:
        entry["message"] = str(message).splitlines()[0]
    entry["_index"] = index
    return entry


def collect(study: Any, planned: list[Planned]) -> list[dict[str, Any]]:
    """One entry per planned configuration, in grid order: its completed trial, else its latest
    failed one (a duplicate skipped before running is never shown)."""
    state = states()
    by_key: dict[str, list[Any]] = {}
    for trial in study.get_trials(deepcopy=False):
        by_key.setdefault(trial.user_attrs.get(KEY), []).append(trial)
    entries = []
    for item in planned:
        trials = [t for t in by_key.get(item.key, []) if t.user_attrs.get(FAIL_REASON) != DUPLICATE]
        complete = [t for t in trials if t.state == state.COMPLETE]
        chosen = min(complete, key=lambda t: t.number) if complete else None
        if chosen is None and trials:
            chosen = max(trials, key=lambda t: t.number)
        if chosen is not None:
            entries.append(_trial_entry(chosen, item.index))
    return entries


def pick_best(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Highest validation accuracy among the configurations that finished without diverging,
    a stalled one only when none finished ``ok``; ties go to the earlier configuration of the
    grid."""
    finished = [
        e
        for e in entries
        if e["status"] in SCORED and isinstance(e["final"].get(OBJECTIVE), float | int)
    ]
    if not finished:
        return None
    best = max(finished, key=lambda e: (e["status"] == "ok", e["final"][OBJECTIVE], -e["_index"]))
    return {"number": best["number"], "config": best["config"], "final": best["final"]}
