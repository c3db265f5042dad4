"""Whether a finished run learned anything: the one rule that marks a run ``"stalled"``.

A run that stayed finite (status ``"ok"`` from :mod:`dlbasics.training.loop`) is *stalled* when

* its final validation accuracy is at chance level: at most ``chance + CHANCE_MARGIN``, where
  ``chance`` is one over the number of classes (classification runs only); or
* its training loss never fell below the first epoch's (runs of two epochs or more; the only
  rule for regression runs, which have no chance level).

The run still finished: it keeps its history and numbers, and the command still succeeds (so a
sweep goes on); the message names the likely cause, judged from the learning rate against the
experiment's usual one.

``CHANCE_MARGIN`` is 2 points of accuracy. A network that learned nothing predicts one class, or
classes at random, and scores about the share of a class in the validation set: 0.1 on the
balanced Fashion-MNIST, within a fraction of a point on its 10,000 validation images. The margin
covers that noise; a model that learned anything scores far above it.
"""

from __future__ import annotations

CHANCE_MARGIN = 0.02


def stall_message(
    history: list[dict[str, float]],
    *,
    accuracy: float | None = None,
    chance: float | None = None,
    learning_rate: float | None = None,
    usual_learning_rate: float | None = None,
) -> str:
    """Why the run of ``history`` learned nothing (cause, then evidence), or "" if it learned.

    ``accuracy``: its final validation accuracy; ``chance``: the chance level of its task (None
    for regression); ``learning_rate`` and ``usual_learning_rate``: this run's and the
    experiment's default (None for a model without one).
    """
    if not history:
        return ""
    evidence = ""
    if chance is not None and accuracy is not None and accuracy <= chance + CHANCE_MARGIN:
        evidence = f"final validation accuracy {accuracy:.3f} is chance level ({chance:.3f})"
    elif len(history) >= 2:
        first = history[0]["train_loss"]
        if min(record["train_loss"] for record in history[1:]) >= first:
            evidence = (
                f"the training loss never fell below epoch 1's ({first:.4g}) "
                f"in {len(history)} epochs"
            )
    if not evidence:
        return ""
    return f"{_likely_cause(len(history), learning_rate, usual_learning_rate)}: {evidence}"


def _likely_cause(epochs: int, learning_rate: float | None, usual: float | None) -> str:
    if learning_rate is not None and usual is not None and learning_rate != usual:
        size = "large" if learning_rate > usual else "small"
        return f"learning rate {learning_rate:g} is probably too {size}"
    if epochs == 1:
        return "1 epoch is probably too few for these settings"
    return f"{epochs} epochs are probably too few for these settings"
