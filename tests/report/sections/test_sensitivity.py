"""The Ames sensitivity section: its table, its sentence and its figure, in both renderings."""

from __future__ import annotations

import pytest

from dlbasics.documents.document import Badge, Document, Figure, Paragraph, Table
from dlbasics.documents.html import render_html
from dlbasics.documents.markdown import render_markdown
from dlbasics.experiments.runner import run_experiment
from dlbasics.report import sensitivity
from dlbasics.report.load import SeedResults
from dlbasics.report.sections.sensitivity import interval_text, sensitivity_section
from dlbasics.results.statistics import mean_interval
from tests.experiments.synthetic import SyntheticData

SMALL = {
    "q2.2a": {"epochs": 2, "learning_rate": 0.05},
    "q2.2b": {"epochs": 2, "learning_rate": 0.001, "hidden_size": 4},
}


@pytest.fixture(scope="module")
def two_seeds() -> SeedResults:
    """Real runs of both models under minmax and homework over two seeds (zscore not run)."""
    results = SeedResults()
    for features in ("minmax", "homework"):
        for model, config in SMALL.items():
            step = sensitivity.step_name(model, features)
            for seed in (7, 8):
                metrics = run_experiment(
                    model, {**config, "features": features}, seed=seed, data=SyntheticData()
                )
                results.values.setdefault(step, []).append(metrics)
                results.seeds.setdefault(step, []).append(seed)
    return results


def test_the_section_renders_table_sentence_and_figure(two_seeds, tmp_path):
    section = sensitivity_section(two_seeds, tmp_path)
    assert section.anchor == "ames-sensitivity"
    (table,) = [b for b in section.blocks if isinstance(b, Table)]
    assert [row[0] for row in table.rows] == ["`minmax`"] * 2 + ["`zscore`"] * 2 + [
        "`homework`"
    ] * 2
    settings = sensitivity.sensitivity(two_seeds)
    network_rows = table.rows[1::2]
    for row, setting in zip(network_rows, settings, strict=True):
        assert row[6] == interval_text(setting.difference, signed=True)
        assert isinstance(row[7], Badge) and row[7].text == setting.verdict
    assert table.rows[2][3] == "0" and table.rows[2][5] == "—"  # zscore never ran
    sentences = [b.text for b in section.blocks if isinstance(b, Paragraph)]
    assert f"**{sensitivity.conclusion(settings)}**" in sentences
    (figure,) = [b for b in section.blocks if isinstance(b, Figure)]
    assert (tmp_path / figure.path).read_bytes().startswith(b"\x89PNG")
    document = Document("t", [], [section])
    markdown = render_markdown(document)
    assert "## Ames sensitivity" in markdown and "(figures/ames-sensitivity.png)" in markdown
    assert "q2.2b − q2.2a test RMSE" in render_html(document, tmp_path)


def test_no_runs_give_a_section_without_a_figure(tmp_path):
    section = sensitivity_section(SeedResults(), tmp_path)
    assert not [b for b in section.blocks if isinstance(b, Figure)]
    assert any("untested" in b.text for b in section.blocks if isinstance(b, Paragraph))


def test_interval_text():
    assert interval_text(None) == "—"
    assert interval_text(mean_interval([0.25])) == "0.2500"
    interval = mean_interval([0.1, 0.2, 0.3])
    assert interval_text(interval) == f"0.2000 [{interval.low:.4f}, {interval.high:.4f}]"
    assert interval_text(mean_interval([-0.5, -0.5]), signed=True) == "-0.5000 [-0.5000, -0.5000]"
