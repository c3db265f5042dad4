"""The targets of ``dlbasics bench``: fast / other ratios beside each fast kernel's roofline
fraction (:mod:`dlbasics.bench.roofline`), and the text tables."""

from __future__ import annotations

import math
from typing import Any

from dlbasics.bench.records import BenchReport, Measurement
from dlbasics.bench.roofline import floor

TARGETS = (
    # (case, fast engine, against, what is compared, target ratio)
    ("mlp", "fast32", "torch", "seconds_per_epoch", 0.05),
    ("mlp", "fast", "torch", "seconds_per_epoch", None),
    ("q4", "fast", "torch", "seconds_per_epoch", 0.2),
    ("perceptron", "fast", "sklearn", "total_seconds", 0.1),
    ("logistic", "fast", "sklearn", "total_seconds", 0.1),
    ("mlp", "fast", "sklearn", "seconds_per_epoch", None),
    ("mlp", "fast", "reference", "seconds_per_epoch", None),
    ("perceptron", "fast", "reference", "seconds_per_epoch", None),
    ("logistic", "fast", "reference", "seconds_per_epoch", None),
)


def roofline(m: Measurement, probes: dict[str, Any] | None) -> dict[str, Any]:
    """The fast measurement's floor per epoch at the machine's limits, its binding resource
    and the fraction of that floor reached (1.0: the machine's limit); None where unknown."""
    if not m.work or not probes or not m.examples or not math.isfinite(m.seconds_per_epoch):
        return {"floor_seconds_per_epoch": None, "roofline_fraction": None, "roofline_bound": None}
    dtype = "float32" if "32" in m.detail else "float64"
    per_example, bound = floor(m.work, probes, dtype)
    seconds = per_example * m.examples
    return {
        "floor_seconds_per_epoch": seconds,
        "roofline_fraction": seconds / m.seconds_per_epoch if math.isfinite(seconds) else None,
        "roofline_bound": bound or None,
    }


def ratios(
    measurements: list[Measurement], probes: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """fast / other time for every pair measured; ``met`` against the issue's targets; the
    fast side's roofline fraction beside it (with the machine's ``probes``)."""
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
                **roofline(a, probes),
            }
        )  # fmt: skip
    return rows


def floor_note(measurements: list[Measurement], probes: dict[str, Any] | None = None) -> list[str]:
    """One line per fast measurement: its time against its roofline floor."""
    notes = []
    for m in measurements:
        line = roofline(m, probes)
        if line["floor_seconds_per_epoch"] is None:
            continue
        notes.append(
            f"{m.case} epoch, fast engine ({m.detail}): {m.seconds_per_epoch:.3g} s against its "
            f"roofline floor {line['floor_seconds_per_epoch']:.3g} s ({line['roofline_bound']}"
            f"-bound): {line['roofline_fraction']:.0%} of the machine's limit"
        )
    return notes


def _probe_lines(probes: dict[str, Any]) -> list[str]:
    if not probes:
        return []
    return [
        f"machine probes: triad L1 {probes['l1_triad_gbs']:.0f}, L2 {probes['l2_triad_gbs']:.0f}, "
        f"L3 {probes['l3_triad_gbs']:.0f}, DRAM {probes['dram_triad_gbs']:.1f} GB/s (random "
        f"rows {probes['dram_random_rows_gbs']:.1f}); mul+add {probes['mul_add_gflops_f64']:.0f} "
        f"GFLOP/s float64, {probes['mul_add_gflops_f32']:.0f} float32; float32 division "
        f"{probes['div_gops_f32']:.1f}, square root {probes['sqrt_gops_f32']:.1f} G/s; a float32 "
        f"multiply with a subnormal operand is {probes['subnormal_mul_slowdown_f32']:.0f}x slower",
    ]


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
        lines += ["", "| case | fast / other | compared | ratio | target | met | roofline |",
                  "|---|---|---|---:|---:|---|---|"]  # fmt: skip
        for ratio in report.ratios:
            target = "" if ratio["target"] is None else f"<= {ratio['target']}"
            met = "" if ratio["met"] is None else ("yes" if ratio["met"] else "NO")
            fraction = ratio.get("roofline_fraction")
            roof = "" if fraction is None else f"{fraction:.0%} ({ratio['roofline_bound']})"
            lines.append(
                f"| {ratio['case']} | {ratio['fast']} / {ratio['against']} | "
                f"{ratio['compared']} | {ratio['ratio']:.3f} | {target} | {met} | {roof} |"
            )
    lines += [""] + _probe_lines(report.probes) if report.probes else []
    if report.notes:
        lines += [""] + [f"note: {n}" for n in report.notes]
    return "\n".join(lines)
