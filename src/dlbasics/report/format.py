"""How the report writes values: numbers, signed differences, durations, configurations."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dlbasics.results.statistics import Interval


def fmt(value: Any, digits: int = 4) -> str:
    """Numbers to fixed decimals (integers as they are); None as an em dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        if value != 0 and (abs(value) < 10 ** -(digits - 1) or abs(value) >= 1e6):
            return f"{value:.3g}"
        return f"{value:.{digits}f}"
    return str(value)


def fmt_signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.4f}"


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s"


def fmt_mean_interval(
    interval: Interval, number: Callable[[Any], str] = fmt, alone: str = ""
) -> str:
    """``mean [low, high]`` of an interval over seeds; the mean and ``alone`` when there is no
    interval (fewer than two seeds with a value)."""
    if interval.n < 2 or math.isnan(interval.low):
        return number(interval.mean) + alone
    return f"{number(interval.mean)} [{number(interval.low)}, {number(interval.high)}]"


def fmt_config(config: dict[str, Any]) -> str:
    """``key=value, ...`` with hyperparameters as written on the command line (0.001, not 1e-03)."""
    return ", ".join(
        f"{key}={value:g}" if isinstance(value, float) else f"{key}={value}"
        for key, value in config.items()
    )


def fmt_sci(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.2e}"
    return fmt(value)


def fmt_plain(value: Any, digits: int = 4) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, float) and value != value:
        return "—"
    return fmt(value, digits)


def fmt_time_of_day(iso: str | None) -> str:
    """``2026-11-26T04:50:17+00:00`` -> ``04:50:17`` (the date is in the report's metadata)."""
    if not iso:
        return "—"
    try:
        return datetime.fromisoformat(iso).strftime("%H:%M:%S")
    except ValueError:
        return iso
