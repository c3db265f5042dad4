"""Pieces every step's section uses: status badges, notes, the run line, figures, number tables."""

from __future__ import annotations

import json
import math
import shutil
from pathlib import Path
from typing import Any

from dlbasics.documents.document import (
    Badge,
    Block,
    Cell,
    Code,
    Disclosure,
    Note,
    Paragraph,
    Table,
    Tone,
)
from dlbasics.report import comparison
from dlbasics.report.format import fmt, fmt_config, fmt_seconds, fmt_signed
from dlbasics.results.io import save_with
from dlbasics.results.steps import StepOutcome

FIGURES = "figures"  # the report's figures folder, relative to the report

STATUS_TONES: dict[str, Tone] = {"ok": "pass", "failed": "fail", "not run": "warn"}
VERDICT_TONES: dict[str, Tone] = {
    "PASS": "pass",
    "FAIL": "fail",
    "missing": "warn",
    "info": "info",
    "quick run": "info",
}


def status_badge(outcome: StepOutcome) -> Badge:
    return Badge(outcome.status, STATUS_TONES.get(outcome.status, "info"))


def outcome_notes(outcome: StepOutcome) -> list[Block]:
    blocks: list[Block] = []
    if outcome.status == "not run":
        blocks.append(
            Note(
                f"Not run in this configuration: `dlbasics reproduce --only {outcome.step.name}` "
                "(with the same options) adds it.",
                "warn",
            )
        )
    elif outcome.status == "failed":
        blocks.append(Note(f"this step did not finish: {outcome.error}", "fail"))
        error_file = outcome.dir / "error.txt"
        if error_file.exists():
            text = error_file.read_text("utf-8", errors="replace").strip().splitlines()
            if len(text) > 1:
                blocks.append(Code("\n".join(text[-25:])))
    if outcome.engine_note:
        blocks.append(Note(outcome.engine_note, "warn"))
    blocks += [Note(note, "info") for note in outcome.notes]
    return blocks


def run_line(outcome: StepOutcome, config: dict[str, Any] | None) -> Paragraph:
    parts = []
    if config:
        parts.append(f"Configuration: `{fmt_config(config)}`")
    if outcome.engine:
        parts.append(f"engine `{outcome.engine}`")
    parts.append(f"seed {outcome.key.get('seed')}")
    parts.append(
        f"wall time {fmt_seconds(outcome.wall_seconds)}" + (" (cached)" if outcome.cached else "")
    )
    return Paragraph("; ".join(parts) + ".")


def seeds_shown(rows: list[comparison.Row]) -> int:
    """How many seeds the comparison rows are over, when more than one (else 0: the tables
    then look as with one seed, without interval columns)."""
    most = max((row.n_seeds for row in rows), default=0)
    return most if most >= 2 else 0


def comparison_header(seeds: int) -> list[str]:
    """quantity | report | ours | [95% interval |] difference | target | verdict."""
    if not seeds:
        return ["quantity", "report", "ours", "difference", "target", "verdict"]
    ours = f"ours (mean of {seeds} seeds)"
    return ["quantity", "report", ours, "95% interval", "difference", "target", "verdict"]


def comparison_cells(row: comparison.Row, seeds: int = 0) -> list[Cell]:
    """One comparison row's cells under :func:`comparison_header` (``seeds``: from
    :func:`seeds_shown`); over seeds ``ours`` opens on each seed's value."""
    text = fmt(row.ours)
    ours: Cell = text
    spread: list[Cell] = []
    if seeds:
        if row.n_seeds:
            values = [f"seed {s}: {fmt(v)}" for s, v in zip(row.seeds, row.per_seed, strict=True)]
            ours = Disclosure(text, values, f"{row.step} {row.quantity}, per seed")
        spread = [interval_text(row)]
    return [
        row.quantity,
        fmt(row.report),
        ours,
        *spread,
        fmt_signed(row.difference),
        row.target.text if row.target else "",
        Badge(row.verdict, VERDICT_TONES.get(row.verdict, "info")),
    ]


def interval_text(row: comparison.Row) -> str:
    """``low to high`` (of ``ours``), or ``what: +mean (low to high)`` of a paired difference;
    an em dash without an interval (fewer than two seeds with a value)."""
    interval = row.interval
    if interval is None or interval.n < 2 or math.isnan(interval.low):
        return "—"
    if row.interval_of:
        return (
            f"{row.interval_of}: {fmt_signed(interval.mean)} "
            f"({fmt_signed(interval.low)} to {fmt_signed(interval.high)})"
        )
    return f"{fmt(interval.low)} to {fmt(interval.high)}"


def numbers_table(rows: list[comparison.Row], step: str) -> Table:
    seeds = seeds_shown(rows)
    body: list[list[Cell]] = [comparison_cells(row, seeds) for row in rows if row.step == step]
    return Table(comparison_header(seeds), body)


def seed_band_caption(seeds: int) -> str:
    """What a figure drawn over seeds shows, for its caption."""
    return (
        f"Each line is the mean over {seeds} seeds; the shaded band spans the lowest to the "
        "highest seed at each epoch."
    )


def copy_figure(source: Path, draw_dir: Path, name: str) -> Path:
    """Copy ``source`` into ``draw_dir/figures``; returns its path relative to ``draw_dir``.

    ``draw_dir``: the folder the report is assembled in (the report's staging folder), so the
    returned path is also the figure's path relative to the finished report.
    """
    relative = Path(FIGURES) / name
    save_with(draw_dir / relative, lambda tmp: _copy(source, tmp))
    return relative


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def varying_keys(trials: list[dict[str, Any]]) -> list[str]:
    """The configuration keys whose values differ between the trials (else the first key)."""
    keys: list[str] = []
    for trial in trials:
        for key in trial.get("config") or {}:
            if key not in keys:
                keys.append(key)
    varying = [
        k for k in keys if len({json.dumps((t.get("config") or {}).get(k)) for t in trials}) > 1
    ]
    return varying or keys[:1]


def anchor(name: str) -> str:
    """A step's section id: ``q4.2`` -> ``q4-2``."""
    return name.replace(".", "-")
