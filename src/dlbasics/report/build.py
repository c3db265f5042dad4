"""Assemble the reproduction report from the steps' records: REPORT.md, index.html, figures.

Input: the :class:`~dlbasics.results.steps.StepOutcome` of every step (its status and cache
folder, which holds ``metrics.json``/``arrays.npz``/figures of an experiment, ``sweep.json`` and
figures of a sweep, or ``verify-math.json``) and the :class:`~dlbasics.report.settings.ReportSettings`
of the reproduction. Output, in the report folder:

- ``figures/*.png``: the experiments' and sweeps' figures (the report's Figures 1-8), the class
  templates of the perceptron and logistic regression, the best classifier's confusion matrix and
  a grid of its misclassified test images;
- ``REPORT.md`` (linking the figures) and ``index.html`` (figures embedded, self-contained);
- ``summary.json``: every step's status, the comparison table (each row with its mean, 95%
  interval and per-seed values over the seeds), the claims and the Ames sensitivity, for scripts.

They are all or nothing: drawn and written into a staging folder inside the report folder and
moved into place together at the end (:func:`dlbasics.results.staging.staged_files`, the
``figures/`` folder swapped whole, so no figure of an earlier report stays behind). A full disk
leaves the previous report whole, or none, and becomes one
:class:`~dlbasics.results.staging.OutputError` naming the report folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dlbasics.documents.document import Document, Section
from dlbasics.documents.html import render_html
from dlbasics.documents.markdown import render_markdown
from dlbasics.report import claims, comparison, sensitivity
from dlbasics.report.load import group_by_seed, load_step
from dlbasics.report.sections.bench import bench_section
from dlbasics.report.sections.best_classifier import best_classifier_section
from dlbasics.report.sections.claims import claims_section
from dlbasics.report.sections.common import FIGURES
from dlbasics.report.sections.comparison_table import comparison_section
from dlbasics.report.sections.experiments import experiment_section
from dlbasics.report.sections.metadata import metadata_section
from dlbasics.report.sections.overview import intro
from dlbasics.report.sections.sensitivity import sensitivity_section
from dlbasics.report.sections.sweeps import sweep_section
from dlbasics.report.sections.verify_math import verify_math_section
from dlbasics.report.settings import ReportSettings
from dlbasics.results.io import read_json, write_json_atomic, write_text_atomic
from dlbasics.results.staging import staged_files
from dlbasics.results.steps import StepOutcome


def build_document(
    outcomes: list[StepOutcome],
    settings: ReportSettings,
    *,
    wall_seconds: float,
    ran: set[str],
    draw_dir: Path | None = None,
) -> tuple[Document, list[comparison.Row], dict[str, Any]]:
    """The report as a document, its comparison rows and the other keys of summary.json;
    its figures are drawn on the way into ``draw_dir/figures`` (default: ``settings.out``),
    and its figure paths are relative to ``draw_dir``."""
    report_dir = settings.out
    draw_dir = draw_dir or report_dir
    (draw_dir / FIGURES).mkdir(parents=True, exist_ok=True)
    all_steps = [load_step(outcome) for outcome in outcomes]
    seed_results = group_by_seed(all_steps, settings.all_seeds)
    # Everything but the seed statistics (the comparison rows, the figures' bands) shows the
    # primary seed's runs.
    primary = settings.all_seeds[0]
    steps = [data for data in all_steps if data.outcome.seed in (None, primary)]
    rows = comparison.compare(seed_results, quick=settings.quick)
    sections: list[Section] = []
    for data in steps:
        if data.outcome.step.supplementary:  # read by the claims and the sensitivity study
            continue
        kind = data.outcome.step.kind
        if kind == "verify-math":
            sections.append(verify_math_section(data))
        elif kind == "experiment":
            runs = seed_results.of(data.name)
            sections.append(experiment_section(data, rows, draw_dir, settings.class_names, runs))
        else:
            sections.append(sweep_section(data, rows, draw_dir, seed_results.of(data.name)))
    sections.append(best_classifier_section(steps, settings, draw_dir))
    sections.append(sensitivity_section(seed_results, draw_dir))
    sections.append(comparison_section(rows, settings.quick))
    claim_rows, claim_notes = claims.measure_all(seed_results)
    sections.append(claims_section(claim_rows, claim_notes))
    summary: dict[str, Any] = {
        "claims": [row.to_json() for row in claim_rows],
        "ames_sensitivity": sensitivity.to_json(sensitivity.sensitivity(seed_results)),
    }
    bench = read_json(report_dir / "bench.json")
    if bench is not None:
        sections.append(bench_section(bench))
    sections.append(metadata_section(steps, settings, wall_seconds, ran))
    title = "Homework 1, reproduced" + (" (quick run)" if settings.quick else "")
    return Document(title, intro(steps, rows, settings.quick), sections), rows, summary


def write_report(
    outcomes: list[StepOutcome],
    settings: ReportSettings,
    *,
    wall_seconds: float,
    ran: set[str],
) -> list[Path]:
    """Write REPORT.md, index.html, summary.json and figures/ into ``settings.out``, all or
    nothing (see the module's docstring); returns the paths of the three files."""
    out = settings.out
    names = ("REPORT.md", "index.html", "summary.json")
    with staged_files(out) as staging:
        document, rows, summary = build_document(
            outcomes, settings, wall_seconds=wall_seconds, ran=ran, draw_dir=staging
        )
        _write_files(staging, document, rows, outcomes, settings, summary)
    return [out / name for name in names]


def _write_files(
    staging: Path,
    document: Document,
    rows: list[comparison.Row],
    outcomes: list[StepOutcome],
    settings: ReportSettings,
    summary: dict[str, Any],
) -> None:
    """REPORT.md, index.html (the figures embedded from ``staging``) and summary.json (with
    the keys of ``summary`` after the steps and the comparison)."""
    out = settings.out
    write_text_atomic(staging / "REPORT.md", render_markdown(document))
    write_text_atomic(staging / "index.html", render_html(document, staging))
    write_json_atomic(
        staging / "summary.json",
        {
            "quick": settings.quick,
            "steps": [
                {
                    "step": o.step.name,
                    **({"seed": o.seed} if o.seed is not None else {}),  # many seeds only
                    "status": o.status,
                    "error": o.error,
                    "engine": o.engine,
                    "wall_seconds": o.wall_seconds,
                    "cached": o.cached,
                    "folder": o.dir.relative_to(out).as_posix(),
                }
                for o in outcomes
            ],
            "comparison": [row.to_json() for row in rows],
            **summary,
        },
    )
