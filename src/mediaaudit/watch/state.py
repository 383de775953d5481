"""Watcher state in SQLite, so a restart neither loses nor repeats work.

Each file moves through: ``audited`` (result stored, with the stamps of its sidecars at
the audit) → ``routed`` (moved, or left in place when there is no routing; where to is
stored) → ``reporting`` (written to the results, with where it went; the HTML report is
being written) → ``done``.  A report interrupted by a crash is tried once more
(``reporting-again``), never a third time, so a report that kills the service cannot
become a crash loop.  A restart resumes every row from where it stopped instead of
auditing again.  (``logged`` rows, from versions that logged before routing, are
routed and done.)  A row whose next step fails for a reason of its own file (not a full
disk, which pauses every row) is tried at most ``MAX_TRIES`` times, across restarts,
then ends as ``failed``: logged, its file left where it is, never a crash loop.
Entries the watcher skips (symlinks) are stored as ``done`` rows with outcome
``skipped``, so they are reported once, not on every listing or restart.
A row whose file came back under the same name with more (or the same) bytes, judged
again and routed in its place, ends as ``superseded`` (``Watcher._supersede``): its
verdict belongs to a version that no longer exists.
With ``watch --fix`` a derivative is a row of its own, inserted together with the link
to its original (table ``fixes``) in one transaction once it is converted and audited:
a restart finds either no derivative (the conversion is done again, from scratch) or
one row that goes on like any other, never two.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """Where a row is on its way from the drop folder to its destination; the values are
    what the state database stores.  Each step is committed before the next begins, so a
    restart resumes a row from its status (``pending``)."""

    AUDITED = "audited"
    LOGGED = "logged"
    ROUTED = "routed"
    REPORTING = "reporting"
    REPORTING_AGAIN = "reporting-again"
    DONE = "done"
    FAILED = "failed"
    SUPERSEDED = "superseded"


@dataclass(frozen=True)
class Row:
    rel: str
    path: str
    size: int
    mtime_ns: int
    sha256: str | None
    outcome: str
    status: Status
    entry: dict[str, Any]
    routed_to: str | None
    sides: str | None = None  # the sidecars' stamps at the audit (JSON); None: unknown


# The statuses a row can end in (as stored, for SQL); every other status is work to resume.
FINAL = tuple(str(s.value) for s in (Status.DONE, Status.FAILED, Status.SUPERSEDED))
MAX_TRIES = 2

_COLS = "id, rel, path, size, mtime_ns, sha256, outcome, status, entry, routed_to, sides"


class State:
    def __init__(self, path: str) -> None:
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS files (id INTEGER PRIMARY KEY, rel TEXT, path BLOB, "
            "size INTEGER, "
            "mtime_ns INTEGER, sha256 TEXT, outcome TEXT, status TEXT, entry TEXT, "
            "routed_to TEXT, at REAL, sides TEXT)")
        cols = {str(r[1]) for r in self.db.execute("PRAGMA table_info(files)").fetchall()}
        if "sides" not in cols:  # a state file from before sidecar stamps
            self.db.execute("ALTER TABLE files ADD COLUMN sides TEXT")
        if "tries" not in cols:  # a state file from before failed rows ended
            self.db.execute("ALTER TABLE files ADD COLUMN tries INTEGER NOT NULL DEFAULT 0")
        self.db.execute("CREATE INDEX IF NOT EXISTS files_rel ON files (rel, status)")
        self.db.execute("CREATE TABLE IF NOT EXISTS fixes (original INTEGER PRIMARY KEY, "
                        "derivative INTEGER NOT NULL)")

    def reset(self) -> None:
        self.db.execute("DELETE FROM files")
        self.db.execute("DELETE FROM fixes")

    def derivative_of(self, original: int) -> int | None:
        """The row of the derivative made from row ``original``, if one was made."""
        row = self.db.execute("SELECT derivative FROM fixes WHERE original=?",
                              (original,)).fetchone()
        return None if row is None else int(row[0])

    def add_derivative(self, original: int, rel: str, path: str, size: int, mtime_ns: int,
                       sha256: str | None, outcome: str, entry: dict[str, Any],
                       sides: str | None) -> int:
        """Insert the derivative's row and its link to the original, both or neither."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            row_id = self.add(rel, path, size, mtime_ns, sha256, outcome, entry, sides)
            self.db.execute("INSERT INTO fixes (original, derivative) VALUES (?, ?)",
                            (original, row_id))
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")
        return row_id

    def _row(self, r: tuple[Any, ...]) -> Row:
        return Row(r[1], os.fsdecode(r[2]), r[3], r[4], r[5], r[6], Status(r[7]),
                   json.loads(r[8]), r[9], r[10])

    def pending(self) -> list[tuple[int, Row]]:
        """Rows a crash interrupted (audited or logged, not done)."""
        cur = self.db.execute(f"SELECT {_COLS} FROM files WHERE status NOT IN {FINAL} "
                              "ORDER BY id")
        return [(r[0], self._row(r)) for r in cur.fetchall()]

    def known(self, rel: str, size: int, mtime_ns: int) -> bool:
        """Was this exact version of the file (still in the drop folder) handled already?"""
        cur = self.db.execute(
            "SELECT 1 FROM files WHERE rel=? AND size=? AND mtime_ns=? AND routed_to IS NULL "
            "AND status != 'superseded' LIMIT 1", (rel, size, mtime_ns))
        return cur.fetchone() is not None

    def add(self, rel: str, path: str, size: int, mtime_ns: int, sha256: str | None,
            outcome: str, entry: dict[str, Any], sides: str | None = None) -> int:
        """``rel`` is the printable name; ``path`` the real one (stored as bytes, so names
        that are not UTF-8 survive a restart); ``sides`` the sidecars' stamps."""
        cur = self.db.execute(
            "INSERT INTO files (rel, path, size, mtime_ns, sha256, outcome, status, entry, at, "
            "sides) VALUES (?, ?, ?, ?, ?, ?, 'audited', ?, ?, ?)",
            (rel, os.fsencode(path), size, mtime_ns, sha256, outcome, json.dumps(entry),
             time.time(), sides))
        return int(cur.lastrowid or 0)

    def skip(self, rel: str, path: str, size: int, mtime_ns: int, reason: str) -> None:
        cur = self.db.execute(
            "INSERT INTO files (rel, path, size, mtime_ns, sha256, outcome, status, entry, at) "
            "VALUES (?, ?, ?, ?, NULL, 'skipped', 'done', ?, ?)",
            (rel, os.fsencode(path), size, mtime_ns,
             json.dumps({"path": rel, "reason": reason}), time.time()))
        del cur

    def previous(self, rel: str, before: int) -> tuple[int, Row] | None:
        """The latest finished verdict of an earlier version of ``rel`` (a row before row
        ``before``, routed or left in place), if there is one."""
        r = self.db.execute(
            f"SELECT {_COLS} FROM files WHERE rel=? AND id<? AND status='done' "
            "AND outcome IN ('pass', 'fail', 'error') ORDER BY id DESC LIMIT 1",
            (rel, before)).fetchone()
        return None if r is None else (r[0], self._row(r))

    def targets(self) -> set[str]:
        """Every path a row says its file is at (a superseded row's file was removed, and
        its name may be the new version's now)."""
        cur = self.db.execute("SELECT routed_to FROM files WHERE routed_to IS NOT NULL "
                              "AND status != 'superseded'")
        return {str(r[0]) for r in cur.fetchall()}

    def mark(self, row_id: int, status: Status, routed_to: str | None = None) -> None:
        self.db.execute("UPDATE files SET status=?, routed_to=COALESCE(?, routed_to) WHERE id=?",
                        (status, routed_to, row_id))

    def tried(self, row_id: int) -> int:
        """Count one failed try of this row's next step; return how many there were."""
        self.db.execute("UPDATE files SET tries = tries + 1 WHERE id=?", (row_id,))
        row = self.db.execute("SELECT tries FROM files WHERE id=?", (row_id,)).fetchone()
        return 0 if row is None else int(row[0])

    def status(self, row_id: int) -> Status | None:
        row = self.db.execute("SELECT status FROM files WHERE id=?", (row_id,)).fetchone()
        return None if row is None else Status(row[0])

    def drop(self, row_id: int) -> None:
        self.db.execute("DELETE FROM files WHERE id=?", (row_id,))

    def close(self) -> None:
        self.db.close()
