"""``dlbasics verify-math``: check the report's derivations numerically (see docs/theory.md)."""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

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


def load_function(spec: str) -> Callable[..., Any]:
    """The function ``attr`` of ``module:attr`` (an importable module) or ``path.py:attr``."""
    source, _, attr = spec.rpartition(":")
    if not source or not attr:
        raise ConfigError(f"invalid --function {spec!r}: must be module:attr or path.py:attr")
    try:
        if source.endswith(".py"):
            if not Path(source).is_file():
                raise ConfigError(f"invalid --function {spec!r}: no such file {source}")
            module_spec = importlib.util.spec_from_file_location(Path(source).stem, source)
            assert module_spec is not None and module_spec.loader is not None
            module = importlib.util.module_from_spec(module_spec)
            module_spec.loader.exec_module(module)
        else:
            module = importlib.import_module(source)
    except ConfigError:
        raise
    except Exception as error:  # the user's module may fail to import in any way
        message = f"{type(error).__name__}: {error}".splitlines()[0]
        raise ConfigError(
            f"invalid --function {spec!r}: cannot import {source} ({message})"
        ) from None
    function = getattr(module, attr, None)
    if not callable(function):
        raise ConfigError(f"invalid --function {spec!r}: {source} has no function {attr!r}")
    return function


def _claims(claim: list[str], functions: list[str]) -> list[int] | None:
    """The claims chosen with --claim (numbers or names); --function needs exactly one."""
    from dlbasics import theory

    numbers = []
    for text in claim:
        try:
            numbers.append(theory.claim_number(text))
        except ValueError:
            names = ", ".join(theory.SLUGS.values())
            raise ConfigError(
                f"invalid --claim {text!r}: must be a claim number 1 to {len(theory.CHECKS)} "
                f"or a name ({names})"
            ) from None
    if functions and len(set(numbers)) != 1:
        raise ConfigError("invalid --function: give exactly one --claim to check it against")
    return numbers or None


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
            help="Check only claim K (1-8, or a name such as sigmoid-derivative); repeatable (default: all eight).",
        ),
    ] = None,
    function: Annotated[
        list[str] | None,
        typer.Option(
            "--function",
            metavar="MODULE:ATTR",
            help="Check your function (module:attr or path.py:attr) in place of the report's "
            "formula for the one --claim; repeat for a claim of two formulas (default: the "
            "report's formulas).",
        ),
    ] = None,
    no_extreme: Annotated[
        bool,
        typer.Option(
            "--no-extreme",
            help="Leave out the extreme cases (|z| up to 1e3) of claims 1-4: a naive but "
            "correct formula then passes.",
        ),
    ] = False,
) -> None:
    """Check the report's eight derivations numerically: autograd oracle, finite differences.

    Prints claim | method | cases | worst error | tolerance | PASS/FAIL (or JSON with --json)
    and exits with status 1 if any claim fails.
    """
    from dlbasics import theory  # imports torch: only when this command runs

    n_cases = _parse_int("--cases", cases, 1, MAX_CASES)
    n_seed = check_seed(_parse_int("--seed", seed))
    numbers = _claims(claim or [], function or [])
    if function:
        assert numbers is not None
        formulas = [load_function(spec) for spec in function]
        results = [
            theory.check_claim(
                numbers[0], *formulas, cases=n_cases, seed=n_seed, extreme=not no_extreme
            )
        ]
    else:
        results = theory.verify_all(
            cases=n_cases, seed=n_seed, claims=numbers, extreme=not no_extreme
        )
    if as_json:
        print(json.dumps(theory.results_to_json(results), indent=2, allow_nan=False))
    else:
        print(theory.format_table(results))
    if not theory.all_passed(results):
        raise typer.Exit(code=1)
