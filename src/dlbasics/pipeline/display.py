"""The overall progress of a reproduction on stderr: unit i/N, elapsed time and ETA.

A unit is a step, or in a many-seed reproduction one (step, seed); several may run at once
(``workers``), which the ETA divides the later units' estimates by.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

from dlbasics.progress import bar, progress_enabled
from dlbasics.results.steps import Step, StepOutcome


def _label(name: str, seed: int | None) -> str:
    return name if seed is None else f"{name} seed {seed}"


def _clock(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


class Display:
    """The overall progress: step i/N, elapsed, ETA; each step shows its own bar below it.

    On a terminal an outer bar is refreshed every second (from a background thread, so the
    clock moves while a step runs); otherwise (logs, CI) one line is printed when a step starts
    and one when it ends. ``--quiet`` prints nothing.
    """

    def __init__(
        self, total: int, estimates: dict[str, float], *, quiet: bool, workers: int = 1
    ) -> None:
        self.total = total
        self.workers = workers
        self.estimates = estimates
        self.quiet = quiet
        self.tty = progress_enabled(quiet)
        self.started = time.monotonic()
        self.step_started = self.started
        self.remaining: list[str] = []
        self.current = ""
        self.index = 0
        self._indices: dict[str, int] = {}
        self._lock = threading.Lock()  # units start and end from a monitoring thread too
        self._bar: Any = None
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def eta(self) -> tuple[float, bool]:
        """Seconds left (the rest of the current step's estimate plus the later steps'), and
        whether the current step has overrun its estimate (then the figure is a lower bound)."""
        now = time.monotonic()
        current = self.estimates.get(self.current, 0.0) - (now - self.step_started)
        later = sum(self.estimates.get(name, 0.0) for name in self.remaining) / self.workers
        return max(current, 0.0) + later, current < 0

    def _status(self) -> str:
        elapsed = time.monotonic() - self.started
        left, overrun = self.eta()
        return f"elapsed {_clock(elapsed)} · ETA {'>' if overrun else '~'}{_clock(left)}"

    def _describe(self) -> str:
        return f"reproduce [{self.index}/{self.total}] {self.current} · {self._status()}"

    def begin(self, plan: list[str]) -> None:
        self.remaining = list(plan)
        if self.tty:
            self._bar = bar(
                total=self.total,
                enabled=True,
                desc="reproduce",
                bar_format="{desc} |{bar:16}|",
                position=0,
                leave=True,
            )
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            if self._bar is not None and self.current:
                self._bar.set_description_str(self._describe())

    def start(self, step: Step, seed: int | None = None) -> None:
        """Unit ``step`` (of ``seed``, in a many-seed reproduction) starts: the next index."""
        with self._lock:
            self.index += 1
            label = _label(step.name, seed)
            self._indices[label] = self.index
            self.current = step.name
            self.step_started = time.monotonic()
            if step.name in self.remaining:
                self.remaining.remove(step.name)
            if self._bar is not None:
                self._bar.set_description_str(self._describe())
            elif not self.quiet:
                self._line(
                    f"[{self.index}/{self.total}] {label} ({step.title}): running · "
                    f"{self._status()}"
                )

    def finish(self, outcome: StepOutcome) -> None:
        with self._lock:
            label = _label(outcome.step.name, outcome.seed)
            how = "cached" if outcome.cached else f"{outcome.wall_seconds or 0:.1f} s"
            text = f"[{self._indices.get(label, self.index)}/{self.total}] {label}: "
            text += f"{outcome.status} ({how})"
            if outcome.status == "failed":
                text += f": {outcome.error}"
            if self._bar is not None:
                self._bar.write(text, file=sys.stderr)
                self._bar.update(1)
            elif not self.quiet:
                self._line(text)

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._bar is not None:
            elapsed = _clock(time.monotonic() - self.started)
            self._bar.set_description_str(
                f"reproduce: {self.index}/{self.total} steps in {elapsed}"
            )
            self._bar.close()

    @staticmethod
    def _line(text: str) -> None:
        print(text, file=sys.stderr, flush=True)
