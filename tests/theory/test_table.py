"""The JSON document of ``verify-math --json`` and the printed table."""

from __future__ import annotations

import json

import numpy as np

from dlbasics import theory
from tests.theory.helpers import JSON_KEYS


def test_results_to_json_schema_and_non_finite_errors():
    results = theory.verify_all(cases=3, seed=0, claims=[1, 6])
    results.append(theory.check_sigmoid_derivative(lambda z: np.full_like(z, np.nan), cases=3))
    document = theory.results_to_json(results)
    assert set(document) == {"claims"}
    for claim in document["claims"]:
        assert set(claim) == JSON_KEYS
        assert isinstance(claim["cases"], int) and claim["status"] in ("PASS", "FAIL")
    assert document["claims"][-1]["worst_error"] is None  # inf -> null, JSON stays valid
    json.dumps(document, allow_nan=False)


def test_table_lists_every_claim_and_the_counterexample():
    results = theory.verify_all(cases=4, seed=0)
    table = theory.format_table(results)
    lines = table.splitlines()
    cells = [cell.strip() for cell in lines[0].split("|")]
    assert cells == ["claim", "method", "cases", "worst error", "tolerance", "status"]
    rows = lines[2:10]
    assert [row.split("|")[0].strip() for row in rows] == [r.name for r in results]
    assert all(row.endswith("PASS") for row in rows)
    assert "8/8 claims pass." in table and "counterexample at x=" in table
