"""What ``dlbasics data info`` reports: sources, checksum status, split shapes, class balance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from dlbasics.data.ames import DEFAULT_FEATURES, RECIPES, load_ames
from dlbasics.data.fashion_mnist import FILES, candidate_dirs, load_fashion_mnist


def _split(dataset: Any, with_classes: bool) -> dict[str, Any]:
    info: dict[str, Any] = {"shape": list(dataset.X.shape)}
    if with_classes:
        info["class_counts"] = np.bincount(dataset.y, minlength=10).tolist()
    return info


def describe(data_dir: Path | None = None, ames_path: Path | None = None) -> dict[str, Any]:
    """Load both datasets (verifying them) and summarise; raises DataError on any problem."""
    fmnist = load_fashion_mnist(data_dir)
    ames = load_ames(ames_path)
    return {
        "fashion_mnist": {
            "source": fmnist.source,
            "searched": [f"{label}:{path}" for label, path in candidate_dirs(data_dir)],
            "checksum": "ok",  # load_fashion_mnist raises on any mismatch
            "files": {spec.name: spec.sha256 for spec in FILES.values()},
            "pixel_scale": "pixels / 256",
            "train": _split(fmnist.train, True),
            "dev": _split(fmnist.dev, True),
            "test": _split(fmnist.test, True),
        },
        "ames": {
            "source": ames.source,
            "checksum": ames.checksum,
            "n_features": len(ames.feature_names),
            "n_features_by_recipe": {
                recipe: len(ames.feature_names)
                if recipe == DEFAULT_FEATURES
                else len(load_ames(ames_path, features=recipe).feature_names)
                for recipe in RECIPES
            },
            "train": _split(ames.train, False),
            "test": _split(ames.test, False),
        },
    }


def format_summary(info: dict[str, Any]) -> str:
    fm, ames = info["fashion_mnist"], info["ames"]
    lines = [
        f"Fashion-MNIST  source: {fm['source']}  checksum: {fm['checksum']}",
    ]
    for split in ("train", "dev", "test"):
        shape = "x".join(map(str, fm[split]["shape"]))
        counts = fm[split]["class_counts"]
        lines.append(f"  {split:<5} {shape:>10}  per class: {min(counts)}-{max(counts)}")
    lines.append(f"Ames housing   source: {ames['source']}  checksum: {ames['checksum']}")
    for split in ("train", "test"):
        shape = "x".join(map(str, ames[split]["shape"]))
        lines.append(f"  {split:<5} {shape:>10}")
    counts = ", ".join(f"{n} {recipe}" for recipe, n in ames["n_features_by_recipe"].items())
    lines.append(f"  features: {counts} (--features; homework's preprocessed file: 348)")
    return "\n".join(lines)
