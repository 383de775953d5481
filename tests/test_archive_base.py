"""``archive`` from any scan: a folder scanned by its absolute path or as ``../upload``
is archived when it lies inside the base folder (``--base``, default: the folder archive
runs in); a crafted manifest still packs nothing from outside that base or its roots; the
caption and licence files of passed media go into the bag beside them.

Real files throughout: sample_media's video with its Dutch WebVTT and a photo with its
REUSE licence, scanned by the real ``scan``; bags judged by ``verify`` and by the
``bagit`` library, records by the MDTO XSD through ``verify`` and read back with
ElementTree; /etc/passwd and symlinks made with ``os.symlink`` for the crafted cases.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import bagit
import pytest

from mediaaudit.archive import mdto

from conftest import run_cli

SAMPLES = Path(__file__).resolve().parent.parent / "sample_media"
NS = {"m": mdto.NS}
TOML = """
[policy]
organisation = ["Gemeente Voorbeeld"]

[archive]
archiefvormer = "Gemeente Voorbeeld"
waardering = "V"
bewaartermijn = "P10Y"
contact_name = "Team Informatiebeheer"
"""
DELIVERY = ("interview.mp4", "interview.nl.vtt", "campagne.jpg", "campagne.jpg.license",
            "stadhuis.png")


def _sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _delivery(folder: Path) -> Path:
    """A delivery as a communications officer has it: a video with its captions, a
    photo with its licence, a photo of the organisation's own, and the settings."""
    folder.mkdir(parents=True)
    for name in DELIVERY:
        shutil.copy(SAMPLES / name, folder / name)
    (folder / "mediaaudit.toml").write_text(TOML, encoding="utf-8")
    return folder


def _scan(target: str, cwd: Path, out: str = "m.json") -> dict[str, Any]:
    r = run_cli("scan", target, "-o", out, "--no-cache", "-q", cwd=cwd)
    assert r.exit_code == 0, r.stderr
    m: dict[str, Any] = json.loads((cwd / out).read_text(encoding="utf-8"))
    assert all(f["outcome"] == "pass" for f in m["files"]), [f["path"] for f in m["files"]]
    return m


def _one_line_refusal(r: Any, *words: str) -> None:
    assert r.exit_code == 2, r.stdout + r.stderr
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    for w in words:
        assert w in r.stderr, r.stderr


def _nothing_written(folder: Path) -> None:
    assert not (folder / "bag").exists()
    assert not [p for p in folder.iterdir() if p.name.startswith(".mediaaudit-archive-")]


def _check_bag(bag: Path, media: Path, folder: str) -> None:
    """The bag holds every file of the delivery with its sidecars beside it, passes
    ``verify`` and ``bagit``, and the sidecars' records belong to their media file."""
    r = run_cli("verify", str(bag))
    assert r.exit_code == 0, r.stdout + r.stderr
    b = bagit.Bag(str(bag))
    b.validate()  # bagit's own full check: every checksum, Payload-Oxum, completeness
    payload = bag / "data" / "media" / folder
    for name in DELIVERY:
        assert _sha256(payload / name) == _sha256(media / name), name
        assert f"data/media/{folder}/{name}" in b.entries
        assert (payload / f"{name}{mdto.BESTAND_SUFFIX}").is_file()
    for side, owner in (("interview.nl.vtt", "interview.mp4"),
                        ("campagne.jpg.license", "campagne.jpg")):
        rec = ET.parse(payload / f"{side}{mdto.BESTAND_SUFFIX}").getroot()
        of = rec.findtext("m:bestand/m:isRepresentatieVan/m:verwijzingIdentificatie/"
                          "m:identificatieKenmerk", namespaces=NS)
        stuk = ET.parse(payload / f"{owner}{mdto.SUFFIX}").getroot()
        assert of == stuk.findtext("m:informatieobject/m:identificatie/"
                                   "m:identificatieKenmerk", namespaces=NS)
        assert of is not None and ".." not in of and "//" not in of
        reps = [e.findtext("m:verwijzingNaam", namespaces=NS)
                for e in stuk.iterfind("m:informatieobject/m:heeftRepresentatie", NS)]
        assert reps == [owner, side]
    docs = ET.parse(payload / f"campagne.jpg{mdto.SUFFIX}").getroot().iterfind(
        "m:informatieobject/m:beperkingGebruik/m:beperkingGebruikDocumentatie/"
        "m:verwijzingNaam", NS)
    assert "campagne.jpg.license" in [d.text for d in docs]
    vtt = ET.parse(payload / f"interview.nl.vtt{mdto.BESTAND_SUFFIX}").getroot()
    assert vtt.findtext("m:bestand/m:bestandsformaat/m:begripCode", namespaces=NS) == "fmt/1454"


# --- scans that archive could not read before ---------------------------------------


def test_scan_by_absolute_path_then_archive_in_one_try(tmp_path: Path) -> None:
    """What watch and scripts write: roots and paths like /srv/share/uploads/PV-42."""
    media = _delivery(tmp_path / "srv" / "share" / "uploads" / "PV-42")
    home = tmp_path / "home"
    home.mkdir()
    m = _scan(str(media), home)
    assert m["roots"] == [str(media)] and m["files"][0]["path"].startswith("/")
    r = run_cli("archive", "m.json", "--out", "bag", "--base",
                str(tmp_path / "srv" / "share" / "uploads"), "--request-id", "PV-42", cwd=home)
    assert r.exit_code == 0, r.stderr
    assert "3 files archived" in r.stderr and "12 MDTO records" in r.stderr
    _check_bag(home / "bag", media, "PV-42")


def test_an_absolute_scan_inside_the_folder_archive_runs_in_needs_no_base(
        tmp_path: Path) -> None:
    media = _delivery(tmp_path / "uploads" / "PV-42")
    m = _scan(str(media), tmp_path)
    assert m["roots"] == [str(media)]
    r = run_cli("archive", "m.json", "--out", "bag", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    _check_bag(tmp_path / "bag", media, "uploads/PV-42")


def test_scan_of_dotdot_upload_from_a_sibling_folder_then_archive(tmp_path: Path) -> None:
    """The reported case: 'scan ../upload' in work/, then archive in work/ with the
    base that holds both (before: refused "contains '..'" whatever was given)."""
    media = _delivery(tmp_path / "upload")
    work = tmp_path / "work"
    work.mkdir()
    m = _scan("../upload", work)
    assert m["roots"] == ["../upload"]
    r = run_cli("archive", "m.json", "--out", "bag", "--base", "..", cwd=work)
    assert r.exit_code == 0, r.stderr
    _check_bag(work / "bag", media, "upload")
    report = (work / "bag" / "data" / "archive-report.txt").read_text(encoding="utf-8")
    assert "media/upload/campagne.jpg  " in report  # and the way back to the manifest:
    assert "(from ../upload/campagne.jpg)" in report


def test_without_base_a_folder_outside_says_which_and_what_to_give(tmp_path: Path) -> None:
    _delivery(tmp_path / "upload")
    work = tmp_path / "work"
    work.mkdir()
    _scan("../upload", work)
    r = run_cli("archive", "m.json", "--out", "bag", cwd=work)
    _one_line_refusal(r, "'../upload'", f"lies outside the base folder {work}",
                      f"--base {tmp_path / 'upload'}")
    _nothing_written(work)
    r = run_cli("archive", "m.json", "--out", "bag", "--lang", "nl", cwd=work)
    _one_line_refusal(r, "'../upload'", f"ligt buiten de basismap {work}",
                      f"geef dan --base {tmp_path / 'upload'}")


def test_base_given_explicitly_must_hold_the_scanned_folder(tmp_path: Path) -> None:
    _delivery(tmp_path / "a" / "upload")
    (tmp_path / "b").mkdir()
    _scan("a/upload", tmp_path)
    r = run_cli("archive", "m.json", "--out", "bag", "--base", "b", cwd=tmp_path)
    _one_line_refusal(r, "'a/upload'", f"outside the base folder {tmp_path / 'b'}")
    _nothing_written(tmp_path)
    r = run_cli("archive", "m.json", "--out", "bag", "--base", "nowhere", cwd=tmp_path)
    assert r.exit_code == 2 and "nowhere" in r.stderr
    r = run_cli("archive", "m.json", "--out", "bag", "--base", "a", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    _check_bag(tmp_path / "bag", tmp_path / "a" / "upload", "upload")


# --- crafted manifests -----------------------------------------------------------------


@pytest.fixture()
def absolute(tmp_path: Path) -> Path:
    """A delivery scanned by its absolute path, the manifest in the base folder."""
    _delivery(tmp_path / "uploads" / "PV-42")
    _scan(str(tmp_path / "uploads" / "PV-42"), tmp_path)
    return tmp_path


def _crafted(folder: Path, change: Any) -> None:
    m = json.loads((folder / "m.json").read_text(encoding="utf-8"))
    change(m)
    (folder / "m.json").write_text(json.dumps(m), encoding="utf-8")


def _passwd(m: dict[str, Any], path: str) -> dict[str, Any]:
    return dict(m["files"][0], path=path, sha256=_sha256(Path("/etc/passwd")), sidecars=[])


def test_a_root_of_etc_is_refused_naming_it(absolute: Path) -> None:
    _crafted(absolute, lambda m: m.update(roots=["/etc"], files=[_passwd(m, "/etc/passwd")]))
    r = run_cli("archive", "m.json", "--out", "bag", cwd=absolute)
    _one_line_refusal(r, "'/etc'", "outside the base folder")
    _nothing_written(absolute)


@pytest.mark.parametrize(("path", "why"), [
    ("{root}/../../../../../../etc/passwd", "contains '..'"),
    ("/etc/passwd", "an absolute path outside every scanned folder"),
    ("../../etc/passwd", "contains '..'"),
])
def test_an_entry_out_of_its_root_is_refused_naming_it(absolute: Path, path: str,
                                                        why: str) -> None:
    root = str(absolute / "uploads" / "PV-42")
    shown = path.format(root=root)
    _crafted(absolute, lambda m: m["files"].append(_passwd(m, shown)))
    r = run_cli("archive", "m.json", "--out", "bag", "--base", "/", cwd=absolute)
    _one_line_refusal(r, shown, why)
    _nothing_written(absolute)


def test_dotdot_entries_of_a_dotdot_root_are_refused(tmp_path: Path) -> None:
    _delivery(tmp_path / "upload")
    work = tmp_path / "work"
    work.mkdir()
    _scan("../upload", work)
    _crafted(work, lambda m: m["files"].append(_passwd(m, "../upload/../../etc/passwd")))
    r = run_cli("archive", "m.json", "--out", "bag", "--base", "/", cwd=work)
    _one_line_refusal(r, "../upload/../../etc/passwd", "contains '..'")
    _nothing_written(work)


def test_a_symlink_out_of_the_base_is_refused(absolute: Path) -> None:
    folder = absolute / "uploads" / "PV-42"
    os.symlink("/etc/passwd", folder / "passwd.jpg")
    _crafted(absolute, lambda m: m["files"].append(_passwd(m, f"{folder}/passwd.jpg")))
    r = run_cli("archive", "m.json", "--out", "bag", cwd=absolute)
    _one_line_refusal(r, f"{folder}/passwd.jpg", "resolves outside its scanned folder",
                      "/etc/passwd")
    _nothing_written(absolute)


def test_a_root_that_is_a_symlink_out_of_the_base_is_refused(tmp_path: Path) -> None:
    _delivery(tmp_path / "elsewhere" / "upload")
    base = tmp_path / "base"
    base.mkdir()
    os.symlink(tmp_path / "elsewhere" / "upload", base / "upload")
    _scan("upload", base)
    r = run_cli("archive", "m.json", "--out", "bag", cwd=base)
    _one_line_refusal(r, "'upload' is refused", "symlink")
    _nothing_written(base)


def test_a_licence_swapped_for_a_symlink_after_the_scan_is_not_packed(
        absolute: Path) -> None:
    """The licence file the audit read is now a symlink to /etc/passwd: never read
    (sidecars are regular files only), named as missing, nothing written."""
    lic = absolute / "uploads" / "PV-42" / "campagne.jpg.license"
    lic.unlink()
    os.symlink("/etc/passwd", lic)
    r = run_cli("archive", "m.json", "--out", "bag", cwd=absolute)
    assert r.exit_code == 1, r.stderr
    assert f"missing   {lic}" in r.stdout
    _nothing_written(absolute)


def test_a_caption_deleted_after_the_scan_stops_the_bag(absolute: Path) -> None:
    (absolute / "uploads" / "PV-42" / "interview.nl.vtt").unlink()
    r = run_cli("archive", "m.json", "--out", "bag", cwd=absolute)
    assert r.exit_code == 1 and "interview.nl.vtt" in r.stdout
    _nothing_written(absolute)


def test_a_sidecar_added_after_the_scan_is_not_packed(absolute: Path) -> None:
    """The audit did not read it, so its verdict does not rest on it."""
    (absolute / "uploads" / "PV-42" / "stadhuis.png.license").write_text(
        "SPDX-License-Identifier: CC0-1.0\n", encoding="utf-8")
    r = run_cli("archive", "m.json", "--out", "bag", cwd=absolute)
    assert r.exit_code == 0, r.stderr
    assert not (absolute / "bag" / "data" / "media" / "uploads" / "PV-42" /
                "stadhuis.png.license").exists()


def test_archive_speaks_the_runs_language(absolute: Path) -> None:
    r = run_cli("archive", "m.json", "--out", "bag", "--lang", "nl", cwd=absolute)
    assert r.exit_code == 0, r.stderr
    assert r.stderr == ("mediaaudit: bag geschreven naar bag: 3 bestanden gearchiveerd met "
                        "2 ondertitel- en licentiebestanden ernaast, 0 weggelaten "
                        "(data/archive-report.txt), 12 MDTO-records, dossier "
                        f"{r.stderr.rsplit(' ', 1)[1]}")
    shutil.rmtree(absolute / "bag")
    (absolute / "uploads" / "PV-42" / "interview.nl.vtt").unlink()
    r = run_cli("archive", "m.json", "--out", "bag", "--lang", "nl", cwd=absolute)
    assert r.exit_code == 1
    assert r.stdout == f"ontbreekt {absolute}/uploads/PV-42/interview.nl.vtt\n"
    assert "1 ontbreekt sinds de controle; geen bag geschreven" in r.stderr


def test_a_caption_two_videos_share_goes_in_once(tmp_path: Path) -> None:
    """clip.vtt is the caption of clip.mp4 and of clip.mkv (named after the stem): it
    goes into the bag once, with the first, instead of stopping the bag as a name used
    twice."""
    up = tmp_path / "up"
    up.mkdir()
    shutil.copy(SAMPLES / "interview.mp4", up / "clip.mp4")
    shutil.copy(SAMPLES / "archief.mkv", up / "clip.mkv")
    shutil.copy(SAMPLES / "interview.nl.vtt", up / "clip.vtt")
    (up / "mediaaudit.toml").write_text(TOML, encoding="utf-8")
    m = _scan("up", tmp_path)
    assert [f["sidecars"] for f in m["files"]] == [["clip.vtt"], ["clip.vtt"]]
    r = run_cli("archive", "m.json", "--out", "bag", cwd=tmp_path)
    assert r.exit_code == 0, r.stderr
    assert "with 1 caption or licence file beside them" in r.stderr
    assert _sha256(tmp_path / "bag" / "data" / "media" / "up" / "clip.vtt") == \
        _sha256(up / "clip.vtt")
    assert run_cli("verify", str(tmp_path / "bag")).exit_code == 0
    bagit.Bag(str(tmp_path / "bag")).validate()


def test_a_manifest_that_cannot_be_read_is_one_line_in_the_runs_language(
        tmp_path: Path) -> None:
    r = run_cli("archive", "nope.json", "--out", "bag", "--lang", "nl", cwd=tmp_path)
    assert r.exit_code == 2
    assert r.stderr == ("mediaaudit: fout: kan het manifest nope.json niet lezen: de map of "
                        "het bestand bestaat niet\n")
    os.mkfifo(tmp_path / "fifo.json")
    r = run_cli("archive", "fifo.json", "--out", "bag", "--lang", "nl", cwd=tmp_path)
    assert r.stderr == ("mediaaudit: fout: kan het manifest niet lezen: fifo.json is geen "
                        "gewoon bestand (FIFO)\n")
