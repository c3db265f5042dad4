"""The one exception type the CLI turns into a single line and a non-zero exit."""


class DlbasicsError(Exception):
    """A problem the user can fix (bad input, missing data, bad flag).

    The CLI prints ``str(error)`` on one line to stderr and exits with ``exit_code``;
    library callers can catch it like any exception.
    """

    exit_code = 2


class DataError(DlbasicsError):
    """A data file is missing, corrupt or does not match its pinned checksum."""


class ConfigError(DlbasicsError, ValueError):
    """An invalid hyperparameter, experiment name or option.

    Also a ``ValueError``, the Python convention for a bad argument, so library callers can
    catch it as such.
    """


class DivergedError(DlbasicsError):
    """Training produced non-finite loss or weights."""

    exit_code = 3
