import json
import os
import stat

import numpy as np
import pytest

from dlbasics.results.io import atomic_path, write_json_atomic


def test_json_has_no_nan_and_usual_permissions(tmp_path):
    path = tmp_path / "sub" / "m.json"
    write_json_atomic(path, {"a": float("nan"), "b": np.float32(1.5), "c": [np.int64(2), np.inf]})
    assert json.loads(path.read_text()) == {"a": None, "b": 1.5, "c": [2, None]}
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_failed_write_leaves_nothing(tmp_path):
    path = tmp_path / "out.txt"
    path.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(path) as tmp:
        tmp.write_text("half")
        raise RuntimeError("interrupted")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
