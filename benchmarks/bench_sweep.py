"""Benchmark of the Q4 sweeps: seconds per epoch of one configuration, and --jobs 1 vs --jobs 2.

Usage (from the repository root)::

    .venv/bin/python benchmarks/bench_sweep.py                  # defaults: a few minutes
    .venv/bin/python benchmarks/bench_sweep.py --limit 0 --epochs 1   # full data (slow)

Part 1 trains one q4-ffn configuration (the defaults) and reports the wall time per epoch, data
loading excluded. Part 2 runs a q4.2 grid as two fresh commands, ``dlbasics sweep q4.2 --jobs 1``
and ``--jobs 2``, each on a new study, and reports both wall times (process start, imports and
data loading included: what a user waits for) and their ratio. The default grid is ``extended``
(15 configurations): the report's grid has 3 equal configurations, so two workers finish it in
2 rounds instead of 3 and cannot be more than 1.5x faster, whatever the machine.
The load average is printed before and after: on a machine shared with other work the numbers
move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
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


def jobs_comparison(limit: int | None, epochs: int, grid: str, engine: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-sweep-") as tmp:
        for jobs in (1, 2):
            out = Path(tmp) / f"jobs{jobs}"
            start = time.perf_counter()
            subprocess.run(
                sweep_command(jobs, out, limit, epochs, grid, engine),
                check=True,
                capture_output=True,
            )
            wall = time.perf_counter() - start
            sweep = json.loads((out / "sweep.json").read_text())
            results[f"jobs{jobs}"] = {
                "wall_seconds": wall,
                "trial_seconds": [t["seconds"] for t in sweep["trials"]],
                "finals": [t["final"] for t in sweep["trials"]],
            }
    results["speedup"] = results["jobs1"]["wall_seconds"] / results["jobs2"]["wall_seconds"]
    results["same_results"] = results["jobs1"]["finals"] == results["jobs2"]["finals"]
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--limit", type=int, default=5000, help="examples per split; 0 = all")
    parser.add_argument("--epochs", type=int, default=1, help="epochs per configuration")
    parser.add_argument("--grid", default="extended", help="q4.2 grid: extended or report")
    parser.add_argument("--engine", default="torch", help="torch (default) or fast")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument("--skip-epoch", action="store_true", help="only the --jobs comparison")
    parser.add_argument("--skip-jobs", action="store_true", help="only the per-epoch timing")
    args = parser.parse_args()
    limit = None if args.limit == 0 else args.limit

    from dlbasics.torchnets.train import physical_cores

    report: dict[str, Any] = {
        "cpus": os.cpu_count(),
        "physical_cores": physical_cores(),
        "threads_env": os.environ.get("DLBASICS_TORCH_THREADS"),
        "limit": limit,
        "epochs": args.epochs,
        "grid": args.grid,
        "engine": args.engine,
        "load_average_before": load_average(),
    }
    print(
        f"cores: {report['physical_cores']} physical, load average {report['load_average_before']}"
    )
    if not args.skip_epoch:
        one = per_epoch(limit, args.epochs, "q4-ffn", args.engine)
        report["per_epoch"] = one
        print(
            f"q4-ffn defaults ({args.engine}), {one['train_examples']} training examples, batch 1: "
            f"{one['seconds_per_epoch']:.2f} s/epoch ({one['microseconds_per_example']:.0f} us/example)"
        )
    if not args.skip_jobs:
        cmp = jobs_comparison(limit, args.epochs, args.grid, args.engine)
        report["jobs"] = cmp
        print("| command | wall seconds |")
        print("|---|---|")
        for jobs in (1, 2):
            print(
                f"| dlbasics sweep q4.2 --jobs {jobs} | {cmp[f'jobs{jobs}']['wall_seconds']:.1f} |"
            )
        print(f"speed-up of --jobs 2: {cmp['speedup']:.2f}x; same results: {cmp['same_results']}")
    report["load_average_after"] = load_average()
    print(f"load average after: {report['load_average_after']}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
