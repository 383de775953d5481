"""A supervised process pool: ordered results, a per-file time limit, crash isolation.

Every probe runs in a worker process, never in the caller: a decoder that segfaults or
spins in native code can only be stopped from outside, and one file must never cost the
scan (or the watch service).  ``concurrent.futures`` cannot kill one hung task, and one
segfaulting worker breaks the whole pool.  Here each worker has its own pipe; results
come back one file at a time, so the supervisor always knows which file a worker is on.
A worker that takes longer than the limit on one file is killed and replaced (the file
gets MA-IO-005); a worker that dies (a crash in a native library) costs that one file
(MA-IO-006).  The rest of its chunk is handed to the replacement.

The pool stays warm between ``run`` calls (``watch`` feeds it file by file for months)
until ``close``.  Workers are forked when that is safe, because it costs milliseconds
where a fresh interpreter costs a tenth of a second: safe means this process has one
thread and no Go runtime (siegfried's, which does not survive ``fork``) loaded.
Otherwise they come from a fork server, a clean single-threaded process started once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

if TYPE_CHECKING:  # multiprocessing is imported where a worker starts: a warm rescan that
    from multiprocessing.connection import Connection  # probes nothing never loads it

T = TypeVar("T")  # what a worker is given (a file, a batch of files)
R = TypeVar("R")  # what it gives back


class FailureKind(Enum):
    TIMEOUT = "timeout"  # took longer than the limit: the worker was killed
    CRASH = "crash"  # the worker died (a native library crashed, the OOM killer)
    ERROR = "error"  # the function raised: the worker goes on


class Failure(NamedTuple):
    """Why a worker gave no result for an item: ``detail`` is the time limit in seconds
    (timeout), the exit code (crash) or the exception (error)."""

    kind: FailureKind
    detail: Any


OnFailure = Callable[[Any, Failure], Any]

# Modules whose native runtime does not survive fork(): once loaded here, fork no more.
_FORK_UNSAFE_MODULES = ("pygfried",)
# What the fork server imports once, so the workers it forks start warm.
_PRELOAD = ["mediaaudit.scan", "mediaaudit.probe.readers", "mediaaudit.probe.run"]


def _thread_count() -> int:
    """Native threads of this process (Python's own count misses threads started by C
    libraries); when unknown, assume more than one."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 2 if threading.active_count() == 1 else threading.active_count()


def start_method() -> str:
    """fork when it is safe here and now, else a fork server, else spawn."""
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if ("fork" in methods and sys.platform.startswith("linux") and _thread_count() == 1
            and not any(m in sys.modules for m in _FORK_UNSAFE_MODULES)):
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"


def _worker(conn: Connection, fn: Callable[[Any], Any], on_failure: OnFailure,
            env: Mapping[str, str]) -> None:
    """Probe what arrives until told to stop, the pipe closes or the supervisor is gone.

    The environment is the supervisor's as it was when this worker was started (a fork
    server's would be older), so settings and the test fault seam reach every probe."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the supervisor handles Ctrl-C
    if hasattr(signal, "SIGHUP"):
        signal.signal(signal.SIGHUP, signal.SIG_IGN)  # forked: not the watcher's reload
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # forked: not the watcher's handler
    _set_environment(env)
    parent = os.getppid()  # the supervisor, or the fork server (which dies with it)
    while True:
        try:
            if not conn.poll(1.0):
                if os.getppid() != parent:  # orphaned: a forked sibling may hold our pipe
                    return
                continue
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for idx, item in batch:
            try:
                result = fn(item)
            except Exception as exc:  # a bug outside the function's own guards: this
                result = on_failure(item, Failure(FailureKind.ERROR, exc))  # item only
            conn.send((idx, result))


def _set_environment(env: Mapping[str, str]) -> None:
    """Make this process's environment ``env``, changing only what differs.  Go's
    runtime (siegfried, loaded later) reads the environment the process started with;
    clearing it and setting it again (``os.environ.clear``) left Go with none at all, so
    an operator's GOGC or GODEBUG never reached it."""
    for key in [k for k in os.environ if k not in env]:
        del os.environ[key]
    for key, value in env.items():
        if os.environ.get(key) != value:
            os.environ[key] = value


@dataclass
class _Slot:
    proc: Any
    conn: Connection
    todo: deque[tuple[int, Any]] = field(default_factory=deque)
    since: float = 0.0
    served: int = 0


class SupervisedPool(Generic[T, R]):
    """Up to ``jobs`` workers running ``fn`` on items, started on first use and kept
    until ``close``.  ``on_failure(item, Failure)`` gives the result of an item that
    got none (it runs in the worker for an exception, here for a time-out or a crash,
    so it must be a module-level function)."""

    # A worker is replaced after this many files, so slow growth (allocator
    # fragmentation, the Go heap behind siegfried) cannot add up over a huge folder.
    RECYCLE_AFTER = 5000
    # Never run more than this many files ahead of the oldest unfinished one: results are
    # yielded in order, so a slow file would otherwise make later results pile up.
    WINDOW = 2000

    def __init__(self, fn: Callable[[T], R], jobs: int, timeout: float, chunk: int = 16,
                 on_failure: Callable[[T, Failure], R] | None = None,
                 recycle_after: int | None = None) -> None:
        self.fn = fn
        self.recycle_after = recycle_after or self.RECYCLE_AFTER
        self.on_failure: OnFailure = on_failure or _no_result
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.chunk = max(1, chunk)
        self.slots: list[_Slot] = []
        self.started = 0  # workers started so far (replacements included)
        self.replaced = 0  # workers killed because of a crash or a time-out

    def __enter__(self) -> SupervisedPool[T, R]:
        return self

    def __exit__(self, et: type[BaseException] | None, ev: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def _start(self) -> _Slot:
        method = start_method()
        import multiprocessing

        ctx: Any = multiprocessing.get_context(method)  # typeshed: BaseContext has no Process
        if method == "forkserver":
            ctx.set_forkserver_preload(_PRELOAD)
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_worker,
                           args=(child, self.fn, self.on_failure, dict(os.environ)), daemon=True)
        proc.start()
        child.close()
        self.started += 1
        return _Slot(proc, parent)

    @staticmethod
    def _kill(slot: _Slot) -> None:
        if slot.proc.is_alive():
            slot.proc.kill()
        slot.proc.join(5)
        slot.conn.close()

    def _retire(self, slot: _Slot) -> None:
        """Stop an idle worker politely (it has no files in hand)."""
        with contextlib.suppress(OSError, ValueError):
            slot.conn.send(None)
        slot.proc.join(5)
        self._kill(slot)

    def _feed(self, slot: _Slot, pending: deque[tuple[int, Any]]) -> None:
        """Keep a worker supplied: send a new chunk when it is about to run dry."""
        if len(slot.todo) > self.chunk // 2 or not pending:
            return
        batch = [pending.popleft() for _ in range(min(self.chunk, len(pending)))]
        if not slot.todo:
            slot.since = time.monotonic()
        slot.todo.extend(batch)
        with contextlib.suppress(OSError, ValueError):
            slot.conn.send(batch)  # if the worker died, the supervisor sees its sentinel

    def _replace(self, i: int, pending: deque[tuple[int, Any]]) -> None:
        """Kill worker i, give its unfinished files back to the queue, start a new one."""
        old = self.slots[i]
        self._kill(old)
        pending.extendleft(reversed(old.todo))
        self.slots[i] = self._start()
        self.replaced += 1

    @staticmethod
    def _drain(s: _Slot, done: dict[int, Any]) -> None:
        """Collect every complete result a worker has sent (EOF after a crash is fine)."""
        try:
            while s.todo and s.conn.poll():
                idx, result = s.conn.recv()
                s.todo.popleft()
                done[idx] = result
                s.since = time.monotonic()
                s.served += 1
        except (EOFError, OSError):
            pass

    def _ready_slots(self, n: int) -> None:
        """Enough live, idle workers for ``n`` files (never more than ``jobs``)."""
        for i, s in enumerate(self.slots):
            if not s.proc.is_alive() or s.served >= self.recycle_after:
                self._retire(s)  # died while idle (OOM killer, an operator) or worn out
                self.slots[i] = self._start()
        while len(self.slots) < min(self.jobs, max(1, n)):
            self.slots.append(self._start())

    def warm(self) -> None:
        """Start every worker now, so the first file does not wait for one."""
        self._ready_slots(self.jobs)

    def run(self, items: Iterable[T], expected: int | None = None) -> Iterator[R]:
        """Results for every item, in order.  ``items`` is read as the workers need more
        (it may be another pool's results, arriving while these are worked on);
        ``expected`` (how many there will be, if known) keeps a short run from starting
        more workers than it has items.  Stopping early kills the busy workers (their
        results would otherwise arrive during the next run)."""
        source = enumerate(items)
        pending: deque[tuple[int, Any]] = deque()
        ahead = self.jobs * self.chunk * 2  # items read from ``source`` before they are due
        exhausted = False
        done: dict[int, Any] = {}
        nxt = 0
        self._ready_slots(expected if expected is not None else self.jobs)
        try:
            while True:
                while not exhausted and len(pending) < ahead:
                    got = next(source, None)
                    if got is None:
                        exhausted = True
                    else:
                        pending.append(got)
                busy = [s for s in self.slots if s.todo]
                if exhausted and not pending and not busy and nxt not in done:
                    return
                for i, s in enumerate(self.slots):
                    if s.served >= self.recycle_after and not s.todo:
                        self._retire(s)
                        self.slots[i] = s = self._start()
                    worn = s.served + len(s.todo) >= self.recycle_after  # let it run dry
                    if not worn and (not pending or pending[0][0] - nxt < self.WINDOW):
                        self._feed(s, pending)
                busy = [s for s in self.slots if s.todo]
                now = time.monotonic()
                wait_for = min((s.since + self.timeout - now for s in busy), default=0.0)
                ready = _wait([s.conn for s in busy] + [s.proc.sentinel for s in busy],
                             timeout=max(0.0, wait_for)) if busy else []
                now = time.monotonic()
                for i, s in enumerate(list(self.slots)):
                    if not s.todo:
                        continue
                    alive = s.proc.is_alive()
                    if s.conn in ready or s.proc.sentinel in ready or not alive:
                        self._drain(s, done)
                    if not s.todo:
                        continue
                    idx, item = s.todo[0]
                    if not alive:  # died (after sending whatever it finished)
                        s.todo.popleft()
                        done[idx] = self.on_failure(
                            item, Failure(FailureKind.CRASH, s.proc.exitcode))
                        self._replace(i, pending)
                    elif now - s.since > self.timeout:
                        s.todo.popleft()
                        done[idx] = self.on_failure(
                            item, Failure(FailureKind.TIMEOUT, self.timeout))
                        self._replace(i, pending)
                while nxt in done:
                    yield done.pop(nxt)
                    nxt += 1
        finally:
            busy = [s for s in self.slots if s.todo]
            for s in busy:
                self._kill(s)
            self.slots = [s for s in self.slots if not s.todo]

    def close(self) -> None:
        """Stop every worker: politely, then for good."""
        for s in self.slots:
            with contextlib.suppress(OSError, ValueError):
                s.conn.send(None)
        deadline = time.monotonic() + 2
        for s in self.slots:
            s.proc.join(max(0.0, deadline - time.monotonic()))
            self._kill(s)
        self.slots = []


def _no_result(item: Any, failure: Failure) -> None:
    """The default ``on_failure``: no result (None) for that item."""
    return None


def _wait(objects: list[Any], timeout: float) -> list[Any]:
    from multiprocessing.connection import wait

    return wait(objects, timeout)
