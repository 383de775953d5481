"""Probes: read one file and return ``Facts``.  All file I/O of the audit lives here.

The entry point is ``mediaaudit.probe.run.probe_file``.  This package imports nothing
itself: the scan's main process reads only ``probe.identify`` (is libmagic there?), and
the decoders behind ``run`` (Pillow, MediaInfo, mutagen, jpylyzer) load in the worker
processes that probe, not in a warm rescan that probes nothing."""
