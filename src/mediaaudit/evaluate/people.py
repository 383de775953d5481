"""Portrait rights and privacy (AVG) checks from metadata facts.  Pure."""

from __future__ import annotations

from collections.abc import Sequence

from mediaaudit.codes import CodeId
from mediaaudit.evaluate.draft import Draft, draft
from mediaaudit.evaluate.names import is_placeholder
from mediaaudit.evaluate.vocab import vocab_term
from mediaaudit.model import MetaFact

RELEASED = {"mr-umr", "mr-lmr"}
NO_RELEASE = {"mr-non"}


def _last(value: str) -> str:
    return vocab_term(value).lower()


def portrait(facts: Sequence[MetaFact]) -> list[Draft]:
    """People depicted without a release → warning; a release marked 'none' → error."""
    people = [f.value for f in facts if f.field == "person"]
    ages = [f for f in facts if f.field == "model_age"]
    faces = [f for f in facts if f.field == "region_type"]
    releases = [f for f in facts if f.field == "model_release"]
    for r in releases:
        if _last(r.value) in NO_RELEASE:
            return [draft(CodeId.RELEASE_NONE, r.source, value=_last(r.value).upper())]
    depicted = people or ages or faces
    if depicted and not any(_last(r.value) in RELEASED for r in releases):
        if people:
            who = ", ".join(people[:5])
        elif faces:
            who = f"{len(faces)} face(s)"
        else:
            who = "model age given"
        src = (depicted[0].source if isinstance(depicted[0], MetaFact) else None)
        return [draft(CodeId.PEOPLE_WITHOUT_RELEASE, src, people=who)]
    return []


def privacy(facts: Sequence[MetaFact]) -> list[Draft]:
    """GPS position, device serial numbers and owner names."""
    out: list[Draft] = []
    gps = [f for f in facts if f.field in ("gps", "gps_lat", "gps_lon")]
    if gps:
        where = ", ".join(sorted({f"{f.source}: {f.value}"[:80] for f in gps
                                  if f.field != "gps_lon"}))
        out.append(draft(CodeId.GPS_POSITION, gps[0].source,
                         where=where or str(gps[0].source)))
    for f in facts:  # 'unknown' or '0000' is a camera's default, not personal data
        if f.field == "serial" and not is_placeholder(f.value) and f.value.strip("0 "):
            out.append(draft(CodeId.DEVICE_SERIAL, f.source, value=f.value))
            break
    for f in facts:
        if f.field == "owner_name" and not is_placeholder(f.value):
            out.append(draft(CodeId.OWNER_NAME, f.source, value=f.value))
            break
    return out
