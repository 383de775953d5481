"""Accessibility (WCAG 2.1/2.2 AA: captions 1.2.2, text alternatives 1.1.1) and AI
disclosure (EU AI Act art. 50) from facts.  Pure.

Captions (WCAG 1.2.2) are for the *audio* of synchronised media: a video whose tracks are
known and hold no audio track needs none (``captions_needed: false``, no MA-ACC-001).  When
MediaInfo named no tracks at all the audio is unknown and captions are still asked for.

AI disclosure: MA-AI-001 ("label this post as AI-generated") is raised for the IPTC
digital source types that mean generative (trained) AI made or changed the content, the
content that EU AI Act art. 50 (deep fakes, synthetic image/audio/video) is about:

- ``trainedAlgorithmicMedia`` (made by a trained model, e.g. a text-to-image generator);
- ``compositeWithTrainedAlgorithmicMedia`` (a capture edited or composed with generative
  AI, e.g. generative fill);
- ``compositeSynthetic`` (a composite in which at least one element is synthetic; C2PA
  documents it as "at least one of which is Generative AI", and it cannot be told apart
  from that, so it is labelled).

Not labelled, but still shown as ``digital_source_type`` with ``ai_generated: false``:

- ``algorithmicMedia``: made purely by an algorithm *without* training data (procedural
  graphics, fractals, a formula).  No AI system in the sense of the AI Act made it, and
  labelling every chart or pattern "AI-generated" would be wrong and would wear out the
  label;
- ``dataDrivenMedia`` (a visualisation of data programmed by a person) and
  ``trainedAlgorithmicData`` (C2PA: output of a trained model that is *data*, e.g. CSV,
  not image/video/audio): the medium itself is not synthetic media.

A C2PA ``digitalSourceType`` counts wherever it is in the provenance chain: the active
manifest or any ingredient's manifest (``c2pa.ai_origin`` says which).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from mediaaudit.codes import CodeId
from mediaaudit.evaluate.draft import Draft, draft
from mediaaudit.evaluate.vocab import vocab_term
from mediaaudit.model import C2paState, Facts, MetaFact

AI_TYPES = {"trainedalgorithmicmedia", "compositewithtrainedalgorithmicmedia",
            "compositesynthetic"}
NOT_AI_TYPES = {"algorithmicmedia", "datadrivenmedia", "trainedalgorithmicdata"}
"""Algorithmic or data-driven, but not generative AI: reported, never labelled."""


def _texts(facts: Sequence[MetaFact], fld: str) -> list[dict[str, Any]]:
    seen: set[tuple[str, str | None]] = set()
    out = []
    for f in facts:
        if f.field != fld:
            continue
        lang = f.source.lang
        if lang == "x-default" and any(g.source.lang not in (None, "x-default") and
                                       g.value == f.value for g in facts if g.field == fld):
            continue  # the same text is also given with its real language
        key = (f.value, lang)
        if key not in seen:
            seen.add(key)
            out.append({"text": f.value, "lang": lang,
                        "source": str(replace(f.source, lang=None))})
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
                    out.append(draft(CodeId.CAPTION_FILE_EMPTY, m.source, file=info.get("file")))
                    continue
                caps.append({"source": "sidecar", **info})
        known = bool(f.media.tracks)
        audio = any(t.kind == "audio" for t in f.media.tracks)
        needed = audio or not known
        if declared:
            out.append(draft(CodeId.CAPTIONS_DECLARED, "config", how=declared))
        elif not caps and needed:
            out.append(draft(CodeId.NO_CAPTIONS, None))
        block: dict[str, Any] = {"captions": caps, "captions_declared": declared,
                                 "captions_needed": needed}
        if not needed:
            block["captions_needed_reason"] = "no audio track"
        return block, out
    if kind in ("image", "vector"):
        alt = _texts(f.meta, "alt_text")
        ext = _texts(f.meta, "ext_description")
        if not alt:
            out.append(draft(CodeId.NO_ALT_TEXT, None))
        return {"alt_text": alt, "extended_description": ext}, out
    return None, out


def provenance(f: Facts) -> tuple[dict[str, Any] | None, list[Draft]]:
    if f.media.kind not in ("image", "vector", "video", "audio"):
        return None, []
    dst = [m for m in f.meta if m.field == "digital_source_type"]
    systems = [m.value for m in f.meta if m.field == "ai_system"]
    c2pa = [m for m in f.meta if m.field == "c2pa"]
    terms = [vocab_term(d.value) for d in dst]
    ai = [(t, d.source) for t, d in zip(terms, dst, strict=True) if t.lower() in AI_TYPES]
    out: list[Draft] = []
    if ai:
        out.append(draft(CodeId.AI_GENERATED, ai[0][1], value=ai[0][0]))
    found = next((m.value for m in f.meta if m.field == "c2pa_state"), None)
    state = C2paState(found) if found in set(C2paState) else (
        C2paState.PRESENT_UNVERIFIED if c2pa else C2paState.ABSENT)
    first = {fld: next((m.value for m in f.meta if m.field == fld), None)
             for fld in ("c2pa_signer", "c2pa_generator", "c2pa_error", "c2pa_reason",
                         "c2pa_codes")}
    reason = first["c2pa_reason"] or first["c2pa_error"]
    if state is C2paState.INVALID:
        out.append(draft(CodeId.CONTENT_CREDENTIALS_INVALID, "c2pa",
                         reason=reason or "validation failed"))
    elif state is C2paState.UNVERIFIABLE:
        out.append(draft(CodeId.CONTENT_CREDENTIALS_UNVERIFIABLE, "c2pa",
                         reason=reason or "not verified"))
    origins = [json.loads(m.value) for m in f.meta if m.field == "c2pa_ai_origin"]
    block = {
        "digital_source_type": ai[0][0] if ai else (terms[0] if terms else None),
        "ai_generated": bool(ai),
        "ai_system": systems[0] if systems else None,
        "c2pa": {"state": state, "where": str(c2pa[0].source) if c2pa else None,
                 "signer": first["c2pa_signer"], "claim_generator": first["c2pa_generator"],
                 "reason": reason if state in (C2paState.INVALID, C2paState.UNVERIFIABLE)
                 else None,
                 "codes": json.loads(first["c2pa_codes"]) if first["c2pa_codes"] else [],
                 "ai_origin": [{**o, "digital_source_type": vocab_term(o["digital_source_type"]),
                                "ai": vocab_term(o["digital_source_type"]).lower() in AI_TYPES}
                               for o in origins]},
    }
    return block, out
