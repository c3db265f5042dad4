"""Our numbers beside the original report's, with a verdict against the project's targets.

The original figures ship with the package (``report_values.json``, a copy of the reference
values of Homework 1's report). The targets are those of the project's issues: our data split and
Ames featurization differ slightly from the homework's files, so most numbers are held to a band
or a bound rather than to equality. Figures without a target are shown for information.

``results`` maps a step name to what that step produced: the ``metrics.json`` dict of an
experiment (q2.2a ... q3.2b) or the ``sweep.json`` dict of a sweep (q4.1, q4.2, q4.3). A step
that did not run (or failed) maps to None.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

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


def below(bound: float | None, what: str) -> Target:
    """Below a number we measured ourselves (e.g. q2.2b's test RMSE below q2.2a's)."""
    if bound is None:
        return Target(f"< {what} (not available)", lambda ours: False)
    return Target(f"< {what} ({bound:.4f})", lambda ours: ours < bound)


@dataclass(frozen=True)
class Row:
    step: str
    quantity: str
    report: Any  # the original value (number or words); None when the report gives none
    ours: Any  # our value; None when the step did not produce it
    target: Target | None
    verdict: Verdict

    @property
    def difference(self) -> float | None:
        if _is_number(self.report) and _is_number(self.ours):
            return float(self.ours) - float(self.report)
        return None


def load_report_values() -> dict[str, Any]:
    """The original report's figures, packaged with dlbasics (never read from outside it)."""
    text = resources.files("dlbasics.report").joinpath("report_values.json").read_text("utf-8")
    return json.loads(text)


def compare(
    results: dict[str, dict[str, Any] | None],
    values: dict[str, Any] | None = None,
    *,
    quick: bool = False,
) -> list[Row]:
    """Every figure of the original report, ours beside it, and its verdict.

    ``quick``: the numbers come from a smoke run on a subset for a few epochs, so targets that
    are meant for the full data are not judged (verdict "quick run").
    """
    values = values or load_report_values()
    rows: list[Row] = []

    def add(step: str, quantity: str, report: Any, ours: Any, target: Target | None) -> None:
        rows.append(Row(step, quantity, report, ours, target, _verdict(ours, target, quick)))

    # Q2.2a: linear regression on Ames.
    ref = values["q2.2a"]
    final = _final(results.get("q2.2a"))
    history = _history(results.get("q2.2a"))
    add("q2.2a", "train RMSE", ref["train_rmse"], final.get("train_rmse"), at_most(0.15))
    add("q2.2a", "test RMSE", ref["test_rmse"], final.get("test_rmse"), None)
    distances = [
        h["distance_to_analytic"] for h in history if h.get("distance_to_analytic") is not None
    ]
    falling = distances[-1] < distances[0] if len(distances) >= 2 else None
    add(
        "q2.2a",
        "distance to the analytic solution falls",
        "falls (Figure 1, left)",
        None
        if falling is None
        else ("falls" if falling else "does not fall")
        + f" ({distances[0]:.3g} → {distances[-1]:.3g})",
        Target("falls", lambda ours: ours.startswith("falls")),
    )
    test_curve = [(h["epoch"], h["test_rmse"]) for h in history if h.get("test_rmse") is not None]
    lowest = min(test_curve, key=lambda pair: pair[1])[0] if test_curve else None
    add("q2.2a", "epoch of the lowest test RMSE", "about 70", lowest, None)

    # Q2.2b: neural regression; its test RMSE must beat linear regression's.
    ref = values["q2.2b"]
    final_b = _final(results.get("q2.2b"))
    add("q2.2b", "train RMSE", ref["train_rmse"], final_b.get("train_rmse"), None)
    add(
        "q2.2b",
        "test RMSE",
        ref["test_rmse"],
        final_b.get("test_rmse"),
        below(final.get("test_rmse"), "our q2.2a test RMSE"),
    )

    # Q3: from-scratch classifiers on Fashion-MNIST.
    targets = {"q3.1a": at_least(0.70), "q3.1b": within(0.84, 0.015), "q3.2b": at_least(0.86)}
    for step, target in targets.items():
        ref = values[step]
        final = _final(results.get(step))
        add(step, "validation accuracy", ref["dev_acc"], final.get("dev_acc"), None)
        add(step, "test accuracy", ref["test_acc"], final.get("test_acc"), target)

    # Q4.1 and Q4.2: learning-rate sweeps, the best configuration by validation accuracy. The
    # report's training loss is the mean over all epochs (its loop never reset the list of batch
    # losses), so ours is that mean too.
    for step, lr_target, test_target in (
        ("q4.1", equals(0.001), within(0.84, 0.015)),
        ("q4.2", None, at_least(0.87)),
    ):
        ref = values[step]
        sweep = results.get(step)
        best = _best(sweep)
        config, final = best.get("config", {}), best.get("final", {})
        add(
            step,
            "best learning rate",
            ref["best_learning_rate"],
            config.get("learning_rate"),
            lr_target,
        )
        add(step, LOSS_LABEL + " (best)", ref["train_loss"], _mean_loss(sweep, config), None)
        add(step, "validation accuracy (best)", ref["dev_acc"], final.get("dev_acc"), None)
        add(step, "test accuracy (best)", ref["test_acc"], final.get("test_acc"), test_target)

    # Q4.3: 2 and 3 hidden layers. The report says it started from q4.2's best configuration,
    # but its numbers are those of the defaults (learning rate 0.01): our defaults reproduce its
    # training losses to 0.001 (see dlbasics.sweep.grids._report_depth_grid). So the report's numbers
    # are held against our trials from the defaults, and the trials from our q4.2's best
    # configuration are shown beside them, for information.
    ref = values["q4.3"]
    sweep = results.get("q4.3")
    defaults = (sweep or {}).get("defaults") or {}
    from_defaults = _depth_trials(sweep, defaults)
    from_best = _depth_trials(sweep, ((sweep or {}).get("base") or {}).get("config"))
    rate = defaults.get("learning_rate", "0.01")
    for layers in (2, 3):
        ref_layers = ref[f"layers_{layers}"]
        trial = from_defaults.get(layers, {})
        final = trial.get("final") or {}
        label = f"{layers} layers, learning rate {rate}"
        add(
            "q4.3", f"{LOSS_LABEL}, {label}", ref_layers["train_loss"], mean_train_loss(trial), None
        )
        add(
            "q4.3",
            f"validation accuracy, {label}",
            ref_layers["dev_acc"],
            final.get("dev_acc"),
            None,
        )
        add(
            "q4.3",
            f"test accuracy, {label}",
            ref_layers["test_acc"],
            final.get("test_acc"),
            within(ref_layers["test_acc"], 0.015),
        )
    for layers in (2, 3):
        trial = from_best.get(layers, {})
        best_rate = (trial.get("config") or {}).get("learning_rate")
        add(
            "q4.3",
            f"test accuracy, {layers} layers from q4.2's best (learning rate {best_rate})",
            ref[f"layers_{layers}"]["test_acc"],
            (trial.get("final") or {}).get("test_acc"),
            None,
        )
    chosen = max(
        (t for t in from_defaults.values() if _is_number((t.get("final") or {}).get("dev_acc"))),
        key=lambda t: t["final"]["dev_acc"],
        default=None,
    )
    add(
        "q4.3",
        f"chosen depth (learning rate {rate})",
        ref["chosen"],
        None if chosen is None else f"{chosen['config']['layers']} layers",
        None,
    )
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


def _final(metrics: dict[str, Any] | None) -> dict[str, Any]:
    return dict((metrics or {}).get("final") or {})


def _history(metrics: dict[str, Any] | None) -> list[dict[str, Any]]:
    return list((metrics or {}).get("history") or [])


def _best(sweep: dict[str, Any] | None) -> dict[str, Any]:
    return dict((sweep or {}).get("best") or {})


LOSS_LABEL = "training loss, mean over epochs"


def _finished(sweep: dict[str, Any] | None) -> list[dict[str, Any]]:
    return [t for t in (sweep or {}).get("trials") or [] if t.get("status", "ok") == "ok"]


def mean_train_loss(trial: dict[str, Any]) -> float | None:
    """Mean of the per-epoch training losses: the quantity the report printed."""
    losses = [h.get("train_loss") for h in trial.get("history") or []]
    if not losses or not all(_is_number(x) for x in losses):
        return None
    return sum(losses) / len(losses)


def _mean_loss(sweep: dict[str, Any] | None, config: dict[str, Any]) -> float | None:
    """``mean_train_loss`` of the finished trial with this configuration."""
    for trial in _finished(sweep):
        if trial.get("config") == config:
            return mean_train_loss(trial)
    return None


def _depth_trials(
    sweep: dict[str, Any] | None, start: dict[str, Any] | None
) -> dict[int, dict[str, Any]]:
    """The finished trials of a q4.3 sweep that are ``start`` with more layers, by depth."""
    if not start:
        return {}
    ignored = ("layers", "epochs")
    wanted = {k: v for k, v in start.items() if k not in ignored}
    found: dict[int, dict[str, Any]] = {}
    for trial in _finished(sweep):
        config = trial.get("config") or {}
        same_start = {k: v for k, v in config.items() if k not in ignored} == wanted
        if same_start and isinstance(config.get("layers"), int):
            found.setdefault(config["layers"], trial)
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
