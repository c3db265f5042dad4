"""The section of one sweep (Q4.1 ... Q4.3): the winner, every configuration, the figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from dlbasics.documents.document import Badge, Cell, Figure, Paragraph, Section, Table, Tone
from dlbasics.plotting.sweep_figures import seeds_sweep_figures
from dlbasics.report import comparison
from dlbasics.report.format import fmt, fmt_config, fmt_seconds
from dlbasics.report.load import StepData
from dlbasics.report.sections.common import (
    FIGURES,
    anchor,
    copy_figure,
    numbers_table,
    outcome_notes,
    run_line,
    seed_band_caption,
    varying_keys,
)
from dlbasics.report.seed_values import choose
from dlbasics.report.sweep_trials import finished_trials, mean_train_loss, sweep_options

SWEEP_FIGURES = {
    "q4.1": "Figure 6",
    "q4.2": "Figure 7",
    "q4.3": "Figure 8",
}
SWEEP_CAPTIONS = {
    "sweep_loss.png": "training loss per epoch for every configuration, the best highlighted",
    "sweep_dev_acc.png": "validation accuracy per epoch for every configuration, the best highlighted",
}


def sweep_section(
    data: StepData,
    rows: list[comparison.Row],
    draw_dir: Path,
    sweeps: list[dict[str, Any]] | None = None,
) -> Section:
    """The section of one sweep; ``sweeps``: its sweep.json in every seed (primary first).

    Over two or more seeds its two figures are drawn anew from the seeds' trials (each
    configuration's mean, shaded from the lowest to the highest seed, the configuration with
    the best mean validation accuracy in bold); with one seed the sweep's own figures are shown.
    """
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
                    fmt(mean_train_loss(trial)),
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
    banded = _seed_figures(step.name, sweeps or [], draw_dir)
    for source in data.figures:
        caption = SWEEP_CAPTIONS.get(source.name, source.stem.replace("_", " "))
        name = f"{step.name}-{source.name}"
        if name in banded:
            path = Path(FIGURES) / name
            caption += ". " + seed_band_caption(len(sweeps or [])).removesuffix(".")
        else:
            path = copy_figure(source, draw_dir, name)
        section.add(Figure(path, f"{label} (ours): {caption}.", alt=f"{step.name} {source.stem}"))
    if any(row.step == step.name for row in rows):
        section.add(numbers_table(rows, step.name))
    if outcome.status != "not run":
        config = {k: v for k, v in outcome.key.get("config", {}).items() if v is not None}
        section.add(run_line(outcome, config))
    return section


def _seed_figures(step: str, sweeps: list[dict[str, Any]], draw_dir: Path) -> set[str]:
    """Draw the sweep's figures over ``sweeps`` (two or more seeds) into the report's figures;
    the names of the files drawn (none with one seed)."""
    if len(sweeps) < 2:
        return set()
    trials = [trial for sweep in sweeps for trial in finished_trials(sweep)]
    keys = varying_keys(trials)

    def label(config: dict[str, Any]) -> str:
        return ", ".join(f"{key}={config.get(key)}" for key in keys)

    histories: dict[str, list[list[dict[str, Any]]]] = {}
    for trial in trials:
        histories.setdefault(label(trial.get("config") or {}), []).append(
            trial.get("history") or []
        )
    options = [sweep_options(None, sweep) for sweep in sweeps]
    chosen, _ = choose([o for o in options if o is not None], str, "")
    drawn = seeds_sweep_figures(
        histories,
        draw_dir / FIGURES,
        title=f"{step}: {sweeps[0].get('title', '')}",
        highlight=label(json.loads(chosen)) if chosen else None,
        prefix=f"{step}-",
    )
    return {path.name for path in drawn}
