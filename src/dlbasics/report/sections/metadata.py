"""The run metadata section: every step's timing and origin, the options, machine and versions."""

from __future__ import annotations

import os
import platform
from datetime import UTC, datetime

from dlbasics.documents.document import Cell, Section, Table
from dlbasics.report.format import fmt_seconds, fmt_time_of_day
from dlbasics.report.load import StepData
from dlbasics.report.sections.common import status_badge
from dlbasics.report.settings import ReportSettings
from dlbasics.results.provenance import cpu_name, library_versions


def machine_info() -> dict[str, str]:
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
    steps: list[StepData], settings: ReportSettings, wall_seconds: float, ran: set[str]
) -> Section:
    section = Section("metadata", "Run metadata")
    rows: list[list[Cell]] = []
    for data in steps:
        outcome = data.outcome
        when = "this run" if outcome.step.name in ran else ("cache" if outcome.cached else "—")
        rows.append(
            [
                outcome.step.name,
                status_badge(outcome),
                outcome.engine or "—",
                str(outcome.key.get("seed")),
                fmt_seconds(outcome.wall_seconds),
                fmt_seconds(outcome.cpu_seconds),
                when,
                fmt_time_of_day(outcome.finished_at),
                f"`{outcome.dir.relative_to(settings.out).as_posix()}`",
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
    facts = {
        "mode": "quick (subset, few epochs)" if settings.quick else "full",
        "data limit per split": str(settings.data_limit) if settings.data_limit else "full data",
        "seed": str(settings.seed),
        "engine requested": settings.engine or "each step's default",
        "sweep workers (--jobs)": str(settings.sweep_workers),
        "code version": settings.code_version,
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
