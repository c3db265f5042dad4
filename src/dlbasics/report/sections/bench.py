"""The benchmark section: ``bench.json`` (from ``dlbasics bench --json``) as tables."""

from __future__ import annotations

from typing import Any

from dlbasics.documents.document import Badge, Cell, Note, Paragraph, Section, Table
from dlbasics.report.format import fmt_plain


def bench_section(bench: Any) -> Section:
    """The ``dlbasics bench --json`` output: its measurements, ratios and notes as tables.

    Keys this function does not know are shown as generic tables, so a newer bench format still
    appears (less neatly) rather than vanishing.
    """
    section = Section("bench", "Engine benchmark (dlbasics bench)")
    section.add(
        Paragraph(
            "Measured by `dlbasics reproduce --bench` (or `dlbasics bench --json > "
            "report/bench.json`): the time of one training epoch of every engine, in one run on "
            "one machine, so the ratios compare like with like."
        )
    )
    if not isinstance(bench, dict):
        bench = {"results": bench}
    bench = dict(bench)
    machine = bench.pop("machine", None)
    if isinstance(machine, dict):
        load = machine.get("load_average_before")
        section.add(
            Paragraph(
                f"Machine: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores"
                + (f"; load average when it started: {load[0]}" if isinstance(load, list) else "")
                + "."
            )
        )
    measurements = bench.pop("measurements", None)
    if isinstance(measurements, list) and all(isinstance(m, dict) for m in measurements):
        columns = {
            "case": "case",
            "engine": "engine",
            "detail": "what",
            "examples": "examples",
            "seconds_per_epoch": "s / epoch",
            "compile_seconds": "compile s",
            "peak_rss_mb": "peak MB",
            "note": "note",
        }
        digits = {"peak_rss_mb": 0}
        rows = [
            [fmt_plain(m.get(key), digits.get(key, 3)) for key in columns] for m in measurements
        ]
        section.add(Table(list(columns.values()), rows, caption="Time per epoch"))
    ratios = bench.pop("ratios", None)
    if isinstance(ratios, list) and all(isinstance(r, dict) for r in ratios):
        ratio_rows: list[list[Cell]] = []
        for r in ratios:
            met = r.get("met")
            verdict: Cell = (
                "" if met is None else Badge("PASS" if met else "FAIL", "pass" if met else "fail")
            )
            target = r.get("target")
            ratio_rows.append(
                [
                    str(r.get("case", "")),
                    f"{r.get('fast', '')} / {r.get('against', '')}",
                    str(r.get("compared", "")),
                    fmt_plain(r.get("ratio"), 3) + ("x" if r.get("ratio") is not None else ""),
                    "" if target is None else f"<= {target:g}x",
                    verdict,
                ]
            )
        section.add(
            Table(
                ["case", "ratio of", "compared", "ratio", "target", "verdict"],
                ratio_rows,
                caption="Ratios",
            )
        )
    notes = bench.pop("notes", None)
    if isinstance(notes, list):
        section.add(*(Note(str(note), "info") for note in notes))
    bench.pop("options", None)
    probes = bench.pop("probes", None)
    if isinstance(probes, dict) and probes:  # the machine's bandwidths and peaks (rooflines)
        rows = [[k, fmt_plain(v)] for k, v in probes.items()]
        section.add(Table(["probe", "value"], rows, caption="Machine probes"))
    for title, value in _bench_tables(bench):
        if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
            header = list(dict.fromkeys(k for r in value for k in r))
            generic = [[fmt_plain(r.get(k)) for k in header] for r in value]
            section.add(Table(header, generic, caption=title))
        elif isinstance(value, dict):
            section.add(
                Table(["", "value"], [[k, fmt_plain(v)] for k, v in value.items()], caption=title)
            )
    return section


def _bench_tables(bench: Any) -> list[tuple[str, Any]]:
    if isinstance(bench, list):
        return [("", bench)]
    if not isinstance(bench, dict):
        return []
    tables, scalars = [], {}
    for key, value in bench.items():
        if isinstance(value, list | dict):
            tables.append((key, value))
        else:
            scalars[key] = value
    return ([("", scalars)] if scalars else []) + tables
