"""The journal file's check: a torn final record is cut off, any other damaged line is named."""

from __future__ import annotations

import json

import optuna
import pytest

from dlbasics.sweep.journal import (
    JournalError,
    check_journal,
    first_unreplayable,
    open_journal,
)

RECORD = {"op_code": 0, "worker_id": "w-1", "study_name": "s", "directions": [1]}


def _journal(tmp_path, *lines: bytes, tail: bytes = b""):
    path = tmp_path / "optuna-journal.log"
    path.write_bytes(b"".join(line + b"\n" for line in lines) + tail)
    return path


def test_a_torn_final_record_is_cut_off_and_the_rest_kept(tmp_path):
    good = json.dumps(RECORD).encode()
    path = _journal(tmp_path, good, tail=good[:17])
    assert check_journal(path) is None
    assert path.read_bytes() == good + b"\n"
    assert (
        optuna.storages.JournalStorage(optuna.storages.journal.JournalFileBackend(str(path)))
        .get_all_studies()[0]
        .study_name
        == "s"
    )


@pytest.mark.parametrize(
    "line, why",
    [
        (b"garbage", "not JSON: 'garbage'"),
        (b"", "an empty line"),
        (b'{"a": 1}', "JSON but no journal operation: '{\"a\": 1}'"),
        (b'{"op_code": 99, "worker_id": "w"}', "JSON but no journal operation"),
        (b"\xff\xfe" + b"x" * 100, "not JSON: '\ufffd\ufffd" + "x" * 38 + "...'"),
    ],
)
def test_a_damaged_line_is_named_with_its_number(tmp_path, line, why):
    good = json.dumps(RECORD).encode()
    path = _journal(tmp_path, good, line, good)
    before = path.read_bytes()
    number, reason = check_journal(path)
    assert number == 2 and reason.startswith(why)
    assert path.read_bytes() == before  # a damaged line is never "repaired"


def test_a_complete_garbage_last_line_is_damage_not_a_torn_record(tmp_path):
    # Optuna skips it now, but fails on it after the next append: it must be named now
    path = _journal(tmp_path, json.dumps(RECORD).encode(), b"garbage")
    assert check_journal(path) == (2, "not JSON: 'garbage'")


def test_a_record_optuna_cannot_apply_is_named_by_the_replay(tmp_path):
    broken = {"op_code": 0, "worker_id": "w-1", "study_name": "s"}  # no "directions"
    path = _journal(tmp_path, json.dumps(RECORD).encode(), json.dumps(broken).encode())
    assert check_journal(path) is None  # well-formed
    assert first_unreplayable(path) == 2
    with pytest.raises(JournalError) as error:
        open_journal(path)
    assert str(error.value) == (
        f"{path} line 2 is not a journal record (KeyError: 'directions'); "
        "move the file aside or delete that line to resume"
    )


def test_open_journal_creates_a_missing_file_and_releases_the_lock(tmp_path):
    path = tmp_path / "new" / "optuna-journal.log"
    storage = open_journal(path)
    assert path.is_file() and not (tmp_path / "new" / "optuna-journal.log.lock").exists()
    optuna.create_study(storage=storage, study_name="x")
    assert open_journal(path).get_all_studies()[0].study_name == "x"
