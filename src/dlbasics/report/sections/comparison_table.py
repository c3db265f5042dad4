"""The comparison section: every figure of the original report beside ours, with a verdict."""

from __future__ import annotations

from dlbasics.documents.document import Cell, Note, Paragraph, Section, Table
from dlbasics.report import comparison
from dlbasics.report.sections.common import comparison_cells, comparison_header, seeds_shown


def comparison_section(rows: list[comparison.Row], quick: bool) -> Section:
    section = Section("comparison", "Comparison with the original report")
    counts = comparison.summary(rows)
    judged = counts.get("PASS", 0) + counts.get("FAIL", 0)
    section.add(
        Paragraph(
            "Every figure of the original report beside ours. Targets come from the project's "
            "issues: our data split and Ames featurization differ slightly from the homework's "
            "files, so most numbers are held to a band rather than to equality; figures without "
            "a target are shown for information. " + _tally(counts, judged, quick)
        )
    )
    if quick:
        section.add(
            Note(
                "Quick run (a subset of the data, a few epochs): the targets are for the full "
                "data, so they are not judged here. Run `dlbasics reproduce` without --quick.",
                "warn",
            )
        )
    seeds = seeds_shown(rows)
    if seeds:
        section.add(Paragraph(_over_seeds(seeds)))
    body: list[list[Cell]] = [[row.step, *comparison_cells(row, seeds)] for row in rows]
    section.add(Table(["step", *comparison_header(seeds)], body))
    return section


def _over_seeds(seeds: int) -> str:
    return (
        f"Over {seeds} seeds, each of our numbers is the mean of the seeds' values (click it "
        "for each seed's own; REPORT.md lists them under the table) with its 95% confidence "
        "interval (Student t); the verdict judges the mean. A row that chooses between configurations (a best learning rate, the "
        "chosen depth) is chosen on the mean validation accuracy, and its interval is that of "
        "the difference it rests on, paired over the seeds; so is the fall of the distance "
        "to the closed form (first epoch minus last)."
    )


def _tally(counts: dict[str, int], judged: int, quick: bool) -> str:
    text = (
        "**Targets not judged (quick run)**"
        if quick
        else f"**{counts.get('PASS', 0)} of {judged} targets met**"
        + (f", {counts['FAIL']} missed" if counts.get("FAIL") else "")
    )
    if counts.get("missing"):
        text += f", {counts['missing']} figures missing (steps not run or failed)"
    return text + "."
