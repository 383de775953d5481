"""Empty, damaged, special and vanishing files: each gets one entry with a specific code."""

from __future__ import annotations

from pathlib import Path

import pytest

from mediaaudit.model import FileRef
from mediaaudit.probe.run import probe_file

import factory
import fixtures_all
from conftest import run_cli


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixtures_all.build_edges(tmp_path_factory.mktemp("edges") / "e")


@pytest.fixture(scope="module")
def run(edges: Path):  # type: ignore[no-untyped-def]
    return run_cli("scan", str(edges), "-j", "1", "--lang", "en", "--ignore", "MA-LIC")


@pytest.mark.parametrize(("name", "code", "outcome"), [
    ("bomb.png", "MA-IO-007", "fail"),
    ("cut.tif", "MA-IO-004", "fail"),
    ("cut.mp4", "MA-IO-004", "fail"),
    ("pipe.jpg", "MA-IO-008", "fail"),
    ("bare.svg", "MA-ID-002", "fail"),  # MIME-only: never a pass (issue 12)
    ("slowstart.mp4", "MA-FMT-006", "pass"),
    ("huge.png", "MA-FMT-007", "pass"),
])
def test_each_edge_has_its_code(run, name: str, code: str, outcome: str) -> None:  # type: ignore[no-untyped-def]
    e = run.entry(name)
    assert code in [x["code"] for x in e["findings"]], e["findings"]
    assert e["outcome"] == outcome


def test_a_file_whose_reads_fail_is_an_error(edges: Path) -> None:
    """A path named on the command line is followed: /proc/self/mem is a regular file
    whose every read fails (EIO), so the file could not be audited (exit 2)."""
    run = run_cli("scan", str(edges / "unreadable.png"), "-j", "1", "--ignore", "MA-LIC")
    e = run.entry("unreadable.png")
    assert e["outcome"] == "error" and run.exit_code == 2
    assert "MA-IO-002" in [x["code"] for x in e["findings"]]


def test_symlinks_inside_a_folder_are_listed_not_followed(run) -> None:  # type: ignore[no-untyped-def]
    reasons = {Path(s["path"]).name: s["reason"] for s in run.manifest["skipped"]}
    assert reasons["dangling.jpg"] == reasons["loop.jpg"] == "symlink (not followed)"


def test_scan_completes_and_accounts_for_everything(run, edges: Path) -> None:  # type: ignore[no-untyped-def]
    assert run.exit_code == 1  # files failed; every one could be audited
    m = run.manifest
    listed = {Path(f["path"]).name for f in m["files"]} | {Path(s["path"]).name
                                                           for s in m["skipped"]}
    on_disk = {p.name for p in edges.iterdir()} | {"ok.png"}
    assert on_disk <= listed | {"sub"}
    reasons = {Path(s["path"]).name: s["reason"] for s in m["skipped"]}
    link = "symlink (not followed)"
    assert reasons == {".hidden.png": "hidden", "ok.png.license": "sidecar",
                       "dangling.jpg": link, "loop.jpg": link, "unreadable.png": link}
    assert run.entry("sub/ok.png")["outcome"] == "pass"


def test_file_vanishing_before_probe_is_an_error_not_a_crash(tmp_path: Path) -> None:
    p = factory.image(tmp_path / "gone.png", "PNG")
    ref = FileRef(str(p), "gone.png", p.stat().st_size, p.stat().st_mtime_ns)
    p.unlink()
    facts = probe_file(ref)
    assert [n.code for n in facts.notes] == ["MA-IO-003"]


def test_tail_check_catches_truncated_jpeg_without_deep(tmp_path: Path) -> None:
    src = factory.image(tmp_path / "full.jpg", "JPEG", 400, 300, quality=95)
    factory.truncate(src, tmp_path / "half.jpg", 0.6)
    run = run_cli("scan", str(tmp_path / "half.jpg"))
    assert "MA-IO-004" in run.codes("half.jpg")
    assert "MA-IO-004" not in run_cli("scan", str(src)).codes("full.jpg")


def test_deep_decode_catches_corrupt_pixel_data(tmp_path: Path) -> None:
    """Markers intact, pixel data garbled.  The chunk's CRC gives it away by default; with
    the CRC made to match (the damage happened before the checksum was written, as in a
    broken encoder), unpacking the image data, also done by default, sees it (it used to
    take a full decode); ``--deep`` sees it too."""
    import struct
    import zlib

    src = factory.image(tmp_path / "ok.png", "PNG", 200, 150)
    data = bytearray(src.read_bytes())
    idat = data.find(b"IDAT")
    start = idat + 40
    data[start:start + 200] = bytes([0xFF]) * 200
    (tmp_path / "stale-crc.png").write_bytes(bytes(data))
    n = struct.unpack(">I", data[idat - 4:idat])[0]
    data[idat + 4 + n:idat + 8 + n] = struct.pack(">I", zlib.crc32(data[idat:idat + 4 + n]))
    (tmp_path / "garbled.png").write_bytes(bytes(data))
    src.unlink()
    stale = run_cli("scan", str(tmp_path / "stale-crc.png"))
    assert "MA-IO-004" in stale.codes("stale-crc.png")  # the CRC, checked by default
    (tmp_path / "stale-crc.png").unlink()
    shallow = run_cli("scan", str(tmp_path / "garbled.png"))
    assert "MA-IO-004" in shallow.codes("garbled.png")  # header, chunks, CRCs fine
    assert "PNG image data" in str(shallow.manifest)  # ... but the data does not unpack
    deep = run_cli("scan", "--deep", str(tmp_path / "garbled.png"))
    assert "MA-IO-004" in deep.codes("garbled.png") and deep.exit_code == 1
