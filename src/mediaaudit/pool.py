"""A supervised process pool: ordered results, a per-file time limit, crash isolation.

``concurrent.futures`` cannot kill one hung task, and one segfaulting worker breaks
the whole pool.  Here each worker has its own pipe; results come back one file at a
time, so the supervisor always knows which file a worker is on.  A worker that takes
longer than the limit on one file is killed and replaced (the file gets MA-IO-005); a
worker that dies (a crash in a native library) costs that one file (MA-IO-006).  The
rest of its chunk is handed to the replacement.  Workers are spawned, not forked:
siegfried runs a Go runtime, which does not survive ``fork``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from mediaaudit.model import Facts, FileRef, ProbeNote

ProbeFn = Callable[[FileRef], Facts]


def _worker(conn: Connection, fn: ProbeFn) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the supervisor handles Ctrl-C
    while True:
        try:
            batch = conn.recv()
        except (EOFError, OSError):
            return
        if batch is None:
            return
        for idx, ref in batch:
            conn.send((idx, fn(ref)))


@dataclass
class _Slot:
    proc: Any
    conn: Connection
    todo: deque[tuple[int, FileRef]] = field(default_factory=deque)
    since: float = 0.0
    served: int = 0


def timeout_facts(ref: FileRef, seconds: float) -> Facts:
    return Facts(ref=ref, notes=(ProbeNote("MA-IO-005", {"seconds": seconds}),))


def crash_facts(ref: FileRef, exitcode: int | None) -> Facts:
    how = f"signal {-exitcode}" if exitcode is not None and exitcode < 0 else f"exit {exitcode}"
    return Facts(ref=ref, notes=(ProbeNote("MA-IO-006", {"reason": f"worker crashed ({how})"}),))


class SupervisedPool:
    # A worker is replaced after this many files, so slow growth (allocator
    # fragmentation, the Go heap behind siegfried) cannot add up over a huge folder.
    RECYCLE_AFTER = 5000
    # Never run more than this many files ahead of the oldest unfinished one: results are
    # yielded in order, so a slow file would otherwise make later results pile up.
    WINDOW = 2000

    def __init__(self, fn: ProbeFn, jobs: int, timeout: float, chunk: int = 16) -> None:
        self.fn = fn
        self.jobs = max(1, jobs)
        self.timeout = timeout
        self.chunk = max(1, chunk)
        self.ctx = multiprocessing.get_context("spawn")
        self.slots: list[_Slot] = []

    def _start(self) -> _Slot:
        parent, child = self.ctx.Pipe()
        proc = self.ctx.Process(target=_worker, args=(child, self.fn), daemon=True)
        proc.start()
        child.close()
        return _Slot(proc, parent)

    def _kill(self, slot: _Slot) -> None:
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

    def _feed(self, slot: _Slot, pending: deque[tuple[int, FileRef]]) -> None:
        """Keep a worker supplied: send a new chunk when it is about to run dry."""
        if len(slot.todo) > self.chunk // 2 or not pending:
            return
        batch = [pending.popleft() for _ in range(min(self.chunk, len(pending)))]
        if not slot.todo:
            slot.since = time.monotonic()
        slot.todo.extend(batch)
        with contextlib.suppress(OSError, ValueError):
            slot.conn.send(batch)  # if the worker died, the supervisor sees its sentinel

    def _replace(self, i: int, pending: deque[tuple[int, FileRef]]) -> None:
        """Kill worker i, give its unfinished files back to the queue, start a new one."""
        old = self.slots[i]
        self._kill(old)
        pending.extendleft(reversed(old.todo))
        self.slots[i] = self._start()

    @staticmethod
    def _drain(s: _Slot, done: dict[int, Facts]) -> None:
        """Collect every complete result a worker has sent (EOF after a crash is fine)."""
        try:
            while s.todo and s.conn.poll():
                idx, facts = s.conn.recv()
                s.todo.popleft()
                done[idx] = facts
                s.since = time.monotonic()
                s.served += 1
        except (EOFError, OSError):
            pass

    def run(self, refs: list[FileRef]) -> Iterator[Facts]:
        pending: deque[tuple[int, FileRef]] = deque(enumerate(refs))
        done: dict[int, Facts] = {}
        nxt = 0
        self.slots = [self._start() for _ in range(min(self.jobs, len(refs)) or 1)]
        try:
            while nxt < len(refs):
                for i, s in enumerate(self.slots):
                    if s.served >= self.RECYCLE_AFTER and not s.todo:
                        self._retire(s)
                        self.slots[i] = s = self._start()
                    if not pending or pending[0][0] - nxt < self.WINDOW:
                        self._feed(s, pending)
                busy = [s for s in self.slots if s.todo]
                now = time.monotonic()
                wait_for = min((s.since + self.timeout - now for s in busy), default=1.0)
                ready = wait([s.conn for s in busy] + [s.proc.sentinel for s in busy],
                             timeout=max(0.0, wait_for))
                now = time.monotonic()
                for i, s in enumerate(list(self.slots)):
                    if not s.todo:
                        continue
                    alive = s.proc.is_alive()
                    if s.conn in ready or s.proc.sentinel in ready or not alive:
                        self._drain(s, done)
                    if not s.todo:
                        continue
                    idx, ref = s.todo[0]
                    if not alive:  # died (after sending whatever it finished)
                        s.todo.popleft()
                        done[idx] = crash_facts(ref, s.proc.exitcode)
                        self._replace(i, pending)
                    elif now - s.since > self.timeout:
                        s.todo.popleft()
                        done[idx] = timeout_facts(ref, self.timeout)
                        self._replace(i, pending)
                while nxt in done:
                    yield done.pop(nxt)
                    nxt += 1
        finally:
            for s in self.slots:
                with contextlib.suppress(OSError, ValueError):
                    s.conn.send(None)
            deadline = time.monotonic() + 2
            for s in self.slots:
                s.proc.join(max(0.0, deadline - time.monotonic()))
                self._kill(s)


def run_inline(fn: ProbeFn, refs: list[FileRef], timeout: float) -> Iterator[Facts]:
    """In-process probing (``--jobs 1``, small batches).  The time limit is enforced with
    SIGALRM, which interrupts Python code; a hang inside native code or a crash cannot be
    contained in-process, which is why larger runs use worker processes."""
    use_alarm = hasattr(signal, "SIGALRM")
    for ref in refs:
        if not use_alarm or timeout <= 0:
            yield fn(ref)
            continue
        yield _with_alarm(fn, ref, timeout)


class _Timeout(BaseException):
    """BaseException, so the probes' own ``except Exception`` guards let it through."""


def _raise_timeout(signum: int, frame: Any) -> None:
    raise _Timeout()


def _with_alarm(fn: ProbeFn, ref: FileRef, timeout: float) -> Facts:
    try:
        old = signal.signal(signal.SIGALRM, _raise_timeout)
    except ValueError:  # not the main thread: no alarm available
        return fn(ref)
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return fn(ref)
    except _Timeout:
        return timeout_facts(ref, timeout)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
