"""Progress bars: tqdm on a terminal, silent otherwise or when asked to be quiet."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

from tqdm.auto import tqdm

T = TypeVar("T")


def progress_enabled(quiet: bool = False) -> bool:
    return not quiet and sys.stderr.isatty()


def bar(iterable: Iterable[T] | None = None, *, enabled: bool, **kwargs: Any) -> Any:
    """A tqdm bar writing to stderr, disabled (zero overhead beyond the wrapper) when not enabled."""
    return tqdm(iterable, disable=not enabled, file=sys.stderr, dynamic_ncols=True, **kwargs)


def iterate(iterable: Iterable[T], *, enabled: bool, **kwargs: Any) -> Iterator[T]:
    yield from bar(iterable, enabled=enabled, **kwargs)
