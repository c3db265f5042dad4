"""Storage URLs, passwords, an unreachable database, and a study that belongs to another sweep."""

from __future__ import annotations

import socket
import time

import pytest

from dlbasics.errors import ConfigError, DlbasicsError
from dlbasics.sweep import parse_storage, run_sweep
from tests.sweep.toy import FAST


def test_storage_urls_are_checked_and_passwords_never_shown(tmp_path):
    journal = parse_storage(None, tmp_path)
    assert journal.kind == "journal" and journal.url == str(tmp_path / "optuna-journal.log")
    spec = parse_storage("postgresql://alice:s3cret@db.example:5433/sweeps", tmp_path)
    assert spec.kind == "postgresql"
    assert spec.url == "postgresql+psycopg2://alice:s3cret@db.example:5433/sweeps"
    assert spec.display == "postgresql+psycopg2://alice:***@db.example:5433/sweeps"
    alias = parse_storage("postgres://bob@localhost/db", tmp_path)
    assert alias.url == "postgresql+psycopg2://bob@localhost/db"
    for bad, fragment in [
        ("postgresql://alice:s3cret@host:notaport/db", "malformed --storage URL"),
        ("not a url", "malformed --storage URL"),
        ("sqlite:///x.db", "only postgresql://"),
        ("postgresql://alice:s3cret@host:5432", "names no database"),
    ]:
        with pytest.raises(ConfigError, match=fragment) as error:
            parse_storage(bad, tmp_path)
        assert "s3cret" not in str(error.value)


def test_an_unreachable_database_fails_fast_with_one_line(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"postgresql://alice:s3cret@127.0.0.1:{port}/sweeps"
    start = time.monotonic()
    with pytest.raises(DlbasicsError) as error:
        run_sweep("q4.1", out_dir=tmp_path / "out", storage=url, epochs=1)
    assert time.monotonic() - start < 30
    text = str(error.value)
    assert text.startswith("cannot use the database postgresql+psycopg2://alice:***@127.0.0.1")
    assert "s3cret" not in text and "\n" not in text


def test_a_study_of_another_sweep_is_refused(toy, tmp_path):
    run_sweep("toy", out_dir=tmp_path, engine="formula", **FAST)
    with pytest.raises(ConfigError, match="belongs to sweep toy, not q4.1"):
        run_sweep("q4.1", out_dir=tmp_path, study_name="toy", epochs=1)


def _operational(text: str) -> Exception:
    from sqlalchemy import exc

    return exc.OperationalError("SELECT secret_statement", {"p": 1}, Exception(text))


def test_a_lost_connection_is_one_line_naming_the_database_without_its_password(tmp_path):
    from optuna.exceptions import StorageInternalError

    from dlbasics.sweep.storage import DatabaseLost, storage_errors

    spec = parse_storage("postgresql://alice:s3cret@db.example/sweeps", tmp_path)
    # Optuna's misleading wrapper ("... invalid data in the commit ..."), the cause beneath it
    try:
        raise StorageInternalError("An exception is raised during the commit.") from _operational(
            "server closed the connection unexpectedly (password s3cret)\n\tThis probably means..."
        )
    except StorageInternalError as wrapped:
        error = wrapped
    with pytest.raises(DatabaseLost) as lost, storage_errors(spec):
        raise error
    assert str(lost.value) == (
        "lost the connection to the study's database "
        "(postgresql+psycopg2://alice:***@db.example/sweeps): server closed the connection "
        "unexpectedly (password ***); rerun the same command to resume"
    )
    with pytest.raises(KeyError), storage_errors(spec):  # not a connection problem: a bug
        raise KeyError("x")


def test_a_journal_on_a_full_disk_is_one_line_naming_the_file(tmp_path):
    import errno

    from dlbasics.results.staging import OutputError
    from dlbasics.sweep.storage import storage_errors

    spec = parse_storage(None, tmp_path)
    with pytest.raises(OutputError) as error, storage_errors(spec):
        raise OSError(errno.ENOSPC, "No space left on device")
    assert str(error.value) == (
        f"cannot write {spec.url}: No space left on device; "
        "rerun the same command to resume once it can be written"
    )
