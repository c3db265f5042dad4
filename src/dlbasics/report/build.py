"""Assemble the reproduction report from the steps' records: REPORT.md, index.html, figures.

Input: the :class:`~dlbasics.results.steps.StepOutcome` of every step (its status and cache
folder, which holds ``metrics.json``/``arrays.npz``/figures of an experiment, ``sweep.json`` and
figures of a sweep, or ``verify-math.json``) and the :class:`~dlbasics.report.settings.ReportSettings`
of the reproduction. Output, in the report folder:

- ``figures/*.png``: the experiments' and sweeps' figures (the report's Figures 1-8), the class
  templates of the perceptron and logistic regression, the best classifier's confusion matrix and
  a grid of its misclassified test images;
- ``REPORT.md`` (linking the figures) and ``index.html`` (figures embedded, self-contained);
- ``summary.json``: every step's status and the comparison table, for scripts.
"""

from __future__ import annotations

from pathlib import Path

from dlbasics.documents.document import Document, Section
from dlbasics.documents.html import render_html
from dlbasics.documents.markdown import render_markdown
from dlbasics.report import comparison
from dlbasics.report.load import load_step
from dlbasics.report.sections.bench import bench_section
from dlbasics.report.sections.best_classifier import best_classifier_section
from dlbasics.report.sections.common import FIGURES
from dlbasics.report.sections.comparison_table import comparison_section
from dlbasics.report.sections.experiments import experiment_section
from dlbasics.report.sections.metadata import metadata_section
from dlbasics.report.sections.overview import intro
from dlbasics.report.sections.sweeps import sweep_section
from dlbasics.report.sections.verify_math import verify_math_section
from dlbasics.report.settings import ReportSettings
from dlbasics.results.io import read_json, write_json_atomic, write_text_atomic
from dlbasics.results.steps import StepOutcome


def build_document(
    outcomes: list[StepOutcome],
    settings: ReportSettings,
    *,
    wall_seconds: float,
    ran: set[str],
) -> tuple[Document, list[comparison.Row]]:
    """The report as a document (figures are drawn into ``settings.out/figures`` on the way)."""
    report_dir = settings.out
    (report_dir / FIGURES).mkdir(parents=True, exist_ok=True)
    steps = [load_step(outcome) for outcome in outcomes]
    results = {
        data.name: (data.sweep if data.outcome.step.kind == "sweep" else data.metrics)
        for data in steps
        if data.outcome.status == "ok"
    }
    rows = comparison.compare(results, quick=settings.quick)
    sections: list[Section] = []
    for data in steps:
        kind = data.outcome.step.kind
        if kind == "verify-math":
            sections.append(verify_math_section(data))
        elif kind == "experiment":
            sections.append(experiment_section(data, rows, report_dir, settings.class_names))
        else:
            sections.append(sweep_section(data, rows, report_dir))
    sections.append(best_classifier_section(steps, settings))
    sections.append(comparison_section(rows, settings.quick))
    bench = read_json(report_dir / "bench.json")
    if bench is not None:
        sections.append(bench_section(bench))
    sections.append(metadata_section(steps, settings, wall_seconds, ran))
    title = "Homework 1, reproduced" + (" (quick run)" if settings.quick else "")
    return Document(title, intro(steps, rows, settings.quick), sections), rows


def write_report(
    outcomes: list[StepOutcome],
    settings: ReportSettings,
    *,
    wall_seconds: float,
    ran: set[str],
) -> list[Path]:
    """Write REPORT.md, index.html and summary.json into ``settings.out``; returns their paths."""
    document, rows = build_document(outcomes, settings, wall_seconds=wall_seconds, ran=ran)
    out = settings.out
    markdown_path, html_path, summary_path = (
        out / "REPORT.md",
        out / "index.html",
        out / "summary.json",
    )
    write_text_atomic(markdown_path, render_markdown(document))
    write_text_atomic(html_path, render_html(document, out))
    write_json_atomic(
        summary_path,
        {
            "quick": settings.quick,
            "steps": [
                {
                    "step": o.step.name,
                    "status": o.status,
                    "error": o.error,
                    "engine": o.engine,
                    "wall_seconds": o.wall_seconds,
                    "cached": o.cached,
                    "folder": o.dir.relative_to(out).as_posix(),
                }
                for o in outcomes
            ],
            "comparison": [
                {
                    "step": r.step,
                    "quantity": r.quantity,
                    "report": r.report,
                    "ours": r.ours,
                    "difference": r.difference,
                    "target": r.target.text if r.target else None,
                    "verdict": r.verdict,
                }
                for r in rows
            ],
        },
    )
    _remove_stale_figures(out, document)
    return [markdown_path, html_path, summary_path]


def _remove_stale_figures(out: Path, document: Document) -> None:
    """Figures of an earlier report that this one no longer shows would only mislead."""
    used = {(out / figure.path).resolve() for figure in document.figures()}
    for path in (out / FIGURES).glob("*.png"):
        if path.resolve() not in used:
            path.unlink(missing_ok=True)
