"""Filesystem timestamps: when a stat can vouch for every later change.

A file changed twice within one timestamp tick keeps the same mtime and ctime, so a
stat taken in that tick cannot tell the bytes read then from the bytes written a moment
later (git calls such an entry "racy").  The cache and the directory listings must not
trust a stat whose timestamps are that close to the moment they started reading.

Python cannot ask a filesystem for its timestamp granularity, so it is read off the
timestamp: a value on a whole second comes from a coarse filesystem (FAT keeps 2
seconds, many SMB/NFS servers and HFS+ 1 second); any other value comes from a
fine-grained one, whose tick is the kernel's coarse clock (a few ms).  Both windows
carry a margin for that clock lagging the one ``time.time_ns`` reads.  Clock skew of a
network server beyond the margin is not covered; ``--no-cache`` and ``verify`` re-read.
"""

from __future__ import annotations

import os

FINE_NS = 100_000_000  # 100 ms: a few coarse-clock ticks plus margin
COARSE_NS = 3_000_000_000  # FAT's 2-second timestamps (rounded down) plus margin
_SECOND = 1_000_000_000


def granularity_ns(t_ns: int) -> int:
    """How far a change may lie after the timestamp it was given (see module docstring)."""
    return COARSE_NS if t_ns % _SECOND == 0 else FINE_NS


def is_racy(t_ns: int, since_ns: int) -> bool:
    """Could a change made at or after ``since_ns`` (our clock) still carry ``t_ns``?"""
    return t_ns >= since_ns - granularity_ns(t_ns)


def stat_is_racy(st: os.stat_result, since_ns: int) -> bool:
    """Either timestamp of ``st`` too recent to show a change made after ``since_ns``."""
    return is_racy(st.st_mtime_ns, since_ns) or is_racy(st.st_ctime_ns, since_ns)
