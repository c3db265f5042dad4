"""Shared fixtures. Real-data tests skip when the data is absent, except in CI where they fail."""

from __future__ import annotations

import os

import pytest

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip the test with ``reason`` unless we are in CI, where a missing requirement fails."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def fashion_mnist_available() -> bool:
    from dlbasics.data.fashion_mnist import locate
    from dlbasics.errors import DataError

    try:
        locate()
    except DataError:
        return False
    return True


@pytest.fixture
def real_fashion_mnist(fashion_mnist_available: bool) -> None:
    require(
        fashion_mnist_available,
        "Fashion-MNIST not found (apt-get install dataset-fashion-mnist, or dlbasics data fetch)",
    )
