"""``dlbasics reproduce --quick`` end to end: every step runs, both report files are complete."""

from __future__ import annotations

import base64
import json

import pytest

from dlbasics.documents.html import PNG_SIGNATURE
from dlbasics.pipeline import STEP_NAMES, ReproduceOptions, reproduce
from tests.report.htmlcheck import assert_images_are_embedded_pngs, parse_page

pytestmark = pytest.mark.realdata

SECTIONS = ["q1", "q2-2a", "q2-2b", "q3-1a", "q3-1b", "q3-2b", "q4-1", "q4-2", "q4-3"]
EXTRA_SECTIONS = ["best-classifier", "ames-sensitivity", "comparison", "claims", "metadata"]
# Figures the report must show: the report's Figures 1-8 and the pictures added to them.
FIGURES = [
    "q2.2a-figure1.png",
    "q2.2b-figure2.png",
    "q3.1a-figure3.png",
    "q3.1a-templates.png",
    "q3.1b-figure4.png",
    "q3.1b-templates.png",
    "q3.2b-figure5.png",
    "q4.1-sweep_dev_acc.png",
    "q4.2-sweep_dev_acc.png",
    "q4.3-sweep_dev_acc.png",
    "best-confusion.png",
    "best-misclassified.png",
    "ames-sensitivity.png",
]


def test_every_step_succeeds(quick_report):
    out, result = quick_report
    assert [o.step.name for o in result.outcomes] == list(STEP_NAMES)
    assert {o.step.name: o.error for o in result.outcomes if o.status != "ok"} == {}
    assert result.report_files == [out / "REPORT.md", out / "index.html", out / "summary.json"]


def test_html_report_has_every_section_and_figure_embedded(quick_report):
    out, _ = quick_report
    page = (out / "index.html").read_text("utf-8")
    parser = parse_page(page)
    assert parser.errors == [] and parser.stack == []
    assert set(SECTIONS + EXTRA_SECTIONS) <= set(parser.ids)
    assert_images_are_embedded_pngs(parser)
    embedded = {base64.b64decode(image["src"].split(",", 1)[1]) for image in parser.images}
    for name in FIGURES:
        assert (out / "figures" / name).read_bytes() in embedded, name
    assert "Figure missing" not in page
    for heading in (
        "Q1, Q2.1, Q3.2a",
        "Q2.2a",
        "Q2.2b",
        "Q3.1a",
        "Q3.1b",
        "Q3.2b",
        "Q4.1",
        "Q4.2",
        "Q4.3",
    ):
        assert f"<h2>{heading} —" in page


def test_markdown_report_links_every_figure(quick_report):
    out, _ = quick_report
    text = (out / "REPORT.md").read_text("utf-8")
    for anchor in SECTIONS + EXTRA_SECTIONS:
        assert f'<a id="{anchor}"></a>' in text
    for name in FIGURES:
        assert f"(figures/{name})" in text
        assert (out / "figures" / name).read_bytes().startswith(PNG_SIGNATURE)
    linked = {
        line.split("](", 1)[1].rstrip(")") for line in text.splitlines() if line.startswith("![")
    }
    assert all((out / link).is_file() for link in linked)  # no broken image link


def test_summary_lists_every_comparison_row(quick_report):
    out, _ = quick_report
    summary = json.loads((out / "summary.json").read_text())
    assert summary["quick"] is True
    assert [s["status"] for s in summary["steps"]] == ["ok"] * len(STEP_NAMES)
    verdicts = {row["verdict"] for row in summary["comparison"]}
    assert "missing" not in verdicts and verdicts <= {"quick run", "info"}
    ames = {row["features"]: row for row in summary["ames_sensitivity"]}
    assert list(ames) == ["minmax", "zscore", "homework"]
    assert [ames[f]["n_features"] for f in ames] == [320, 320, 346]
    assert all(row["difference"]["n_seeds"] == 1 for row in ames.values())


def test_summary_lists_the_claims_with_their_intervals(quick_report):
    out, _ = quick_report
    claims = json.loads((out / "summary.json").read_text())["claims"]
    assert [c["id"][0] for c in claims][:1] == ["1"] and len(claims) >= 9
    for claim in claims:
        assert {"claim", "quantity", "mean", "ci_low", "ci_high", "n_seeds", "verdict"} <= set(
            claim
        )
        assert claim["n_seeds"] == len(claim["per_seed"]) >= 1
        assert claim["verdict"] in ("holds", "does not hold", "cannot be told apart")
    assert "6" in {c["id"] for c in claims}  # the identity-activation step ran


def test_a_rerun_is_served_from_the_cache(quick_report):
    out, first = quick_report
    again = reproduce(ReproduceOptions(out=out, quick=True, quiet=True))
    assert all(o.cached for o in again.outcomes)
    assert [o.wall_seconds for o in again.outcomes] == [o.wall_seconds for o in first.outcomes]
    assert again.wall_seconds < 30
