"""Our numbers beside the original report's, with a verdict against the project's targets.

The original figures ship with the package (``report_values.json``, a copy of the reference
values of Homework 1's report). The targets are those of the project's issues: our data split and
Ames featurization differ slightly from the homework's files, so most numbers are held to a band
or a bound rather than to equality. Figures without a target are shown for information.

``results`` holds what each step produced: the ``metrics.json`` dict of an experiment (q2.2a ...
q3.2b) or the ``sweep.json`` dict of a sweep (q4.1, q4.2, q4.3), either one per step (a step that
did not run or failed maps to None) or, as :class:`~dlbasics.report.load.SeedResults`, one per
seed.

Over seeds every number is the mean of the seeds' values with its Student-t 95% interval
(:mod:`dlbasics.results.statistics`), and the verdict judges the mean. A row that chooses between
two configurations (a sweep's best learning rate, q4.3's depth) or follows a curve (the distance
to the closed form falls) carries the interval of the per-seed difference it rests on, paired
over the seeds (``Row.interval_of`` names it). Over seeds a configuration is chosen by its mean
validation accuracy. With one seed every row is what that seed's run gives, as before seeds.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

from dlbasics.report import seed_values
from dlbasics.report.load import SeedResults
from dlbasics.report.seed_values import Cells
from dlbasics.report.sweep_trials import (
    depth_options,
    depth_trial,
    loss_of,
    rate_of,
    sweep_options,
    trial_with,
)
from dlbasics.results.statistics import Interval

Verdict = str  # "PASS", "FAIL", "info", "missing", "quick run"


@dataclass(frozen=True)
class Target:
    """A requirement on one number: its wording and the test."""

    text: str
    check: Callable[[Any], bool]


def at_most(bound: float) -> Target:
    return Target(f"<= {bound:g}", lambda ours: ours <= bound)


def at_least(bound: float) -> Target:
    return Target(f">= {bound:g}", lambda ours: ours >= bound)


def within(center: float, tolerance: float) -> Target:
    return Target(
        f"{center:g} ± {tolerance:g}", lambda ours: abs(ours - center) <= tolerance + 1e-12
    )


def equals(value: Any) -> Target:
    return Target(
        f"= {value:g}" if isinstance(value, float) else f"= {value}", lambda ours: ours == value
    )


@dataclass(frozen=True)
class Row:
    """One figure of the report beside ours.

    ``ours``: our value (over seeds the mean of a number, or the choice made on the means;
    None when no seed produced it). ``per_seed`` and ``seeds``: each seed's own value, in the
    reproduction's seed order. ``interval``: the mean and 95% interval over the seeds, of
    ``ours`` itself or, when ``interval_of`` names one, of that per-seed difference.
    """

    step: str
    quantity: str
    report: Any  # the original value (number or words); None when the report gives none
    ours: Any
    target: Target | None
    verdict: Verdict
    interval: Interval | None = None
    interval_of: str = ""
    per_seed: tuple[Any, ...] = ()
    seeds: tuple[int | None, ...] = ()

    @property
    def difference(self) -> float | None:
        if _is_number(self.report) and _is_number(self.ours):
            return float(self.ours) - float(self.report)
        return None

    @property
    def n_seeds(self) -> int:
        return len(self.per_seed)

    def to_json(self) -> dict[str, Any]:
        """The row for summary.json: the table's columns (``ours``: the mean), and over the
        seeds ``mean``, ``ci_low``, ``ci_high`` (of ``interval_of`` when it is set, whose
        per-seed values are then ``differences``), ``n_seeds``, ``per_seed`` (each seed's
        ``ours``) and ``seeds``."""
        spread = self.interval.to_json() if self.interval else {}
        row = {
            "step": self.step,
            "quantity": self.quantity,
            "report": self.report,
            "ours": self.ours,
            "difference": self.difference,
            "target": self.target.text if self.target else None,
            "verdict": self.verdict,
            "mean": spread.get("mean"),
            "ci_low": spread.get("ci_low"),
            "ci_high": spread.get("ci_high"),
            "n_seeds": self.n_seeds,
            "per_seed": list(self.per_seed),
            "seeds": list(self.seeds),
            "interval_of": self.interval_of or None,
        }
        if self.interval_of:
            row["differences"] = spread.get("per_seed", [])
        return row


def load_report_values() -> dict[str, Any]:
    """The original report's figures, packaged with dlbasics (never read from outside it)."""
    text = resources.files("dlbasics.report").joinpath("report_values.json").read_text("utf-8")
    return json.loads(text)


def compare(
    results: SeedResults | dict[str, dict[str, Any] | None],
    values: dict[str, Any] | None = None,
    *,
    quick: bool = False,
) -> list[Row]:
    """Every figure of the original report, ours beside it, and its verdict.

    ``results``: one result per step, or :class:`SeedResults` (means over the seeds, see the
    module's docstring). ``quick``: the numbers come from a smoke run on a subset for a few
    epochs, so targets that are meant for the full data are not judged ("quick run").
    """
    values = values or load_report_values()
    seeds = seed_values.as_seed_results(results)
    rows: list[Row] = []

    def add(step: str, quantity: str, report: Any, cells: Cells, target: Target | None) -> None:
        verdict = _verdict(cells.ours, target, quick)
        rows.append(
            Row(step, quantity, report, cells.ours, target, verdict, cells.interval,
                cells.interval_of, cells.per_seed, cells.seeds)
        )  # fmt: skip

    def number(step: str, quantity: str, report: Any, extract, target=None) -> None:
        add(step, quantity, report, seed_values.numbers(seeds, step, extract), target)

    # Q2.2a: linear regression on Ames.
    ref = values["q2.2a"]
    number("q2.2a", "train RMSE", ref["train_rmse"], _final_of("train_rmse"), at_most(0.15))
    number("q2.2a", "test RMSE", ref["test_rmse"], _final_of("test_rmse"))
    add(
        "q2.2a",
        "distance to the analytic solution falls",
        "falls (Figure 1, left)",
        seed_values.falls(seeds, "q2.2a", _first_and_last_distance, "distance"),
        Target("falls", lambda ours: ours.startswith("falls")),
    )
    number("q2.2a", "epoch of the lowest test RMSE", "about 70", _lowest_test_epoch)

    # Q2.2b: neural regression, held to the report's own number. Whether it beats linear
    # regression is a claim (the claims section), not a target.
    ref = values["q2.2b"]
    number("q2.2b", "train RMSE", ref["train_rmse"], _final_of("train_rmse"))
    test_target = within(ref["test_rmse"], 0.015)
    number("q2.2b", "test RMSE", ref["test_rmse"], _final_of("test_rmse"), test_target)

    # Q3: from-scratch classifiers on Fashion-MNIST.
    targets = {"q3.1a": at_least(0.70), "q3.1b": within(0.84, 0.015), "q3.2b": at_least(0.86)}
    for step, target in targets.items():
        ref = values[step]
        number(step, "validation accuracy", ref["dev_acc"], _final_of("dev_acc"))
        number(step, "test accuracy", ref["test_acc"], _final_of("test_acc"), target)

    # Q4.1 and Q4.2: learning-rate sweeps, the best configuration by validation accuracy. The
    # report's training loss is the mean over all epochs (its loop never reset the list of batch
    # losses), so ours is that mean too.
    for step, lr_target, test_target in (
        ("q4.1", equals(0.001), within(0.84, 0.015)),
        ("q4.2", None, at_least(0.87)),
    ):
        ref = values[step]
        options = [sweep_options(seed, sweep) for seed, sweep in _each(seeds, step)]
        chosen, cells = seed_values.choose(
            [o for o in options if o is not None], rate_of, "validation accuracy"
        )
        add(step, "best learning rate", ref["best_learning_rate"], cells, lr_target)
        trial = trial_with(json.loads(chosen) if chosen else None)
        number(step, LOSS_LABEL + " (best)", ref["train_loss"], loss_of(trial))
        number(step, "validation accuracy (best)", ref["dev_acc"], _final_of("dev_acc", trial))
        number(step, "test accuracy (best)", ref["test_acc"], _final_of("test_acc", trial),
               test_target)  # fmt: skip

    # Q4.3: 2 and 3 hidden layers. The report says it started from q4.2's best configuration,
    # but its numbers are those of the defaults (learning rate 0.01): our defaults reproduce its
    # training losses to 0.001 (see dlbasics.sweep.grids._report_depth_grid). So the report's numbers
    # are held against our trials from the defaults, and the trials from our q4.2's best
    # configuration are shown beside them, for information.
    ref = values["q4.3"]
    sweeps = [sweep for _, sweep in _each(seeds, "q4.3")]
    rate = ((sweeps[0] if sweeps else {}).get("defaults") or {}).get("learning_rate", "0.01")
    for layers in (2, 3):
        ref_layers = ref[f"layers_{layers}"]
        trial = depth_trial("defaults", layers)
        label = f"{layers} layers, learning rate {rate}"
        number("q4.3", f"{LOSS_LABEL}, {label}", ref_layers["train_loss"],
               loss_of(trial))  # fmt: skip
        number("q4.3", f"validation accuracy, {label}", ref_layers["dev_acc"],
               _final_of("dev_acc", trial))  # fmt: skip
        number("q4.3", f"test accuracy, {label}", ref_layers["test_acc"],
               _final_of("test_acc", trial), within(ref_layers["test_acc"], 0.015))  # fmt: skip
    for layers in (2, 3):
        trial = depth_trial("base", layers)
        rates = [(trial(s) or {}).get("config", {}).get("learning_rate") for s in sweeps]
        best_rate = " / ".join(str(r) for r in dict.fromkeys(rates)) if rates else None
        number(
            "q4.3",
            f"test accuracy, {layers} layers from q4.2's best (learning rate {best_rate})",
            ref[f"layers_{layers}"]["test_acc"],
            _final_of("test_acc", trial),
        )
    options = [depth_options(seed, sweep) for seed, sweep in _each(seeds, "q4.3")]
    _, cells = seed_values.choose(
        [o for o in options if o is not None], lambda k: f"{k} layers", "validation accuracy"
    )
    add("q4.3", f"chosen depth (learning rate {rate})", ref["chosen"], cells, None)
    return rows


def summary(rows: list[Row]) -> dict[str, int]:
    """How many rows got each verdict."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.verdict] = counts.get(row.verdict, 0) + 1
    return counts


def _verdict(ours: Any, target: Target | None, quick: bool) -> Verdict:
    if ours is None:
        return "missing"
    if target is None:
        return "info"
    if quick:
        return "quick run"
    try:
        return "PASS" if target.check(ours) else "FAIL"
    except (TypeError, ValueError):
        return "FAIL"


def _final_of(key: str, pick: Callable[[dict[str, Any]], dict[str, Any] | None] | None = None):
    """A seed's ``final[key]`` of its result (or of the trial ``pick`` finds in it)."""

    def extract(result: dict[str, Any]) -> Any:
        found = pick(result) if pick else result
        return ((found or {}).get("final") or {}).get(key)

    return extract


def _history(metrics: dict[str, Any]) -> list[dict[str, Any]]:
    return list(metrics.get("history") or [])


def _first_and_last_distance(metrics: dict[str, Any]) -> tuple[float, float] | None:
    distances = [
        h["distance_to_analytic"]
        for h in _history(metrics)
        if h.get("distance_to_analytic") is not None
    ]
    return (distances[0], distances[-1]) if len(distances) >= 2 else None


def _lowest_test_epoch(metrics: dict[str, Any]) -> Any:
    curve = [
        (h["epoch"], h["test_rmse"]) for h in _history(metrics) if h.get("test_rmse") is not None
    ]
    return min(curve, key=lambda pair: pair[1])[0] if curve else None


def _each(seeds: SeedResults, step: str) -> list[tuple[int | None, dict[str, Any]]]:
    """``(seed, result)`` of every seed of ``step``."""
    return seed_values.each_seed(seeds, step, lambda result: result)


LOSS_LABEL = "training loss, mean over epochs"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
