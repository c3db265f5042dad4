"""Cache keys: what makes a step's result, hashed into the name of its cache folder.

A step's key is its name, configuration, seed, engine, the keys of the steps it reads from, and
the code version (a hash of the dlbasics source files that shape results). Its work lands in
``OUT/cache/<step>-<hash of the key>/``; another key gets another folder.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from dlbasics.pipeline.options import ReproduceOptions
from dlbasics.pipeline.steps import (
    FULL_VERIFY_CASES,
    QUICK_DEFAULT_EPOCHS,
    QUICK_EPOCHS,
    QUICK_VERIFY_CASES,
    Step,
)

# Source folders that only present results (the CLI, the documents, the report writer, this
# pipeline) are left out of the code version, so improving the report does not retrain
# everything. (plotting/ draws the runs' own figures, so it counts.)
_PRESENTATION = ("cli/", "documents/", "report/", "pipeline/")


def code_version(root: Path | None = None) -> str:
    """A hash of the dlbasics source files that shape results (16 hex digits).

    ``root``: the package folder (default: this installed dlbasics).
    """
    root = root or Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root).as_posix()
        if relative.startswith(_PRESENTATION):
            continue
        digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def step_config(step: Step, options: ReproduceOptions) -> dict[str, Any]:
    """The configuration of ``step`` under ``options`` (part of its cache key)."""
    if step.kind == "verify-math":
        return {"cases": QUICK_VERIFY_CASES if options.quick else FULL_VERIFY_CASES}
    data = options.effective_data
    config: dict[str, Any] = {
        "data_limit": data.limit,
        "data_dir": str(data.data_dir) if data.data_dir else None,
        "ames_path": str(data.ames_path) if data.ames_path else None,
    }
    epochs = QUICK_EPOCHS.get(step.name, QUICK_DEFAULT_EPOCHS) if options.quick else None
    if step.kind == "experiment":
        config["overrides"] = {**dict(step.overrides), **({"epochs": epochs} if epochs else {})}
    else:
        config["grid"] = "report"
        config["epochs"] = epochs
    return config


def step_key(
    step: Step,
    options: ReproduceOptions,
    engine: str | None,
    version: str,
    needs: dict[str, str],
    seed: int | None = None,
) -> dict[str, Any]:
    """The key of ``step``'s run with ``seed`` (default: the primary seed, ``options.seed``)."""
    return {
        "step": step.name,
        "config": step_config(step, options),
        "seed": options.seed if seed is None else seed,
        "engine": engine,
        "code_version": version,
        "needs": needs,  # the key hashes of the steps it reads from
    }


def key_hash(key: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]


def cache_dir(out: Path, step: Step, key: dict[str, Any]) -> Path:
    return out / "cache" / f"{step.name}-{key_hash(key)}"
