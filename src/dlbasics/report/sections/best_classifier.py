"""The best classifier's section: its confusion matrix and the test images it got wrong."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from dlbasics.documents.document import Figure, Note, Paragraph, Section
from dlbasics.report import figures
from dlbasics.report.load import StepData
from dlbasics.report.sections.common import FIGURES
from dlbasics.report.settings import ReportSettings
from dlbasics.results.staging import WRITE_ERRNOS


@dataclass(frozen=True)
class Classifier:
    step: str
    title: str
    test_acc: float
    labels: np.ndarray
    predictions: np.ndarray


def classifiers(steps: list[StepData]) -> list[Classifier]:
    """Every finished classifier that saved its test predictions."""
    found = []
    for data in steps:
        if data.outcome.status != "ok":
            continue
        labels, predictions = data.arrays.get("test_labels"), data.arrays.get("test_predictions")
        test_acc = ((data.metrics or {}).get("final") or {}).get("test_acc")
        if labels is None or predictions is None or test_acc is None:
            continue
        found.append(
            Classifier(data.name, data.outcome.step.title, float(test_acc), labels, predictions)
        )
    return found


def best_classifier_section(
    steps: list[StepData], settings: ReportSettings, draw_dir: Path | None = None
) -> Section:
    """The confusion matrix of the classifier with the highest test accuracy, and a grid of the
    test images it got wrong (drawn into ``draw_dir/figures``; default: ``settings.out``)."""
    draw_dir, class_names = draw_dir or settings.out, settings.class_names
    section = Section("best-classifier", "The best classifier: what it confuses")
    candidates = classifiers(steps)
    if not candidates:
        return section.add(
            Note("No finished classifier saved its test predictions in this reproduction.", "warn")
        )
    best = max(candidates, key=lambda c: c.test_acc)
    others = ", ".join(f"{c.step} {c.test_acc:.4f}" for c in candidates if c is not best)
    section.add(
        Paragraph(
            f"Highest test accuracy among the classifiers that saved their test predictions: "
            f"**{best.step}** ({best.title}), {best.test_acc:.4f}"
            + (f" (others: {others})." if others else ".")
        )
    )
    name = "best-confusion.png"
    figures.confusion_figure(
        best.labels,
        best.predictions,
        class_names,
        draw_dir / FIGURES / name,
        title=f"{best.step}: confusion matrix on the test set",
    )
    section.add(
        Figure(
            Path(FIGURES) / name,
            "Confusion matrix on the test set: row = true class, column = predicted class; "
            "numbers are counts, colour the share of the true class.",
            alt="confusion matrix",
        )
    )
    try:
        if settings.test_images is None:
            raise LookupError("no test images were given to the report")
        images = settings.test_images()
        name = "best-misclassified.png"
        figures.misclassified_figure(
            images,
            best.labels,
            best.predictions,
            class_names,
            draw_dir / FIGURES / name,
            title=f"{best.step}: misclassified test images (first 24 in test order)",
        )
        section.add(
            Figure(
                Path(FIGURES) / name,
                "Test images the best classifier got wrong, with the true and the predicted label.",
                alt="misclassified test images",
            )
        )
    except Exception as error:  # the images are a picture, not a result: say why, go on
        if isinstance(error, OSError) and error.errno in WRITE_ERRNOS:
            raise  # but a full disk fails the whole report, not just this picture
        section.add(Note(f"Misclassified images unavailable: {error}", "warn"))
    return section
