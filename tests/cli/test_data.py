"""The `dlbasics data` commands, run as a user runs them."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def dlbasics(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "dlbasics", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )


def test_missing_data_is_one_line(tmp_path):
    result = dlbasics("data", "info", "--data-dir", str(tmp_path))
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "dataset-fashion-mnist" in lines[0] and "--data-dir" in lines[0]
    assert "dlbasics data fetch" in lines[0] and "Traceback" not in result.stderr


def test_bad_ames_path_is_one_line(tmp_path, real_fashion_mnist):
    bad = tmp_path / "ames.csv"
    bad.write_text("Order,PID\n1,2\n")
    result = dlbasics("data", "info", "--ames-path", str(bad))
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1 and str(bad) in result.stderr


@pytest.mark.realdata
def test_info_json(real_fashion_mnist):
    result = dlbasics("data", "info", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    fm = info["fashion_mnist"]
    assert fm["train"]["shape"] == [50000, 784]
    assert fm["dev"]["shape"] == [10000, 784]
    assert fm["test"]["shape"] == [10000, 784]
    assert fm["checksum"] == "ok" and fm["source"]
    assert info["ames"]["train"]["shape"][0] == 1465 and info["ames"]["test"]["shape"][0] == 1465
    assert info["ames"]["n_features"] == info["ames"]["train"]["shape"][1] == 320
    assert info["ames"]["n_features_by_recipe"] == {"minmax": 320, "zscore": 320, "homework": 346}
    assert info["ames"]["checksum"] == "ok"
    human = dlbasics("data", "info")
    assert "50000x784" in human.stdout and "features: 320 minmax" in human.stdout
