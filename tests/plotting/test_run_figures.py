"""The figures of one run: every kind an experiment can name is drawn from its metrics."""

from __future__ import annotations

import pytest

from dlbasics.experiments import registry
from dlbasics.plotting.run_figures import FIGURE_KINDS, draw_run_figure, figure_title

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
