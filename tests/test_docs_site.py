"""The docs site's API reference names every module of the packages it documents.

Each page of docs/api/ renders one package with mkdocstrings, module by module (``::: name``
lines); a module added to a package without a line there would be missing from the reference
while ``mkdocs build --strict`` still passes, so this test lists them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
API = ROOT / "docs" / "api"
PACKAGES = (
    "estimators",
    "scratch",
    "fast",
    "torchnets",
    "training",
    "data",
    "theory",
    "experiments",
)


def documented(page: Path) -> list[str]:
    return re.findall(r"^::: ([\w.]+)$", page.read_text(), re.MULTILINE)


def modules(package: str) -> list[str]:
    folder = SRC / "dlbasics" / package
    found = []
    for path in sorted(folder.rglob("*.py")):
        parts = path.relative_to(SRC).with_suffix("").parts
        if parts[-1] != "__init__":
            found.append(".".join(parts))
    return [f"dlbasics.{package}", *found]


@pytest.mark.parametrize("package", PACKAGES)
def test_api_page_lists_every_module(package: str) -> None:
    assert documented(API / f"{package}.md") == modules(package)


def test_statistics_page_and_nav() -> None:
    assert documented(API / "statistics.md") == ["dlbasics.results.statistics"]
    nav = (ROOT / "mkdocs.yml").read_text()
    for page in sorted(API.glob("*.md")):
        assert f"api/{page.name}" in nav, f"{page.name} is not in mkdocs.yml's nav"
