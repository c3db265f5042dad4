"""``dlbasics bench``'s ratios, target checks and rendering (the table and bench.json)."""

from __future__ import annotations

import json

import pytest

from dlbasics.bench import cases, harness, targets
from dlbasics.bench.records import BenchOptions, BenchReport, Measurement

PROBES = {
    "l1_triad_gbs": 200.0,
    "l2_triad_gbs": 100.0,
    "l3_triad_gbs": 25.0,
    "dram_triad_gbs": 10.0,
    "dram_random_rows_gbs": 8.0,
    "mul_add_gflops_f64": 50.0,
    "mul_add_gflops_f32": 90.0,
    "div_gops_f32": 6.0,
    "sqrt_gops_f32": 5.0,
    "subnormal_mul_slowdown_f32": 150.0,
}


def measurement(case, engine, per_epoch, epochs=1, examples=50_000, work=None):
    return Measurement(
        case=case,
        engine=engine,
        detail=f"{engine} detail",
        epochs=epochs,
        examples=examples,
        seconds_per_epoch=per_epoch,
        total_seconds=per_epoch * epochs,
        compile_seconds=1.5 if engine.startswith("fast") else None,
        peak_rss_mb=123.0,
        work=work or {},
    )


def test_ratios_check_the_issue_targets():
    found = [
        measurement("mlp", "fast32", 0.3),
        measurement("mlp", "torch", 8.0),
        measurement("q4", "fast", 3.0),
        measurement("q4", "torch", 10.0),
        measurement("perceptron", "fast", 0.1, epochs=20),
        measurement("perceptron", "sklearn", 0.5, epochs=20),
        measurement("logistic", "fast", 0.1, epochs=20),
        measurement("logistic", "sklearn", 0.5, epochs=2),  # other epochs: not compared
    ]
    rows = {(r["case"], r["against"]): r for r in targets.ratios(found)}
    assert rows[("mlp", "torch")]["ratio"] == pytest.approx(0.0375)
    assert rows[("mlp", "torch")]["met"] is True  # <= 0.05
    assert rows[("q4", "torch")]["met"] is False  # 0.3 > 0.2
    assert rows[("perceptron", "sklearn")]["ratio"] == pytest.approx(0.2)
    assert rows[("perceptron", "sklearn")]["met"] is False
    assert ("logistic", "sklearn") not in rows


def test_table_and_json_carry_every_measurement():
    # one example of this work: 1e5 L2 bytes (1 us at 100 GB/s), 9e4 flops (1 us), 800 B DRAM
    work = {"dram_bytes": 800.0, "l2_bytes": 2e5, "flops": 9e4}
    found = [measurement("mlp", "fast32", 0.6, work=work), measurement("mlp", "torch", 8.0)]
    report = BenchReport(
        machine={
            "cpu": "Test CPU",
            "cores": 2,
            "load_average_before": [1.0, 1.0, 1.0],
            "load_average_after": [2.0, 2.0, 2.0],
            "probes": PROBES,
        },
        options={"epochs": 1, "linear_epochs": 20, "limit": None},
        measurements=found,
        ratios=targets.ratios(found, PROBES),
        notes=targets.floor_note(found, PROBES),
    )
    table = targets.render_table(report)
    assert "Test CPU" in table and "| mlp | torch |" in table
    assert "| 0.075 | <= 0.05 | NO | 17% (l2) |" in table  # 2 us of 50,000 = 0.1 s of 0.6 s
    assert "0.6 s against its roofline floor 0.1 s (l2-bound)" in table
    assert "L2 100" in table and "150x slower" in table
    payload = json.loads(report.to_json())
    assert [m["engine"] for m in payload["measurements"]] == ["fast32", "torch"]
    assert payload["ratios"][0]["met"] is False
    assert payload["ratios"][0]["roofline_fraction"] == pytest.approx(0.1 / 0.6)
    assert payload["ratios"][0]["roofline_bound"] == "l2"
    assert payload["measurements"][0]["work"] == work
    assert payload["machine"]["probes"]["l2_triad_gbs"] == 100.0


def test_a_failed_case_is_recorded_and_left_out_of_the_ratios():
    failed = harness._failed(cases.CASES[3], BenchOptions(), RuntimeError("out of memory\ndetails"))
    assert failed.note == "failed: out of memory"
    assert failed.engine == "torch" and failed.case == "mlp"
    rows = targets.ratios([measurement("mlp", "fast32", 0.6), failed])
    assert rows == []
    report = BenchReport(
        machine={"cpu": "x", "cores": 1, "load_average_before": [0], "load_average_after": [0]},
        options={"epochs": 1, "linear_epochs": 20},
        measurements=[failed],
    )
    assert "failed: out of memory" in targets.render_table(report)
    assert json.loads(report.to_json())["measurements"][0]["seconds_per_epoch"] is None
