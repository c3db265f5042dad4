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
