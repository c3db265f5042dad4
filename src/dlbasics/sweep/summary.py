"""A finished sweep's files: ``sweep.json``, ``sweep.md`` and its two figures.

``sweep.md`` is a :class:`~dlbasics.documents.document.Document` rendered by the project's one
Markdown writer; the figures are drawn by :mod:`dlbasics.plotting.sweep_figures`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from dlbasics.documents.document import Block, Document, Paragraph, Table
from dlbasics.documents.markdown import render_markdown as render_document
from dlbasics.results.io import write_json_atomic, write_text_atomic
from dlbasics.results.staging import staged_files


def fmt(value: Any, digits: int = 4) -> str:
    if isinstance(value, float | int) and not isinstance(value, bool) and math.isfinite(value):
        return f"{value:.{digits}f}"
    return "n/a"


def varying_keys(entries: list[dict[str, Any]]) -> list[str]:
    """Hyperparameters that differ between the configurations (what the table shows)."""
    configs = [e["config"] or {} for e in entries]
    keys = list(configs[0]) if configs else []
    varying = [k for k in keys if len({json.dumps(c.get(k)) for c in configs}) > 1]
    return varying or [k for k in ("learning_rate",) if k in keys]


def label(config: dict[str, Any], keys: list[str]) -> str:
    return ", ".join(f"{k}={config.get(k)}" for k in keys)


def _settings(result: dict[str, Any]) -> Paragraph:
    data = (
        "full data"
        if result["data_limit"] is None
        else f"first {result['data_limit']} examples per split"
    )
    return Paragraph(
        f"Study `{result['study']}` in `{result['storage']}`; grid `{result['grid']}`; objective: "
        f"validation accuracy (maximize); experiment `{result['experiment']}`, engine "
        f"`{result['engine']}`, seed {result['seed']}, {data}."
    )


def _base(result: dict[str, Any]) -> Paragraph:
    also = ""
    if result["sweep"] == "q4.3" and result["grid"] == "report":
        rate = (result.get("defaults") or {}).get("learning_rate")
        also = (
            f" and from the defaults (learning rate {rate}: the report's q4.3 numbers are"
            " those of the defaults, see docs/sweeps.md)"
        )
    return Paragraph(f"Starts from the best configuration of {result['base']['source']}{also}.")


def _table(result: dict[str, Any], entries: list[dict[str, Any]], keys: list[str]) -> Table:
    best = result.get("best") or {}
    rows = []
    for entry in entries:
        config = entry["config"] or {}
        final = entry["final"]
        mark = " **(best)**" if best and entry["number"] == best.get("number") else ""
        seconds = entry.get("seconds")
        rows.append(
            [
                *(str(config.get(k)) for k in keys),
                fmt(final.get("train_loss")),
                fmt(final.get("dev_acc")),
                fmt(final.get("test_acc")),
                f"{seconds:.0f}" if isinstance(seconds, float | int) else "n/a",
                entry["status"] + mark,
            ]
        )
    return Table([*keys, "train loss", "dev acc", "test acc", "seconds", "status"], rows)


def _best(result: dict[str, Any], entries: list[dict[str, Any]], keys: list[str]) -> Paragraph:
    best = result.get("best")
    if not best:
        return Paragraph("**Best**: none (no configuration finished without diverging).")
    final = best["final"]
    stalled = any(e["number"] == best["number"] and e["status"] == "stalled" for e in entries)
    why = (
        "stalled, the highest validation accuracy: no configuration finished ok"
        if stalled
        else "highest validation accuracy"
    )
    return Paragraph(
        f"**Best** ({why}): {label(best['config'], keys)}: training loss "
        f"{fmt(final.get('train_loss'))}, validation accuracy {fmt(final.get('dev_acc'))}, "
        f"test accuracy {fmt(final.get('test_acc'))}."
    )


def summary_document(result: dict[str, Any], entries: list[dict[str, Any]]) -> Document:
    """The sweep as a page: its settings, one table row per configuration, the winner, and a
    line for each configuration that did not finish ``ok``."""
    keys = varying_keys(entries)
    blocks: list[Block] = [_settings(result)]
    if result.get("base"):
        blocks.append(_base(result))
    blocks += [_table(result, entries, keys), _best(result, entries, keys)]
    blocks += [
        Paragraph(f"- {label(e['config'] or {}, keys)}: {e['status']}: {e.get('message', '')}")
        for e in entries
        if e["status"] != "ok"
    ]
    return Document(f"Sweep {result['sweep']}: {result['title']}", blocks, [])


def render_markdown(result: dict[str, Any], entries: list[dict[str, Any]]) -> str:
    """The text of ``sweep.md``."""
    return render_document(summary_document(result, entries))


def draw_figures(
    result: dict[str, Any], entries: list[dict[str, Any]], out_dir: Path
) -> list[Path]:
    """Training loss and validation accuracy per epoch of every configuration, best in bold."""
    from dlbasics.plotting.plots import Series
    from dlbasics.plotting.sweep_figures import sweep_figures

    keys = varying_keys(entries)
    best = result.get("best") or {}

    def series(metric: str) -> Series:
        lines: Series = {}
        for entry in entries:
            history = entry["history"] or []
            if history:
                xs = [float(r["epoch"]) for r in history]
                ys = [math.nan if r.get(metric) is None else float(r[metric]) for r in history]
                lines[label(entry["config"] or {}, keys)] = (xs, ys)
        return lines

    return sweep_figures(
        series("train_loss"),
        series("dev_acc"),
        out_dir,
        title=f"{result['sweep']}: {result['title']}",
        highlight=label(best["config"], keys) if best else None,
    )


def write_results(result: dict[str, Any], entries: list[dict[str, Any]], out_dir: Path) -> None:
    """Write ``sweep.json``, ``sweep.md`` and the figures into ``out_dir``, all or none: a full
    disk leaves the previous ones (an :class:`~dlbasics.results.staging.OutputError` naming
    the folder), and the journal beside them is left alone."""
    drawn = any(entry["history"] for entry in entries)
    with staged_files(out_dir) as staging:
        if drawn:
            draw_figures(result, entries, staging)
        write_text_atomic(staging / "sweep.md", render_markdown(result, entries))
        write_json_atomic(staging / "sweep.json", result)
    if not drawn:  # no curve to draw (nothing finished): no figure of an earlier run either
        from dlbasics.plotting.sweep_figures import DEV_ACC_FIGURE, LOSS_FIGURE

        for name in (LOSS_FIGURE, DEV_ACC_FIGURE):
            (out_dir / name).unlink(missing_ok=True)
