"""Every example of README.md and docs/tutorial.md runs as written.

Each fenced ```python block runs in a fresh interpreter; each line of a ```bash block that calls
``dlbasics`` (or ``.venv/bin/dlbasics``) runs as ``python -m dlbasics`` with this test's
interpreter, so the package under test is the one that runs. Both run in a temporary folder,
so nothing is written into the checkout.

Small data: a command that trains would take minutes on the full data, so the test appends the
quick flags of its subcommand (:data:`QUICK_FLAGS`) to the line. Appending works because the
command line takes the last value of a repeated option (``--epochs 5 --epochs 1`` trains one
epoch), and keeping the flags here, per subcommand, leaves the README free of test markup: a
newcomer copies exactly what the test ran, less the flags that only make it smaller.

``make ...`` lines are exempt from running: they install into ``.venv``, and ``make test``
would run this very test. They are checked to name a target of the Makefile instead. Any other
command in a runnable block fails the test: a block a reader cannot paste and run belongs in
prose.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("README.md", "docs/tutorial.md")
FENCE = re.compile(r"^```(bash|python)\n(.*?)^```", re.MULTILINE | re.DOTALL)
DLBASICS = ("dlbasics", ".venv/bin/dlbasics")
# Flags appended to every example of a subcommand that trains, so that the example runs in seconds.
QUICK_FLAGS: dict[str, list[str]] = {
    "run": ["--limit", "500", "--epochs", "1"],
    "sweep": ["--limit", "500", "--epochs", "1"],
    "bench": ["--limit", "200"],
    "reproduce": ["--quick"],
}
TIMEOUT_S = 600


@dataclass(frozen=True)
class Example:
    """One runnable example: a python block, or one command line of a bash block."""

    page: str
    line: int  # where it starts in the page, 1-based
    language: str
    text: str

    @property
    def id(self) -> str:
        return f"{self.page}:{self.line}"


def extract(page: str, markdown: str) -> list[Example]:
    """The python blocks and the bash command lines of ``markdown``, with their line numbers.

    HTML comments are not part of the page a reader sees, so their blocks are skipped. A bash
    line ending in a backslash continues on the next line.
    """
    visible = re.sub(r"<!--.*?-->", lambda m: "\n" * m.group().count("\n"), markdown, flags=re.S)
    examples = []
    for match in FENCE.finditer(visible):
        language, body = match.groups()
        first = visible.count("\n", 0, match.start(2)) + 1
        if language == "python":
            examples.append(Example(page, first, language, body))
            continue
        pending: list[str] = []
        for offset, raw in enumerate(body.splitlines()):
            if not pending:
                start = first + offset
            pending.append(raw.rstrip().removesuffix("\\"))
            if raw.rstrip().endswith("\\"):
                continue
            command = " ".join(pending).strip()
            pending = []
            if command and not command.startswith("#"):
                examples.append(Example(page, start, language, command))
    return examples


def command_line(command: str) -> list[str] | None:
    """``command`` as this interpreter runs it, quick flags appended; None for a ``make`` line."""
    words = shlex.split(command, comments=True)
    if words[0] == "make":
        return None
    if words[0] not in DLBASICS:
        raise AssertionError(f"{command!r} is not a dlbasics or make command: show it in prose")
    return [sys.executable, "-m", "dlbasics", *words[1:], *QUICK_FLAGS.get(words[1], [])]


def make_targets() -> set[str]:
    return set(re.findall(r"^([a-z][\w-]*):", (ROOT / "Makefile").read_text(), re.MULTILINE))


EXAMPLES = [e for page in PAGES for e in extract(page, (ROOT / page).read_text())]
RUNNABLE = [e for e in EXAMPLES if e.language == "python" or command_line(e.text) is not None]


def test_extract_finds_blocks_lines_and_continuations() -> None:
    page = "\n".join(
        [
            "# title",
            "```bash",
            "make test   # exempt",
            "# a comment line",
            "dlbasics sweep q4.2 \\",
            "    --jobs 2",
            "```",
            "<!--",
            "```python",
            "hidden()",
            "```",
            "-->",
            "```python",
            "print(1)",
            "```",
            "```console",
            "$ not runnable",
            "```",
        ]
    )
    found = extract("page.md", page + "\n")
    assert [(e.line, e.language, e.text) for e in found] == [
        (3, "bash", "make test   # exempt"),
        (5, "bash", "dlbasics sweep q4.2      --jobs 2"),
        (14, "python", "print(1)\n"),
    ]
    assert command_line(found[0].text) is None
    assert command_line(found[1].text) == [
        sys.executable,
        *["-m", "dlbasics", "sweep", "q4.2", "--jobs", "2", "--limit", "500", "--epochs", "1"],
    ]
    with pytest.raises(AssertionError, match="show it in prose"):
        command_line("export PGPASSWORD=secret")


def test_pages_have_examples() -> None:
    kinds = {page: {e.language for e in EXAMPLES if e.page == page} for page in PAGES}
    assert kinds == {"README.md": {"bash", "python"}, "docs/tutorial.md": {"python"}}


MAKE_LINES = [e for e in EXAMPLES if e.language == "bash" and command_line(e.text) is None]


@pytest.mark.parametrize("example", MAKE_LINES, ids=lambda e: e.id)
def test_make_lines_name_makefile_targets(example: Example) -> None:
    """``make`` lines do not run here (see the module docstring); each must name real targets."""
    words = shlex.split(example.text, comments=True)
    assert set(words[1:]) <= make_targets(), f"{example.id}: unknown make target in {words}"


@pytest.mark.realdata
@pytest.mark.parametrize("example", RUNNABLE, ids=lambda e: e.id)
def test_example_runs(example: Example, tmp_path: Path) -> None:
    env = {**os.environ, "MPLBACKEND": "Agg"}
    src = str(ROOT / "src")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    if example.language == "python":
        argv = [sys.executable, "-c", example.text]
    else:
        argv = command_line(example.text) or []
    done = subprocess.run(
        argv, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=TIMEOUT_S
    )
    assert done.returncode == 0, (
        f"{example.id} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    )
    assert "Traceback" not in done.stderr
