"""JPEG 2000 (JP2 and bare codestreams): jpylyzer's structural tests."""

from __future__ import annotations

from typing import IO, Any

from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.bmff import Box, boxes
from mediaaudit.probe.structure.common import num

_ICC_HEADER = 128  # every ICC profile begins with a 128-byte header

# jpylyzer's tests that mean "incomplete", not merely "non-conformant".
_J2K_DAMAGE = {
    "boxLengthIsValid": "a box runs past the end of the file",
    "foundEOCMarker": "no end-of-codestream marker",
    "foundNextTilePartOrEOC": "a tile-part runs past the end of the codestream",
    "foundExpectedNumberOfTileParts": "tile-parts are missing",
    "foundExpectedNumberOfTiles": "tiles are missing",
    "foundSODMarker": "a tile-part has no data",
    "containsContiguousCodestreamBox": "no codestream box",
    "codestreamStartsWithSOCMarker": "the codestream does not start with SOC",
    "containsImageHeaderBox": "no image header box",
    "foundCODMarker": "no COD marker",
    "foundQCDMarker": "no QCD marker",
    # the JP2 header must describe the codestream it wraps (fuzzed files break this)
    "containsColourSpecificationBox": "no colour specification box",
    "heightConsistentWithSIZ": "the image header contradicts the codestream",
    "widthConsistentWithSIZ": "the image header contradicts the codestream",
    "nCConsistentWithSIZ": "the image header contradicts the codestream",
    "bPCSignConsistentWithSIZ": "the bit depth box contradicts the codestream",
    "bPCDepthConsistentWithSIZ": "the bit depth box contradicts the codestream",
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
    return list(dict.fromkeys(msg for tag, msg in _J2K_DAMAGE.items() if tag in failed))


def _j2k_tail(f: IO[bytes], end: int) -> bool:
    f.seek(end - 2)
    return f.read(2) == b"\xff\xd9"


def _colour_without_profile(f: IO[bytes], found: list[Box]) -> str | None:
    """A colour specification box whose method says "ICC profile" (2 or 3) but which holds
    fewer bytes than an ICC header: the header box describes a colour space it does not
    have, so a decoder that trusts it has none (jpylyzer's ``iccSizeIsValid``).  Other ICC
    conformance tests (profile class, version) stay conformance: real files fail them."""
    for header in (b for b in found if b.typ == b"jp2h"):
        inner, _ = boxes(f, header.body, header.end, "JPEG 2000")
        for colr in (b for b in inner if b.typ == b"colr"):
            f.seek(colr.body)
            meth = f.read(1)
            if meth in (b"\x02", b"\x03") and colr.end - colr.body - 3 < _ICC_HEADER:
                return _why("jp2-colr-no-icc", got=num(max(colr.end - colr.body - 3, 0)))
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
                return f"JPEG 2000 is damaged or incomplete: {'; '.join(bad)}"
            return None if reason else _colour_without_profile(f, found)
    if reason:
        return reason
    if (why := _colour_without_profile(f, found)) is not None:
        return why
    cs = [b for b in found if b.typ == b"jp2c"]
    if not cs:
        return "JPEG 2000 has no codestream box"
    if not _j2k_tail(f, cs[0].end):
        return "JPEG 2000 codestream does not end with its end-of-codestream marker"
    return None


def j2c(f: IO[bytes], size: int) -> str | None:
    """A raw JPEG 2000 codestream: jpylyzer's j2c mode, else it must end with EOC."""
    path = getattr(f, "name", None)
    if isinstance(path, str):
        bad = _jpylyzer(path, "j2c")
        if bad is not None:
            why = "; ".join(bad)
            return f"JPEG 2000 codestream is damaged or incomplete: {why}" if bad else None
    ok = _j2k_tail(f, size)
    return None if ok else "JPEG 2000 codestream does not end with its end-of-codestream marker"
