"""The verify-math section: the derivations' claims, checked numerically (Q1, Q2.1, Q3.2a)."""

from __future__ import annotations

from dlbasics.documents.document import Badge, Cell, Paragraph, Section, Table
from dlbasics.report.format import fmt, fmt_sci
from dlbasics.report.load import StepData
from dlbasics.report.sections.common import outcome_notes, run_line


def verify_math_section(data: StepData) -> Section:
    outcome = data.outcome
    section = Section("q1", f"{outcome.step.numbering} — {outcome.step.title} (verify-math)")
    section.add(
        Paragraph(
            "Each claim of the report's derivations is checked numerically against autograd "
            "(torch) and central finite differences over many random cases, including extreme "
            "inputs. `dlbasics verify-math` prints the same table."
        )
    )
    section.add(*outcome_notes(outcome))
    if data.claims:
        rows: list[list[Cell]] = [
            [
                str(claim.get("name", "")),
                str(claim.get("method", "")),
                fmt(claim.get("cases")),
                fmt_sci(claim.get("worst_error")),
                fmt_sci(claim.get("tolerance")),
                Badge(
                    str(claim.get("status")), "pass" if claim.get("status") == "PASS" else "fail"
                ),
            ]
            for claim in data.claims
        ]
        section.add(Table(["claim", "method", "cases", "worst error", "tolerance", "status"], rows))
        details = [[str(c["name"]), str(c["detail"])] for c in data.claims if c.get("detail")]
        if details:
            section.add(Table(["claim", "the checks behind it (worst error of each)"], details))
    if outcome.status != "not run":
        section.add(run_line(outcome, outcome.key.get("config")))
    return section
