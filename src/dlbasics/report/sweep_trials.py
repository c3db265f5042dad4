"""The trials of a seed's sweep that the comparison rows read: a configuration's trial, q4.3's
depths from either starting point, a sweep's options for its best learning rate."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from dlbasics.report.seed_values import Candidates, config_key

# Finds one trial in a seed's sweep.json (None: not there).
Pick = Callable[[dict[str, Any]], dict[str, Any] | None]


def finished_trials(sweep: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The trials of a sweep.json that finished (status ok)."""
    return [t for t in (sweep or {}).get("trials") or [] if t.get("status", "ok") == "ok"]


def mean_train_loss(trial: dict[str, Any]) -> float | None:
    """Mean of the per-epoch training losses: the quantity the report printed."""
    losses = [h.get("train_loss") for h in trial.get("history") or []]
    if not losses or not all(_is_number(x) for x in losses):
        return None
    return sum(losses) / len(losses)


def loss_of(pick: Pick) -> Callable[[dict[str, Any]], float | None]:
    """A seed's :func:`mean_train_loss` of the trial ``pick`` finds in its sweep."""

    def extract(sweep: dict[str, Any]) -> float | None:
        trial = pick(sweep)
        return None if trial is None else mean_train_loss(trial)

    return extract


def sweep_options(seed: int | None, sweep: dict[str, Any]) -> Candidates | None:
    """A seed's configurations of a sweep scored by validation accuracy, and its own best."""
    best = sweep.get("best") or {}
    if not best.get("config"):
        return None
    scores = {
        config_key(t["config"]): t["final"]["dev_acc"]
        for t in finished_trials(sweep)
        if _is_number((t.get("final") or {}).get("dev_acc"))
    }
    return Candidates(seed, scores, config_key(best["config"]))


def rate_of(key: str) -> Any:
    return json.loads(key).get("learning_rate")


def trial_with(config: dict[str, Any] | None) -> Pick:
    """Finds a seed's finished trial of ``config`` in its sweep (its best: the sweep's own
    record of the best, when it is that configuration)."""

    def pick(sweep: dict[str, Any]) -> dict[str, Any] | None:
        if config is None:
            return None
        trial = next((t for t in finished_trials(sweep) if t.get("config") == config), None)
        best = sweep.get("best") or {}
        if best.get("config") == config:
            return {**(trial or {}), "config": config, "final": best.get("final") or {}}
        return trial

    return pick


def depth_trial(start: str, layers: int) -> Pick:
    """Finds a seed's q4.3 trial with ``layers`` from its ``start``: ``"defaults"`` or
    ``"base"`` (that seed's q4.2 best configuration)."""

    def pick(sweep: dict[str, Any]) -> dict[str, Any] | None:
        config = (
            sweep.get("defaults")
            if start == "defaults"
            else (sweep.get("base") or {}).get("config")
        )
        return _depth_trials(sweep, config).get(layers)

    return pick


def depth_options(seed: int | None, sweep: dict[str, Any]) -> Candidates | None:
    """A seed's depths from the defaults by validation accuracy; the depth it chose."""
    trials = _depth_trials(sweep, sweep.get("defaults") or {})
    scores = {
        str(layers): t["final"]["dev_acc"]
        for layers, t in trials.items()
        if _is_number((t.get("final") or {}).get("dev_acc"))
    }
    if not scores:
        return None
    return Candidates(seed, scores, max(scores, key=lambda k: scores[k]))


def _depth_trials(
    sweep: dict[str, Any] | None, start: dict[str, Any] | None
) -> dict[int, dict[str, Any]]:
    """The finished trials of a q4.3 sweep that are ``start`` with more layers, by depth."""
    if not start:
        return {}
    ignored = ("layers", "epochs")
    wanted = {k: v for k, v in start.items() if k not in ignored}
    found: dict[int, dict[str, Any]] = {}
    for trial in finished_trials(sweep):
        config = trial.get("config") or {}
        same_start = {k: v for k, v in config.items() if k not in ignored} == wanted
        if same_start and isinstance(config.get("layers"), int):
            found.setdefault(config["layers"], trial)
    return found


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
