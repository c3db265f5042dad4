"""Headless Chromium opens the HTML report: it renders, and every embedded image loads."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest
from matplotlib import image as mpimg

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
    probe = tmp_path / "probe.html"
    probe.write_text(page.replace("</body>", PROBE, 1), "utf-8")
    run = _chromium(
        chromium, tmp_path / "profile", "--virtual-time-budget=10000", "--dump-dom", probe.as_uri()
    )
    match = re.search(r'data-images-loaded="(\d+)/(\d+)"', run.stdout)
    assert match, run.stderr[-2000:]
    loaded, total = map(int, match.groups())
    assert total == page.count("<img ") and total >= 12
    assert loaded == total
