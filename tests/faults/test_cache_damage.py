"""A damaged cache is never trusted: each kind of cached file, damaged in each of three ways.

One small real reproduction (quick settings, 200 examples per split, the three steps that
between them write every kind of file: verify-math, an experiment and a sweep) is made once per
module. Each case copies it, damages one file, and reproduces again: the damaged step alone is
recomputed, one line names the file and why, and the report's numbers equal the undamaged ones.
"""

from __future__ import annotations

import json
import random
import shutil

import pytest

from dlbasics.data.options import DataOptions
from dlbasics.pipeline import ReproduceOptions, code_version, reproduce
from dlbasics.pipeline import run as reproduce_module
from tests.conftest import require

pytestmark = pytest.mark.realdata

STEPS = ("verify-math", "q3.1b", "q4.1")
VERSION = code_version()

# Each kind of file a step leaves in its cache folder, by the step that writes it.
FILES = [
    ("q3.1b", "metrics.json"),
    ("q3.1b", "arrays.npz"),
    ("q3.1b", "figure4.png"),
    ("q4.1", "sweep.json"),
    ("verify-math", "verify-math.json"),
]


def _truncate(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _garble(path):  # same size, other bytes: only the hash can tell
    path.write_bytes(random.Random(0).randbytes(path.stat().st_size))


def _delete(path):
    path.unlink()


DAMAGE = {"truncated": _truncate, "garbage": _garble, "deleted": _delete}
WHY = {
    "truncated": "does not match its manifest (size ",
    "garbage": "does not match its manifest (SHA-256 differs",
    "deleted": "is missing",
}


def _reproduce(out):
    options = ReproduceOptions(
        out=out, only=STEPS, quick=True, quiet=True, data=DataOptions(limit=200)
    )
    # The code version is pinned: the rerun must find the same keys even if a source file of
    # the working tree is edited while the tests run.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reproduce_module, "code_version", lambda root=None: VERSION)
        return reproduce(options)


def _numbers(out):
    """What the report says, less the timings: summary.json's comparison and statuses, the
    derivation checks, the best classifier, and which figures the report shows."""
    summary = json.loads((out / "summary.json").read_text("utf-8"))
    (verify,) = (out / "cache").glob("verify-math-*/verify-math.json")
    best = [
        line
        for line in (out / "REPORT.md").read_text("utf-8").splitlines()
        if line.startswith("Highest test accuracy")
    ]
    return {
        "comparison": summary["comparison"],
        "statuses": {step["step"]: step["status"] for step in summary["steps"]},
        "claims": json.loads(verify.read_text("utf-8"))["claims"],
        "best classifier": best,
        "figures": sorted(path.name for path in (out / "figures").iterdir()),
    }


@pytest.fixture(scope="module")
def undamaged(tmp_path_factory, fashion_mnist_available):
    require(fashion_mnist_available, "Fashion-MNIST not found (dlbasics data fetch)")
    out = tmp_path_factory.mktemp("undamaged") / "report"
    result = _reproduce(out)
    assert not result.failed
    numbers = _numbers(out)
    assert numbers["best classifier"] and "q4.1-sweep_loss.png" in numbers["figures"]
    return out, numbers


@pytest.mark.parametrize("how", list(DAMAGE))
@pytest.mark.parametrize(("step", "name"), FILES, ids=[name for _, name in FILES])
def test_a_damaged_cached_file_is_recomputed_and_the_numbers_are_unchanged(
    undamaged, tmp_path, capsys, step, name, how
):
    source, numbers = undamaged
    out = tmp_path / "report"
    shutil.copytree(source, out)
    (folder,) = (out / "cache").glob(f"{step}-*")
    DAMAGE[how](folder / name)
    capsys.readouterr()

    result = _reproduce(out)

    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{step}: cached {name} {WHY[how]}"), lines[0]
    assert lines[0].endswith("; recomputing")
    cached = {o.step.name: o.cached for o in result.outcomes if o.step.name in STEPS}
    assert cached == {other: other != step for other in STEPS}
    assert not result.failed
    assert (folder / name).is_file()
    assert _numbers(out) == numbers
