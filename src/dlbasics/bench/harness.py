"""Run ``dlbasics bench``: every case in a fresh process, then the ratios and target checks."""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from typing import Any

import numpy as np

from dlbasics.bench.cases import CASES, SKIPPABLE, Case, load_data
from dlbasics.bench.probes import measure as measure_machine
from dlbasics.bench.records import BenchOptions, BenchReport, Measurement
from dlbasics.bench.targets import floor_note, ratios
from dlbasics.bench.timing import WARMUP_EXAMPLES, peak_rss_mb
from dlbasics.errors import ConfigError


def _run_case(index: int, options: BenchOptions) -> Measurement:
    """Run case ``index`` (in a fresh worker process)."""
    case = CASES[index]
    epochs = getattr(options, case.epochs_from)
    examples, total, compile_seconds, note, work = case.run(options, epochs)
    return Measurement(
        case=case.case,
        engine=case.engine,
        detail=case.detail,
        epochs=epochs,
        examples=examples,
        seconds_per_epoch=total / epochs,
        total_seconds=total,
        compile_seconds=compile_seconds,
        peak_rss_mb=peak_rss_mb(),
        note=note,
        work=work,
    )


def _failed(case: Case, options: BenchOptions, error: Exception) -> Measurement:
    epochs = getattr(options, case.epochs_from)
    message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return Measurement(
        case=case.case,
        engine=case.engine,
        detail=case.detail,
        epochs=epochs,
        examples=0,
        seconds_per_epoch=math.nan,
        total_seconds=math.nan,
        note=f"failed: {message}",
    )


def _sklearn_available() -> bool:
    try:
        import sklearn  # noqa: F401
    except ImportError:
        return False
    return True


def run_bench(options: BenchOptions, progress: Callable[[str], None] | None = None) -> BenchReport:
    """Run every case, one fresh process each, and compute the ratios and target checks."""
    if options.epochs < 1 or options.linear_epochs < 1:
        raise ConfigError("--epochs and --linear-epochs must be >= 1")
    if options.limit is not None and options.limit < WARMUP_EXAMPLES:
        raise ConfigError(f"--limit must be at least {WARMUP_EXAMPLES}")
    unknown = sorted(set(options.skip) - set(SKIPPABLE))
    if unknown:
        raise ConfigError(f"cannot skip {', '.join(unknown)}; choose from {', '.join(SKIPPABLE)}")
    case_names = tuple(dict.fromkeys(case.case for case in CASES))
    unknown = sorted(set(options.cases) - set(case_names))
    if unknown:
        raise ConfigError(f"unknown case {', '.join(unknown)}; choose from {', '.join(case_names)}")
    load_data(options, np.float32, bias=False)  # a missing data set fails here, once, clearly
    skipped = set(options.skip)
    notes = []
    if not _sklearn_available():
        skipped.add("sklearn")
        notes.append("scikit-learn is not installed: its rows are left out")
    load_before = os.getloadavg()
    measurements = []
    context = get_context("spawn")  # a clean process per case: no shared caches or threads
    probes: dict[str, Any] = {}
    if options.probes:
        if progress is not None:
            progress("machine probes: memory bandwidth, arithmetic peaks")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            try:
                probes = pool.submit(measure_machine).result()
            except Exception as error:  # the rooflines are left out, the timings are not
                notes.append(f"machine probes failed: {str(error).strip()[:200]}")
    for index, case in enumerate(CASES):
        base_engine = "fast" if case.engine.startswith("fast") else case.engine
        if base_engine in skipped or (options.cases and case.case not in options.cases):
            continue
        if progress is not None:
            progress(f"{case.case}: {case.engine} ({case.detail})")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            try:
                measurements.append(pool.submit(_run_case, index, options).result())
            except Exception as error:  # one failed case must not lose the others
                measurements.append(_failed(case, options, error))
    load_after = os.getloadavg()
    machine = machine_info(load_before, load_after)
    if probes:
        machine["probes"] = probes
    report = BenchReport(
        machine=machine,
        options={
            "epochs": options.epochs,
            "linear_epochs": options.linear_epochs,
            "limit": options.limit,
            "skipped": sorted(skipped),
            "cases": list(options.cases),
        },
        measurements=measurements,
        notes=notes,
    )
    report.ratios = ratios(measurements, probes)
    report.notes += floor_note(measurements, probes)
    return report


def machine_info(load_before: tuple[float, ...], load_after: tuple[float, ...]) -> dict[str, Any]:
    from dlbasics.results.provenance import cpu_name, library_versions

    cpu = cpu_name()
    versions = library_versions()
    try:
        import sklearn

        versions["scikit-learn"] = sklearn.__version__
    except ImportError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "system": platform.platform(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "versions": versions,
    }
