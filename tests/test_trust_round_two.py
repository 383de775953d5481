"""No false "damaged" on valid images, and the damage a cheap check can see, seen.

Each class is tested on files made by other tools (ffmpeg, ImageMagick, Pillow's writers,
mutagen's ID3 writer) or taken from the real-world corpus, valid and damaged side by side:
a check that stopped calling valid files damaged must still catch the damaged ones.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pytest

import fixtures_rights as fr
from conftest import have, run_cli

SAMPLES = Path(__file__).parent.parent / "sample_media"
REAL = Path(__file__).parent / "realworld" / "files"
FORMAT_ONLY = ("--ignore", "MA-LIC", "--ignore", "MA-PRV", "--ignore", "MA-ACC")


def _entries(*paths: Path, deep: bool = False) -> dict[str, dict[str, Any]]:
    args = ["scan", *map(str, paths), "-j", "1", "--no-cache", *FORMAT_ONLY]
    run = run_cli(*args, *(["--deep"] if deep else []))
    assert run.manifest is not None, run.stderr
    return {Path(f["path"]).name: f for f in run.manifest["files"]}


def _codes(entry: dict[str, Any]) -> list[str]:
    return [x["code"] for x in entry["findings"]]


def _cut(src: Path, dst: Path, keep: float = 0.6) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: int(len(data) * keep)])
    return dst


def _ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-v", "error", "-y", *args], check=True)


needs_ffmpeg = pytest.mark.skipif(have("ffmpeg") is None, reason="ffmpeg not installed")
needs_im = pytest.mark.skipif(have("imagemagick") is None, reason="ImageMagick not installed")


@needs_im
@needs_ffmpeg
def test_low_bit_depths_follow_the_stored_depth(tmp_path: Path) -> None:
    """1-, 4-, 16-bit BMP, 1-, 2-, 4-, 16-bit TIFF and 16-bit TGA: the size check counted
    the decoded mode's bytes per pixel and called them all damaged."""
    im = have("imagemagick")
    assert im is not None
    src = SAMPLES / "campagne.jpg"
    made = []
    for name, extra in (("bmp1.bmp", ["-monochrome", "BMP3:{}"]),
                        ("bmp4.bmp", ["-colors", "16", "-type", "Palette", "BMP3:{}"]),
                        ("tif1.tif", ["-monochrome", "-compress", "none", "{}"]),
                        ("tif2.tif", ["-colorspace", "gray", "-depth", "2", "-compress",
                                      "none", "{}"]),
                        ("tif4.tif", ["-colorspace", "gray", "-depth", "4", "-compress",
                                      "none", "{}"]),
                        ("tif16.tif", ["-depth", "16", "-compress", "none", "{}"])):
        out = tmp_path / name
        subprocess.run([im, str(src), "-resize", "97x61!",
                        *[a.format(out) for a in extra]], check=True)
        made.append(out)
    for name, opts in (("bmp16.bmp", []), ("tga16.tga", ["-rle", "0"])):  # raw, not RLE
        out = tmp_path / name
        _ffmpeg("-i", str(src), "-vf", "scale=97:61", "-pix_fmt", "rgb555le", *opts, str(out))
        made.append(out)
    cut = [_cut(p, tmp_path / f"cut-{p.name}") for p in made]
    got = _entries(*made, *cut)
    for p in made:
        assert "MA-IO-004" not in _codes(got[p.name]), (p.name, got[p.name]["findings"])
    for p in cut:
        assert "MA-IO-004" in _codes(got[p.name]), p.name


@needs_ffmpeg
def test_adts_after_an_id3_tag_is_audio_not_damage(tmp_path: Path) -> None:
    """HLS packs AAC as ADTS behind an ID3 tag with the stream's timestamp; decoders skip
    the tag, and "can't sync to MPEG frame" was mutagen guessing MP3."""
    from mutagen.id3 import ID3, PRIV

    raw = tmp_path / "raw.aac"
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=3", "-c:a", "aac", "-f", "adts",
            str(raw))
    tag = ID3()
    tag.add(PRIV(owner="com.apple.streaming.transportStreamTimestamp", data=b"\0" * 8))
    buf = io.BytesIO()
    tag.save(buf)
    packed = tmp_path / "segment.aac"
    packed.write_bytes(buf.getvalue() + raw.read_bytes())
    cut = _cut(packed, tmp_path / "cut.aac", 0.5)
    got = _entries(packed, cut)
    assert "MA-IO-004" not in _codes(got["segment.aac"]), got["segment.aac"]["findings"]
    assert "MA-IO-004" in _codes(got["cut.aac"])


@needs_ffmpeg
def test_what_pillow_cannot_decode_is_not_damage_when_libav_can(tmp_path: Path) -> None:
    """A 4-4-4 bitfields BMP (ffmpeg writes it; Pillow: "Unsupported BMP bitfields
    layout"): an info note naming Pillow, not MA-IO-004.  The same file cut short is
    damaged: libav cannot decode it either.  A JPEG 2000 that OpenJPEG (Pillow) and
    jpylyzer refuse stays damaged although libav's own decoder accepts it."""
    bmp = tmp_path / "rgb444.bmp"
    _ffmpeg("-i", str(SAMPLES / "campagne.jpg"), "-vf", "scale=64:48", "-pix_fmt", "rgb444le",
            str(bmp))
    cut = _cut(bmp, tmp_path / "rgb444-cut.bmp", 0.3)
    jp2 = REAL / "pillow" / "invalid_header_length.jp2"
    got = _entries(bmp, cut, jp2)
    assert "MA-IO-010" in _codes(got["rgb444.bmp"])
    assert "MA-IO-004" not in _codes(got["rgb444.bmp"])
    assert "MA-IO-004" in _codes(got["rgb444-cut.bmp"])
    assert "MA-IO-004" in _codes(got["invalid_header_length.jp2"])


def _png_chunks(data: bytes) -> list[tuple[int, bytes, int]]:
    """(offset, type, length) of every chunk."""
    out, pos = [], 8
    while pos < len(data):
        n, typ = struct.unpack(">I4s", data[pos:pos + 8])
        out.append((pos, typ, n))
        pos += 12 + n
    return out


def test_png_checksums_and_image_data_are_checked_by_default(tmp_path: Path) -> None:
    data = (SAMPLES / "stadhuis.png").read_bytes()
    chunks = _png_chunks(data)
    idat = next(c for c in chunks if c[1] == b"IDAT")
    flipped = bytearray(data)
    flipped[idat[0] + 8 + idat[2] // 2] ^= 0x01  # one bit in the compressed image data
    (tmp_path / "bitflip.png").write_bytes(bytes(flipped))
    body = b"".join(data[p:p + 12 + n] for p, t, n in chunks if t != b"IDAT")
    (tmp_path / "no-idat.png").write_bytes(data[:8] + body)
    # a text chunk with a wrong checksum: Pillow refuses to open the file, so does libav
    # when asked to check checksums; the walker now says which chunk and why
    text = b"tEXtComment\0hello"
    bad_text = struct.pack(">I", len(text) - 4) + text + b"\0\0\0\0"
    ihdr_end = chunks[0][0] + 12 + chunks[0][2]
    (tmp_path / "bad-text-crc.png").write_bytes(data[:ihdr_end] + bad_text + data[ihdr_end:])
    shutil.copy(SAMPLES / "stadhuis.png", tmp_path / "intact.png")
    got = _entries(*sorted(tmp_path.iterdir()))
    assert "MA-IO-004" in _codes(got["bitflip.png"])
    assert any("checksum" in x["message"] for x in got["bitflip.png"]["findings"])
    assert "MA-IO-004" in _codes(got["no-idat.png"])
    assert any("tEXt" in x["message"] for x in got["bad-text-crc.png"]["findings"])
    assert got["intact.png"]["outcome"] == "pass"


@needs_ffmpeg
def test_an_encrypted_mp4_cannot_be_posted(tmp_path: Path) -> None:
    """Common Encryption (cenc), as ffmpeg's mp4 muxer writes it: complete, unplayable."""
    enc = tmp_path / "drm.mp4"
    _ffmpeg("-i", str(SAMPLES / "interview.mp4"), "-c", "copy", "-encryption_scheme",
            "cenc-aes-ctr", "-encryption_key", "76a6c65c5ea762046bd749a2e632ccbb",
            "-encryption_kid", "a7e61c373e219033c21091fa607bf3b8", str(enc))
    for deep in (False, True):
        got = _entries(enc, SAMPLES / "interview.mp4", deep=deep)
        assert "MA-FMT-009" in _codes(got["drm.mp4"]) and got["drm.mp4"]["outcome"] == "fail"
        assert "MA-FMT-009" not in _codes(got["interview.mp4"])


def test_deep_decodes_every_page_and_never_errors(tmp_path: Path) -> None:
    """A two-page deflate TIFF whose second page's data is corrupt: the default audit has
    no opinion (the structure is complete), ``--deep`` decodes page two and says damaged
    (it used to decode only the first frame); libtiff's complaint is a finding, not
    terminal noise."""
    from PIL import Image

    a = Image.open(SAMPLES / "campagne.jpg").convert("RGB").resize((200, 150))
    path = tmp_path / "two-pages.tif"
    a.save(path, save_all=True, append_images=[a.rotate(90)],
           compression="tiff_adobe_deflate")
    with Image.open(path) as im:
        im.seek(1)
        strips = im.tag_v2[273]  # StripOffsets of page two
        first_page = Image.open(path)
        first_page.load()
    data = bytearray(path.read_bytes())
    start = int(strips[0])
    for k in range(start + 40, start + 300):
        data[k] ^= 0x33
    path.write_bytes(bytes(data))
    with Image.open(path) as im:
        im.load()  # page one is intact: decoding only the first frame says nothing
    quick = _entries(path)["two-pages.tif"]
    deep = _entries(path, deep=True)["two-pages.tif"]
    assert "MA-IO-004" not in _codes(quick)
    assert "MA-IO-004" in _codes(deep) and deep["outcome"] == "fail"
    assert "MA-IO-011" in _codes(deep)  # libtiff's own words, kept with the file


def test_svg_rights_from_its_rdf_metadata(tmp_path: Path) -> None:
    """Inkscape's Document Properties: cc:license, dc:rights and dc:creator as cc:Agent."""
    svg = fr.inkscape_svg(tmp_path / "kaart.svg", "http://creativecommons.org/licenses/by/4.0/",
                          rights="Gemeente Voorbeeld")
    run = run_cli("scan", str(svg), "-j", "1", "--no-cache")
    assert run.manifest is not None
    rights = run.manifest["files"][0]["rights"]
    assert rights["status"] == "open" and rights["licence"] == "CC-BY-4.0"
    assert rights["creator"] == "Anna de Vries" and rights["holder"] == "Gemeente Voorbeeld"


def test_hint_respects_ignore(tmp_path: Path) -> None:
    """Under --ignore MA-LIC a file that fails for another reason (here: BMP is not in the
    norm) is no reason to tell the user to configure their organisation, although its
    rights are unknown."""
    from PIL import Image

    folder = tmp_path / "up"
    folder.mkdir()
    for i in range(3):
        Image.new("RGB", (20, 10), (i, 2, 3)).save(folder / f"scan{i}.bmp")
    run = run_cli("scan", str(folder), "-j", "1", "--no-cache", "--ignore", "MA-LIC")
    assert run.manifest is not None and run.manifest["summary"]["fail"] == 3
    assert {f["rights"]["status"] for f in run.manifest["files"]} == {"unknown"}
    assert "organisation" not in run.stderr
    plain = run_cli("scan", str(folder), "-j", "1", "--no-cache")
    assert "organisation" in plain.stderr


def test_a_variant_no_engine_here_shows_is_not_damage(tmp_path: Path) -> None:
    """Real decoder test images: a 10-bit TIFF (libtiff's depth set) and a 16-bit
    bitfields BMP (image-rs) that neither Pillow nor libav decode, with a complete
    structure: MA-IO-012, a warning that names the variant, not MA-IO-004; the same files
    cut short are damaged (the TIFF and BMP walkers).  A PNG whose only fault is the
    checksum of a metadata chunk (cLLI) has that metadata lost (MA-IO-009), not its
    image.  exiv2's fuzzed JPEG ('bits 90 is invalid') stays damaged: libav's words say
    the data is wrong, not that it lacks a feature."""
    tiff = REAL / "image-tiff" / "libtiffpic" / "depth" / "flower-rgb-contig-10.tif"
    bmp = REAL / "image-rs" / "images" / "bmp" / "images" / "rgb16-231.bmp"
    png = REAL / "image-png" / "bugfixes" / "cicp_pq.png"
    fuzz = REAL / "exiv2" / "issue_1833_poc.jpg"
    cut = [_cut(tiff, tmp_path / "cut-10bit.tif", 0.5), _cut(bmp, tmp_path / "cut-231.bmp")]
    got = _entries(tiff, bmp, png, fuzz, *cut)
    for name in (tiff.name, bmp.name):
        assert "MA-IO-012" in _codes(got[name]) and "MA-IO-004" not in _codes(got[name]), name
    assert "MA-IO-009" in _codes(got[png.name]) and "MA-IO-004" not in _codes(got[png.name])
    assert "MA-IO-004" in _codes(got[fuzz.name])
    for p in cut:
        assert "MA-IO-004" in _codes(got[p.name]), p.name


def _with_chunk(data: bytes, typ: bytes, body: bytes) -> bytes:
    """``data`` with every chunk of type ``typ`` replaced by one chunk holding ``body``,
    with a correct length and CRC: what a writer that got the data wrong produces."""
    chunks = _png_chunks(data)
    first = next(p for p, t, _ in chunks if t == typ)
    keep = b"".join(data[p:p + 12 + n] for p, t, n in chunks if t != typ and p < first)
    rest = b"".join(data[p:p + 12 + n] for p, t, n in chunks if t != typ and p > first)
    new = struct.pack(">I", len(body)) + typ + body + struct.pack(">I", zlib.crc32(typ + body))
    return data[:8] + keep + new + rest


def _idat(data: bytes) -> bytes:
    return b"".join(data[p + 8:p + 8 + n] for p, t, n in _png_chunks(data) if t == b"IDAT")


def test_png_image_data_is_unpacked_by_default(tmp_path: Path) -> None:
    """Every checksum right, the image data wrong: a writer that stopped the zlib stream
    early, that wrote a filter type PNG does not have, or that split the IDAT chunks;
    real ones from image-png's bugfix suite beside them (an IDAT with no data at all, IDAT
    chunks split by gAMA, a palette index past the palette).  The intact file passes."""
    data = (SAMPLES / "stadhuis.png").read_bytes()
    raw = zlib.decompress(_idat(data))
    (tmp_path / "short.png").write_bytes(
        _with_chunk(data, b"IDAT", zlib.compress(raw[:len(raw) // 2])))
    bad = bytearray(raw)
    bad[0] = 7  # the first row's filter type (0-4 exist)
    (tmp_path / "filter.png").write_bytes(_with_chunk(data, b"IDAT", zlib.compress(bytes(bad))))
    shutil.copy(SAMPLES / "stadhuis.png", tmp_path / "intact.png")
    bugs = REAL / "image-png" / "bugfixes"
    real = [bugs / "x_image-issue#1075.png", bugs / "x_consecutive_idat.png",
            bugs / "invalid_palette_index.png"]
    got = _entries(*sorted(tmp_path.iterdir()), *real)
    for name, words in (("short.png", "image data ends after"), ("filter.png", "filter type"),
                        ("x_image-issue#1075.png", "image data ends after 0"),
                        ("x_consecutive_idat.png", "split by chunk gAMA"),
                        ("invalid_palette_index.png", "palette that has 17 colours")):
        assert "MA-IO-004" in _codes(got[name]), (name, got[name]["findings"])
        assert any(words in x["message"] for x in got[name]["findings"]), got[name]["findings"]
    assert got["intact.png"]["outcome"] == "pass", got["intact.png"]["findings"]


def test_jp2_colour_box_must_hold_its_icc_profile() -> None:
    """jpylyzer's meth_is_2_no_icc.jp2: the colour box says "ICC profile" and holds 4
    bytes.  JP2s whose colour box holds a whole profile (exiv2's relax.jp2) or an
    enumerated colour space (jpylyzer's Kakadu file) pass."""
    intact = [REAL / "exiv2" / "relax.jp2", REAL / "jpylyzer" / "kakadu71.jp2"]
    got = _entries(REAL / "jpylyzer" / "meth_is_2_no_icc.jp2", *intact)
    assert "MA-IO-004" in _codes(got["meth_is_2_no_icc.jp2"])
    assert any("ICC profile" in x["message"] for x in got["meth_is_2_no_icc.jp2"]["findings"])
    for p in intact:
        assert "MA-IO-004" not in _codes(got[p.name]), got[p.name]["findings"]


def test_an_mp4_without_samples_has_nothing_to_play() -> None:
    """CMAF, DASH and HLS initialisation segments (moov, empty sample tables, no media
    data): MA-IO-004.  A complete fragmented MP4 from the same collection passes."""
    ax = REAL / "androidx-media"
    inits = [ax / "cmaf" / "multi-segment" / "video_init.mp4",
             ax / "hls" / "multi-segment" / "init.mp4"]
    whole = ax / "mp4" / "sample_fragmented.mp4"
    got = {p.parent.name + "/" + p.name: e for p, e in zip(
        [*inits, whole], _entries(*inits, whole).values(), strict=True)}
    for e in list(got.values())[:2]:
        assert "MA-IO-004" in _codes(e) and "no media samples" in str(e["findings"])
    assert "MA-IO-004" not in _codes(got["mp4/sample_fragmented.mp4"])


def _first_video_sample(path: Path) -> int:
    """The offset of the first video sample (ffprobe's packet position)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "packet=pos", "-read_intervals", "%+#1", "-of", "csv=p=0",
                          str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0])


@needs_ffmpeg
def test_h264_samples_must_split_into_nal_units(tmp_path: Path) -> None:
    """One NAL length prefix made too long in the first frame of sample_media's interview
    (its boxes all intact): MA-IO-004 by default.  The real AndroidX files with an invalid
    NAL unit (in a plain and in a fragmented MP4) fail too; the intact ones pass."""
    src = SAMPLES / "interview.mp4"
    at = _first_video_sample(src)
    data = bytearray(src.read_bytes())
    length = int.from_bytes(data[at:at + 4], "big")
    data[at:at + 4] = (length + 1000).to_bytes(4, "big")
    (tmp_path / "nal.mp4").write_bytes(bytes(data))
    ax = REAL / "androidx-media" / "mp4"
    got = _entries(tmp_path / "nal.mp4", src, ax / "sample_with_invalid_nalu.mp4",
                   ax / "sample_fragmented_uuid.mp4", SAMPLES / "telefoon.mov")
    for name in ("nal.mp4", "sample_with_invalid_nalu.mp4", "sample_fragmented_uuid.mp4"):
        assert "MA-IO-004" in _codes(got[name]), (name, got[name]["findings"])
        assert "NAL units" in str(got[name]["findings"])
    for name in ("interview.mp4", "telefoon.mov"):
        assert "MA-IO-004" not in _codes(got[name]), got[name]["findings"]


def _ogg_pages(data: bytes) -> list[int]:
    out, pos = [], 0
    while pos < len(data) and data[pos:pos + 4] == b"OggS":
        out.append(pos)
        segs = data[pos + 27:pos + 27 + data[pos + 26]]
        pos += 27 + data[pos + 26] + sum(segs)
    return out


def test_ogg_junk_between_pages_is_skipped_unless_a_page_is_lost(tmp_path: Path) -> None:
    """AndroidX's bear_vorbis_gap.ogg (junk between two pages; ffmpeg plays every packet)
    is not damaged.  Junk put between two pages of another real Ogg is not either; a
    page whose capture pattern is overwritten is lost, and that is damage."""
    src = REAL / "androidx-media" / "ogg" / "bear_vorbis.ogg"
    data = src.read_bytes()
    pages = _ogg_pages(data)
    third = pages[3]
    (tmp_path / "junk.ogg").write_bytes(data[:third] + b"\xde\xad\xbe\xef" * 5 + data[third:])
    lost = bytearray(data)
    lost[third:third + 4] = b"XggS"
    (tmp_path / "lost.ogg").write_bytes(bytes(lost))
    gap = REAL / "androidx-media" / "ogg" / "bear_vorbis_gap.ogg"
    got = _entries(tmp_path / "junk.ogg", tmp_path / "lost.ogg", gap, src)
    for name in ("junk.ogg", "bear_vorbis_gap.ogg", "bear_vorbis.ogg"):
        assert "MA-IO-004" not in _codes(got[name]), (name, got[name]["findings"])
    assert "MA-IO-004" in _codes(got["lost.ogg"])
    assert "a page is missing" in str(got["lost.ogg"]["findings"])


def test_deep_asks_the_reference_decoder_of_the_data() -> None:
    """Damage only a full decode shows, where the first decoder keeps quiet: motion-photo
    JPEGs whose entropy data is corrupt (Pillow swallows libjpeg's warning; libav says
    so), CCITT fax TIFFs with a premature end of line (libtiff says so), an MP3 with a bad
    frame and an H.264 MP4 with a broken frame (libav).  The default audit leaves them
    (the structure is complete), ``--deep`` fails them.  Valid files stay clean: an
    arithmetic-coded JPEG (libav lacks the feature), a JPEG with a short EXIF block
    (metadata, not data), a WebP-compressed TIFF that Pillow's build cannot decode but
    libtiff reads (MA-IO-010), a clean MP3 and the sample photos."""
    ax = REAL / "androidx-media"
    damaged = [ax / "jpeg" / "pixel-motion-photo-shortened.jpg",
               ax / "jpeg" / "ss-motion-photo-shortened.jpg",
               REAL / "libtiff" / "images" / "testfax3_bug54_1dnoEOL.tif",
               ax / "mp3" / "bear-id3.mp3"]
    intact = [REAL / "libjpeg-turbo" / "testimgari.jpg", REAL / "pillow" / "hopper_bad_exif.jpg",
              REAL / "libtiff" / "images" / "webp_lossless_rgba_alpha_fully_opaque.tif",
              ax / "mp3" / "bear-vbr-xing-header.mp3", SAMPLES / "campagne.jpg",
              SAMPLES / "interview.mp4"]
    quick = _entries(*damaged)
    deep = _entries(*damaged, *intact, deep=True)
    for p in damaged:
        assert "MA-IO-004" not in _codes(quick[p.name]), (p.name, quick[p.name]["findings"])
        assert "MA-IO-004" in _codes(deep[p.name]), (p.name, deep[p.name]["findings"])
    for p in intact:
        assert "MA-IO-004" not in _codes(deep[p.name]), (p.name, deep[p.name]["findings"])
    assert "MA-IO-010" in _codes(deep["webp_lossless_rgba_alpha_fully_opaque.tif"])
    assert "libtiff" in str(deep["webp_lossless_rgba_alpha_fully_opaque.tif"]["findings"])


def test_libtiff_vouches_for_a_tiff_pillow_and_libav_cannot_open() -> None:
    """A 16-bit palette TIFF and a big-endian BigTIFF from libtiff's and image-tiff's test
    images: Pillow cannot open them, libav refuses them in words that do not say
    "unsupported", libtiff reads every strip: MA-IO-010, not damage."""
    files = [REAL / "image-tiff" / "libtiffpic" / "depth" / "flower-palette-16.tif",
             REAL / "image-tiff" / "images" / "bigtiff" / "BigTIFFMotorola.tif"]
    got = _entries(*files)
    for p in files:
        assert "MA-IO-004" not in _codes(got[p.name]), got[p.name]["findings"]
        assert "MA-IO-010" in _codes(got[p.name])


# --- hostile and odd inputs found in review: never "error", never a hang, no false damage


def _box(data: bytes, path: tuple[bytes, ...], start: int = 0, end: int | None = None
         ) -> tuple[int, int]:
    """(offset, size) of the box at ``path`` (first match at each level)."""
    end = len(data) if end is None else end
    pos = start
    while pos + 8 <= end:
        size, typ = struct.unpack(">I4s", data[pos:pos + 8])
        if typ == path[0]:
            if len(path) == 1:
                return pos, size
            return _box(data, path[1:], pos + 8, pos + size)
        pos += size
    raise KeyError(path)


def test_sample_tables_that_describe_no_real_file_get_no_opinion(tmp_path: Path) -> None:
    """A fragment whose data offset points before the file, a sample-size table of 4
    billion fixed-size samples, chunk runs that go back and forth: the NAL walk has no
    opinion (the box walk judges the file), never "could not be read", MemoryError or a
    loop (they were all three)."""
    from mediaaudit.probe.structure.bmff import boxes
    from mediaaudit.probe.structure.nal import nal_framing

    frag = bytearray((REAL / "androidx-media" / "mp4" / "sample_fragmented.mp4").read_bytes())
    at, _ = _box(bytes(frag), (b"moof", b"traf", b"trun"))
    assert frag[at + 11] & 0x01  # the run has a data offset
    frag[at + 16:at + 20] = (-0x7FFFFF00).to_bytes(4, "big", signed=True)
    (tmp_path / "negative.mp4").write_bytes(bytes(frag))
    plain = bytearray((SAMPLES / "interview.mp4").read_bytes())
    stsz, _ = _box(bytes(plain), (b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsz"))
    huge = bytearray(plain)
    huge[stsz + 12:stsz + 20] = struct.pack(">II", 1, 0xFFFFFFFF)
    loops = bytearray(plain)
    stsc, size = _box(bytes(plain), (b"moov", b"trak", b"mdia", b"minf", b"stbl", b"stsc"))
    runs = (size - 16) // 12
    if runs >= 2:
        loops[stsc + 16:stsc + 16 + 24] = struct.pack(">IIIIII", 1, 0, 1, 2, 0, 1)
    for name, data in (("huge.mp4", huge), ("loops.mp4", loops)):
        with io.BytesIO(bytes(data)) as f:
            top, _ = boxes(f, 0, len(data), "MP4")
            moov = next(b for b in top if b.typ == b"moov")
            with pytest.raises(ValueError):
                nal_framing(f, len(data), moov, top)
        (tmp_path / name).write_bytes(bytes(data))
    got = _entries(*sorted(tmp_path.iterdir()))
    assert all(e["outcome"] != "error" for e in got.values()), got


def test_png_data_after_the_last_row_is_not_unpacked() -> None:
    """A 1×1 PNG whose zlib stream goes on with 4 GiB of zeros (4 MB of file): the rows
    are all there after one byte, so the walk stops there (it unpacked all 4 GiB before);
    libpng treats the extra data as a warning."""
    import time

    from mediaaudit.probe.structure.png import png

    z = zlib.compressobj(9)
    stream = z.compress(b"\0\x80\x80\x80")  # filter type 0, one grey-ish RGB pixel
    zeros = bytes(1 << 24)
    stream += b"".join(z.compress(zeros) for _ in range(256)) + z.flush()
    data = _with_chunk((SAMPLES / "stadhuis.png").read_bytes(), b"IDAT", stream)
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    data = data[:16] + ihdr + struct.pack(">I", zlib.crc32(b"IHDR" + ihdr)) + data[33:]
    start = time.monotonic()
    with io.BytesIO(data) as f:
        assert png(f, len(data)) is None
    assert time.monotonic() - start < 3  # it took 10 s when it unpacked everything


@needs_ffmpeg
def test_deep_keeps_to_the_coded_data(tmp_path: Path) -> None:
    """--deep judges sound and pictures, not what sits beside them: an MP3 with a cut
    cover image (metadata: its picture stream is cover art), two MP3s joined with ``cat``
    (an ID3 tag between frames, skipped by decoders), a chained Ogg with junk between its
    two links (the second link starts a new stream), a TIFF whose name is not UTF-8."""
    from PIL import Image

    mp3 = tmp_path / "t.mp3"
    _ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-id3v2_version", "3",
            "-metadata", "title=Toon", str(mp3))
    cover = tmp_path / "cover.jpg"
    Image.open(SAMPLES / "campagne.jpg").convert("RGB").resize((320, 240)).save(cover)
    _cut(cover, tmp_path / "cut.jpg", 0.7)
    with_cover = tmp_path / "met-hoes.mp3"
    _ffmpeg("-i", str(mp3), "-i", str(tmp_path / "cut.jpg"), "-map", "0", "-map", "1",
            "-c", "copy", "-disposition:v", "attached_pic", str(with_cover))
    (tmp_path / "samen.mp3").write_bytes(mp3.read_bytes() * 2)
    ogg = REAL / "androidx-media" / "ogg" / "bear_vorbis.ogg"
    (tmp_path / "keten.ogg").write_bytes(ogg.read_bytes() + b"JUNKJUNK" + ogg.read_bytes())
    tif = tmp_path / "lzw.tif"
    Image.open(SAMPLES / "campagne.jpg").save(tif, compression="tiff_lzw")
    odd = tmp_path / os.fsdecode(b"caf\xe9.tif")
    tif.rename(odd)
    for p in (mp3, cover, tmp_path / "cut.jpg"):
        p.unlink()
    got = {name: e for name, e in _entries(tmp_path, deep=True).items()}
    assert len(got) == 4, sorted(got)
    for name, e in got.items():
        assert e["outcome"] != "error" and "MA-IO-004" not in _codes(e), (name, e["findings"])


def test_only_the_first_jp2_colour_box_counts(tmp_path: Path) -> None:
    """exiv2's relax.jp2 with a second colour box that names an ICC profile it lacks:
    readers use the first box (ISO/IEC 15444-1 I.5.3.3), so the file is not damaged;
    with the bad box first it is."""
    data = (REAL / "exiv2" / "relax.jp2").read_bytes()
    at, size = _box(data, (b"jp2h",))
    bad = struct.pack(">I4s", 8 + 3 + 4, b"colr") + b"\x02\x00\x00" + b"\0" * 4
    body = data[at + 8:at + size]
    ihdr = struct.unpack(">I", body[:4])[0]  # the image header box comes first
    assert body[4:8] == b"ihdr"
    for name, inner in (("second.jp2", body + bad),
                        ("first.jp2", body[:ihdr] + bad + body[ihdr:])):
        head = struct.pack(">I4s", 8 + len(inner), b"jp2h")
        (tmp_path / name).write_bytes(data[:at] + head + inner + data[at + size:])
    got = _entries(tmp_path / "second.jp2", tmp_path / "first.jp2")
    assert "MA-IO-004" not in _codes(got["second.jp2"]), got["second.jp2"]["findings"]
    assert "ICC profile" in str(got["first.jp2"]["findings"]), got["first.jp2"]["findings"]
