"""MDTO XML (Nationaal Archief, schema 1.0.2): build a record, validate a record.

Only serialisation and validation live here; what the records *say* is decided in
``records``.  The element order follows the XSD's sequences exactly (an XSD sequence is
ordered, so a record with the right elements in another order is invalid).

Every text is written through ``safe.xml_text``: a character XML 1.0 cannot carry (a
control character in a file name) becomes a visible escape such as ``\\x01`` instead of
making the record, and with it the bag, invalid.  A Dossier of a very large request is
written as a stream (``write_informatieobject``): its parts are never all in memory.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import secrets
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any, BinaryIO

from mediaaudit.archive.safe import xml_text

NS = "https://www.nationaalarchief.nl/mdto"
XSD_NAME = "MDTO-XML1.0.2.xsd"
SUFFIX = ".mdto.xml"
"""Every MDTO record in a bag ends with this (``.bestand.mdto.xml`` for a file record)."""
BESTAND_SUFFIX = ".bestand.mdto.xml"

PRONOM = "PRONOM-register"
CHECKSUM_LIST = "Begrippenlijst ChecksumAlgoritme MDTO"
AGGREGATION_LIST = "Begrippenlijst Aggregatieniveaus MDTO"
WAARDERING_LIST = "Begrippenlijst Waarderingen MDTO"


@dataclass(frozen=True)
class Ref:
    """``verwijzingGegevens``: a name, optionally with an identifier (kenmerk + bron)."""

    naam: str
    kenmerk: str | None = None
    bron: str | None = None


@dataclass(frozen=True)
class Begrip:
    """``begripGegevens``: a term from a named list (begrippenlijst)."""

    label: str
    lijst: str
    code: str | None = None


@dataclass(frozen=True)
class Restriction:
    """``beperkingGebruikGegevens``."""

    type: Begrip
    description: str | None = None
    documentation: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class Event:
    """``eventGegevens``."""

    type: Begrip
    time: str | None = None
    result: str | None = None


@dataclass(frozen=True)
class Informatieobject:
    ident: Ref  # naam + identificatie
    aggregatieniveau: str
    waardering: Begrip
    archiefvormer: Ref
    restrictions: tuple[Restriction, ...]
    omschrijving: str | None = None
    events: tuple[Event, ...] = ()
    bewaartermijn: str | None = None
    is_onderdeel_van: tuple[Ref, ...] = ()
    bevat_onderdeel: tuple[Ref, ...] = ()
    heeft_representatie: tuple[Ref, ...] = ()


@dataclass(frozen=True)
class Bestand:
    ident: Ref
    omvang: int
    formaat: Begrip
    sha256: str
    checksum_date: str  # xsd:dateTime
    representatie_van: Ref


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _text(parent: ET.Element, tag: str, value: str | int) -> ET.Element:
    el = ET.SubElement(parent, _q(tag))
    el.text = xml_text(str(value))
    return el


def _ident(parent: ET.Element, tag: str, kenmerk: str, bron: str) -> None:
    el = ET.SubElement(parent, _q(tag))
    _text(el, "identificatieKenmerk", kenmerk)
    _text(el, "identificatieBron", bron)


def _ref(parent: ET.Element, tag: str, ref: Ref) -> None:
    el = ET.SubElement(parent, _q(tag))
    _text(el, "verwijzingNaam", ref.naam)
    if ref.kenmerk and ref.bron:
        _ident(el, "verwijzingIdentificatie", ref.kenmerk, ref.bron)


def _begrip(parent: ET.Element, tag: str, b: Begrip) -> None:
    el = ET.SubElement(parent, _q(tag))
    _text(el, "begripLabel", b.label)
    if b.code:
        _text(el, "begripCode", b.code)
    _ref(el, "begripBegrippenlijst", Ref(b.lijst))


def _object(kind: str, ident: Ref) -> tuple[ET.Element, ET.Element]:
    root = ET.Element(_q("MDTO"))
    obj = ET.SubElement(root, _q(kind))
    if not (ident.kenmerk and ident.bron):
        raise ValueError("an MDTO object needs an identificatie (kenmerk and bron)")
    _ident(obj, "identificatie", ident.kenmerk, ident.bron)
    _text(obj, "naam", ident.naam)
    return root, obj


def _serialise(root: ET.Element) -> bytes:
    ET.indent(root, space="  ")
    body: bytes = ET.tostring(root, encoding="utf-8", default_namespace=NS,
                              xml_declaration=False)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + body + b"\n"


def ref_fragment(tag: str, ref: Ref, level: int = 2) -> bytes:
    """One ``tag`` reference element as it appears, indented, inside a record at
    ``level`` (a line of a streamed Dossier)."""
    holder = ET.Element(_q("x"))
    _ref(holder, tag, ref)
    el = holder[0]
    ET.indent(el, space="  ", level=level)
    body: bytes = ET.tostring(el, encoding="utf-8", default_namespace=NS,
                              xml_declaration=False)
    return b"  " * level + body.replace(f' xmlns="{NS}"'.encode(), b"", 1) + b"\n"


def write_informatieobject(io: Informatieobject, out: BinaryIO,
                           parts: Iterable[bytes] = ()) -> None:
    """``informatieobject_xml`` written to ``out``, with ``parts`` (``ref_fragment``s of
    ``bevatOnderdeel``, in addition to ``io.bevat_onderdeel``) streamed in their place in
    the sequence: a Dossier of 200,000 files never holds 200,000 elements."""
    token = f"mediaaudit-parts-{secrets.token_hex(16)}"  # no text of the record has it
    data = informatieobject_xml(
        dataclasses.replace(io, bevat_onderdeel=(*io.bevat_onderdeel, Ref(token))))
    at = data.index(token.encode())
    start = data.rindex(b"\n", 0, data.rindex(b"<bevatOnderdeel>", 0, at)) + 1
    end = data.index(b"</bevatOnderdeel>\n", at) + len(b"</bevatOnderdeel>\n")
    out.write(data[:start])
    for part in parts:
        out.write(part)
    out.write(data[end:])


def informatieobject_xml(io: Informatieobject) -> bytes:
    root, obj = _object("informatieobject", io.ident)
    _begrip(obj, "aggregatieniveau", Begrip(io.aggregatieniveau, AGGREGATION_LIST))
    if io.omschrijving:
        _text(obj, "omschrijving", io.omschrijving)
    for ev in io.events:
        el = ET.SubElement(obj, _q("event"))
        _begrip(el, "eventType", ev.type)
        if ev.time:
            _text(el, "eventTijd", ev.time)
        if ev.result:
            _text(el, "eventResultaat", ev.result)
    _begrip(obj, "waardering", io.waardering)
    if io.bewaartermijn:
        term = ET.SubElement(obj, _q("bewaartermijn"))
        _text(term, "termijnLooptijd", io.bewaartermijn)
    for tag, refs in (("isOnderdeelVan", io.is_onderdeel_van),
                      ("bevatOnderdeel", io.bevat_onderdeel),
                      ("heeftRepresentatie", io.heeft_representatie)):
        for r in refs:
            _ref(obj, tag, r)
    _ref(obj, "archiefvormer", io.archiefvormer)
    for rs in io.restrictions:
        el = ET.SubElement(obj, _q("beperkingGebruik"))
        _begrip(el, "beperkingGebruikType", rs.type)
        if rs.description:
            _text(el, "beperkingGebruikNadereBeschrijving", rs.description)
        for doc in rs.documentation:
            _ref(el, "beperkingGebruikDocumentatie", doc)
    return _serialise(root)


def bestand_xml(b: Bestand) -> bytes:
    root, obj = _object("bestand", b.ident)
    _text(obj, "omvang", b.omvang)
    _begrip(obj, "bestandsformaat", b.formaat)
    cs = ET.SubElement(obj, _q("checksum"))
    _begrip(cs, "checksumAlgoritme", Begrip("SHA256", CHECKSUM_LIST))
    _text(cs, "checksumWaarde", b.sha256)
    _text(cs, "checksumDatum", b.checksum_date)
    _ref(obj, "isRepresentatieVan", b.representatie_van)
    return _serialise(root)


@functools.cache
def schema() -> Any:
    """The packaged MDTO 1.0.2 schema (parsed once per process)."""
    xsd = resources.files("mediaaudit").joinpath("schema").joinpath("mdto").joinpath(XSD_NAME)
    import xmlschema  # ~0.1 s to import: only when a record is checked, not at every start

    with resources.as_file(xsd) as path:
        return xmlschema.XMLSchema10(str(path))


def _resource(data: bytes) -> Any:
    """``data`` as an XML resource parsed defused: no entities, no DTD, nothing fetched."""
    import xmlschema

    return xmlschema.XMLResource(io.BytesIO(data), defuse="always", allow="none")


def validate(data: bytes) -> list[str]:
    """Every reason ``data`` is not a valid MDTO 1.0.2 record (empty when valid).

    The XML is parsed defused (no entity expansion, no DTD, nothing fetched): during
    ``verify`` it comes from a bag somebody else may have made."""
    xsd = schema()
    try:
        res = _resource(data)
        return [_reason(e) for e in xsd.iter_errors(res)]
    except Exception as exc:  # xmlschema and expat raise many kinds
        return [f"not well-formed XML: {exc}".splitlines()[0]]


def _reason(err: Any) -> str:
    path = getattr(err, "path", None) or ""
    reason = getattr(err, "reason", None) or str(err).splitlines()[0]
    return f"{path}: {reason}" if path else str(reason)


def _texts(element: Any, wanted: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """key → the stripped text of the MDTO element at each path below ``element`` (paths
    in MDTO names, ``/``-separated); keys whose element is missing or empty are left out."""
    out: dict[str, str] = {}
    for key, path in wanted:
        el = element.find("/".join(_q(p) for p in path.split("/")))
        if el is not None and el.text:
            out[key] = el.text.strip()
    return out


def read_bestand(data: bytes) -> dict[str, str] | None:
    """naam, omvang, PUID and SHA-256 of a valid ``bestand`` record, else None (for
    ``verify``: does the record describe the payload file next to it?)."""
    try:
        res = _resource(data)
        root = res.root
    except Exception:  # a damaged record is simply not read
        return None
    b = root.find(_q("bestand"))
    if b is None:
        return None
    return _texts(b, (("naam", "naam"), ("omvang", "omvang"),
                      ("puid", "bestandsformaat/begripCode"),
                      ("sha256", "checksum/checksumWaarde")))


def read_dossier(data: bytes) -> dict[str, str] | None:
    """identificatieKenmerk and archiefvormer of a valid Dossier record, else None (for
    ``verify``: bag-info.txt must say what the Dossier says)."""
    try:
        root = _resource(data).root
    except Exception:  # a damaged record is simply not read
        return None
    io_ = root.find(_q("informatieobject"))
    if io_ is None:
        return None
    return _texts(io_, (("kenmerk", "identificatie/identificatieKenmerk"),
                        ("archiefvormer", "archiefvormer/verwijzingNaam")))
