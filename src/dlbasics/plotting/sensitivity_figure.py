"""The Ames sensitivity's figure: a measurement per setting and model, over seeds."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from dlbasics.plotting.plots import save_figure, subplots


@dataclass(frozen=True)
class Spread:
    """One group's per-seed ``values`` and their mean with its interval (NaN bounds: none)."""

    values: Sequence[float]
    mean: float
    low: float = math.nan
    high: float = math.nan


def seed_points_figure(
    settings: Sequence[str],
    series: Mapping[str, Sequence[Spread | None]],
    path: str | Path,
    *,
    ylabel: str,
    title: str = "",
) -> Path:
    """Per setting (x axis) and series (side by side): each seed's value as a small point, the
    mean as a larger marker with its interval as an error bar. ``series[label][i]`` belongs to
    ``settings[i]``; None leaves that place empty (no run).

    Parameters
    ----------
    settings : sequence of str
        The x-axis categories (the featurisations).
    series : dict
        Label (the model) -> one :class:`Spread` or None per setting.
    path : str or Path
        Where the PNG goes (written atomically).
    ylabel, title : str
        The axis label and an optional title.

    Returns
    -------
    Path
        ``path``.
    """
    fig, ax = subplots(figsize=(6.4, 4.2))
    width = 0.7 / max(len(series), 1)
    for index, (label, spreads) in enumerate(series.items()):
        offset = (index - (len(series) - 1) / 2) * width
        color = f"C{index}"
        legend: str | None = label  # on the first marker only
        for place, spread in enumerate(spreads):
            if spread is None:
                continue
            x = place + offset
            ax.scatter([x] * len(spread.values), spread.values, s=12, alpha=0.5, color=color)
            bounds = (spread.low, spread.high)
            if all(math.isfinite(b) for b in bounds):
                below, above = spread.mean - bounds[0], bounds[1] - spread.mean
                ax.errorbar(x, spread.mean, yerr=[[below], [above]], color=color, capsize=4)
            ax.plot([x], [spread.mean], marker="D", color=color, label=legend)
            legend = None
    ax.set_xticks(range(len(settings)), list(settings))
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.grid(True, axis="y", alpha=0.3)
    if ax.get_legend_handles_labels()[1]:
        ax.legend()
    return save_figure(fig, path)
