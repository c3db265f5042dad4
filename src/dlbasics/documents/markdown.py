"""Render a :class:`~dlbasics.documents.document.Document` as Markdown (REPORT.md).

Figures are linked by their relative path, so REPORT.md is read with its ``figures/`` folder
beside it (as on GitHub or in any Markdown viewer).
"""

from __future__ import annotations

from dlbasics.documents.document import (
    Badge,
    Block,
    Cell,
    Code,
    Disclosure,
    Document,
    Figure,
    Note,
    Paragraph,
    Table,
)

_NOTE_LABEL = {"pass": "OK", "fail": "Failed", "warn": "Note", "info": "Note"}


def render_markdown(document: Document) -> str:
    lines: list[str] = [f"# {document.title}", ""]
    for block in document.intro:
        lines += _block(block)
    if document.sections:  # a one-part page (a sweep's summary) needs no table of contents
        contents = " · ".join(f"[{s.heading}](#{s.anchor})" for s in document.sections)
        lines += [f"**Contents:** {contents}", ""]
    for section in document.sections:
        lines += [f'<a id="{section.anchor}"></a>', "", f"## {section.heading}", ""]
        for block in section.blocks:
            lines += _block(block)
    return "\n".join(lines).rstrip() + "\n"


def _block(block: Block) -> list[str]:
    if isinstance(block, Paragraph):
        return [block.text, ""]
    if isinstance(block, Note):
        return [f"> **{_NOTE_LABEL[block.tone]}:** {block.text}", ""]
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        alt = _escape_brackets(block.alt or block.caption)
        return [f"![{alt}]({block.path.as_posix()})", "", f"*{block.caption}*", ""]
    if isinstance(block, Code):
        fence = "````" if "```" in block.text else "```"
        return [fence, block.text.rstrip("\n"), fence, ""]
    raise TypeError(f"unknown block {block!r}")


def _table(table: Table) -> list[str]:
    lines = []
    if table.caption:
        lines += [f"**{table.caption}**", ""]
    lines.append("| " + " | ".join(_cell(h) for h in table.header) + " |")
    lines.append("|" + "|".join("---" for _ in table.header) + "|")
    notes: list[str] = []  # the details of the table's disclosures, numbered in order
    for row in table.rows:
        cells = []
        for cell in row:
            if isinstance(cell, Disclosure):
                notes.append(f"- [{len(notes) + 1}] {_note(cell)}")
                cells.append(f"{_cell(cell)} [{len(notes)}]")
            else:
                cells.append(_cell(cell))
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, "", *([*notes, ""] if notes else [])]


def _note(cell: Disclosure) -> str:
    details = "; ".join(cell.details)
    return f"{cell.label}: {details}" if cell.label else details


def _cell(cell: Cell) -> str:
    text = f"**{cell.text}**" if isinstance(cell, Badge) and cell.tone == "fail" else str(cell)
    # A pipe would end the cell and a newline the row.
    return text.replace("|", "\\|").replace("\n", " ")


def _escape_brackets(text: str) -> str:
    return text.replace("[", "(").replace("]", ")")
