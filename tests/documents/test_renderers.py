"""REPORT.md and index.html render the same document; the HTML is self-contained and valid."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dlbasics.documents.document import (
    Badge,
    Code,
    Disclosure,
    Document,
    Figure,
    Note,
    Paragraph,
    Section,
    Table,
)
from dlbasics.documents.html import render_html
from dlbasics.documents.markdown import render_markdown
from dlbasics.report.figures import templates_figure
from tests.report.htmlcheck import assert_images_are_embedded_pngs, parse_page


def _document(tmp_path: Path) -> Document:
    figure = templates_figure(
        np.random.default_rng(0).normal(size=(10, 784)),
        [str(i) for i in range(10)],
        tmp_path / "figures" / "t.png",
    )
    assert figure.exists()
    return Document(
        "Title <&>",
        [Paragraph("Intro with **bold**, `code` and a [link](#two).")],
        [
            Section("one", "Q1 — first").add(
                Table(
                    ["a", "b|c"],
                    [["1.5", Badge("PASS", "pass")], ["x|y", Badge("FAIL", "fail")]],
                    caption="cap",
                ),
                Note("careful <script>alert(1)</script>", "warn"),
            ),
            Section("two", "Q2 — second").add(
                Figure(Path("figures/t.png"), "Templates", alt="templates"),
                Figure(Path("figures/missing.png"), "A figure that is not there"),
                Code("Traceback\n  line <1>"),
            ),
        ],
    )


def test_html_is_well_formed_self_contained_and_escaped(tmp_path):
    page = render_html(_document(tmp_path), tmp_path)
    parser = parse_page(page)
    assert parser.errors == []
    assert parser.stack == []  # every element closed
    assert {"one", "two"} <= set(parser.ids)
    assert len(parser.images) == 1  # the missing figure is a note, never a broken <img>
    assert_images_are_embedded_pngs(parser)
    assert "Figure missing" in page
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<strong>bold</strong>" in page and "<code>code</code>" in page
    assert '<a href="#two">link</a>' in page
    assert 'class="badge fail"' in page
    assert "http://" not in page and "https://" not in page  # nothing loaded from elsewhere


def test_markdown_has_every_section_table_and_figure_link(tmp_path):
    text = render_markdown(_document(tmp_path))
    assert text.startswith("# Title <&>\n")
    assert "## Q1 — first" in text and "## Q2 — second" in text
    assert '<a id="one"></a>' in text and '<a id="two"></a>' in text
    assert "| a | b\\|c |" in text  # a pipe inside a cell is escaped
    assert "| x\\|y | **FAIL** |" in text
    assert "![templates](figures/t.png)" in text
    assert "> **Note:** careful" in text
    assert "```\nTraceback\n  line <1>\n```" in text


def test_a_page_without_sections_has_no_contents_line():
    text = render_markdown(Document("One part", [Paragraph("Only this.")], []))
    assert text == "# One part\n\nOnly this.\n"


def test_a_disclosure_opens_in_html_and_is_listed_under_the_markdown_table(tmp_path):
    cell = Disclosure("0.5000", ["seed 42: 0.4000", "seed 7: 0.6000"], "x, per seed")
    document = Document("T", [], [Section("s", "S").add(Table(["a", "b"], [["q", cell]]))])
    page = render_html(document, tmp_path)
    assert parse_page(page).errors == []
    assert (
        '<td class="num"><details title="x, per seed"><summary>0.5000</summary>'
        "<ul><li>seed 42: 0.4000</li><li>seed 7: 0.6000</li></ul></details></td>"
    ) in page
    markdown = render_markdown(document)
    assert "| q | 0.5000 [1] |" in markdown
    assert "- [1] x, per seed: seed 42: 0.4000; seed 7: 0.6000" in markdown
