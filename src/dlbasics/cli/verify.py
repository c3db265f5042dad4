"""``dlbasics verify-math``: check the report's derivations numerically (see docs/theory.md)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from dlbasics.cli.app import app
from dlbasics.errors import ConfigError
from dlbasics.training.hyperparameters import check_seed

# Random cases per claim: 500 times the default; more only take longer to say the same.
MAX_CASES = 100_000


def _parse_int(flag: str, text: str, minimum: int | None = None, maximum: int | None = None) -> int:
    """Parse a flag's integer value ourselves, so a bad value is one ``error:`` line."""
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"invalid {flag} {text!r}: must be an integer") from None
    if minimum is None:
        return value
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ConfigError(f"invalid {flag} {text!r}: must be an integer {bound}")
    return value


@app.command("verify-math")
def verify_math(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the results as JSON instead of a table.")
    ] = False,
    cases: Annotated[
        str,
        typer.Option(
            "--cases",
            metavar="N",
            help="Random cases per claim (the fixed extreme cases are added on top).",
        ),
    ] = "200",
    seed: Annotated[
        str, typer.Option("--seed", metavar="S", help="Random seed (same seed, same numbers).")
    ] = "0",
    claim: Annotated[
        list[str] | None,
        typer.Option(
            "--claim",
            metavar="K",
            help="Check only claim K (1-8); repeatable (default: all eight).",
        ),
    ] = None,
) -> None:
    """Check the report's eight derivations numerically: autograd oracle, finite differences.

    Prints claim | method | cases | worst error | tolerance | PASS/FAIL (or JSON with --json)
    and exits with status 1 if any claim fails.
    """
    from dlbasics import theory  # imports torch: only when this command runs

    number_of_claims = len(theory.CHECKS)
    results = theory.verify_all(
        cases=_parse_int("--cases", cases, 1, MAX_CASES),
        seed=check_seed(_parse_int("--seed", seed)),
        claims=[_parse_int("--claim", k, 1, number_of_claims) for k in claim or []] or None,
    )
    if as_json:
        print(json.dumps(theory.results_to_json(results), indent=2, allow_nan=False))
    else:
        print(theory.format_table(results))
    if not theory.all_passed(results):
        raise typer.Exit(code=1)
