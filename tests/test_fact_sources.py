"""Fact sources are typed (``FactOrigin`` + tag, language, sidecar file) and still shown
as the text the manifest always showed.

For every origin, facts probed from real files (or from files made from real ones by the
project's fixtures) must render as the exact source text earlier versions wrote
(``xmp:cc:license``, ``sidecar:foto.jpg.license:SPDX-License-Identifier``...), and must
come back unchanged from the fact cache's JSON."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

import fixtures_readers as fx
from mediaaudit import factcodec
from mediaaudit.cache import FactCache
from mediaaudit.model import FactOrigin, Facts, FactSource, FileRef, MetaFact

import fixtures_rights as fr
from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "sample_media"
REAL = ROOT / "tests" / "realworld"
CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def _real(rel: str) -> Callable[[Path], Path]:
    return lambda tmp: ROOT / rel


def _extended(tmp: Path) -> Path:
    return fr.extended_xmp_jpeg(tmp / "extended.jpg")


def _svg(tmp: Path) -> Path:
    return fr.inkscape_svg(tmp / "kaart.svg")


def _flir(tmp: Path) -> Path:
    return fx.flir_with_gps(REAL / "readers" / "FLIR.jpg", tmp / "flir.jpg", 52.0916, -4.3)


def _xmp_sidecar(tmp: Path) -> Path:
    photo = tmp / "foto.jpg"
    shutil.copy(SAMPLES / "campagne.jpg", photo)
    (tmp / "foto.xmp").write_bytes(fr.xmp(f'<cc:license rdf:resource="{CC_BY}"/>'))
    return photo


def _alt_sidecar(tmp: Path) -> Path:
    """A retina image's name holds '@': the sidecar's name is not a language tag."""
    photo = tmp / "logo@2x.jpg"
    shutil.copy(SAMPLES / "campagne.jpg", photo)
    (tmp / "logo@2x.alt.txt").write_text("Logo van de gemeente\n", encoding="utf-8")
    return photo


@dataclass(frozen=True)
class Case:
    file: Callable[[Path], Path]
    field: str
    shown: str  # the source text the manifest has always shown for this fact
    source: FactSource  # what it is, typed


CASES: dict[FactOrigin, list[Case]] = {
    FactOrigin.XMP: [
        Case(_real("sample_media/stadhuis.png"), "licence", "xmp:cc:license",
             FactSource(FactOrigin.XMP, "cc:license")),
        Case(_real("sample_media/stadhuis.png"), "alt_text",
             "xmp:Iptc4xmpCore:AltTextAccessibility@nl",
             FactSource(FactOrigin.XMP, "Iptc4xmpCore:AltTextAccessibility", "nl")),
    ],
    FactOrigin.XMP_EXTENDED: [
        Case(_extended, "licence", "xmp-extended:cc:license",
             FactSource(FactOrigin.XMP_EXTENDED, "cc:license")),
    ],
    FactOrigin.SVG: [
        Case(_svg, "licence", "svg:cc:license", FactSource(FactOrigin.SVG, "cc:license")),
    ],
    FactOrigin.IPTC: [
        Case(_real("tests/realworld/rights/immich/prairie_falcon.jpg"), "creator",
             "iptc:2:80", FactSource(FactOrigin.IPTC, "2:80")),
        Case(_real("tests/realworld/rights/exifr/RangeError_Invalid_typed_array_length.jpg"),
             "iptc_changed", "iptc:digest", FactSource(FactOrigin.IPTC, "digest")),
    ],
    FactOrigin.EXIF: [
        Case(_real("sample_media/markt-gps.jpg"), "gps", "exif:GPS",
             FactSource(FactOrigin.EXIF, "GPS")),
    ],
    FactOrigin.MAKERNOTE: [
        Case(_real("tests/realworld/readers/Canon.jpg"), "serial",
             "makernote:Canon:SerialNumber",
             FactSource(FactOrigin.MAKERNOTE, "Canon:SerialNumber")),
    ],
    FactOrigin.FLIR: [
        Case(_flir, "gps", "flir:GPS", FactSource(FactOrigin.FLIR, "GPS")),
    ],
    FactOrigin.PNG: [
        Case(_real("tests/realworld/files/image-png/sbit/g.png"), "creator", "png:Author",
             FactSource(FactOrigin.PNG, "Author")),
    ],
    FactOrigin.VIDEO_TAG: [
        Case(_real("sample_media/archief.mkv"), "licence", "video-tag:license",
             FactSource(FactOrigin.VIDEO_TAG, "license")),
        Case(_real("tests/realworld/files/androidx-media/mp4/bt601.mp4"), "gps",
             "video-tag:loci", FactSource(FactOrigin.VIDEO_TAG, "loci")),
    ],
    FactOrigin.C2PA: [
        Case(_real("tests/realworld/c2pa/C.jpg"), "c2pa_state", "c2pa",
             FactSource(FactOrigin.C2PA)),
        Case(_real("tests/realworld/c2pa/C.jpg"), "digital_source_type", "c2pa:actions",
             FactSource(FactOrigin.C2PA, "actions")),
        Case(_real("tests/realworld/c2pa/CACAE-uri-CA.jpg"), "digital_source_type",
             "c2pa:ingredient:CAE-uri-CA.jpg",
             FactSource(FactOrigin.C2PA, "ingredient:CAE-uri-CA.jpg")),
    ],
    FactOrigin.C2PA_STORE: [
        Case(_real("tests/realworld/c2pa/C.jpg"), "c2pa", "jpeg:APP11",
             FactSource(FactOrigin.C2PA_STORE, "jpeg:APP11")),
    ],
    FactOrigin.SIDECAR: [
        Case(_real("sample_media/campagne.jpg"), "licence",
             "sidecar:campagne.jpg.license:SPDX-License-Identifier",
             FactSource(FactOrigin.SIDECAR, "SPDX-License-Identifier",
                        file="campagne.jpg.license")),
        Case(_real("sample_media/interview.mp4"), "caption", "sidecar:interview.nl.vtt",
             FactSource(FactOrigin.SIDECAR, file="interview.nl.vtt")),
        Case(_xmp_sidecar, "licence", "sidecar:foto.xmp:cc:license",
             FactSource(FactOrigin.SIDECAR, "cc:license", file="foto.xmp")),
        Case(_alt_sidecar, "alt_text", "sidecar:logo@2x.alt.txt",
             FactSource(FactOrigin.SIDECAR, file="logo@2x.alt.txt")),
    ],
    # CONFIG facts come from the policy, not from a file: see test_config_annotation.
}
PROBED = [(origin, i) for origin, cases in CASES.items() for i in range(len(cases))]


def test_every_origin_is_covered() -> None:
    """A new origin needs a case here (or, like CONFIG, a test of its own)."""
    assert set(CASES) | {FactOrigin.CONFIG} == set(FactOrigin)


@pytest.mark.parametrize(("origin", "i"), PROBED, ids=[f"{o.value}-{i}" for o, i in PROBED])
def test_source_from_a_real_file(tmp_path: Path, origin: FactOrigin, i: int) -> None:
    if origin is FactOrigin.C2PA:
        pytest.importorskip("c2pa", reason="the [c2pa] extra is not installed")
    case = CASES[origin][i]
    facts = fx.probe(case.file(tmp_path))
    hits = [m for m in facts.meta if m.field == case.field and m.source == case.source]
    assert hits, [(m.field, m.source) for m in facts.meta]
    assert hits[0].source.origin is origin
    assert str(hits[0].source) == case.shown
    # the cache's JSON keeps every fact's source as it was, typed and shown
    back = factcodec.loads(factcodec.dumps(facts), facts.ref)
    assert back.meta == facts.meta
    assert [str(m.source) for m in back.meta] == [str(m.source) for m in facts.meta]
    assert all(isinstance(m.source.origin, FactOrigin) for m in back.meta)


def test_manifest_shows_the_text(tmp_path: Path) -> None:
    """The manifest's evidence and alt-text entries carry the shown text; a language is
    its own field, and a sidecar named with '@' keeps its whole name."""
    run = run_cli("scan", str(SAMPLES / "stadhuis.png"), str(_alt_sidecar(tmp_path)),
                  "-j", "1", "--no-cache", "--lang", "en")
    png = run.entry("stadhuis.png")
    assert {e["source"] for e in png["rights"]["evidence"]} == {"xmp:cc:license",
                                                                 "xmp:dc:creator"}
    assert {(a["lang"], a["source"]) for a in png["accessibility"]["alt_text"]} == {
        ("nl", "xmp:Iptc4xmpCore:AltTextAccessibility"),
        ("en", "xmp:Iptc4xmpCore:AltTextAccessibility")}
    logo = run.entry("logo@2x.jpg")
    assert logo["accessibility"]["alt_text"] == [
        {"text": "Logo van de gemeente", "lang": None, "source": "sidecar:logo@2x.alt.txt"}]


def test_config_annotation(tmp_path: Path) -> None:
    """A folder annotation's facts are CONFIG facts, shown ``config:annotations[PATH]``,
    and weigh above what is embedded (the file's own XMP licence is overruled)."""
    shutil.copy(SAMPLES / "stadhuis.png", tmp_path / "stadhuis.png")
    (tmp_path / "mediaaudit.toml").write_text(
        '[[annotations]]\npath = "*.png"\nlicence = "CC0-1.0"\n', encoding="utf-8")
    run = run_cli("scan", str(tmp_path), "-j", "1", "--no-cache", "--lang", "en")
    e = run.entry("stadhuis.png")
    assert e["rights"]["licence"] == "CC0-1.0"
    assert e["rights"]["evidence"][0] == {"field": "licence", "value": "CC0-1.0",
                                          "source": "config:annotations[*.png]"}


def test_cached_facts_of_other_origins_round_trip(tmp_path: Path) -> None:
    """Every origin, with each optional part, through the cache's JSON."""
    sources = [FactSource(o, "t:x", "nl", "f:@.license") for o in FactOrigin]
    sources += [FactSource(o) for o in FactOrigin]
    ref = FileRef(str(tmp_path / "f"), "f", 1, 0)
    facts = Facts(ref, meta=tuple(MetaFact("licence", "x", s) for s in sources))
    assert factcodec.loads(factcodec.dumps(facts), ref).meta == facts.meta


def test_a_cached_row_from_before_typed_sources_is_a_miss(tmp_path: Path) -> None:
    """Rows written when a source was its text are never trusted: the cache's version
    changes with ``model``, and a row that still reached the decoder is read again from
    the file (a miss), never a crash or a fact without its origin."""
    facts = fx.probe(SAMPLES / "campagne.jpg")
    row = json.loads(factcodec.dumps(facts))
    for m, fact in zip(row["meta"], facts.meta, strict=True):
        m["source"] = str(fact.source)  # as earlier versions stored it
    assert row["meta"] and FactCache.decode(json.dumps(row), facts.ref) is None
    assert FactCache.decode(factcodec.dumps(facts), facts.ref) == facts
