"""Pictures of what the classifiers learned and got wrong, for the reproduction report.

- :func:`templates_figure`: a linear classifier's weights as ten 28x28 class templates;
- :func:`confusion_figure`: the confusion matrix of a classifier on the test set;
- :func:`misclassified_figure`: a grid of test images it got wrong, with true and predicted labels.

All figures are saved through :func:`dlbasics.plotting.plots.save_figure` (Agg, atomic PNG).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from dlbasics.plotting.plots import save_figure, subplots

IMAGE_SIDE = 28


def templates_figure(
    templates: np.ndarray, class_names: Sequence[str], path: str | Path, *, title: str = ""
) -> Path:
    """Draw each row of ``templates`` (n_classes, 784[+1]) as a 28x28 image.

    A linear classifier scores class k as ``w_k . x``, so ``w_k`` reshaped to the image grid shows
    which pixels vote for (red) or against (blue) class k. A trailing bias column is dropped. Each
    template gets its own symmetric colour scale (clipped at the 99th percentile of its absolute
    weights), so the picture shows the *shape* of the vote.
    """
    templates = np.asarray(templates, dtype=np.float64)
    pixels = IMAGE_SIDE * IMAGE_SIDE
    if templates.ndim != 2 or templates.shape[1] not in (pixels, pixels + 1):
        raise ValueError(f"templates must be (n_classes, {pixels}[+1]), got {templates.shape}")
    templates = templates[:, :pixels]
    n = templates.shape[0]
    columns = 5
    rows = -(-n // columns)
    fig, axes = subplots(rows, columns, figsize=(2.0 * columns, 2.45 * rows))
    for index, ax in enumerate(np.ravel(axes)):
        ax.axis("off")
        if index >= n:
            continue
        image = templates[index].reshape(IMAGE_SIDE, IMAGE_SIDE)
        # The 99th percentile, not the maximum: a few rarely-lit border pixels get extreme
        # weights and would wash out the rest of the template.
        scale = float(np.percentile(np.abs(image), 99)) or 1.0
        ax.imshow(image, cmap="RdBu_r", vmin=-scale, vmax=scale, interpolation="nearest")
        ax.set_title(_name(class_names, index), fontsize=10)
    if title:
        fig.suptitle(title)
    return save_figure(fig, path)


def confusion_matrix(labels: np.ndarray, predictions: np.ndarray, n_classes: int) -> np.ndarray:
    """``counts[i, j]`` = how many test examples of true class i were predicted as class j."""
    labels = np.asarray(labels, dtype=np.int64)
    predictions = np.asarray(predictions, dtype=np.int64)
    if labels.shape != predictions.shape:
        raise ValueError(f"{labels.shape[0]} labels but {predictions.shape[0]} predictions")
    counts = np.zeros((n_classes, n_classes), dtype=np.int64)
    np.add.at(counts, (labels, predictions), 1)
    return counts


def confusion_figure(
    labels: np.ndarray,
    predictions: np.ndarray,
    class_names: Sequence[str],
    path: str | Path,
    *,
    title: str = "",
) -> Path:
    """Counts in every cell; the colour is the share of the true class (row-normalised)."""
    n = len(class_names)
    counts = confusion_matrix(labels, predictions, n)
    totals = counts.sum(axis=1, keepdims=True)
    shares = counts / np.maximum(totals, 1)
    fig, ax = subplots(figsize=(8.2, 7.0))
    ax.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
    for i in range(n):
        for j in range(n):
            if counts[i, j]:
                color = "white" if shares[i, j] > 0.55 else "black"
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", fontsize=8, color=color)
    ax.set_xticks(range(n), [_name(class_names, j) for j in range(n)], rotation=40, ha="right")
    ax.set_yticks(range(n), [_name(class_names, i) for i in range(n)])
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    if title:
        ax.set_title(title)
    return save_figure(fig, path)


def misclassified_indices(labels: np.ndarray, predictions: np.ndarray, count: int) -> np.ndarray:
    """The first ``count`` test indices whose prediction is wrong (test order: reproducible)."""
    wrong = np.flatnonzero(np.asarray(labels) != np.asarray(predictions))
    return wrong[:count]


def misclassified_figure(
    images: np.ndarray,
    labels: np.ndarray,
    predictions: np.ndarray,
    class_names: Sequence[str],
    path: str | Path,
    *,
    count: int = 24,
    columns: int = 8,
    title: str = "",
) -> Path:
    """A grid of up to ``count`` wrongly classified test images, captioned true / predicted.

    ``images`` (n, 784[+1]) are the test inputs in the order of ``labels`` and ``predictions``.
    """
    images = np.asarray(images)
    if images.shape[0] != len(labels):
        raise ValueError(f"{images.shape[0]} test images but {len(labels)} labels")
    chosen = misclassified_indices(labels, predictions, count)
    shown = max(len(chosen), 1)
    columns = min(columns, shown)
    rows = -(-shown // columns)
    fig, axes = subplots(rows, columns, figsize=(1.45 * columns, 1.85 * rows), squeeze=False)
    for slot, ax in enumerate(np.ravel(axes)):
        ax.axis("off")
        if slot >= len(chosen):
            continue
        index = chosen[slot]
        image = images[index, : IMAGE_SIDE * IMAGE_SIDE].reshape(IMAGE_SIDE, IMAGE_SIDE)
        ax.imshow(image, cmap="gray_r", vmin=0.0, vmax=1.0, interpolation="nearest")
        true = _name(class_names, int(labels[index]))
        predicted = _name(class_names, int(predictions[index]))
        ax.set_title(f"true: {true}\npred: {predicted}", fontsize=7, color="#b00020")
    if not len(chosen):
        axes[0, 0].text(0.5, 0.5, "no misclassified\ntest images", ha="center", va="center")
    if title:
        fig.suptitle(title, fontsize=11)
    return save_figure(fig, path)


def _name(class_names: Sequence[str], index: int) -> str:
    return class_names[index] if 0 <= index < len(class_names) else str(index)
