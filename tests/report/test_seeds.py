"""The report over seeds: comparison rows as means with 95% intervals (paired where a row
compares two configurations), per-seed values behind a click, figures with a seed band, and a
one-seed report exactly as before.

The runs are real: every experiment and sweep the rows read, run through the experiment runner
and the sweep machinery on tiny synthetic data, once per seed.
"""

from __future__ import annotations

import json
import math
import shutil

import pytest

from dlbasics.documents.document import Disclosure, Table
from dlbasics.documents.html import render_html
from dlbasics.documents.markdown import render_markdown
from dlbasics.experiments.runner import run_experiment
from dlbasics.pipeline.steps import STEPS
from dlbasics.report import build, comparison
from dlbasics.report.load import group_by_seed, load_step
from dlbasics.report.settings import ReportSettings
from dlbasics.results.statistics import mean_interval, paired_difference
from dlbasics.results.steps import StepOutcome
from dlbasics.sweep import run_sweep
from tests.experiments.synthetic import SyntheticData
from tests.report.htmlcheck import parse_page

SEEDS = (42, 1, 2)
# Hyperparameters that make the tiny synthetic problems learn in a few epochs.
EXPERIMENTS = {
    "q2.2a": {"epochs": 4, "learning_rate": 0.05},
    "q2.2b": {"epochs": 3, "learning_rate": 0.001, "hidden_size": 4, "init": "he"},
    "q3.1b": {"epochs": 3, "learning_rate": 0.05},
}
SWEEPS = ("q4.1", "q4.2", "q4.3")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Every seed's step folders: ``{seed: {step: folder}}``."""
    root = tmp_path_factory.mktemp("seeds")
    folders: dict[int, dict[str, object]] = {}
    for seed in SEEDS:
        mine = folders.setdefault(seed, {})
        for name, config in EXPERIMENTS.items():
            mine[name] = root / f"{name}-{seed}"
            run_experiment(
                name, config, seed=seed, engine="reference", data=SyntheticData(),
                out_dir=mine[name],
            )  # fmt: skip
            # Its arrays are of 4x4 synthetic images: no class-template picture to draw.
            (mine[name] / "arrays.npz").unlink()
        for name in SWEEPS:
            mine[name] = root / f"{name}-{seed}"
            run_sweep(  # q4.3's deeper networks need a few more epochs to learn at all
                name, out_dir=mine[name], epochs=4 if name == "q4.3" else 2, seed=seed,
                engine="torch",
                data=SyntheticData(n_train=240) if name == "q4.3" else SyntheticData(), from_dir=mine.get("q4.2") if name == "q4.3" else None,
            )  # fmt: skip
    return folders


def _outcomes(runs, seeds=SEEDS, out=None):
    """One outcome per (step, seed) that ran; the other steps not run."""
    outcomes = []
    for step in STEPS:
        for seed in seeds:
            folder = runs[seed].get(step.name)
            if folder is None:
                outcomes.append(
                    StepOutcome(step, "not run", {"seed": seed}, out or folder, seed=seed)
                )
                break
            outcomes.append(StepOutcome(step, "ok", {"seed": seed}, folder, seed=seed))
    return outcomes


def _seed_results(runs, seeds=SEEDS):
    steps = [load_step(o) for o in _outcomes(runs, seeds) if o.status == "ok"]
    return group_by_seed(steps, seeds)


def _rows(runs, seeds=SEEDS):
    return {(r.step, r.quantity): r for r in comparison.compare(_seed_results(runs, seeds))}


def _read(folder, name):
    return json.loads((folder / name).read_text())


def test_numbers_are_the_mean_of_the_seeds_with_a_t_interval(runs):
    rows = _rows(runs)
    values = [_read(runs[s]["q2.2a"], "metrics.json")["final"]["train_rmse"] for s in SEEDS]
    row = rows["q2.2a", "train RMSE"]
    assert row.per_seed == tuple(values) and row.seeds == SEEDS
    assert row.ours == pytest.approx(sum(values) / 3)
    assert len(set(values)) == 3  # the seed changes the run
    assert (row.interval.low, row.interval.high) == pytest.approx(
        (mean_interval(values).low, mean_interval(values).high)
    )
    assert row.interval.low < row.ours < row.interval.high
    assert row.verdict == ("PASS" if row.ours <= 0.15 else "FAIL")  # judged on the mean
    epochs = rows["q2.2a", "epoch of the lowest test RMSE"]
    assert all(isinstance(e, int) for e in epochs.per_seed)
    assert epochs.ours == pytest.approx(sum(epochs.per_seed) / 3)


def test_choices_carry_the_paired_interval_of_their_difference(runs):
    rows = _rows(runs)
    # The distance to the closed form: its fall from the first epoch to the last, paired.
    distances = [
        [h["distance_to_analytic"] for h in _read(runs[s]["q2.2a"], "metrics.json")["history"]]
        for s in SEEDS
    ]
    falls = rows["q2.2a", "distance to the analytic solution falls"]
    by_hand = paired_difference([d[0] for d in distances], [d[-1] for d in distances])
    assert falls.interval == by_hand and falls.interval_of == "distance, first epoch − last"
    assert falls.ours.startswith("falls (mean " if by_hand.mean > 0 else "does not fall")

    # q4.1's best learning rate: the best mean validation accuracy, against the next best.
    sweeps = [_read(runs[s]["q4.1"], "sweep.json") for s in SEEDS]
    dev = {}
    for sweep in sweeps:
        for trial in sweep["trials"]:
            dev.setdefault(trial["config"]["learning_rate"], []).append(trial["final"]["dev_acc"])
    ranked = sorted(dev, key=lambda lr: -sum(dev[lr]) / 3)
    best = rows["q4.1", "best learning rate"]
    assert best.ours == ranked[0]
    assert best.per_seed == tuple(s["best"]["config"]["learning_rate"] for s in sweeps)
    assert best.interval == paired_difference(dev[ranked[0]], dev[ranked[1]])
    assert best.interval_of == f"validation accuracy, {ranked[0]} − {ranked[1]}"
    test_acc = [
        next(t for t in s["trials"] if t["config"]["learning_rate"] == ranked[0])["final"][
            "test_acc"
        ]
        for s in sweeps
    ]
    assert rows["q4.1", "test accuracy (best)"].per_seed == pytest.approx(test_acc)

    # q4.3: 3 against 2 layers from the defaults, paired over the seeds.
    depth = {2: [], 3: []}
    for seed in SEEDS:
        sweep = _read(runs[seed]["q4.3"], "sweep.json")
        rate = sweep["defaults"]["learning_rate"]
        for trial in sweep["trials"]:
            if trial["config"]["learning_rate"] == rate:
                assert trial["status"] == "ok"  # else the fixture's runs are too short
                depth[trial["config"]["layers"]].append(trial["final"]["dev_acc"])
    chosen, other = (3, 2) if sum(depth[3]) > sum(depth[2]) else (2, 3)
    row = rows["q4.3", f"chosen depth (learning rate {rate})"]
    assert row.ours == f"{chosen} layers"
    assert row.interval == paired_difference(depth[chosen], depth[other])
    assert row.interval_of == f"validation accuracy, {chosen} layers − {other} layers"


def test_one_seed_gives_the_rows_of_a_single_seed_report(runs):
    one = comparison.compare(_seed_results(runs, (42,)))
    plain = {
        name: _read(folder, "sweep.json" if name in SWEEPS else "metrics.json")
        for name, folder in runs[42].items()
    }
    before = comparison.compare(plain)  # the rows as a single-seed report computed them
    assert [(r.quantity, r.ours, r.verdict) for r in one] == [
        (r.quantity, r.ours, r.verdict) for r in before
    ]
    lowest = next(r for r in one if r.quantity == "epoch of the lowest test RMSE")
    assert isinstance(lowest.ours, int)  # not the float of a mean
    assert all(r.n_seeds in (0, 1) and r.to_json()["ci_low"] is None for r in one)


def _in_report(runs, out):
    """The runs copied into the report folder's cache, as a reproduction leaves them."""
    copied = {}
    for seed, folders in runs.items():
        for name, folder in folders.items():
            copied.setdefault(seed, {})[name] = out / "cache" / folder.name
            shutil.copytree(folder, copied[seed][name])
    return copied


def _build(runs, tmp_path, seeds):
    settings = ReportSettings(out=tmp_path, quick=True, seed=seeds[0], seeds=seeds)
    outcomes = _outcomes(_in_report(runs, tmp_path), seeds, out=tmp_path / "none")
    build.write_report(outcomes, settings, wall_seconds=1.0, ran=set())
    return json.loads((tmp_path / "summary.json").read_text()), outcomes


def _table(document, anchor):
    section = next(s for s in document.sections if s.anchor == anchor)
    return next(b for b in section.blocks if isinstance(b, Table))


def test_the_report_over_seeds_shows_intervals_and_per_seed_values(runs, tmp_path):
    summary, outcomes = _build(runs, tmp_path, SEEDS)
    row = next(r for r in summary["comparison"] if r["quantity"] == "train RMSE")
    assert (row["n_seeds"], row["seeds"]) == (3, list(SEEDS))
    assert row["ours"] == row["mean"] == pytest.approx(sum(row["per_seed"]) / 3)
    assert row["ci_low"] < row["mean"] < row["ci_high"]
    choice = next(r for r in summary["comparison"] if r["quantity"] == "best learning rate")
    assert choice["interval_of"] and len(choice["differences"]) == 3

    settings = ReportSettings(out=tmp_path, quick=True, seed=42, seeds=SEEDS)
    document, _, _ = build.build_document(
        outcomes, settings, wall_seconds=1.0, ran=set(),
        draw_dir=tmp_path / "draw",
    )  # fmt: skip
    table = _table(document, "comparison")
    assert table.header[3:5] == ["ours (mean of 3 seeds)", "95% interval"]
    ours = [cells[3] for cells in table.rows]
    shown = zip(ours, summary["comparison"], strict=True)
    assert all(isinstance(cell, Disclosure) for cell, r in shown if r["n_seeds"])
    page = render_html(document, tmp_path / "draw")
    assert parse_page(page).errors == []
    assert "<details" in page and "seed 1: " in page
    markdown = render_markdown(document)
    assert "- [1] q2.2a train RMSE, per seed: seed 42: " in markdown

    # The experiments' and sweeps' figures are drawn anew with a band, not copied.
    for name, own in (("q2.2a-figure1.png", runs[42]["q2.2a"] / "figure1.png"),
                      ("q4.1-sweep_dev_acc.png", runs[42]["q4.1"] / "sweep_dev_acc.png")):  # fmt: skip
        assert (tmp_path / "figures" / name).read_bytes() != own.read_bytes()
    assert "the shaded band spans the lowest to the highest seed" in markdown


def test_a_one_seed_report_is_unchanged(runs, tmp_path):
    summary, _ = _build(runs, tmp_path, (42,))
    assert {r["n_seeds"] for r in summary["comparison"]} <= {0, 1}
    assert all(r["ci_low"] is None and r["ci_high"] is None for r in summary["comparison"])
    text = (tmp_path / "REPORT.md").read_text()
    # The comparison table (the Ames sensitivity and the claims say what one seed cannot tell)
    table = text.rsplit("Comparison with the original report", 1)[1].split("\n## ", 1)[0]
    assert "95% interval" not in table and "per seed" not in table and "shaded band" not in text
    assert "| step | quantity | report | ours | difference | target | verdict |" in text
    for name, own in (("q2.2a-figure1.png", runs[42]["q2.2a"] / "figure1.png"),
                      ("q4.1-sweep_dev_acc.png", runs[42]["q4.1"] / "sweep_dev_acc.png")):  # fmt: skip
        assert (tmp_path / "figures" / name).read_bytes() == own.read_bytes()
    assert not any(
        math.isnan(r["ours"]) for r in summary["comparison"] if isinstance(r["ours"], float)
    )
