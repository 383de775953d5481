"""Accessibility (captions, alt text) and AI disclosure (issue 9), on files written by
exiftool and ffmpeg where installed and by the project's own fixtures."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

import fixtures_access
from conftest import Run, have, run_cli

SRT, DST = fixtures_access.SRT, fixtures_access.DST


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return fixtures_access.build_access(tmp_path_factory.mktemp("access") / "a")


@pytest.fixture(scope="module")
def run(folder: Path) -> Run:
    return run_cli("scan", str(folder), "-j", "1", "--lang", "en")


def test_alt_text_in_all_languages(run: Run) -> None:
    e = run.entry("alt.jpg")
    alt = {(a["lang"], a["text"]) for a in e["accessibility"]["alt_text"]}
    assert alt == {("nl", "Wethouder opent de markt"), ("en", "Alderman opens the market")}
    assert not [c for c in run.codes("alt.jpg") if c.startswith("MA-ACC")]
    assert "MA-ACC-002" in run.codes("noalt.jpg")
    side = run.entry("sidecar_alt.jpg")
    assert side["accessibility"]["alt_text"][0]["text"] == "Een fietser op de brug"
    assert "sidecar_alt.jpg.alt.txt" in side["sidecars"]


def test_ai_disclosure(run: Run) -> None:
    for name, term in (("ai.jpg", "trainedAlgorithmicMedia"),
                       ("composite.png", "compositeWithTrainedAlgorithmicMedia")):
        e = run.entry(name)
        assert "MA-AI-001" in run.codes(name)
        assert e["provenance"]["ai_generated"] is True
        assert e["provenance"]["digital_source_type"] == term
        assert e["outcome"] == "pass"  # a warning: label the post, do not block it
    cam = run.entry("camera.jpg")
    assert "MA-AI-001" not in run.codes("camera.jpg")
    assert cam["provenance"]["digital_source_type"] == "digitalCapture"


def test_captions(run: Run) -> None:
    assert "MA-ACC-001" in run.codes("plain.mp4")
    caps = run.entry("subbed.mp4")["accessibility"]["captions"]
    assert caps == [{"source": "sidecar", "format": "WebVTT", "language": "nl", "cues": 2,
                     "file": "subbed.nl.vtt"}]
    assert not [c for c in run.codes("subbed.mp4") if c.startswith("MA-ACC")]
    assert run.entry("srt.mp4")["accessibility"]["captions"][0]["format"] == "SRT"
    assert "MA-ACC-003" in run.codes("empty_caps.mp4")
    assert "MA-ACC-001" in run.codes("empty_caps.mp4")
    burned = run.entry("burned.mp4")
    assert "MA-ACC-004" in run.codes("burned.mp4") and "MA-ACC-001" not in run.codes(
        "burned.mp4")
    assert burned["accessibility"]["captions_declared"] == "burned-in"
    assert run.manifest is not None
    assert not any(f["path"].endswith((".vtt", ".srt", ".alt.txt")) for f in run.manifest["files"])


def test_c2pa_presence_without_library(run: Run) -> None:
    """A spliced APP11 JUMBF box (no real manifest): detected by markers alone; the reader
    then finds no manifest behind the marker: 'unverifiable' (MA-AI-003), never 'changed
    after signing' (MA-AI-002).  Without c2pa-python it stays 'present_unverified'."""
    from mediaaudit.probe.c2pa_read import available

    c2pa = run.entry("c2pa.jpg")["provenance"]["c2pa"]
    assert c2pa["where"] == "jpeg:APP11"
    assert c2pa["state"] == ("unverifiable" if available() else "present_unverified")
    assert "MA-AI-002" not in run.codes("c2pa.jpg")
    if available():
        assert "MA-AI-003" in run.codes("c2pa.jpg")
        assert "no readable manifest" in c2pa["reason"]
    assert run.entry("alt.jpg")["provenance"]["c2pa"]["state"] == "absent"


@pytest.mark.skipif(not have("ffmpeg"), reason="needs ffmpeg")
def test_no_captions_needed_without_audio(tmp_path: Path) -> None:
    """WCAG 1.2.2 is about the audio: a clip without an audio track needs no captions."""
    base = ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
            "testsrc=size=64x48:rate=25"]
    enc = ["-t", "0.6", "-pix_fmt", "yuv420p", "-c:v", "libx264", "-movflags", "+faststart"]
    subprocess.run([*base, *enc, str(tmp_path / "silent.mp4")], check=True)
    subprocess.run([*base, "-f", "lavfi", "-i", "sine", *enc, "-c:a", "aac", "-shortest",
                    str(tmp_path / "sound.mp4")], check=True)
    r = run_cli("scan", str(tmp_path), "-j", "1")
    silent, sound = r.entry("silent.mp4")["accessibility"], r.entry("sound.mp4")["accessibility"]
    assert silent["captions_needed"] is False and silent["captions_needed_reason"]
    assert "MA-ACC-001" not in r.codes("silent.mp4")
    assert sound["captions_needed"] is True and "captions_needed_reason" not in sound
    assert "MA-ACC-001" in r.codes("sound.mp4")


def test_policy_can_make_missing_captions_fail(folder: Path, tmp_path: Path) -> None:
    cfg = tmp_path / "strict.toml"
    cfg.write_text('[policy]\ncaptions = "error"\n')
    r = run_cli("scan", str(folder / "plain.mp4"), "--config", str(cfg))
    assert r.entry("plain.mp4")["outcome"] == "fail"


def test_reports_show_alt_text_and_ai_label(folder: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    run_cli("scan", str(folder), "-o", str(out), "--lang", "nl")
    html = out.read_text(encoding="utf-8")
    # the alt text to paste is the one in the report's language; the AI label is an action
    assert "Wethouder opent de markt" in html and "AI-gegenereerd" in html
    md = run_cli("scan", str(folder), "--format", "md", "--lang", "en").stdout
    assert "Alderman opens the market" in md and "AI-generated" in md


def test_explain_cites_the_rules() -> None:
    assert "1.2.2" in run_cli("explain", "MA-ACC-001").stdout
    assert "50" in run_cli("explain", "MA-AI-001", "--lang", "nl").stdout


@pytest.fixture(scope="module")
def tools_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (have("ffmpeg") and have("exiftool") and have("imagemagick")):
        pytest.skip("needs ffmpeg, exiftool and ImageMagick")
    d = tmp_path_factory.mktemp("tools")
    (d / "subs.srt").write_text(SRT)
    base = ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
            "testsrc=size=64x48:rate=25", "-f", "lavfi", "-i", "sine", "-i", str(d / "subs.srt"),
            "-t", "0.8", "-map", "0:v", "-map", "1:a", "-map", "2:s", "-pix_fmt", "yuv420p",
            "-c:v", "libx264", "-c:a", "aac"]
    subprocess.run([*base, "-c:s", "mov_text", "-metadata:s:s:0", "language=nld",
                    str(d / "movtext.mp4")], check=True)
    subprocess.run([*base, "-c:s", "srt", "-metadata:s:s:0", "language=nld",
                    str(d / "srt_track.mkv")], check=True)
    (d / "subs.srt").unlink()
    im = have("imagemagick")
    assert im
    for name, args in (
        ("exif_alt.jpg", ["-XMP-iptcCore:AltTextAccessibility-nl=Kinderen bij de bibliotheek"]),
        ("exif_ai.jpg", [f"-XMP-iptcExt:DigitalSourceType={DST}trainedAlgorithmicMedia"]),
        ("exif_cam.jpg", [f"-XMP-iptcExt:DigitalSourceType={DST}digitalCapture"]),
    ):
        subprocess.run([im, "-size", "40x30", "plasma:", str(d / name)], check=True)
        subprocess.run(["exiftool", "-q", "-overwrite_original", *args, str(d / name)],
                       check=True)
    return d


def test_files_from_ffmpeg_and_exiftool(tools_dir: Path) -> None:
    r = run_cli("scan", str(tools_dir), "-j", "1")
    mov = r.entry("movtext.mp4")["accessibility"]["captions"]
    assert mov and mov[0]["source"] == "embedded" and mov[0]["language"] == "nl"
    mkv = r.entry("srt_track.mkv")["accessibility"]["captions"]
    assert mkv and mkv[0]["language"] == "nl"
    assert "MA-ACC-001" not in r.codes("movtext.mp4")
    alt = r.entry("exif_alt.jpg")["accessibility"]["alt_text"]
    assert alt == [{"text": "Kinderen bij de bibliotheek", "lang": "nl",
                    "source": "xmp:Iptc4xmpCore:AltTextAccessibility"}]
    assert "MA-AI-001" in r.codes("exif_ai.jpg")
    assert "MA-AI-001" not in r.codes("exif_cam.jpg")



def test_c2pa_markers_in_png_webp_and_mp4(tmp_path: Path) -> None:
    """Presence detection per container, on byte-spliced markers."""
    import struct
    import zlib

    import factory

    png = factory.image(tmp_path / "p.png", "PNG").read_bytes()
    body = b"jumb" + bytes(12)
    chunk = struct.pack(">I", len(body)) + b"caBX" + body + struct.pack(">I", zlib.crc32(
        b"caBX" + body))
    (tmp_path / "c.png").write_bytes(png[:33] + chunk + png[33:])
    webp = bytearray(factory.image(tmp_path / "w.webp", "WEBP").read_bytes())
    webp += b"C2PA" + struct.pack("<I", len(body)) + body
    webp[4:8] = struct.pack("<I", len(webp) - 8)
    (tmp_path / "c.webp").write_bytes(bytes(webp))
    mp4 = factory.video(tmp_path / "c.mp4", "mp4", "libx264", "aac", faststart=True)
    uuid = bytes.fromhex("d8fec3d61b0e483c92975828877ec481")
    with mp4.open("ab") as fh:
        fh.write(struct.pack(">I", 24 + len(body)) + b"uuid" + uuid + body)
    run = run_cli("scan", str(tmp_path), "-j", "1")
    wheres = {name: run.entry(name)["provenance"]["c2pa"]["where"]
              for name in ("c.png", "c.webp", "c.mp4", "p.png", "w.webp")}
    assert wheres == {"c.png": "png:caBX", "c.webp": "webp:C2PA", "c.mp4": "bmff:uuid",
                      "p.png": None, "w.webp": None}
