"""Writing the report: REPORT.md, index.html, summary.json and figures/ are all or nothing.

The figures are drawn in the staging folder, so the HTML embeds them from there and the Markdown
links them as ``figures/NAME.png``, which the finished report folder holds.
"""

from __future__ import annotations

import base64
import errno
import json

import pytest

from dlbasics.documents.html import PNG_SIGNATURE
from dlbasics.pipeline.steps import STEPS
from dlbasics.report import build
from dlbasics.report.settings import ReportSettings
from dlbasics.results.staging import OutputError
from dlbasics.results.steps import StepOutcome
from tests.report.htmlcheck import parse_page

REPORT_FILES = ["REPORT.md", "index.html", "summary.json"]
FIGURE = PNG_SIGNATURE + b"a figure of q3.1b"


def _outcomes(out):
    """Every step not run but q3.1b, finished, with its metrics and its figure in its folder."""
    outcomes = []
    for step in STEPS:
        folder = out / "cache" / f"{step.name}-0"
        outcome = StepOutcome(step, "not run", {"seed": 42}, folder)
        if step.name == "q3.1b":
            folder.mkdir(parents=True, exist_ok=True)
            outcome.status = "ok"
            (folder / "metrics.json").write_text(json.dumps({"final": {"test_acc": 0.8}}))
            (folder / "figure4.png").write_bytes(FIGURE)
        outcomes.append(outcome)
    return outcomes


def _write(out):
    settings = ReportSettings(out=out, quick=True)
    return build.write_report(_outcomes(out), settings, wall_seconds=1.0, ran=set())


def _contents(out):
    files = {name: (out / name).read_bytes() for name in REPORT_FILES}
    return files, sorted(path.name for path in (out / "figures").iterdir())


def test_the_files_and_figures_move_in_together_and_link_each_other(tmp_path):
    out = tmp_path / "report"
    (out / "figures").mkdir(parents=True)
    (out / "figures" / "q9-stale.png").write_bytes(PNG_SIGNATURE)  # an earlier report's figure
    paths = _write(out)
    assert paths == [out / name for name in REPORT_FILES]
    assert sorted(p.name for p in out.iterdir()) == sorted([*REPORT_FILES, "cache", "figures"])
    assert [p.name for p in (out / "figures").iterdir()] == ["q3.1b-figure4.png"]

    markdown = (out / "REPORT.md").read_text("utf-8")
    assert "(figures/q3.1b-figure4.png)" in markdown
    assert ".staging" not in markdown and ".staging" not in (out / "index.html").read_text()
    page = parse_page((out / "index.html").read_text("utf-8"))
    embedded = [base64.b64decode(image["src"].split(",", 1)[1]) for image in page.images]
    assert FIGURE in embedded
    summary = json.loads((out / "summary.json").read_text())
    assert {s["step"]: s["folder"] for s in summary["steps"]}["q3.1b"] == "cache/q3.1b-0"


@pytest.mark.parametrize("error", [errno.ENOSPC, errno.EACCES])
def test_a_failed_write_leaves_the_previous_report_whole(tmp_path, monkeypatch, error):
    out = tmp_path / "report"
    _write(out)
    before = _contents(out)

    def full_disk(*args, **kwargs):
        raise OSError(error, "No space left on device" if error == errno.ENOSPC else "denied")

    monkeypatch.setattr(build, "render_html", full_disk)  # REPORT.md was written: index.html not
    with pytest.raises(OutputError, match=f"cannot write {out}: "):
        _write(out)
    assert _contents(out) == before
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no staging folder left


def test_a_failed_first_report_leaves_none_of_its_files(tmp_path, monkeypatch):
    out = tmp_path / "report"

    def full_disk(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(build, "write_json_atomic", full_disk)  # summary.json is the last file
    with pytest.raises(OutputError, match="No space left on device"):
        _write(out)
    assert sorted(p.name for p in out.iterdir()) == ["cache"]
