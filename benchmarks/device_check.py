"""Check the PyTorch engine on a GPU: same experiment on cuda and cpu, side by side.

Usage (on a machine with CUDA): python benchmarks/device_check.py [--limit N] [--out DIR]
Prints, per configuration, wall time and final accuracies on both devices and their difference.
The numbers need not be bitwise equal (GPU kernels sum in another order), only close.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import torch

from dlbasics.data.options import DataOptions
from dlbasics.experiments.runner import run_experiment


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    if not torch.cuda.is_available():
        print("no CUDA device: nothing to check", file=sys.stderr)
        return 2
    print(f"torch {torch.__version__}, device {torch.cuda.get_device_name(0)}")
    data = DataOptions(limit=args.limit)
    configs = [
        ("q4-logreg", {"epochs": 2, "learning_rate": 0.001}),
        ("q4-ffn", {"epochs": 2, "learning_rate": 0.001}),
        ("q4-ffn", {"epochs": 3, "learning_rate": 0.01, "batch_size": 64, "optimizer": "adam"}),
    ]
    rows = []
    worst = 0.0
    for name, overrides in configs:
        row: dict = {"experiment": name, "config": overrides}
        for device in ("cuda", "cpu"):
            start = time.perf_counter()
            metrics = run_experiment(
                name, overrides, seed=42, engine="torch", data=data, device=device
            )
            row[device] = {"seconds": round(time.perf_counter() - start, 2), **metrics["final"]}
        diff = abs(row["cuda"]["dev_acc"] - row["cpu"]["dev_acc"])
        worst = max(worst, diff)
        rows.append(row)
        print(json.dumps(row))
    print(f"worst dev-accuracy difference cuda vs cpu: {worst:.4f}")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "device_check.json").write_text(json.dumps(rows, indent=2))
    return 0 if worst <= 0.01 else 1


if __name__ == "__main__":
    sys.exit(main())
