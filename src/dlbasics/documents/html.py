"""Render a :class:`~dlbasics.documents.document.Document` as one self-contained HTML page.

Every figure is embedded as a ``data:image/png;base64,...`` URI, the stylesheet is inline, and
nothing is loaded from elsewhere: index.html can be mailed, archived or opened offline alone.
"""

from __future__ import annotations

import base64
import re
from html import escape
from pathlib import Path

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

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

STYLE = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #d8dde6; --bg: #ffffff; --panel: #f5f7fa;
        --pass: #1a7f37; --fail: #c62828; --warn: #9a6700; --info: #2f5fa7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 16px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 1.9em; margin: 0.4em 0 0.3em; }
h2 { font-size: 1.4em; margin: 2em 0 0.6em; padding-bottom: 0.25em;
     border-bottom: 2px solid var(--line); }
nav { background: var(--panel); border: 1px solid var(--line); border-radius: 6px;
      padding: 10px 14px; margin: 16px 0; display: flex; flex-wrap: wrap; gap: 4px 18px; }
nav a { color: var(--info); text-decoration: none; }
a { color: var(--info); }
nav a:hover { text-decoration: underline; }
table { border-collapse: collapse; margin: 10px 0 18px; font-size: 0.92em; width: auto; }
caption { caption-side: top; text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
th { background: var(--panel); }
tbody tr:nth-child(even) td { background: #fafbfc; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 14px 0 22px; }
figure img { max-width: 100%; height: auto; border: 1px solid var(--line); border-radius: 4px; }
figcaption { color: var(--muted); font-size: 0.9em; margin-top: 4px; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-size: 0.85em;
         font-weight: 600; color: #fff; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); }
.badge.warn { background: var(--warn); } .badge.info { background: var(--info); }
.note { border-left: 4px solid var(--info); background: var(--panel); padding: 8px 12px;
        margin: 12px 0; }
.note.fail { border-color: var(--fail); } .note.warn { border-color: var(--warn); }
.note.pass { border-color: var(--pass); }
pre { background: var(--panel); border: 1px solid var(--line); padding: 10px; overflow-x: auto;
      font-size: 0.85em; }
code { background: var(--panel); padding: 0 3px; border-radius: 3px; font-size: 0.92em; }
details summary { cursor: pointer; }
details ul { margin: 4px 0 0; padding-left: 16px; font-size: 0.9em; color: var(--muted);
             text-align: left; }
"""


def render_html(document: Document, report_dir: str | Path) -> str:
    """The page; figure paths are resolved against ``report_dir`` and embedded."""
    report_dir = Path(report_dir)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(document.title)}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{escape(document.title)}</h1>",
    ]
    parts += [_block(block, report_dir) for block in document.intro]
    links = "".join(
        f'<a href="#{escape(s.anchor)}">{escape(s.heading)}</a>' for s in document.sections
    )
    parts.append(f"<nav>{links}</nav>")
    for section in document.sections:
        parts.append(f'<section id="{escape(section.anchor)}">')
        parts.append(f"<h2>{escape(section.heading)}</h2>")
        parts += [_block(block, report_dir) for block in section.blocks]
        parts.append("</section>")
    parts += ["</main>", "</body>", "</html>"]
    return "\n".join(parts) + "\n"


def inline(text: str) -> str:
    """Escape ``text`` and turn the markup we use into tags: ``**bold**``, `` `code` `` and
    in-page links ``[words](#anchor)``."""
    html = escape(text)
    html = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", html)
    html = re.sub(r"\[([^\]]+)\]\((#[\w-]+)\)", r'<a href="\2">\1</a>', html)
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html)


def png_data_uri(path: str | Path) -> str:
    """``data:image/png;base64,...`` of a PNG file; ValueError when it is not a PNG."""
    data = Path(path).read_bytes()
    if not data.startswith(PNG_SIGNATURE):
        raise ValueError(f"{path} is not a PNG file")
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _block(block: Block, report_dir: Path) -> str:
    if isinstance(block, Paragraph):
        return f"<p>{inline(block.text)}</p>"
    if isinstance(block, Note):
        return f'<div class="note {block.tone}">{inline(block.text)}</div>'
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Figure):
        return _figure(block, report_dir)
    if isinstance(block, Code):
        return f"<pre>{escape(block.text)}</pre>"
    raise TypeError(f"unknown block {block!r}")


def _figure(figure: Figure, report_dir: Path) -> str:
    try:
        src = png_data_uri(report_dir / figure.path)
    except (OSError, ValueError) as error:
        # A missing figure is reported in words rather than as a broken image.
        reason = getattr(error, "strerror", None) or str(error)
        return f'<div class="note fail">Figure missing: {escape(figure.caption)} ({escape(reason)})</div>'
    alt = escape(figure.alt or figure.caption, quote=True)
    return (
        f'<figure><img src="{src}" alt="{alt}">'
        f"<figcaption>{inline(figure.caption)}</figcaption></figure>"
    )


_NUMBER = re.compile(r"^[-+]?[\d.,]+(e[-+]?\d+)?( ?[%sx]| min \d+ s)?$")


def _cell(cell: Cell, tag: str = "td") -> str:
    if isinstance(cell, Badge):
        return f'<{tag}><span class="badge {cell.tone}">{escape(cell.text)}</span></{tag}>'
    text = cell.text if isinstance(cell, Disclosure) else cell
    numeric = tag == "td" and bool(_NUMBER.match(text.strip()))
    cls = ' class="num"' if numeric else ""
    if isinstance(cell, Disclosure):
        items = "".join(f"<li>{inline(item)}</li>" for item in cell.details)
        title = f' title="{escape(cell.label, quote=True)}"' if cell.label else ""
        content = f"<details{title}><summary>{inline(text)}</summary><ul>{items}</ul></details>"
        return f"<{tag}{cls}>{content}</{tag}>"
    return f"<{tag}{cls}>{inline(text)}</{tag}>"


def _table(table: Table) -> str:
    caption = f"<caption>{inline(table.caption)}</caption>" if table.caption else ""
    head = "".join(_cell(h, "th") for h in table.header)
    body = "".join("<tr>" + "".join(_cell(c) for c in row) + "</tr>" for row in table.rows)
    return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
