"""The section of one experiment (Q2.2a ... Q3.2b): its figures, class templates and numbers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dlbasics.documents.document import Figure, Note, Section, Tone
from dlbasics.experiments import registry
from dlbasics.plotting.run_figures import draw_seeds_figure
from dlbasics.report import comparison, figures
from dlbasics.report.load import StepData
from dlbasics.report.sections.common import (
    FIGURES,
    anchor,
    copy_figure,
    numbers_table,
    outcome_notes,
    run_line,
    seed_band_caption,
)

# What the experiments' own figures show (file name -> caption), numbered as in the report.
FIGURE_CAPTIONS = {
    "figure1.png": "Figure 1. Left: distance between the SGD weights and the analytic "
    "(closed-form) solution per epoch. Right: train and test RMSE per epoch.",
    "figure2.png": "Figure 2. Train and test RMSE of the neural regression per epoch.",
    "figure3.png": "Figure 3. Train and validation accuracy of the perceptron per epoch.",
    "figure4.png": "Figure 4. Train and validation accuracy of logistic regression per epoch.",
    "figure5.png": "Figure 5. Train and validation accuracy of the multi-layer perceptron per epoch.",
}


def experiment_section(
    data: StepData,
    rows: list[comparison.Row],
    draw_dir: Path,
    class_names: tuple[str, ...],
    runs: list[dict[str, Any]] | None = None,
) -> Section:
    """The section of one experiment; ``runs``: its metrics in every seed (primary first).

    Over two or more seeds its per-epoch figure is drawn anew from the seeds' histories (the
    mean, shaded from the lowest to the highest seed); with one seed the run's own figure is
    shown as it was drawn.
    """
    outcome = data.outcome
    step = outcome.step
    section = Section(anchor(step.name), f"{step.numbering} — {step.title}")
    section.add(*outcome_notes(outcome))
    metrics = data.metrics or {}
    if metrics.get("status") not in (None, "ok") and metrics.get("message"):
        tone: Tone = "warn" if metrics["status"] == "stalled" else "fail"  # stalled: it finished
        section.add(Note(f"Run status `{metrics['status']}`: {metrics['message']}", tone))
    banded = _seed_figure(runs or [], draw_dir, step.name)
    for source in data.figures:
        caption = FIGURE_CAPTIONS.get(source.name, source.stem.replace("_", " "))
        name = f"{step.name}-{source.name}"
        if banded == source.name:
            path, caption = Path(FIGURES) / name, f"{caption} {seed_band_caption(len(runs or []))}"
        else:
            path = copy_figure(source, draw_dir, name)
        section.add(Figure(path, f"{caption} (ours)", alt=f"{step.name} {source.stem}"))
    templates = data.arrays.get("templates")
    if templates is not None:
        name = f"{step.name}-templates.png"
        figures.templates_figure(
            templates, class_names, draw_dir / FIGURES / name, title=f"{step.title}: weights"
        )
        section.add(
            Figure(
                Path(FIGURES) / name,
                "The learned weights of each class as a 28x28 template: red pixels vote for the "
                "class, blue against it.",
                alt=f"{step.name} class templates",
            )
        )
    if any(row.step == step.name for row in rows):
        section.add(numbers_table(rows, step.name))
    if outcome.status != "not run":
        section.add(run_line(outcome, metrics.get("config")))
    return section


def _seed_figure(runs: list[dict[str, Any]], draw_dir: Path, step: str) -> str | None:
    """Draw the experiment's figure over ``runs`` (two or more seeds) into the report's
    figures; returns the run figure's file name it stands for, or None (one seed, no figure)."""
    if len(runs) < 2 or not runs[0].get("experiment"):
        return None
    figure = registry.get(runs[0]["experiment"]).figure
    if figure is None:
        return None
    kind, name = figure
    drawn = draw_seeds_figure(kind, runs, draw_dir / FIGURES / f"{step}-{name}")
    return name if drawn else None
