"""One fix run, from the originals' audits to the records: the path ``mediaaudit fix``
and ``watch --fix`` share.

Audit the originals (``scan.audit``), plan each (``plan``), convert and place what a
conversion can fix (``place``), audit every derivative again with the same profile and
policy, and say per derivative what still keeps it from passing.  No printing: the
command line prints the results, the watcher logs and routes them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from mediaaudit import codes, manifest
from mediaaudit.containers import unpack
from mediaaudit.fix import provenance
from mediaaudit.fix.place import Original, Placed, Unsafe, convert
from mediaaudit.fix.plan import Action, Options, Plan, plan, still_blocking
from mediaaudit.fix.texts import Why, say
from mediaaudit.fsnames import within
from mediaaudit.model import FileRef, FileResult
from mediaaudit.policy import Policy
from mediaaudit.profile import Profile
from mediaaudit.scan import DEFAULT_TIMEOUT, audit
from mediaaudit.walk import walk
from mediaaudit.writers.common import fix_hint, one_line


@dataclass(frozen=True)
class Fixed:
    """A derivative in place, with its own audit."""

    original: Original
    plan: Plan
    placed: Placed
    audit: FileResult


@dataclass(frozen=True)
class NotFixed:
    original: Original
    why: Why
    blocking: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    fixed: list[Fixed]
    not_fixed: list[NotFixed]
    unchanged: list[tuple[Original, Why]]


def originals(paths: Sequence[str], real_out: str, profile: Profile, policy: Policy,
              jobs: int, keep: ExitStack) -> list[Original]:
    """Every file under PATHS (not under --out), with its path relative to its root.  The
    members of delivery archives are among them, unpacked until ``keep`` closes (their
    derivatives go to ``ARCHIVE/MEMBER`` under --out, as the manifest names them)."""
    found: dict[str, tuple[FileRef, str]] = {}
    for p in paths:
        walked, _ = walk([p])
        refs = keep.enter_context(unpack(walked)).refs
        is_dir = os.path.isdir(p)
        for r in refs:
            if r.member is None and within(os.path.realpath(r.path), real_out):  # a link
                continue
            base = p if is_dir else os.path.dirname(p) or "."
            rel = (os.path.relpath(r.where, base) if r.member is not None or is_dir
                   else os.path.basename(r.path))
            found.setdefault(r.display, (r, rel))
    items = sorted(found.values(), key=lambda x: x[0].display)
    results = audit([r for r, _ in items], profile, policy, jobs)
    return [Original(r, rel, res) for (r, rel), res in zip(items, results, strict=True)]


def reaudit(paths: Sequence[tuple[str, str]], profile: Profile, policy: Policy,
            jobs: int) -> list[FileResult]:
    """The derivatives' audits (real path, path shown), with the same profile and
    policy as the originals."""
    refs = []
    for path, display in paths:
        st = os.stat(path)
        refs.append(FileRef(path, display, st.st_size, st.st_mtime_ns, ctime_ns=st.st_ctime_ns,
                            inode=st.st_ino))
    return list(audit(refs, profile, policy, jobs, timeout=DEFAULT_TIMEOUT))


def fix_all(items: Sequence[Original], opts: Options, root: str, shown_root: str,
            timeout: float, profile: Profile, policy: Policy, jobs: int, lang: str,
            tick: Callable[[], None] = lambda: None) -> Outcome:
    """Plan, convert and place every original; audit the derivatives.  ``tick`` is
    called after each conversion (the progress bar)."""
    placed: list[tuple[Original, Plan, Placed]] = []
    not_fixed: list[NotFixed] = []
    unchanged: list[tuple[Original, Why]] = []
    for o in items:
        pl = plan(o.result, opts, lang)
        if pl.action is Action.NOTHING:
            unchanged.append((o, pl.reason or Why("passes_already")))
            continue
        if pl.action is Action.REFUSE:
            not_fixed.append(NotFixed(o, pl.reason or Why("could_not_audit"), pl.blocking))
            continue
        try:
            got = convert(o, pl, opts, root, shown_root, timeout, lang)
        except Unsafe as exc:
            not_fixed.append(NotFixed(o, exc.why))
            continue
        finally:
            tick()
        if isinstance(got, Placed):
            placed.append((o, pl, got))
        else:
            not_fixed.append(NotFixed(o, got.why or Why("no_result")))
    audits = reaudit([(p.path, p.display) for _, _, p in placed], profile, policy, jobs)
    fixed = [Fixed(o, pl, p, a) for (o, pl, p), a in zip(placed, audits, strict=True)]
    return Outcome(fixed, not_fixed, unchanged)


def blockers(result: FileResult, lang: str) -> list[str]:
    """What still keeps a derivative from passing, one line per code: the code, its
    message and the one-line fix, in ``lang``."""
    out = []
    for code in still_blocking(result):
        f = next(x for x in result.findings if x.code == code)
        out.append(one_line(say("still_blocks", lang, code=code,
                                message=codes.render(code, f.params, lang),
                                fix=fix_hint(code, lang))))
    return out


def derivative_record(f: Fixed, strip: bool, lang: str) -> dict[str, Any]:
    """The fix manifest's entry for one derivative (``provenance``)."""
    o, res = f.original, f.audit
    entry = manifest.file_entry(res, lang)
    record = provenance.derivative_entry(
        {"path": o.ref.display, "sha256": o.result.facts.sha256, "size": o.ref.size,
         "outcome": o.result.outcome.value,
         "findings": [x.code for x in o.result.findings]},
        {"path": f.placed.display, "sha256": res.facts.sha256, "size": res.facts.ref.size},
        {"action": f.plan.action.value, "conversion": f.placed.done.settings,
         "metadata": f.placed.done.metadata, "strip_location": strip},
        list(f.placed.sidecars), entry, provenance.content_credentials(o.result))
    record["still_blocking"] = still_blocking(res)
    return record


def not_fixed_record(n: NotFixed, lang: str) -> dict[str, Any]:
    return {"path": n.original.ref.display, "sha256": n.original.result.facts.sha256,
            "outcome": n.original.result.outcome.value, "reason": n.why.render(lang),
            "reason_key": n.why.key, "blocking": list(n.blocking)}
