"""Benchmark of the Q4 sweeps: seconds per epoch of one configuration, and --jobs 1 vs --jobs 2.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_sweep.py                  # defaults: a few minutes
    .venv/bin/python benchmarks/bench_sweep.py --limit 0 --epochs 1   # full data (slow)

Part 1 trains one q4-ffn configuration (the defaults) per engine and reports the wall time per
epoch, data loading excluded. Part 2 runs a q4.2 grid as fresh commands, ``dlbasics sweep q4.2
--jobs 1`` and ``--jobs 2`` per engine (and, for torch, ``--jobs 1`` held to one thread), each on
a new study, and reports the wall times (process start, imports and data loading included: what
a user waits for) and the speed-ups. The default grid is ``extended``
(15 configurations): the report's grid has 3 equal configurations, so two workers finish it in
2 rounds instead of 3 and cannot be more than 1.5x faster, whatever the machine.
The load average is printed before and after, and each command's CPU seconds beside its wall
seconds: CPU / wall is the number of cores the command really got. On a machine shared with other
work (the development machine of this project: 2 cores, several programs) --jobs 2 can only be
faster when the second core is free.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def per_epoch(limit: int | None, epochs: int, experiment: str, engine: str) -> dict[str, Any]:
    """Wall seconds per epoch of one configuration, the data loaded beforehand."""
    import numpy as np

    from dlbasics.data import DataOptions
    from dlbasics.experiments.runner import run_experiment

    data = DataOptions(limit=limit)
    data.fashion_mnist(dtype=np.float32, bias=False)  # load (and cache) before timing
    # warm-up on 10 examples: the first run also imports what the runner records versions of
    run_experiment(experiment, {"epochs": 1}, data=DataOptions(limit=10), engine=engine)
    start = time.perf_counter()
    metrics = run_experiment(experiment, {"epochs": epochs}, data=data, engine=engine)
    wall = time.perf_counter() - start
    n_train = len(data.fashion_mnist().train)
    return {
        "experiment": experiment,
        "engine": engine,
        "train_examples": n_train,
        "epochs": epochs,
        "seconds_per_epoch": wall / epochs,
        "microseconds_per_example": wall / epochs / n_train * 1e6,
        "final": metrics["final"],
    }


def sweep_command(
    jobs: int, out: Path, limit: int | None, epochs: int, grid: str, engine: str
) -> list[str]:
    command = [
        sys.executable,
        "-c",
        "from dlbasics.cli import main; main()",
        "sweep",
        "q4.2",
        "--grid",
        grid,
        "--engine",
        engine,
        "--jobs",
        str(jobs),
        "--epochs",
        str(epochs),
        "--out",
        str(out),
        "--quiet",
    ]
    if limit is not None:
        command += ["--limit", str(limit)]
    return command


@dataclass(frozen=True)
class Case:
    engine: str
    jobs: int
    threads: str | None  # DLBASICS_TORCH_THREADS for the command (None: the product's default)

    @property
    def label(self) -> str:
        threads = f" (DLBASICS_TORCH_THREADS={self.threads})" if self.threads else ""
        return f"--engine {self.engine} --jobs {self.jobs}{threads}"


def cases(engines: list[str], one_thread_case: bool = True) -> list[Case]:
    """Per engine: one worker, two workers; for torch also one worker limited to one thread,
    since a single torch process already spreads its small matrix products over the cores."""
    found = []
    for engine in engines:
        found.append(Case(engine, 1, None))
        if engine == "torch" and one_thread_case:
            found.append(Case(engine, 1, "1"))
        found.append(Case(engine, 2, None))
    return found


def run_case(
    case: Case, out: Path, limit: int | None, epochs: int, grid: str
) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, all processes of the command)."""
    env = dict(os.environ)
    env.pop("DLBASICS_TORCH_THREADS", None)
    if case.threads:
        env["DLBASICS_TORCH_THREADS"] = case.threads
    command = sweep_command(case.jobs, out, limit, epochs, grid, case.engine)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def jobs_comparison(
    limit: int | None, epochs: int, grid: str, engines: list[str], one_thread_case: bool = True
) -> list[dict]:
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        for engine in engines:  # warm-up: numba's on-disk cache, the OS file cache
            _ = run_case(Case(engine, 1, None), Path(tmp) / f"warm-{engine}", 20, 1, "report")
        for i, case in enumerate(cases(engines, one_thread_case)):
            out = Path(tmp) / f"case{i}"
            wall, cpu = run_case(case, out, limit, epochs, grid)
            sweep = json.loads((out / "sweep.json").read_text())
            rows.append(
                {
                    "engine": case.engine,
                    "jobs": case.jobs,
                    "threads_env": case.threads,
                    "command": f"dlbasics sweep q4.2 --grid {grid} {case.label}",
                    "wall_seconds": wall,
                    "cpu_seconds": cpu,
                    "finals": [t["final"] for t in sweep["trials"]],
                }
            )
            print(f"  {rows[-1]['command']}: {wall:.1f} s wall, {cpu:.1f} s CPU", flush=True)
    for row in rows:
        base = next(r for r in rows if r["engine"] == row["engine"] and r["jobs"] == 1)
        row["speedup_vs_jobs1"] = base["wall_seconds"] / row["wall_seconds"]
        row["same_results_as_jobs1"] = row["finals"] == base["finals"]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=5000, help="examples per split; 0 = all")
    parser.add_argument("--epochs", type=int, default=1, help="epochs per configuration")
    parser.add_argument("--grid", default="extended", help="q4.2 grid: extended or report")
    parser.add_argument("--engines", default="torch,fast", help="comma-separated engines")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--skip-epoch", action="store_true", help="only the --jobs comparison")
    parser.add_argument("--skip-jobs", action="store_true", help="only the per-epoch timing")
    parser.add_argument(
        "--skip-one-thread",
        action="store_true",
        help="leave out torch's --jobs 1 case held to one thread",
    )
    args = parser.parse_args()
    limit = None if args.limit == 0 else args.limit
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]

    from dlbasics.results.provenance import physical_cores

    report: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "physical_cores": physical_cores(),
        "limit": limit,
        "epochs": args.epochs,
        "grid": args.grid,
        "load_average_before": load_average(),
    }
    print(
        f"cores: {report['physical_cores']} physical, load average {report['load_average_before']}"
    )
    if not args.skip_epoch:
        report["per_epoch"] = []
        for engine in engines:
            one = per_epoch(limit, args.epochs, "q4-ffn", engine)
            report["per_epoch"].append(one)
            print(
                f"q4-ffn defaults, --engine {engine}, {one['train_examples']} training examples, "
                f"batch 1: {one['seconds_per_epoch']:.2f} s/epoch "
                f"({one['microseconds_per_example']:.0f} us/example)",
                flush=True,
            )
    if not args.skip_jobs:
        rows = jobs_comparison(limit, args.epochs, args.grid, engines, not args.skip_one_thread)
        report["jobs"] = rows
        # CPU / wall = cores the command actually got: near 1 for --jobs 2 means another
        # program held the second core, and no speed-up was possible.
        print("| command | wall s | CPU s | cores used | speed-up vs --jobs 1 | same results |")
        print("|---|---|---|---|---|---|")
        for row in rows:
            print(
                f"| `{row['command']}` | {row['wall_seconds']:.1f} | {row['cpu_seconds']:.1f} | "
                f"{row['cpu_seconds'] / row['wall_seconds']:.2f} | "
                f"{row['speedup_vs_jobs1']:.2f}x | {row['same_results_as_jobs1']} |"
            )
    report["load_average_after"] = load_average()
    print(f"load average after: {report['load_average_after']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
