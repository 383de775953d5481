"""The watch loop: notice files, wait until they are complete, audit, log, route.

watchdog (inotify, or its polling observer for SMB/NFS shares) only wakes the loop; the
loop itself lists the drop folder (on events and every ``rescan`` seconds as a safety
net against lost events) and uses the settle tracker to decide completeness.  Every
state change is committed before the next step, so SIGKILL at any moment loses nothing
and a restart repeats nothing (see ``state``).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mediaaudit import manifest
from mediaaudit.config import load_policy
from mediaaudit.engines import engines_cached
from mediaaudit.evaluate import evaluate
from mediaaudit.model import FileRef
from mediaaudit.policy import Policy
from mediaaudit.pool import run_inline
from mediaaudit.probe import sidecars
from mediaaudit.probe.captions import caption_files
from mediaaudit.profile import Profile, load_profile
from mediaaudit.scan import probe_one
from mediaaudit.walk import printable, walk_tree
from mediaaudit.watch.route import RouteError, move
from mediaaudit.watch.state import Row, State
from mediaaudit.watch.tracker import Tracker


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


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class Watcher:
    def __init__(self, opts: Options, emit: Callable[[str], None]) -> None:
        self.o = opts
        self.emit = emit
        self.stop = threading.Event()
        self.wake = threading.Event()
        self.reload = threading.Event()
        self.dirty = True
        self.tracker = Tracker(opts.settle)
        self.own = frozenset(os.path.abspath(p) for p in (
            opts.approved, opts.rejected, opts.manifest_dir, os.path.dirname(opts.state_path))
            if p)
        self.paths: dict[str, str] = {}  # printable name → real path
        self.profile, self.policy, self._config_sig = self._load()

    # --- configuration ---------------------------------------------------------------
    def _config_signature(self) -> tuple[Any, ...]:
        paths = [self.o.config or os.path.join(self.o.drop, "mediaaudit.toml")]
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

    def _load(self) -> tuple[Profile, Policy, tuple[Any, ...]]:
        return (load_profile(self.o.profile_spec), load_policy(self.o.config, [self.o.drop]),
                self._config_signature())

    def _maybe_reload(self) -> None:
        sig = self._config_signature()
        if not self.reload.is_set() and sig == self._config_sig:
            return
        self.reload.clear()
        try:
            self.profile, self.policy, self._config_sig = self._load()
            self.emit(self._line("reload", "-", "configuration and profile reloaded"))
        except ValueError as exc:  # keep running with the last good configuration
            self._config_sig = sig
            self.emit(self._line("error", "-", f"reload failed, keeping the old settings: {exc}"))

    # --- listing ---------------------------------------------------------------------
    def _list(self) -> dict[str, tuple[int, int]]:
        """Printable name → (size, mtime) of every auditable file; real paths remembered."""
        out: dict[str, tuple[int, int]] = {}
        paths: dict[str, str] = {}
        for item in walk_tree(self.o.drop, ".", self.own):
            if isinstance(item, FileRef) and item.problem is None:
                out[item.display] = (item.size, item.mtime_ns)
                paths[item.display] = item.path
        self.paths = paths  # rebuilt each time: gone files leave no trace
        return out

    # --- one file --------------------------------------------------------------------
    def _line(self, outcome: str, rel: str, detail: str) -> str:
        if self.o.json_log:
            return json.dumps({"time": _now(), "outcome": outcome, "path": rel,
                               "detail": detail}, ensure_ascii=False)
        return f"{_now()} {outcome.upper():<6} {rel}  {detail}"

    def process(self, rel: str, path: str, size: int, mtime_ns: int) -> None:
        ref = FileRef(path, rel, size, mtime_ns)
        facts = next(run_inline(probe_one, [ref], self.o.timeout))
        if any(n.code == "MA-IO-003" for n in facts.notes) or (
                facts.ref.size, facts.ref.mtime_ns) != (size, mtime_ns):
            self.tracker.forget(rel)  # still changing: audit again once it settles
            self.dirty = True
            return
        result = evaluate(facts, self.profile, self.policy)
        entry = manifest.file_entry(result, self.o.lang)
        entry["audited_at"] = _now()
        row_id = self.state.add(rel, path, size, mtime_ns, facts.sha256, result.outcome.value,
                                entry)
        self.finish(row_id, Row(rel, path, size, mtime_ns, facts.sha256, result.outcome.value,
                                "audited", entry, None))

    def finish(self, row_id: int, row: Row) -> None:
        """Log then route; each step committed, so it can be resumed after a crash."""
        if row.status == "audited":
            self._write_results(row_id, row)
            self.state.mark(row_id, "logged")
        target = None
        path = row.path
        if self.o.approved and self.o.rejected and os.path.lexists(path):
            try:
                st = os.lstat(path)
            except OSError:
                st = None
            if st is None or (st.st_size, st.st_mtime_ns) != (row.size, row.mtime_ns):
                self.state.drop(row_id)  # changed since its audit: never route a stale verdict
                self.dirty = True
                return
            dest = self.o.approved if row.outcome == "pass" else self.o.rejected
            try:
                rel_dir = os.path.dirname(os.path.relpath(path, self.o.drop))
                target = self._route(path, os.path.join(dest, rel_dir), row.sha256)
            except RouteError as exc:
                self.emit(self._line("error", row.rel, f"not moved: {exc}"))
                return
        target = printable(target) if target else None
        self.state.mark(row_id, "done", target)
        reasons = [x["message"] for x in row.entry.get("findings", [])
                   if x.get("severity") == "error"]
        detail = (f"→ {target}" if target else "") + (f"  ({reasons[0]})" if reasons else "")
        self.emit(self._line(row.outcome, row.rel, detail.strip()))

    def _route(self, path: str, dest: str, sha256: str | None) -> str:
        name = os.path.basename(path)
        side = [s for _, s in sidecars.candidates(path) if os.path.isfile(s)]
        side += [os.path.join(os.path.dirname(path), n) for n, _, _ in caption_files(path)]
        stem = os.path.splitext(path)[0]
        side += [s for s in (path + ".alt.txt", stem + ".alt.txt") if os.path.isfile(s)]
        target = move(path, dest, name, sha256)
        new_name, old_stem = os.path.basename(target), os.path.splitext(name)[0]
        new_stem = os.path.splitext(new_name)[0]
        for s in dict.fromkeys(side):
            sname = os.path.basename(s)
            renamed = (new_name + sname[len(name):] if sname.startswith(name)
                       else new_stem + sname[len(old_stem):])
            try:
                move(s, dest, renamed)
            except (RouteError, OSError) as exc:
                self.emit(self._line("error", sname, f"sidecar not moved: {exc}"))
        return target

    def _write_results(self, row_id: int, row: Row) -> None:
        os.makedirs(self.o.manifest_dir, exist_ok=True)
        log = os.path.join(self.o.manifest_dir, "audit-log.jsonl")
        line = json.dumps({"id": row_id, **row.entry}, ensure_ascii=False)
        if not self._logged(log, row_id):
            with open(log, "a", encoding="utf-8") as fh:
                fh.write(line + "\n")
                fh.flush()
                os.fsync(fh.fileno())
        head = manifest.header([self.o.drop], self.profile, self.policy, self.engines,
                               self.o.lang)
        outcome = row.outcome
        doc = {**head, "files": [row.entry], "skipped": [],
               "summary": {"files": 1, "pass": int(outcome == "pass"),
                           "fail": int(outcome == "fail"), "error": int(outcome == "error")}}
        safe = row.rel.replace(os.sep, "__")
        out = os.path.join(self.o.manifest_dir, f"{safe}.{(row.sha256 or 'none')[:12]}.json")
        tmp = out + ".tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, ensure_ascii=False, indent=2)
        os.replace(tmp, out)

    @staticmethod
    def _logged(log: str, row_id: int) -> bool:
        """Was this row's line already appended (a crash right after the append)?"""
        try:
            with open(log, "rb") as fh:
                fh.seek(max(0, fh.seek(0, os.SEEK_END) - (256 << 10)))
                tail = fh.read()
        except OSError:
            return False
        return f'{{"id": {row_id},'.encode() in tail

    # --- the loop --------------------------------------------------------------------
    def _observer(self) -> Any:
        from watchdog.events import FileSystemEventHandler
        from watchdog.observers import Observer
        from watchdog.observers.polling import PollingObserver

        watcher = self

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                watcher.dirty = True
                watcher.wake.set()

        obs = PollingObserver(timeout=self.o.poll) if self.o.poll else Observer()
        obs.schedule(Handler(), self.o.drop, recursive=True)
        obs.start()
        return obs

    def run(self) -> None:
        self.state = State(self.o.state_path)
        self.engines = engines_cached(self.profile.source,
                                      os.path.join(os.path.dirname(self.o.state_path),
                                                   "engines.json"))
        if self.o.rescan_state:
            self.state.reset()
        for row_id, row in self.state.pending():
            self.finish(row_id, row)
        obs = None if self.o.once else self._observer()
        last_full = 0.0
        try:
            while not self.stop.is_set():
                self._maybe_reload()
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
                for rel in self.tracker.ready(time.monotonic()):
                    if self.stop.is_set():
                        break
                    size, mtime, _ = self.tracker.seen[rel]
                    self.tracker.forget(rel)
                    path = self.paths.pop(rel, None)
                    if path is not None and os.path.lexists(path):
                        self.process(rel, path, size, mtime)
                if self.o.once and not self.tracker.seen and not self.dirty:
                    break
                self.wake.wait(min(0.25, max(0.05, self.o.settle / 4)))
                self.wake.clear()
        finally:
            if obs is not None:
                obs.stop()
                obs.join(5)
            self.state.close()

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
