"""The watch loop: notice files, wait until they are complete, audit, route, log.

watchdog (inotify, or its polling observer for SMB/NFS shares) only wakes the loop; the
loop itself lists the drop folder (on events and every ``rescan`` seconds as a safety
net against lost events) and uses the settle tracker, and in inotify mode close-write
events, to decide completeness.  Audits go through the scan pipeline (``scan.audit``:
the fact cache, then a supervised worker pool kept warm between files), so a file that
crashes or hangs its decoder costs that file, never the service.  Every state change
is committed before the next step, so SIGKILL at any moment loses nothing and a restart
repeats nothing (see ``state``).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import signal
import sqlite3
import stat
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from mediaaudit import codes, manifest
from mediaaudit.codes import CodeId
from mediaaudit.digest import is_regular, sha256_file
from mediaaudit.fix.place import Unsafe
from mediaaudit.fix.run import Done
from mediaaudit.fix.texts import Why
from mediaaudit.fsnames import printable, within
from mediaaudit.model import FileRef, FileResult, ProbeNote
from mediaaudit.policy import Policy
from mediaaudit.profile import Profile
from mediaaudit.scan import audit, new_pool
from mediaaudit.setup import Rules, Setup, load_rules, load_setup
from mediaaudit.sidecars import SidecarKind, sidecars_of
from mediaaudit.walk import Skipped, walk_tree
from mediaaudit.watch import deliveries, results
from mediaaudit.watch import fix as watch_fix
from mediaaudit.watch.messages import Log, WatchKey
from mediaaudit.watch.openfiles import OpenFiles
from mediaaudit.watch.route import (
    FULL,
    DiskFull,
    RouteError,
    find_moved,
    move_with_sidecars,
    remove_superseded,
)
from mediaaudit.watch.state import MAX_TRIES, Row, State, Status
from mediaaudit.watch.tracker import Tracker

# Codes that mean "not audited"; when the service is stopping they are an artefact of
# the stop (workers get SIGTERM too), not of the file, and are not recorded.
UNAUDITED = frozenset({"MA-IO-005", "MA-IO-006"})
# A symlink in a drop folder is not followed: routing would move the link, not what it
# points to, and its target may be anywhere.  The same words as the walker uses.
SYMLINK = "symlink (not followed)"
# At most this many files per audit round, so reloads and signals are not kept waiting.
BATCH = 64
# While routing is paused (a full disk), pending rows are tried again this often.
PAUSE_RETRY = 10.0
# Errors writing results that are about the results folder, not about one file: pause.
BLOCKING = FULL | {errno.EACCES, errno.EPERM, errno.EROFS, errno.EIO}
# A file judged damaged, truncated or empty waits in the drop folder this many
# ``--settle`` periods before it is routed: an upload that closed the file and paused (a
# resumed transfer, a client that writes in pieces) looks complete to settling and to
# close-write alike, and grows again within this time, to be judged once, whole.
HOLD_SETTLES = 12
# What a file caught before or half way through its upload looks like, whatever its format.
CUT_OFF = frozenset({CodeId.DAMAGED.value, CodeId.EMPTY_FILE.value})


def _cut_finding(f: Mapping[str, Any]) -> bool:
    return f.get("code") in CUT_OFF and f.get("severity") == "error"


def cut_off(entry: Mapping[str, Any]) -> bool:
    """Was the file rejected as damaged, truncated (``MA-IO-004``) or empty
    (``MA-IO-001``): possibly an upload that was not complete?"""
    return entry.get("outcome") == "fail" and any(
        _cut_finding(f) for f in entry.get("findings") or [])


def with_upload_note(entry: Mapping[str, Any], note: str) -> dict[str, Any]:
    """The entry with ``note`` ("the upload may not have been complete") after the
    message of its damage finding, which goes first: the log line shows the first error
    and the report shows the message, so both say it.  (Only watch knows the file was an
    upload; ``report`` re-renders messages from their codes, without it.)"""
    findings = list(entry.get("findings") or [])
    for i, f in enumerate(findings):
        if _cut_finding(f):
            first = {**f, "message": f"{f.get('message', '')} {note}".strip()}
            return {**entry, "findings": [first, *findings[:i], *findings[i + 1:]]}
    return dict(entry)


class Blocked(Exception):
    """Routing or results cannot go on for any file now (a full disk, a results folder
    that cannot be written): the service pauses and tries again, losing nothing."""


def sidecar_stamps(path: str) -> str:
    """The stamps (name, size, mtime, ctime, inode; ``lstat``) of every sidecar of
    ``path`` that can change its verdict, as one string: taken before the audit and
    compared before routing, so a sidecar added, changed or removed meanwhile means
    audit again.  Its watch report is not evidence and does not count."""
    parts: list[list[int | str]] = []
    for side in sidecars_of(path):
        if side.kind is SidecarKind.REPORT:
            continue
        try:
            st = os.lstat(side.path)
        except OSError:
            continue  # gone since the listing: as if it had not been there
        parts.append([side.name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino])
    return json.dumps(parts, ensure_ascii=True, separators=(",", ":"))


@dataclass(frozen=True)
class Options:
    drop: str
    approved: str | None
    rejected: str | None
    manifest_dir: str
    state_path: str
    poll: float | None
    settle: float
    once: bool
    rescan_state: bool
    lang: str
    profile_spec: str
    config: str | None
    timeout: float
    json_log: bool
    rescan_every: float = 60.0
    jobs: int = 1
    cache_path: str | None = None  # None: no fact cache
    fix: bool = False  # --fix; [watch] fix = true in the config does the same


class Watcher:
    def __init__(self, opts: Options, emit: Callable[[str], None],
                 setup: Setup | None = None) -> None:
        """``setup``: as the command line loaded it (else loaded here from ``opts``)."""
        self.o = opts
        self.emit = emit
        self.log = Log(opts.json_log, opts.lang)
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.reload = threading.Event()
        self.dirty = True
        self.tracker = Tracker(opts.settle)
        # Close-write events exist only with inotify; elsewhere every file counts as closed.
        self.close_events = opts.poll is None and not opts.once and sys.platform == "linux"
        self.opened = OpenFiles()
        self.own = frozenset(os.path.abspath(p) for p in (
            opts.approved, opts.rejected, opts.manifest_dir, os.path.dirname(opts.state_path))
            if p)
        self.paths: dict[str, str] = {}  # printable name → real path
        self.problems: dict[str, ProbeNote] = {}  # printable name → why it is not opened
        self.fresh: set[str] = set()  # changed after an audit: next audit bypasses the cache
        self.counts: Counter[str] = Counter()
        self.paused: float | None = None  # routing paused until this monotonic time
        self.pause_reason: str | None = None
        self.pool = new_pool(opts.jobs, opts.timeout)
        self.setup = setup or load_setup(
            opts.lang, opts.profile_spec, opts.config, [opts.drop],
            engines_beside=opts.state_path, cache_path=opts.cache_path)
        self._config_sig = self._config_signature(self.setup.policy)
        self.staging = watch_fix.staging_root(opts.state_path)
        self.results: dict[str, FileResult] = {}  # row path → its audit, until routed
        # Rows judged cut off, held in the drop folder until this monotonic time (``_hold``).
        self.hold = 0.0 if opts.once else HOLD_SETTLES * opts.settle
        self.held: dict[int, tuple[float, Row]] = {}
        # Files this run unpacked from a delivery archive, with their size and mtime: they
        # are whole, so a damaged or empty one is no upload still in progress.
        self.unpacked_members: dict[str, tuple[int, int]] = {}

    # --- configuration ---------------------------------------------------------------
    @property
    def profile(self) -> Profile:
        return self.setup.profile

    @property
    def policy(self) -> Policy:
        return self.setup.policy

    def _config_signature(self, policy: Policy | None = None) -> tuple[Any, ...]:
        paths = [self.o.config or os.path.join(self.o.drop, "mediaaudit.toml")]
        source = (policy or getattr(self, "policy", None) or Policy()).source
        if source and source not in paths:
            paths.append(source)  # a mediaaudit.toml found above the drop folder
        if os.path.isfile(self.o.profile_spec):
            paths.append(self.o.profile_spec)
        sig: list[tuple[str, int | None, int | None]] = []
        for p in paths:
            try:
                st = os.stat(p)
                sig.append((p, st.st_size, st.st_mtime_ns))
            except OSError:
                sig.append((p, None, None))
        return tuple(sig)

    def _load(self) -> tuple[Rules, tuple[Any, ...]]:
        rules = load_rules(self.o.profile_spec, self.o.config, [self.o.drop])
        return rules, self._config_signature(rules.policy)

    def _maybe_reload(self) -> None:
        sig = self._config_signature()
        if not self.reload.is_set() and sig == self._config_sig:
            return
        self.reload.clear()
        try:
            rules, self._config_sig = self._load()
            self.setup = self.setup.with_rules(rules)
            self.emit(self.log.line(self._tag("reload"), "-", self._t("reloaded")))
        except Exception as exc:  # any bad config: keep running with the last good one
            self._config_sig = sig
            self.emit(self.log.line("error", "-", self._t("reload_failed",
                                                          why=self.log.why(exc))))

    # --- listing ---------------------------------------------------------------------
    def _list(self) -> dict[str, tuple[int, int]]:
        """Printable name → (size, mtime) of every auditable file; real paths remembered;
        symlinks reported (once) and left alone."""
        out: dict[str, tuple[int, int]] = {}
        paths: dict[str, str] = {}
        problems: dict[str, ProbeNote] = {}
        for item in walk_tree(self.o.drop, ".", self.own):
            if isinstance(item, Skipped):
                if "symlink" in item.reason:  # the walker's own words for links
                    rel = item.display.rstrip("/")
                    self._skip_link(rel, os.path.join(self.o.drop, rel))
                continue
            if item.problem is not None and item.problem.code != CodeId.NOT_A_REGULAR_FILE:
                continue  # a folder that cannot be listed: its files show once it can
            if item.problem is not None:
                problems[item.display] = item.problem  # a FIFO, device, socket: a finding
            elif os.path.islink(item.path):
                self._skip_link(item.display, item.path)
                continue
            out[item.display] = (item.size, item.mtime_ns)
            paths[item.display] = item.path
        self.paths = paths  # rebuilt each time: gone files leave no trace
        self.problems = problems
        return out

    def _skip_link(self, rel: str, path: str) -> None:
        try:
            st = os.lstat(path)
            size, mtime = st.st_size, st.st_mtime_ns
        except OSError:
            size, mtime = 0, 0
        if self.state.known(rel, size, mtime):
            return
        self.state.skip(rel, path, size, mtime, SYMLINK)
        self.counts["skipped"] += 1
        self.emit(self.log.line("skipped", rel, self._t("symlink")))

    # --- one round of audits -----------------------------------------------------------
    def _audit(self, ready: list[str]) -> None:
        refs: list[FileRef] = []
        sides: dict[str, str] = {}
        for rel in ready:
            size, mtime, _ = self.tracker.seen[rel]
            self.tracker.forget(rel)
            path = self.paths.pop(rel, None)
            if path is not None and os.path.lexists(path) and not os.path.islink(path):
                ref: FileRef | None = FileRef(path, rel, size, mtime,
                                              problem=self.problems.get(rel))
                if ref is not None and deliveries.is_delivery(ref):
                    ref = self._deliver(ref)
                if ref is not None:
                    refs.append(ref)
                    sides[rel] = sidecar_stamps(path)  # before the probe reads them
        fresh = [r for r in refs if r.display in self.fresh]
        cached = [r for r in refs if r.display not in self.fresh]
        for group, cache in ((cached, self.cache), (fresh, None)):
            if not group:
                continue
            if cache is not None:
                # A new pass: files changed before now may be trusted from and stored in
                # the cache (without this every file dropped after the start is "racy").
                cache.begin()
            found = audit(group, self.profile, self.policy, self.o.jobs, cache=cache,
                          timeout=self.o.timeout, pool=self.pool)
            try:
                for ref, result in zip(group, found, strict=True):
                    if self.stop.is_set() and UNAUDITED & {n.code for n in result.facts.notes}:
                        break  # killed by the stop, not by the file: audit it next time
                    self._record(ref, result, sides.get(ref.display))
                    if self.stop.is_set():
                        break
            finally:
                if hasattr(found, "close"):
                    found.close()

    def _deliver(self, ref: FileRef) -> FileRef | None:
        """A delivery archive (``deliveries``): its members are put in the drop folder,
        to be picked up as uploads of their own, and the archive is kept.  Returns what is
        still to be audited now: nothing, or the archive itself when it is refused whole
        (a bomb, a damaged archive: rejected with its finding) or is no archive at all."""
        try:
            got = deliveries.deliver(ref, self.o.drop, self.o.manifest_dir)
        except OSError as exc:  # a full disk, a kept name that cannot be made: later
            why = self.log.why(exc)
            self.emit(self.log.line("error", ref.display, self._t("unpack_failed", why=why)))
            return None
        if got is None:
            return ref
        if isinstance(got, deliveries.Refused):
            return got.ref
        self._unpacked(ref.display, got)
        return None

    def _unpacked(self, rel: str, got: deliveries.Delivered) -> None:
        """Log a delivery that was unpacked, and each member that was not."""
        self.dirty = True  # its members are new files of the drop folder
        for here, _, names in os.walk(got.folder):
            for name in names:
                member = os.path.join(here, name)
                with contextlib.suppress(OSError):
                    st = os.lstat(member)
                    self.unpacked_members[member] = (st.st_size, st.st_mtime_ns)
        for display, note in got.refused:
            self.counts["fail"] += 1
            self.emit(self.log.line("fail", display, codes.render(note.code, note.params,
                                                                 self.o.lang),
                                    code=note.code))
        record = os.path.relpath(got.kept + ".json", self.o.manifest_dir)
        refused = (self._t("not_unpacked", n=len(got.refused), record=record)
                   if got.refused else "")
        placed = max(got.members - len(got.refused), 0)  # the refused are told apart
        self.emit(self.log.line("unpacked", rel, self._t(
            "unpacked", folder=os.path.relpath(got.folder, self.o.drop), n=placed,
            files=self._t("member" if placed == 1 else "members"),
            kept=os.path.relpath(got.kept, self.o.manifest_dir), refused=refused)))

    def _record(self, ref: FileRef, result: FileResult, sides: str | None = None) -> None:
        facts = result.facts
        if any(n.code == "MA-IO-003" for n in facts.notes) or (
                facts.ref.size, facts.ref.mtime_ns) != (ref.size, ref.mtime_ns):
            self.dirty = True  # still changing: audit again once it settles
            return
        entry = manifest.file_entry(result, self.o.lang)
        entry["audited_at"] = manifest.now_utc()
        if cut_off(entry) and not self._unpacked_member(ref.path, ref.size, ref.mtime_ns):
            entry = with_upload_note(entry, self._t("incomplete"))
        for held_id, (_, held) in list(self.held.items()):
            if held.rel == ref.display:  # its earlier, shorter version: not to be routed
                self.held.pop(held_id)
                self.state.drop(held_id)
        row_id = self.state.add(ref.display, ref.path, ref.size, ref.mtime_ns, facts.sha256,
                                result.outcome.value, entry, sides)
        if self.fixing and result.outcome.value == "fail":
            self.results[ref.path] = result  # for _fix, which routing asks next
        self.finish(row_id, Row(ref.display, ref.path, ref.size, ref.mtime_ns, facts.sha256,
                                result.outcome.value, Status.AUDITED, entry, None, sides))

    def _writing(self, path: str) -> bool:
        """Is this regular file still open for writing (inotify close-write events)?
        Asked of regular files only: a FIFO, device or socket is never written and closed
        like an upload, and one made with mkfifo would be waited for forever."""
        return self.close_events and self.opened.is_open(path)

    def _changed(self, row: Row) -> bool:
        """Is the file no longer exactly what was audited?  Size and mtime, still open for
        writing (inotify), a sidecar added, changed or removed since the audit, and the
        SHA-256: a same-size edit with the mtime kept, or a stale cache entry, shows only
        in the bytes."""
        try:
            st = os.lstat(row.path)
        except OSError:
            return True
        if stat.S_ISLNK(st.st_mode) or (st.st_size, st.st_mtime_ns) != (row.size, row.mtime_ns):
            return True
        if stat.S_ISREG(st.st_mode) and self._writing(row.path):
            return True
        if row.sides is not None and sidecar_stamps(row.path) != row.sides:
            return True  # the verdict may rest on a sidecar that is no longer there
        try:
            return row.sha256 is not None and sha256_file(row.path) != row.sha256
        except OSError:
            return True

    def _dest(self, row: Row) -> str | None:
        if not (self.o.approved and self.o.rejected):
            return None
        dest = self.o.approved if row.outcome == "pass" else self.o.rejected
        staged = watch_fix.dest_dir(row.path, self.staging)
        if staged is not None:  # a derivative goes where its original came from
            return os.path.join(dest, staged)
        return os.path.join(dest, os.path.dirname(os.path.relpath(row.path, self.o.drop)))

    @property
    def fixing(self) -> bool:
        return (self.o.fix or self.policy.watch_fix) and bool(self.o.approved
                                                              and self.o.rejected)

    def _audit_one(self, ref: FileRef) -> FileResult:
        """One file through the warm pool (the whole generator is consumed)."""
        [result] = audit([ref], self.profile, self.policy, self.o.jobs,
                         timeout=self.o.timeout, pool=self.pool)
        return result

    def _fix(self, row_id: int, row: Row) -> None:
        """``--fix``: before a rejected original is routed, make, audit and route its
        derivative, once (a restart that finds the derivative's row goes on from
        there).  A conversion that fails is logged; the original is routed anyway."""
        if (row.outcome != "fail" or self.state.derivative_of(row_id) is not None
                or watch_fix.staged_row(row.path, self.staging) is not None):
            return
        result = self.results.pop(row.path, None)
        if result is None:  # after a restart: audit the unchanged original again
            ref = FileRef(row.path, row.rel, row.size, row.mtime_ns)
            result = self._audit_one(ref)
        pl = watch_fix.eligible(result, self.o.lang)
        if pl is None:
            return
        try:
            made = watch_fix.make(row_id, row.path, row.rel, result, pl, self.staging,
                                  self.o.timeout, self.o.lang)
        except Unsafe as exc:
            self.emit(self.log.line("error", row.rel, self._t("fix_failed",
                                                              why=exc.why.render(self.o.lang))))
            return
        if isinstance(made, Done):
            why = (made.why or Why("no_result")).render(self.o.lang)
            self.emit(self.log.line("error", row.rel, self._t("fix_failed", why=why)))
            return
        watch_fix.kill_point("converted", row.path, self.staging)
        p = made.placed
        st = os.lstat(p.path)
        ref = FileRef(p.path, made.rel, st.st_size, st.st_mtime_ns)
        audited = self._audit_one(ref)
        entry = manifest.file_entry(audited, self.o.lang)
        entry["audited_at"] = manifest.now_utc()
        entry["derived_from"] = {"path": row.rel, "sha256": row.sha256}
        entry["fix"] = {"action": pl.action.value, "conversion": p.done.settings,
                        "metadata": p.done.metadata, "sidecars_copied": list(p.sidecars)}
        sides = sidecar_stamps(p.path)
        d_id = self.state.add_derivative(row_id, made.rel, p.path, st.st_size,
                                         st.st_mtime_ns, audited.facts.sha256,
                                         audited.outcome.value, entry, sides)
        watch_fix.kill_point("recorded", row.path, self.staging)
        self.finish(d_id, Row(made.rel, p.path, st.st_size, st.st_mtime_ns,
                              audited.facts.sha256, audited.outcome.value, Status.AUDITED, entry,
                              None, sides))
        watch_fix.kill_point("routed", row.path, self.staging)

    def finish(self, row_id: int, row: Row) -> None:
        """Take one row to its end, whatever happens: nothing a file holds (a name, a
        type, its content) can stop the service.  A full disk or a results folder that
        cannot be written is not about the file: routing pauses (``Blocked``) and the row
        stays pending, to be resumed when there is room.  Any other failure is about
        this file: logged, tried once more at most (``state.MAX_TRIES``), then ended as
        ``failed`` with the file left where it is (in the drop folder, or wherever it was
        routed), which the line says."""
        if self.paused is not None:
            return  # resumed with the other pending rows when the pause ends
        try:
            self._finish(row_id, row)
        except Blocked as exc:
            self._pause(str(exc))
        except sqlite3.Error:
            raise  # the state database itself: the service cannot go on without it
        except Exception as exc:  # a file's own trouble: this file only
            self._failed(row_id, row, exc)

    def _failed(self, row_id: int, row: Row, exc: Exception) -> None:
        why = self.log.why(exc) if isinstance(exc, OSError) else f"{type(exc).__name__}: {exc}"
        where = row.routed_to or row.rel
        tries = self.state.tried(row_id)
        if tries >= MAX_TRIES:
            self.state.mark(row_id, Status.FAILED)
            self.counts["error"] += 1
            self.emit(self.log.line("error", row.rel, self._t("given_up", why=why,
                                                              where=where)))
        else:
            self.emit(self.log.line("error", row.rel, self._t("will_retry", why=why)))

    def _pause(self, why: str) -> None:
        self.paused = time.monotonic() + PAUSE_RETRY
        if self.pause_reason is None:
            self.pause_reason = why
            self.emit(self.log.line(self._tag("paused"), "-", self._t(
                "paused", why=why, every=f"{PAUSE_RETRY:g}")))

    def _resume(self) -> None:
        """Try the pending rows again once the pause is over; end it when they all went."""
        if self.paused is None or time.monotonic() < self.paused:
            return
        self.paused = None
        for row_id, row in self.state.pending():
            self.finish(row_id, row)
            if self.paused is not None:
                return  # still no room: the next try in PAUSE_RETRY seconds
        self.pause_reason = None
        self.emit(self.log.line(self._tag("resumed"), "-", self._t("resumed")))

    def _finish(self, row_id: int, row: Row) -> None:
        """Check, route, then log; each step committed, so it can be resumed after a crash."""
        target = row.routed_to
        real_target = target
        dest = self._dest(row)
        if row.status in (Status.AUDITED, Status.LOGGED):
            if os.path.lexists(row.path):
                if self._changed(row):  # never route (or log) a stale verdict
                    self._again(row_id, row)
                    return
                if self._hold(row_id, row):
                    return  # damaged: maybe an upload that paused; routed when it is over
                if watch_fix.staged_row(row.path, self.staging) is None:
                    self._supersede(row_id, row)
                if dest is not None and self.fixing and is_regular(row.path):
                    self._fix(row_id, row)
                    if self.paused is not None:  # the derivative found no room
                        raise Blocked(self.pause_reason or "")
                if dest is not None and is_regular(row.path):  # a FIFO keeps its place
                    try:
                        moved, failed = move_with_sidecars(
                            row.path, dest, [s.path for s in sidecars_of(row.path)], row.sha256)
                    except DiskFull as exc:
                        raise Blocked(self.log.why(exc)) from exc
                    except RouteError as exc:
                        if exc.errno == errno.ENOENT:  # renamed or removed meanwhile
                            self._gone(row_id, row)
                            return
                        raise
                    target, real_target = printable(moved), moved
                    for side, trouble in failed:
                        self.emit(self.log.line("error", printable(side), self._t(
                            "sidecar_not_moved", why=self.log.why(trouble))))
                    self._prune(row.path)
            elif dest is not None:  # moved by a run that stopped before recording it?
                found = find_moved(dest, os.path.basename(row.path), row.size, row.mtime_ns,
                                   row.sha256, self.state.targets())
                if found is None:  # no: renamed or removed before it was routed
                    self._gone(row_id, row)
                    return
                target, real_target = printable(found), found
            else:  # left in place, and gone before its verdict was logged
                self._gone(row_id, row)
                return
            self.state.mark(row_id, Status.ROUTED, target)
        if row.status in (Status.AUDITED, Status.ROUTED):
            head = manifest.header([self.o.drop], self.profile, self.policy, self.engines,
                                   self.o.lang)
            try:
                results.write(self.o.manifest_dir, row_id, row.rel, row.entry, target, head)
            except results.ResultsError as exc:
                if exc.errno in BLOCKING:
                    raise Blocked(self.log.why(exc)) from exc
                raise
        self._report_once(row_id, row, target, real_target)
        self.state.mark(row_id, Status.DONE, target)
        staged = watch_fix.staged_row(row.path, self.staging)
        if staged is not None:  # a derivative, routed: its staging folder is empty now
            watch_fix.done_with(self.staging, staged)
        self.counts[row.outcome] += 1
        self.fresh.discard(row.rel)
        self.emit(self.log.result(row.entry, row.rel, target))

    # --- a file that changes after its verdict ------------------------------------------
    def _again(self, row_id: int, row: Row) -> None:
        """The file changed between its verdict and its routing: the verdict is dropped
        and the file judged again once it has settled (bypassing the fact cache), and
        the log says so (a growing file: from how many bytes to how many)."""
        self.state.drop(row_id)
        self.held.pop(row_id, None)
        self.fresh.add(row.rel)
        self.dirty = True
        try:
            size: int | None = os.lstat(row.path).st_size
        except OSError:
            size = None
        sizes = (self._t("sizes", old=row.size, new=size)
                 if size is not None and size != row.size else "")
        self.emit(self.log.line(self._tag("again"), row.rel, self._t("again", sizes=sizes)))

    def _hold(self, row_id: int, row: Row) -> bool:
        """Keep a file judged damaged or empty in the drop folder for ``HOLD_SETTLES`` settle
        periods (said once in the log): an upload that closed the file and paused looks
        complete, and if it goes on, the file grows, ``_check_held`` sees it and it is
        judged again, whole (one verdict, not two rejected halves).  True while it waits.
        With ``--once`` (or ``--settle 0``) nothing waits."""
        if self.hold <= 0 or not cut_off(row.entry):
            return False
        if self._unpacked_member(row.path, row.size, row.mtime_ns):
            return False  # unpacked whole from an archive: nothing more will arrive
        now = time.monotonic()
        if row_id not in self.held:
            self.held[row_id] = (now + self.hold, row)
            self.emit(self.log.line(self._tag("held"), row.rel,
                                    self._t("held", seconds=f"{self.hold:g}")))
            return True
        return now < self.held[row_id][0]

    def _unpacked_member(self, path: str, size: int | None, mtime_ns: int | None) -> bool:
        """Was this file, as it is now, unpacked by this run from a delivery archive?"""
        return self.unpacked_members.get(path) == (size, mtime_ns)

    def _check_held(self) -> None:
        """Each round, with one ``lstat`` per held file: one that changed (or went) is
        taken up now (``_finish`` drops its verdict and says so), one whose time is up is
        routed."""
        now = time.monotonic()
        for row_id, (until, row) in list(self.held.items()):
            try:
                st = os.lstat(row.path)
                same = (st.st_size, st.st_mtime_ns) == (row.size, row.mtime_ns)
            except OSError:
                same = False
            if same and now < until:
                continue
            self.finish(row_id, row)
            if self.paused is not None:
                return  # no room: it stays held (its time is up) for ``_resume``
            self.held.pop(row_id, None)  # routed, dropped, or failed (held again at a start)

    def _supersede(self, row_id: int, row: Row) -> None:
        """A file that comes back under a name judged before, with its earlier verdict
        finished: the new verdict replaces the old one, and the log says what became of
        the earlier version.  Left in place (no routing): its verdict is superseded.
        Routed: the routed file is removed only when the new file begins with all of its
        bytes (a cut-off upload sent again or continued, or the same file again), so the
        destination does not hold it twice and nothing is lost
        (``route.remove_superseded``); otherwise it stays, and the log says where (and,
        for a cut-off one, that parts of an upload are never joined)."""
        found = self.state.previous(row.rel, row_id)
        if found is None:
            return
        old_id, old = found
        if old.routed_to is None:  # judged where it lay: the same path, a new version
            self.state.mark(old_id, Status.SUPERSEDED)
            self.emit(self.log.line(self._tag("superseded"), row.rel, self._t(
                "superseded_verdict", at=old.entry.get("audited_at", "?"))))
            return
        if not os.path.lexists(old.routed_to):
            return  # taken away since: there is nothing to replace
        if remove_superseded(old.routed_to, old.size, old.mtime_ns, old.sha256, row.path):
            self.state.mark(old_id, Status.SUPERSEDED)
            self.emit(self.log.line(self._tag("superseded"), row.rel,
                                    self._t("superseded", where=old.routed_to)))
            return
        cut = self._t("kept_cut") if cut_off(old.entry) else ""
        self.emit(self.log.line(self._tag("kept"), row.rel,
                                self._t("kept", where=old.routed_to, cut=cut)))

    def _prune(self, path: str) -> None:
        """Remove the subfolders of the drop folder that routing ``path`` left empty, from
        its own folder upwards: an upload's ``Levering 12/foto.jpg`` leaves no empty
        ``Levering 12``.  Never the drop folder itself, never a folder that still holds
        anything (``rmdir`` refuses those, also one an uploader has just written to), never
        one the watcher keeps (``.mediaaudit``, the staging of ``--fix``)."""
        folder = os.path.dirname(path)
        if any(within(folder, own) for own in self.own):
            return
        while folder != self.o.drop and within(folder, self.o.drop):
            try:
                os.rmdir(folder)
            except OSError:
                return  # not empty (or not ours to remove): the folders above are not either
            folder = os.path.dirname(folder)

    def _gone(self, row_id: int, row: Row) -> None:
        """The file was renamed or removed between its audit and its routing: its verdict
        belongs to no file any more.  A renamed file is audited under its new name (one
        verdict per file, never a second one for the old name)."""
        self.state.drop(row_id)
        self.dirty = True
        self.emit(self.log.line(self._tag("gone"), row.rel, self._t("gone")))

    def _report_once(self, row_id: int, row: Row, target: str | None,
                     real_target: str | None) -> None:
        """The reports of a row whose results are written: tried when the row gets here,
        once more when a crash interrupted that (``reporting``), never a third time
        (``reporting-again``): a report that kills the service must not become a crash
        loop.  Each attempt is committed before it starts."""
        if row.status == Status.LOGGED:  # from versions that logged before routing: no reports
            return
        if row.status == Status.REPORTING_AGAIN:
            self.emit(self.log.line("error", row.rel, self._t(
                "report_failed", why=self._t("report_interrupted"))))
            return
        attempt = (Status.REPORTING_AGAIN if row.status == Status.REPORTING
                   else Status.REPORTING)
        self.state.mark(row_id, attempt, target)
        head = manifest.header([self.o.drop], self.profile, self.policy, self.engines,
                               self.o.lang)
        self._reports(row_id, row, real_target, head)

    def _reports(self, row_id: int, row: Row, target: str | None,
                 head: dict[str, Any]) -> None:
        """The report beside the routed file and the day's overview page in its
        destination folder.  A failure is logged, never fatal: the file is routed and
        its result recorded already."""
        if target is None or not (self.o.approved and self.o.rejected):
            return
        root = self.o.approved if row.outcome == "pass" else self.o.rejected
        try:
            results.write_reports(self.o.manifest_dir, row_id, row.entry, target, root, head)
        except Exception as exc:  # OSError, ValueError (a name no encoding can hold), any
            why = self.log.why(exc)
            self.emit(self.log.line("error", row.rel, self._t("report_failed", why=why)))

    def _t(self, key: WatchKey, **params: Any) -> str:
        return self.log.text(key, **params)

    def _tag(self, tag: str) -> str:
        """The word in front of a text line (upper-cased by the log); JSON keeps the
        English keyword, which tools read."""
        return self.log.tag(tag)

    # --- the loop --------------------------------------------------------------------
    def _observer(self) -> Any:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        watcher = self
        quiet = {"opened", "closed_no_write"}  # our own reads: nothing changed
        # Where deliveries are unpacked: our own writes, whole when the folder is moved
        # out; a member created there before its folder was watched has no close event.
        ours = os.path.join(os.path.abspath(self.o.drop), deliveries.HIDDEN) + os.sep

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                if event.event_type in quiet:
                    return
                if os.fsdecode(event.src_path).startswith(ours):
                    return
                if watcher.close_events and not event.is_directory:
                    dest = getattr(event, "dest_path", None) or None
                    watcher.opened.event(event.event_type, os.fsdecode(event.src_path),
                                         os.fsdecode(dest) if dest else None,
                                         bool(getattr(event, "is_synthetic", False)))
                watcher.dirty = True
                watcher.wake.set()

        obs = PollingObserver(timeout=self.o.poll) if self.o.poll else Observer()
        obs.schedule(Handler(), self.o.drop, recursive=True)
        obs.start()
        return obs

    def mode(self) -> str:
        if self.o.once:
            return "once"
        if self.o.poll:
            return f"poll every {self.o.poll:g} s"
        return "inotify (close-write)" if self.close_events else "inotify"

    def run(self) -> None:
        self.state = State(self.o.state_path)
        self.engines = self.setup.engines
        self.cache = self.setup.open_cache()
        self.emit(self.log.start(self.o.drop, self.mode(),
                                 self._t("profile_version", id=self.profile.id,
                                         version=self.profile.version),
                                 self.policy.source, (self.o.approved, self.o.rejected),
                                 self.o.jobs))
        obs = None
        try:
            if self.o.rescan_state:
                self.state.reset()
            for root in (self.o.approved, self.o.rejected, self.o.manifest_dir):
                if root:  # a report, copy or result half-written when the watcher was killed
                    results.remove_orphans(root)
            deliveries.clean(self.o.drop)  # an unpack the watcher was killed in
            for kept in deliveries.pending(self.o.manifest_dir):
                done = deliveries.redeliver(kept, self.o.drop)
                if done is not None:
                    self._unpacked(os.path.basename(kept), done)
            pending = self.state.pending()
            watch_fix.clean(self.staging, {n for _, r in pending
                                           if (n := watch_fix.staged_row(r.path, self.staging))
                                           is not None})
            for row_id, row in pending:
                self.finish(row_id, row)
            self.pool.warm()  # before the observer's threads: workers can still be forked
            obs = None if self.o.once else self._observer()
            self._loop()
        finally:
            if obs is not None:
                obs.stop()
                obs.join(5)
            self.pool.close()
            if self.cache is not None:
                self.cache.close()
                for w in self.cache.warnings:
                    self.emit(self.log.line("warning", "-", self.log.why(w)))
            self.state.close()
            self.emit(self.log.stop(self.o.drop, self.counts))

    def _loop(self) -> None:
        last_full = 0.0
        while not self.stop.is_set():
            self._maybe_reload()
            self._resume()
            self._check_held()
            if self.paused is not None:  # no room: new files wait in the drop folder
                if self.o.once:
                    break
                self.wake.wait(min(1.0, max(0.05, self.paused - time.monotonic())))
                self.wake.clear()
                continue
            now = time.monotonic()
            if self.dirty or now - last_full >= self.o.rescan_every:
                self.dirty = False
                last_full = now
                listing = self._list()
                self.tracker.keep_only(set(listing))
            else:
                listing = {}
                for rel in list(self.tracker.seen):
                    try:
                        st = os.lstat(self.paths[rel])
                        listing[rel] = (st.st_size, st.st_mtime_ns)
                    except (OSError, KeyError):
                        self.tracker.forget(rel)
            for rel, (size, mtime) in listing.items():
                if not self.state.known(rel, size, mtime):
                    self.tracker.observe(rel, size, mtime, now)
            ready = [rel for rel in self.tracker.ready(time.monotonic())
                     if not (rel in self.paths and rel not in self.problems
                             and self._writing(self.paths[rel]))]
            for i in range(0, len(ready), BATCH):
                if self.stop.is_set():
                    break
                self._audit(ready[i:i + BATCH])
            if self.o.once and not self.tracker.seen and not self.dirty:
                break
            self.wake.wait(min(0.25, max(0.05, self.o.settle / 4)))
            self.wake.clear()

    def install_signals(self) -> None:
        def _stop(signum: int, frame: Any) -> None:
            self.stop.set()
            self.wake.set()

        def _hup(signum: int, frame: Any) -> None:
            self.reload.set()
            self.wake.set()

        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
        if hasattr(signal, "SIGHUP"):
            signal.signal(signal.SIGHUP, _hup)
