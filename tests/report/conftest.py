"""One real ``reproduce --quick`` shared by the end-to-end and browser tests (it takes a while)."""

from __future__ import annotations

import pytest

from dlbasics.reproduce import ReproduceOptions, reproduce
from tests.conftest import require


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory, fashion_mnist_available):
    """The result of ``dlbasics reproduce --quick`` into a fresh folder."""
    require(
        fashion_mnist_available,
        "Fashion-MNIST not found (apt-get install dataset-fashion-mnist, or dlbasics data fetch)",
    )
    out = tmp_path_factory.mktemp("quick-report")
    result = reproduce(ReproduceOptions(out=out, quick=True, quiet=True))
    return out, result
