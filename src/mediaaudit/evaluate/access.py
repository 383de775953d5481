"""Accessibility (WCAG 2.1/2.2 AA: captions 1.2.2, text alternatives 1.1.1) and AI
disclosure (EU AI Act art. 50) from facts.  Pure."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from mediaaudit.evaluate.draft import Draft, draft
from mediaaudit.evaluate.vocab import vocab_term
from mediaaudit.model import Facts, MetaFact

AI_TYPES = {"trainedalgorithmicmedia", "compositewithtrainedalgorithmicmedia",
            "algorithmicmedia", "compositesynthetic", "trainedalgorithmicdata"}


def _lang(source: str) -> str | None:
    return source.rsplit("@", 1)[1] if "@" in source.rsplit(":", 1)[-1] else None


def _texts(facts: Sequence[MetaFact], fld: str) -> list[dict[str, Any]]:
    seen: set[tuple[str, str | None]] = set()
    out = []
    for f in facts:
        if f.field != fld:
            continue
        lang = _lang(f.source)
        if lang == "x-default" and any(_lang(g.source) not in (None, "x-default") and
                                       g.value == f.value for g in facts if g.field == fld):
            continue  # the same text is also given with its real language
        key = (f.value, lang)
        if key not in seen:
            seen.add(key)
            out.append({"text": f.value, "lang": lang, "source": f.source.split("@")[0]})
    return out


def accessibility(f: Facts, declared: str | None) -> tuple[dict[str, Any] | None, list[Draft]]:
    kind = f.media.kind
    out: list[Draft] = []
    if kind == "video":
        caps: list[dict[str, Any]] = [
            {"source": "embedded", "format": t.format, "language": t.language,
             "title": t.title}
            for t in f.media.tracks if t.kind == "text"]
        for m in f.meta:
            if m.field == "caption":
                info = json.loads(m.value)
                if info.get("cues", 0) == 0:
                    out.append(draft("MA-ACC-003", m.source, file=info.get("file")))
                    continue
                caps.append({"source": "sidecar", **info})
        if declared:
            out.append(draft("MA-ACC-004", "config", how=declared))
        elif not caps:
            out.append(draft("MA-ACC-001", None))
        return {"captions": caps, "captions_declared": declared}, out
    if kind in ("image", "vector"):
        alt = _texts(f.meta, "alt_text")
        ext = _texts(f.meta, "ext_description")
        if not alt:
            out.append(draft("MA-ACC-002", None))
        return {"alt_text": alt, "extended_description": ext}, out
    return None, out


def provenance(f: Facts) -> tuple[dict[str, Any] | None, list[Draft]]:
    if f.media.kind not in ("image", "vector", "video", "audio"):
        return None, []
    dst = [m for m in f.meta if m.field == "digital_source_type"]
    systems = [m.value for m in f.meta if m.field == "ai_system"]
    c2pa = [m for m in f.meta if m.field == "c2pa"]
    terms = [vocab_term(d.value) for d in dst]
    ai = [t for t in terms if t.lower() in AI_TYPES]
    out: list[Draft] = []
    if ai:
        out.append(draft("MA-AI-001", dst[0].source, value=ai[0]))
    state = next((m.value for m in f.meta if m.field == "c2pa_state"), None)
    state = state or ("present_unverified" if c2pa else "absent")
    first = {fld: next((m.value for m in f.meta if m.field == fld), None)
             for fld in ("c2pa_signer", "c2pa_generator", "c2pa_error")}
    if state == "invalid":
        out.append(draft("MA-AI-002", "c2pa", reason=first["c2pa_error"] or "validation failed"))
    block = {
        "digital_source_type": terms[0] if terms else None,
        "ai_generated": bool(ai),
        "ai_system": systems[0] if systems else None,
        "c2pa": {"state": state, "where": c2pa[0].source if c2pa else None,
                 "signer": first["c2pa_signer"], "claim_generator": first["c2pa_generator"]},
    }
    return block, out
