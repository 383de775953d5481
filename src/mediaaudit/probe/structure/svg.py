"""SVG: well-formed XML, and no DOCTYPE (MA-FMT-008)."""

from __future__ import annotations

from typing import IO, Any

from mediaaudit.codes import CodeId, Why
from mediaaudit.codes import reason as _why
from mediaaudit.probe.structure.common import Refused

_SVG_MAX = 16 << 20


class _Prolog(Exception):
    """Stops expat at the first DOCTYPE declaration or the root element."""


def _svg_doctype(f: IO[bytes]) -> bool:
    """Does the SVG declare a DOCTYPE?  expat reads (in any encoding XML allows) only the
    prolog, up to the root element, where a DOCTYPE must be: cheap at any file size,
    and an entity declared inside the DOCTYPE is never expanded or fetched."""
    from xml.parsers import expat

    seen: list[str] = []

    def doctype(name: str, *_: Any) -> None:
        seen.append(name)
        raise _Prolog

    def root(*_: Any) -> None:
        raise _Prolog

    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root
    f.seek(0)
    try:
        while chunk := f.read(1 << 16):
            parser.Parse(chunk, False)
        parser.Parse(b"", True)
    except _Prolog:
        pass
    except expat.ExpatError:
        pass  # not well-formed before the root: ``svg`` says so
    return bool(seen)


def svg(f: IO[bytes], size: int) -> str | Refused | None:
    """SVG is XML: a file that is not well-formed XML is not an image any browser shows
    (exiftool's XMP.svg has an unbound prefix).

    A DOCTYPE is refused outright (``MA-FMT-008``), whatever it declares: browsers and
    SVG 2 use no DTD, and a DOCTYPE is what XML bombs and XXE need, which the renderers
    of platforms and archives should never meet (the same rule as for XMP).  So the
    entities that the well-formedness parse refuses unexpanded can only be undeclared
    ones (not well-formed), and a 'billion laughs' file costs nothing."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import fromstring

    if _svg_doctype(f):
        return Refused(CodeId.SVG_DOCTYPE)
    if size > _SVG_MAX:
        return None
    f.seek(0)
    try:
        fromstring(f.read(), forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException:
        return None
    except ParseError as exc:
        return _why(Why.SVG_NOT_XML, why=str(exc))[:160]
    return None
