"""One real ``reproduce --quick`` shared by the end-to-end and browser tests (it takes a while)."""

from __future__ import annotations

import pytest

from dlbasics.pipeline import ReproduceOptions, code_version, reproduce
from dlbasics.pipeline import run as reproduce_module
from tests.conftest import require

VERSION = code_version()


@pytest.fixture(scope="session")
def quick_report(tmp_path_factory, fashion_mnist_available):
    """The result of ``dlbasics reproduce --quick`` into a fresh folder."""
    require(
        fashion_mnist_available,
        "Fashion-MNIST not found (apt-get install dataset-fashion-mnist, or dlbasics data fetch)",
    )
    out = tmp_path_factory.mktemp("quick-report")
    # Pin the code version for the session: the cache test reruns and expects the same keys,
    # even if a source file of the working tree is edited while the tests run.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reproduce_module, "code_version", lambda root=None: VERSION)
        result = reproduce(ReproduceOptions(out=out, quick=True, quiet=True))
        yield out, result


@pytest.fixture(scope="session")
def quick_seeds_report(tmp_path_factory, quick_report):
    """``dlbasics reproduce --quick --seeds 2`` (the command line, end to end) into a copy of
    ``quick_report``'s folder: its single-seed steps are seed 42's, so only seed 43 runs.

    Yields the folder, the command's exit code and its stderr.
    """
    import shutil
    import sys

    from dlbasics.cli import main

    out = tmp_path_factory.mktemp("quick-seeds-report") / "report"
    shutil.copytree(quick_report[0], out)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reproduce_module, "code_version", lambda root=None: VERSION)
        argv = ["dlbasics", "reproduce", "--quick", "--seeds", "2", "--out", str(out)]
        patch.setattr(sys, "argv", [*argv, "--quiet"])
        try:
            main()
            code = 0
        except SystemExit as exit_info:
            code = exit_info.code if isinstance(exit_info.code, int) else 1
        yield out, code
