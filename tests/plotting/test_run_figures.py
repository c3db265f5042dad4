"""The figures of one run: every kind an experiment can name is drawn from its metrics."""

from __future__ import annotations

import pytest

from dlbasics.experiments import registry
from dlbasics.plotting import plots
from dlbasics.plotting.run_figures import (
    FIGURE_KINDS,
    curves,
    draw_run_figure,
    draw_seeds_figure,
    figure_title,
)

PNG = b"\x89PNG\r\n\x1a\n"


def metrics(experiment: str, epochs: int = 3) -> dict:
    history = [
        {
            "epoch": e,
            "train_loss": 1.0 / e,
            "train_rmse": 0.3 / e,
            "test_rmse": 0.4 / e,
            "distance_to_analytic": 2.0 / e,
            "train_acc": 0.5 + 0.1 * e,
            "dev_acc": 0.5 + 0.09 * e,
            "test_acc": 0.5 + 0.08 * e,
        }
        for e in range(1, epochs + 1)
    ]
    return {
        "experiment": experiment,
        "title": "A title",
        "config": {"learning_rate": 0.01},
        "history": history,
    }


@pytest.mark.parametrize("name", registry.names())
def test_every_experiment_names_a_figure_kind_that_is_drawn(name, tmp_path):
    kind, filename = registry.get(name).figure
    assert kind in FIGURE_KINDS and filename.endswith(".png")
    [path] = draw_run_figure(kind, metrics(name), tmp_path / filename)
    assert path == tmp_path / filename and path.read_bytes().startswith(PNG)


def test_an_empty_history_draws_nothing(tmp_path):
    assert draw_run_figure("accuracy", metrics("q3.1a", epochs=0), tmp_path / "f.png") == []
    assert not (tmp_path / "f.png").exists()


def test_titles_name_the_question():
    assert figure_title({"experiment": "q3.1b", "title": "Logistic"}) == "Q3.1b: Logistic"


def test_curves_over_seeds_are_the_mean_with_a_min_max_band():
    runs = [metrics("q2.2b"), metrics("q2.2b"), metrics("q2.2b", epochs=2)]  # one stopped early
    for scale, run in zip((1.0, 2.0, 4.0), runs, strict=True):
        for record in run["history"]:
            record["test_rmse"] *= scale
    c = curves(runs, "test_rmse")
    assert c.epochs == [1.0, 2.0, 3.0]
    per_epoch = [[0.4 / e * s for s in (1, 2, 4)] for e in (1, 2)] + [[0.4 / 3 * s for s in (1, 2)]]
    assert c.mean["test_rmse"] == pytest.approx([sum(v) / len(v) for v in per_epoch])
    assert c.band["test_rmse"] == (
        pytest.approx([min(v) for v in per_epoch]),
        pytest.approx([max(v) for v in per_epoch]),
    )
    assert curves(runs[:1], "test_rmse").band == {}  # one run: no band


def test_one_seed_draws_the_run_figure_and_several_draw_a_band(tmp_path, monkeypatch):
    one = metrics("q2.2a")
    [single] = draw_run_figure("distance_and_rmse", one, tmp_path / "single.png")
    [seeds] = draw_seeds_figure("distance_and_rmse", [one], tmp_path / "seeds.png")
    assert single.read_bytes() == seeds.read_bytes()
    shaded = []
    original = plots.Axes.fill_between
    monkeypatch.setattr(
        plots.Axes, "fill_between", lambda ax, *a, **k: shaded.append(a) or original(ax, *a, **k)
    )
    other = metrics("q2.2a")
    other["history"] = [{**r, "test_rmse": r["test_rmse"] * 2} for r in other["history"]]
    [banded] = draw_seeds_figure("distance_and_rmse", [one, other], tmp_path / "banded.png")
    assert len(shaded) == 3  # distance, train and test RMSE
    assert banded.read_bytes() != single.read_bytes()
