"""JPEG 2000 (JP2 and bare codestreams): jpylyzer's structural tests."""

from __future__ import annotations

from typing import IO, Any

from mediaaudit.codes import Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.bmff import Box, boxes, child
from mediaaudit.probe.structure.common import num

_ICC_HEADER = 128  # every ICC profile begins with a 128-byte header

# jpylyzer's tests that mean "incomplete", not merely "non-conformant".
_J2K_DAMAGE = {
    "boxLengthIsValid": Why.J2K_BOX_LENGTH,
    "foundEOCMarker": Why.J2K_NO_EOC_MARKER,
    "foundNextTilePartOrEOC": Why.J2K_TILE_PART_PAST_END,
    "foundExpectedNumberOfTileParts": Why.J2K_TILE_PARTS_MISSING,
    "foundExpectedNumberOfTiles": Why.J2K_TILES_MISSING,
    "foundSODMarker": Why.J2K_TILE_PART_EMPTY,
    "containsContiguousCodestreamBox": Why.J2K_NO_CODESTREAM_BOX,
    "codestreamStartsWithSOCMarker": Why.J2K_NO_SOC,
    "containsImageHeaderBox": Why.J2K_NO_IMAGE_HEADER,
    "foundCODMarker": Why.J2K_NO_COD,
    "foundQCDMarker": Why.J2K_NO_QCD,
    # the JP2 header must describe the codestream it wraps (fuzzed files break this)
    "containsColourSpecificationBox": Why.J2K_NO_COLOUR_BOX,
    "heightConsistentWithSIZ": Why.J2K_HEADER_CONTRADICTS,
    "widthConsistentWithSIZ": Why.J2K_HEADER_CONTRADICTS,
    "nCConsistentWithSIZ": Why.J2K_HEADER_CONTRADICTS,
    "bPCSignConsistentWithSIZ": Why.J2K_DEPTH_CONTRADICTS,
    "bPCDepthConsistentWithSIZ": Why.J2K_DEPTH_CONTRADICTS,
}


def _quiet(msg: str) -> None:
    pass


def _jpylyzer(path: str, fmt: str) -> list[str] | None:
    """jpylyzer's damage-class failures, or None when it could not judge the file."""
    from jpylyzer import jpylyzer as jp
    from jpylyzer import shared

    shared.printWarning = _quiet  # it writes to stderr; the scan reports via findings
    try:
        res: Any = jp.checkOneFile(path, fmt)
    except Exception:  # a third-party parser on hostile input: fall back to our walk
        return None
    if res.findtext("statusInfo/success") != "True":
        return None
    if res.findtext("isValid") == "True":
        return []
    tests = res.find("tests")
    failed = {e.tag for e in tests.iter() if e.text == "False"} if tests is not None else set()
    return [_why(w) for w in dict.fromkeys(w for tag, w in _J2K_DAMAGE.items() if tag in failed)]


def _j2k_tail(f: IO[bytes], end: int) -> bool:
    f.seek(end - 2)
    return f.read(2) == b"\xff\xd9"


def _colour_without_profile(f: IO[bytes], found: list[Box]) -> str | None:
    """A colour specification box whose method says "ICC profile" (2 or 3) but which holds
    fewer bytes than an ICC header: the header box describes a colour space it does not
    have, so a decoder that trusts it has none (jpylyzer's ``iccSizeIsValid``).  Other ICC
    conformance tests (profile class, version) stay conformance: real files fail them.
    Only the first colour box counts: readers use it and ignore the others (ISO/IEC
    15444-1, I.5.3.3)."""
    header = next((b for b in found if b.typ == b"jp2h"), None)
    colr = child(f, header, b"colr") if header is not None else None  # readers use the first
    if colr is not None:
        f.seek(colr.body)
        meth = f.read(1)
        if meth in (b"\x02", b"\x03") and colr.end - colr.body - 3 < _ICC_HEADER:
            return _why(Why.JP2_COLR_NO_ICC, got=num(max(colr.end - colr.body - 3, 0)))
    return None


def jp2(f: IO[bytes], size: int) -> str | None:
    """JP2/JPX: jpylyzer (0.2 ms) on the path; our box walk when it cannot judge; and the
    colour box must hold the ICC profile it names."""
    path = getattr(f, "name", None)
    found, reason = boxes(f, 0, size, "JPEG 2000")
    if isinstance(path, str):
        bad = _jpylyzer(path, "jp2")
        if bad is not None:
            if bad:
                return _why(Why.JP2_DAMAGED, why="; ".join(bad))
            return None if reason else _colour_without_profile(f, found)
    if reason:
        return reason
    if (why := _colour_without_profile(f, found)) is not None:
        return why
    cs = [b for b in found if b.typ == b"jp2c"]
    if not cs:
        return _why(Why.JP2_NO_CODESTREAM)
    if not _j2k_tail(f, cs[0].end):
        return _why(Why.J2K_NO_EOC)
    return None


def j2c(f: IO[bytes], size: int) -> str | None:
    """A raw JPEG 2000 codestream: jpylyzer's j2c mode, else it must end with EOC."""
    path = getattr(f, "name", None)
    if isinstance(path, str):
        bad = _jpylyzer(path, "j2c")
        if bad is not None:
            why = "; ".join(bad)
            return _why(Why.J2K_DAMAGED, why=why) if bad else None
    ok = _j2k_tail(f, size)
    return None if ok else _why(Why.J2K_NO_EOC)
