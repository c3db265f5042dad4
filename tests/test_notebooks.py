"""The notebooks: each percent script is paired with its .ipynb, and every notebook executes.

The scripts in notebooks/ are the reviewed source; the .ipynb beside each is what Jupyter
opens, committed without outputs. ``jupytext --sync`` keeps the two equal (notebooks/jupytext.toml
pairs them); the first test fails when one was edited without the other.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SCRIPTS = sorted(NOTEBOOKS.glob("*.py"))
CELL_TIMEOUT_S = 300


def cells(notebook: nbformat.NotebookNode) -> list[tuple[str, str]]:
    return [(cell.cell_type, cell.source) for cell in notebook.cells]


def test_one_notebook_per_question_family() -> None:
    assert [path.stem for path in SCRIPTS] == [
        "q1_derivations",
        "q2_regression",
        "q3_from_scratch",
        "q4_pytorch",
    ]
    assert sorted(path.stem for path in NOTEBOOKS.glob("*.ipynb")) == [p.stem for p in SCRIPTS]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_notebook_is_in_sync_with_its_script(script: Path) -> None:
    paired = script.with_suffix(".ipynb")
    from_script = jupytext.read(script)
    notebook = nbformat.read(paired, as_version=4)
    assert cells(notebook) == cells(from_script), (
        f"{paired.name} differs from {script.name}: run `jupytext --sync notebooks/{script.name}`"
    )
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, (
                f"{paired.name} is committed with outputs: clear them"
            )


@pytest.mark.realdata
@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.stem)
def test_notebook_executes(script: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every cell runs without error, in a kernel that imports this tree's package."""
    src = str(ROOT / "src")
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [src, os.getenv("PYTHONPATH")])))
    notebook = nbformat.read(script.with_suffix(".ipynb"), as_version=4)
    client = NotebookClient(
        notebook,
        kernel_name="python3",
        timeout=CELL_TIMEOUT_S,
        resources={"metadata": {"path": str(tmp_path)}},  # the kernel's working folder
    )
    start = time.perf_counter()
    client.execute()
    elapsed = time.perf_counter() - start
    figures = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]
    assert figures, f"{script.name} drew no figure"
    print(f"{script.name}: {elapsed:.1f} s")
