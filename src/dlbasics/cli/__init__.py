"""The ``dlbasics`` command. Thin: each submodule wires one command group to the library.

Errors the user can fix (:class:`dlbasics.errors.DlbasicsError`) become one line on stderr
and a non-zero exit code, never a traceback; so does a write that fails because the disk is full
or a folder is not writable (named by its path). Usage errors are Typer's own.
"""

from __future__ import annotations

import sys

from dlbasics.cli.app import app
from dlbasics.errors import DlbasicsError
from dlbasics.results.staging import WRITE_ERRNOS, OutputError, describe_write_error

# Importing a command module registers its commands on ``app``.
from dlbasics.cli import data as _data  # noqa: F401, E402  isort: skip
from dlbasics.cli import verify as _verify  # noqa: F401, E402  isort: skip
from dlbasics.cli import reproduce as _reproduce  # noqa: F401, E402  isort: skip
from dlbasics.cli import run as _run  # noqa: F401, E402  isort: skip
from dlbasics.cli import sweep as _sweep  # noqa: F401, E402  isort: skip
from dlbasics.cli import bench as _bench  # noqa: F401, E402  isort: skip


def main() -> None:
    try:
        app()  # standalone: Typer reports usage errors and exits itself
    except DlbasicsError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except OSError as error:
        if error.errno not in WRITE_ERRNOS:
            raise
        print(f"error: {describe_write_error(error, error.filename)}", file=sys.stderr)
        sys.exit(OutputError.exit_code)
    except KeyboardInterrupt:  # Ctrl-C: the conventional exit status, no traceback
        print("interrupted", file=sys.stderr)
        sys.exit(130)


__all__ = ["app", "main"]
