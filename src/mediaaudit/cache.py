"""Incremental cache of probe facts (SQLite, embedded).

Facts are stored, keyed by the file's absolute path plus a fingerprint, and by a version
string covering mediaaudit, the probe code (a hash of its source) and the engines; beside
them, the manifest entry last evaluated from them, with the key of the rules it was
evaluated under (see ``FactCache``).  A profile, policy or language change therefore
re-evaluates from cached facts; a changed file or sidecar is probed again.

The fingerprint is what git's index compares: size, mtime, ctime and inode, of the file
and of every sidecar ``mediaaudit.sidecars`` finds for it, so a sidecar added, removed or
changed is a different fingerprint.  No user can set ctime, so a same-size edit that
keeps the mtime (``cp -p``, ``exiftool -P``, ``touch -r``) still changes it, and a file
replaced by a rename has another inode.  What a stat cannot show is a second change within
one timestamp tick (``fstime``): facts are not stored when the file or a sidecar changed
within that granularity of the scan's start (or a sidecar read vanished meanwhile), nor
trusted from the cache for such a file, so the manifest never states a hash of bytes
that were not audited.  ``--no-cache`` and ``verify`` read every byte again.

Never fatal: a corrupt cache is moved aside and rebuilt, a locked one (another scan is
writing) is skipped for this run; both with a warning.  WAL mode lets two scans share it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import time
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

from mediaaudit import factcodec, fstime
from mediaaudit.codes import CodeId
from mediaaudit.model import Facts, FileRef
from mediaaudit.sidecars import sidecars_of

SCHEMA = 3  # 2: fingerprints with ctime and inode, of every sidecar; 3: manifest entries
# Notes that describe a moment, not the file: never cached, so the next scan tries again.
TRANSIENT = {CodeId.UNREADABLE, CodeId.CHANGED_DURING_SCAN, CodeId.TIMEOUT, CodeId.PROBE_FAILED}


def default_path() -> str:
    base = os.environ.get("MEDIAAUDIT_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "mediaaudit")
    return os.path.join(base, "facts.sqlite")


def _stamp(st: os.stat_result) -> list[int]:
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]


def _file_stat(ref: FileRef, fresh: bool) -> list[int] | None:
    """The file's stamp: the walker's stat when it has one (no second stat on a warm
    scan), else a new stat that must agree with ``ref`` (else it changed meanwhile)."""
    if not fresh and ref.ctime_ns and ref.inode:
        return [ref.size, ref.mtime_ns, ref.ctime_ns, ref.inode]
    try:
        st = os.stat(ref.path)
    except OSError:
        return None
    if (st.st_size, st.st_mtime_ns) != (ref.size, ref.mtime_ns):
        return None
    return _stamp(st)


def fingerprint(ref: FileRef, since_ns: int, read: Collection[str] | None = None) -> str | None:
    """The file's and its sidecars' stamps as one string, or None when they cannot vouch
    for the content: the file is gone or changed since ``ref`` was taken, or a timestamp
    is within the filesystem's granularity of ``since_ns`` (the scan's start).

    ``read`` (when storing): the names of the sidecars the probe read.  The file is then
    stat'ed again, and every one of them must still be there, so a sidecar removed while
    the file was probed cannot leave facts that mention it (one added is racy)."""
    stamp = _file_stat(ref, fresh=read is not None)
    if stamp is None or any(fstime.is_racy(t, since_ns) for t in stamp[1:3]):
        return None
    parts: list[list[int | str]] = [list(stamp)]
    names = set()
    for side in sidecars_of(ref.path):
        try:
            st = os.stat(side.path)
        except OSError:
            continue  # gone since the listing: as if it had not been there
        if fstime.stat_is_racy(st, since_ns):
            return None
        parts.append([str(side.kind), side.name, *_stamp(st)])
        names.add(side.name)
    if read is not None and not names.issuperset(read):
        return None
    return json.dumps(parts, ensure_ascii=True, separators=(",", ":"))


class Hit(NamedTuple):
    """A stored row for an unchanged file: its facts (JSON), and the manifest entry
    (JSON) evaluated from them under the rules named by ``ekey`` (None if never)."""

    data: str | None
    ekey: str | None
    entry: str | None


class Stamp(NamedTuple):
    """An unchanged file's row, found but not yet read (``FactCache.check``)."""

    rowid: int
    fp: str
    ekey: str | None


# Rows asked for in one SQLite statement (its parameter limit is 32,766 since 3.32).
BATCH = 500


# What the cache says when it cannot help, in both languages: the command shows it in the
# run's language (``text``); SQLite's own reason is quoted as its technical text in Dutch.
WARNINGS: Mapping[str, Mapping[str, str]] = {
    "busy": {"nl": "cache {path} is bezet ({why}); er wordt gecontroleerd zonder cache",
             "en": "cache {path} is busy ({why}); scanning without it"},
    "rebuilt": {"nl": "cache {path} was onleesbaar ({why}); verplaatst naar {aside} en "
                      "opnieuw opgebouwd",
                "en": "cache {path} was unreadable ({why}); moved to {aside} and rebuilt"},
    "cannot_create": {"nl": "kan cache {path} niet maken ({why}); er wordt gecontroleerd "
                            "zonder cache",
                      "en": "cannot create cache {path} ({why}); scanning without it"},
    "cannot_use": {"nl": "kan cache {path} niet gebruiken ({why}); er wordt gecontroleerd "
                         "zonder cache",
                   "en": "cannot use cache {path} ({why}); scanning without it"},
    "failed": {"nl": "cache {path} werkte niet meer ({why}); er wordt verder gegaan zonder "
                     "cache",
               "en": "cache {path} failed ({why}); continuing without it"},
}


@dataclass(frozen=True)
class CacheWarning:
    """A warning of the cache: a key of ``WARNINGS`` and its values (``str``: English)."""

    key: str
    params: Mapping[str, str] = field(default_factory=dict)

    def text(self, lang: str) -> str:
        shown = dict(self.params)
        if lang != "en" and "why" in shown:
            shown["why"] = f"“{shown['why']}”"
        words = WARNINGS[self.key]
        return words.get(lang, words["en"]).format(**shown)

    def __str__(self) -> str:
        return self.text("en")


class FactCache:
    """A small wrapper; every method degrades to 'no cache' instead of raising.

    Beside the facts, a row keeps the manifest entry last evaluated from them and the key
    of the rules it was evaluated under (``scan.evaluation_key``: profile, policy,
    language, evaluation code).  Evaluation is pure, so an unchanged file under unchanged
    rules gets the same entry: a warm rescan then reads the entry instead of decoding and
    evaluating the facts again.  Any change of rules evaluates again from the facts."""

    def __init__(self, path: str, version: str = "") -> None:
        self.path = path
        self.version = version
        self.warnings: list[CacheWarning] = []
        self.started_ns = time.time_ns()
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[bytes, str, str, str, float, str | None, str | None]] = []
        self._open()

    def begin(self) -> None:
        """Mark the start of a pass (a scan, or one round of a long-running ``watch``):
        files changed since are not trusted from the cache nor stored in it.  Called by
        the constructor; a process that keeps the cache open calls it before each pass."""
        self.started_ns = time.time_ns()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT)")
        row = db.execute("SELECT v FROM meta WHERE k='schema'").fetchone()
        if row is not None and row[0] != str(SCHEMA):
            db.execute("DROP TABLE IF EXISTS facts")
        db.execute("CREATE TABLE IF NOT EXISTS facts (key TEXT PRIMARY KEY, fp TEXT, "
                   "version TEXT, data TEXT, used REAL, ekey TEXT, entry TEXT)")
        db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA),))
        db.execute("SELECT count(*) FROM facts WHERE rowid < 2").fetchone()
        return db

    def _open(self) -> None:
        try:
            os.makedirs(os.path.dirname(os.path.abspath(self.path)), exist_ok=True)
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                self._warn("busy", why=str(exc))
                return
            aside = f"{self.path}.corrupt-{int(time.time())}"
            with contextlib.suppress(OSError):
                os.replace(self.path, aside)
            for suffix in ("-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.remove(self.path + suffix)
            self._warn("rebuilt", why=str(exc), aside=aside)
            try:
                self._db = self._connect()
            except sqlite3.DatabaseError as exc2:
                self._warn("cannot_create", why=str(exc2))
                self._db = None
        except OSError as exc:
            self._warn("cannot_use", why=str(exc.strerror or exc))

    def _warn(self, key: str, **params: str) -> None:
        self.warnings.append(CacheWarning(key, {"path": self.path, **params}))

    @staticmethod
    def key(ref: FileRef) -> bytes:
        """Bytes, so names that are not valid UTF-8 are cached like any other."""
        return os.fsencode(os.path.abspath(ref.path))

    def lookup(self, ref: FileRef) -> Hit | None:
        """The stored row of an unchanged file, or None."""
        if self._db is None or ref.problem is not None or ref.member is not None:
            return None
        fp = fingerprint(ref, self.started_ns)
        if fp is None:
            return None
        try:
            row = self._db.execute(
                "SELECT data, ekey, entry FROM facts WHERE key=? AND fp=? AND version=?",
                (self.key(ref), fp, self.version)).fetchone()
        except sqlite3.DatabaseError as exc:
            self._disable(exc)
            return None
        return None if row is None else Hit(*row)

    def check(self, refs: list[FileRef]) -> list[Stamp | None]:
        """``lookup`` for many files in one statement per ``BATCH``, reading only the
        small columns: a warm rescan of 20,000 files asks SQLite 40 times instead of
        20,000, and holds no facts or entries until ``fetch`` reads them in order."""
        out: list[Stamp | None] = [None] * len(refs)
        if self._db is None:
            return out
        for start in range(0, len(refs), BATCH):
            want: dict[bytes, tuple[int, str]] = {}
            for i in range(start, min(start + BATCH, len(refs))):
                ref = refs[i]
                fp = (None if ref.problem is not None or ref.member is not None
                      else fingerprint(ref, self.started_ns))
                if fp is not None:
                    want[self.key(ref)] = (i, fp)
            if not want:
                continue
            marks = ",".join("?" * len(want))
            try:
                rows = self._db.execute(
                    f"SELECT rowid, key, fp, ekey FROM facts WHERE version=? AND key IN ({marks})",
                    (self.version, *want)).fetchall()
            except sqlite3.DatabaseError as exc:
                self._disable(exc)
                return [None] * len(refs)
            for rowid, key, fp, ekey in rows:
                i, expected = want[key]
                if fp == expected:
                    out[i] = Stamp(rowid, fp, ekey)
        return out

    def fetch(self, stamps: list[Stamp], ekey: str | None) -> dict[int, Hit]:
        """The rows of ``stamps`` (by rowid), each with its entry if it was evaluated under
        ``ekey``, else (and always when ``ekey`` is None) with its facts; a row replaced
        meanwhile is left out (a miss)."""
        if self._db is None or not stamps:
            return {}
        want = {s.rowid: s.fp for s in stamps}
        marks = ",".join("?" * len(want))
        try:
            rows = self._db.execute(
                "SELECT rowid, fp, ekey, CASE WHEN ekey=? THEN NULL ELSE data END, "
                "CASE WHEN ekey=? THEN entry END FROM facts "
                f"WHERE version=? AND rowid IN ({marks})",
                (ekey, ekey, self.version, *want)).fetchall()
        except sqlite3.DatabaseError as exc:
            self._disable(exc)
            return {}
        return {rowid: Hit(data, row_ekey, entry) for rowid, fp, row_ekey, data, entry in rows
                if want.get(rowid) == fp}

    @staticmethod
    def decode(raw: str, ref: FileRef) -> Facts | None:
        try:
            return factcodec.loads(raw, ref)
        except (ValueError, KeyError, TypeError):
            return None

    def put(self, facts: Facts, raw: str | None = None, ekey: str | None = None,
            entry: str | None = None) -> None:
        """Store ``facts`` (``raw``: their JSON when it is at hand), with the manifest
        ``entry`` (JSON) evaluated from them under the rules ``ekey`` if given."""
        if self._db is None or any(n.code in TRANSIENT for n in facts.notes):
            return
        if facts.sha256 is None or facts.ref.member is not None:  # members: unpacked anew
            return
        fp = fingerprint(facts.ref, self.started_ns, read=facts.sidecars)
        if fp is None:  # changed during or just before the scan: let the next one store it
            return
        self._pending.append((self.key(facts.ref), fp, self.version,
                              raw if raw is not None else factcodec.dumps(facts), time.time(),
                              ekey, entry))
        if len(self._pending) >= 500:
            self.flush()

    def flush(self) -> None:
        if self._db is None or not self._pending:
            self._pending.clear()
            return
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO facts VALUES (?, ?, ?, ?, ?, ?, ?)",
                                 self._pending)
            self._db.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            with contextlib.suppress(sqlite3.DatabaseError):
                self._db.execute("ROLLBACK")
            self._disable(exc)
        self._pending.clear()

    def _disable(self, exc: Exception) -> None:
        self._warn("failed", why=str(exc))
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

