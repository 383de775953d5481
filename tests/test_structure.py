"""Structural completeness (probe/structure/): real files in, real verdicts out.

Every format is written by a real tool (ffmpeg, ImageMagick, Pillow, exiftool), checked
intact (must pass) and cut at 20 %, 60 %, 95 % and by one byte (must be damaged).
Files from tests/realworld/files are used where they exist.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import struct
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from mediaaudit.probe import identify, structure
from mediaaudit.probe.partial import Partial

import factory
from conftest import have, run_cli

REAL = Path(__file__).parent / "realworld" / "files"
CUTS = [0.2, 0.6, 0.95, -1]


def verdict(path: Path) -> str | None:
    """The reason check_structure gives for ``path`` (None: structurally complete)."""
    head = path.read_bytes()[:65536]
    mime = identify.sniff(head)[0] if head else None
    part = Partial()
    structure.check_structure(str(path), head, mime, part)
    assert len(part.notes) <= 1
    return part.notes[0].params["reason"] if part.notes else None


def _ffmpeg(out: Path, *args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args, str(out)], check=True,
                   capture_output=True)


_AV = ["-f", "lavfi", "-i", "testsrc=size=160x120:rate=25", "-f", "lavfi", "-i",
       "sine=frequency=440:sample_rate=48000", "-t", "2"]
_A = ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "2"]

# name -> builder(dir) -> path; each uses the tool that writes that format in the wild
BUILDERS: dict[str, Callable[[Path], Path]] = {
    "jpeg": lambda d: factory.image(d / "a.jpg", "JPEG", 320, 240),
    "exif.jpg": lambda d: factory.exif_jpeg(d / "exif.jpg"),
    "png": lambda d: factory.image(d / "a.png", "PNG", 320, 240),
    "gif": lambda d: factory.image(d / "a.gif", "GIF", 320, 240),
    "tiff": lambda d: factory.image(d / "a.tif", "TIFF", 320, 240),
    "jp2": lambda d: factory.image(d / "a.jp2", "JPEG2000", 320, 240),
    "webp": lambda d: factory.image(d / "a.webp", "WEBP", 320, 240),
    "avif": lambda d: factory.image(d / "a.avif", "AVIF", 320, 240),
}
FF: dict[str, list[str]] = {
    "mp4": [*_AV, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"],
    "faststart.mp4": [*_AV, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                      "-movflags", "+faststart"],
    "frag.mp4": [*_AV, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac",
                 "-movflags", "frag_keyframe+empty_moov"],
    "mov": [*_AV, "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac"],
    "m4a": [*_A, "-c:a", "aac"],
    "mkv": [*_AV, "-c:v", "ffv1", "-c:a", "flac"],
    "webm": [*_AV, "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8",
             "-c:a", "libopus"],
    "avi": [*_AV, "-c:v", "mpeg4", "-c:a", "pcm_s16le"],
    "mxf": [*_AV, "-c:v", "mpeg2video", "-c:a", "pcm_s16le"],
    "wav": _A,
    "mp3": [*_A, "-c:a", "libmp3lame"],
    "aac": [*_A, "-c:a", "aac", "-f", "adts"],
    "flac": [*_A, "-c:a", "flac"],
    "ogg": [*_A, "-c:a", "libvorbis"],
    "opus": [*_A, "-c:a", "libopus"],
}
IM = {"im.jpg": [], "progressive.jpg": ["-interlace", "Plane"], "im.png": [], "im.gif": [],
      "im.tif": [], "bigtiff.tif": ["-define", "tiff:format=BigTIFF"],
      "mm.tif": ["-define", "tiff:endian=msb"],
      "tiled.tif": ["-define", "tiff:tile-geometry=64x64", "-compress", "lzw"]}
ALL = sorted([*BUILDERS, *FF, *IM])


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("structure")
    out = {name: build(d) for name, build in BUILDERS.items()}
    if have("ffmpeg"):
        for name, args in FF.items():
            _ffmpeg(d / f"ff.{name}", *args)
            out[name] = d / f"ff.{name}"
    magick = have("imagemagick")
    if magick:
        src = factory.image(d / "src.png", "PNG", 320, 240)
        for name, args in IM.items():
            subprocess.run([magick, str(src), *args, str(d / name)], check=True)
            out[name] = d / name
    return out


def _get(made: dict[str, Path], name: str) -> Path:
    if name not in made:
        pytest.skip(f"{name}: its writer (ffmpeg/ImageMagick) is not installed")
    return made[name]


def _cut(src: Path, dst: Path, cut: float) -> Path:
    data = src.read_bytes()
    n = len(data) - 1 if cut == -1 else int(len(data) * cut)
    if src.suffix == ".aac":
        n = _off_adts_boundary(data, n)
    dst.write_bytes(data[:n])
    return dst


def _off_adts_boundary(data: bytes, n: int) -> int:
    """ADTS records no total length: a cut exactly between two frames is a valid shorter
    stream, not detectable by any structural check.  Move such a cut one byte back."""
    pos = 0
    while pos < n:
        ln = structure.adts_frame_len(data[pos:pos + 7])
        if ln is None:
            return n
        pos += ln
    return n - 1 if pos == n else n


@pytest.mark.parametrize("name", ALL)
def test_intact_file_passes(made: dict[str, Path], name: str) -> None:
    assert verdict(_get(made, name)) is None


@pytest.mark.parametrize("cut", CUTS, ids=["20%", "60%", "95%", "minus-1-byte"])
@pytest.mark.parametrize("name", ALL)
def test_cut_file_is_damaged(made: dict[str, Path], name: str, cut: float,
                             tmp_path: Path) -> None:
    src = _get(made, name)
    reason = verdict(_cut(src, tmp_path / ("cut-" + src.name), cut))
    assert reason, f"{name} cut at {cut} passed"
    assert len(reason) < 200 and "\n" not in reason


# --- the wrong passes that motivated the module ----------------------------------------


def _exif_with_thumbnail(d: Path) -> Path:
    path = factory.exif_jpeg(d / "thumb-exif.jpg")
    thumb = factory.image(d / "thumb.jpg", "JPEG", 32, 24)
    subprocess.run(["exiftool", "-q", "-overwrite_original", f"-ThumbnailImage<={thumb}",
                    str(path)], check=True)
    return path


@pytest.mark.skipif(not have("exiftool"), reason="exiftool not installed")
def test_small_exif_jpeg_cut_past_its_thumbnail_is_damaged(tmp_path: Path) -> None:
    src = _exif_with_thumbnail(tmp_path)
    data = src.read_bytes()
    first_eoi = data.find(b"\xff\xd9")
    assert len(data) < 64 * 1024 and 0 < first_eoi < len(data) * 0.6  # the old trap
    assert verdict(src) is None
    reason = verdict(_cut(src, tmp_path / "cut.jpg", 0.6))
    assert reason and reason.startswith("JPEG")


def test_jpeg_with_bytes_after_eoi_passes(made: dict[str, Path], tmp_path: Path) -> None:
    p = tmp_path / "trailer.jpg"
    p.write_bytes(made["jpeg"].read_bytes() + b"\x00" * 100 + b"SAMSUNG-TRAILER" * 50)
    assert verdict(p) is None


def test_jpeg_with_a_second_image_after_eoi_passes(made: dict[str, Path],
                                                   tmp_path: Path) -> None:
    """MPF / Ultra HDR: a second JPEG follows the first one's EOI."""
    p = tmp_path / "mpf.jpg"
    p.write_bytes(made["jpeg"].read_bytes() + made["exif.jpg"].read_bytes()[:500])
    assert verdict(p) is None


def test_progressive_jpeg_has_many_scans_and_passes(made: dict[str, Path]) -> None:
    data = _get(made, "progressive.jpg").read_bytes()
    assert data.count(b"\xff\xda") > 3
    assert verdict(made["progressive.jpg"]) is None


@pytest.mark.skipif(not have("ffmpeg"), reason="ffmpeg not installed")
def test_fifteen_byte_adts_named_mp3_is_damaged(made: dict[str, Path], tmp_path: Path) -> None:
    p = tmp_path / "tiny.mp3"
    p.write_bytes(made["aac"].read_bytes()[:15])
    assert structure.adts_frame_len(p.read_bytes()[:7])  # it does start with an ADTS header
    reason = verdict(p)
    assert reason and reason.startswith("AAC")
    run = run_cli("scan", str(p), "--lang", "en")
    e = run.entry("tiny.mp3")
    assert e["outcome"] in ("fail", "error") and "MA-IO-004" in run.codes("tiny.mp3")


@pytest.mark.skipif(not have("ffmpeg"), reason="ffmpeg not installed")
def test_mp4_layouts(made: dict[str, Path]) -> None:
    """moov after mdat (no fast start), moov first, and fragmented (moof+mdat pairs)."""
    def tops(p: Path) -> list[bytes]:
        with open(p, "rb") as f:
            found, why = structure.boxes(f, 0, p.stat().st_size, "MP4")
        assert why is None
        return [b.typ for b in found]

    plain, fast, frag = tops(made["mp4"]), tops(made["faststart.mp4"]), tops(made["frag.mp4"])
    assert plain.index(b"mdat") < plain.index(b"moov")
    assert fast.index(b"moov") < fast.index(b"mdat")
    assert b"moof" in frag and frag.count(b"mdat") >= 1
    assert verdict(made["mp4"]) is verdict(made["faststart.mp4"]) is verdict(
        made["frag.mp4"]) is None


@pytest.mark.skipif(not have("ffmpeg"), reason="ffmpeg not installed")
def test_mp4_without_moov_is_damaged(made: dict[str, Path], tmp_path: Path) -> None:
    data = made["mp4"].read_bytes()
    cut = data.find(b"moov") - 4
    p = tmp_path / "nomoov.mp4"
    p.write_bytes(data[:cut])
    assert verdict(p) == "MP4 has no moov box (the movie index is missing; the file is incomplete)"


def test_reasons_are_plain(made: dict[str, Path], tmp_path: Path) -> None:
    data = made["png"].read_bytes()
    (tmp_path / "c.png").write_bytes(data[:len(data) // 2])
    assert verdict(tmp_path / "c.png") == "PNG chunk IDAT runs past the end of the file"


# --- real files ------------------------------------------------------------------------

REAL_INTACT = ["small/jpeg.jpg", "small/gif.gif", "small/gif-transparent.gif",
               "small/png-transparent.png", "small/webp.webp", "small/webm.webm",
               "small/Mpeg4.mp4", "small/mp4-with-audio.mp4", "small/heif.heif",
               "small/jpeg2.jp2", "small/wav.wav", "small/AudioVideoInterleave.avi",
               "format-corpus/apple-prores-422-proxy.mov", "format-corpus/png.mov",
               "format-corpus/xdcam-ex-720p30.mov",
               "format-corpus/old-style-jpeg-compression.tif"]
REAL_DAMAGED = ["format-corpus/balloon_trunc1.jp2", "format-corpus/balloon_trunc2.jp2",
                "format-corpus/balloon_trunc3.jp2", "small/png-truncated.png",
                "pillow/truncated_jpeg.jpg", "pillow/truncated_image.png",
                "pillow/truncated_end_chunk.png"]


def _real(rel: str) -> Path:
    p = REAL / rel
    if not p.is_file():
        pytest.skip(f"{rel} is not in tests/realworld/files")
    return p


@pytest.mark.parametrize("rel", REAL_INTACT)
def test_real_file_passes_and_its_cuts_do_not(rel: str, tmp_path: Path) -> None:
    src = _real(rel)
    assert verdict(src) is None
    for cut in CUTS:
        cut_file = _cut(src, tmp_path / ("cut-" + src.name), cut)
        if cut_file.stat().st_size < 16:  # too short to carry a signature: not judged
            continue
        assert verdict(cut_file), (rel, cut)


@pytest.mark.parametrize("rel", REAL_DAMAGED)
def test_real_damaged_file_is_damaged(rel: str) -> None:
    assert verdict(_real(rel))


# --- hostile input and the CLI ---------------------------------------------------------


def test_hostile_bytes_never_raise(made: dict[str, Path], tmp_path: Path) -> None:
    """Every walker on mangled copies of real files: a verdict, never an exception."""
    rng = random.Random(7)
    p = tmp_path / "x.bin"
    for src in made.values():
        data = bytearray(src.read_bytes())
        for _ in range(20):
            m = bytearray(data)
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(len(m))
                m[i:i + 4] = rng.choice([b"\xff\xff\xff\xff", b"\x00\x00\x00\x00",
                                         b"\x00\x00\x00\x01", os.urandom(4)])
            p.write_bytes(bytes(m[:rng.randint(1, len(m))]))
            r = verdict(p)
            assert r is None or isinstance(r, str)


@pytest.mark.parametrize("magic", [s.magic for s in structure.SIGNATURES])
def test_signature_alone_never_raises(magic: bytes, tmp_path: Path) -> None:
    p = tmp_path / "sig.bin"
    for tail in (b"", b"\xff" * 40, b"\x00" * 40, struct.pack(">Q", 2**63) * 5):
        p.write_bytes(b"\x00\x00\x00\x00" + magic + tail if magic == b"ftyp" else magic + tail)
        r = verdict(p)
        assert r is None or isinstance(r, str)


def test_walkers_work_on_in_memory_files(made: dict[str, Path]) -> None:
    """The walkers take any binary file object (jpylyzer needs a path: the box walk
    stands in)."""
    for name in ("jpeg", "png", "gif", "tiff", "jp2"):
        data = made[name].read_bytes()
        check = structure.pick(data[:64], None)
        assert check is not None
        assert check(io.BytesIO(data), len(data)) is None
        assert check(io.BytesIO(data[:-1]), len(data) - 1)


@pytest.mark.skipif(not have("ffmpeg"), reason="ffmpeg not installed")
def test_cli_fails_a_truncated_file_with_ma_io_004(made: dict[str, Path],
                                                   tmp_path: Path) -> None:
    d = tmp_path / "scan"
    d.mkdir()
    shutil.copy(made["mkv"], d / "ok.mkv")
    _cut(made["mkv"], d / "cut.mkv", 0.95)
    run = run_cli("scan", str(d), "--lang", "en", "--ignore", "MA-LIC")
    assert run.entry("cut.mkv")["outcome"] in ("fail", "error")
    assert "MA-IO-004" in run.codes("cut.mkv")
    assert "MA-IO-004" not in run.codes("ok.mkv")


def test_a_sample_table_count_the_box_cannot_hold_is_not_read(tmp_path: Path) -> None:
    """A hostile stsz count (4 billion entries) must not make the walker read the rest of
    a large file into memory: the count is checked against the box first."""
    data = bytearray((Path(__file__).parent / "realworld" / "files" / "exiv2" /
                      "small_video.mp4").read_bytes())
    i = data.find(b"stsz")
    assert i > 0
    data[i + 12:i + 16] = (0).to_bytes(4, "big")          # no fixed sample size
    data[i + 16:i + 20] = (0xFFFFFFF0).to_bytes(4, "big")  # absurd count
    p = tmp_path / "hostile.mp4"
    p.write_bytes(bytes(data))
    part = Partial()
    structure.check_structure(str(p), bytes(data[:65536]), "video/mp4", part)
    assert not any("samples" in str(n.params.get("reason")) for n in part.notes)
