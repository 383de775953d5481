"""The rights gate (design §3-§4): open / owned / licensed / restricted / unknown / conflict.

Pure.  Sources are weighed in the design's order of trust: a sidecar next to the file,
then a folder annotation in the config, then embedded metadata.  The highest tier that
says anything about rights decides; lower tiers stay in the evidence.  Within a tier,
two different licences, or an open licence next to an explicit 'all rights reserved',
is a conflict for a person to resolve.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from mediaaudit.evaluate.draft import Draft, draft
from mediaaudit.licence import Licence, licence_refs, normalise_all
from mediaaudit.model import MetaFact, RightsVerdict
from mediaaudit.policy import Annotation, Policy

RIGHTS_FIELDS = ("licence", "web_statement", "usage_terms", "copyright", "owner", "creator",
                 "credit", "attribution_name", "licensor", "marked", "instructions")
LICENCE_FIELDS = ("licence", "web_statement", "usage_terms", "copyright", "credit")
HOLDER_FIELDS = ("copyright", "owner")
_RESERVED = re.compile(r"all\s+rights\s+reserved|alle\s+rechten\s+voorbehouden|"
                       r"rights\s+reserved|niet\s+vrij\s+van\s+rechten", re.I)
_NOISE = re.compile(
    r"©|\(c\)|\bcopyright\b|\bauteursrecht\b|\bfoto\s*:|\bphoto\s*:|\b(19|20)\d\d\b|"
    r"all\s+rights\s+reserved|alle\s+rechten\s+voorbehouden|rights\s+reserved|"
    r"\bcc[\s_-]*(?:by|0|zero)(?:[\s_-]*(?:nc|nd|sa)\b)*(?:[\s_-]*\d\.\d)?"
    r"(?:[\s_-]*(?:international|internationaal|unported|nl)\b)?|"
    r"creative\s+commons[^,;()]*|\(\s*\)|"
    r"https?://\S+", re.I)


@dataclass(frozen=True)
class _Found:
    licence: Licence
    fact: MetaFact


def tier(fact: MetaFact) -> int:
    """0 = sidecar, 1 = config annotation, 2 = embedded."""
    if fact.source.startswith("sidecar:"):
        return 0
    if fact.source.startswith("config:"):
        return 1
    return 2


def holder_name(text: str) -> str | None:
    """'© 2024 Foto Bureau X. All rights reserved' → 'Foto Bureau X'."""
    s = _NOISE.sub(" ", text)
    s = re.sub(r"\(\s*\)", " ", s)
    s = re.sub(r"\s+", " ", s).strip(" ,.;:-–/|")
    return s or None


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.casefold()).strip()


def is_ours(name: str | None, policy: Policy) -> bool:
    if not name:
        return False
    n = _norm(name)
    return any(re.search(r"(?<!\w)" + re.escape(_norm(o)) + r"(?!\w)", n)
               for o in policy.organisations if o.strip())


def annotation_facts(a: Annotation) -> list[MetaFact]:
    src = f"config:annotations[{a.path}]"
    out = []
    for fld, val in (("licence", a.licence), ("copyright", a.holder), ("creator", a.creator),
                     ("attribution_name", a.attribution)):
        if val:
            out.append(MetaFact(fld, val, src))
    return out


def _attribution(lic: Licence, facts: Sequence[MetaFact]) -> str:
    def first(*fields: str) -> str | None:
        for f in facts:
            if f.field in fields:
                name = f.value if f.field in ("attribution_name", "creator") else holder_name(
                    f.value)
                if name:
                    return name
        return None

    who = first("attribution_name") or first("creator") or first("copyright", "owner")
    parts = [f"© {who}" if who else None, lic.label]
    text = ", ".join(p for p in parts if p)
    return f"{text} ({lic.url})" if lic.url else text


def rights_verdict(
    facts: Sequence[MetaFact], policy: Policy, annotation: Annotation | None
) -> tuple[RightsVerdict, list[Draft]]:
    """Decide the rights status from the facts; return the findings that explain it."""
    evidence = [f for f in facts if f.field in RIGHTS_FIELDS]
    if annotation is not None:
        evidence += annotation_facts(annotation)
    evidence.sort(key=tier)
    if not evidence:
        return RightsVerdict("unknown"), [draft("MA-LIC-001")]
    top = min(tier(f) for f in evidence)
    used = [f for f in evidence if tier(f) == top]
    out: list[Draft] = []

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
        if not lics and not refs and f.field in ("licence", "usage_terms") and not _RESERVED.search(
                f.value):
            unrecognised.append(f)
    holders = [(holder_name(f.value), f) for f in used if f.field in HOLDER_FIELDS]
    creators = [f.value for f in used if f.field in ("creator", "attribution_name", "licensor")]
    ours = any(is_ours(h, policy) for h, _ in holders) or any(is_ours(c, policy)
                                                              for c in creators)
    reserved = [f for f in used if f.field in ("copyright", "usage_terms", "instructions")
                and _RESERVED.search(f.value) and not lics_of[f]]
    holder = next((h for h, _ in holders if h), None)
    creator = creators[0] if creators else None

    distinct = {x.licence.id: x for x in found}
    by_source = {x.fact.source for x in found}
    if len(distinct) > 1 and len(by_source) > 1:
        details = "; ".join(f"{x.fact.source} = {x.licence.id}" for x in distinct.values())
        out.append(draft("MA-LIC-003", None, details=details))
        return RightsVerdict("conflict", holder=holder, creator=creator,
                             evidence=tuple(evidence)), out
    if distinct:
        lic = next(iter(distinct.values())).licence
        if reserved and not ours:
            r = reserved[0]
            details = f"{distinct[lic.id].fact.source} = {lic.id}; {r.source} = '{r.value}'"
            out.append(draft("MA-LIC-003", None, details=details))
            return RightsVerdict("conflict", lic.id, lic.url, holder, creator,
                                 evidence=tuple(evidence)), out
        src = distinct[lic.id].fact.source
        if lic.version is None:
            out.append(draft("MA-LIC-009", src, licence=lic.label))
        if lic.non_commercial:
            out.append(draft("MA-LIC-004", src, licence=lic.label))
        if lic.no_derivatives:
            out.append(draft("MA-LIC-005", src, licence=lic.label))
        attribution = _attribution(lic, used) if lic.needs_attribution else None
        if attribution:
            out.append(draft("MA-LIC-008", src, attribution=attribution))
        return RightsVerdict("open", lic.id, lic.url or None, holder, creator, attribution,
                             tuple(evidence)), out
    if refs:
        allowed = [r for r, _ in refs if r in policy.allowed_licences]
        if allowed:
            return RightsVerdict("licensed", allowed[0], None, holder, creator,
                                 evidence=tuple(evidence)), out
        out.append(draft("MA-LIC-011", refs[0][1].source, licence=refs[0][0]))
        return RightsVerdict("restricted", refs[0][0], None, holder, creator,
                             evidence=tuple(evidence)), out
    if ours:
        return RightsVerdict("owned", None, None, holder or creator, creator,
                             evidence=tuple(evidence)), out
    for f in unrecognised:
        out.append(draft("MA-LIC-006", f.source, value=f.value[:120]))
    if holder or reserved:
        name = holder or "?"
        out.append(draft("MA-LIC-002", (reserved or [holders[0][1]])[0].source, holder=name))
        return RightsVerdict("restricted", None, None, holder, creator,
                             evidence=tuple(evidence)), out
    if not unrecognised:
        out.append(draft("MA-LIC-001"))
    return RightsVerdict("unknown", None, None, holder, creator, evidence=tuple(evidence)), out
