"""Shared matplotlib helpers: every figure of the project is drawn through these.

Figures are :class:`matplotlib.figure.Figure` objects made without pyplot, so drawing one needs
no backend, leaves pyplot's state alone and never switches the backend of a notebook that
imports the library (Jupyter's inline figures keep working); PNGs are rendered by Agg.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure

from dlbasics.results.io import save_with

Series = dict[str, tuple[Sequence[float], Sequence[float]]]
# label -> (low, high) at the x of the series of the same label: a shaded band around its line.
Bands = dict[str, tuple[Sequence[float], Sequence[float]]]


def draw_lines(
    ax: Axes,
    series: Series,
    *,
    xlabel: str,
    ylabel: str,
    title: str = "",
    highlight: str | None = None,
    bands: Bands | None = None,
) -> None:
    """Plot each ``label -> (x, y)`` on ``ax``; ``highlight`` draws one series bold, others faint.

    ``bands``: for some labels, a ``(low, high)`` pair drawn as a shaded band of the line's
    colour (e.g. the spread over seeds around their mean); without it nothing is shaded.
    """
    bands = bands or {}
    for label, (x, y) in series.items():
        style: dict = {"marker": "o", "markersize": 3} if len(x) <= 30 else {}
        if highlight is not None:
            style |= {"linewidth": 2.6, "zorder": 3} if label == highlight else {"alpha": 0.45}
        [line] = ax.plot(list(x), list(y), label=label, **style)
        if label in bands:
            low, high = bands[label]
            faint = highlight is not None and label != highlight
            ax.fill_between(
                list(x),
                list(low),
                list(high),
                color=line.get_color(),
                linewidth=0,
                alpha=0.08 if faint else 0.2,
            )
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend()


def subplots(nrows: int = 1, ncols: int = 1, *, figsize: tuple[float, float], **kwargs: Any):
    """A new figure and its axes, as ``pyplot.subplots`` returns them (without pyplot)."""
    fig = Figure(figsize=figsize)
    return fig, fig.subplots(nrows, ncols, **kwargs)


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Save ``fig`` atomically as PNG."""
    path = Path(path)
    fig.tight_layout()
    save_with(path, lambda tmp: fig.savefig(tmp, format="png", dpi=110))
    return path


def line_figure(
    series: Series,
    path: str | Path,
    *,
    xlabel: str,
    ylabel: str,
    title: str = "",
    highlight: str | None = None,
    bands: Bands | None = None,
) -> Path:
    """One-panel line plot saved to ``path`` (``bands`` as in :func:`draw_lines`)."""
    fig, ax = subplots(figsize=(6.4, 4.2))
    draw_lines(
        ax, series, xlabel=xlabel, ylabel=ylabel, title=title, highlight=highlight, bands=bands
    )
    return save_figure(fig, path)


def panels_figure(
    panels: list[dict],
    path: str | Path,
    *,
    title: str = "",
) -> Path:
    """Side-by-side panels; each dict holds ``draw_lines`` keyword arguments (incl. ``series``)."""
    fig, axes = subplots(1, len(panels), figsize=(6.0 * len(panels), 4.2))
    axes = [axes] if len(panels) == 1 else list(axes)
    for ax, panel in zip(axes, panels, strict=True):
        draw_lines(ax, **panel)
    if title:
        fig.suptitle(title)
    return save_figure(fig, path)
