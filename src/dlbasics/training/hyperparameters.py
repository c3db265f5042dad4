"""The table of hyperparameters: each declared once, with its type, constraint and help.

The ``run`` command's flags (``--learning-rate`` ...), the validation of every configuration
(from the command line, a sweep grid or Python) and the docs' list of hyperparameters are all
derived from :data:`HYPERPARAMETERS`. An experiment's configuration is a frozen dataclass whose
fields are names of this table and whose defaults are the report's values; :func:`configure`
builds one from overrides and checks every value. Every integer has a range (see ``MAX_EPOCHS``
and its neighbours for why each bound). The seed is not a hyperparameter, but its rule lives
here too (:func:`check_seed`), so that every command and the library refuse the same seeds.

Messages name the flag (``--learning-rate``): this is the vocabulary of a run's configuration,
shared by the command line and the library.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from dlbasics.data.types import AMES_FEATURES
from dlbasics.errors import ConfigError
from dlbasics.scratch.functions import ACTIVATIONS
from dlbasics.scratch.mlp import INITS

# The optimisers by name; torchnets.optim and the fast engine implement exactly these (tested).
OPTIMIZER_NAMES = ("sgd", "adam")
ACTIVATION_NAMES = tuple(ACTIVATIONS)


# Upper bounds: above them a value is a typo on any machine (what a given machine can hold is
# checked apart, by the runner's memory estimate).
# * epochs: an epoch of per-example updates takes seconds to minutes here, so 10,000 epochs are
#   days to months of compute, far past the report's longest run (150); a larger value would
#   make `run` look hung and a sweep never finish.
# * hidden_size: a million units is 5,000 times the report's widest layer; from Fashion-MNIST's
#   784 inputs their weights alone are over 6 GB per copy in float64.
# * layers: the report uses 1 to 3; a thousand layers of per-example updates do not train.
# * batch_size: a million is 20 times the largest training split (50,000 examples).
MAX_EPOCHS = 10_000
MAX_HIDDEN_SIZE = 1_000_000
MAX_LAYERS = 1_000
MAX_BATCH_SIZE = 1_000_000

# Seeds: every generator used takes any integer in this range (torch's seeds stop at 2**64 - 1;
# 2**32 - 1 is the classic bound, the same in every command).
MAX_SEED = 2**32 - 1
SEED_RULE = f"must be an integer >= 0 and <= {MAX_SEED}"


def _in_range(value: Any, low: int, high: int) -> bool:
    return int(value) == value and low <= value <= high


def _is_positive(value: Any) -> bool:
    return value > 0 and math.isfinite(value)


@dataclass(frozen=True)
class Hyperparameter:
    """One hyperparameter: ``check(value)`` says whether ``value`` obeys ``rule``."""

    name: str
    type: type
    help: str
    rule: str
    check: Callable[[Any], bool]
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        """The command-line flag: ``learning_rate`` -> ``--learning-rate``."""
        return as_flag(self.name)

    def validate(self, value: Any) -> None:
        _check(self.flag, value, self.rule, self.check)


def _choice(name: str, help: str, choices: tuple[str, ...]) -> Hyperparameter:
    rule = f"must be one of {', '.join(choices)}"
    return Hyperparameter(name, str, help, rule, lambda v: v in choices, choices)


def _check(flag: str, value: Any, rule: str, check: Callable[[Any], bool]) -> None:
    try:
        valid = bool(check(value))
    except (TypeError, ValueError, ArithmeticError):  # int(inf) overflows: invalid, not a crash
        valid = False
    if not valid:
        raise ConfigError(f"invalid {flag} {value!r}: {rule}")


def _count(name: str, help: str, maximum: int) -> Hyperparameter:
    rule = f"must be an integer >= 1 and <= {maximum}"
    return Hyperparameter(name, int, help, rule, lambda v: _in_range(v, 1, maximum))


def check_seed(seed: Any, flag: str = "--seed") -> int:
    """``seed`` if it is an integer in ``0..MAX_SEED``, else a :class:`ConfigError`."""
    _check(flag, seed, SEED_RULE, lambda v: not isinstance(v, bool) and _in_range(v, 0, MAX_SEED))
    return int(seed)


# --seeds: more than a hundred seeds is a typo (each seed is a whole reproduction's work).
MAX_SEEDS = 100
SEEDS_RULE = (
    f"expected N (1 to {MAX_SEEDS} seeds from --seed on), A-B (a range) or a,b,c (a list), "
    "each seed an integer >= 0, no repeats"
)


def parse_seeds(text: str | None, seed: int = 42, flag: str = "--seeds") -> tuple[int, ...]:
    """The seeds a ``--seeds`` value names, in order; ``None``: ``(seed,)``, today's one seed.

    ``N``: ``seed, seed + 1, ..., seed + N - 1`` (so the single-seed run is the first of them);
    ``A-B``: ``A, A + 1, ..., B``; ``a,b,c``: those seeds. Every seed obeys :func:`check_seed`.

    Parameters
    ----------
    text : str or None
        The option's value as typed.
    seed : int
        The primary seed (``--seed``), where ``N`` starts.
    flag : str
        The option's name, for the message.

    Returns
    -------
    tuple of int
        At least one seed, at most :data:`MAX_SEEDS`, without repeats.

    Raises
    ------
    ConfigError
        Malformed text, an invalid seed, a repeat, no seed or too many.

    Examples
    --------
    >>> parse_seeds("3")
    (42, 43, 44)
    >>> parse_seeds("1-3"), parse_seeds("7, 5")
    ((1, 2, 3), (7, 5))
    """
    if text is None:
        return (check_seed(seed),)
    parts = [part.strip() for part in text.split(",")]

    def bad(why: str) -> ConfigError:
        return ConfigError(f"invalid {flag} {text!r}: {why}")

    if not all(part.isdigit() or _is_range(part) for part in parts) or not text.strip():
        raise bad(SEEDS_RULE)
    if len(parts) == 1 and parts[0].isdigit():
        count = int(parts[0])
        if not 1 <= count <= MAX_SEEDS:
            raise bad(f"the number of seeds must be >= 1 and <= {MAX_SEEDS}")
        seeds = [check_seed(seed) + i for i in range(count)]
    else:
        seeds = []
        for part in parts:
            low, _, high = part.partition("-")
            first, last = int(low), int(high or low)
            if last < first:
                raise bad(f"the range {part} is empty")
            if len(seeds) + last - first >= MAX_SEEDS:
                raise bad(f"at most {MAX_SEEDS} seeds")
            seeds.extend(range(first, last + 1))
    return check_seeds(seeds, flag)


def check_seeds(seeds: Any, flag: str = "--seeds") -> tuple[int, ...]:
    """``seeds`` as a tuple if it holds 1 to :data:`MAX_SEEDS` valid seeds without repeats.

    Raises
    ------
    ConfigError
        An invalid seed (:func:`check_seed`), a repeat, no seed or too many.
    """
    seeds = tuple(check_seed(value, flag) for value in seeds)
    if not 1 <= len(seeds) <= MAX_SEEDS:
        raise ConfigError(f"invalid {flag}: {len(seeds)} seeds, must be >= 1 and <= {MAX_SEEDS}")
    repeated = sorted({value for value in seeds if seeds.count(value) > 1})
    if repeated:
        raise ConfigError(f"invalid {flag}: seed {', '.join(map(str, repeated))} given twice")
    return seeds


def _is_range(part: str) -> bool:
    low, dash, high = part.partition("-")
    return bool(dash) and low.isdigit() and high.isdigit()


HYPERPARAMETERS: dict[str, Hyperparameter] = {
    h.name: h
    for h in (
        _count("epochs", "Number of epochs.", MAX_EPOCHS),
        Hyperparameter(
            "learning_rate", float, "Step size (> 0).", "must be a positive number", _is_positive
        ),
        _count("hidden_size", "Units per hidden layer.", MAX_HIDDEN_SIZE),
        _count("layers", "Number of hidden layers.", MAX_LAYERS),
        _choice(
            "activation",
            f"{', '.join(ACTIVATION_NAMES[:-1])} or {ACTIVATION_NAMES[-1]} "
            "(identity: the NumPy MLPs of Q2 and Q3, not the PyTorch network of Q4).",
            ACTIVATION_NAMES,
        ),
        Hyperparameter(
            "dropout",
            float,
            "Dropout probability in [0, 1).",
            "must be in [0, 1)",
            lambda v: 0 <= v < 1,
        ),  # fmt: skip
        _choice("optimizer", f"{' or '.join(OPTIMIZER_NAMES)}.", OPTIMIZER_NAMES),
        Hyperparameter(
            "l2_decay",
            float,
            "L2 penalty (>= 0).",
            "must be >= 0",
            lambda v: v >= 0 and math.isfinite(v),
        ),  # fmt: skip
        _count("batch_size", "Examples per update.", MAX_BATCH_SIZE),
        _choice(
            "init",
            f"Weight initialisation: {', '.join(INITS[:-1])} or {INITS[-1]}.",
            INITS,
        ),
        _choice(
            "features",
            f"Ames featurisation: {', '.join(AMES_FEATURES[:-1])} or {AMES_FEATURES[-1]} "
            "(docs/ames.md).",
            AMES_FEATURES,
        ),
    )
}


def as_flag(name: str) -> str:
    """The command-line flag of a hyperparameter: ``learning_rate`` -> ``--learning-rate``."""
    return "--" + name.replace("_", "-")


Config = TypeVar("Config")


def configure(config_type: type[Config], overrides: dict[str, Any], owner: str) -> Config:
    """``config_type`` (a dataclass of the report's defaults) with ``overrides`` applied.

    None values are ignored; a name the configuration does not have, or a value that breaks
    its rule, is a :class:`~dlbasics.errors.ConfigError` (``owner`` names the experiment).
    """
    overrides = {k: v for k, v in overrides.items() if v is not None}
    names = [f.name for f in dataclasses.fields(config_type)]  # type: ignore[arg-type]
    unknown = sorted(set(overrides) - set(names))
    if unknown:
        raise ConfigError(
            f"{owner} does not take {', '.join(map(as_flag, unknown))}; "
            f"its hyperparameters are: {', '.join(map(as_flag, names))}"
        )
    config = config_type(**overrides)
    for name, value in dataclasses.asdict(config).items():  # type: ignore[call-overload]
        HYPERPARAMETERS[name].validate(value)
    return config


def as_dict(config: Any) -> dict[str, Any]:
    """The configuration as the plain dict that metrics.json and the sweeps record."""
    return dataclasses.asdict(config)


def markdown_table() -> str:
    """The table as Markdown, for docs/hyperparameters.md (a test keeps the two equal)."""
    lines = ["| name | flag | type | rule | help |", "|---|---|---|---|---|"]
    for h in HYPERPARAMETERS.values():
        lines.append(f"| `{h.name}` | `{h.flag}` | {h.type.__name__} | {h.rule} | {h.help} |")
    return "\n".join(lines) + "\n"
