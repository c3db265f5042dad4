"""The runner's bookkeeping: limits before anything loads, the stalled verdict, the output folder."""

from __future__ import annotations

import json

import pytest

from dlbasics.errors import ConfigError
from dlbasics.experiments.runner import run_experiment, run_files
from tests.experiments.synthetic import SyntheticData


class NoData:
    """Data that fails the test if an experiment touches it: the checks come first."""

    limit = None

    def fashion_mnist(self, **_: object) -> None:
        raise AssertionError("the data was loaded before the configuration was checked")

    ames = fashion_mnist


@pytest.mark.parametrize(
    ("overrides", "seed", "message"),
    [
        ({"hidden_size": 1_000_000, "layers": 1_000}, 42, "needs about .* for the weights"),
        ({}, -1, "invalid --seed -1: must be an integer >= 0"),
        ({"epochs": 99999999999999999999}, 42, "invalid --epochs 99999999999999999999"),
    ],
)
def test_limits_are_checked_before_the_data_loads(overrides, seed, message, tmp_path):
    with pytest.raises(ConfigError, match=message):
        run_experiment("q3.2b", overrides, seed=seed, data=NoData(), out_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_a_run_at_chance_level_is_stalled_with_its_likely_cause(tmp_path):
    metrics = run_experiment(
        "q3.2b", {"epochs": 1, "learning_rate": 50.0}, data=SyntheticData(), out_dir=tmp_path
    )
    assert metrics["status"] == "stalled"
    assert metrics["message"].startswith("learning rate 50 is probably too large: final valid")
    on_disk = json.loads((tmp_path / "metrics.json").read_text())
    assert on_disk["status"] == "stalled" and on_disk["message"] == metrics["message"]
    assert (tmp_path / "figure5.png").exists()  # it finished: every file is written


def test_a_regression_whose_loss_never_fell_is_stalled():
    metrics = run_experiment(
        "q2.2a", {"epochs": 3, "learning_rate": 0.7}, data=SyntheticData(), out_dir=None
    )  # growing, still finite after 3 epochs
    assert metrics["status"] == "stalled"
    assert (
        "learning rate 0.7 is probably too large: the training loss never fell"
        in (metrics["message"])
    )


def test_a_rerun_leaves_no_file_of_the_previous_run(tmp_path):
    out = tmp_path / "run"
    run_experiment("q4-logreg", {"epochs": 1}, engine="torch", data=SyntheticData(), out_dir=out)
    assert (out / "model.pt").is_file()
    run_experiment("q2.2a", {"epochs": 1}, data=SyntheticData(), out_dir=out)
    names = ["arrays.npz", "figure1.png", "metrics.json", "model.json", "model.npz"]
    assert sorted(p.name for p in out.iterdir()) == names
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no staging folder left


def test_a_folder_holding_other_files_keeps_them_and_loses_only_the_old_run(tmp_path):
    (tmp_path / "started.json").write_text("{}")
    (tmp_path / "notes.txt").write_text("mine")
    run_experiment("q3.1b", {"epochs": 1}, data=SyntheticData(), out_dir=tmp_path)
    diverged = run_experiment(
        "q2.2a", {"epochs": 5, "learning_rate": 1e4}, data=SyntheticData(), out_dir=tmp_path
    )
    assert diverged["status"] == "diverged"
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["metrics.json", "notes.txt", "started.json"]  # no stale arrays or figure
    assert json.loads((tmp_path / "metrics.json").read_text())["experiment"] == "q2.2a"


def test_run_files_name_every_experiments_figure():
    assert {"metrics.json", "arrays.npz", "figure1.png", "figure7.png"} <= run_files()
    assert {"model.json", "model.npz", "model.pt"} <= run_files()
