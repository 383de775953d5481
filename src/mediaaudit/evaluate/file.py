"""Evaluate one file: format gate, rights gate, other checks, policy, outcome."""

from __future__ import annotations

from mediaaudit import codes
from mediaaudit.evaluate.access import accessibility, provenance
from mediaaudit.evaluate.actions import actions
from mediaaudit.evaluate.draft import Draft
from mediaaudit.evaluate.format import format_verdict
from mediaaudit.evaluate.outcome import decide
from mediaaudit.evaluate.people import portrait, privacy
from mediaaudit.evaluate.rights import rights_verdict
from mediaaudit.model import Facts, FileResult, Finding, NvfStatus
from mediaaudit.policy import Policy
from mediaaudit.profile import Profile


def _apply(drafts: list[Draft], policy: Policy) -> tuple[list[Finding], bool]:
    """Give drafts their policy severity; drop ignored ones (but remember unaudited)."""
    out: list[Finding] = []
    unaudited = False
    seen: set[tuple[str, str]] = set()
    for d in drafts:
        if codes.get(d.code).unaudited:
            unaudited = True
        key = (d.code, repr(sorted(d.params.items())))
        if key in seen:
            continue
        seen.add(key)
        sev = policy.severity(d.code)
        if sev is None and not codes.get(d.code).unaudited:
            continue
        out.append(Finding(d.code, sev or codes.get(d.code).severity, dict(d.params), d.source))
    return out, unaudited


def evaluate(facts: Facts, profile: Profile, policy: Policy) -> FileResult:
    """Pure: the same facts, profile and policy always give the same result."""
    drafts = [Draft(n.code, n.params, n.source) for n in facts.notes]
    fmt, fdrafts = format_verdict(facts, profile)
    drafts += fdrafts
    rights = None
    if fmt.status is not NvfStatus.UNKNOWN or facts.meta:
        rights, rdrafts = rights_verdict(facts.meta, policy,
                                         policy.annotation_for_path(facts.ref.where))
        drafts += rdrafts + portrait(facts.meta) + privacy(facts.meta)
    ann = policy.annotation_for_path(facts.ref.where)
    acc, adrafts = accessibility(facts, ann.captions if ann else None)
    prov, pdrafts = provenance(facts)
    drafts += adrafts + pdrafts
    findings, unaudited = _apply(drafts, policy)
    outcome = decide(findings, fmt.status, unaudited)
    todo = actions(outcome, findings, rights, acc, prov)
    return FileResult(facts, outcome, fmt, rights, tuple(findings), acc, prov, todo)
