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
manifest>``; a bestand is that followed by ``#bestand``.  Records are made one file at a
time (``item_records``), so a request of any size is written as a stream.
"""

from __future__ import annotations

import posixpath
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
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
from mediaaudit.archive.plan import Item, SidecarFile
from mediaaudit.configerrors import PolicyError, Problem, Wrong, problem
from mediaaudit.policy import ArchiveSettings, Policy
from mediaaudit.sidecars import SidecarKind

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


def missing(settings: ArchiveSettings, organisations: Sequence[str] = ()) -> list[Problem]:
    """Every setting ``archive`` cannot do without that is not there, each with what to
    write.  The archiefvormer defaults to the organisation of ``[policy]``; bewaartermijn
    may be left out only for waardering B (kept forever), so without a waardering it is
    asked for as well: the user learns of both at once."""
    out = []
    if not (settings.archiefvormer or organisations):
        out.append(problem("[archive]", Wrong.MISSING_ARCHIEFVORMER, key="archive.archiefvormer"))
    if settings.waardering is None:
        out.append(problem("[archive]", Wrong.MISSING_WAARDERING, key="archive.waardering"))
    if settings.bewaartermijn is None and (settings.waardering or ("V",))[0] != "B":
        out.append(problem("[archive]", Wrong.MISSING_BEWAARTERMIJN,
                           key="archive.bewaartermijn"))
    if not (settings.contact_name or settings.contact_email):
        out.append(problem("[archive]", Wrong.MISSING_CONTACT, key="archive.contact"))
    return out


def needs(policy: Policy) -> list[Problem]:
    """``missing`` as a requirement of ``config.load_policy``: the archive settings are
    checked with the rest of the file, so one run names every problem."""
    return missing(policy.archive, policy.organisations)


def require(settings: ArchiveSettings, organisations: Sequence[str] = ()) -> ArchiveConfig:
    """The complete settings, or a ``PolicyError`` naming every missing one."""
    problems = missing(settings, organisations)
    if problems or settings.waardering is None:
        raise PolicyError(problems)
    name = settings.archiefvormer or organisations[0]
    code, label = settings.waardering
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


@dataclass(frozen=True)
class Context:
    """What every record of one package shares."""

    cfg: ArchiveConfig
    ident: str
    request_id: str | None
    checked_at: str
    audited: str | None  # when the scan ran (the manifest's ``created``)
    posted: str | None = None

    @property
    def dossier(self) -> Ref:
        name = (f"Publicatieverzoek {self.request_id}: media voor sociale media"
                if self.request_id else
                f"Media voor sociale media, gecontroleerd {(self.audited or self.checked_at)[:10]}")
        return Ref(name, self.ident, self.cfg.identificatiebron)

    @property
    def posted_events(self) -> tuple[Event, ...]:
        return (Event(Begrip("Publicatie", EVENT_LIST), self.posted),) if self.posted else ()


def _stuk(ctx: Context, it: Item) -> Ref:
    """The reference to a media file's Archiefstuk."""
    return Ref(posixpath.basename(it.rel), f"{ctx.ident}/{it.rel}", ctx.cfg.identificatiebron)


def sidecar_ref(ctx: Context, side: SidecarFile) -> Ref:
    """The reference to the bestand of a caption or licence file beside a media file:
    named as the file is in the bag, identified by its path in the base folder (as the
    media file's Archiefstuk is)."""
    return Ref(posixpath.basename(side.payload), f"{ctx.ident}/{side.rel}#bestand",
               ctx.cfg.identificatiebron)


def item_records(ctx: Context, it: Item, sidecars: Sequence[SidecarFile] = ()
                 ) -> tuple[Ref, Record, Record]:
    """An approved media file's Archiefstuk (rights, retention, events) and its bestand,
    and the reference the Dossier keeps to the Archiefstuk.  Identifiers are made of the
    path as the manifest has it; the bestand is named as the file is in the bag.

    ``sidecars`` (its caption and licence files in the bag, ``sidecar_record``) are
    listed as representations too, and a licence file documents the restriction
    (``beperkingGebruikDocumentatie``: "a text document describing the restriction")."""
    bron = ctx.cfg.identificatiebron
    stuk = _stuk(ctx, it)
    best = Ref(posixpath.basename(it.payload), f"{ctx.ident}/{it.rel}#bestand", bron)
    events = (Event(Begrip("Controle voor publicatie", EVENT_LIST), ctx.audited,
                    _audit_result(it.entry)), *ctx.posted_events)
    rights = restriction(it.entry.get("rights") or {}, ctx.cfg.archiefvormer.naam)
    licences = tuple(sidecar_ref(ctx, s) for s in sidecars if s.kind is SidecarKind.LICENSE)
    io = Informatieobject(
        ident=stuk, aggregatieniveau="Archiefstuk", waardering=ctx.cfg.waardering,
        archiefvormer=ctx.cfg.archiefvormer,
        restrictions=(replace(rights, documentation=(*rights.documentation, *licences)),),
        omschrijving=_alt_text(it.entry), events=events,
        bewaartermijn=ctx.cfg.bewaartermijn, is_onderdeel_van=(ctx.dossier,),
        heeft_representatie=(best, *(sidecar_ref(ctx, s) for s in sidecars)))
    fmt = it.entry.get("format") or {}
    b = Bestand(ident=best, omvang=int(it.entry.get("size") or 0),
                formaat=Begrip(_format_name(fmt), PRONOM, str(fmt.get("puid"))),
                sha256=it.sha256, checksum_date=ctx.checked_at, representatie_van=stuk)
    return (stuk, Record(it.payload + SUFFIX, it.payload, informatieobject_xml(io)),
            Record(it.payload + BESTAND_SUFFIX, it.payload, bestand_xml(b)))


def sidecar_record(ctx: Context, it: Item, side: SidecarFile, x: ExtraFile) -> Record:
    """The bestand of a caption or licence file (``x``: its size, hash and format)
    beside the media file ``it``: part of the representation of that file's Archiefstuk
    (``isRepresentatieVan``: "the informatieobject the file is (part of) a
    representation of"), which lists it in turn."""
    b = Bestand(ident=sidecar_ref(ctx, side), omvang=x.size,
                formaat=Begrip(x.format_name, PRONOM, x.puid), sha256=x.sha256,
                checksum_date=ctx.checked_at, representatie_van=_stuk(ctx, it))
    return Record(side.payload + BESTAND_SUFFIX, side.payload, bestand_xml(b))


def extra_record(ctx: Context, x: ExtraFile) -> tuple[Ref, Record]:
    """A bestand for a file of the audit itself, a representation of the Dossier."""
    ref = Ref(x.payload, f"{ctx.ident}/{x.payload}#bestand", ctx.cfg.identificatiebron)
    b = Bestand(ident=ref, omvang=x.size, formaat=Begrip(x.format_name, PRONOM, x.puid),
                sha256=x.sha256, checksum_date=ctx.checked_at, representatie_van=ctx.dossier)
    return ref, Record(x.payload + BESTAND_SUFFIX, x.payload, bestand_xml(b))


def dossier(ctx: Context, items: int, left_out: int,
            representations: Sequence[Ref]) -> Informatieobject:
    """The Dossier of the request, without its parts: ``mdto.write_informatieobject``
    streams the Archiefstukken into it (``bevatOnderdeel``)."""
    summary = (f"{items} {'bestand' if items == 1 else 'bestanden'} goedgekeurd voor "
               "publicatie en gearchiveerd; "
               f"{left_out} niet goedgekeurd en niet gearchiveerd (zie archive-report.txt)")
    return Informatieobject(
        ident=ctx.dossier, aggregatieniveau="Dossier", waardering=ctx.cfg.waardering,
        archiefvormer=ctx.cfg.archiefvormer,
        restrictions=(Restriction(
            Begrip("Auteursrecht bij archiefvormer", RIGHTS_LIST, "owned"),
            "Controleverslag van de archiefvormer; de rechten op de media staan per "
            "archiefstuk"),),
        omschrijving=summary,
        events=(Event(Begrip("Controle voor publicatie", EVENT_LIST), ctx.audited,
                      f"{items} goedgekeurd, {left_out} afgekeurd"), *ctx.posted_events),
        bewaartermijn=ctx.cfg.bewaartermijn, heeft_representatie=tuple(representations))
