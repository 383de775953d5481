"""Probing on the workers of a Dask distributed cluster (``scan --cluster``).

An e-depot checks hundreds of thousands to millions of files on shared storage; one
machine's cores are then the limit.  Here only the probing moves: the client walks,
looks files up in its fact cache, evaluates and writes the manifest exactly as a local
scan does (``scan.entries`` with this module's ``ClusterProbers`` as its pool), so the
manifest is the same entries in the same order.

- The unit of work is a batch of files (``BATCH_FILES``, ``BATCH_BYTES``).  A worker
  probes its batch through the project's own supervised pool (``pool.SupervisedPool``
  running ``scan.probe_one``: one probe process per Dask worker thread, kept warm between
  batches, siegfried loaded in it), so a file that hangs or crashes a decoder costs that
  file (MA-IO-005 / MA-IO-006) and never the Dask worker.  Probes run in the client's
  working folder, so relative paths and the messages that quote them are a local scan's.
- Workers send back facts as JSON (``factcodec``), the client pairs them with its own
  ``FileRef`` and its cache stores them as if probed here: a rescan of an unchanged
  transfer asks the cluster nothing.
- Results arrive in order of completion and are put back in file order; at most
  ``ahead`` batches are in flight or waiting, so memory stays flat in the number of files.
- A task whose worker died is run again by Dask elsewhere.  One that killed workers
  ``allowed-failures`` times (Dask's ``KilledWorker``) is split into single files, and a
  file that still kills its worker gets MA-IO-006: a finding, not the end of the scan.
- Every worker must run the same mediaaudit, probe and evaluation code, profile and
  engine versions as the client (``identity``): checked at the start, refused with one
  line naming the first difference.
- Losing the scheduler, or every worker for ``WORKERLESS_GRACE`` seconds, is a
  ``ClusterError``: the scan stops with exit 2; what was judged is already in the cache,
  so running the same command again continues where it stopped.

Members of delivery archives (``FileRef.member``) are unpacked by the client into a
private temporary folder that workers on other machines cannot see: they are probed
here, by a local supervised pool, in their place in the order.

Test seam: ``MEDIAAUDIT_TEST_FAULT="killworker:GLOB"`` makes the Dask worker that gets a
batch holding a matching file kill itself with SIGKILL (the supervised pool's own
``crash``/``hang`` faults kill only a probe process).

``distributed`` is an optional extra (``mediaaudit[cluster]``): it is imported only
when a scan asks for a cluster.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import logging
import os
import signal
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from mediaaudit import factcodec
from mediaaudit.codes import CodeId
from mediaaudit.faults import injected
from mediaaudit.model import Facts, FileRef, ProbeNote
from mediaaudit.pool import Failure
from mediaaudit.profile import Profile

# ``distributed`` is an optional extra and only partly typed: its client and futures are
# handled as ``Any`` here, so the type check is the same with or without it installed.
Client = Any
Future = Any

# A batch: at most this many files and (unless it is one file) this many bytes.  ~64
# files keep a worker busy for about a second, so Dask's per-task cost (a few ms on
# the scheduler and the client) is under 1 % of it, while a worker killed mid-batch
# costs at most that second again.
BATCH_FILES = 64
BATCH_BYTES = 512 << 20
# Files a worker thread's supervised pool sends its probe process at a time.
POOL_CHUNK = 8
AHEAD = 32  # batches
CONNECT_TIMEOUT = 10.0  # seconds to reach the scheduler at the start
WORKER_WAIT = 30.0  # seconds to wait for a first worker at the start
WORKERLESS_GRACE = 60.0  # a scan with no worker for this long stops (a nanny restarts one in s)
POLL = 2.0  # seconds between checks that the scheduler and a worker are still there

MESSAGES: dict[str, dict[str, str]] = {
    "no_dask": {
        "nl": "--cluster heeft Dask nodig: installeer het met pip install "
              "'mediaaudit[cluster]'",
        "en": "--cluster needs Dask: install it with pip install 'mediaaudit[cluster]'"},
    "unreachable": {
        "nl": "kan de Dask-scheduler op {address} niet bereiken ({why})",
        "en": "cannot reach the Dask scheduler at {address} ({why})"},
    "no_workers": {
        "nl": "de Dask-scheduler op {address} heeft geen workers (na {seconds} s wachten); "
              "start ze met: dask worker {address}",
        "en": "the Dask scheduler at {address} has no workers (waited {seconds} s); "
              "start them with: dask worker {address}"},
    "mismatch": {
        "nl": "worker {worker} wijkt af van deze machine: {what} {got} (hier {here}){more}; "
              "installeer overal dezelfde mediaaudit, hetzelfde profiel en dezelfde engines",
        "en": "worker {worker} differs from this machine: {what} {got} (here {here}){more}; "
              "install the same mediaaudit, profile and engines everywhere"},
    "more": {"nl": " en nog {n} verschil(len)", "en": " and {n} more difference(s)"},
    "unseen": {
        "nl": "worker {worker} ziet {path} niet: elke worker moet de bestanden op hetzelfde "
              "pad zien als deze machine (gedeelde opslag, op dezelfde plek gekoppeld)",
        "en": "worker {worker} cannot see {path}: every worker must see the files at the "
              "same path as this machine (shared storage, mounted at the same place)"},
    "broken": {
        "nl": "worker {worker} kan mediaaudit niet draaien: {why}",
        "en": "worker {worker} cannot run mediaaudit: {why}"},
    "scheduler_lost": {
        "nl": "de verbinding met de Dask-scheduler op {address} is verbroken tijdens de "
              "scan; wat al beoordeeld is staat in de cache: start dezelfde opdracht opnieuw "
              "om verder te gaan",
        "en": "lost the Dask scheduler at {address} during the scan; what was judged is in "
              "the cache: run the same command again to continue"},
    "workers_lost": {
        "nl": "de Dask-scheduler op {address} heeft al {seconds} s geen workers meer; wat al "
              "beoordeeld is staat in de cache: start workers en dezelfde opdracht opnieuw "
              "om verder te gaan",
        "en": "the Dask scheduler at {address} has had no workers for {seconds} s; what was "
              "judged is in the cache: start workers and run the same command again to "
              "continue"},
}


class ClusterError(Exception):
    """Why a cluster scan cannot start or go on; said in the run's language (``text``),
    by the CLI as one line with exit 2."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        texts = MESSAGES[self.key]
        params = dict(self.params)
        if self.key == "mismatch":  # "and N more differences", when there are more
            n = params.pop("n", 0)
            more = MESSAGES["more"]
            params["more"] = more.get(lang, more["en"]).format(n=n) if n else ""
        return texts.get(lang, texts["en"]).format(**params)


# --- what runs on a worker -------------------------------------------------------------

_THREAD = threading.local()


def identity(engines: Mapping[str, str | None], profile: str | None) -> dict[str, str]:
    """What must be equal on the client and every worker for remote facts to be the facts
    a local probe would give: mediaaudit, the probe and evaluation code (hashes of their
    source), the profile (its SHA-256, for a built-in one) and each engine's version.
    Python's own version is left out, as in the cache's version."""
    from mediaaudit import __version__
    from mediaaudit.engines import evaluation_version, probe_version

    out = {"mediaaudit": __version__, "probe code": probe_version(),
           "evaluation code": evaluation_version()}
    if profile is not None:
        out[f"profile {profile}"] = profile_digest(profile)
    out |= {k: str(v) for k, v in sorted(engines.items()) if k != "python"}
    return out


def profile_digest(profile_id: str) -> str:
    """The SHA-256 of this installation's built-in profile ``profile_id`` ('-' if none)."""
    from mediaaudit.profile import ProfileError, builtin_ids, load_profile

    if profile_id not in builtin_ids():
        return "-"
    try:
        return load_profile(profile_id).sha256
    except ProfileError:
        return "-"


def worker_identity(profile: str | None, places: list[str]
                    ) -> tuple[dict[str, str], list[str]]:
    """``identity`` as a worker sees it (runs there, via ``Client.run``), and which of
    ``places`` (the scanned paths, absolute) it cannot see.  The engines' versions come
    from the same small file a local scan keeps beside its cache, so only a worker's
    first scan loads every engine (in a child process, as ``scan`` does)."""
    from mediaaudit.cache import default_path
    from mediaaudit.engines import engines_cached, engines_path
    from mediaaudit.profile import builtin_dir, builtin_ids

    _may_have_children()  # the engines are asked of a child process
    sample = str(builtin_dir() / f"{(builtin_ids() or ['nvf-2024'])[0]}.toml")
    store = engines_path(default_path())  # where a local scan keeps it
    missing = [p for p in places if not os.path.lexists(p)]
    return identity(engines_cached(sample, store), profile), missing


def probe_batch(cwd: str, refs: list[FileRef], deep: bool, timeout: float) -> list[str]:
    """A Dask task: the facts of ``refs`` (JSON, ``factcodec``), in order, probed by this
    worker thread's supervised pool (started on its first batch, kept warm after)."""
    from mediaaudit.pool import SupervisedPool

    for r in refs:
        if "killworker" in injected("MEDIAAUDIT_TEST_FAULT", r.path):
            os.kill(os.getpid(), signal.SIGKILL)
    _may_have_children()
    pools: dict[tuple[bool, float], SupervisedPool[tuple[str, FileRef], Facts]] = \
        getattr(_THREAD, "pools", None) or {}
    _THREAD.pools = pools
    pool = pools.get((deep, timeout))
    if pool is None:  # siegfried runs in the probe process: one process per thread
        pool = pools[(deep, timeout)] = SupervisedPool(
            functools.partial(_probe_at, deep=deep), 1, timeout, POOL_CHUNK,
            on_failure=_failed_at)
    return [factcodec.dumps(f) for f in pool.run([(cwd, r) for r in refs], len(refs))]


def _probe_at(item: tuple[str, FileRef], deep: bool) -> Facts:
    """``scan.probe_one`` in the client's working folder (in the pool's process), so a
    relative path names the same file and every message that quotes it reads exactly as
    a local scan's (Pillow's errors quote the path as given)."""
    from mediaaudit.scan import probe_one

    cwd, ref = item
    if os.getcwd() != cwd:
        with contextlib.suppress(OSError):  # not there: a relative path is then unreadable
            os.chdir(cwd)
    return probe_one(ref, deep)


def _failed_at(item: tuple[str, FileRef], failure: Failure) -> Facts:
    from mediaaudit.scan import failed_facts

    return failed_facts(item[1], failure)


def _may_have_children() -> None:
    """A Dask nanny starts its worker as a daemon process, and ``multiprocessing`` refuses
    to start children from one.  The pool's processes need no such guard: each watches
    its parent and stops when it is gone (``pool._worker``), so the flag is cleared."""
    import multiprocessing

    me = multiprocessing.current_process()
    if me.daemon:
        me._config["daemon"] = False  # type: ignore[attr-defined]


# --- the client ------------------------------------------------------------------------


def _lost(ref: FileRef, exc: BaseException) -> Facts:
    """The facts of a file whose task failed on its own: it killed its Dask worker every
    time it was tried (``KilledWorker``), or the task raised outside the pool's guards."""
    killed = type(exc).__name__ == "KilledWorker"
    reason = ("cluster workers died on it repeatedly" if killed
              else f"cluster: {type(exc).__name__}")
    return Facts(ref=ref, notes=(ProbeNote(CodeId.PROBE_FAILED, {"reason": reason}),))


@dataclasses.dataclass
class _Batch:
    """A batch's files and their facts so far (None: not back yet)."""

    refs: list[FileRef]
    facts: list[Facts | None]
    open: int  # tasks of this batch still running


class ClusterProbers:
    """A pool for ``scan.entries`` whose probes run on a Dask cluster (see the module's
    docstring).  ``jobs``: local workers for archive members."""

    def __init__(self, client: Client, address: str, jobs: int, deep: bool, timeout: float,
                 grace: float = WORKERLESS_GRACE) -> None:
        self.client = client
        self.address = address
        self.jobs = jobs
        self.deep = deep
        self.timeout = timeout
        self.grace = grace
        self.cwd = os.getcwd()  # relative paths are probed from here on the workers too
        self.threads = max(1, sum(client.nthreads().values()))
        # batches in flight or done but waiting for an older one (a slow file holds back
        # the yield, not the workers): ~2,000 files, as the local pool's window
        self.ahead = max(AHEAD, 4 * self.threads)
        self._serial = 0
        self._pending: dict[Future, tuple[int, list[int]]] = {}

    def __enter__(self) -> ClusterProbers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, refs: list[FileRef]) -> Iterator[Facts]:
        """Facts for every ref, in order: archive members probed here, the rest remotely."""
        from mediaaudit.scan import probe_all

        here = [r for r in refs if r.member is not None]
        near = probe_all(here, self.jobs, self.deep, self.timeout) if here else iter(())
        far = self._remote([r for r in refs if r.member is None])
        for r in refs:
            yield next(near) if r.member is not None else next(far)

    def _submit(self, batches: dict[int, _Batch], i: int, at: list[int]) -> None:
        """Send the files of batch ``i`` at positions ``at`` as one task."""
        self._serial += 1
        refs = [batches[i].refs[k] for k in at]
        fut = self.client.submit(probe_batch, self.cwd, refs, self.deep, self.timeout, pure=False,
                                 priority=-i, key=f"mediaaudit-probe-{os.getpid()}-{self._serial}")
        self._pending[fut] = (i, at)
        batches[i].open += 1

    def _remote(self, refs: list[FileRef]) -> Iterator[Facts]:
        from mediaaudit.scan import batches as cut  # the identifier's batching, larger

        source = enumerate(cut(refs, BATCH_FILES, BATCH_BYTES))
        batches: dict[int, _Batch] = {}
        exhausted = False
        nxt = 0
        try:
            while True:
                while not exhausted and len(batches) < self.ahead:
                    got = next(source, None)
                    if got is None:
                        exhausted = True
                        break
                    i, refs_i = got
                    batches[i] = _Batch(refs_i, [None] * len(refs_i), 0)
                    self._submit(batches, i, list(range(len(refs_i))))
                while nxt in batches and batches[nxt].open == 0:
                    for f in batches.pop(nxt).facts:
                        assert f is not None
                        yield f
                    nxt += 1
                if exhausted and not batches:
                    return
                for fut in self._wait():
                    self._collect(fut, batches)
        finally:
            self._cancel()

    def _collect(self, fut: Future, batches: dict[int, _Batch]) -> None:
        """Take a finished task's facts; split a failed task into single files, and give a
        single file whose task failed MA-IO-006.  A task whose result was lost with its
        worker after it finished is waited for again (Dask computes it anew)."""
        i, at = self._pending.pop(fut)
        b = batches[i]
        status = fut.status
        if status == "cancelled":  # the scheduler forgot it: the connection was lost
            raise ClusterError("scheduler_lost", address=self.address)
        if status not in ("finished", "error"):  # lost with its worker: computed again
            self._pending[fut] = (i, at)
            return
        try:
            if status == "finished":
                raw: list[str] = fut.result()
                for k, text in zip(at, raw, strict=True):
                    b.facts[k] = factcodec.loads(text, b.refs[k])
                b.open -= 1
                return
            exc = fut.exception()
        except Exception as failed:  # the result went with its worker, or the scheduler
            if self.client.status != "running":
                raise ClusterError("scheduler_lost", address=self.address) from failed
            self._pending[fut] = (i, at)
            return
        b.open -= 1
        if len(at) == 1:
            b.facts[at[0]] = _lost(b.refs[at[0]], exc)
            return
        for k in at:
            self._submit(batches, i, [k])

    def _wait(self) -> set[Future]:
        """Finished tasks; checks every ``POLL`` s that the scheduler and a worker are
        still there, and raises ``ClusterError`` when they are not."""
        wait = _distributed().wait

        workerless = None
        while True:
            try:
                with self.client.as_current():  # ``wait`` asks the current client
                    done = wait(list(self._pending), timeout=POLL,
                                return_when="FIRST_COMPLETED")
            except TimeoutError:
                done = None
            except Exception as exc:  # FuturesCancelledError: the scheduler is gone
                raise ClusterError("scheduler_lost", address=self.address) from exc
            if self.client.status not in ("running", "connecting"):
                raise ClusterError("scheduler_lost", address=self.address)
            if done is not None and done.done:
                return set(done.done)
            if self.client.status == "connecting":
                raise ClusterError("scheduler_lost", address=self.address)
            if self._workers() > 0:
                workerless = None
            elif workerless is None:
                workerless = time.monotonic()
            elif time.monotonic() - workerless > self.grace:
                raise ClusterError("workers_lost", address=self.address,
                                   seconds=round(self.grace))

    def _workers(self) -> int:
        try:
            return len(self.client.nthreads())
        except Exception as exc:  # the scheduler stopped answering
            raise ClusterError("scheduler_lost", address=self.address) from exc

    def _cancel(self) -> None:
        if self._pending and self.client.status == "running":
            with contextlib.suppress(Exception):  # closing anyway
                self.client.cancel(list(self._pending))
        self._pending.clear()

    def close(self) -> None:
        self._cancel()
        _close(self.client)


def connect(address: str, profile: Profile, engines: Mapping[str, str | None], jobs: int,
            deep: bool, timeout: float, paths: Sequence[str] = ()) -> ClusterProbers:
    """A client of the scheduler at ``address`` with at least one worker, every worker
    checked to run what this machine runs and to see ``paths`` (the scanned files and
    folders); else ``ClusterError``."""
    dask = _distributed()
    _quiet()
    try:
        client = dask.Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except Exception as exc:  # OSError, TimeoutError, ValueError for a malformed address
        raise ClusterError("unreachable", address=address, why=_why(exc)) from exc
    try:
        try:
            client.wait_for_workers(1, timeout=WORKER_WAIT)
        except TimeoutError as exc:
            raise ClusterError("no_workers", address=address, seconds=round(WORKER_WAIT)
                               ) from exc
        _check(client, profile, engines, [os.path.abspath(p) for p in paths])
        return ClusterProbers(client, address, jobs, deep, timeout)
    except ClusterError:
        _close(client)
        raise
    except Exception as exc:  # the scheduler went away while we asked it something
        _close(client)
        raise ClusterError("unreachable", address=address, why=_why(exc)) from exc


def _quiet() -> None:
    """Silence Dask's own logging in the client: its retries, reconnects and tracebacks
    would bury the one line this module says when the cluster is lost."""
    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in _LOGGERS]
    for name in [*_LOGGERS, *names]:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


_LOGGERS = ("distributed", "tornado", "asyncio")


def _close(client: Client) -> None:
    with contextlib.suppress(Exception):  # a lost scheduler: nothing left to close
        client.close(timeout=5)


def _distributed() -> Any:
    """The ``distributed`` module, or ``ClusterError`` when the extra is not installed."""
    import importlib

    try:
        return importlib.import_module("distributed")
    except ImportError as exc:
        raise ClusterError("no_dask") from exc


def _builtin_id(profile: Profile) -> str | None:
    from mediaaudit.profile import builtin_dir

    path = os.path.realpath(profile.source)
    inside = os.path.dirname(path) == os.path.realpath(builtin_dir())
    return os.path.splitext(os.path.basename(path))[0] if inside else None


def _check(client: Client, profile: Profile, engines: Mapping[str, str | None],
           places: list[str]) -> None:
    """Refuse a cluster whose workers would probe or judge differently from this machine,
    or cannot see the files.  A custom profile file is not compared: evaluation runs
    here, workers never read it."""
    pid = _builtin_id(profile)
    here = identity(engines, pid)
    found: dict[str, Any] = client.run(worker_identity, pid, places, on_error="return")
    for worker, answer in sorted(found.items()):
        if isinstance(answer, BaseException):
            raise ClusterError("broken", worker=worker, why=_why(answer))
        theirs, missing = answer
        if missing:
            raise ClusterError("unseen", worker=worker, path=missing[0])
        diff = [k for k in here if theirs.get(k) != here[k]]
        if diff:
            k = diff[0]
            raise ClusterError("mismatch", worker=worker, what=k, got=theirs.get(k, "-"),
                               here=here[k], n=len(diff) - 1)


def _why(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__
