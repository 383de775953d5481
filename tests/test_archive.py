"""``mediaaudit archive`` (issue 17): a BagIt bag with MDTO metadata of the files a
manifest passed, and ``mediaaudit verify BAG_DIR``.

Judged by independent checks, not by the code under test: the ``bagit`` library validates
the bag, ``hashlib`` re-hashes the payload, the MDTO 1.0.2 XSD (the Nationaal Archief's,
unchanged; SHA-256 pinned below) validates every record through ``xmlschema``.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import bagit
import pytest
import xmlschema

from mediaaudit.archive import mdto
from mediaaudit.archive.plan import PlanError, make_plan
from mediaaudit.archive.records import require, restriction
from mediaaudit.policy import PolicyError, build_policy

from conftest import run_cli

SAMPLES = Path(__file__).resolve().parent.parent / "sample_media"
XSD_SHA256 = "ab0baf9a171b3662761ed3c8c5543c4864b0d6244afac55265caff9164e370e8"
NS = {"m": mdto.NS}
ARCHIVE_TOML = """
[archive]
archiefvormer = "Gemeente Voorbeeld"
archiefvormer_id = "https://organisaties.overheid.nl/12345/Gemeente_Voorbeeld"
waardering = "V"
bewaartermijn = "P10Y"
identificatiebron = "Gemeente Voorbeeld publicatieverzoeken"
contact_name = "Team Informatiebeheer"
contact_email = "informatiebeheer@voorbeeld.nl"
"""


def _xsd_path() -> Path:
    return Path(str(resources.files("mediaaudit"))) / "schema" / "mdto" / mdto.XSD_NAME


def _sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of sample_media with an [archive] table, scanned as `scan sample_media`."""
    work = tmp_path_factory.mktemp("archive")
    shutil.copytree(SAMPLES, work / "sample_media")
    with open(work / "sample_media" / "mediaaudit.toml", "a", encoding="utf-8") as fh:
        fh.write(ARCHIVE_TOML)
    r = run_cli("scan", "sample_media", "-o", "m.json", "--no-cache", "-q", cwd=work)
    assert r.exit_code == 1, r.stderr  # the samples include failing files
    return work


@pytest.fixture()
def work(scanned: Path, tmp_path: Path) -> Path:
    """A private copy of the scanned folder and its manifest (tests change files)."""
    dst = tmp_path / "w"
    shutil.copytree(scanned, dst, symlinks=True, ignore=shutil.ignore_patterns("approved"))
    return dst


@pytest.fixture(scope="module")
def bag(scanned: Path) -> Path:
    r = run_cli("archive", "m.json", "--out", "approved", "--request-id", "PV-2025-0042",
                "--posted", "2025-03-14", cwd=scanned)
    assert r.exit_code == 0, r.stderr
    return scanned / "approved"


def _leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".mediaaudit-archive-")]


# --- the schema -------------------------------------------------------------------


def test_packaged_xsd_is_the_nationaal_archief_1_0_2_unchanged() -> None:
    assert _sha256(_xsd_path()) == XSD_SHA256
    assert 'version="v1.0.2"' in _xsd_path().read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["example-bestand-1.0.1.xml", "example-archiefstuk-1.0.1.xml"])
def test_official_examples_pass_the_packaged_schema(name: str) -> None:
    data = (_xsd_path().parent / name).read_bytes()
    assert mdto.validate(data) == []
    xmlschema.XMLSchema10(str(_xsd_path())).validate(data.decode("utf-8"))


def test_validate_refuses_entities_and_external_references() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><MDTO>&a;</MDTO>'
    assert mdto.validate(bomb)
    ext = b'<?xml version="1.0"?><!DOCTYPE x SYSTEM "file:///etc/passwd"><MDTO/>'
    assert mdto.validate(ext)
    assert mdto.validate(b"not xml at all")


# --- the bag ----------------------------------------------------------------------


def test_bag_is_valid_for_bagit_with_sha256_and_sha512(bag: Path) -> None:
    b = bagit.Bag(str(bag))
    b.validate()  # raises when anything is wrong
    assert set(b.algorithms) == {"sha256", "sha512"}
    for name in ("manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt",
                 "tagmanifest-sha512.txt", "bag-info.txt", "bagit.txt"):
        assert (bag / name).is_file(), name
    info = b.info
    assert info["External-Identifier"] == "PV-2025-0042"
    assert info["Source-Organization"] == "Gemeente Voorbeeld"
    assert info["Contact-Name"] == "Team Informatiebeheer"
    assert info["Contact-Email"] == "informatiebeheer@voorbeeld.nl"
    assert info["Bag-Software-Agent"].startswith("mediaaudit ")
    assert len(info["Bagging-Date"]) == 10


def test_only_passed_files_go_in_each_with_a_matching_bestand(scanned: Path, bag: Path) -> None:
    m = json.loads((scanned / "m.json").read_text(encoding="utf-8"))
    passed = [f for f in m["files"] if f["outcome"] == "pass"]
    failed = [f for f in m["files"] if f["outcome"] != "pass"]
    assert passed and failed
    media = sorted(p.relative_to(bag / "data" / "media").as_posix()
                   for p in (bag / "data" / "media").rglob("*")
                   if p.is_file() and not p.name.endswith(".mdto.xml"))
    sides = [f"{os.path.dirname(f['path'])}/{s}" for f in passed  # captions, licences
             for s in f.get("sidecars", []) if s.endswith((".license", ".vtt", ".srt"))]
    assert sides and media == sorted([f["path"] for f in passed] + sides)
    for f in passed:
        payload = bag / "data" / "media" / f["path"]
        assert _sha256(payload) == f["sha256"] == _sha256(scanned / f["path"])
        rec = ET.parse(str(payload) + ".bestand.mdto.xml").getroot()
        b = rec.find("m:bestand", NS)
        assert b is not None
        assert b.findtext("m:naam", namespaces=NS) == payload.name
        assert b.findtext("m:omvang", namespaces=NS) == str(payload.stat().st_size)
        assert b.findtext("m:bestandsformaat/m:begripCode", namespaces=NS) == f["format"]["puid"]
        assert b.findtext("m:bestandsformaat/m:begripBegrippenlijst/m:verwijzingNaam",
                          namespaces=NS) == "PRONOM-register"
        assert b.findtext("m:checksum/m:checksumWaarde", namespaces=NS) == f["sha256"]
        assert b.findtext("m:checksum/m:checksumAlgoritme/m:begripLabel",
                          namespaces=NS) == "SHA256"
        assert b.findtext("m:isRepresentatieVan/m:verwijzingIdentificatie/"
                          "m:identificatieKenmerk", namespaces=NS) == f"PV-2025-0042/{f['path']}"
    for f in failed:
        assert not (bag / "data" / "media" / f["path"]).exists()
    report = (bag / "data" / "archive-report.txt").read_text(encoding="utf-8")
    for f in failed:
        assert f["path"] in report
    assert (bag / "data" / "mediaaudit-manifest.json").read_bytes() == \
        (scanned / "m.json").read_bytes()
    html = (bag / "data" / "mediaaudit-report.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "data:image" not in html


def test_every_record_is_valid_against_the_xsd(bag: Path) -> None:
    schema = xmlschema.XMLSchema10(str(_xsd_path()))  # a fresh schema, not the cached one
    records = sorted((bag / "data").rglob("*.mdto.xml"))
    # dossier, 8 passed files x 2, 3 audit files, 2 licence files and a caption file
    assert len(records) == 1 + 8 * 2 + 3 + 3
    for rec in records:
        schema.validate(str(rec))


def test_archiefstuk_carries_rights_config_and_links(bag: Path) -> None:
    rec = ET.parse(bag / "data/media/sample_media/stadhuis.png.mdto.xml").getroot()
    io = rec.find("m:informatieobject", NS)
    assert io is not None

    def text(path: str) -> str | None:
        return io.findtext(path, namespaces=NS)

    assert text("m:aggregatieniveau/m:begripLabel") == "Archiefstuk"
    assert text("m:waardering/m:begripCode") == "V"
    assert text("m:bewaartermijn/m:termijnLooptijd") == "P10Y"
    assert text("m:archiefvormer/m:verwijzingNaam") == "Gemeente Voorbeeld"
    assert text("m:beperkingGebruik/m:beperkingGebruikType/m:begripLabel") == "CC-BY-4.0"
    assert text("m:beperkingGebruik/m:beperkingGebruikDocumentatie/m:verwijzingNaam") == \
        "https://creativecommons.org/licenses/by/4.0/"
    assert "Anna de Vries" in (text("m:beperkingGebruik/"
                                    "m:beperkingGebruikNadereBeschrijving") or "")
    assert text("m:isOnderdeelVan/m:verwijzingIdentificatie/m:identificatieKenmerk") == \
        "PV-2025-0042"
    times = [e.findtext("m:eventTijd", namespaces=NS) for e in io.findall("m:event", NS)]
    assert "2025-03-14" in times
    dossier = ET.parse(bag / "data/dossier.mdto.xml").getroot()
    parts = dossier.findall("m:informatieobject/m:bevatOnderdeel", NS)
    assert len(parts) == 8


def test_owned_and_licensed_rights_become_restrictions() -> None:
    owned = restriction({"status": "owned", "holder": "Gemeente Voorbeeld"}, "Gemeente V")
    assert owned.type.label == "Auteursrecht bij archiefvormer"
    assert owned.description == "Rechthebbende: Gemeente Voorbeeld"
    lic = restriction({"status": "licensed", "licence": "LicenseRef-ANP", "holder": "ANP",
                       "licence_url": "https://example.org/anp"}, "Gemeente V")
    assert lic.type.label == "LicenseRef-ANP"
    assert "ANP" in (lic.description or "") and lic.documentation[0].naam.endswith("/anp")


# --- verify BAG_DIR ---------------------------------------------------------------


def test_verify_accepts_the_bag(bag: Path) -> None:
    r = run_cli("verify", str(bag))
    assert r.exit_code == 0, r.stdout + r.stderr


def test_one_changed_byte_makes_verify_fail_naming_the_file(bag: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bag"
    shutil.copytree(bag, copy)
    target = copy / "data/media/sample_media/stadhuis.png"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    r = run_cli("verify", str(copy))
    assert r.exit_code == 1
    assert "changed   data/media/sample_media/stadhuis.png" in r.stdout
    assert "1 changed" in r.stderr


def test_verify_names_added_missing_and_invalid_records(bag: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bag"
    shutil.copytree(bag, copy)
    (copy / "data/media/sample_media/logo.svg").unlink()
    (copy / "data/extra.txt").write_text("x", encoding="utf-8")
    rec = copy / "data/media/sample_media/campagne.jpg.bestand.mdto.xml"
    rec.write_text(rec.read_text(encoding="utf-8").replace("<omvang>", "<omvang>-"),
                   encoding="utf-8")
    r = run_cli("verify", str(copy))
    assert r.exit_code == 1
    assert "missing   data/media/sample_media/logo.svg" in r.stdout
    assert "added     data/extra.txt" in r.stdout
    assert "invalid   data/media/sample_media/campagne.jpg.bestand.mdto.xml" in r.stdout


def test_verify_a_folder_that_is_not_a_bag_is_exit_2(tmp_path: Path) -> None:
    r = run_cli("verify", str(tmp_path))
    assert r.exit_code == 2 and "not a bag" in r.stderr


# --- refusing bad input -----------------------------------------------------------


def _manifest(work: Path) -> dict[str, Any]:
    m: dict[str, Any] = json.loads((work / "m.json").read_text(encoding="utf-8"))
    return m


def _write_manifest(work: Path, m: dict[str, Any]) -> None:
    (work / "m.json").write_text(json.dumps(m), encoding="utf-8")


def _passwd_entry(m: dict[str, Any], path: str) -> dict[str, Any]:
    ok = next(f for f in m["files"] if f["outcome"] == "pass")
    entry = dict(ok, path=path)
    if os.path.isfile("/etc/passwd"):
        entry["sha256"] = _sha256(Path("/etc/passwd"))
    return entry


@pytest.mark.parametrize(("path", "why"), [
    ("/etc/passwd", "absolute path"),
    ("sample_media/../../../../../../etc/passwd", "contains '..'"),
    ("../etc/passwd", "contains '..'"),
    ("other/photo.jpg", "outside every scanned folder"),
])
def test_a_crafted_manifest_cannot_pack_etc_passwd(work: Path, path: str, why: str) -> None:
    m = _manifest(work)
    m["files"].append(_passwd_entry(m, path))
    _write_manifest(work, m)
    r = run_cli("archive", "m.json", "--out", "bag", cwd=work)
    assert r.exit_code == 2
    assert why in r.stderr and r.stderr.count("\n") == 1
    assert not (work / "bag").exists() and not _leftovers(work)


def test_a_symlink_out_of_the_scanned_folder_is_refused(work: Path) -> None:
    os.symlink("/etc/passwd", work / "sample_media" / "passwd.jpg")
    m = _manifest(work)
    m["files"].append(_passwd_entry(m, "sample_media/passwd.jpg"))
    _write_manifest(work, m)
    r = run_cli("archive", "m.json", "--out", "bag", cwd=work)
    assert r.exit_code == 2 and "resolves outside its scanned folder" in r.stderr
    assert not (work / "bag").exists() and not _leftovers(work)


def test_a_root_of_another_folder_is_refused(work: Path) -> None:
    m = _manifest(work)
    m["roots"] = ["/etc"]
    m["files"].append(_passwd_entry(m, "/etc/passwd"))
    _write_manifest(work, m)
    r = run_cli("archive", "m.json", "--out", "bag", cwd=work)
    assert r.exit_code == 2 and "refused" in r.stderr
    assert not (work / "bag").exists()


def test_plan_refuses_whatever_the_resolver_says_is_outside(tmp_path: Path) -> None:
    (tmp_path / "r").mkdir()
    (tmp_path / "r" / "a.png").write_bytes(b"x")
    m = {"roots": ["r"], "files": [{"path": "r/a.png", "outcome": "pass", "sha256": "0" * 64,
                                     "format": {"puid": "fmt/13"}}]}
    assert len(make_plan(m, base=str(tmp_path)).items) == 1

    def outside(p: str) -> str:
        return "/elsewhere/a.png" if p.endswith("a.png") else os.path.realpath(p)

    with pytest.raises(PlanError, match="resolves outside"):
        make_plan(m, base=str(tmp_path), resolve=outside)


def test_manifest_from_another_folder_is_exit_2(scanned: Path, tmp_path: Path) -> None:
    shutil.copy(scanned / "m.json", tmp_path / "m.json")
    r = run_cli("archive", "m.json", "--out", "bag", cwd=tmp_path)
    assert r.exit_code == 2 and "another folder" in r.stderr
    assert not (tmp_path / "bag").exists()


def test_a_changed_or_missing_file_stops_with_a_list(work: Path) -> None:
    with open(work / "sample_media" / "stadhuis.png", "ab") as fh:
        fh.write(b"\0")
    (work / "sample_media" / "logo.svg").unlink()
    r = run_cli("archive", "m.json", "--out", "bag", cwd=work)
    assert r.exit_code == 1
    assert "changed   sample_media/stadhuis.png" in r.stdout
    assert "missing   sample_media/logo.svg" in r.stdout
    assert not (work / "bag").exists() and not _leftovers(work)


def test_non_empty_or_unwritable_out_is_exit_2(work: Path) -> None:
    (work / "full").mkdir()
    (work / "full" / "x").write_text("x", encoding="utf-8")
    r = run_cli("archive", "m.json", "--out", "full", cwd=work)
    assert r.exit_code == 2 and "not empty" in r.stderr and r.stderr.count("\n") == 1
    r = run_cli("archive", "m.json", "--out", "m.json", cwd=work)
    assert r.exit_code == 2 and "not a folder" in r.stderr
    r = run_cli("archive", "m.json", "--out", "/proc/mediaaudit-bag", cwd=work)
    assert r.exit_code == 2 and r.stderr.startswith("mediaaudit: error: cannot write")
    r = run_cli("archive", "m.json", "--out", "no/such/parent/bag", cwd=work)
    assert r.exit_code == 2 and "does not exist" in r.stderr
    assert not _leftovers(work)


def test_an_empty_out_folder_is_used(work: Path) -> None:
    (work / "empty").mkdir()
    r = run_cli("archive", "m.json", "--out", "empty", cwd=work)
    assert r.exit_code == 0, r.stderr
    bagit.Bag(str(work / "empty")).validate()
    # without --request-id the dossier id is derived from the manifest
    assert "External-Identifier" not in bagit.Bag(str(work / "empty")).info
    assert "dossier mediaaudit-" in r.stderr


@pytest.mark.parametrize(("drop", "message"), [
    ("waardering", "[archive] waardering is missing"),
    ("bewaartermijn", "[archive] bewaartermijn is missing"),
])
def test_a_missing_config_value_is_one_line_exit_2(work: Path, drop: str, message: str) -> None:
    toml = work / "sample_media" / "mediaaudit.toml"
    lines = toml.read_text(encoding="utf-8").splitlines()
    toml.write_text("\n".join(x for x in lines if not x.startswith(drop)) + "\n",
                    encoding="utf-8")
    r = run_cli("archive", "m.json", "--out", "bag", cwd=work)
    assert r.exit_code == 2 and message in r.stderr and r.stderr.count("\n") == 1
    assert "mediaaudit.toml" in r.stderr
    assert not (work / "bag").exists()


def test_a_misspelt_archive_key_is_named_by_scan_and_archive(work: Path) -> None:
    toml = work / "sample_media" / "mediaaudit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("waardering", "waardring"),
                    encoding="utf-8")
    r = run_cli("archive", "m.json", "--out", "bag", cwd=work)
    assert r.exit_code == 2 and "did you mean 'waardering'?" in r.stderr
    r = run_cli("scan", "sample_media", "--no-cache", "-q", cwd=work)
    assert r.exit_code == 2 and "did you mean 'waardering'?" in r.stderr


def test_explicit_config_file(work: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "archive.toml"
    cfg.write_text(ARCHIVE_TOML.replace('"V"', '"B"').replace('bewaartermijn = "P10Y"\n', ""),
                   encoding="utf-8")
    r = run_cli("archive", "m.json", "--out", "bag", "--config", str(cfg), cwd=work)
    assert r.exit_code == 0, r.stderr
    rec = (work / "bag/data/dossier.mdto.xml").read_text(encoding="utf-8")
    assert "Blijvend te bewaren" in rec and "bewaartermijn" not in rec


# --- [archive] in the config (pure) -----------------------------------------------


@pytest.mark.parametrize(("doc", "message"), [
    ({"archve": {}}, "did you mean 'archive'?"),
    ({"archive": {"bewaartermijnen": "P1Y"}}, "did you mean 'bewaartermijn'?"),
    ({"archive": {"waardering": "X"}}, "must be \"B\""),
    ({"archive": {"bewaartermijn": "10 jaar"}}, "ISO 8601"),
    ({"archive": {"archiefvormer": "  "}}, "one line of text"),
    ({"archive": {"contact_email": "nobody"}}, "not an e-mail address"),
    ({"archive": "x"}, "[archive] must be a table"),
])
def test_archive_table_is_validated(doc: dict[str, Any], message: str) -> None:
    with pytest.raises(PolicyError) as err:
        build_policy(doc)
    assert message in str(err.value)


def test_require_names_what_is_missing_and_defaults() -> None:
    with pytest.raises(PolicyError, match="archiefvormer is missing"):
        require(build_policy({}).archive)
    pol = build_policy({"policy": {"organisation": "Gemeente X"},
                        "archive": {"waardering": "blijvend te bewaren",
                                    "contact_email": "a@b.nl"}})
    cfg = require(pol.archive, pol.organisations)
    assert cfg.archiefvormer.naam == "Gemeente X" and cfg.waardering.code == "B"
    assert cfg.identificatiebron == "Gemeente X" and cfg.bewaartermijn is None
    with pytest.raises(PolicyError, match="contact is missing"):
        require(build_policy({"archive": {"archiefvormer": "X", "waardering": "B"}}).archive)
