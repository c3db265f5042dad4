"""A throwaway PostgreSQL server for the sweep tests (tests/sweep/test_postgres.py and the fault
suite, which stops and restarts one in the middle of a sweep).

It is started with the Debian ``postgresql`` package's ``initdb`` and ``pg_ctl`` in a temporary
directory, listening only on a unix socket there. Without those programs the tests are skipped,
except in CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

MISSING = (
    "PostgreSQL server programs (initdb, pg_ctl) not found: install the Debian package "
    "`postgresql` (apt-get install postgresql) to run this test"
)


def postgres_bin() -> Path | None:
    """The newest /usr/lib/postgresql/*/bin with initdb and pg_ctl, or the ones on PATH."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    return None


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the ``postgres`` user then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


class Server:
    """One initialised data directory; :meth:`start` and :meth:`stop` may alternate."""

    def __init__(self, bin_dir: Path, root: Path) -> None:
        self.bin_dir, self.root = bin_dir, root
        self.data, self.log = root / "data", root / "server.log"
        self.url = f"postgresql://postgres@/postgres?host={root}&port=5432"

    def _pg_ctl(self, *args: str) -> None:
        command = [str(self.bin_dir / "pg_ctl"), "-D", str(self.data), *args]
        subprocess.run(_as_server_user(command), check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = f"-k {self.root} -c listen_addresses='' -p 5432 -F"
        self._pg_ctl("-l", str(self.log), "-w", "-t", "60", "-o", options, "start")

    def stop(self) -> None:
        """Stop at once, as a crash or a lost machine would (``-m immediate``)."""
        self._pg_ctl("-m", "immediate", "stop")


@contextmanager
def postgres_server() -> Iterator[Server]:
    """A running throwaway server, removed afterwards."""
    bin_dir = postgres_bin()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail(MISSING)
        pytest.skip(MISSING)
    # Not pytest's tmp_path: its parents are private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="dlbasics-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    server = Server(bin_dir, root)
    try:
        initdb = [str(bin_dir / "initdb"), "-D", str(server.data), "-U", "postgres"]
        subprocess.run(
            _as_server_user([*initdb, "--auth=trust", "--no-sync"]),
            check=True,
            capture_output=True,
            timeout=120,
        )
        server.start()
    except subprocess.CalledProcessError as error:
        shutil.rmtree(root, ignore_errors=True)
        server_log = server.log.read_text() if server.log.exists() else ""
        pytest.fail(f"could not start PostgreSQL: {error.stderr.decode()}\n{server_log}")
    try:
        yield server
    finally:
        subprocess.run(
            _as_server_user(
                [str(bin_dir / "pg_ctl"), "-D", str(server.data), "-m", "immediate", "stop"]
            ),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)
