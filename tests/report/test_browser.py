"""Headless Chromium opens the HTML report: it renders, and every embedded image loads."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image as mpimg

from dlbasics.data.types import FASHION_MNIST_CLASSES
from dlbasics.documents.html import render_html
from dlbasics.report.build import build_document
from dlbasics.report.settings import ReportSettings
from tests.conftest import require

pytestmark = pytest.mark.realdata

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Appended to a copy of the page: after load, count the images the browser could decode.
PROBE = """<script>
window.addEventListener('load', function () {
  var images = Array.prototype.slice.call(document.images);
  var loaded = images.filter(function (i) { return i.complete && i.naturalWidth > 0; });
  document.body.setAttribute('data-images-loaded', loaded.length + '/' + images.length);
});
</script></body>"""


@pytest.fixture(scope="module")
def chromium():
    require(CHROMIUM is not None, "Chromium is not installed (Debian package: chromium)")
    return CHROMIUM


def _chromium(binary: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [binary, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _probe(binary: str, folder: Path, page: str, script: str, pattern: str) -> re.Match[str]:
    """Open ``page`` with ``script`` appended and find ``pattern`` in the DOM after load."""
    probe = folder / "probe.html"
    probe.write_text(page.replace("</body>", script, 1), "utf-8")
    run = _chromium(
        binary, folder / "profile", "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()
    )
    match = re.search(pattern, run.stdout)
    assert match, run.stderr[-2000:]
    return match


def test_screenshot_shows_the_rendered_page(quick_report, chromium, tmp_path):
    out, _ = quick_report
    shot = tmp_path / "report.png"
    run = _chromium(
        chromium,
        tmp_path / "profile",
        f"--screenshot={shot}",
        "--window-size=1280,2000",
        (out / "index.html").resolve().as_uri(),
    )
    assert shot.exists(), run.stderr[-2000:]
    pixels = mpimg.imread(shot)[..., :3]
    assert pixels.shape[:2] == (2000, 1280)
    colours = np.unique((pixels * 255).astype(np.uint8).reshape(-1, 3), axis=0)
    assert len(colours) > 200  # text, tables, badges and figures, not a blank page
    assert (pixels < 0.5).mean() > 0.01  # ink on the page


def test_every_image_loads_in_the_browser(quick_report, chromium, tmp_path):
    out, _ = quick_report
    page = (out / "index.html").read_text("utf-8")
    match = _probe(chromium, tmp_path, page, PROBE, r'data-images-loaded="(\d+)/(\d+)"')
    loaded, total = map(int, match.groups())
    assert total == page.count("<img ") and total >= 12
    assert loaded == total


# Appended to a copy of the page: after load, whether the claims section is laid out and shown.
CLAIMS_PROBE = """<script>
window.addEventListener('load', function () {
  var section = document.getElementById('claims');
  var box = section ? section.getBoundingClientRect() : null;
  var shown = section && box.height > 0 && getComputedStyle(section).visibility === 'visible';
  var rows = section ? section.querySelectorAll('tbody tr, tr').length : 0;
  var badges = section ? section.querySelectorAll('span.badge').length : 0;
  document.body.setAttribute('data-claims', (shown ? 'shown' : 'hidden') + ' ' + rows + ' ' + badges);
});
</script></body>"""


# Appended to a two-seed page: open every <details> and read back what a reader then sees.
OPEN_DETAILS = """<script>
window.addEventListener('load', function () {
  var details = document.querySelectorAll('#comparison details');
  details.forEach(function (d) { d.open = true; });
  var shown = document.getElementById('comparison').innerText.indexOf('seed 7: ') >= 0;
  document.body.setAttribute('data-seeds-shown', details.length + ':' + shown);
});
</script></body>"""


def test_the_claims_section_is_visible(quick_report, chromium, tmp_path):
    out, _ = quick_report
    page = (out / "index.html").read_text("utf-8")
    match = _probe(chromium, tmp_path, page, CLAIMS_PROBE, r'data-claims="(\w+) (\d+) (\d+)"')
    shown, rows, badges = match.group(1), int(match.group(2)), int(match.group(3))
    assert shown == "shown"
    assert rows >= 10 and badges >= 9  # a header and a row per claim, each with its verdict


def test_the_claims_over_two_seeds_are_visible(quick_seeds_report, chromium, tmp_path):
    """CI's many-seed target in the browser: `reproduce --quick --seeds 2`'s claims section."""
    out, code = quick_seeds_report
    assert code == 0
    page = (out / "index.html").read_text("utf-8")
    match = _probe(chromium, tmp_path, page, CLAIMS_PROBE, r'data-claims="(\w+) (\d+) (\d+)"')
    assert match.group(1) == "shown" and int(match.group(2)) >= 10 and int(match.group(3)) >= 9


def test_per_seed_values_open_on_a_click(quick_report, chromium, tmp_path):
    """Over two seeds (here the quick report's runs counted as seeds 42 and 7), each number of
    the comparison table opens on its per-seed values."""
    out, result = quick_report
    outcomes = [replace(o, seed=seed) for seed in (42, 7) for o in result.outcomes]
    settings = ReportSettings(
        out=out, quick=True, seed=42, seeds=(42, 7), class_names=FASHION_MNIST_CLASSES
    )
    document, _, _ = build_document(
        outcomes, settings, wall_seconds=1.0, ran=set(), draw_dir=tmp_path
    )
    page = render_html(document, tmp_path)
    match = _probe(chromium, tmp_path, page, OPEN_DETAILS, r'data-seeds-shown="(\d+):(\w+)"')
    assert int(match.group(1)) >= 20 and match.group(2) == "true"
