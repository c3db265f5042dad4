"""The claims section: each conclusion of the report, the quantity that tests it, its mean and
95% interval over the seeds, and the verdict."""

from __future__ import annotations

from dlbasics.documents.document import Badge, Cell, Note, Paragraph, Section, Table, Tone
from dlbasics.report.format import fmt, fmt_mean_interval
from dlbasics.report.measure import Measured
from dlbasics.results.statistics import DOES_NOT_HOLD, HOLDS, UNDECIDED

VERDICT_TONES: dict[str, Tone] = {HOLDS: "pass", DOES_NOT_HOLD: "fail", UNDECIDED: "warn"}
HEADER = ("claim", "the report's words", "quantity", "claim on it", "mean [95% CI]", "seeds")


def claims_section(rows: list[Measured], notes: list[str]) -> Section:
    """The "Claims" section of the report.

    Parameters
    ----------
    rows : list of Measured
        The measured claims (:func:`dlbasics.report.claims.measure_all`).
    notes : list of str
        One note per claim left out (its steps did not finish).

    Returns
    -------
    Section
        A paragraph on how to read the verdicts, a note when a claim rests on one seed, the
        table (one row per claim, the verdict as a badge) and the notes.
    """
    section = Section("claims", "Claims")
    section.add(
        Paragraph(
            "Each conclusion of the report in its own words, the quantity that tests it, "
            "measured on every seed (paired: two configurations are compared on the same "
            "seeds), its mean and Student-t 95% interval over the seeds, and a verdict: "
            "**holds** (the interval excludes the opposite), **does not hold** (the interval "
            "excludes the claim) or **cannot be told apart** (the interval covers the "
            'boundary). A claim with a margin ("almost as well", "no better") is judged '
            'against the margin; a claim of a size ("12% lower") is judged on its direction, '
            "and the last column says whether the interval covers the report's size."
        )
    )
    fewest = min((row.interval.n for row in rows), default=0)
    if rows and fewest < 2:
        section.add(
            Note(
                "One seed: no interval can be drawn, so every claim measured on one seed "
                "reads **cannot be told apart**. One seed tells which way each quantity went "
                "in this run and by how much, not whether another seed would agree: the "
                "differences behind several claims are smaller than the spread between "
                "seeds. Reproduce over several seeds for verdicts.",
                "warn",
            )
        )
    body: list[list[Cell]] = []
    previous = ""
    for row in rows:
        claim = row.claim
        words = "" if claim.words == previous else f"“{claim.words}”"
        previous = claim.words
        body.append(
            [
                claim.id,
                words,
                claim.quantity,
                claim.test_text,
                interval_text(row),
                str(row.interval.n),
                Badge(row.verdict, VERDICT_TONES.get(row.verdict, "info")),
                magnitude_text(row),
            ]
        )
    if body:
        section.add(Table([*HEADER, "verdict", "the report's size"], body))
    section.add(*(Note(note, "warn") for note in notes))
    return section


def interval_text(row: Measured) -> str:
    """``mean [low, high]``; the mean alone below two seeds."""
    return fmt_mean_interval(row.interval, _number, " (no interval)")


def magnitude_text(row: Measured) -> str:
    """The report's size and whether our interval covers it ("" for a claim of direction)."""
    size = row.claim.magnitude
    if size is None or row.magnitude is None:
        return ""
    label = "" if size.label == row.claim.quantity else f"{size.label}: "
    ours = f"{label}report {size.report:g}, ours {_number(row.magnitude.mean)}"
    covers = row.covers
    if covers is None:
        return ours + " (no interval)"
    return ours + (", covered" if covers else ", not covered")


def _number(value: float) -> str:
    """A whole number (an epoch, 0) without decimals, any other as the report writes it."""
    if value == value and abs(value) < 1e6 and float(value).is_integer():
        return str(int(value))
    return fmt(value)
