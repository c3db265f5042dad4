"""Assemble the reproduction report from the steps' outputs: REPORT.md, index.html, figures.

Input: the :class:`~dlbasics.reproduce.StepOutcome` of every step (its status and cache folder,
which holds ``metrics.json``/``arrays.npz``/figures of an experiment, ``sweep.json`` and figures
of a sweep, or ``verify-math.json``). Output, in the report folder:

- ``figures/*.png``: the experiments' and sweeps' figures (the report's Figures 1-8), the class
  templates of the perceptron and logistic regression, the best classifier's confusion matrix and
  a grid of its misclassified test images;
- ``REPORT.md`` (linking the figures) and ``index.html`` (figures embedded, self-contained);
- ``summary.json``: every step's status and the comparison table, for scripts.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from dlbasics.documents.document import (
    Badge,
    Block,
    Cell,
    Code,
    Document,
    Figure,
    Note,
    Paragraph,
    Section,
    Table,
    Tone,
)
from dlbasics.documents.html import render_html
from dlbasics.documents.markdown import render_markdown
from dlbasics.report import comparison, figures
from dlbasics.results.io import save_with, write_json_atomic, write_text_atomic

if TYPE_CHECKING:
    from dlbasics.reproduce import ReproduceOptions, StepOutcome

FIGURES = "figures"

# What the experiments' own figures show (file name -> caption), numbered as in the report.
FIGURE_CAPTIONS = {
    "figure1.png": "Figure 1. Left: distance between the SGD weights and the analytic "
    "(closed-form) solution per epoch. Right: train and test RMSE per epoch.",
    "figure2.png": "Figure 2. Train and test RMSE of the neural regression per epoch.",
    "figure3.png": "Figure 3. Train and validation accuracy of the perceptron per epoch.",
    "figure4.png": "Figure 4. Train and validation accuracy of logistic regression per epoch.",
    "figure5.png": "Figure 5. Train and validation accuracy of the multi-layer perceptron per epoch.",
}
SWEEP_FIGURES = {
    "q4.1": "Figure 6",
    "q4.2": "Figure 7",
    "q4.3": "Figure 8",
}
SWEEP_CAPTIONS = {
    "sweep_loss.png": "training loss per epoch for every configuration, the best highlighted",
    "sweep_dev_acc.png": "validation accuracy per epoch for every configuration, the best highlighted",
}
STATUS_TONES: dict[str, Tone] = {"ok": "pass", "failed": "fail", "not run": "warn"}
VERDICT_TONES: dict[str, Tone] = {
    "PASS": "pass",
    "FAIL": "fail",
    "missing": "warn",
    "info": "info",
    "quick run": "info",
}


@dataclass
class StepData:
    """What one step left in its cache folder, loaded for the report."""

    outcome: StepOutcome
    metrics: dict[str, Any] | None = None
    sweep: dict[str, Any] | None = None
    claims: list[dict[str, Any]] | None = None
    arrays: dict[str, np.ndarray] = field(default_factory=dict)
    figures: list[Path] = field(default_factory=list)  # PNGs in the step's folder, sorted

    @property
    def name(self) -> str:
        return self.outcome.step.name


def load_step(outcome: StepOutcome) -> StepData:
    data = StepData(outcome)
    if outcome.status == "not run":
        return data
    folder = outcome.dir
    data.metrics = _read_json(folder / "metrics.json")
    data.sweep = _read_json(folder / "sweep.json")
    claims = _read_json(folder / "verify-math.json")
    data.claims = claims.get("claims") if claims else None
    if (folder / "arrays.npz").exists():
        try:
            with np.load(folder / "arrays.npz") as npz:
                data.arrays = {name: npz[name] for name in npz.files}
        except (OSError, ValueError):
            data.arrays = {}
    data.figures = sorted(folder.glob("*.png")) if folder.is_dir() else []
    return data


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None


# ----------------------------------------------------------------------------- formatting


def fmt(value: Any, digits: int = 4) -> str:
    """Numbers to fixed decimals (integers as they are); None as an em dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value:  # NaN
            return "—"
        if value != 0 and (abs(value) < 10 ** -(digits - 1) or abs(value) >= 1e6):
            return f"{value:.3g}"
        return f"{value:.{digits}f}"
    return str(value)


def fmt_signed(value: float | None) -> str:
    return "—" if value is None else f"{value:+.4f}"


def fmt_seconds(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s"


def fmt_config(config: dict[str, Any]) -> str:
    """``key=value, ...`` with hyperparameters as written on the command line (0.001, not 1e-03)."""
    return ", ".join(
        f"{key}={value:g}" if isinstance(value, float) else f"{key}={value}"
        for key, value in config.items()
    )


# ----------------------------------------------------------------------------- sections


def _status_badge(outcome: StepOutcome) -> Badge:
    return Badge(outcome.status, STATUS_TONES.get(outcome.status, "info"))


def _outcome_notes(outcome: StepOutcome) -> list[Block]:
    blocks: list[Block] = []
    if outcome.status == "not run":
        blocks.append(
            Note(
                f"Not run in this configuration: `dlbasics reproduce --only {outcome.step.name}` "
                "(with the same options) adds it.",
                "warn",
            )
        )
    elif outcome.status == "failed":
        blocks.append(Note(f"this step did not finish: {outcome.error}", "fail"))
        error_file = outcome.dir / "error.txt"
        if error_file.exists():
            text = error_file.read_text("utf-8", errors="replace").strip().splitlines()
            if len(text) > 1:
                blocks.append(Code("\n".join(text[-25:])))
    if outcome.engine_note:
        blocks.append(Note(outcome.engine_note, "warn"))
    blocks += [Note(note, "info") for note in outcome.notes]
    return blocks


def _run_line(outcome: StepOutcome, config: dict[str, Any] | None) -> Paragraph:
    parts = []
    if config:
        parts.append(f"Configuration: `{fmt_config(config)}`")
    if outcome.engine:
        parts.append(f"engine `{outcome.engine}`")
    parts.append(f"seed {outcome.key.get('seed')}")
    parts.append(
        f"wall time {fmt_seconds(outcome.wall_seconds)}" + (" (cached)" if outcome.cached else "")
    )
    return Paragraph("; ".join(parts) + ".")


def _comparison_cells(row: comparison.Row) -> list[Cell]:
    """quantity | report | ours | difference | target | verdict, for one comparison row."""
    return [
        row.quantity,
        fmt(row.report),
        fmt(row.ours),
        fmt_signed(row.difference),
        row.target.text if row.target else "",
        Badge(row.verdict, VERDICT_TONES.get(row.verdict, "info")),
    ]


def _numbers_table(rows: list[comparison.Row], step: str) -> Table:
    body: list[list[Cell]] = [_comparison_cells(row) for row in rows if row.step == step]
    return Table(["quantity", "report", "ours", "difference", "target", "verdict"], body)


def _copy_figure(source: Path, report_dir: Path, name: str) -> Path:
    """Copy ``source`` into the report's figures folder; returns its path relative to the report."""
    relative = Path(FIGURES) / name
    save_with(report_dir / relative, lambda tmp: _copy(source, tmp))
    return relative


def _copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)


def verify_math_section(data: StepData) -> Section:
    outcome = data.outcome
    section = Section("q1", f"{outcome.step.numbering} — {outcome.step.title} (verify-math)")
    section.add(
        Paragraph(
            "Each claim of the report's derivations is checked numerically against autograd "
            "(torch) and central finite differences over many random cases, including extreme "
            "inputs. `dlbasics verify-math` prints the same table."
        )
    )
    section.add(*_outcome_notes(outcome))
    if data.claims:
        rows: list[list[Cell]] = [
            [
                str(claim.get("name", "")),
                str(claim.get("method", "")),
                fmt(claim.get("cases")),
                _sci(claim.get("worst_error")),
                _sci(claim.get("tolerance")),
                Badge(
                    str(claim.get("status")), "pass" if claim.get("status") == "PASS" else "fail"
                ),
            ]
            for claim in data.claims
        ]
        section.add(Table(["claim", "method", "cases", "worst error", "tolerance", "status"], rows))
        details = [[str(c["name"]), str(c["detail"])] for c in data.claims if c.get("detail")]
        if details:
            section.add(Table(["claim", "the checks behind it (worst error of each)"], details))
    if outcome.status != "not run":
        section.add(_run_line(outcome, outcome.key.get("config")))
    return section


def _sci(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.2e}"
    return fmt(value)


def experiment_section(
    data: StepData, rows: list[comparison.Row], report_dir: Path, class_names: tuple[str, ...]
) -> Section:
    outcome = data.outcome
    step = outcome.step
    section = Section(_anchor(step.name), f"{step.numbering} — {step.title}")
    section.add(*_outcome_notes(outcome))
    metrics = data.metrics or {}
    if metrics.get("status") not in (None, "ok") and metrics.get("message"):
        section.add(Note(f"Run status `{metrics['status']}`: {metrics['message']}", "fail"))
    for source in data.figures:
        caption = FIGURE_CAPTIONS.get(source.name, source.stem.replace("_", " "))
        path = _copy_figure(source, report_dir, f"{step.name}-{source.name}")
        section.add(Figure(path, f"{caption} (ours)", alt=f"{step.name} {source.stem}"))
    templates = data.arrays.get("templates")
    if templates is not None:
        name = f"{step.name}-templates.png"
        figures.templates_figure(
            templates, class_names, report_dir / FIGURES / name, title=f"{step.title}: weights"
        )
        section.add(
            Figure(
                Path(FIGURES) / name,
                "The learned weights of each class as a 28x28 template: red pixels vote for the "
                "class, blue against it.",
                alt=f"{step.name} class templates",
            )
        )
    if any(row.step == step.name for row in rows):
        section.add(_numbers_table(rows, step.name))
    if outcome.status != "not run":
        section.add(_run_line(outcome, metrics.get("config")))
    return section


def _varying_keys(trials: list[dict[str, Any]]) -> list[str]:
    keys: list[str] = []
    for trial in trials:
        for key in trial.get("config") or {}:
            if key not in keys:
                keys.append(key)
    varying = [
        k for k in keys if len({json.dumps((t.get("config") or {}).get(k)) for t in trials}) > 1
    ]
    return varying or keys[:1]


def sweep_section(data: StepData, rows: list[comparison.Row], report_dir: Path) -> Section:
    outcome = data.outcome
    step = outcome.step
    section = Section(_anchor(step.name), f"{step.numbering} — {step.title}")
    section.add(*_outcome_notes(outcome))
    sweep = data.sweep or {}
    trials = list(sweep.get("trials") or [])
    best = sweep.get("best") or {}
    if best:
        final = best.get("final") or {}
        section.add(
            Paragraph(
                f"**Winner** (highest validation accuracy): `{fmt_config(best.get('config') or {})}` — "
                f"training loss {fmt(final.get('train_loss'))}, validation accuracy "
                f"{fmt(final.get('dev_acc'))}, test accuracy {fmt(final.get('test_acc'))}."
            )
        )
    if step.name == "q4.3" and sweep.get("grid") == "report":
        rate = (sweep.get("defaults") or {}).get("learning_rate")
        section.add(
            Paragraph(
                "The report says Q4.3 starts from Q4.2's best configuration, but its numbers are "
                f"those of the defaults (learning rate {rate}): its training losses, the mean "
                "over all epochs, match ours from the defaults to about 0.001. So this sweep runs "
                "both starting points with 2 and 3 hidden layers, and the comparison holds the "
                "report's numbers against the trials from the defaults."
            )
        )
    if trials:
        varying = _varying_keys(trials)
        best_config = best.get("config")
        table_rows: list[list[Cell]] = []
        for trial in trials:  # grid order, as sweep.json lists them (not the queue order)
            config = trial.get("config") or {}
            final = trial.get("final") or {}
            status = str(trial.get("status", ""))
            tone: Tone = "pass" if status.lower() in ("ok", "complete") else "fail"
            table_rows.append(
                [
                    *(fmt(config.get(key)) for key in varying),
                    fmt(final.get("train_loss")),
                    fmt(comparison.mean_train_loss(trial)),
                    fmt(final.get("dev_acc")),
                    fmt(final.get("test_acc")),
                    fmt_seconds(trial.get("seconds")),
                    Badge(status or "?", tone),
                    Badge("best", "pass") if config == best_config else "",
                ]
            )
        header = [
            *varying,
            "train loss (last epoch)",
            "train loss (mean over epochs)",
            "dev acc",
            "test acc",
            "time",
            "status",
            "",
        ]
        section.add(Table(header, table_rows, caption="Every configuration of the sweep"))
    label = SWEEP_FIGURES.get(step.name, "Figure")
    for source in data.figures:
        caption = SWEEP_CAPTIONS.get(source.name, source.stem.replace("_", " "))
        path = _copy_figure(source, report_dir, f"{step.name}-{source.name}")
        section.add(Figure(path, f"{label} (ours): {caption}.", alt=f"{step.name} {source.stem}"))
    if any(row.step == step.name for row in rows):
        section.add(_numbers_table(rows, step.name))
    if outcome.status != "not run":
        config = {k: v for k, v in outcome.key.get("config", {}).items() if v is not None}
        section.add(_run_line(outcome, config))
    return section


def _anchor(name: str) -> str:
    return name.replace(".", "-")


# ----------------------------------------------------------------------------- best classifier


@dataclass(frozen=True)
class Classifier:
    step: str
    title: str
    test_acc: float
    labels: np.ndarray
    predictions: np.ndarray


def classifiers(steps: list[StepData]) -> list[Classifier]:
    """Every finished classifier that saved its test predictions."""
    found = []
    for data in steps:
        if data.outcome.status != "ok":
            continue
        labels, predictions = data.arrays.get("test_labels"), data.arrays.get("test_predictions")
        test_acc = ((data.metrics or {}).get("final") or {}).get("test_acc")
        if labels is None or predictions is None or test_acc is None:
            continue
        found.append(
            Classifier(data.name, data.outcome.step.title, float(test_acc), labels, predictions)
        )
    return found


def best_classifier_section(
    steps: list[StepData], options: ReproduceOptions, report_dir: Path, class_names: tuple[str, ...]
) -> Section:
    section = Section("best-classifier", "The best classifier: what it confuses")
    candidates = classifiers(steps)
    if not candidates:
        return section.add(
            Note("No finished classifier saved its test predictions in this reproduction.", "warn")
        )
    best = max(candidates, key=lambda c: c.test_acc)
    others = ", ".join(f"{c.step} {c.test_acc:.4f}" for c in candidates if c is not best)
    section.add(
        Paragraph(
            f"Highest test accuracy among the classifiers that saved their test predictions: "
            f"**{best.step}** ({best.title}), {best.test_acc:.4f}"
            + (f" (others: {others})." if others else ".")
        )
    )
    name = "best-confusion.png"
    figures.confusion_figure(
        best.labels,
        best.predictions,
        class_names,
        report_dir / FIGURES / name,
        title=f"{best.step}: confusion matrix on the test set",
    )
    section.add(
        Figure(
            Path(FIGURES) / name,
            "Confusion matrix on the test set: row = true class, column = predicted class; "
            "numbers are counts, colour the share of the true class.",
            alt="confusion matrix",
        )
    )
    try:
        test = options.effective_data.fashion_mnist().test
        name = "best-misclassified.png"
        figures.misclassified_figure(
            test.X,
            best.labels,
            best.predictions,
            class_names,
            report_dir / FIGURES / name,
            title=f"{best.step}: misclassified test images (first 24 in test order)",
        )
        section.add(
            Figure(
                Path(FIGURES) / name,
                "Test images the best classifier got wrong, with the true and the predicted label.",
                alt="misclassified test images",
            )
        )
    except Exception as error:  # the images are a picture, not a result: say why, go on
        section.add(Note(f"Misclassified images unavailable: {error}", "warn"))
    return section


# ----------------------------------------------------------------------------- comparison, bench, metadata


def comparison_section(rows: list[comparison.Row], quick: bool) -> Section:
    section = Section("comparison", "Comparison with the original report")
    counts = comparison.summary(rows)
    judged = counts.get("PASS", 0) + counts.get("FAIL", 0)
    section.add(
        Paragraph(
            "Every figure of the original report beside ours. Targets come from the project's "
            "issues: our data split and Ames featurization differ slightly from the homework's "
            "files, so most numbers are held to a band rather than to equality; figures without "
            "a target are shown for information. " + _tally(counts, judged, quick)
        )
    )
    if quick:
        section.add(
            Note(
                "Quick run (a subset of the data, a few epochs): the targets are for the full "
                "data, so they are not judged here. Run `dlbasics reproduce` without --quick.",
                "warn",
            )
        )
    body: list[list[Cell]] = [[row.step, *_comparison_cells(row)] for row in rows]
    section.add(
        Table(["step", "quantity", "report", "ours", "difference", "target", "verdict"], body)
    )
    return section


def _tally(counts: dict[str, int], judged: int, quick: bool) -> str:
    text = (
        "**Targets not judged (quick run)**"
        if quick
        else f"**{counts.get('PASS', 0)} of {judged} targets met**"
        + (f", {counts['FAIL']} missed" if counts.get("FAIL") else "")
    )
    if counts.get("missing"):
        text += f", {counts['missing']} figures missing (steps not run or failed)"
    return text + "."


def bench_section(bench: Any) -> Section:
    """The ``dlbasics bench --json`` output: its measurements, ratios and notes as tables.

    Keys this function does not know are shown as generic tables, so a newer bench format still
    appears (less neatly) rather than vanishing.
    """
    section = Section("bench", "Engine benchmark (dlbasics bench)")
    section.add(
        Paragraph(
            "Measured by `dlbasics reproduce --bench` (or `dlbasics bench --json > "
            "report/bench.json`): the time of one training epoch of every engine, in one run on "
            "one machine, so the ratios compare like with like."
        )
    )
    if not isinstance(bench, dict):
        bench = {"results": bench}
    bench = dict(bench)
    machine = bench.pop("machine", None)
    if isinstance(machine, dict):
        load = machine.get("load_average_before")
        section.add(
            Paragraph(
                f"Machine: {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores"
                + (f"; load average when it started: {load[0]}" if isinstance(load, list) else "")
                + "."
            )
        )
    measurements = bench.pop("measurements", None)
    if isinstance(measurements, list) and all(isinstance(m, dict) for m in measurements):
        columns = {
            "case": "case",
            "engine": "engine",
            "detail": "what",
            "examples": "examples",
            "seconds_per_epoch": "s / epoch",
            "compile_seconds": "compile s",
            "peak_rss_mb": "peak MB",
            "note": "note",
        }
        digits = {"peak_rss_mb": 0}
        rows = [[_plain(m.get(key), digits.get(key, 3)) for key in columns] for m in measurements]
        section.add(Table(list(columns.values()), rows, caption="Time per epoch"))
    ratios = bench.pop("ratios", None)
    if isinstance(ratios, list) and all(isinstance(r, dict) for r in ratios):
        ratio_rows: list[list[Cell]] = []
        for r in ratios:
            met = r.get("met")
            verdict: Cell = (
                "" if met is None else Badge("PASS" if met else "FAIL", "pass" if met else "fail")
            )
            target = r.get("target")
            ratio_rows.append(
                [
                    str(r.get("case", "")),
                    f"{r.get('fast', '')} / {r.get('against', '')}",
                    str(r.get("compared", "")),
                    _plain(r.get("ratio"), 3) + ("x" if r.get("ratio") is not None else ""),
                    "" if target is None else f"<= {target:g}x",
                    verdict,
                ]
            )
        section.add(
            Table(
                ["case", "ratio of", "compared", "ratio", "target", "verdict"],
                ratio_rows,
                caption="Ratios",
            )
        )
    notes = bench.pop("notes", None)
    if isinstance(notes, list):
        section.add(*(Note(str(note), "info") for note in notes))
    bench.pop("options", None)
    for title, value in _bench_tables(bench):
        if isinstance(value, list) and value and all(isinstance(r, dict) for r in value):
            header = list(dict.fromkeys(k for r in value for k in r))
            generic = [[_plain(r.get(k)) for k in header] for r in value]
            section.add(Table(header, generic, caption=title))
        elif isinstance(value, dict):
            section.add(
                Table(["", "value"], [[k, _plain(v)] for k, v in value.items()], caption=title)
            )
    return section


def _bench_tables(bench: Any) -> list[tuple[str, Any]]:
    if isinstance(bench, list):
        return [("", bench)]
    if not isinstance(bench, dict):
        return []
    tables, scalars = [], {}
    for key, value in bench.items():
        if isinstance(value, list | dict):
            tables.append((key, value))
        else:
            scalars[key] = value
    return ([("", scalars)] if scalars else []) + tables


def _plain(value: Any, digits: int = 4) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, float) and value != value:
        return "—"
    return fmt(value, digits)


def _time_of_day(iso: str | None) -> str:
    """``2026-11-26T04:50:17+00:00`` -> ``04:50:17`` (the date is in the report's metadata)."""
    if not iso:
        return "—"
    try:
        return datetime.fromisoformat(iso).strftime("%H:%M:%S")
    except ValueError:
        return iso


def machine_info() -> dict[str, str]:
    from dlbasics.results.provenance import cpu_name

    cpu = cpu_name()
    return {
        "platform": platform.platform(),
        "cpu": cpu or platform.machine(),
        "cpu count": str(os.cpu_count()),
        "python": platform.python_version(),
        # Wall times on a busy machine mean little without this; CPU times hold up better.
        "load average (1, 5, 15 min) at the end": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def metadata_section(
    steps: list[StepData], options: ReproduceOptions, wall_seconds: float, ran: set[str]
) -> Section:
    from dlbasics.reproduce import code_version
    from dlbasics.results.provenance import library_versions

    section = Section("metadata", "Run metadata")
    rows: list[list[Cell]] = []
    for data in steps:
        outcome = data.outcome
        when = "this run" if outcome.step.name in ran else ("cache" if outcome.cached else "—")
        rows.append(
            [
                outcome.step.name,
                _status_badge(outcome),
                outcome.engine or "—",
                str(outcome.key.get("seed")),
                fmt_seconds(outcome.wall_seconds),
                fmt_seconds(outcome.cpu_seconds),
                when,
                _time_of_day(outcome.finished_at),
                f"`{outcome.dir.relative_to(options.out).as_posix()}`",
            ]
        )
    section.add(
        Table(
            [
                "step",
                "status",
                "engine",
                "seed",
                "wall time",
                "CPU time",
                "from",
                "finished (UTC)",
                "folder",
            ],
            rows,
            caption="Steps",
        )
    )
    data_options = options.effective_data
    facts = {
        "mode": "quick (subset, few epochs)" if options.quick else "full",
        "data limit per split": str(data_options.limit) if data_options.limit else "full data",
        "seed": str(options.seed),
        "engine requested": options.engine or "each step's default",
        "sweep workers (--jobs)": str(options.sweep_workers),
        "code version": code_version(),
        "this reproduction took": fmt_seconds(wall_seconds),
        "total step time (incl. cached)": fmt_seconds(
            sum(d.outcome.wall_seconds or 0.0 for d in steps)
        ),
        "total CPU time of the steps": fmt_seconds(
            sum(d.outcome.cpu_seconds or 0.0 for d in steps)
        ),
        "report written (UTC)": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    section.add(Table(["", "value"], [[k, v] for k, v in facts.items()], caption="Reproduction"))
    section.add(
        Table(["", "value"], [[k, v] for k, v in machine_info().items()], caption="Machine")
    )
    versions = library_versions()
    section.add(
        Table(["library", "version"], [[k, v] for k, v in versions.items()], caption="Versions")
    )
    return section


# ----------------------------------------------------------------------------- the whole report


def build_document(
    outcomes: list[StepOutcome],
    options: ReproduceOptions,
    *,
    wall_seconds: float,
    ran: set[str],
) -> tuple[Document, list[comparison.Row]]:
    """The report as a document (figures are drawn into ``options.out/figures`` on the way)."""
    from dlbasics.data.types import FASHION_MNIST_CLASSES

    report_dir = options.out
    (report_dir / FIGURES).mkdir(parents=True, exist_ok=True)
    steps = [load_step(outcome) for outcome in outcomes]
    results = {
        data.name: (data.sweep if data.outcome.step.kind == "sweep" else data.metrics)
        for data in steps
        if data.outcome.status == "ok"
    }
    rows = comparison.compare(results, quick=options.quick)
    class_names = FASHION_MNIST_CLASSES

    intro: list[Block] = [
        Paragraph(
            "Every figure and number of the Deep Learning Homework 1 report (2021-2022), "
            "regenerated by `dlbasics reproduce`, next to the original values, with the "
            "derivations checked numerically."
        )
    ]
    if options.quick:
        intro.append(
            Note(
                "**Quick run**: a subset of the data and a few epochs, to exercise every code "
                "path. The numbers are not the report's; run `dlbasics reproduce` for those.",
                "warn",
            )
        )
    at_a_glance: list[list[Cell]] = []
    for data in steps:
        outcome = data.outcome
        at_a_glance.append(
            [
                f"[{outcome.step.numbering}](#{_anchor(outcome.step.name) if outcome.step.kind != 'verify-math' else 'q1'})",
                outcome.step.title,
                _status_badge(outcome),
                _headline(data),
                fmt_seconds(outcome.wall_seconds),
            ]
        )
    counts = comparison.summary(rows)
    judged = counts.get("PASS", 0) + counts.get("FAIL", 0)
    intro.append(
        Table(["section", "what", "status", "result", "time"], at_a_glance, caption="At a glance")
    )
    if not options.quick:
        met = judged and not counts.get("FAIL") and not counts.get("missing")
        tone: Tone = "pass" if met else "warn"
        missed = [f"{row.step} {row.quantity}" for row in rows if row.verdict == "FAIL"]
        text = f"{counts.get('PASS', 0)} of {judged} targets met"
        text += f". Missed: {'; '.join(missed)}" if missed else ""
        intro.append(Note(text + " (see the [comparison table](#comparison)).", tone))

    sections: list[Section] = []
    for data in steps:
        kind = data.outcome.step.kind
        if kind == "verify-math":
            sections.append(verify_math_section(data))
        elif kind == "experiment":
            sections.append(experiment_section(data, rows, report_dir, class_names))
        else:
            sections.append(sweep_section(data, rows, report_dir))
    sections.append(best_classifier_section(steps, options, report_dir, class_names))
    sections.append(comparison_section(rows, options.quick))
    bench = _read_json(report_dir / "bench.json")
    if bench is not None:
        sections.append(bench_section(bench))
    sections.append(metadata_section(steps, options, wall_seconds, ran))
    title = "Homework 1, reproduced" + (" (quick run)" if options.quick else "")
    return Document(title, intro, sections), rows


def _headline(data: StepData) -> str:
    if data.outcome.status == "failed":
        return data.outcome.error[:80]
    if data.claims:
        passed = sum(1 for c in data.claims if c.get("status") == "PASS")
        return f"{passed}/{len(data.claims)} claims pass"
    final = (
        ((data.sweep or {}).get("best") or {}).get("final")
        or (data.metrics or {}).get("final")
        or {}
    )
    labels = {
        "train_rmse": "train RMSE",
        "test_rmse": "test RMSE",
        "dev_acc": "validation acc.",
        "test_acc": "test acc.",
    }
    parts = [f"{label} {fmt(final[key])}" for key, label in labels.items() if key in final]
    if data.sweep and (data.sweep.get("best") or {}).get("config"):
        best = data.sweep["best"]["config"]
        varying = _varying_keys(list(data.sweep.get("trials") or []))
        parts.insert(0, "best " + fmt_config({k: best[k] for k in varying if k in best}))
    return ", ".join(parts)


def write_report(
    outcomes: list[StepOutcome],
    options: ReproduceOptions,
    *,
    wall_seconds: float,
    ran: set[str],
) -> list[Path]:
    """Write REPORT.md, index.html and summary.json into ``options.out``; returns their paths."""
    document, rows = build_document(outcomes, options, wall_seconds=wall_seconds, ran=ran)
    out = options.out
    markdown_path, html_path, summary_path = (
        out / "REPORT.md",
        out / "index.html",
        out / "summary.json",
    )
    write_text_atomic(markdown_path, render_markdown(document))
    write_text_atomic(html_path, render_html(document, out))
    write_json_atomic(
        summary_path,
        {
            "quick": options.quick,
            "steps": [
                {
                    "step": o.step.name,
                    "status": o.status,
                    "error": o.error,
                    "engine": o.engine,
                    "wall_seconds": o.wall_seconds,
                    "cached": o.cached,
                    "folder": o.dir.relative_to(out).as_posix(),
                }
                for o in outcomes
            ],
            "comparison": [
                {
                    "step": r.step,
                    "quantity": r.quantity,
                    "report": r.report,
                    "ours": r.ours,
                    "difference": r.difference,
                    "target": r.target.text if r.target else None,
                    "verdict": r.verdict,
                }
                for r in rows
            ],
        },
    )
    _remove_stale_figures(out, document)
    return [markdown_path, html_path, summary_path]


def _remove_stale_figures(out: Path, document: Document) -> None:
    """Figures of an earlier report that this one no longer shows would only mislead."""
    used = {(out / figure.path).resolve() for figure in document.figures()}
    for path in (out / FIGURES).glob("*.png"):
        if path.resolve() not in used:
            path.unlink(missing_ok=True)
