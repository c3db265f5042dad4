"""The targets of ``dlbasics bench``: fast / other ratios, the MLP's floor, the text tables."""

from __future__ import annotations

import math
from typing import Any

from dlbasics.bench.records import BenchReport, Measurement

MLP_FLOOR_SECONDS = 0.5  # each example streams the 784x200 weight matrix through the cache


TARGETS = (
    # (case, fast engine, against, what is compared, target ratio)
    ("mlp", "fast32", "torch", "seconds_per_epoch", 0.1),
    ("mlp", "fast", "torch", "seconds_per_epoch", None),
    ("q4", "fast", "torch", "seconds_per_epoch", 0.2),
    ("perceptron", "fast", "sklearn", "total_seconds", 0.1),
    ("logistic", "fast", "sklearn", "total_seconds", 0.1),
    ("mlp", "fast", "sklearn", "seconds_per_epoch", None),
    ("mlp", "fast", "reference", "seconds_per_epoch", None),
    ("perceptron", "fast", "reference", "seconds_per_epoch", None),
    ("logistic", "fast", "reference", "seconds_per_epoch", None),
)


def ratios(measurements: list[Measurement]) -> list[dict[str, Any]]:
    """fast / other time for every pair measured; ``met`` against the issue's targets."""
    found = {(m.case, m.engine): m for m in measurements}
    rows = []
    for case, fast, other, metric, target in TARGETS:
        if (case, fast) not in found or (case, other) not in found:
            continue
        a, b = found[(case, fast)], found[(case, other)]
        if metric == "total_seconds" and a.epochs != b.epochs:
            continue
        if not (math.isfinite(getattr(a, metric)) and math.isfinite(getattr(b, metric))):
            continue  # a failed case
        ratio = getattr(a, metric) / getattr(b, metric)
        rows.append(
            {
                "case": case,
                "fast": fast,
                "against": other,
                "compared": "time per epoch" if metric == "seconds_per_epoch" else
                f"{a.epochs} epochs",
                "ratio": ratio,
                "target": target,
                "met": None if target is None else bool(ratio <= target),
            }
        )  # fmt: skip
    return rows


def floor_note(measurements: list[Measurement]) -> list[str]:
    notes = []
    for m in measurements:
        if m.case == "mlp" and m.engine in ("fast", "fast32") and m.examples >= 50_000:
            notes.append(
                f"MLP epoch, fast engine ({m.detail}): {m.seconds_per_epoch:.2f} s against "
                f"the ~{MLP_FLOOR_SECONDS} s physical floor "
                f"({m.seconds_per_epoch / MLP_FLOOR_SECONDS:.1f}x)"
            )
    return notes


def render_table(report: BenchReport) -> str:
    """The report as plain-text tables (Markdown pipe tables, readable in a terminal)."""
    m = report.machine
    lines = [
        f"machine: {m['cpu']}, {m['cores']} cores; load average before/after: "
        f"{m['load_average_before'][0]} / {m['load_average_after'][0]} (shared machine: "
        "compare ratios within this run)",
        f"training examples: {report.measurements[0].examples if report.measurements else 0}"
        f"; epochs: {report.options['epochs']} (MLP-sized), "
        f"{report.options['linear_epochs']} (fast and scikit-learn linear models)",
        "",
        "| case | engine | what | epochs | s/epoch | total s | compile s | peak MB | note |",
        "|---|---|---|---:|---:|---:|---:|---:|---|",
    ]
    for r in report.measurements:
        compile_s = "" if r.compile_seconds is None else f"{r.compile_seconds:.2f}"
        lines.append(
            f"| {r.case} | {r.engine} | {r.detail} | {r.epochs} | {r.seconds_per_epoch:.3f} | "
            f"{r.total_seconds:.2f} | {compile_s} | {r.peak_rss_mb:.0f} | {r.note} |"
        )
    if report.ratios:
        lines += ["", "| case | fast / other | compared | ratio | target | met |",
                  "|---|---|---|---:|---:|---|"]  # fmt: skip
        for ratio in report.ratios:
            target = "" if ratio["target"] is None else f"<= {ratio['target']}"
            met = "" if ratio["met"] is None else ("yes" if ratio["met"] else "NO")
            lines.append(
                f"| {ratio['case']} | {ratio['fast']} / {ratio['against']} | "
                f"{ratio['compared']} | {ratio['ratio']:.3f} | {target} | {met} |"
            )
    if report.notes:
        lines += [""] + [f"note: {n}" for n in report.notes]
    return "\n".join(lines)
