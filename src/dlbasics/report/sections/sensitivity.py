"""The Ames sensitivity section: Q2.2's two models under three featurisations, over seeds."""

from __future__ import annotations

from pathlib import Path

from dlbasics.documents.document import Badge, Cell, Figure, Paragraph, Section, Table, Tone
from dlbasics.plotting.sensitivity_figure import Spread, seed_points_figure
from dlbasics.report.format import fmt, fmt_mean_interval, fmt_signed
from dlbasics.report.load import SeedResults
from dlbasics.report.sections.common import FIGURES
from dlbasics.report.sensitivity import MODELS, Setting, conclusion, sensitivity
from dlbasics.results.statistics import DOES_NOT_HOLD, HOLDS, Interval

FIGURE = "ames-sensitivity.png"
VERDICT_TONES: dict[str, Tone] = {HOLDS: "pass", DOES_NOT_HOLD: "fail"}
RECIPES = (
    "`minmax` (the default: numerics min-max scaled and categoricals one-hot with the train "
    "split's statistics and levels), `zscore` (numerics z-scored with the train statistics) and "
    "`homework` (the whole table featurised before the split with `pandas.get_dummies`, as a "
    "homework's single preprocessed file would be; docs/ames.md)"
)


def interval_text(interval: Interval | None, signed: bool = False) -> str:
    """``mean [low, high]`` (the mean alone when there is no interval; an em dash for None)."""
    if interval is None:
        return "—"
    return fmt_mean_interval(interval, fmt_signed if signed else fmt)


def _rows(setting: Setting) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for result in setting.models:
        last = result is setting.models[-1]  # the paired test sits on the network's row
        rows.append(
            [
                f"`{setting.features}`",
                fmt(setting.n_features),
                f"{result.model} ({MODELS[result.model]})",
                str(len(result.seeds)),
                interval_text(result.train),
                interval_text(result.test),
                interval_text(setting.difference, signed=True) if last else "",
                Badge(setting.verdict, VERDICT_TONES.get(setting.verdict, "info")) if last else "",
            ]
        )
    return rows


def _spread(interval: Interval | None) -> Spread | None:
    if interval is None:
        return None
    return Spread(interval.values, interval.mean, interval.low, interval.high)


def sensitivity_section(seed_results: SeedResults, draw_dir: Path) -> Section:
    """The table (featurisation x model), the figure and the sentence on the report's claim."""
    settings = sensitivity(seed_results)
    section = Section("ames-sensitivity", "Ames sensitivity: does Q2.2b's claim hold?")
    section.add(
        Paragraph(
            "The report finds the network's test RMSE lower than linear regression's (Q2.2b). "
            f"Here both models run under three featurisations of the Ames data: {RECIPES}. "
            "Each number is the mean over the seeds with its 95% Student-t interval; the "
            "difference is paired over the seeds both models ran."
        ),
        Paragraph(f"**{conclusion(settings)}**"),
    )
    header = [
        "featurisation",
        "features",
        "model",
        "seeds",
        "train RMSE",
        "test RMSE",
        "q2.2b − q2.2a test RMSE",
        "verdict",
    ]
    section.add(Table(header, [row for s in settings for row in _rows(s)]))
    series = {
        f"{model} ({label})": [_spread(s.models[index].test) for s in settings]
        for index, (model, label) in enumerate(MODELS.items())
    }
    if any(spread is not None for spreads in series.values() for spread in spreads):
        relative = Path(FIGURES) / FIGURE
        seed_points_figure(
            [s.features for s in settings],
            series,
            draw_dir / relative,
            ylabel="test RMSE",
            title="Test RMSE per featurisation",
        )
        section.add(
            Figure(
                relative,
                "Test RMSE of both models under each featurisation: one small point per seed, "
                "the mean as a diamond with its 95% interval.",
                alt="Ames sensitivity: test RMSE per featurisation and model",
            )
        )
    return section
