"""The scan pipeline: walk → probe (parallel, ordered) → evaluate.

Probing is the only expensive, I/O-bound part, so it alone runs in worker processes.
``Executor.map`` keeps results in input order, and the input is sorted, so the
manifest order never depends on ``--jobs``.  Workers are spawned, not forked: siegfried
runs a Go runtime, which does not survive ``fork``.
"""

from __future__ import annotations

import functools
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor

from mediaaudit.cache import FactCache
from mediaaudit.evaluate import evaluate
from mediaaudit.model import Facts, FileRef, FileResult
from mediaaudit.policy import Policy
from mediaaudit.probe import probe_file
from mediaaudit.probe.readers import file_readers, image_readers
from mediaaudit.profile import Profile

MIN_FILES_FOR_POOL = 24


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def probe_one(ref: FileRef, deep: bool = False) -> Facts:
    """Top-level (picklable) probe with the standard readers."""
    if ref.problem is not None:
        return Facts(ref=ref, notes=(ref.problem,))
    return probe_file(ref, image_readers(), file_readers(), deep=deep)


def probe_all(refs: list[FileRef], jobs: int, deep: bool = False) -> Iterator[Facts]:
    """Facts for every ref, in the order given."""
    fn = functools.partial(probe_one, deep=deep)
    if jobs <= 1 or len(refs) < MIN_FILES_FOR_POOL:
        yield from map(fn, refs)
        return
    chunk = max(1, min(32, len(refs) // (jobs * 8)))
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx) as pool:
        yield from pool.map(fn, refs, chunksize=chunk)


def cached_facts(
    refs: list[FileRef], jobs: int, deep: bool, cache: FactCache | None
) -> Iterator[Facts]:
    """Facts in ref order: cache hits straight from SQLite, misses probed (in parallel)."""
    if cache is None or deep:
        yield from probe_all(refs, jobs, deep)
        return
    hit = [cache.has(r) for r in refs]
    probed = probe_all([r for r, h in zip(refs, hit, strict=True) if not h], jobs, deep)
    for ref, h in zip(refs, hit, strict=True):
        facts = cache.get(ref) if h else None
        if facts is None:
            facts = next(probed) if not h else probe_one(ref, deep)
            cache.put(facts)
        yield facts
    cache.flush()


def audit(
    refs: list[FileRef], profile: Profile, policy: Policy, jobs: int, deep: bool = False,
    cache: FactCache | None = None,
) -> Iterator[FileResult]:
    """Results for every ref, in order; evaluation runs in this process (it is cheap)."""
    for facts in cached_facts(refs, jobs, deep, cache):
        yield evaluate(facts, profile, policy)
