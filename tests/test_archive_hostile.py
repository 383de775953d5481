"""Issue 26, archive and verify: nothing gets into a bag that should not, nothing hangs.

Every test makes the real condition: a root that is a symlink to /etc, a FIFO (os.mkfifo)
or a device where an audited file was, a bag whose tag manifests were deleted and whose
bag-info.txt was edited, file names with control characters or 240 bytes long, a manifest
of thousands of entries.  Commands that could hang run in a child process with a time
limit, so a regression fails in seconds instead of blocking the suite.  Bags are judged
by ``bagit`` and the MDTO XSD (``xmlschema``), not by the code under test.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import bagit
import pytest
import xmlschema

from mediaaudit.archive import mdto
from mediaaudit.archive.safe import safe_component, visible, xml_text
from mediaaudit.digest import NotRegular, open_regular, sha256_file
from mediaaudit.fsnames import NAME_MAX

from conftest import run_cli

SAMPLES = Path(__file__).resolve().parent.parent / "sample_media"
ARCHIVE_TOML = """
[archive]
archiefvormer = "Gemeente Voorbeeld"
waardering = "V"
bewaartermijn = "P10Y"
contact_name = "Team Informatiebeheer"
"""
LIMIT = 60  # seconds: every command here finishes in a few; a hang fails the test


def _sha256(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _xsd() -> xmlschema.XMLSchema10:
    from importlib import resources

    path = Path(str(resources.files("mediaaudit"))) / "schema" / "mdto" / mdto.XSD_NAME
    return xmlschema.XMLSchema10(str(path))


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``mediaaudit`` in a child process that may not take longer than ``LIMIT``."""
    return subprocess.run([sys.executable, "-m", "mediaaudit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=LIMIT,
                          env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": ""})


def _one_line_error(r: subprocess.CompletedProcess[str]) -> None:
    assert r.returncode == 2, r.stdout + r.stderr
    assert "Traceback" not in r.stderr and r.stderr.count("\n") == 1, r.stderr


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sample_media with an [archive] table and files with hostile names (copies of a
    file that passes), scanned as `scan sample_media`."""
    work = tmp_path_factory.mktemp("hostile")
    media = work / "sample_media"
    shutil.copytree(SAMPLES, media)
    with open(media / "mediaaudit.toml", "a", encoding="utf-8") as fh:
        fh.write(ARCHIVE_TOML)
    for name in ("a\x01b.png", "\x1b[31mred.png", "line\nbreak.png", " edge .png",
                 "foto\u202egnp.png", "x" * 236 + ".png"):
        shutil.copy(media / "stadhuis.png", media / name)
    for raw in (b"caf\xe9.png", b"back\\slash.png"):  # not UTF-8; a literal backslash
        shutil.copy(media / "stadhuis.png", os.fsdecode(os.fsencode(media) + b"/" + raw))
    r = run_cli("scan", "sample_media", "-o", "m.json", "--no-cache", "-q", cwd=work)
    assert r.exit_code == 1, r.stderr
    return work


@pytest.fixture()
def work(scanned: Path, tmp_path: Path) -> Path:
    dst = tmp_path / "w"
    shutil.copytree(scanned, dst, symlinks=True, ignore=shutil.ignore_patterns("bag"))
    return dst


@pytest.fixture(scope="module")
def bag(scanned: Path) -> Path:
    r = cli("archive", "m.json", "--out", "bag", "--request-id", "PV-26", cwd=scanned)
    assert r.returncode == 0, r.stderr
    return scanned / "bag"


def _manifest(work: Path) -> dict[str, Any]:
    m: dict[str, Any] = json.loads((work / "m.json").read_text(encoding="utf-8"))
    return m


def _write(work: Path, m: dict[str, Any], name: str = "m.json") -> None:
    (work / name).write_text(json.dumps(m), encoding="utf-8")


def _passed(m: dict[str, Any], path: str) -> dict[str, Any]:
    return next(f for f in m["files"] if f["path"] == path and f["outcome"] == "pass")


# --- 1. a symlinked root ----------------------------------------------------------


def test_a_root_that_is_a_symlink_to_etc_is_refused(work: Path) -> None:
    """The reported exploit: roots ["etc"] with etc -> /etc and an entry etc/passwd
    carrying the real SHA-256 packed /etc/passwd ("1 file(s) archived")."""
    os.symlink("/etc", work / "etc")
    m = _manifest(work)
    entry = dict(_passed(m, "sample_media/stadhuis.png"), path="etc/passwd",
                 sha256=_sha256(Path("/etc/passwd")))
    m["roots"], m["files"] = ["etc"], [entry]
    _write(work, m)
    r = cli("archive", "m.json", "--out", "bag", "--config", "sample_media/mediaaudit.toml",
            cwd=work)
    _one_line_error(r)
    assert "'etc' is refused" in r.stderr and "symlink" in r.stderr
    assert not (work / "bag").exists()
    assert not [p for p in work.iterdir() if p.name.startswith(".mediaaudit-archive-")]


def test_a_root_under_a_symlinked_folder_is_refused(work: Path) -> None:
    os.symlink("sample_media", work / "alias")
    m = _manifest(work)
    m["roots"] = ["alias"]
    for f in m["files"]:
        f["path"] = "alias/" + f["path"].split("/", 1)[1]
    _write(work, m)
    r = cli("archive", "m.json", "--out", "bag", "--config", "sample_media/mediaaudit.toml",
            cwd=work)
    _one_line_error(r)
    assert "symlink" in r.stderr and not (work / "bag").exists()


# --- 2. only regular files are opened ---------------------------------------------


def test_open_regular_opens_a_regular_file_only(tmp_path: Path) -> None:
    (tmp_path / "f").write_bytes(b"abc")
    fd = open_regular(str(tmp_path / "f"))
    with open(fd, "rb") as fh:
        assert fh.read() == b"abc"
    assert sha256_file(str(tmp_path / "f"), follow=False) == hashlib.sha256(b"abc").hexdigest()
    os.mkfifo(tmp_path / "fifo")
    os.symlink(tmp_path / "f", tmp_path / "link")
    (tmp_path / "dir").mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(tmp_path / "sock"))
    try:
        for path, kind in ((tmp_path / "fifo", "FIFO"), (tmp_path / "link", "symlink"),
                           (tmp_path / "dir", "folder"), (tmp_path / "sock", "socket"),
                           (Path("/dev/zero"), "character device")):
            with pytest.raises(NotRegular) as err:
                open_regular(str(path))
            assert err.value.kind == kind
            assert str(err.value) == f"{path} is not a regular file ({kind})"
            assert isinstance(err.value, OSError) and err.value.errno
    finally:
        sock.close()
    with pytest.raises(FileNotFoundError):
        open_regular(str(tmp_path / "gone"))


def test_a_fifo_in_place_of_a_passed_file_does_not_hang_archive(work: Path) -> None:
    target = work / "sample_media" / "stadhuis.png"
    target.unlink()
    os.mkfifo(target)
    r = cli("archive", "m.json", "--out", "bag", cwd=work)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "refused   sample_media/stadhuis.png: not a regular file (FIFO)" in r.stdout
    assert "1 no longer a regular file" in r.stderr and "Traceback" not in r.stderr
    assert not (work / "bag").exists()


def test_a_symlink_in_place_of_a_passed_file_is_not_followed(work: Path) -> None:
    """Inside the root, so the plan lets it through; reading it still refuses it."""
    target = work / "sample_media" / "stadhuis.png"
    shutil.move(target, work / "sample_media" / "elders.bin")
    os.symlink("elders.bin", target)
    r = cli("archive", "m.json", "--out", "bag", cwd=work)
    assert r.returncode == 1
    assert "refused   sample_media/stadhuis.png: not a regular file (symlink)" in r.stdout


def test_a_fifo_and_dev_zero_in_a_manifest_do_not_hang_verify(work: Path) -> None:
    target = work / "sample_media" / "campagne.jpg"
    target.unlink()
    os.mkfifo(target)
    m = _manifest(work)
    m["files"].append(dict(m["files"][0], path="/dev/zero"))
    _write(work, m)
    r = cli("verify", "m.json", cwd=work)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "refused   sample_media/campagne.jpg: not a regular file (FIFO); not read" \
        in r.stdout
    assert "refused   /dev/zero: not a regular file (character device); not read" in r.stdout
    assert "2 refused" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("command", ["archive", "verify"])
def test_a_fifo_given_as_the_manifest_is_one_line_not_a_hang(work: Path, command: str) -> None:
    os.mkfifo(work / "fifo.json")
    extra = ["--out", "bag"] if command == "archive" else []
    r = cli(command, "fifo.json", *extra, cwd=work)
    _one_line_error(r)
    assert "fifo.json is not a regular file (FIFO)" in r.stderr


def test_a_manifest_named_through_a_symlink_is_still_read(work: Path) -> None:
    os.symlink("m.json", work / "latest.json")
    r = cli("verify", "latest.json", "-q", cwd=work)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_symlink_named_to_scan_is_still_verified(tmp_path: Path) -> None:
    """scan follows a path it is given; verify does too (only there)."""
    shutil.copy(SAMPLES / "stadhuis.png", tmp_path / "real.png")
    os.symlink("real.png", tmp_path / "link.png")
    r = run_cli("scan", "link.png", "-o", "m.json", "--no-cache", "-q", cwd=tmp_path)
    assert r.exit_code in (0, 1), r.stderr
    r2 = cli("verify", "m.json", cwd=tmp_path)
    assert r2.returncode == 0, r2.stdout + r2.stderr
    assert "unchanged link.png" in r2.stdout


def test_a_fifo_in_a_bag_does_not_hang_verify(bag: Path, tmp_path: Path) -> None:
    copy = tmp_path / "bag"
    shutil.copytree(bag, copy)
    payload = copy / "data/media/sample_media/stadhuis.png"
    payload.unlink()
    os.mkfifo(payload)
    os.mkfifo(copy / "data" / "extra-fifo")
    r = cli("verify", str(copy), cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "invalid   data/media/sample_media/stadhuis.png: not a regular file (FIFO)" \
        in r.stdout
    assert "invalid   data/extra-fifo: not a regular file (FIFO)" in r.stdout


def test_a_tag_file_that_is_a_fifo_stops_verify_with_one_line(bag: Path,
                                                              tmp_path: Path) -> None:
    copy = tmp_path / "bag"
    shutil.copytree(bag, copy)
    (copy / "bag-info.txt").unlink()
    os.mkfifo(copy / "bag-info.txt")
    r = cli("verify", str(copy), cwd=tmp_path)
    _one_line_error(r)
    assert "bag-info.txt is not a regular file (FIFO)" in r.stderr


# --- 3. verify BAG: tag manifests, bag-info.txt, extra top-level files ------------


def _tampered(bag: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "bag"
    shutil.copytree(bag, copy)
    return copy


def _edit_info(copy: Path, key: str, value: str) -> None:
    info = copy / "bag-info.txt"
    lines = [f"{key}: {value}" if x.startswith(f"{key}:") else x
             for x in info.read_text(encoding="utf-8").splitlines()]
    info.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_the_bag_passes_verify_and_bagit(bag: Path) -> None:
    bagit.Bag(str(bag)).validate()
    r = cli("verify", str(bag), cwd=bag.parent)
    assert r.returncode == 0, r.stdout + r.stderr


def test_deleted_tag_manifests_and_edited_bag_info_are_found(bag: Path,
                                                            tmp_path: Path) -> None:
    copy = _tampered(bag, tmp_path)
    for p in copy.glob("tagmanifest-*.txt"):
        p.unlink()
    _edit_info(copy, "External-Identifier", "PV-FORGED")
    _edit_info(copy, "Source-Organization", "Someone Else")
    bagit.Bag(str(copy)).validate()  # the gap: bagit calls this bag valid
    r = cli("verify", str(copy), cwd=tmp_path)
    assert r.returncode == 1, r.stdout
    assert "invalid   no tag manifest (tagmanifest-*.txt)" in r.stdout
    assert "valid     " not in r.stdout


@pytest.mark.parametrize(("key", "value"), [("External-Identifier", "PV-FORGED"),
                                            ("Source-Organization", "Someone Else")])
def test_an_edited_bag_info_is_changed(bag: Path, tmp_path: Path, key: str,
                                       value: str) -> None:
    copy = _tampered(bag, tmp_path)
    _edit_info(copy, key, value)
    r = cli("verify", str(copy), cwd=tmp_path)
    assert r.returncode == 1 and "changed   bag-info.txt" in r.stdout


def test_bag_info_re_hashed_with_bagit_must_still_match_the_dossier(bag: Path,
                                                                   tmp_path: Path) -> None:
    """bagit's own ``save`` re-hashes an edited bag-info.txt into the tag manifests; the
    identifiers and the organisation must still be the Dossier's."""
    copy = _tampered(bag, tmp_path)
    b = bagit.Bag(str(copy))
    b.info["External-Identifier"] = "PV-FORGED"
    b.info["Source-Organization"] = "Someone Else"
    b.save()
    bagit.Bag(str(copy)).validate()
    r = cli("verify", str(copy), cwd=tmp_path)
    assert r.returncode == 1, r.stdout
    assert "bag-info.txt External-Identifier is 'PV-FORGED', but data/dossier.mdto.xml " \
        "says 'PV-26'" in r.stdout
    assert "bag-info.txt Source-Organization is 'Someone Else', but data/dossier.mdto.xml " \
        "says 'Gemeente Voorbeeld'" in r.stdout


def test_a_tag_manifest_must_list_bag_info(bag: Path, tmp_path: Path) -> None:
    copy = _tampered(bag, tmp_path)
    _edit_info(copy, "Source-Organization", "Someone Else")
    for p in copy.glob("tagmanifest-*.txt"):
        keep = [x for x in p.read_text(encoding="utf-8").splitlines()
                if not x.endswith("  bag-info.txt")]
        p.write_text("\n".join(keep) + "\n", encoding="utf-8")
    bagit.Bag(str(copy)).validate()  # the gap again
    r = cli("verify", str(copy), cwd=tmp_path)
    assert r.returncode == 1
    assert "invalid   bag-info.txt is not listed in tagmanifest-sha256.txt" in r.stdout
    assert "invalid   bag-info.txt is not listed in tagmanifest-sha512.txt" in r.stdout


def test_one_missing_tag_manifest_is_named(bag: Path, tmp_path: Path) -> None:
    copy = _tampered(bag, tmp_path)
    (copy / "tagmanifest-sha512.txt").unlink()
    r = cli("verify", str(copy), cwd=tmp_path)
    assert r.returncode == 1
    assert "tagmanifest-sha512.txt is missing (there is a manifest-sha512.txt)" in r.stdout


@pytest.mark.parametrize("name", ["notes.txt", "fetch.txt", "extra-folder"])
def test_an_extra_top_level_file_is_refused(bag: Path, tmp_path: Path, name: str) -> None:
    copy = _tampered(bag, tmp_path)
    if name == "extra-folder":
        (copy / name).mkdir()
        (copy / name / "x").write_text("x", encoding="utf-8")
    else:
        (copy / name).write_text("", encoding="utf-8")
    if name != "fetch.txt":
        bagit.Bag(str(copy)).validate()  # bagit allows other top-level files
    r = cli("verify", str(copy), cwd=tmp_path)
    assert r.returncode == 1, r.stdout + r.stderr
    assert f"added     {name}" in r.stdout


# --- 4. names: control characters and 240 bytes ----------------------------------


def test_hostile_names_give_a_valid_bag(scanned: Path, bag: Path) -> None:
    """Before: "a\\x01b.png" made every record invalid ("invalid token") and a 240-byte
    name an OSError [Errno 36] with a traceback."""
    m = _manifest(scanned)
    hostile = [f for f in m["files"] if (f["path"].startswith("sample_media/")
               and visible(f["path"]) != f["path"]) or len(f["path"]) > 200
               or f["path"].startswith("sample_media/ ")]
    assert len(hostile) == 6 and all(f["outcome"] == "pass" for f in hostile)
    bagit.Bag(str(bag)).validate()
    schema = _xsd()
    for rec in sorted((bag / "data").rglob("*.mdto.xml")):
        schema.validate(str(rec))
    names = [p.name for p in bag.rglob("*")]
    assert all(visible(n) == n and n == n.strip() for n in names), names
    assert all(len(n.encode()) <= NAME_MAX for n in names)
    dossier = (bag / "data" / "dossier.mdto.xml").read_text(encoding="utf-8")
    assert "PV-26/sample_media/a\\x01b.png" in dossier
    assert "PV-26/sample_media/\\x1b[31mred.png" in dossier
    assert "PV-26/sample_media/line\\x0abreak.png" not in dossier  # XML keeps a newline
    report = (bag / "data" / "archive-report.txt").read_text(encoding="utf-8")
    assert "(from sample_media/a\\x01b.png)" in report and "\x1b" not in report
    assert "(from sample_media/foto\\u202egnp.png)" in report and "\u202e" not in report
    assert f"(from sample_media/{'x' * 236}.png)" in report
    for f in hostile:  # each file is in the bag, unchanged, under its safe name
        line = next(x for x in report.splitlines() if f"(from {visible(f['path'])})" in x)
        payload = bag / "data" / line.split()[0]
        assert _sha256(payload) == f["sha256"]
        assert (Path(str(payload) + mdto.BESTAND_SUFFIX)).is_file()


def test_a_name_that_is_not_utf8_or_holds_a_backslash_is_archived(scanned: Path,
                                                                   bag: Path) -> None:
    """``caf\\xe9.png`` is read by its exact bytes (``path_bytes``; it was "missing" and
    stopped the bag) and a backslash is a character of a name, never a folder (the bag had
    ``caf/xe9.png``)."""
    m = _manifest(scanned)
    for shown in ("sample_media/caf\\xe9.png", "sample_media/back\\slash.png"):
        f = _passed(m, shown)
        report = (bag / "data" / "archive-report.txt").read_text(encoding="utf-8")
        line = next(x for x in report.splitlines() if f"(from {shown})" in x)
        payload = bag / "data" / line.split()[0]
        assert payload.parent.name == "sample_media" and "~" in payload.name
        assert _sha256(payload) == f["sha256"]
        dossier = (bag / "data" / "dossier.mdto.xml").read_text(encoding="utf-8")
        assert f"PV-26/{shown}" in dossier


def test_hostile_names_verify_as_valid(bag: Path) -> None:
    r = cli("verify", str(bag), cwd=bag.parent)
    assert r.returncode == 0, r.stdout + r.stderr


def test_a_changed_hostile_file_is_printed_escaped(work: Path) -> None:
    with open(work / "sample_media" / "\x1b[31mred.png", "ab") as fh:
        fh.write(b"\0")
    r = cli("archive", "m.json", "--out", "bag", cwd=work)
    assert r.returncode == 1
    assert "changed   sample_media/\\x1b[31mred.png" in r.stdout and "\x1b" not in r.stdout


def test_xml_text_and_safe_names() -> None:
    assert xml_text("a\x01b\r\n\t\ud800.png") == "a\\x01b\\x0d\n\t\\ud800.png"
    assert xml_text("Gemeente — Ünïcode") == "Gemeente — Ünïcode"
    assert visible("a\nb\x1b\u202e\udc80") == "a b\\x1b\\u202e\\udc80"
    assert safe_component("stadhuis.png", 17) == "stadhuis.png"
    long = "é" * 150 + ".png"  # 304 bytes
    short = safe_component(long, 17)
    assert len(short.encode()) + 17 <= NAME_MAX and short.endswith(".png") and "~" in short
    assert safe_component(long, 17) == short  # the same name every time
    assert safe_component("é" * 149 + "e.png", 17) != short  # and another for another
    assert safe_component("a\x01b.png") != safe_component("a\\x01b.png")
    assert "%0a" not in safe_component("a%0Ab.png").lower()


# --- 5. memory does not grow with the number of entries ---------------------------


def test_the_streamed_html_report_is_the_report_of_the_loaded_manifest(scanned: Path,
                                                                     bag: Path) -> None:
    """archive renders the HTML report from entries read one at a time; it must be the
    very page ``write_html`` makes of the manifest loaded whole."""
    import io

    from mediaaudit.writers.html_writer import write_html

    page = io.StringIO()
    write_html(_manifest(scanned), page)
    assert (bag / "data" / "mediaaudit-report.html").read_bytes() == \
        page.getvalue().encode("utf-8")


def _big_request(scanned: Path, folder: Path, n: int) -> None:
    m = _manifest(scanned)
    tmpl = _passed(m, "sample_media/stadhuis.png")
    files = []
    (folder / "media").mkdir(parents=True)
    for i in range(n):
        sub = folder / "media" / f"d{i // 500}"
        sub.mkdir(exist_ok=True)
        data = b"\x89PNG" + str(i).encode()
        (sub / f"f{i}.png").write_bytes(data)
        files.append(dict(tmpl, path=f"media/d{i // 500}/f{i}.png", size=len(data),
                          sha256=hashlib.sha256(data).hexdigest()))
    m.update(roots=["media"], files=files, summary={"files": n, "pass": n, "fail": 0,
                                                     "error": 0})
    _write(folder, m)
    (folder / "mediaaudit.toml").write_text(ARCHIVE_TOML, encoding="utf-8")


_PEAK = """
import atexit, sys
from mediaaudit.cli.main import main

def peak():
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                sys.stderr.write(f"peak-kib {line.split()[1]}\\n")

atexit.register(peak)
sys.argv = ["mediaaudit", *sys.argv[1:]]
main()
"""


def _peak_rss_mib(args: list[str], cwd: Path) -> float:
    """Peak resident memory of the command in MiB: its own VmHWM at exit (a child's
    rusage would count the test process it was forked from)."""
    r = subprocess.run([sys.executable, "-c", _PEAK, *args], cwd=cwd, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return int(r.stderr.rsplit("peak-kib ", 1)[1].split()[0]) / 1024


def test_archive_memory_does_not_grow_with_the_number_of_entries(scanned: Path,
                                                                 tmp_path: Path) -> None:
    """Before: 26 KB per entry (50,000 entries: 1.3 GB).  Now the manifest is read as a
    stream and the bag written as one: 4,000 more entries may cost a few MB at most."""
    peaks = []
    for n in (500, 4500):
        folder = tmp_path / f"n{n}"
        _big_request(scanned, folder, n)
        peaks.append(_peak_rss_mib(["archive", "m.json", "--out", "bag", "--config",
                                    "mediaaudit.toml"], folder))
        bagit.Bag(str(folder / "bag")).validate(fast=True)
    assert peaks[1] - peaks[0] < 15, peaks
