"""The claims section, from real (synthetic-data) runs on two seeds and on one, in Markdown and
HTML."""

from __future__ import annotations

import pytest

from dlbasics.documents.document import Badge, Document, Note, Table
from dlbasics.documents.html import render_html
from dlbasics.documents.markdown import render_markdown
from dlbasics.experiments.runner import run_experiment
from dlbasics.report import claims
from dlbasics.report.load import SeedResults
from dlbasics.report.sections.claims import VERDICT_TONES, claims_section
from tests.experiments.synthetic import SyntheticData

CONFIGS = {
    "q2.2a": {"epochs": 4, "learning_rate": 0.05},
    "q2.2b": {"epochs": 4, "learning_rate": 0.001, "hidden_size": 4, "init": "he"},
}


@pytest.fixture(scope="module")
def two_seeds() -> SeedResults:
    results = SeedResults()
    for step, config in CONFIGS.items():
        for seed in (1, 2):
            metrics = run_experiment(step, config, seed=seed, data=SyntheticData())
            results.values.setdefault(step, []).append(metrics)
            results.seeds.setdefault(step, []).append(seed)
    return results


def _table(section) -> Table:
    (table,) = [block for block in section.blocks if isinstance(block, Table)]
    return table


def test_every_measured_claim_is_a_row_with_its_interval_and_styled_verdict(two_seeds, tmp_path):
    rows, notes = claims.measure_all(two_seeds)
    section = claims_section(rows, notes)
    table = _table(section)
    assert [r[0] for r in table.rows] == ["1a", "1b", "1c", "2", "3a", "3b", "4"]
    for cells, row in zip(table.rows, rows, strict=True):
        verdict = cells[6]
        assert isinstance(verdict, Badge) and verdict.text == row.verdict
        assert verdict.tone == VERDICT_TONES[row.verdict]
        assert cells[5] == "2" and "[" in cells[4]  # two seeds: an interval
    assert table.rows[1][1] == "" and table.rows[0][1].startswith("“What we see")  # once
    assert "covered" in table.rows[5][7] and "report 0.45" in table.rows[5][7]
    # the claims of Q3 and Q4 did not run: a note each, no row
    left_out = [b.text for b in section.blocks if isinstance(b, Note) and "not measured" in b.text]
    assert len(left_out) == len(claims.CLAIMS) - 7
    assert not any("One seed" in b.text for b in section.blocks if isinstance(b, Note))
    document = Document("t", [], [section])
    markdown = render_markdown(document)
    assert "## Claims" in markdown and "| 3b |" in markdown and "within ±0.1" in markdown
    html = render_html(document, tmp_path)
    assert 'id="claims"' in html
    assert f'<span class="badge {VERDICT_TONES[rows[0].verdict]}">{rows[0].verdict}' in html


def test_one_seed_says_what_it_cannot_tell(two_seeds):
    one = SeedResults(
        {step: values[:1] for step, values in two_seeds.values.items()},
        {step: seeds[:1] for step, seeds in two_seeds.seeds.items()},
    )
    rows, notes = claims.measure_all(one)
    section = claims_section(rows, notes)
    assert all(r[6].text == "cannot be told apart" for r in _table(section).rows)
    assert all(r[4].endswith("(no interval)") for r in _table(section).rows)
    assert any("One seed" in b.text for b in section.blocks if isinstance(b, Note))
