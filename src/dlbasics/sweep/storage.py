"""Where a sweep's study lives: the storage URL, opening it, the enqueue lock, the study.

Two kinds: a journal file ``optuna-journal.log`` in the output directory (the default; several
processes of one machine) or ``--storage postgresql://...`` (Optuna's ``RDBStorage``, shared by
many machines). A URL may hold a password: it is used to connect and never written anywhere;
what is shown and stored is :attr:`StorageSpec.display`, the same place with ``***``.

The enqueue lock serialises "look at the study, then add what is missing" across processes and
machines. Optuna has none to offer: its journal file locks (a symlink or an ``O_EXCL`` file)
guard its own appends and outlive a killed holder until their grace period passes, while
``fcntl.flock`` on a file beside the journal is released by the kernel the moment its holder
dies. On PostgreSQL the
lock is a session advisory lock, released the same way when the connection drops.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import math
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlbasics.errors import ConfigError, DlbasicsError
from dlbasics.results.staging import WRITE_ERRNOS, OutputError, describe_write_error
from dlbasics.sweep.grids import OBJECTIVE
from dlbasics.sweep.journal import open_journal
from dlbasics.sweep.liveness import GRACE_SECONDS, HEARTBEAT_SECONDS

JOURNAL_FILE = "optuna-journal.log"
CONNECT_TIMEOUT_SECONDS = 5


@dataclass(frozen=True)
class StorageSpec:
    """Where the study lives. ``url`` may hold a password: it is never written anywhere;
    ``display`` is the same place with the password replaced by ``***``."""

    kind: str  # "journal" | "postgresql"
    url: str
    display: str


def parse_storage(storage: str | None, out_dir: Path) -> StorageSpec:
    """The journal file in ``out_dir`` by default, else a PostgreSQL URL (checked, not opened)."""
    if storage is None or not storage.strip():
        path = Path(out_dir) / JOURNAL_FILE
        return StorageSpec("journal", str(path), f"journal:{path}")
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    text = storage.strip()
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise ConfigError(
            f"malformed --storage URL {_redact_text(text)!r}: expected "
            "postgresql://USER:PASSWORD@HOST:PORT/DATABASE"
        ) from None
    dialect = url.drivername.split("+")[0]
    if dialect not in ("postgresql", "postgres"):
        raise ConfigError(
            f"unsupported --storage {url.render_as_string(hide_password=True)!r}: only "
            "postgresql://... is supported; leave --storage out to use a journal file in the "
            "output directory"
        )
    if "+" not in url.drivername:
        # SQLAlchemy's default PostgreSQL driver is psycopg 3; we ship psycopg2.
        url = url.set(drivername=f"postgresql+{_postgres_driver()}")
    elif dialect == "postgres":
        url = url.set(drivername="postgresql+" + url.drivername.split("+", 1)[1])
    if not url.database:
        raise ConfigError(
            f"--storage {url.render_as_string(hide_password=True)!r} names no database: "
            "add /DATABASE at the end"
        )
    return StorageSpec(
        "postgresql",
        url.render_as_string(hide_password=False),
        url.render_as_string(hide_password=True),
    )


class DatabaseLost(DlbasicsError):
    """The connection to the study's database was lost while the sweep used it."""


@contextlib.contextmanager
def storage_errors(spec: StorageSpec) -> Iterator[None]:
    """While a sweep uses its study: a lost database connection, or a journal file that cannot be
    written (full disk, no permission), is one line saying what was lost and how to resume.

    Each command keeps its results in the study, so a rerun of the same command resumes: its
    trials whose worker vanished are found lost and run again.
    """
    try:
        yield
    except OSError as error:
        if spec.kind != "journal" or error.errno not in WRITE_ERRNOS:
            raise
        raise OutputError(
            f"{describe_write_error(error, error.filename or spec.url)}; "
            "rerun the same command to resume once it can be written"
        ) from None
    except DlbasicsError:
        raise  # already one line (e.g. "cannot use the database ...")
    except Exception as error:
        reason = lost_connection(error) if spec.kind == "postgresql" else None
        if reason is None:
            raise
        password = _password(spec.url)
        if password:
            reason = reason.replace(password, "***")
        raise DatabaseLost(
            f"lost the connection to the study's database ({spec.display}): {reason}; "
            "rerun the same command to resume"
        ) from None


def lost_connection(error: BaseException) -> str | None:
    """The driver's reason when ``error`` comes from a lost or refused database connection
    (directly, or as the cause of Optuna's ``StorageInternalError``), else None."""
    from sqlalchemy import exc

    lost = (exc.OperationalError, exc.InterfaceError, exc.DisconnectionError)
    seen: BaseException | None = error
    for _ in range(10):  # the chain of causes, never a cycle
        if seen is None:
            return None
        invalidated = isinstance(seen, exc.DBAPIError) and seen.connection_invalidated
        if isinstance(seen, lost) or invalidated or isinstance(seen, exc.PendingRollbackError):
            # the driver's own words: SQLAlchemy's text adds the SQL statement and its parameters
            lines = str(getattr(seen, "orig", None) or seen).strip().splitlines()
            return lines[0] if lines else type(seen).__name__
        seen = seen.__cause__ or (None if seen.__suppress_context__ else seen.__context__)
    return None


def _password(url: str) -> str | None:
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).password
    except Exception:  # noqa: BLE001  a URL that parsed once parses again; be safe anyway
        return None


def _postgres_driver() -> str:
    for module, driver in (("psycopg2", "psycopg2"), ("psycopg", "psycopg")):
        with contextlib.suppress(ImportError):
            __import__(module)
            return driver
    raise ConfigError("PostgreSQL storage needs the psycopg2 package (pip install psycopg2-binary)")


def _redact_text(text: str) -> str:
    """Hide a password in a URL that could not be parsed (``scheme://user:secret@host``)."""
    if "@" in text and "://" in text:
        scheme, rest = text.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}" if ":" in credentials else text
    return text


def open_storage(
    spec: StorageSpec,
    *,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
    grace_seconds: float = GRACE_SECONDS,
) -> Any:
    """Open the Optuna storage; an unreachable database is one clear error, within seconds.

    On PostgreSQL, Optuna's own heartbeat is switched on (``heartbeat_interval``,
    ``grace_period``, whole seconds) for :mod:`dlbasics.sweep.liveness`; the journal file has none.
    """
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    if spec.kind == "journal":
        try:
            return open_journal(Path(spec.url))
        except OSError as error:
            raise DlbasicsError(
                f"cannot use the journal file {spec.url}: {error.strerror}"
            ) from None
    import sqlalchemy
    from sqlalchemy.exc import SQLAlchemyError

    engine_kwargs = {
        "connect_args": {"connect_timeout": CONNECT_TIMEOUT_SECONDS},
        "pool_pre_ping": True,
    }
    try:
        # Optuna creates its tables on first use, and two processes doing so at once on an empty
        # database collide ("duplicate key ... pg_type_typname_nsp_index"): take turns.
        probe = sqlalchemy.create_engine(
            spec.url, poolclass=sqlalchemy.pool.NullPool, **engine_kwargs
        )
        try:
            with (
                probe.connect() as connection,
                _advisory_lock(connection, "optuna-schema"),
                warnings.catch_warnings(),
            ):
                # the heartbeat arguments are "experimental" (a warning), stable since Optuna 2.9
                warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
                return optuna.storages.RDBStorage(
                    spec.url,
                    engine_kwargs=engine_kwargs,
                    heartbeat_interval=max(1, math.ceil(heartbeat_seconds)),
                    grace_period=max(1, math.ceil(grace_seconds)),
                )
        finally:
            probe.dispose()
    except (SQLAlchemyError, OSError) as error:
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()
        raise DlbasicsError(
            f"cannot use the database {spec.display}: {reason[0] if reason else type(error).__name__}"
        ) from None


@contextlib.contextmanager
def _advisory_lock(connection: Any, name: str) -> Iterator[None]:
    """A PostgreSQL session lock named ``name``, held by ``connection`` inside the block."""
    from sqlalchemy import text

    digest = hashlib.blake2b(f"dlbasics-sweep:{name}".encode(), digest_size=8).digest()
    lock_id = int.from_bytes(digest, "big", signed=True)
    connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": lock_id})
    connection.commit()
    try:
        yield
    finally:
        connection.execute(text("SELECT pg_advisory_unlock(:id)"), {"id": lock_id})
        connection.commit()


@contextlib.contextmanager
def enqueue_lock(spec: StorageSpec, storage: Any, study_name: str) -> Iterator[None]:
    """Serialise "look at the study, then add what is missing" across processes and machines."""
    if spec.kind == "journal":
        lock_path = Path(spec.url + ".enqueue-lock")
        with open(lock_path, "a+") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
        return
    with (
        storage.engine.connect() as connection,
        _advisory_lock(connection, f"enqueue:{study_name}"),
    ):
        yield


def open_study(storage: Any, study_name: str, sweep: str, display: str) -> Any:
    """Create the study or attach to it; a study made by another sweep is an error."""
    import optuna

    study = optuna.create_study(
        storage=storage, study_name=study_name, direction="maximize", load_if_exists=True
    )
    owner = study.user_attrs.get("sweep")
    if owner is None:
        study.set_user_attr("sweep", sweep)
        study.set_user_attr("objective", f"{OBJECTIVE} (maximize)")
    elif owner != sweep:
        raise ConfigError(
            f"study {study_name!r} in {display} belongs to sweep {owner}, not {sweep}; "
            "pass another --study name"
        )
    return study
