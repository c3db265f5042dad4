"""The report's conclusions, each in its own words, with the quantity that tests it.

The nine claims of issue 13, in 19 rows: a claim with several parts is several rows. Each
quantity is a function of one seed's results of the claim's steps (see
:mod:`dlbasics.report.measure` for how a row is measured over the seeds and how its interval
becomes a verdict: ``above`` claims hold when the interval lies above 0; the "no better"
claim 6 holds when the interval lies below its margin; the "almost as well" claim 4 holds
when the interval lies inside its band, fails when it lies wholly outside, and cannot be told
apart when it straddles an edge). docs/claims.md gives each quantity and margin its reason.

The words are the report's, verbatim; ``[...]`` marks what we added to say which question a
sentence belongs to, and ``…`` joins two sentences from different places.

Conventions: the quantities of Q2 are RMSEs (the report's "loss" of Q2 is the RMSE: it
printed 0.111 and 0.238 for linear regression); "x% better (lower)" is the report's own
arithmetic, ``linear / network - 1`` (0.111 / 0.099 - 1 = 0.12 and 0.238 / 0.165 - 1 = 0.44);
"best" is by validation accuracy (the report's rule); Q4's training loss is the mean over the
epochs (what the report printed, as in the comparison table).
"""

from __future__ import annotations

from typing import Any

from dlbasics.report.load import SeedResults
from dlbasics.report.measure import (
    Claim,
    Magnitude,
    Measure,
    Measured,
    Results,
    by_learning_rate,
    curve,
    depth,
    final,
    mean_loss,
    measure,
)

# Margins (docs/claims.md says why these values).
ALMOST_AS_WELL = 0.10  # claim 4: test RMSEs within 10% of each other
NO_BETTER = 0.01  # claim 6: at most 1 point of test accuracy better
REPORT_RATE = 0.001  # the learning rate the report found best in Q4.1 and Q4.2

_OVERFITTING = (
    "What we see here is that until around epoch 70, the test loss decreases, as well as the "
    "training loss. Then, roughly after epoch 70, while the training loss continues to "
    "decrease, the test loss doesn't, it even increases!"
)
_RELATIVE = (
    "With the neural network, the train set loss is 12% better (lower) than with the linear "
    "regression and 45% better for the test set loss."
)
_DEPTH = (
    "As such, the best model is the one with 3 layers, even though the lowest training loss "
    "and the best final test accuracy were both obtained with 2 layers."
)
_BEST_RATE_Q41 = (
    "Regarding the best configuration (the one that performed the best on the validation "
    "set), we found it using as learning rate the value 0.001."
)
_BEST_RATE_Q42 = (
    "Regarding the best configuration (the one that performed the best on the validation "
    "set), we found it also using as learning rate the value 0.001."
)


def _lowest_test_epoch(r: Results) -> tuple[int, float, int] | None:
    """(epoch of the lowest test RMSE, that RMSE, the last epoch) of q2.2a."""
    points = curve(r[0], "test_rmse")
    if not points:
        return None
    epoch, value = min(points, key=lambda p: p[1])
    return epoch, value, points[-1][0]


def _epochs_after_lowest(r: Results) -> float | None:
    found = _lowest_test_epoch(r)
    return None if found is None else float(found[2] - found[0])


def _lowest_epoch(r: Results) -> float | None:
    found = _lowest_test_epoch(r)
    return None if found is None else float(found[0])


def _test_rise(r: Results) -> float | None:
    found = _lowest_test_epoch(r)
    points = curve(r[0], "test_rmse")
    return None if found is None else points[-1][1] - found[1]


def _train_fall_after_lowest(r: Results) -> float | None:
    found = _lowest_test_epoch(r)
    train = dict(curve(r[0], "train_rmse"))
    if found is None or found[0] not in train or found[2] not in train:
        return None
    return train[found[0]] - train[found[2]]


def _distance_fall(r: Results) -> float | None:
    distances = curve(r[0], "distance_to_analytic")
    if len(distances) < 2 or distances[0][1] == 0:
        return None
    return 1 - distances[-1][1] / distances[0][1]


def _relative(metric: str) -> Measure:
    """``q2.2a / q2.2b - 1`` of a final RMSE: how much higher linear regression's is."""

    def quantity(r: Results) -> float | None:
        linear, network = final(r[0], metric), final(r[1], metric)
        if linear is None or not network:
            return None
        return linear / network - 1

    return quantity


def _difference(metric: str) -> Measure:
    """``first - second`` of a final metric of two experiments."""

    def quantity(r: Results) -> float | None:
        a, b = final(r[0], metric), final(r[1], metric)
        return None if a is None or b is None else a - b

    return quantity


def _rate_margin(r: Results) -> float | None:
    """Validation accuracy at the report's learning rate minus the best of the other rates."""
    trials = by_learning_rate(r[0])
    others = [final(t, "dev_acc") or 0.0 for rate, t in trials.items() if rate != REPORT_RATE]
    if REPORT_RATE not in trials or not others:
        return None
    return (final(trials[REPORT_RATE], "dev_acc") or 0.0) - max(others)


def _best_test(sweep: dict[str, Any]) -> float | None:
    return final(sweep.get("best") or {}, "test_acc")


def _ffn_beats_logreg(r: Results) -> float | None:
    ffn, logreg = _best_test(r[0]), _best_test(r[1])
    return None if ffn is None or logreg is None else ffn - logreg


def _depth_difference(start: str, metric: str, deeper_first: bool) -> Measure:
    """A metric of q4.3's 3-layer trial minus its 2-layer one (or the reverse), from
    ``start``; ``train_loss`` is the mean over epochs."""

    def quantity(r: Results) -> float | None:
        two, three = depth(r[0], start, 2), depth(r[0], start, 3)
        if two is None or three is None:
            return None
        if metric == "train_loss":
            a, b = mean_loss(three), mean_loss(two)
        else:
            a, b = final(three, metric), final(two, metric)
        if a is None or b is None:
            return None
        return a - b if deeper_first else b - a

    return quantity


def _depth_claims(start: str, label: str, suffixes: str) -> tuple[Claim, ...]:
    steps = ("q4.3",)
    return (
        Claim(
            f"9{suffixes[0]}",
            _DEPTH,
            f"validation accuracy, 3 layers - 2 layers (from {label})",
            steps,
            _depth_difference(start, "dev_acc", deeper_first=True),
        ),
        Claim(
            f"9{suffixes[1]}",
            _DEPTH,
            f"training loss (mean over epochs), 3 layers - 2 layers (from {label})",
            steps,
            _depth_difference(start, "train_loss", deeper_first=True),
        ),
        Claim(
            f"9{suffixes[2]}",
            _DEPTH,
            f"test accuracy, 2 layers - 3 layers (from {label})",
            steps,
            _depth_difference(start, "test_acc", deeper_first=False),
        ),
    )


CLAIMS: tuple[Claim, ...] = (
    Claim(
        "1a",
        _OVERFITTING,
        "epochs after the lowest test RMSE (last epoch - its epoch), q2.2a",
        ("q2.2a",),
        _epochs_after_lowest,
        magnitude=Magnitude(70, "epoch of the lowest test RMSE", _lowest_epoch),
    ),
    Claim(
        "1b",
        _OVERFITTING,
        "rise of the test RMSE after its lowest (last - lowest), q2.2a",
        ("q2.2a",),
        _test_rise,
    ),
    Claim(
        "1c",
        _OVERFITTING,
        "fall of the train RMSE after the lowest test RMSE (then - last), q2.2a",
        ("q2.2a",),
        _train_fall_after_lowest,
    ),
    Claim(
        "2",
        "Figure 1: Left: the distance for linear regression between the analytical and "
        "non-analytical methods.",
        "fall of the distance to the closed-form weights, first to last epoch (1 - last / "
        "first), q2.2a",
        ("q2.2a",),
        _distance_fall,
    ),
    Claim(
        "3a",
        _RELATIVE,
        "train RMSE, q2.2a / q2.2b - 1",
        ("q2.2a", "q2.2b"),
        _relative("train_rmse"),
        magnitude=Magnitude(0.12, "train RMSE, q2.2a / q2.2b - 1"),
    ),
    Claim(
        "3b",
        _RELATIVE,
        "test RMSE, q2.2a / q2.2b - 1",
        ("q2.2a", "q2.2b"),
        _relative("test_rmse"),
        magnitude=Magnitude(0.45, "test RMSE, q2.2a / q2.2b - 1"),
    ),
    Claim(
        "4",
        "In this specific case, where the two models perform almost as well, the linear "
        "regression, since it is simpler, probably would be the best fit for real-world "
        "deployment circumstances.",
        "test RMSE, q2.2a / q2.2b - 1",
        ("q2.2a", "q2.2b"),
        _relative("test_rmse"),
        test="within",
        margin=ALMOST_AS_WELL,
    ),
    Claim(
        "5a",
        "As such, we can gain much more predictive power by combining multiple perceptrons.",
        "test accuracy, q3.2b (MLP) - q3.1b (logistic regression)",
        ("q3.2b", "q3.1b"),
        _difference("test_acc"),
    ),
    Claim(
        "5b",
        "[Q3.1a] Obtained accuracy for validation set: 0.7126 | for test set: 0.7013 … "
        "[Q3.1b] Obtained accuracy for validation set: 0.8503 | for test set: 0.8403",
        "test accuracy, q3.1b (logistic regression) - q3.1a (perceptron)",
        ("q3.1b", "q3.1a"),
        _difference("test_acc"),
    ),
    Claim(
        "6",
        "This means that a multilayer perceptron with linear activation functions in all "
        "neurons, no matter how many layers it has, can be reduced to a two-layer "
        "input-output model [1] since adding those layers would just give another linear "
        "function.",
        "test accuracy, q3.2a (MLP, identity activation) - q3.1b (logistic regression)",
        ("q3.2a", "q3.1b"),
        _difference("test_acc"),
        test="below",
        margin=NO_BETTER,
    ),
    Claim(
        "7",
        _BEST_RATE_Q41,
        "validation accuracy at learning rate 0.001 - the best other rate, q4.1",
        ("q4.1",),
        _rate_margin,
    ),
    Claim(
        "8a",
        _BEST_RATE_Q42,
        "validation accuracy at learning rate 0.001 - the best other rate, q4.2",
        ("q4.2",),
        _rate_margin,
    ),
    Claim(
        "8b",
        "[Q4.2] For the final test accuracy the value obtained is 0.8774. … "
        "[Q4.1] For the final test accuracy the value obtained is 0.8402.",
        "test accuracy of the best configuration, q4.2 - q4.1",
        ("q4.2", "q4.1"),
        _ffn_beats_logreg,
    ),
    *_depth_claims("defaults", "the defaults, the report's numbers", "abc"),
    *_depth_claims("best", "q4.2's best", "def"),
)


def measure_all(
    results: SeedResults, claims: tuple[Claim, ...] = CLAIMS
) -> tuple[list[Measured], list[str]]:
    """Every claim measured over the seeds, and a note for each one left out.

    Parameters
    ----------
    results : SeedResults
        Each step's per-seed results.
    claims : tuple of Claim
        The claims to measure (default: :data:`CLAIMS`).

    Returns
    -------
    tuple of (list of Measured, list of str)
        The measured rows in the order of ``claims``, and one note per claim whose steps
        finished on no seed (such a claim gets no row: "not measured" is not a verdict).
    """
    measured, notes = [], []
    for claim in claims:
        row = measure(claim, results)
        if row is not None:
            measured.append(row)
            continue
        missing = [step for step in claim.steps if not results.of(step)]
        why = f"{', '.join(missing)} did not finish" if missing else "its quantity is undefined"
        notes.append(f"Claim {claim.id} is not measured: {why} in this reproduction.")
    return measured, notes
