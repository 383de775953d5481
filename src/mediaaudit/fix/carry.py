"""What the audit found outside the original, to be written into the derivative's XMP.

A sidecar travels with the derivative only as long as someone keeps them together, and
a folder's ``[[annotations]]`` apply to the original's path only: a derivative under
``--out`` (or in watch's approved folder) would lose them and fail ``MA-LIC-001``
(issue 21).  So the rights the audit decided from a sidecar or an annotation (licence,
holder, creator, credit line) and alt text from a sidecar are written into the
derivative's XMP, in the properties ``scan`` reads, and the derivative carries them
wherever it goes.  Rights decided from the file's own metadata are carried by copying
that metadata and are not written twice.  Pure: from the original's audit to a
mapping of exiv2 XMP keys (``pyexiv2.modify_xmp``).
"""

from __future__ import annotations

from typing import Any

from mediaaudit.evaluate.rights import tier
from mediaaudit.model import FactOrigin, FileResult, RightsStatus

_PASSING = (RightsStatus.OPEN, RightsStatus.OWNED, RightsStatus.LICENSED)
_DEFAULT = 'lang="x-default"'


def outside(result: FileResult) -> dict[str, Any]:
    """exiv2 XMP key → value for the facts that came from outside the file."""
    out: dict[str, Any] = {}
    rights = result.rights
    if rights is not None and rights.status in _PASSING and any(
            tier(f) < 2 for f in rights.evidence):
        licence = rights.licence_url or rights.licence
        if licence:
            out["Xmp.cc.license"] = licence
            out["Xmp.xmpRights.Marked"] = "True"
            if rights.licence_url:
                out["Xmp.xmpRights.WebStatement"] = rights.licence_url
        if rights.holder:
            out["Xmp.dc.rights"] = {_DEFAULT: rights.holder}
            out["Xmp.xmpRights.Owner"] = [rights.holder]
        given = {f.field: f.value for f in reversed(rights.evidence) if tier(f) < 2}
        if given.get("creator"):
            out["Xmp.dc.creator"] = [given["creator"]]
        if given.get("attribution_name"):  # the licensor's own wording of the credit
            out["Xmp.cc.attributionName"] = given["attribution_name"]
            out["Xmp.photoshop.Credit"] = given["attribution_name"]
    alts = [f for f in result.facts.meta
            if f.field == "alt_text" and f.source.origin is FactOrigin.SIDECAR]
    if alts and not any(f.field == "alt_text" and f.source.origin is not FactOrigin.SIDECAR
                        for f in result.facts.meta):
        out["Xmp.iptc.AltTextAccessibility"] = {_DEFAULT: alts[0].value}
    return out
