"""``dlbasics reproduce --quick --seeds 2`` end to end (CI's many-seed target): seed 42's steps
come from the single-seed run's cache, seed 43's run, and the report is built over both."""

from __future__ import annotations

import json

import pytest

from dlbasics.pipeline import STEP_NAMES

pytestmark = pytest.mark.realdata


def test_reproduce_quick_with_two_seeds_runs_the_new_seed_and_reports_both(quick_seeds_report):
    out, code = quick_seeds_report
    assert code == 0
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    units = [(step["step"], step["seed"], step["status"]) for step in summary["steps"]]
    assert units == [(name, seed, "ok") for name in STEP_NAMES for seed in (42, 43)]
    cached = {(step["step"], step["seed"]): step["cached"] for step in summary["steps"]}
    assert all(cached[(name, 42)] for name in STEP_NAMES)  # the single-seed run's folders
    assert not any(cached[(name, 43)] for name in STEP_NAMES)
    folders = [step["folder"] for step in summary["steps"]]
    assert len(set(folders)) == len(folders)
    for name in STEP_NAMES:  # each seed's run recorded its own seed
        for seed in (42, 43):
            (folder,) = [
                s["folder"] for s in summary["steps"] if (s["step"], s["seed"]) == (name, seed)
            ]
            done = json.loads((out / folder / "done.json").read_text("utf-8"))
            assert done["key"]["seed"] == seed
    q31a = {
        s["seed"]: json.loads((out / s["folder"] / "metrics.json").read_text("utf-8"))
        for s in summary["steps"]
        if s["step"] == "q3.1a"
    }
    assert q31a[42]["seed"] == 42 and q31a[43]["seed"] == 43
    assert q31a[42]["history"] != q31a[43]["history"]  # the seed reached the training
    html = (out / "index.html").read_text("utf-8")
    assert "<html" in html.lower() and (out / "REPORT.md").stat().st_size > 0
    # every comparison number and every claim is measured over both seeds
    measured = [row for row in summary["comparison"] if row.get("n_seeds")]
    assert measured and all(row["n_seeds"] == 2 for row in measured)
    assert summary["claims"] and all(claim["n_seeds"] == 2 for claim in summary["claims"])
