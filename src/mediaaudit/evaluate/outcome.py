"""One place that turns findings into a per-file outcome."""

from __future__ import annotations

from collections.abc import Iterable

from mediaaudit import codes
from mediaaudit.model import Finding, NvfStatus, Outcome, Severity


def decide(findings: Iterable[Finding], format_status: NvfStatus, unaudited: bool) -> Outcome:
    """error if the file could not be audited; fail on any error finding or no format
    verdict; otherwise pass.  A file about which nothing could be established never passes."""
    fs = list(findings)
    if unaudited or any(codes.get(f.code).unaudited for f in fs):
        return Outcome.ERROR
    if format_status is NvfStatus.UNKNOWN:
        return Outcome.FAIL
    if any(f.severity is Severity.ERROR for f in fs):
        return Outcome.FAIL
    return Outcome.PASS
