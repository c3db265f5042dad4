"""The journal file of a study (``optuna-journal.log``), checked before Optuna replays it.

Optuna's ``JournalFileBackend`` keeps one JSON record per line, each appended whole (and
fsynced) while its writer holds the journal's lock file. Two kinds of damage, two answers:

* **A torn final record**: a writer died in the middle of an append (``kill -9``, a crash, a
  full disk), so the last line has no newline. Optuna skips such a line when it reads, but its
  next append is glued to it, and the glued line then stops every later read with a
  ``JSONDecodeError``. So, under Optuna's own lock (no live writer is then mid-append), the torn
  tail is cut off. Only the dead writer's last update is lost, which the queue already handles:
  its trial is still RUNNING, its worker is gone, so it is lost and queued again.
* **Any other line that is not a record** (garbage, an empty line, JSON that is no operation):
  nothing can be repaired safely, so it is one :class:`JournalError` naming the file and the
  line, and the file is left as it is.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from dlbasics.errors import DlbasicsError

EXCERPT = 40  # characters of a damaged line shown in the message


class JournalError(DlbasicsError):
    """The journal file holds a damaged record: the study cannot be read until it is fixed."""


def open_journal(path: Path) -> Any:
    """The study's ``JournalStorage`` on ``path`` (created when missing), after the check."""
    import optuna
    from optuna.storages.journal import JournalFileBackend, JournalFileSymlinkLock

    path.parent.mkdir(parents=True, exist_ok=True)
    lock = JournalFileSymlinkLock(str(path))  # the lock Optuna's backend takes for every append
    backend = JournalFileBackend(str(path), lock_obj=lock)
    lock.acquire()
    try:
        damaged = check_journal(path)
    finally:
        lock.release()
    if damaged is not None:
        number, why = damaged
        raise JournalError(damaged_message(path, number, why))
    try:
        return optuna.storages.JournalStorage(backend)
    except (ValueError, KeyError, TypeError, IndexError, AssertionError) as error:
        # well-formed records whose content Optuna cannot apply (a field missing or wrong)
        why = f"{type(error).__name__}: {error}".strip()
        line = first_unreplayable(path)
        if line is None:
            raise JournalError(
                f"{path} cannot be replayed ({why}); move the file aside to start the study over"
            ) from None
        raise JournalError(damaged_message(path, line, why)) from None


def damaged_message(path: Path, number: int, why: str) -> str:
    return (
        f"{path} line {number} is not a journal record ({why}); "
        "move the file aside or delete that line to resume"
    )


def check_journal(path: Path) -> tuple[int, str] | None:
    """Cut off a torn final record; return the first other damaged line (1-based) and why.

    Call it holding the journal's lock: a line without its newline is then never a write in
    progress.
    """
    data = path.read_bytes()
    end = data.rfind(b"\n") + 1
    if end < len(data):
        os.truncate(path, end)
    for number, line in enumerate(data[:end].split(b"\n")[:-1], start=1):
        why = _not_a_record(line)
        if why is not None:
            return number, why
    return None


def _known_operations() -> set[int]:
    from optuna.storages.journal._storage import JournalOperation

    return {int(op) for op in JournalOperation}


def _not_a_record(line: bytes) -> str | None:
    """Why ``line`` (without its newline) is not a journal record, or None when it is one."""
    text = line.decode("utf-8", errors="replace").strip()
    if not text:
        return "an empty line"
    excerpt = repr(text if len(text) <= EXCERPT else text[:EXCERPT] + "...")
    try:
        record = json.loads(line)
    except ValueError:
        return f"not JSON: {excerpt}"
    if (
        not isinstance(record, dict)
        or record.get("op_code") not in _known_operations()
        or "worker_id" not in record
    ):
        return f"JSON but no journal operation: {excerpt}"
    return None


def first_unreplayable(path: Path) -> int | None:
    """The first line (1-based) whose record Optuna's replay rejects, or None if none does."""
    try:
        from optuna.storages.journal._storage import JournalStorageReplayResult
    except ImportError:  # another Optuna version: the message then names no line
        return None
    replay = JournalStorageReplayResult("dlbasics-check-")
    lines = path.read_bytes().split(b"\n")[:-1]
    for number, line in enumerate(lines, start=1):
        try:
            replay.apply_logs([json.loads(line)])
        except Exception:  # noqa: BLE001  any failure of this record is what we look for
            return number
    return None
