"""Probes: read one file and return ``Facts``.  All file I/O of the audit lives here."""

from mediaaudit.probe.run import probe_file

__all__ = ["probe_file"]
