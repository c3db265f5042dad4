"""The section of one sweep (Q4.1 ... Q4.3): the winner, every configuration, the figures."""

from __future__ import annotations

from pathlib import Path

from dlbasics.documents.document import Badge, Cell, Figure, Paragraph, Section, Table, Tone
from dlbasics.report import comparison
from dlbasics.report.format import fmt, fmt_config, fmt_seconds
from dlbasics.report.load import StepData
from dlbasics.report.sections.common import (
    anchor,
    copy_figure,
    numbers_table,
    outcome_notes,
    run_line,
    varying_keys,
)

SWEEP_FIGURES = {
    "q4.1": "Figure 6",
    "q4.2": "Figure 7",
    "q4.3": "Figure 8",
}
SWEEP_CAPTIONS = {
    "sweep_loss.png": "training loss per epoch for every configuration, the best highlighted",
    "sweep_dev_acc.png": "validation accuracy per epoch for every configuration, the best highlighted",
}


def sweep_section(data: StepData, rows: list[comparison.Row], draw_dir: Path) -> Section:
    outcome = data.outcome
    step = outcome.step
    section = Section(anchor(step.name), f"{step.numbering} — {step.title}")
    section.add(*outcome_notes(outcome))
    sweep = data.sweep or {}
    trials = list(sweep.get("trials") or [])
    best = sweep.get("best") or {}
    if best:
        final = best.get("final") or {}
        section.add(
            Paragraph(
                f"**Winner** (highest validation accuracy): `{fmt_config(best.get('config') or {})}` — "
                f"training loss {fmt(final.get('train_loss'))}, validation accuracy "
                f"{fmt(final.get('dev_acc'))}, test accuracy {fmt(final.get('test_acc'))}."
            )
        )
    if step.name == "q4.3" and sweep.get("grid") == "report":
        rate = (sweep.get("defaults") or {}).get("learning_rate")
        section.add(
            Paragraph(
                "The report says Q4.3 starts from Q4.2's best configuration, but its numbers are "
                f"those of the defaults (learning rate {rate}): its training losses, the mean "
                "over all epochs, match ours from the defaults to about 0.001. So this sweep runs "
                "both starting points with 2 and 3 hidden layers, and the comparison holds the "
                "report's numbers against the trials from the defaults."
            )
        )
    if trials:
        varying = varying_keys(trials)
        best_config = best.get("config")
        table_rows: list[list[Cell]] = []
        for trial in trials:  # grid order, as sweep.json lists them (not the queue order)
            config = trial.get("config") or {}
            final = trial.get("final") or {}
            status = str(trial.get("status", ""))
            tones: dict[str, Tone] = {"ok": "pass", "complete": "pass", "stalled": "warn"}
            tone = tones.get(status.lower(), "fail")
            table_rows.append(
                [
                    *(fmt(config.get(key)) for key in varying),
                    fmt(final.get("train_loss")),
                    fmt(comparison.mean_train_loss(trial)),
                    fmt(final.get("dev_acc")),
                    fmt(final.get("test_acc")),
                    fmt_seconds(trial.get("seconds")),
                    Badge(status or "?", tone),
                    Badge("best", "pass") if config == best_config else "",
                ]
            )
        header = [
            *varying,
            "train loss (last epoch)",
            "train loss (mean over epochs)",
            "dev acc",
            "test acc",
            "time",
            "status",
            "",
        ]
        section.add(Table(header, table_rows, caption="Every configuration of the sweep"))
    label = SWEEP_FIGURES.get(step.name, "Figure")
    for source in data.figures:
        caption = SWEEP_CAPTIONS.get(source.name, source.stem.replace("_", " "))
        path = copy_figure(source, draw_dir, f"{step.name}-{source.name}")
        section.add(Figure(path, f"{label} (ours): {caption}.", alt=f"{step.name} {source.stem}"))
    if any(row.step == step.name for row in rows):
        section.add(numbers_table(rows, step.name))
    if outcome.status != "not run":
        config = {k: v for k, v in outcome.key.get("config", {}).items() if v is not None}
        section.add(run_line(outcome, config))
    return section
