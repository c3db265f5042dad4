"""The stalled-run rule: chance-level accuracy, or a training loss that never fell."""

from __future__ import annotations

import pytest

from dlbasics.training.verdict import CHANCE_MARGIN, stall_message


def history(*losses: float) -> list[dict[str, float]]:
    return [{"epoch": i + 1, "train_loss": loss} for i, loss in enumerate(losses)]


def test_chance_level_accuracy_is_stalled_and_names_a_too_large_learning_rate():
    message = stall_message(
        history(686.4), accuracy=0.1015, chance=0.1, learning_rate=50.0, usual_learning_rate=0.001
    )
    assert message == (
        "learning rate 50 is probably too large: "
        "final validation accuracy 0.102 is chance level (0.100)"
    )


def test_the_margin_is_inclusive_and_above_it_the_run_learned():
    at_margin = stall_message(history(1.0), accuracy=0.1 + CHANCE_MARGIN, chance=0.1)
    assert "chance level" in at_margin
    assert stall_message(history(1.0), accuracy=0.1 + CHANCE_MARGIN + 1e-3, chance=0.1) == ""


def test_a_loss_that_never_fell_below_the_first_epoch_is_stalled():
    message = stall_message(history(2.3, 2.3, 2.4), learning_rate=1e-9, usual_learning_rate=1e-3)
    assert message == (
        "learning rate 1e-09 is probably too small: "
        "the training loss never fell below epoch 1's (2.3) in 3 epochs"
    )
    assert stall_message(history(2.3, 2.4, 2.29)) == ""  # it fell, once is enough


def test_the_usual_learning_rate_points_at_the_epochs():
    message = stall_message(
        history(95.2, 72.0), accuracy=0.09, chance=0.1, learning_rate=1e-3, usual_learning_rate=1e-3
    )
    assert message.startswith("2 epochs are probably too few for these settings: final")
    assert stall_message(history(5.0), accuracy=0.05, chance=0.1).startswith("1 epoch is")


@pytest.mark.parametrize(
    "kwargs",
    [
        {},  # regression, one epoch: nothing to judge by
        {"accuracy": 0.8, "chance": 0.1},
        {"accuracy": None, "chance": 0.1},
    ],
)
def test_runs_that_learned_or_cannot_be_judged_are_not_stalled(kwargs):
    assert stall_message(history(1.0), **kwargs) == ""
    assert stall_message([], **kwargs) == ""
