"""The rights gate: open / owned / licensed / restricted / unknown / conflict.

Pure.  Sources are weighed in order of trust: a sidecar next to the file,
then a folder annotation in the config, then embedded metadata.  The highest tier that
says anything about rights decides; lower tiers stay in the evidence.  Within a tier,
two different licences, or an open licence next to an explicit 'all rights reserved',
is a conflict for a person to resolve.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from mediaaudit.codes import CodeId
from mediaaudit.evaluate.credit import credit_line
from mediaaudit.evaluate.draft import Draft, draft
from mediaaudit.evaluate.names import PUBLIC_DOMAIN, all_ours, clean_name
from mediaaudit.licence import (
    ExpressionUnreadable,
    Licence,
    agrees,
    evaluate_expression,
    licence_refs,
    normalise_all,
)
from mediaaudit.model import (
    SPDX_LICENCE,
    FactOrigin,
    FactSource,
    MetaFact,
    RightsStatus,
    RightsVerdict,
)
from mediaaudit.policy import Annotation, Policy

RIGHTS_FIELDS = ("licence", "web_statement", "usage_terms", "copyright", "owner", "creator",
                 "credit", "attribution_name", "licensor", "marked", "instructions")
LICENCE_FIELDS = ("licence", "web_statement", "usage_terms", "copyright", "credit")
HOLDER_FIELDS = ("copyright", "owner")
# 'Some rights reserved' is the Creative Commons tagline, not a reservation.
_RESERVED = re.compile(r"all\s+rights?\s+reserved|alle\s+rechten\s+voorbehouden|"
                       r"(?<!some\s)rights\s+reserved|niet\s+vrij\s+van\s+rechten", re.I)
# Where the IPTC-IIM and XMP versions of one field sit (Metadata Working Group pairs).
IPTC_PAIRS = {FactSource(FactOrigin.IPTC, "2:116"): "copyright",
              FactSource(FactOrigin.IPTC, "2:80"): "creator",
              FactSource(FactOrigin.IPTC, "2:110"): "credit"}
# The XMP that those pairs compare with: the file's own packets, not a sidecar's.
EMBEDDED_XMP = frozenset({FactOrigin.XMP, FactOrigin.XMP_EXTENDED})
# The tiers of trust: a sidecar, then a folder annotation, then (2) anything embedded.
TIERS = {FactOrigin.SIDECAR: 0, FactOrigin.CONFIG: 1}
# A probe sets this fact when the IPTC digest does not match the IPTC data: a program that
# knows only IPTC-IIM changed it after the XMP was written, so IPTC is the current value.
IPTC_CHANGED = "iptc_changed"


@dataclass(frozen=True)
class _Found:
    licence: Licence
    fact: MetaFact


def tier(fact: MetaFact) -> int:
    """0 = sidecar, 1 = config annotation, 2 = embedded."""
    return TIERS.get(fact.source.origin, 2)


def annotation_facts(a: Annotation) -> list[MetaFact]:
    src = FactSource(FactOrigin.CONFIG, f"annotations[{a.path}]")
    out = []
    for fld, val in (("licence", a.licence), ("copyright", a.holder), ("creator", a.creator),
                     ("attribution_name", a.attribution)):
        if val:
            out.append(MetaFact(fld, val, src))
    return out


def reconcile_iptc(evidence: list[MetaFact], all_facts: Sequence[MetaFact]) -> list[MetaFact]:
    """Metadata Working Group rule: when XMP and IPTC-IIM both give a field, XMP is the
    current value (it is Unicode; old IPTC is often Latin-1 shown as mojibake), unless
    the IPTC digest says IPTC was changed after the XMP was written."""
    iptc_newer = any(f.field == IPTC_CHANGED for f in all_facts)
    xmp_fields = {f.field for f in evidence if f.source.origin in EMBEDDED_XMP}
    iptc_fields = {IPTC_PAIRS[f.source] for f in evidence if f.source in IPTC_PAIRS}

    def keep(f: MetaFact) -> bool:
        if iptc_newer:
            return not (f.source.origin in EMBEDDED_XMP and f.field in iptc_fields)
        return not (f.source in IPTC_PAIRS and IPTC_PAIRS[f.source] in xmp_fields)

    return [f for f in evidence if keep(f)]


def _is_spdx(f: MetaFact) -> bool:
    """Values written as SPDX expressions: REUSE sidecars and config annotations."""
    return f.field == "licence" and (f.source.tag == SPDX_LICENCE
                                     or f.source.origin is FactOrigin.CONFIG)


def _open_findings(lics: Sequence[Licence], src: FactSource) -> list[Draft]:
    out = []
    for lic in lics:
        if lic.version is None:
            out.append(draft(CodeId.LICENCE_VERSION_MISSING, src, licence=lic.label))
        if lic.non_commercial:
            out.append(draft(CodeId.NON_COMMERCIAL, src, licence=lic.label))
        if lic.no_derivatives:
            out.append(draft(CodeId.NO_DERIVATIVES, src, licence=lic.label))
    return out


def _attribute(lics: Sequence[Licence], names: Sequence[MetaFact], holder: str | None,
               src: FactSource) -> tuple[str | None, list[Draft]]:
    """The credit line for the licences that demand one, or MA-LIC-012 when nobody can be
    named (a nameless 'CC BY 4.0' line would not satisfy the licence).  ``names`` is all
    the evidence, most trusted first: a sidecar may give the licence while the photo
    itself names its maker."""
    need = [lic for lic in lics if lic.needs_attribution]
    if not need:
        return None, []
    line = credit_line(need[0], names, holder)
    if line is None:
        return None, [draft(CodeId.ATTRIBUTION_IMPOSSIBLE, src, licence=need[0].label)]
    return line, [draft(CodeId.ATTRIBUTION_REQUIRED, src, attribution=line)]


def _spdx_verdict(spdx: Sequence[MetaFact], policy: Policy,
                  base: RightsVerdict) -> tuple[RightsVerdict, list[Draft]]:
    """A sidecar's or annotation's SPDX expression decides on its own (several lines are
    combined with AND, as REUSE does)."""
    text = " AND ".join(f"({f.value})" if len(spdx) > 1 else f.value for f in spdx)
    src = spdx[0].source
    try:
        res = evaluate_expression(text, policy.allowed_licences)
    except ExpressionUnreadable:
        unread = draft(CodeId.LICENCE_UNRECOGNISED, src, value=text[:120])
        return replace(base, status=RightsStatus.UNKNOWN), [unread]
    if not res.allowed:
        blocking = res.blocking or text
        return (replace(base, status=RightsStatus.RESTRICTED, licence=blocking),
                [draft(CodeId.LICENCE_NOT_ALLOWED, src, licence=blocking)])
    chosen = " AND ".join(res.chosen)
    opens = list(res.licences)
    status = RightsStatus.OPEN if len(opens) == len(res.chosen) else RightsStatus.LICENSED
    url = opens[0].url if len(res.chosen) == 1 and opens and opens[0].url else None
    out = _open_findings(opens, src)
    attribution, adrafts = _attribute(opens, base.evidence, base.holder, src)
    out += adrafts
    if chosen != text:
        out.append(draft(CodeId.LICENCE_CHOICE, src, expression=text, chosen=chosen))
    return replace(base, status=status, licence=chosen, licence_url=url,
                   attribution=attribution), out


def rights_verdict(
    facts: Sequence[MetaFact], policy: Policy, annotation: Annotation | None
) -> tuple[RightsVerdict, list[Draft]]:
    """Decide the rights status from the facts; return the findings that explain it."""
    evidence = [f for f in facts if f.field in RIGHTS_FIELDS]
    if annotation is not None:
        evidence += annotation_facts(annotation)
    evidence = reconcile_iptc(evidence, facts)
    evidence.sort(key=tier)
    if not evidence:
        return RightsVerdict(RightsStatus.UNKNOWN), [draft(CodeId.RIGHTS_UNKNOWN)]
    top = min(tier(f) for f in evidence)
    used = [f for f in evidence if tier(f) == top]

    pd_facts = [f for f in used if (f.field in (*LICENCE_FIELDS, "instructions")
                                    and PUBLIC_DOMAIN.search(f.value))
                or (f.field == "marked" and f.value.strip().lower() == "false")]
    holders = [(h, f) for f in used if f.field in HOLDER_FIELDS
               if (h := clean_name(f.value)) is not None]
    creators = [c for c in (clean_name(f.value) for f in used
                            if f.field in ("creator", "attribution_name", "licensor")) if c]
    holder = holders[0][0] if holders else None
    creator = creators[0] if creators else None
    ours = (all_ours([h for h, _ in holders], policy.organisations) if holders
            else all_ours(creators, policy.organisations))
    base = RightsVerdict(RightsStatus.UNKNOWN, holder=holder, creator=creator,
                         evidence=tuple(evidence))

    spdx = [f for f in used if _is_spdx(f)]
    if spdx:
        return _spdx_verdict(spdx, policy, base)

    # each licence-bearing value is normalised once (used for licences and for notices)
    lics_of = {f: normalise_all(f.value) for f in used
               if f.field in LICENCE_FIELDS or f.field == "instructions"}
    found: list[_Found] = []
    refs: list[tuple[str, MetaFact]] = []
    unrecognised: list[MetaFact] = []
    for f in used:
        if f.field not in LICENCE_FIELDS:
            continue
        lics = lics_of[f]
        found += [_Found(x, f) for x in lics]
        refs += [(r, f) for r in licence_refs(f.value)]
        if (not lics and not refs and f.field in ("licence", "usage_terms")
                and not _RESERVED.search(f.value) and f not in pd_facts):
            unrecognised.append(f)
    reserved = [f for f in used if f.field in ("copyright", "usage_terms", "instructions")
                and _RESERVED.search(f.value) and not lics_of[f]]
    out: list[Draft] = []

    distinct = _merge_agreeing({x.licence.id: x for x in found})
    if len(distinct) > 1:
        details = "; ".join(f"{x.fact.source} = {x.licence.id}" for x in distinct.values())
        out.append(draft(CodeId.RIGHTS_CONFLICT, None, details=details))
        return replace(base, status=RightsStatus.CONFLICT), out
    if distinct:
        lic = next(iter(distinct.values())).licence
        if reserved and not ours:
            r = reserved[0]
            details = f"{distinct[lic.id].fact.source} = {lic.id}; {r.source} = '{r.value}'"
            out.append(draft(CodeId.RIGHTS_CONFLICT, None, details=details))
            verdict = replace(base, status=RightsStatus.CONFLICT, licence=lic.id,
                              licence_url=lic.url or None)
            return verdict, out
        src = distinct[lic.id].fact.source
        out += _open_findings([lic], src)
        attribution, adrafts = _attribute([lic], evidence, holder, src)
        out += adrafts
        return replace(base, status=RightsStatus.OPEN, licence=lic.id, licence_url=lic.url or None,
                        attribution=attribution), out
    if refs:
        allowed = [r for r, _ in refs if r in policy.allowed_licences]
        if allowed:
            return replace(base, status=RightsStatus.LICENSED, licence=allowed[0]), out
        out.append(draft(CodeId.LICENCE_NOT_ALLOWED, refs[0][1].source, licence=refs[0][0]))
        return replace(base, status=RightsStatus.RESTRICTED, licence=refs[0][0]), out
    if ours:
        return replace(base, status=RightsStatus.OWNED, holder=holder or creator), out
    if (holders or reserved) and pd_facts:
        details = f"{pd_facts[0].source} = '{pd_facts[0].value[:60]}'; " + (
            f"{holders[0][1].source} = '{holders[0][1].value[:60]}'" if holders
            else f"{reserved[0].source} = '{reserved[0].value[:60]}'")
        out.append(draft(CodeId.RIGHTS_CONFLICT, None, details=details))
        return replace(base, status=RightsStatus.CONFLICT), out
    if holders or reserved:
        name = holder or creator or "?"
        src = holders[0][1].source if holders else reserved[0].source
        out.append(draft(CodeId.RIGHTS_RESTRICTED, src, holder=name))
        return replace(base, status=RightsStatus.RESTRICTED), out
    if pd_facts:
        pd = pd_facts[0]
        out.append(draft(CodeId.PUBLIC_DOMAIN_UNCLEAR, pd.source, value=pd.value[:120]))
        return replace(base, status=RightsStatus.UNKNOWN), out
    for f in unrecognised:
        out.append(draft(CodeId.LICENCE_UNRECOGNISED, f.source, value=f.value[:120]))
    if not unrecognised:
        credits = [clean_name(f.value) for f in used if f.field == "credit"]
        named = creators or [c for c in credits if c]
        if named:
            out.append(draft(CodeId.LICENCE_MISSING, None, who=", ".join(named[:3])))
        else:
            out.append(draft(CodeId.RIGHTS_UNKNOWN))
    return replace(base, status=RightsStatus.UNKNOWN), out


def _merge_agreeing(distinct: dict[str, _Found]) -> dict[str, _Found]:
    """'CC BY' in one field and ``/licenses/by/4.0/`` in another say the same thing: keep
    the precise one.  Only licences that really differ are a conflict."""
    keep = dict(distinct)
    for k, x in distinct.items():
        if any(k != j and agrees(x.licence, y.licence) for j, y in distinct.items()):
            keep.pop(k, None)
    return keep
