"""A step runner for the pipeline's tests: tiny real work (a file in the step's folder)."""

from __future__ import annotations

import errno
import json
from pathlib import Path

from dlbasics.pipeline import ReproduceOptions, reproduce


class Recorder:
    """A step runner that records which steps ran; ``fail``/``interrupt``/``disk_full`` name
    steps to break (an exception, Ctrl-C, a write that finds the disk full)."""

    def __init__(self, fail: str = "", interrupt: str = "", disk_full: str = "") -> None:
        self.ran: list[str] = []
        self.fail, self.interrupt, self.disk_full = fail, interrupt, disk_full

    def __call__(self, step, outcome, options, needs) -> None:
        self.ran.append(step.name)
        (outcome.dir / "product.json").write_text(json.dumps({"needs": sorted(needs)}))
        if step.name == self.interrupt:
            raise KeyboardInterrupt
        if step.name == self.disk_full:
            raise OSError(errno.ENOSPC, "No space left on device")
        if step.name == self.fail:
            raise RuntimeError("boom in " + step.name)


def run_steps(tmp_path: Path, runner: Recorder, **kwargs):
    """Reproduce with ``runner`` in place of the steps; one worker (the steps in order) unless
    ``jobs`` says otherwise."""
    kwargs.setdefault("jobs", 1)
    options = ReproduceOptions(out=tmp_path / "out", quiet=True, **kwargs)
    return reproduce(options, build_report=False, step_runner=runner)


class LoggingRecorder:
    """A picklable step runner for worker processes: each unit it runs appends one line
    ``step seed`` to ``log`` (one write, so lines of processes running at once do not mix)."""

    def __init__(self, log: Path) -> None:
        self.log = log

    def __call__(self, step, outcome, options, needs) -> None:
        (outcome.dir / "product.json").write_text(json.dumps({"needs": sorted(needs)}))
        with self.log.open("a") as handle:
            handle.write(f"{step.name} {outcome.key['seed']} {options.sweep_workers}\n")

    def lines(self) -> list[tuple[str, int, int]]:
        """``(step, seed, the workers its sweep had)`` per unit run, in the order they ran."""
        words = self.log.read_text().split() if self.log.exists() else []
        triples = zip(words[::3], words[1::3], words[2::3], strict=True)
        return [(n, int(s), int(w)) for n, s, w in triples]

    def units(self) -> list[tuple[str, int]]:
        return [(name, seed) for name, seed, _ in self.lines()]
