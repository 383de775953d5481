"""What the MDTO records say (pure): one informatieobject per approved media file
(aggregatieniveau Archiefstuk), all part of one informatieobject for the publication
request (aggregatieniveau Dossier); one ``bestand`` per file.

Why one Archiefstuk per file: MDTO records rights (``beperkingGebruik``) on the
informatieobject, not on the bestand, and in one request every photo can have another
licence and holder.  The Dossier keeps the request together and has the audit's own
files (JSON manifest, HTML report, archive report) as its representations.

Identifiers (``identificatieKenmerk``, all with ``identificatieBron`` from the config):
the Dossier is the request id (``--request-id``), else ``mediaaudit-`` and the first 16
hex digits of the manifest's SHA-256; an Archiefstuk is ``<dossier>/<path as in the
manifest>``; a bestand is that followed by ``#bestand``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from mediaaudit.archive.mdto import (
    BESTAND_SUFFIX,
    PRONOM,
    SUFFIX,
    WAARDERING_LIST,
    Begrip,
    Bestand,
    Event,
    Informatieobject,
    Ref,
    Restriction,
    bestand_xml,
    informatieobject_xml,
)
from mediaaudit.archive.plan import Item
from mediaaudit.policy import ArchiveSettings, PolicyError

RIGHTS_LIST = "Begrippenlijst rechtenstatus mediaaudit"
LICENCE_LIST = "SPDX License List"
EVENT_LIST = "Begrippenlijst gebeurtenissen mediaaudit"
DOSSIER_RECORD = "dossier" + SUFFIX
DEFAULT_ID_SOURCE = "Register van Overheidsorganisaties"


@dataclass(frozen=True)
class ArchiveConfig:
    """Complete ``[archive]`` settings: every value an MDTO record must have."""

    archiefvormer: Ref
    waardering: Begrip
    bewaartermijn: str | None
    identificatiebron: str
    contact_name: str | None
    contact_email: str | None


def require(settings: ArchiveSettings, organisations: Sequence[str] = ()) -> ArchiveConfig:
    """The settings ``archive`` cannot do without, or a ``PolicyError`` naming the
    missing key and what to write.  The archiefvormer defaults to the organisation of
    ``[policy]``; bewaartermijn may be left out only for waardering B (kept forever)."""
    name = settings.archiefvormer or (organisations[0] if organisations else None)
    if not name:
        raise PolicyError("[archive] archiefvormer is missing: add archiefvormer = "
                          "\"<your organisation>\" (or [policy] organisation)")
    if settings.waardering is None:
        raise PolicyError("[archive] waardering is missing: add waardering = \"V\" "
                          "(tijdelijk te bewaren) or \"B\" (blijvend te bewaren)")
    code, label = settings.waardering
    if settings.bewaartermijn is None and code != "B":
        raise PolicyError("[archive] bewaartermijn is missing: add bewaartermijn = \"P10Y\" "
                          "(the retention period of your selectielijst, ISO 8601)")
    if not (settings.contact_name or settings.contact_email):
        raise PolicyError("[archive] contact is missing: add contact_name and/or "
                          "contact_email (written to bag-info.txt)")
    vormer = Ref(name, settings.archiefvormer_id,
                 settings.archiefvormer_id_source or DEFAULT_ID_SOURCE
                 if settings.archiefvormer_id else None)
    return ArchiveConfig(
        archiefvormer=vormer,
        waardering=Begrip(label, WAARDERING_LIST, code),
        bewaartermijn=settings.bewaartermijn,
        identificatiebron=settings.identificatiebron or name,
        contact_name=settings.contact_name,
        contact_email=settings.contact_email,
    )


@dataclass(frozen=True)
class ExtraFile:
    """A file of the audit itself in data/ (manifest, reports)."""

    payload: str
    size: int
    sha256: str
    puid: str
    format_name: str


@dataclass(frozen=True)
class Record:
    """One MDTO XML file: ``name`` relative to data/, what it describes (relative to
    data/, None for the Dossier), and the XML."""

    name: str
    describes: str | None
    xml: bytes


def dossier_id(request_id: str | None, manifest_sha256: str) -> str:
    return request_id or f"mediaaudit-{manifest_sha256[:16]}"


def restriction(rights: Mapping[str, Any], archiefvormer: str) -> Restriction:
    """``beperkingGebruik`` from a file's rights verdict: the licence (SPDX/CC id, its
    URL as documentation, the credit line as nadere beschrijving), or the holder."""
    status = str(rights.get("status") or "unknown")
    licence = rights.get("licence") or None
    url = rights.get("licence_url") or None
    holder = rights.get("holder") or None
    credit = rights.get("attribution") or None
    docs = (Ref(str(url)),) if url else ()
    if status == "open" and licence:
        return Restriction(Begrip(str(licence), LICENCE_LIST), credit, docs)
    if status == "owned":
        return Restriction(Begrip("Auteursrecht bij archiefvormer", RIGHTS_LIST, "owned"),
                           f"Rechthebbende: {holder or archiefvormer}", docs)
    if status == "licensed" and licence:
        text = f"Licentie {licence}" + (f" van {holder}" if holder else "")
        text += f", toegestaan door het beleid van {archiefvormer}"
        if credit:
            text += f"; naamsvermelding: {credit}"
        return Restriction(Begrip(str(licence), RIGHTS_LIST, "licensed"), text, docs)
    label = {"restricted": "Auteursrecht voorbehouden", "conflict": "Rechten tegenstrijdig"}
    who = f"Rechthebbende: {holder}" if holder else None
    return Restriction(Begrip(label.get(status, "Rechten onbekend"), RIGHTS_LIST, status),
                       who, docs)


def _alt_text(entry: Mapping[str, Any]) -> str | None:
    acc = entry.get("accessibility")
    alts = acc.get("alt_text") if isinstance(acc, Mapping) else None
    for a in alts or []:
        text = a.get("text") if isinstance(a, Mapping) else a
        if isinstance(text, str) and text.strip():
            return text.strip()
    return None


def _format_name(fmt: Mapping[str, Any]) -> str:
    name = str(fmt.get("name") or fmt.get("puid"))
    version = fmt.get("version")
    return f"{name} {version}" if version else name


def _audit_result(entry: Mapping[str, Any]) -> str:
    fmt = entry.get("format") or {}
    nvf = (entry.get("nvf") or {}).get("status")
    rights = entry.get("rights") or {}
    lic = rights.get("licence")
    return (f"goedgekeurd; formaat {fmt.get('puid')} ({nvf} in de Norm Voorkeursformaten); "
            f"rechten {rights.get('status')}" + (f" ({lic})" if lic else ""))


def build_records(
    items: Sequence[Item],
    extras: Sequence[ExtraFile],
    cfg: ArchiveConfig,
    manifest: Mapping[str, Any],
    ident: str,
    request_id: str | None,
    checked_at: str,
    posted: str | None = None,
    left_out: int = 0,
) -> list[Record]:
    """Every MDTO record of the package: the Dossier, per item an Archiefstuk and its
    bestand, and a bestand per extra file."""
    bron = cfg.identificatiebron
    audited = str(manifest.get("created") or "") or None
    name = (f"Publicatieverzoek {request_id}: media voor sociale media" if request_id
            else f"Media voor sociale media, gecontroleerd {(audited or checked_at)[:10]}")
    dossier = Ref(name, ident, bron)
    own = cfg.archiefvormer.naam
    events_common: list[Event] = []
    if posted:
        events_common.append(Event(Begrip("Publicatie", EVENT_LIST), posted))
    records: list[Record] = []
    parts: list[Ref] = []
    for it in items:
        rel = it.payload.split("/", 1)[1]
        stuk = Ref(posixpath.basename(it.payload), f"{ident}/{rel}", bron)
        best = Ref(posixpath.basename(it.payload), f"{ident}/{rel}#bestand", bron)
        parts.append(stuk)
        events = [Event(Begrip("Controle voor publicatie", EVENT_LIST), audited,
                        _audit_result(it.entry)), *events_common]
        io = Informatieobject(
            ident=stuk, aggregatieniveau="Archiefstuk", waardering=cfg.waardering,
            archiefvormer=cfg.archiefvormer,
            restrictions=(restriction(it.entry.get("rights") or {}, own),),
            omschrijving=_alt_text(it.entry), events=tuple(events),
            bewaartermijn=cfg.bewaartermijn, is_onderdeel_van=(dossier,),
            heeft_representatie=(best,))
        records.append(Record(it.payload + SUFFIX, it.payload, informatieobject_xml(io)))
        fmt = it.entry.get("format") or {}
        b = Bestand(ident=best, omvang=int(it.entry.get("size") or 0),
                    formaat=Begrip(_format_name(fmt), PRONOM, str(fmt.get("puid"))),
                    sha256=it.sha256, checksum_date=checked_at, representatie_van=stuk)
        records.append(Record(it.payload + BESTAND_SUFFIX, it.payload, bestand_xml(b)))
    reps: list[Ref] = []
    for x in extras:
        ref = Ref(x.payload, f"{ident}/{x.payload}#bestand", bron)
        reps.append(ref)
        b = Bestand(ident=ref, omvang=x.size, formaat=Begrip(x.format_name, PRONOM, x.puid),
                    sha256=x.sha256, checksum_date=checked_at, representatie_van=dossier)
        records.append(Record(x.payload + BESTAND_SUFFIX, x.payload, bestand_xml(b)))
    summary = (f"{len(items)} bestand(en) goedgekeurd voor publicatie en gearchiveerd; "
               f"{left_out} niet goedgekeurd en niet gearchiveerd (zie archive-report.txt)")
    io = Informatieobject(
        ident=dossier, aggregatieniveau="Dossier", waardering=cfg.waardering,
        archiefvormer=cfg.archiefvormer,
        restrictions=(Restriction(
            Begrip("Auteursrecht bij archiefvormer", RIGHTS_LIST, "owned"),
            "Controleverslag van de archiefvormer; de rechten op de media staan per "
            "archiefstuk"),),
        omschrijving=summary,
        events=(Event(Begrip("Controle voor publicatie", EVENT_LIST), audited,
                      f"{len(items)} goedgekeurd, {left_out} afgekeurd"), *events_common),
        bewaartermijn=cfg.bewaartermijn, bevat_onderdeel=tuple(parts),
        heeft_representatie=tuple(reps))
    records.insert(0, Record(DOSSIER_RECORD, None, informatieobject_xml(io)))
    return records
