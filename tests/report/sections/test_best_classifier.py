"""The best classifier's section takes its class names and test images from the settings."""

from __future__ import annotations

import numpy as np

from dlbasics.documents.document import Figure, Note
from dlbasics.report.load import StepData
from dlbasics.report.sections.best_classifier import best_classifier_section
from dlbasics.report.settings import ReportSettings
from dlbasics.results.steps import Step, StepOutcome

CLASSES = tuple(f"class {i}" for i in range(10))


def _classifier(tmp_path) -> StepData:
    step = Step("q3.1b", "experiment", "Q3.1b", "Logistic regression", "q3.1b")
    labels = np.arange(30) % 10
    predictions = labels.copy()
    predictions[:5] = (predictions[:5] + 1) % 10
    return StepData(
        StepOutcome(step, "ok", {}, tmp_path / "cache"),
        metrics={"final": {"test_acc": 25 / 30}},
        arrays={"test_labels": labels, "test_predictions": predictions},
    )


def test_the_misclassified_images_come_from_the_settings(tmp_path):
    calls = []

    def images() -> np.ndarray:
        calls.append(1)
        return np.random.default_rng(0).random((30, 784))

    settings = ReportSettings(out=tmp_path, class_names=CLASSES, test_images=images)
    section = best_classifier_section([_classifier(tmp_path)], settings)
    shown = [block.path.name for block in section.blocks if isinstance(block, Figure)]
    assert shown == ["best-confusion.png", "best-misclassified.png"] and calls == [1]
    assert (tmp_path / "figures" / "best-misclassified.png").exists()


def test_without_test_images_the_section_says_why_and_goes_on(tmp_path):
    settings = ReportSettings(out=tmp_path, class_names=CLASSES)
    section = best_classifier_section([_classifier(tmp_path)], settings)
    notes = [block.text for block in section.blocks if isinstance(block, Note)]
    assert any("Misclassified images unavailable" in text for text in notes)
    assert (tmp_path / "figures" / "best-confusion.png").exists()
