"""The two ways results are shown: the JSON document of ``verify-math --json`` and the table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from typing import Any

from dlbasics.results.io import to_jsonable
from dlbasics.theory.measure import ClaimResult


def results_to_json(results: Sequence[ClaimResult]) -> dict[str, Any]:
    """``{"claims": [{"name", "method", "cases", "worst_error", "tolerance", "status", "detail"}]}``
    (a non-finite worst_error becomes null)."""
    keys = ("name", "method", "cases", "worst_error", "tolerance", "status", "detail")
    claims = []
    for result in results:
        record = asdict(result)
        claims.append(to_jsonable({key: record[key] for key in keys}))
    return {"claims": claims}


def format_table(results: Sequence[ClaimResult]) -> str:
    """The table the CLI prints: claim | method | cases | worst error | tolerance | status,
    then each claim's detail line (per-method worst errors, counterexample)."""
    header = ("claim", "method", "cases", "worst error", "tolerance", "status")
    rows = [
        (
            r.name,
            r.method,
            str(r.cases),
            f"{r.worst_error:.2e}",
            f"{'>' if r.passes_above else '<='} {r.tolerance:.0e}",
            r.status,
        )
        for r in results
    ]
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    right_aligned = {2, 3}

    def line(row: Sequence[str]) -> str:
        cells = [
            cell.rjust(width) if i in right_aligned else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        return " | ".join(cells).rstrip()

    out = [line(header), "-+-".join("-" * w for w in widths)]
    out += [line(row) for row in rows]
    passed = sum(r.status == "PASS" for r in results)
    out.append("")
    out.append(f"{passed}/{len(results)} claims pass.")
    out.append("")
    out.append("Details (worst mixed error per method; see docs/theory.md):")
    for r in results:
        out.append(f"  {r.name}: {r.detail}")
    return "\n".join(out)
