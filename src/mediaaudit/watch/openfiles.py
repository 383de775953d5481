"""Which dropped files are still open for writing, from inotify's close-write events.

Settling (size and mtime unchanged for ``--settle`` seconds) cannot tell a finished
upload from a writer that paused; the kernel can: a file that was written to is
complete when its writer closes it (IN_CLOSE_WRITE, watchdog's ``FileClosedEvent``).
Fed from the observer thread, read from the watch loop, hence the lock.  Only inotify
reports closes: in poll mode this is never fed and every file counts as closed.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field

# A mark older than this is trusted no more: a lost close event (queue overflow) must not
# hold a file back for ever.  A writer that pauses longer gets the poll-mode treatment:
# its file is judged, and routed only if its hash is still the audited one.
STALE_AFTER = 3600.0


@dataclass
class OpenFiles:
    marks: dict[str, float] = field(default_factory=dict)  # path → last write event
    lock: threading.Lock = field(default_factory=threading.Lock)

    def event(self, kind: str, src: str, dest: str | None = None,
              synthetic: bool = False) -> None:
        """One watchdog file event (``event_type``, ``src_path``, ``dest_path``,
        ``is_synthetic``).

        A synthetic "created" is watchdog's report of a file it found in a folder it
        began to watch (a folder copied or unpacked into the drop folder): the file was
        made before the watch, so whether it is still open cannot be known, and its close
        may never be reported.  It is not marked; settling judges it, as in poll mode.
        Marking it held an empty member of an unpacked delivery back for an hour."""
        src = os.path.abspath(src)
        with self.lock:
            if kind == "modified":
                self.marks[src] = time.monotonic()
            elif kind == "created" and not synthetic:
                # A real create (O_CREAT) starts empty; a file moved in from outside the
                # drop folder is also reported as created, but it is whole and no close
                # will follow, so it must not be marked.
                try:
                    empty = os.lstat(src).st_size == 0
                except OSError:
                    empty = False
                if empty:
                    self.marks[src] = time.monotonic()
            elif kind in ("closed", "deleted"):
                self.marks.pop(src, None)
            elif kind == "moved" and dest is not None:
                since = self.marks.pop(src, None)
                if since is not None:  # renamed while open: still open under its new name
                    self.marks[os.path.abspath(dest)] = since

    def is_open(self, path: str) -> bool:
        with self.lock:
            since = self.marks.get(os.path.abspath(path))
            if since is not None and time.monotonic() - since > STALE_AFTER:
                del self.marks[os.path.abspath(path)]
                return False
            return since is not None
