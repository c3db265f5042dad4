"""Is the worker of a RUNNING trial alive? Heartbeats while a trial trains, and the stale watch.

One interface, :class:`Liveness` (``heartbeat(trial_id)`` while training, ``lost(running)``
while waiting), with two backends; :func:`liveness_for` picks one for a storage:

- the journal file, where Optuna has no heartbeat: a thread stamps the trial's ``heartbeat``
  user attribute every ``interval`` seconds. A RUNNING trial is lost when, on the same host,
  its worker process is gone (at once), or when its stamp has not *changed* for ``grace``
  seconds of the observer's own clock (so the clocks of different machines need not agree);
- PostgreSQL (:class:`RdbLiveness`): the same, plus Optuna's own heartbeat. The thread also
  calls ``RDBStorage.record_heartbeat``, and a trial that Optuna finds stale (its last heartbeat
  older than ``grace_period`` by the database's clock) is lost at once, even to a command that
  has only just started watching.

Why keep our stamp and watch on PostgreSQL too: Optuna judges only trials that have a heartbeat
row, so a RUNNING trial of a study made by the previous version of this code (user attribute
only), or of a worker killed between its pop and its first heartbeat, would wait forever; and
workers of that version sharing the study read the user attribute. Why not Optuna's
``fail_stale_trials``: it marks the trial FAIL without our ``fail_reason`` (a finished trial
takes no more attributes) and its retry callback copies the dead worker's attributes (see
:func:`dlbasics.sweep.queue.requeue`). So :meth:`Liveness.lost` only *finds* lost trials; the
queue fails and requeues them.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dlbasics.sweep.attributes import HEARTBEAT, WORKER_HOST, WORKER_PID

HEARTBEAT_SECONDS = 10.0
GRACE_SECONDS = 60.0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # exists, owned by someone else
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """A process that has ended but not been reaped yet (a ``--jobs`` worker killed while its
    parent, the command's own worker, is busy): dead, though ``kill(pid, 0)`` still finds it."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            # "pid (name) state ...": the name may hold spaces and parentheses, the state follows
            # the last ")"
            return handle.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except (OSError, IndexError):  # no /proc (not Linux), or gone meanwhile
        return False


@dataclass
class StaleWatch:
    """Decides when a RUNNING trial belongs to a dead worker, without trusting other clocks:
    a heartbeat that has not *changed* for ``grace`` seconds of our own clock is stale."""

    grace: float
    seen: dict[int, tuple[Any, float]] = field(default_factory=dict)
    clock: Callable[[], float] = time.monotonic

    def is_stale(self, trial: Any) -> bool:
        host, pid = trial.user_attrs.get(WORKER_HOST), trial.user_attrs.get(WORKER_PID)
        if host == socket.gethostname() and isinstance(pid, int) and not _pid_alive(pid):
            return True
        beat = trial.user_attrs.get(HEARTBEAT)
        now = self.clock()
        last = self.seen.get(trial.number)
        if last is None or last[0] != beat:
            self.seen[trial.number] = (beat, now)
            return False
        return now - last[1] > self.grace


class Heartbeat:
    """A daemon thread calling ``beat`` every ``interval`` seconds while a trial trains.

    ``taken_over`` turns true when the storage refuses a beat because the trial has finished:
    someone else finished it (its worker was declared lost), so the thread stops and the result
    will be dropped. Any other failure (a database that does not answer for a moment) skips
    that beat only: the trial is still ours, and recording its result will tell whether the
    storage is back.
    """

    def __init__(self, beat: Callable[[], None], interval: float) -> None:
        self._beat, self.interval = beat, interval
        self.stop = threading.Event()
        self.taken_over = False
        self.thread = threading.Thread(target=self._run, name="sweep-heartbeat", daemon=True)

    def beat(self) -> bool:
        from optuna.exceptions import UpdateFinishedTrialError

        try:
            self._beat()
        except UpdateFinishedTrialError:  # finished by someone else (declared lost): stop
            self.taken_over = True
            return False
        except Exception:  # noqa: BLE001  a beat missed; the next one may get through
            pass
        return True

    def _run(self) -> None:
        while not self.stop.wait(self.interval):
            if not self.beat():
                return

    def __enter__(self) -> Heartbeat:
        self.beat()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


class Liveness:
    """Heartbeats and the stale watch of one study in a journal-file storage."""

    def __init__(self, storage: Any, study_id: int, interval: float, grace: float) -> None:
        self.storage, self.study_id, self.interval = storage, study_id, interval
        self.watch = StaleWatch(grace)

    def heartbeat(self, trial_id: int) -> Heartbeat:
        """A context manager that keeps ``trial_id`` alive while its block runs."""
        return Heartbeat(lambda: self._beat(trial_id), self.interval)

    def _beat(self, trial_id: int) -> None:
        self.storage.set_trial_user_attr(trial_id, HEARTBEAT, time.time())

    def lost(self, running: list[Any]) -> list[Any]:
        """The trials of ``running`` (RUNNING, of this study) whose worker is gone."""
        return [trial for trial in running if self.watch.is_stale(trial)]


class RdbLiveness(Liveness):
    """The journal's mechanism plus Optuna's RDB heartbeat (see the module docstring)."""

    def _beat(self, trial_id: int) -> None:
        super()._beat(trial_id)  # first: it fails once the trial has finished
        self.storage.record_heartbeat(trial_id)

    def lost(self, running: list[Any]) -> list[Any]:
        watched = {trial.number for trial in super().lost(running)}  # every trial: see each stamp
        # Optuna's stale check (the one ``fail_stale_trials`` runs), without failing anything
        stale = set(self.storage._get_stale_trial_ids(self.study_id)) if running else set()

        def optuna_stale(trial: Any) -> bool:
            if not stale:
                return False
            number = trial.number
            return (
                self.storage.get_trial_id_from_study_id_trial_number(self.study_id, number) in stale
            )

        return [trial for trial in running if trial.number in watched or optuna_stale(trial)]


def liveness_for(storage: Any, study_id: int, interval: float, grace: float) -> Liveness:
    """Optuna's heartbeat where the storage has one (PostgreSQL), ours alone elsewhere."""
    from optuna.storages import RDBStorage

    kind = RdbLiveness if isinstance(storage, RDBStorage) else Liveness
    return kind(storage, study_id, interval, grace)
