"""The scan pipeline: walk → probe (parallel, ordered) → evaluate.

Probing is the only expensive part, so it alone runs in worker processes (``pool``),
which return results in input order; the input is sorted, so the manifest order never
depends on ``--jobs``.  Every file gets a time limit; a hung or crashed worker costs one
file, not the scan.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import signal
import time
from collections.abc import Iterator

from mediaaudit.cache import FactCache
from mediaaudit.evaluate import evaluate
from mediaaudit.model import Facts, FileRef, FileResult
from mediaaudit.policy import Policy
from mediaaudit.pool import SupervisedPool, run_inline
from mediaaudit.probe import probe_file
from mediaaudit.probe.readers import file_readers, image_readers
from mediaaudit.profile import Profile

MIN_FILES_FOR_POOL = 24
DEFAULT_TIMEOUT = 60.0


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _injected_fault(ref: FileRef) -> None:
    """Test seam: MEDIAAUDIT_TEST_FAULT="hang:GLOB,crash:GLOB,slow:GLOB" makes the probe
    of a matching file name hang, die by SIGSEGV or take 0.2 s, so the supervision of real hangs and
    native crashes can be tested end to end.  Unset in normal use."""
    spec = os.environ.get("MEDIAAUDIT_TEST_FAULT")
    if not spec:
        return
    name = os.path.basename(ref.path)
    for item in spec.split(","):
        kind, _, pattern = item.partition(":")
        if pattern and fnmatch.fnmatchcase(name, pattern):
            if kind == "hang":
                time.sleep(3600)
            elif kind == "slow":
                time.sleep(0.2)
            elif kind == "crash":
                os.kill(os.getpid(), signal.SIGSEGV)


def probe_one(ref: FileRef, deep: bool = False) -> Facts:
    """Top-level (picklable) probe with the standard readers."""
    if ref.problem is not None:
        return Facts(ref=ref, notes=(ref.problem,))
    _injected_fault(ref)
    return probe_file(ref, image_readers(), file_readers(), deep=deep)


def probe_all(
    refs: list[FileRef], jobs: int, deep: bool = False, timeout: float = DEFAULT_TIMEOUT
) -> Iterator[Facts]:
    """Facts for every ref, in the order given, each within ``timeout`` seconds."""
    fn = functools.partial(probe_one, deep=deep)
    if jobs <= 1 or len(refs) < MIN_FILES_FOR_POOL:
        yield from run_inline(fn, refs, timeout)
        return
    chunk = max(1, min(32, len(refs) // (jobs * 8)))
    yield from SupervisedPool(fn, jobs, timeout, chunk).run(refs)


def cached_facts(
    refs: list[FileRef], jobs: int, deep: bool, cache: FactCache | None,
    timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[Facts]:
    """Facts in ref order: cache hits straight from SQLite, misses probed (in parallel)."""
    if cache is None or deep:
        yield from probe_all(refs, jobs, deep, timeout)
        return
    raw = [cache.lookup(r) for r in refs]  # JSON strings: compact until needed
    probed = probe_all([r for r, h in zip(refs, raw, strict=True) if h is None], jobs, deep,
                       timeout)
    for ref, hit in zip(refs, raw, strict=True):
        facts = cache.decode(hit, ref) if hit is not None else None
        if facts is None:
            facts = next(probed) if hit is None else probe_one(ref, deep)
            cache.put(facts)
        yield facts
    cache.flush()


def audit(
    refs: list[FileRef], profile: Profile, policy: Policy, jobs: int, deep: bool = False,
    cache: FactCache | None = None, timeout: float = DEFAULT_TIMEOUT,
) -> Iterator[FileResult]:
    """Results for every ref, in order; evaluation runs in this process (it is cheap)."""
    for facts in cached_facts(refs, jobs, deep, cache, timeout):
        yield evaluate(facts, profile, policy)
