"""The exit status, decided in one place.

0  every file passed
1  at least one file failed
2  a usage/config/profile error, an output that cannot be written, or at least one file
   could not be audited (error)
"""

from __future__ import annotations

from collections.abc import Mapping

OK, FAILED, ERROR = 0, 1, 2

HELP = (
    "Exit status: 0 = every file passed; 1 = at least one file failed; "
    "2 = usage, config, profile or output error, or a file could not be audited."
)


def exit_status(summary: Mapping[str, int], exit_zero: bool = False) -> int:
    """Map a scan summary to the process exit code."""
    if exit_zero:
        return OK
    if summary.get("error", 0):
        return ERROR
    if summary.get("fail", 0):
        return FAILED
    return OK
