"""The comparison table: every figure of the original report, and verdicts that can fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlbasics.report import comparison

SHARED_VALUES = Path(__file__).resolve().parents[3] / "shared" / "reference" / "report-values.json"


def test_packaged_values_equal_the_reference_copy():
    values = comparison.load_report_values()
    if not SHARED_VALUES.exists():
        pytest.skip(f"reference copy {SHARED_VALUES} not beside the checkout")
    assert values == json.loads(SHARED_VALUES.read_text())


def _rows_by_name(rows):
    return {(row.step, row.quantity): row for row in rows}


def test_every_figure_of_the_report_has_a_row_and_missing_results_say_so():
    values = comparison.load_report_values()
    rows = comparison.compare({}, values)
    steps = {row.step for row in rows}
    assert steps == {key for key in values if key.startswith("q")}
    reported = [row for row in rows if row.report is not None]
    # 2 + 2 (q2.2) + 3 x 2 (q3) + 2 x 4 (q4.1, q4.2) + 2 x 3 + 2 + 1 (q4.3), two curve checks
    assert len(rows) == 4 + 6 + 8 + 9 + 2
    assert len(reported) == len(rows)
    assert {row.verdict for row in rows} == {"missing"}


def _sweep(trials, best_index):
    return {
        "trials": trials,
        "best": {"config": trials[best_index]["config"], "final": trials[best_index]["final"]},
    }


def _trial(lr, dev, test, layers=1, losses=(0.5, 0.3)):
    return {
        "config": {"learning_rate": lr, "layers": layers, "epochs": 2},
        "final": {"train_loss": losses[-1], "dev_acc": dev, "test_acc": test},
        "history": [{"epoch": i + 1, "train_loss": x} for i, x in enumerate(losses)],
        "status": "ok",
    }


def test_verdicts_follow_the_issue_targets():
    results = {
        "q2.2a": {
            "final": {"train_rmse": 0.12, "test_rmse": 0.20},
            "history": [
                {"epoch": 1, "test_rmse": 0.3, "distance_to_analytic": 5.0},
                {"epoch": 2, "test_rmse": 0.2, "distance_to_analytic": 3.0},
                {"epoch": 3, "test_rmse": 0.25, "distance_to_analytic": 2.0},
            ],
        },
        "q2.2b": {"final": {"train_rmse": 0.1, "test_rmse": 0.181}},  # 0.165 +- 0.015: FAIL
        "q3.1a": {"final": {"dev_acc": 0.71, "test_acc": 0.69}},  # below 0.70: FAIL
        "q3.1b": {"final": {"dev_acc": 0.85, "test_acc": 0.854}},  # within 0.84 +- 0.015
        "q3.2b": {"final": {"dev_acc": 0.88, "test_acc": 0.87}},
        "q4.1": _sweep([_trial(0.001, 0.85, 0.84), _trial(0.01, 0.84, 0.83)], 0),
        "q4.2": _sweep([_trial(0.001, 0.88, 0.86), _trial(0.01, 0.89, 0.871)], 1),
        "q4.3": {
            **_sweep(
                [
                    _trial(0.001, 0.89, 0.88, layers=2),
                    _trial(0.001, 0.88, 0.879, layers=3),
                    _trial(0.01, 0.86, 0.85, layers=2),
                    _trial(0.01, 0.87, 0.878, layers=3),
                ],
                0,
            ),
            "base": {"config": {"learning_rate": 0.001, "layers": 1}},
            "defaults": {"learning_rate": 0.01, "layers": 1, "epochs": 2},
        },
    }
    rows = _rows_by_name(comparison.compare(results))
    verdict = {key: row.verdict for key, row in rows.items()}
    assert verdict["q2.2a", "train RMSE"] == "PASS"
    assert verdict["q2.2a", "test RMSE"] == "info"
    assert verdict["q2.2a", "distance to the analytic solution falls"] == "PASS"
    assert rows["q2.2a", "epoch of the lowest test RMSE"].ours == 2
    assert verdict["q2.2b", "test RMSE"] == "FAIL"
    assert rows["q2.2b", "test RMSE"].target.text == "0.165 ± 0.015"  # the report's own number
    assert verdict["q3.1a", "test accuracy"] == "FAIL"
    assert verdict["q3.1b", "test accuracy"] == "PASS"
    assert verdict["q3.2b", "test accuracy"] == "PASS"
    assert verdict["q4.1", "best learning rate"] == "PASS"
    assert verdict["q4.1", "test accuracy (best)"] == "PASS"
    assert verdict["q4.2", "test accuracy (best)"] == "PASS"
    # The training loss the report printed is the mean over all epochs.
    assert rows["q4.1", "training loss, mean over epochs (best)"].ours == pytest.approx(0.4)
    # q4.3: the report's numbers against the trials from the defaults (learning rate 0.01) ...
    assert verdict["q4.3", "test accuracy, 2 layers, learning rate 0.01"] == "PASS"  # vs 0.8613
    assert verdict["q4.3", "test accuracy, 3 layers, learning rate 0.01"] == "FAIL"  # vs 0.8608
    assert rows["q4.3", "chosen depth (learning rate 0.01)"].ours == "3 layers"
    # ... and the trials from q4.2's best configuration beside them, unjudged.
    beside = rows["q4.3", "test accuracy, 2 layers from q4.2's best (learning rate 0.001)"]
    assert (beside.ours, beside.verdict) == (0.88, "info")
    assert rows["q3.1b", "test accuracy"].difference == pytest.approx(0.854 - 0.8403)

    # A quick run is not judged against full-data targets; a distance that grows fails.
    results["q2.2a"]["history"][-1]["distance_to_analytic"] = 9.0
    quick = _rows_by_name(comparison.compare(results, quick=True))
    assert quick["q3.1a", "test accuracy"].verdict == "quick run"
    full = _rows_by_name(comparison.compare(results))
    assert full["q2.2a", "distance to the analytic solution falls"].verdict == "FAIL"
    results["q2.2b"]["final"]["test_rmse"] = 0.179  # within 0.015 of the report's 0.165
    again = _rows_by_name(comparison.compare(results))
    assert again["q2.2b", "test RMSE"].verdict == "PASS"


@pytest.mark.parametrize(
    ("target", "value", "expected"),
    [
        (comparison.within(0.84, 0.015), 0.855, True),
        (comparison.within(0.84, 0.015), 0.8249, False),
        (comparison.at_least(0.86), 0.86, True),
        (comparison.at_least(0.86), 0.8599, False),
        (comparison.at_most(0.15), 0.151, False),
        (comparison.equals(0.001), 0.01, False),
    ],
)
def test_targets(target, value, expected):
    assert target.check(value) is expected
