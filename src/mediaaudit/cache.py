"""Incremental cache of probe facts (SQLite, embedded).

Facts, not verdicts, are stored, keyed by the file's real path plus a fingerprint of
its size, mtime_ns and its sidecars' stats, and by a version string covering mediaaudit
and the engines.  A profile or policy change therefore re-evaluates from cached facts;
a changed file or sidecar is probed again.  Like black and rsync, an unchanged size and
mtime is trusted to mean unchanged content (``--no-cache`` or ``verify`` re-read).

Never fatal: a corrupt cache is moved aside and rebuilt, a locked one (another scan is
writing) is skipped for this run; both with a warning.  WAL mode lets two scans share it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time

from mediaaudit import factcodec
from mediaaudit.model import Facts, FileRef
from mediaaudit.probe.sidecars import candidates

SCHEMA = 1
# Notes that describe a moment, not the file: never cached, so the next scan tries again.
TRANSIENT = {"MA-IO-002", "MA-IO-003", "MA-IO-005", "MA-IO-006"}


def default_path() -> str:
    base = os.environ.get("MEDIAAUDIT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "mediaaudit")
    return os.path.join(base, "facts.sqlite")


def fingerprint(ref: FileRef) -> str:
    """size:mtime of the file and of every sidecar that belongs to it."""
    parts = [f"{ref.size}:{ref.mtime_ns}"]
    for kind, side in candidates(ref.path):
        try:
            st = os.stat(side)
        except OSError:
            continue
        parts.append(f"{kind}{len(side)}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


class FactCache:
    """A small wrapper; every method degrades to 'no cache' instead of raising."""

    def __init__(self, path: str, version: str = "") -> None:
        self.path = path
        self.version = version
        self.warnings: list[str] = []
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[bytes, str, str, str, float]] = []
        self._open()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
        db.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, fp TEXT, "
                   "version TEXT, data TEXT, used REAL)")
        row = db.execute("SELECT v FROM meta WHERE k='schema'").fetchone()
        if row is None:
            db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
        elif row[0] != str(SCHEMA):
            db.execute("DELETE FROM facts")
            db.execute("UPDATE meta SET v=? WHERE k='schema'", (str(SCHEMA),))
        db.execute("SELECT count(*) FROM facts WHERE rowid < 2").fetchone()
        return db

    def _open(self) -> None:
        try:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                self.warnings.append(f"cache {self.path} is busy ({exc}); scanning without it")
                return
            aside = f"{self.path}.corrupt-{int(time.time())}"
            with contextlib.suppress(OSError):
                os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.remove(self.path + suffix)
            self.warnings.append(f"cache {self.path} was unreadable ({exc}); moved to {aside} "
                                 "and rebuilt")
            try:
                self._db = self._connect()
            except sqlite3.DatabaseError as exc2:
                self.warnings.append(f"cannot create cache {self.path} ({exc2}); "
                                     "scanning without it")
                self._db = None
        except OSError as exc:
            self.warnings.append(f"cannot use cache {self.path} ({exc.strerror}); "
                                 "scanning without it")

    @staticmethod
    def key(ref: FileRef) -> bytes:
        """Bytes, so names that are not valid UTF-8 are cached like any other."""
        return os.fsencode(os.path.abspath(ref.path))

    def lookup(self, ref: FileRef) -> str | None:
        """The stored facts (JSON) for an unchanged file, or None."""
        if self._db is None or ref.problem is not None:
            return None
        try:
            row = self._db.execute(
                "SELECT data FROM facts WHERE key=? AND fp=? AND version=?",
                (self.key(ref), fingerprint(ref), self.version)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._disable(exc)
            return None
        return None if row is None else str(row[0])

    @staticmethod
    def decode(raw: str, ref: FileRef) -> Facts | None:
        try:
            return factcodec.loads(raw, ref)
        except (ValueError, KeyError, TypeError):
            return None

    def put(self, facts: Facts) -> None:
        if self._db is None or any(n.code in TRANSIENT for n in facts.notes):
            return
        if facts.sha256 is None:
            return
        self._pending.append((self.key(facts.ref), fingerprint(facts.ref), self.version,
                              factcodec.dumps(facts), time.time()))
        if len(self._pending) >= 500:
            self.flush()

    def flush(self) -> None:
        if self._db is None or not self._pending:
            self._pending.clear()
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?)",
                                 self._pending)
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.DatabaseError):
                self._db.execute("ROLLBACK")
            self._disable(exc)
        self._pending.clear()

    def _disable(self, exc: Exception) -> None:
        self.warnings.append(f"cache {self.path} failed ({exc}); continuing without it")
        with contextlib.suppress(sqlite3.DatabaseError):
            if self._db is not None:
                self._db.close()
        self._db = None

    def close(self) -> None:
        self.flush()
        if self._db is not None:
            with contextlib.suppress(sqlite3.DatabaseError):
                self._db.close()
            self._db = None

