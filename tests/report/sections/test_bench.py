"""The benchmark table in the report, from a real (tiny) ``dlbasics bench`` run."""

from __future__ import annotations

import json

import pytest

from dlbasics.documents.document import Badge, Document, Table
from dlbasics.documents.markdown import render_markdown
from dlbasics.report.sections.bench import bench_section

pytestmark = pytest.mark.realdata


def test_bench_json_becomes_time_and_ratio_tables(real_fashion_mnist):
    from dlbasics.bench import BenchOptions, run_bench

    # The smallest real run: one case, two engines (each case runs in a fresh process).
    report = run_bench(
        BenchOptions(
            limit=100, linear_epochs=1, cases=("perceptron",), skip=("sklearn",), probes=False
        )
    )
    bench = json.loads(report.to_json())
    section = bench_section(bench)
    tables = [block for block in section.blocks if isinstance(block, Table)]
    assert [t.caption for t in tables] == ["Time per epoch", "Ratios"]
    engines = [row[1] for row in tables[0].rows]
    assert engines == [m["engine"] for m in bench["measurements"]]
    assert {"reference", "fast"} <= set(engines)
    for row in tables[1].rows:
        assert row[3].endswith("x")
        if row[4]:  # a targeted ratio gets a verdict
            assert isinstance(row[5], Badge) and row[5].text in ("PASS", "FAIL")
    text = render_markdown(Document("t", [], [section]))
    assert "## Engine benchmark" in text and "| perceptron | fast |" in text


def test_machine_probes_get_their_own_table():
    section = bench_section({"probes": {"dram_triad_gb_s": 12.5}})
    tables = [block for block in section.blocks if block_caption(block) == "Machine probes"]
    assert len(tables) == 1 and tables[0].rows == [["dram_triad_gb_s", "12.5000"]]


def block_caption(block) -> str | None:
    return block.caption if isinstance(block, Table) else None
