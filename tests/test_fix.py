"""``mediaaudit fix``: phone and web media rejected on format become NVF-conforming
derivatives that keep licence, holder, credit, alt text and captions (checked with
exiftool and ffprobe, independent of mediaaudit's own readers), lose their GPS position
with --strip-location, pass a scan, and leave the originals byte-identical."""

from __future__ import annotations

import hashlib
import json
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import factory
from conftest import have, run_cli

CC_BY = "https://creativecommons.org/licenses/by/4.0/"
XMP = f"""<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF
 xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about=""
 xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"
 xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/"
 xmlns:xmpRights="http://ns.adobe.com/xap/1.0/rights/"
 xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/"
 photoshop:Credit="Gemeente Voorbeeld / Anna de Vries" {{gps}}>
<cc:license rdf:resource="{CC_BY}"/>
<xmpRights:WebStatement>{CC_BY}</xmpRights:WebStatement>
<dc:creator><rdf:Seq><rdf:li>Anna de Vries</rdf:li></rdf:Seq></dc:creator>
<dc:rights><rdf:Alt><rdf:li xml:lang="x-default">© Anna de Vries</rdf:li></rdf:Alt></dc:rights>
<Iptc4xmpCore:AltTextAccessibility><rdf:Alt><rdf:li xml:lang="x-default">{{alt}}</rdf:li>
</rdf:Alt></Iptc4xmpCore:AltTextAccessibility>
</rdf:Description></rdf:RDF></x:xmpmeta>"""
GPS_XMP = 'exif:GPSLatitude="52,5.5N" exif:GPSLongitude="4,30.1E"'

pytestmark = pytest.mark.skipif(not (have("exiftool") and have("ffprobe")),
                                reason="exiftool and ffprobe are the oracles")


def _xmp(alt: str, gps: bool) -> bytes:
    return XMP.format(alt=alt, gps=GPS_XMP if gps else "").encode()


def _phone_exif() -> bytes:
    """An iPhone-style EXIF block: make, model, orientation, serial, GPS."""
    ex = Image.Exif()
    ex[0x010F], ex[0x0110], ex[0x0112] = "Apple", "iPhone 15 Pro", 6
    gps = ex.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 5.0, 30.0), "E", (4.0, 30.0, 6.0)
    ex.get_ifd(0x8769)[0xA431] = "F2LXK0ABCDEF"  # BodySerialNumber
    return ex.tobytes()


def _video(path: Path, fmt: str, vcodec: str, acodec: str, scodec: str,
           tags: dict[str, str]) -> Path:
    """A 0.4 s clip with sound and one Dutch caption cue, written by PyAV (its wheel
    has libx264, libx265, libvpx-vp9, AAC, Opus, mov_text and WebVTT encoders)."""
    import av
    from av.subtitles.subtitle import SubtitleSet

    from mediaaudit.fix.video import ASS_HEADER

    out = av.open(str(path), "w", format=fmt)
    out.metadata.update(tags)
    vs = out.add_stream(vcodec, rate=25)
    vs.width, vs.height, vs.pix_fmt = 64, 48, "yuv420p"
    vs.options = {"libx265": {"preset": "ultrafast", "x265-params": "log-level=error"},
                  "libvpx-vp9": {"deadline": "realtime", "cpu-used": "8"}}.get(
        vcodec, {"preset": "ultrafast"})
    au = out.add_stream(acodec, rate=48000)
    au.layout = "stereo"
    ss = out.add_stream(scodec)
    ss.metadata["language"] = "nld"
    ss.codec_context.subtitle_header = ASS_HEADER
    for i in range(10):
        frame = av.VideoFrame.from_image(factory.picture(64, 48, seed=i * 30))
        frame = frame.reformat(format="yuv420p")
        frame.pts, frame.time_base = i, Fraction(1, 25)
        out.mux(vs.encode(frame))
    out.mux(vs.encode(None))
    size = au.codec_context.frame_size or 1024
    for k in range(20):
        af = av.AudioFrame(format=au.format.name, layout="stereo", samples=size)
        for plane in af.planes:
            plane.update(bytes(plane.buffer_size))
        af.sample_rate, af.pts, af.time_base = 48000, k * size, Fraction(1, 48000)
        out.mux(au.encode(af))
    out.mux(au.encode(None))
    pkt = ss.codec_context.encode_subtitle(
        SubtitleSet.create(b"0,0,Default,,0,0,0,,Welkom in het stadhuis", 0, 400))
    pkt.stream, pkt.time_base, pkt.pts, pkt.dts, pkt.duration = ss, Fraction(1, 1000), 0, 0, 400
    out.mux(pkt)
    out.close()
    return path


def _exiftool_xmp(path: Path, gps: bool) -> None:
    """Rights (and a position) written into a video by exiftool, as an editor would."""
    args = ["exiftool", "-q", "-overwrite_original", f"-XMP-cc:License={CC_BY}",
            "-XMP-dc:Creator=Anna de Vries", "-XMP-dc:Rights=© Anna de Vries",
            "-XMP-photoshop:Credit=Gemeente Voorbeeld / Anna de Vries"]
    if gps:
        args += ["-XMP-exif:GPSLatitude=52.09", "-XMP-exif:GPSLongitude=4.50",
                 "-Keys:GPSCoordinates=52.09, 4.50", "-UserData:GPSCoordinates=52.09, 4.50"]
    subprocess.run([*args, str(path)], check=True)


def _make_folder(d: Path) -> None:
    import pillow_heif

    pillow_heif.register_heif_opener()
    d.mkdir(parents=True)
    pic = factory.picture(96, 64)
    pic.save(d / "IMG_0001.heic", quality=80, exif=_phone_exif(),
             xmp=_xmp("Het stadhuis aan de gracht", gps=True))
    (d / "web").mkdir()
    pic.save(d / "web" / "banner.webp", lossless=True, xmp=_xmp("Logo van de gemeente", False))
    pic.save(d / "web" / "hero.avif", quality=70, exif=_phone_exif(),
             xmp=_xmp("De markt op zaterdag", gps=False))
    _video(d / "clip.mov", "mov", "libx264", "aac", "mov_text", {})
    _exiftool_xmp(d / "clip.mov", gps=True)
    _video(d / "hevc.mp4", "mp4", "libx265", "aac", "mov_text", {})
    _exiftool_xmp(d / "hevc.mp4", gps=False)
    _video(d / "export.webm", "webm", "libvpx-vp9", "libopus", "webvtt",
           {"LICENSE": CC_BY, "COPYRIGHT": "© Anna de Vries", "ARTIST": "Anna de Vries",
            "LOCATION": "+52.0900+004.5000/"})


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def _exif_json(path: Path) -> dict[str, Any]:
    out = subprocess.run(["exiftool", "-j", "-a", "-G1", "-struct", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return dict(json.loads(out)[0])


def _subtitle_codecs(path: Path) -> list[str]:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "s", "-show_entries",
                          "stream=codec_name", "-of", "csv=p=0", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return out.split()


def test_fix_phone_and_web_media(tmp_path: Path) -> None:
    src = tmp_path / "uploads"
    _make_folder(src)
    before = {p: _sha(p) for p in src.rglob("*") if p.is_file()}
    out = tmp_path / "fixed"
    original_scan = run_cli("scan", str(src), "--no-cache", "-q")
    assert original_scan.manifest is not None
    assert {f["outcome"] for f in original_scan.manifest["files"]} == {"fail"}

    r = run_cli("fix", str(src), "--out", str(out), "--strip-location", "-q")
    assert r.exit_code == 0, r.stderr
    assert {p: _sha(p) for p in src.rglob("*") if p.is_file()} == before
    names = sorted(str(p.relative_to(out)) for p in out.rglob("*")
                   if p.is_file() and not p.name.startswith("mediaaudit-fix-"))
    assert names == ["IMG_0001.jpg", "clip.mp4", "export.mp4", "hevc.mp4", "web/banner.png",
                     "web/hero.jpg"]

    # every derivative passes a scan with the default profile and policy
    scan = run_cli("scan", str(out), "--no-cache", "-q")
    assert scan.exit_code == 0, scan.stdout
    assert scan.manifest is not None
    assert len(scan.manifest["files"]) == 6

    # the same licence, holder and credit line as the originals, per the fix manifest
    fm = json.loads(next(out.glob("mediaaudit-fix-*.json")).read_text())
    assert fm["kind"] == "fix" and fm["summary"]["derivatives_pass"] == 6
    orig = {f["path"]: f["rights"] for f in original_scan.manifest["files"]}
    for d in fm["derivatives"]:
        assert d["original"]["sha256"] == before[Path(d["original"]["path"])]
        assert d["derivative"]["sha256"] == _sha(Path(d["derivative"]["path"]))
        was, now = orig[d["original"]["path"]], d["audit"]["rights"]
        assert (now["licence"], now["holder"], now["attribution"]) == (
            was["licence"], was["holder"], was["attribution"]) != (None, None, None)

    # read back by exiftool: licence, holder, credit, alt text; no position anywhere
    for name in names:
        tags = _exif_json(out / name)
        assert not [k for k in tags if "GPS" in k or "Location" in k], (name, tags)
        assert not [k for k in tags if "Serial" in k], name
        if name == "export.mp4":
            assert tags["Keys:License"] == CC_BY
            assert tags["Keys:Copyright"] == "© Anna de Vries"
            continue
        assert tags["XMP-cc:License"] == CC_BY, name
        assert tags["XMP-dc:Rights"] == "© Anna de Vries", name
        assert tags["XMP-photoshop:Credit"] == "Gemeente Voorbeeld / Anna de Vries", name
        if name.endswith((".jpg", ".png")):
            assert tags["XMP-iptcCore:AltTextAccessibility"], name
        else:
            assert _subtitle_codecs(out / name) == ["mov_text"], name
    assert _subtitle_codecs(out / "export.mp4") == ["mov_text"]
    hero = _exif_json(out / "IMG_0001.jpg")
    assert hero["IFD0:Orientation"] == "Horizontal (normal)"
    assert (hero["File:ImageWidth"], hero["File:ImageHeight"]) == (64, 96)  # turned
    # a second run refuses to overwrite
    again = run_cli("fix", str(src), "--out", str(out), "-q")
    assert again.exit_code == 1 and "not overwritten" in again.stderr


def test_fix_refuses_what_conversion_cannot_fix(tmp_path: Path) -> None:
    """A damaged file is refused (a converted copy would hide the damage); a file that
    fails on format and on rights is converted all the same (issue 21): the derivative
    keeps the rights statement, fails on it, and its line says what still blocks."""
    src = tmp_path / "in"
    src.mkdir()
    pic = factory.picture(32, 24)
    pic.save(src / "persfoto.webp", quality=80,
             xmp=_xmp("x", False).replace(b"<cc:license", b"<cc:nolicense")
             .replace(b"\xc2\xa9 Anna de Vries", b"All rights reserved, Persbureau X"))
    good = src / "ok.webp"
    pic.save(good, quality=80, xmp=_xmp("Een plein", gps=True))
    data = good.read_bytes()
    (src / "broken.webp").write_bytes(data[: len(data) // 2])
    (src / "ok.webp.license").write_text(
        "SPDX-License-Identifier: CC-BY-4.0\nSPDX-FileCopyrightText: Anna de Vries\n")
    out = tmp_path / "out"
    dry = run_cli("fix", str(src), "--out", str(out), "--dry-run")
    assert dry.exit_code == 1 and not out.exists()
    assert "ok.webp: convert_image" in dry.stdout

    r = run_cli("fix", str(src), "--out", str(out), "-q")
    assert r.exit_code == 1
    lines = [x for x in r.stderr.splitlines() if "cannot be fixed by conversion" in x]
    assert len(lines) == 1 and "broken.webp" in lines[0] and "MA-IO-004" in lines[0]
    pers = [x for x in r.stderr.splitlines() if "persfoto.webp →" in x]
    assert len(pers) == 1 and pers[0].split("; ")[0].endswith("persfoto.jpg: fail"), pers
    assert "MA-LIC-003" in pers[0] and "Fix: " in pers[0], pers
    files = sorted(p.name for p in out.iterdir() if not p.name.startswith("mediaaudit-fix-"))
    assert files == ["ok.jpg", "ok.jpg.license", "persfoto.jpg"]  # sidecar renamed
    tags = _exif_json(out / "persfoto.jpg")
    assert tags["XMP-dc:Rights"] == "All rights reserved, Persbureau X"
    fm = json.loads(next(out.glob("mediaaudit-fix-*.json")).read_text())
    blocked = {Path(d["derivative"]["path"]).name: d["still_blocking"]
               for d in fm["derivatives"]}
    assert blocked == {"ok.jpg": [], "persfoto.jpg": ["MA-LIC-003"]}
    # without --strip-location the position stays (and is only a warning)
    assert "XMP-exif:GPSLatitude" in _exif_json(out / "ok.jpg")

    master = run_cli("fix", str(good), "--out", str(tmp_path / "m"), "--master", "-q")
    assert master.exit_code == 0, master.stderr
    assert (tmp_path / "m" / "ok.tif").is_file()


def test_fix_usage_errors(tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(tmp_path)
    assert run_cli("fix", str(tmp_path), "--out", str(link)).exit_code == 2
    assert run_cli("fix", str(tmp_path / "nope"), "--out", str(tmp_path / "o")).exit_code == 2
    assert run_cli("fix", str(tmp_path), "--out", str(tmp_path / "o"),
                   "--image-format", "gif").exit_code == 2


def test_fix_bad_sidecars_cost_one_file_and_leave_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A sidecar that is a folder or a symlink, a sidecar name already taken under --out
    and a failing sidecar write each make that one file 'not fixed' with a one-line
    reason; no derivative or sidecar of it stays behind, the others are fixed and the fix
    manifest is written.  A symlinked sidecar is never read or copied."""
    import os

    from mediaaudit.fix import place as fix_cli
    from mediaaudit.sidecars import Sidecar, SidecarKind, sidecars_of

    src, out = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    out.mkdir()
    pic = factory.picture(32, 24)
    for stem in ("adir", "blink", "ctaken", "dwrite", "eok"):
        pic.save(src / f"{stem}.webp", quality=80, xmp=_xmp("Een plein", gps=False))
    (src / "adir.webp.license").mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:SECRET\n")
    (src / "blink.webp.alt.txt").symlink_to(secret)
    for stem in ("ctaken", "dwrite", "eok"):
        (src / f"{stem}.webp.license").write_text("SPDX-License-Identifier: CC-BY-4.0\n")
    (src / "dwrite.webp.alt.txt").write_text("Een plein\n")
    (out / "ctaken.jpg.license").write_text("someone else's\n")

    def sidecars(path: str) -> list[Sidecar]:
        """Also offer what the listing may leave out, as a race could: the guard is
        fix's own, whatever sidecars_of filters."""
        found = sidecars_of(path)
        extra = {"adir.webp": (SidecarKind.LICENSE, "adir.webp.license"),
                 "blink.webp": (SidecarKind.ALT_TEXT, "blink.webp.alt.txt")}
        if os.path.basename(path) in extra:
            kind, name = extra[os.path.basename(path)]
            side = Sidecar(kind, os.path.join(os.path.dirname(path), name))
            if side not in found:
                found.append(side)
        return found

    real_write = fix_cli._write_new

    def write_new(path: str, data: bytes) -> None:
        if path.endswith("dwrite.jpg.alt.txt"):
            raise OSError(28, "No space left on device", path)
        real_write(path, data)

    monkeypatch.setattr(fix_cli, "sidecars_of", sidecars)
    monkeypatch.setattr(fix_cli, "_write_new", write_new)
    r = run_cli("fix", str(src), "--out", str(out), "-q")
    assert r.exit_code == 1, r.stderr
    lines = [x for x in r.stderr.splitlines() if "cannot be fixed by conversion" in x]
    reasons = {x.split(":")[1].strip().rsplit("/", 1)[-1]: x for x in lines}
    assert len(lines) == 4, r.stderr
    assert "adir.webp.license is not a regular file" in reasons["adir.webp"]
    assert "blink.webp.alt.txt is a symlink" in reasons["blink.webp"]
    assert "ctaken.jpg.license exists; not overwritten" in reasons["ctaken.webp"]
    assert "dwrite.jpg.alt.txt" in reasons["dwrite.webp"]
    assert "No space left on device" in reasons["dwrite.webp"]
    assert "Traceback" not in r.stderr
    left = sorted(p.name for p in out.iterdir() if not p.name.startswith("mediaaudit-fix-"))
    assert left == ["ctaken.jpg.license", "eok.jpg", "eok.jpg.license"]
    assert (out / "ctaken.jpg.license").read_text() == "someone else's\n"
    assert not any("SECRET" in p.read_text(errors="replace") for p in out.iterdir())
    fm = json.loads(next(out.glob("mediaaudit-fix-*.json")).read_text())
    assert sorted(Path(n["path"]).name for n in fm["not_fixed"]) == [
        "adir.webp", "blink.webp", "ctaken.webp", "dwrite.webp"]
    assert [Path(d["derivative"]["path"]).name for d in fm["derivatives"]] == ["eok.jpg"]

    # without the test's listing: a symlinked sidecar is no sidecar, never copied
    monkeypatch.undo()
    out2 = tmp_path / "out2"
    r2 = run_cli("fix", str(src / "blink.webp"), "--out", str(out2), "-q")
    assert "Traceback" not in r2.stderr
    assert not (out2 / "blink.jpg.alt.txt").exists()
    assert not any("SECRET" in p.read_text(errors="replace") for p in out2.iterdir())


def _exit_1(job: Any) -> Any:  # a result the child cannot send: it exits with code 1
    from mediaaudit.fix.run import Done

    return Done(True, settings={"unpicklable": lambda: None})


def _killed(job: Any) -> Any:  # as the OOM killer would
    import os
    import signal

    Path(job.tmp_prefix + ".jpg").write_bytes(b"partial")
    os.kill(os.getpid(), signal.SIGKILL)


def _hangs(job: Any) -> Any:
    import time

    time.sleep(30)


@pytest.mark.skipif(not hasattr(__import__("os"), "fork"), reason="needs fork")
def test_fix_child_without_result_says_why(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a converter the parent stopped at the time limit 'took longer'; one that
    exits with an error or is killed is reported as such, and its files are removed."""
    import time

    from mediaaudit.fix import run as fix_run
    from mediaaudit.fix.plan import Action, Options

    monkeypatch.setattr(fix_run, "start_method", lambda: "fork")  # the fakes reach the child
    job = fix_run.Job(str(tmp_path / "x.webp"), str(tmp_path / ".mediaaudit-fix-t"),
                      Action.CONVERT_IMAGE, "jpeg", Options())
    for fake, timeout, expect in (
            (_exit_1, 20.0, "the converter exited with code 1 without a result"),
            (_killed, 20.0, "the converter was killed (SIGKILL, signal 9), for example "
                            "when memory ran out"),
            (_hangs, 0.5, "took longer than 0.5 s")):
        monkeypatch.setattr(fix_run, "execute", fake)
        t0 = time.monotonic()
        done = fix_run.run(job, timeout)
        assert not done.ok and done.error == expect, (fake.__name__, done.error)
        assert time.monotonic() - t0 < 10
        assert list(tmp_path.iterdir()) == []
    assert fix_run.no_result(-11, False, 300) == "the converter crashed (SIGSEGV, signal 11)"
    assert fix_run.no_result(0, False, 300) == "the converter ended without a result"
