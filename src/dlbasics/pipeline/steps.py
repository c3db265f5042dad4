"""The steps of the reproduction, in the report's order, and what --quick changes in them."""

from __future__ import annotations

from dlbasics.results.steps import Step, StepKind

__all__ = ["STEPS", "STEP_NAMES", "BY_NAME", "Step", "StepKind"]

STEPS: tuple[Step, ...] = (
    Step("verify-math", "verify-math", "Q1, Q2.1, Q3.2a", "The derivations, checked numerically"),
    Step("q2.2a", "experiment", "Q2.2a", "Linear regression on Ames", "q2.2a"),
    Step("q2.2b", "experiment", "Q2.2b", "Neural regression on Ames", "q2.2b"),
    *(
        # The Ames sensitivity: Q2.2 under the other featurisations (docs/ames.md).
        Step(
            f"{name}-{features}",
            "experiment",
            numbering,
            f"{title} ({features} features)",
            name,
            overrides=(("features", features),),
            supplementary=True,
        )
        for features in ("zscore", "homework")
        for name, numbering, title in (
            ("q2.2a", "Q2.2a", "Linear regression on Ames"),
            ("q2.2b", "Q2.2b", "Neural regression on Ames"),
        )
    ),
    Step("q3.1a", "experiment", "Q3.1a", "Perceptron on Fashion-MNIST", "q3.1a"),
    Step("q3.1b", "experiment", "Q3.1b", "Logistic regression on Fashion-MNIST", "q3.1b"),
    Step("q3.2b", "experiment", "Q3.2b", "Multi-layer perceptron on Fashion-MNIST", "q3.2b"),
    Step(
        "q3.2a",
        "experiment",
        "Q3.2a",
        "The MLP without a non-linearity (identity activation)",
        "q3.2b",
        overrides=(("activation", "identity"),),
        supplementary=True,
    ),
    Step("q4.1", "sweep", "Q4.1", "Q4 logistic regression: learning-rate sweep", "q4-logreg"),
    Step("q4.2", "sweep", "Q4.2", "Q4 feed-forward network: learning-rate sweep", "q4-ffn"),
    Step(
        "q4.3",
        "sweep",
        "Q4.3",
        "Q4 feed-forward network: 2 and 3 hidden layers",
        "q4-ffn",
        ("q4.2",),
    ),
)
STEP_NAMES = tuple(step.name for step in STEPS)
BY_NAME = {step.name: step for step in STEPS}

# --quick: a subset of every split and a few epochs, enough to run every code path.
QUICK_LIMIT = 600
QUICK_EPOCHS = {step.name: 5 for step in STEPS if step.experiment in ("q2.2a", "q2.2b")}
QUICK_DEFAULT_EPOCHS = 2
QUICK_VERIFY_CASES = 20
FULL_VERIFY_CASES = 200
