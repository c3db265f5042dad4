"""A small document model that both report renderers (Markdown and HTML) turn into text.

The report builder (:mod:`dlbasics.report.build`) decides *what* the report says as a list of
:class:`Section` objects made of blocks; :mod:`dlbasics.documents.markdown` and
:mod:`dlbasics.documents.html` decide only *how* it looks. So REPORT.md and index.html always hold
the same sections, tables, numbers and figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

# A verdict or status shown as a coloured badge in HTML and as plain text in Markdown.
Tone = Literal["pass", "fail", "warn", "info"]


@dataclass(frozen=True)
class Badge:
    """A short word (PASS, FAIL, ok, failed ...) with a tone that renderers may colour."""

    text: str
    tone: Tone = "info"

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Disclosure:
    """A cell's text with more behind it, shown on request: e.g. a mean over seeds and each
    seed's own value.

    HTML shows ``text`` and opens ``details`` on a click (a ``<details>`` element); Markdown
    shows ``text`` with a numbered mark and lists ``label: details`` under the table.
    """

    text: str
    details: Sequence[str]
    label: str = ""

    def __str__(self) -> str:
        return self.text


# A table cell is plain text, a badge, or text with details behind it.
Cell = str | Badge | Disclosure


@dataclass(frozen=True)
class Paragraph:
    """Plain text. The only markup, rendered by both outputs: ``**bold**``, `` `code` `` and
    in-page links ``[words](#anchor)``."""

    text: str


@dataclass(frozen=True)
class Note:
    """A highlighted remark (a failed step, a quick-run warning, an engine substitution)."""

    text: str
    tone: Tone = "info"


@dataclass(frozen=True)
class Table:
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]
    caption: str = ""


@dataclass(frozen=True)
class Figure:
    """A PNG file under the report folder; ``path`` is relative to that folder."""

    path: Path
    caption: str
    alt: str = ""


@dataclass(frozen=True)
class Code:
    """Preformatted text (an error traceback, a command)."""

    text: str


Block = Paragraph | Note | Table | Figure | Code


@dataclass
class Section:
    """One heading of the report. ``anchor`` is the HTML id and the Markdown link target."""

    anchor: str
    heading: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> Section:
        self.blocks.extend(blocks)
        return self


@dataclass
class Document:
    title: str
    intro: list[Block]
    sections: list[Section]

    def figures(self) -> list[Figure]:
        return [
            block
            for blocks in [self.intro, *(s.blocks for s in self.sections)]
            for block in blocks
            if isinstance(block, Figure)
        ]
