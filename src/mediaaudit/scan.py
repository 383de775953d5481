"""The scan pipeline: walk → probe (parallel, ordered, supervised) → evaluate.

Probing is the only expensive part and the only one that parses untrusted bytes with
native code, so it always runs in worker processes (``pool``), even for one file: a
hung or crashed decoder then costs one file (MA-IO-005 / MA-IO-006), never the scan or
the watch service.  siegfried runs in one more supervised process for all files
(``Probers``), so its Go runtime is in memory once.  Workers return results in input
order; the input is sorted, so the manifest order never depends on ``--jobs``.  ``watch``
goes through ``audit`` too, with workers it keeps warm between files.  With a cache, an
unchanged file costs a ``stat`` and part of a SQLite query (``entries``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import signal
import time
from collections.abc import Iterator
from typing import Any, Protocol

from mediaaudit import manifest
from mediaaudit.cache import BATCH, FactCache, Hit
from mediaaudit.codes import CodeId
from mediaaudit.evaluate import evaluate
from mediaaudit.faults import injected
from mediaaudit.model import Facts, FileRef, FileResult, ProbeNote
from mediaaudit.policy import Policy
from mediaaudit.pool import Failure, FailureKind, SupervisedPool
from mediaaudit.profile import Profile
from mediaaudit.writers.json_writer import StoredEntry, entry_line

# Fewer files than this are probed by one worker: a second one would cost more to start
# and to feed than it saves.
MIN_FILES_FOR_POOL = 24
DEFAULT_TIMEOUT = 60.0
# --deep decodes every frame of a video with libav: an 8-second 4K clip took 3.1 s on one
# core of the test VM, so a phone video of a few minutes outgrows the default limit.
DEEP_TIMEOUT = 600.0


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _injected_faults(path: str) -> frozenset[str]:
    """Test seam: MEDIAAUDIT_TEST_FAULT="hang:GLOB,crash:GLOB,raise:GLOB,slow:GLOB,late:GLOB"
    makes the probe of a matching file name hang, die by SIGSEGV, raise an exception
    outside the probe's own guards, take 0.2 s longer, or (late)
    pause 3 s after reading the file, so the supervision of real hangs and native crashes,
    and changes between an audit and its use, can be tested end to end.  ``idhang`` and
    ``idcrash`` do the same to the identifier process while it has that file in its batch.
    It runs where the probe runs: in a worker.  Unset in normal use."""
    return injected("MEDIAAUDIT_TEST_FAULT", path)


def probe_one(ref: FileRef, deep: bool = False, match: dict[str, Any] | None = None) -> Facts:
    """Top-level (picklable) probe with the standard readers; ``match``: siegfried's
    answer when the identifier gave one (else siegfried runs here)."""
    if ref.problem is not None:
        return Facts(ref=ref, notes=(ref.problem,))
    kinds = _injected_faults(ref.path)
    if "crash" in kinds:
        os.kill(os.getpid(), signal.SIGSEGV)
    if "hang" in kinds:
        time.sleep(3600)
    if "raise" in kinds:
        raise RuntimeError("injected fault")
    if "slow" in kinds:
        time.sleep(0.2)
    from mediaaudit.probe.readers import file_readers, image_readers  # workers only
    from mediaaudit.probe.run import probe_file

    facts = probe_file(ref, image_readers(), file_readers(), deep=deep, match=match)
    if "late" in kinds:
        time.sleep(3)
    return facts


def failed_facts(ref: FileRef, failure: Failure) -> Facts:
    """The facts of a file whose probe gave no result: MA-IO-005 after a time-out,
    MA-IO-006 (probe failed) after a crash or an exception outside the probe's guards."""
    if failure.kind is FailureKind.TIMEOUT:
        return Facts(ref=ref, notes=(ProbeNote(CodeId.TIMEOUT, {"seconds": failure.detail}),))
    if failure.kind is FailureKind.CRASH:
        code = failure.detail
        how = f"signal {-code}" if code is not None and code < 0 else f"exit {code}"
        reason = f"worker crashed ({how})"
    else:
        reason = f"probe: {type(failure.detail).__name__}"
    return Facts(ref=ref, notes=(ProbeNote(CodeId.PROBE_FAILED, {"reason": reason}),))


Item = tuple[FileRef, "dict[str, Any] | None"]  # a file and siegfried's match, if known


def _probe_item(item: Item, deep: bool = False) -> Facts:
    return probe_one(item[0], deep, item[1])


def _item_failed(item: Item, failure: Failure) -> Facts:
    return failed_facts(item[0], failure)


def identify_batch(paths: tuple[str, ...], workers: int) -> list[dict[str, Any]]:
    """The identifier process's job: siegfried's first match for each of ``paths``."""
    from mediaaudit.probe.identify import pronom_many

    for p in paths:
        kinds = _injected_faults(p)
        if "idcrash" in kinds:
            os.kill(os.getpid(), signal.SIGSEGV)
        if "idhang" in kinds:
            time.sleep(3600)
    return pronom_many(paths, workers)


# A batch for the identifier: this many files at most, and no more bytes than this (a
# batch that takes longer than the time limit is identified again file by file).
BATCH_FILES = 32
BATCH_BYTES = 64 << 20
# The identifier is replaced after this many batches (~3,200 files; a new one costs
# ~0.15 s).  Go lets its heap grow to twice what siegfried keeps live (~75 MB) before it
# collects, ~8 MB per 1,000 files in a scan (GOGC reaches Go only from the environment
# the scan started with); replacing it keeps the scan's memory flat in the number of files.
IDENTIFIER_RECYCLE = 100


def batches(refs: list[FileRef], files: int | None = None, size_limit: int | None = None
            ) -> Iterator[list[FileRef]]:
    """``refs`` in order, cut into batches of at most ``files`` files and, unless a single
    file is larger, ``size_limit`` bytes (default: the identifier's ``BATCH_FILES`` and
    ``BATCH_BYTES``, read when called); a cluster's tasks are larger (``cluster``)."""
    files = BATCH_FILES if files is None else files
    size_limit = BATCH_BYTES if size_limit is None else size_limit
    batch: list[FileRef] = []
    size = 0
    for r in refs:
        if batch and (len(batch) >= files or size + r.size > size_limit):
            yield batch
            batch, size = [], 0
        batch.append(r)
        size += r.size
    if batch:
        yield batch


class Probers:
    """The processes that read files: ``jobs`` probe workers and (``identifier``) one
    process that identifies every file with siegfried, in batches, on ``jobs`` of Go's
    own threads.  siegfried's signatures and Go runtime take ~120 MB in a process; one
    identifier instead of one copy per worker keeps a scan's memory under 300 MB.

    Both are supervised pools (time limit, crash isolation).  A batch the identifier
    does not finish (it hung or crashed on one of its files) is not lost: its files go to
    the probe workers unidentified, and each is identified there, one by one, under the
    per-file time limit, so only the file that hangs gets MA-IO-005."""

    def __init__(self, jobs: int, timeout: float = DEFAULT_TIMEOUT, deep: bool = False,
                 chunk: int = 1, identifier: bool = True) -> None:
        self.probe: SupervisedPool[Item, Facts] = SupervisedPool(
            functools.partial(_probe_item, deep=deep), jobs, timeout, chunk,
            on_failure=_item_failed)
        self.ident: SupervisedPool[tuple[str, ...], list[dict[str, Any]] | None] | None = (
            SupervisedPool(functools.partial(identify_batch, workers=jobs), 1, timeout, 2,
                           recycle_after=IDENTIFIER_RECYCLE) if identifier else None)

    def __enter__(self) -> Probers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _items(self, refs: list[FileRef]) -> Iterator[Item]:
        if self.ident is None:
            yield from ((r, None) for r in refs)
            return
        cut = list(batches(refs))
        found = self.ident.run((tuple(r.path for r in b) for b in cut), len(cut))
        for batch, matches in zip(cut, found, strict=True):
            if matches is None:  # the identifier hung or crashed on this batch
                yield from ((r, None) for r in batch)
            else:
                yield from zip(batch, matches, strict=True)

    def run(self, refs: list[FileRef]) -> Iterator[Facts]:
        """Facts for every ref, in order."""
        return self.probe.run(self._items(refs), len(refs))

    def warm(self) -> None:
        self.probe.warm()
        if self.ident is not None:
            self.ident.warm()

    def close(self) -> None:
        self.probe.close()
        if self.ident is not None:
            self.ident.close()


class FactSource(Protocol):
    """What probes the misses of a scan: local ``Probers``, or the workers of a Dask
    cluster (``cluster.ClusterProbers``).  Facts for every ref, in the order given."""

    def run(self, refs: list[FileRef]) -> Iterator[Facts]: ...


def new_pool(jobs: int, timeout: float = DEFAULT_TIMEOUT, deep: bool = False,
             chunk: int = 1) -> Probers:
    """Probe workers and an identifier, for callers that keep them warm (watch)."""
    return Probers(jobs, timeout, deep, chunk)


def _supervised(refs: list[FileRef], jobs: int, deep: bool, timeout: float,
                pool: FactSource | None) -> Iterator[Facts]:
    if pool is not None:
        yield from pool.run(refs)
        return
    small = len(refs) < MIN_FILES_FOR_POOL  # one worker, which identifies on its own
    jobs = 1 if small else jobs
    chunk = max(1, min(32, len(refs) // (jobs * 8)))
    with Probers(jobs, timeout, deep, chunk, identifier=not small) as own:
        yield from own.run(refs)


def probe_all(
    refs: list[FileRef], jobs: int, deep: bool = False, timeout: float = DEFAULT_TIMEOUT,
    pool: FactSource | None = None,
) -> Iterator[Facts]:
    """Facts for every ref, in the order given, each within ``timeout`` seconds, each
    probed in a worker process (``pool`` if given, else one started for this call).
    Refs the walker could not even stat carry their problem already: no worker needed."""
    probed = _supervised([r for r in refs if r.problem is None], jobs, deep, timeout, pool)
    for ref in refs:
        yield Facts(ref=ref, notes=(ref.problem,)) if ref.problem is not None else next(probed)


def _rows(
    refs: list[FileRef], jobs: int, deep: bool, cache: FactCache, timeout: float,
    pool: FactSource | None, ekey: str | None,
) -> Iterator[tuple[FileRef, Hit | None, Facts | None]]:
    """Each ref in order with its cache row, or (a miss) with facts probed for it now;
    the misses are probed in parallel while the hits are being used.  Rows are looked up
    and read ``BATCH`` at a time; one evaluated under ``ekey`` comes with its manifest
    entry instead of its facts.  A row replaced since the lookup comes as (ref, None, None)."""
    stamps = cache.check(refs)
    probed = probe_all([r for r, st in zip(refs, stamps, strict=True) if st is None], jobs,
                       deep, timeout, pool)
    for start in range(0, len(refs), BATCH):
        window = range(start, min(start + BATCH, len(refs)))
        rows = cache.fetch([st for i in window if (st := stamps[i]) is not None], ekey)
        for i in window:
            stamp = stamps[i]
            if stamp is None:
                yield refs[i], None, next(probed)
            else:
                yield refs[i], rows.get(stamp.rowid), None


def _decoded(hit: Hit | None, ref: FileRef, cache: FactCache, deep: bool, timeout: float
             ) -> tuple[Facts, str | None]:
    """The facts of a cache row (read now if the row came without them), and their JSON.
    A row that is gone or no longer decodes (rare) is probed on its own: a pool may be
    busy with the misses, and a probe never runs in this process."""
    if hit is not None and hit.data is None:
        hit = cache.lookup(ref)
    facts = FactCache.decode(hit.data, ref) if hit is not None and hit.data else None
    if facts is not None and hit is not None:
        return facts, hit.data
    return next(probe_all([ref], 1, deep, timeout)), None


def cached_facts(
    refs: list[FileRef], jobs: int, deep: bool, cache: FactCache | None,
    timeout: float = DEFAULT_TIMEOUT, pool: Probers | None = None,
) -> Iterator[Facts]:
    """Facts in ref order: cache hits straight from SQLite, misses probed (in parallel)."""
    if cache is None or deep:
        yield from probe_all(refs, jobs, deep, timeout, pool)
        return
    for ref, hit, facts in _rows(refs, jobs, deep, cache, timeout, pool, None):
        if facts is None:
            facts, raw = _decoded(hit, ref, cache, deep, timeout)
            if raw is not None:
                yield facts
                continue
        cache.put(facts)
        yield facts
    cache.flush()


def evaluation_key(profile: Profile, policy: Policy, lang: str) -> str:
    """What a manifest entry depends on besides the file's facts: the evaluation code,
    the profile, the effective policy (its settings and where its config lies, which
    anchors the annotation globs) and the language.  Equal keys give equal entries."""
    from mediaaudit.engines import evaluation_version

    parts = f"{evaluation_version()}\n{profile.sha256}\n{policy!r}\n{lang}"
    return hashlib.sha256(parts.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _storable(line: str) -> str | None:
    """The entry's manifest line, to store; None for an undecodable file name (lone
    surrogates, which SQLite cannot store): such a file is evaluated again each time."""
    try:
        line.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return line


def entries(
    refs: list[FileRef], profile: Profile, policy: Policy, lang: str, jobs: int,
    deep: bool = False, cache: FactCache | None = None, timeout: float = DEFAULT_TIMEOUT,
    pool: FactSource | None = None,
) -> Iterator[dict[str, Any]]:
    """Manifest entries for every ref, in order (``scan``); ``pool``: what probes the
    misses (a cluster's workers), else workers started here.

    With a cache, an unchanged file seen under the same rules (``evaluation_key``) and by
    the same display path gets its stored entry back as it was written: no decoding of
    facts, no evaluation (a warm rescan is then mostly ``stat`` and SQLite).  Everything
    else is evaluated here and its entry stored for the next time."""
    if cache is None or deep:
        for probed in probe_all(refs, jobs, deep, timeout, pool):
            yield manifest.file_entry(evaluate(probed, profile, policy), lang)
        return
    ekey = evaluation_key(profile, policy, lang)
    for ref, hit, facts in _rows(refs, jobs, deep, cache, timeout, pool, ekey):
        raw = None
        if facts is None:
            if hit is not None and hit.entry is not None:
                stored = StoredEntry(json.loads(hit.entry))
                if stored.get("path") == ref.display:
                    stored.line = hit.entry
                    yield stored
                    continue
            facts, raw = _decoded(hit, ref, cache, deep, timeout)
        entry = manifest.file_entry(evaluate(facts, profile, policy), lang)
        cache.put(facts, raw, ekey, _storable(entry_line(entry)))
        yield entry
    cache.flush()


def audit(
    refs: list[FileRef], profile: Profile, policy: Policy, jobs: int, deep: bool = False,
    cache: FactCache | None = None, timeout: float = DEFAULT_TIMEOUT,
    pool: Probers | None = None,
) -> Iterator[FileResult]:
    """Results for every ref, in order; evaluation runs in this process (it is cheap and
    reads only the facts, never the file)."""
    for facts in cached_facts(refs, jobs, deep, cache, timeout, pool):
        yield evaluate(facts, profile, policy)
