"""The sweeps' grids: the report's, the extended q4.2 grid, and q4.3's two starting points."""

from __future__ import annotations

from dlbasics.data import DataOptions
from dlbasics.experiments import registry
from dlbasics.sweep import SWEEPS, Request, plan


def _request(name: str, grid: str = "report", epochs: int | None = None) -> Request:
    return Request(name, grid, epochs, 42, "torch", DataOptions())


def test_report_grids_follow_the_report():
    q41 = plan(SWEEPS["q4.1"], _request("q4.1"))
    assert [p.config["learning_rate"] for p in q41] == [0.001, 0.01, 0.1]
    assert all(p.config["epochs"] == 20 and p.config["batch_size"] == 1 for p in q41)
    q42 = plan(SWEEPS["q4.2"], _request("q4.2", epochs=3))
    assert [p.config["learning_rate"] for p in q42] == [0.001, 0.01, 0.1]
    assert all(p.config["epochs"] == 3 and p.config["hidden_size"] == 200 for p in q42)
    base = {**q42[0].config}
    base.pop("epochs")
    # q4.3: q4.2's best, then the defaults (whose numbers the report printed), 2 and 3 layers
    q43 = plan(SWEEPS["q4.3"], _request("q4.3"), base)
    assert [(p.config["learning_rate"], p.config["layers"]) for p in q43] == [
        (0.001, 2),
        (0.001, 3),
        (0.01, 2),
        (0.01, 3),
    ]
    assert all(p.config["hidden_size"] == 200 and p.config["epochs"] == 20 for p in q43)
    best_only = plan(SWEEPS["q4.3"], _request("q4.3", "best"), base)
    assert [(p.config["learning_rate"], p.config["layers"]) for p in best_only] == [
        (0.001, 2),
        (0.001, 3),
    ]
    # when q4.2's best is the defaults, the repeats are dropped
    defaults = {k: v for k, v in registry.get("q4-ffn").defaults.items() if k != "epochs"}
    assert len(plan(SWEEPS["q4.3"], _request("q4.3", epochs=2), defaults)) == 2


def test_extended_grid_changes_one_factor_at_a_time_at_every_learning_rate():
    defaults = registry.get("q4-ffn").defaults
    planned = plan(SWEEPS["q4.2"], _request("q4.2", "extended"))
    assert len(planned) == 15 == len({p.key for p in planned})
    for item in planned:
        changed = {k for k, v in item.config.items() if v != defaults[k]} - {"learning_rate"}
        assert len(changed) <= 1
    changed_values = {
        (k, v)
        for p in planned
        for k, v in p.config.items()
        if v != defaults[k] and k != "learning_rate"
    }
    assert changed_values == {
        ("hidden_size", 100),
        ("dropout", 0.5),
        ("activation", "tanh"),
        ("optimizer", "adam"),
    }
