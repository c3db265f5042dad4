"""A *toy* sweep for the sweep tests: an experiment whose "training" is a formula, so the sweep
machinery is tested in milliseconds. It logs every start and end of a configuration to a file,
which is how the tests count executions.

Run as a script (``python toy.py OUT``, or ``python toy.py cli sweep toy ...`` for the command
line), it runs the toy sweep in its own process: the tests kill or interrupt it (or one of its
``--jobs`` workers) in the middle of a trial. So it imports nothing from ``tests``; its spawned
workers import it as ``__mp_main__`` and register the toy too.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import optuna

from dlbasics.data import DataOptions
from dlbasics.experiments import registry
from dlbasics.experiments.base import Experiment, RunContext, RunResult
from dlbasics.sweep import (
    SWEEPS,
    Request,
    SweepDefinition,
    enqueue_missing,
    open_storage,
    open_study,
    parse_storage,
    plan,
    run_sweep,
)

TOY_LOG = "TOY_SWEEP_LOG"  # file that receives "start LR" / "end LR" lines
TOY_SLEEP = "TOY_SWEEP_SLEEP"  # "LR:SECONDS": that configuration's first start sleeps (to be
# killed meanwhile; when it runs again it does not)
TOY_WAIT = "TOY_SWEEP_WAIT"  # "LR": that configuration waits until another one has started (so
# that, with two workers, the other worker holds the other configuration)
STALLED_LR = 0.001  # stalls (its loss never fell) with a high dev_acc: see toy_train
FAST = {"heartbeat_seconds": 0.2, "grace_seconds": 1.0}


def toy_train(context: RunContext) -> RunResult:
    """dev_acc = 0.5 + lr/2 per epoch; lr 1.0 diverges; lr 0.5 crashes; layers add 0.01 each;
    lr 0.001 stalls with dev_acc 0.9 + 0.01 per layer, higher than any other (a stalled run wins only when no
    configuration finished ok)."""
    lr, layers = context.config.learning_rate, context.config.layers
    log = os.environ.get(TOY_LOG)

    def note(event: str) -> None:
        if log:
            with open(log, "a") as handle:
                handle.write(f"{event} {lr} {layers}\n")

    note("start")
    sleep = os.environ.get(TOY_SLEEP, "")
    first = log is not None and executions(Path(log), "start").count(f"{lr} {layers}") == 1
    if sleep and float(sleep.split(":")[0]) == lr and first:
        time.sleep(float(sleep.split(":")[1]))
    wait = os.environ.get(TOY_WAIT, "")
    if wait and float(wait) == lr and log:
        deadline = time.monotonic() + 120
        while len(executions(Path(log), "start")) < 2 and time.monotonic() < deadline:
            time.sleep(0.02)
    if lr == 0.5:
        raise RuntimeError("toy crash")
    history = []
    for epoch in range(1, context.config.epochs + 1):
        dev = 0.5 + lr / 2 + 0.01 * layers - 0.1 / epoch
        history.append(
            {"epoch": epoch, "train_loss": 1 / (epoch * lr), "dev_acc": dev, "test_acc": dev - 0.02}
        )
    final = {k: history[-1][k] for k in ("train_loss", "dev_acc", "test_acc")}
    note("end")
    if lr == STALLED_LR:
        stall = 0.9 + 0.01 * layers
        for record in history:
            record["dev_acc"], record["train_loss"] = stall, 2.0
        final.update(dev_acc=stall, train_loss=2.0)
        return RunResult(history, final, "stalled", "toy stall: the loss never fell")
    if lr >= 1.0:
        history[-1]["train_loss"] = final["train_loss"] = float("nan")
        return RunResult(history, final, "diverged", "toy divergence")
    return RunResult(history, final)


@dataclass(frozen=True)
class ToyConfig:
    learning_rate: float = 0.1
    epochs: int = 2
    layers: int = 1


def register_toy() -> None:
    if "toy-sweep" not in registry.names():
        registry.register(
            Experiment(
                name="toy-sweep",
                title="toy",
                task="classification",
                config_type=ToyConfig,
                engines=("formula",),
                train=toy_train,
            )
        )
    space = {"learning_rate": (0.01, 0.1, 0.5, 1.0), "layers": (1, 2, 3)}
    SWEEPS["toy"] = SweepDefinition(
        "toy",
        "toy-sweep",
        "toy sweep",
        space,
        {
            "report": lambda base: [{**base, "learning_rate": lr} for lr in (0.01, 0.1, 1.0)],
            "faulty": lambda base: [{**base, "learning_rate": lr} for lr in (0.01, 0.5)],
            "stalling": lambda base: [{**base, "learning_rate": lr} for lr in (STALLED_LR, 0.01)],
            "stalled": lambda base: [
                {**base, "learning_rate": STALLED_LR, "layers": n} for n in (1, 2)
            ],
        },
    )
    SWEEPS["toy-depth"] = SweepDefinition(
        "toy-depth",
        "toy-sweep",
        "toy depth",
        space,
        {"report": lambda base: [{**base, "layers": n} for n in (2, 3)]},
        needs="toy",
    )


def executions(log: Path, event: str = "end") -> list[str]:
    if not log.exists():
        return []
    return [
        line.split(" ", 1)[1] for line in log.read_text().splitlines() if line.startswith(event)
    ]


def running_trial(
    out: Path,
    attrs: dict[str, Any],
    lr: float = 0.1,
    storage: str | None = None,
    study_name: str = "toy",
    **open_options: float,
) -> tuple[Any, int]:
    """Enqueue the toy grid, then move the trial of learning rate ``lr`` to RUNNING as a worker
    would, with user attributes ``attrs``; return the storage and the trial's id."""
    spec = parse_storage(storage, out)
    opened = open_storage(spec, **open_options)
    study = open_study(opened, study_name, "toy", spec.display)
    request = Request("toy", "report", None, 42, "formula", DataOptions())
    enqueue_missing(spec, opened, study, plan(SWEEPS["toy"], request), "toy", request)
    target = next(t for t in study.get_trials() if t.user_attrs["config"]["learning_rate"] == lr)
    trial_id = opened.get_trial_id_from_study_id_trial_number(
        opened.get_study_id_from_name(study_name), target.number
    )
    assert opened.set_trial_state_values(trial_id, optuna.trial.TrialState.RUNNING)
    for key, value in attrs.items():
        opened.set_trial_user_attr(trial_id, key, value)
    return opened, trial_id


def study_trials(out: Path, name: str = "toy") -> list[optuna.trial.FrozenTrial]:
    storage = open_storage(parse_storage(None, out))
    return optuna.load_study(study_name=name, storage=storage).get_trials()


if __name__ == "__mp_main__":  # a spawned --jobs worker of the script below
    register_toy()

if __name__ == "__main__":  # the toy sweep in its own process (see test_workers._toy_process)
    register_toy()
    if sys.argv[1] == "cli":  # `toy.py cli sweep toy ...`: the command line, the toy registered
        from dlbasics.cli import main

        sys.argv = ["dlbasics", *sys.argv[2:]]
        main()
        sys.exit(0)
    try:
        run_sweep("toy", out_dir=Path(sys.argv[1]), engine="formula", **FAST)
    except KeyboardInterrupt:
        sys.exit(130)
