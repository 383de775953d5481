"""Metadata readers on real and derived files; exiftool (-j -G1 -a) is the oracle.

1 XMP packets by namespace and in UTF-16/32, PNG XMP after IDAT and compressed;
2 ImageMagick raw profiles in PNG; 3 IPTC-IIM character set and the IPTC digest;
4 GPS defaults (0,0, empty) are no position; 5 GPS in the 3GPP 'loci' box;
6 device serial numbers in maker notes (real camera files from exiftool's t/images)."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import time
import tomllib
import zlib
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

import fixtures_readers as fx
from mediaaudit.probe import xmp

import fixtures_rights as fr
from conftest import have

needs_exiftool = pytest.mark.skipif(not have("exiftool"), reason="exiftool not installed")


def _norm(v: Any) -> str:
    return re.sub(r"\s+", " ", str(v)).strip().casefold()


# --- 1. XMP packets ----------------------------------------------------------------------

PACKET = fx.licence_packet()
VARIANTS = {
    "xapmeta": PACKET.replace("x:xmpmeta", "x:xapmeta"),
    "prefixes": PACKET.replace("<x:", "<meta:").replace("</x:", "</meta:")
    .replace("xmlns:x=", "xmlns:meta=").replace("rdf:", "R:").replace("xmlns:rdf=", "xmlns:R="),
    "bare_rdf": PACKET[PACKET.index("<rdf:RDF"):PACKET.index("</x:xmpmeta>")],
}
ENCODINGS = ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32"]


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_xmp_root_found_by_namespace_not_prefix(tmp_path: Path, variant: str) -> None:
    p = fx.xmp_jpeg(tmp_path / f"{variant}.jpg", VARIANTS[variant].encode())
    assert fx.field(p, "licence") == [fx.CC_BY_SA]
    assert fx.field(p, "creator") == ["Anna de Vries"]
    if have("exiftool"):
        o = fx.exiftool(p)
        assert o["XMP-dc:Creator"] == "Anna de Vries"
        # exiftool only knows rdf:resource by its usual prefix (here R:resource): it shows
        # an empty License; by the XML namespace rules the URI is the value.
        assert o["XMP-cc:License"] == ("" if variant == "prefixes" else fx.CC_BY_SA)


@pytest.mark.parametrize("enc", ENCODINGS)
def test_xmp_utf16_utf32_packets(tmp_path: Path, enc: str) -> None:
    """XMP part 3 §1.1.3: detected by BOM (utf-16/utf-32 add one) or by the zero bytes
    around '<'.  Checked against exiftool."""
    packet = fx.licence_packet(creator="Zoë Müller").encode(enc)
    p = fx.xmp_jpeg(tmp_path / f"x-{enc}.jpg", packet)
    assert fx.field(p, "licence") == [fx.CC_BY_SA]
    assert fx.field(p, "creator") == ["Zoë Müller"]
    if have("exiftool"):
        assert fx.exiftool(p)["XMP-dc:Creator"] == "Zoë Müller"


def test_wide_packet_after_junk_picks_the_right_byte_order() -> None:
    """UTF-16LE bytes also hold the UTF-16BE pattern one byte later: earliest match wins."""
    packet = b"junk" + fx.licence_packet().encode("utf-16-le")
    assert xmp.parse_xmp(packet)[("http://creativecommons.org/ns#", "license")] == [fx.CC_BY_SA]


@pytest.mark.parametrize("broken", [
    fx.licence_packet().encode("utf-16-le")[:301],           # cut inside the RDF
    PACKET.replace("</rdf:Description>", "").encode(),       # unclosed element
    b"<?xpacket begin='' id='W5M0MpCehiHzreSzNTczkc9d'?>no xml here<?xpacket end='w'?>",
])
def test_really_broken_packet_is_still_lic007(tmp_path: Path, broken: bytes) -> None:
    p = fx.xmp_jpeg(tmp_path / "broken.jpg", broken)
    assert "MA-LIC-007" in fx.codes(p)
    assert fx.field(p, "licence") == []


@pytest.mark.parametrize("kind", ["iTXt", "iTXt-z", "zTXt", "tEXt"])
@pytest.mark.parametrize("where", ["before", "after"])
def test_png_xmp_any_chunk_before_or_after_idat(tmp_path: Path, kind: str, where: str) -> None:
    ch = fx.text_chunk(kind, "XML:com.adobe.xmp", PACKET.encode())
    p = fx.png(tmp_path / f"{kind}-{where}.png", **{where: ch})
    assert fx.field(p, "licence") == [fx.CC_BY_SA], fx.facts(p)
    assert fx.field(p, "creator") == ["Anna de Vries"]
    if have("exiftool"):
        assert fx.exiftool(p)["XMP-cc:License"] == fx.CC_BY_SA


def test_png_text_keywords_after_idat(tmp_path: Path) -> None:
    p = fx.png(tmp_path / "late.png", after=fx.text_chunk("iTXt", "Copyright", "© Zoë".encode())
               + fx.text_chunk("zTXt", "Author", b"Piet"))
    got = {(f, v, s) for f, v, s in fx.facts(p)}
    assert ("copyright", "© Zoë", "png:Copyright") in got
    assert ("creator", "Piet", "png:Author") in got


def test_png_compressed_text_bomb_is_capped(tmp_path: Path) -> None:
    """2^26 zero bytes compress to ~65 kB; inflation stops at MAX_PACKET, fast."""
    big = b"<" + b" " * (xmp.MAX_PACKET * 16)
    p = fx.png(tmp_path / "bomb.png", after=fx.chunk(
        b"zTXt", b"XML:com.adobe.xmp\0\0" + zlib.compress(big, 9)))
    t = time.monotonic()
    notes = fx.probe(p).notes
    assert time.monotonic() - t < 5
    assert any(n.code == "MA-IO-009" and "inflates" in str(n.params) for n in notes)


def test_png_walker_skips_image_data(tmp_path: Path) -> None:
    """Many IDAT chunks: the walker seeks over them (a 1 MB late XMP is still found)."""
    from io import BytesIO


    buf = BytesIO()
    Image.effect_noise((600, 600), 80).save(buf, "PNG", compress_level=0)
    data = buf.getvalue()
    j = data.index(b"IEND") - 4
    late = fx.text_chunk("iTXt", "XML:com.adobe.xmp", PACKET.encode() + b" " * (1 << 20))
    (tmp_path / "big.png").write_bytes(data[:j] + late + data[j:])
    assert fx.field(tmp_path / "big.png", "licence") == [fx.CC_BY_SA]


# --- 2. ImageMagick raw profiles ---------------------------------------------------------


@pytest.fixture(scope="module")
def magick_png(tmp_path_factory: pytest.TempPathFactory) -> Path:
    im = have("imagemagick")
    if not (im and have("exiftool")):
        pytest.skip("needs ImageMagick and exiftool")
    d = tmp_path_factory.mktemp("magick")
    src = d / "src.jpg"
    subprocess.run([im, "-size", "40x30", "plasma:", str(src)], check=True, capture_output=True)
    subprocess.run(["exiftool", "-q", "-overwrite_original", "-charset", "iptc=UTF8",
                    "-IPTC:CodedCharacterSet=UTF8", f"-XMP-cc:License={fx.CC_BY_SA}",
                    "-XMP-dc:Creator=Anna de Vries", "-IPTC:CopyrightNotice=© Jan Müller",
                    "-EXIF:Copyright=(c) Gemeente Voorbeeld", "-EXIF:Artist=Piet",
                    "-GPSLatitude=52.0916", "-GPSLatitudeRef=N", "-GPSLongitude=4.3",
                    "-GPSLongitudeRef=E", str(src)], check=True, capture_output=True)
    # ImageMagick's own PNG (raw profiles for XMP/IPTC/8BIM, eXIf after IDAT) and one
    # without eXIf, where only its 'exif:*' text chunks carry the EXIF values
    subprocess.run([im, str(src), str(d / "magick.png")], check=True, capture_output=True)
    subprocess.run([im, str(src), "-define", "png:exclude-chunk=eXIf", str(d / "noexif.png")],
                   check=True, capture_output=True)
    return d


def test_magick_raw_profiles_match_exiftool(magick_png: Path) -> None:
    p = magick_png / "magick.png"
    o = fx.exiftool(p)
    got = {(f, s): v for f, v, s in fx.facts(p)}
    assert got[("licence", "xmp:cc:license")] == o["XMP-cc:License"]
    assert got[("creator", "xmp:dc:creator")] == o["XMP-dc:Creator"]
    assert got[("copyright", "iptc:2:116")] == o["IPTC:CopyrightNotice"] == "© Jan Müller"
    assert got[("copyright", "exif:Copyright")] == o["IFD0:Copyright"]
    assert got[("creator", "exif:Artist")] == o["IFD0:Artist"]
    assert ("gps", "exif:GPS") in got and "GPS:GPSLatitude" in o
    assert [f for f, _, _ in fx.facts(p)].count("copyright") == 2  # 8bim + iptc: read once


def test_magick_exif_text_chunks_when_no_exif_block(magick_png: Path) -> None:
    p = magick_png / "noexif.png"
    o = fx.exiftool(p)
    got = {(f, s): v for f, v, s in fx.facts(p)}
    assert got[("copyright", "png:exif:Copyright")] == o["PNG:ExifCopyright"]
    assert ("gps", "png:exif:GPSLatitude") in got


@needs_exiftool
def test_raw_profile_exif_and_app1(tmp_path: Path) -> None:
    """Older ImageMagick wrote 'Raw profile type exif' (and 'APP1'); exiftool reads it."""

    ex = Image.Exif()
    ex[0x8298] = "(c) Gemeente Voorbeeld"
    ex[0x013B] = "Team Communicatie"
    block = ex.tobytes()  # "Exif\0\0" + TIFF, as in a JPEG APP1
    assert block.startswith(b"Exif\0\0")
    p = fx.png(tmp_path / "rawexif.png",
               before=fx.text_chunk("zTXt", "Raw profile type exif", fx.raw_profile("exif", block)))
    o = fx.exiftool(p)
    got = {(f, s): v for f, v, s in fx.facts(p)}
    assert got[("copyright", "exif:Copyright")] == o["IFD0:Copyright"]
    assert got[("creator", "exif:Artist")] == o["IFD0:Artist"]
    p2 = fx.png(tmp_path / "rawapp1.png", after=fx.text_chunk(
        "tEXt", "Raw profile type APP1", fx.raw_profile("APP1", block)))
    assert fx.field(p2, "copyright") == ["(c) Gemeente Voorbeeld"]


def test_raw_profile_xmp_after_idat(tmp_path: Path) -> None:
    ch = fx.text_chunk("zTXt", "Raw profile type xmp", fx.raw_profile("xmp", PACKET.encode()))
    p = fx.png(tmp_path / "rawxmp.png", after=ch)
    assert fx.field(p, "licence") == [fx.CC_BY_SA]


# --- 3. IPTC-IIM character set and digest -----------------------------------------------


@needs_exiftool
@pytest.mark.parametrize(("charset", "declare"), [("Latin", False), ("UTF8", True)])
def test_iptc_charset(tmp_path: Path, charset: str, declare: bool) -> None:
    p = fx.plain_jpeg(tmp_path / f"iptc-{charset}.jpg")
    args = ["-IPTC:CodedCharacterSet=UTF8"] if declare else []
    subprocess.run(["exiftool", "-q", "-overwrite_original", "-charset", f"iptc={charset}",
                    *args, "-IPTC:By-line=Jan Müller", "-IPTC:CopyrightNotice=© Gemeente Zoë",
                    str(p)], check=True, capture_output=True)
    raw = p.read_bytes()
    assert (b"M\xfcller" in raw) is (not declare)  # Latin-1 really written, without 1:90
    o = fx.exiftool(p)
    assert "IPTC:CodedCharacterSet" in o if declare else "IPTC:CodedCharacterSet" not in o
    assert fx.field(p, "creator") == [o["IPTC:By-line"]] == ["Jan Müller"]
    assert fx.field(p, "copyright") == [o["IPTC:CopyrightNotice"]]


@needs_exiftool
def test_iptc_in_tiff_latin1(tmp_path: Path) -> None:
    im = have("imagemagick")
    if not im:
        pytest.skip("needs ImageMagick")
    p = tmp_path / "iptc.tif"
    subprocess.run([im, "-size", "20x20", "plasma:", str(p)], check=True, capture_output=True)
    subprocess.run(["exiftool", "-q", "-overwrite_original", "-charset", "iptc=Latin",
                    "-IPTC:CopyrightNotice=© Jan Müller", str(p)], check=True,
                   capture_output=True)
    o = fx.exiftool(p)
    assert fx.field(p, "copyright") == [o["IPTC:CopyrightNotice"]] == ["© Jan Müller"]


def test_iptc_and_xmp_both_recorded_with_sources(tmp_path: Path) -> None:
    packet = fr.xmp(fr.alt("dc:rights", "CC BY 4.0 Gemeente Voorbeeld"))
    p = fr.jpeg(tmp_path / "both.jpg", packet=packet,
                app13=fr.iptc_app13((2, 116, "© Persbureau X, alle rechten voorbehouden")))
    got = {(s, v) for f, v, s in fx.facts(p) if f == "copyright"}
    assert got == {("xmp:dc:rights", "CC BY 4.0 Gemeente Voorbeeld"),
                   ("iptc:2:116", "© Persbureau X, alle rechten voorbehouden")}


@needs_exiftool
def test_iptc_digest_current_then_stale(tmp_path: Path) -> None:
    p = fx.plain_jpeg(tmp_path / "digest.jpg")
    subprocess.run(["exiftool", "-q", "-overwrite_original", "-IPTC:By-line=Jan",
                    "-IPTCDigest=new", str(p)], check=True, capture_output=True)
    o = fx.exiftool(p, "-IPTCDigest", "-CurrentIPTCDigest")
    assert o["Photoshop:IPTCDigest"] == o["File:CurrentIPTCDigest"]
    assert fx.field(p, "iptc_changed") == []
    # another tool edits the IPTC block and leaves the digest alone
    p.write_bytes(p.read_bytes().replace(b"\x1c\x02\x50\x00\x03Jan", b"\x1c\x02\x50\x00\x03Kim"))
    o = fx.exiftool(p, "-IPTCDigest", "-CurrentIPTCDigest")
    assert o["Photoshop:IPTCDigest"] != o["File:CurrentIPTCDigest"]
    assert [(f, v, s) for f, v, s in fx.facts(p) if f == "iptc_changed"] == [
        ("iptc_changed", "true", "iptc:digest")]
    assert fx.field(p, "creator") == ["Kim"]


def test_iptc_digest_stale_in_real_file() -> None:
    """exiftool's t/images/IPTC.jpg: exiftool warns "IPTCDigest is not current"."""
    p = fx.REALWORLD / "IPTC.jpg"
    assert fx.field(p, "iptc_changed") == ["true"]
    assert fx.field(p, "creator") == ["Phil Harvey"]
    if have("exiftool"):
        o = fx.exiftool(p, "-IPTCDigest", "-CurrentIPTCDigest")
        assert o["Photoshop:IPTCDigest"] != o["File:CurrentIPTCDigest"]


# --- 4. GPS defaults are no position -----------------------------------------------------


@needs_exiftool
@pytest.mark.parametrize(("name", "args", "position"), [
    ("zero", ["-GPSLatitude=0", "-GPSLatitudeRef=N", "-GPSLongitude=0", "-GPSLongitudeRef=E"],
     False),
    ("empty_ifd", ["-GPSVersionID=2.3.0.0", "-GPSMapDatum=WGS-84"], False),
    ("xmp_zero", ["-XMP-exif:GPSLatitude=0,0.0N", "-XMP-exif:GPSLongitude=0,0.0E"], False),
    ("xmp_lat_zero_only", ["-XMP-exif:GPSLatitude=0,0.0N"], False),
    ("real", ["-GPSLatitude=52.0916", "-GPSLatitudeRef=N", "-GPSLongitude=4.3",
              "-GPSLongitudeRef=E"], True),
    ("equator", ["-GPSLatitude=0", "-GPSLatitudeRef=N", "-GPSLongitude=32.5",
                 "-GPSLongitudeRef=E"], True),
    ("xmp_real", ["-XMP-exif:GPSLatitude=52,5.496N", "-XMP-exif:GPSLongitude=4,18.0E"], True),
])
def test_gps_defaults_give_no_position(tmp_path: Path, name: str, args: list[str],
                                       position: bool) -> None:
    p = fx.plain_jpeg(tmp_path / f"{name}.jpg")
    subprocess.run(["exiftool", "-q", "-overwrite_original", *args, str(p)], check=True,
                   capture_output=True)
    gps = [f for f, _, _ in fx.facts(p) if f in ("gps", "gps_lat", "gps_lon")]
    assert bool(gps) is position, fx.facts(p)
    o = fx.exiftool(p, "-n", "-GPS*")
    coords = [float(v) for k, v in o.items() if k.endswith(("GPSLatitude", "GPSLongitude"))]
    assert (bool(coords) and any(coords)) is position  # exiftool: a non-zero coordinate
    if name == "empty_ifd":
        assert "GPS:GPSVersionID" in fx.exiftool(p)  # the GPS IFD is there, empty


@needs_exiftool
@pytest.mark.parametrize(("lat", "position"), [("0", False), ("52.0916", True)])
def test_gps_zero_in_exifread_fallback(tmp_path: Path, lat: str, position: bool) -> None:
    """The exifread path (images Pillow cannot open) applies the same 0,0 rule."""
    from mediaaudit.probe import exif
    from mediaaudit.probe.partial import Partial

    p = fx.plain_jpeg(tmp_path / "fallback.jpg")
    subprocess.run(["exiftool", "-q", "-overwrite_original", f"-GPSLatitude={lat}",
                    "-GPSLatitudeRef=N", "-GPSLongitude=0", "-GPSLongitudeRef=E", str(p)],
                   check=True, capture_output=True)
    part = Partial(kind="image", props={"pillow_error": "pretend"})
    exif.read_exif_fallback(str(p), b"", "image/jpeg", part)
    assert bool([m for m in part.meta if m.field == "gps"]) is position


# --- 5. GPS in the 3GPP loci box ---------------------------------------------------------


@pytest.fixture(scope="module")
def loci_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (have("ffmpeg") and have("exiftool")):
        pytest.skip("needs ffmpeg and exiftool")
    d = tmp_path_factory.mktemp("loci")
    base = ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
            "testsrc=size=64x48:rate=25", "-t", "0.2", "-pix_fmt", "yuv420p", "-c:v", "libx264"]
    subprocess.run([*base, "-f", "3gp", "-metadata", "location=+52.0916+004.3000/",
                    str(d / "ffmpeg.3gp")], check=True)
    subprocess.run([*base, "-f", "3gp", "-metadata", "location=+00.0000+000.0000/",
                    str(d / "zero.3gp")], check=True)
    subprocess.run([*base, str(d / "plain.mp4")], check=True)
    shutil.copy(d / "plain.mp4", d / "exiftool.mp4")
    subprocess.run(["exiftool", "-q", "-overwrite_original",
                    "-UserData:LocationInformation=Den Haag Role=shooting Lat=-33.8568 "
                    "Lon=151.2153 Alt=3 Body=earth Notes=", str(d / "exiftool.mp4")],
                   check=True, capture_output=True)
    return d


@pytest.mark.parametrize(("name", "position"), [
    ("ffmpeg.3gp", True), ("exiftool.mp4", True), ("zero.3gp", False), ("plain.mp4", False)])
def test_loci_gps(loci_dir: Path, name: str, position: bool) -> None:
    p = loci_dir / name
    got = [(v, s) for f, v, s in fx.facts(p) if f == "gps"]
    o = fx.exiftool(p, "-n", "-UserData:LocationInformation", "-Composite:GPSLatitude",
                    "-Composite:GPSLongitude")
    if not position:
        assert got == []
        assert not o.get("Composite:GPSLatitude") and not o.get("Composite:GPSLongitude")
        return
    assert [s for _, s in got] == ["video-tag:loci"]
    lat, lon = (float(x) for x in got[0][0].split())
    assert abs(lat - o["Composite:GPSLatitude"]) < 1e-4
    assert abs(lon - o["Composite:GPSLongitude"]) < 1e-4


# --- 5b. GPS in a FLIR thermal camera's APP1 FFF record -----------------------------------


@pytest.mark.parametrize(("name", "lat", "lon", "valid"), [
    ("real", None, None, 1), ("gps", 52.0916, -4.3, 1), ("invalid", 52.0916, 4.3, 0),
    ("zero", 0.0, 0.0, 1)])
def test_flir_gps(tmp_path: Path, name: str, lat: float | None, lon: float | None,
                  valid: int) -> None:
    """exiftool's t/images/FLIR.jpg has no GPS record; the derived ones get one (its layout
    from exiftool's FLIR.pm), and exiftool shows FLIR:GPSLatitude only when GPSValid."""
    src = fx.REALWORLD / "FLIR.jpg"
    p = src if lat is None else fx.flir_with_gps(src, tmp_path / f"{name}.jpg", lat,
                                                 lon or 0.0, valid)
    got = [(v, s) for f, v, s in fx.facts(p) if f == "gps"]
    if have("exiftool"):
        o = fx.exiftool(p, "-n", "-FLIR:GPSLatitude", "-FLIR:GPSLongitude")
        assert ("FLIR:GPSLatitude" in o) is (lat is not None and valid == 1)
    if name == "gps":
        assert got == [("52.09160 -4.30000", "flir:GPS")]
    else:
        assert got == []


# --- 6. serial numbers in maker notes ----------------------------------------------------


def _sources() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = tomllib.loads(
        (fx.REALWORLD / "SOURCES.toml").read_text())["file"]
    return rows


def test_realworld_sources_are_pinned() -> None:
    rows = _sources()
    assert {Path(r["path"]).name for r in rows} == {
        p.name for p in fx.REALWORLD.iterdir() if p.suffix == ".jpg"}
    for r in rows:
        data = (fx.REALWORLD.parent / r["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == r["sha256"], r["path"]
        assert re.fullmatch(r"[0-9a-f]{40}", r["commit"]) and r["repo"] == "exiftool/exiftool"
        assert r["licence"] and r["source_path"].startswith("t/images/")


# file → {(vendor, tag): value} as exiftool -G1 -a -SerialNumber -InternalSerialNumber shows
SERIALS = {
    "Canon.jpg": {("Canon", "SerialNumber"): "0560018150"},
    "Canon1DmkIII.jpg": {("Canon", "SerialNumber"): "500292",
                         ("Canon", "InternalSerialNumber"): "G002669"},
    "NikonD2Hs.jpg": {("Nikon", "SerialNumber"): "3001006"},
    "NikonD70.jpg": {("Nikon", "SerialNumber"): "No= 20025585"},
    "Olympus2.jpg": {("Olympus", "SerialNumber"): "C90500055",
                     ("Olympus", "InternalSerialNumber"): "0171612001128001"},
    "OlympusE1.jpg": {("Olympus", "SerialNumber"): "143008611",
                      ("Olympus", "InternalSerialNumber"): "4001310004375102"},
    "Panasonic.jpg": {("Panasonic", "InternalSerialNumber"): "(S00) 2004:07:19 no. 0102"},
    "Pentax.jpg": {("Pentax", "InternalSerialNumber"): "132352"},
    "Sigma.jpg": {("Sigma", "SerialNumber"): "02000019"},
    "Sony.jpg": {},
}


@pytest.mark.parametrize("name", sorted(SERIALS))
def test_makernote_serials(name: str) -> None:
    p = fx.REALWORLD / name
    got = {tuple(s.split(":")[1:]): v for f, v, s in fx.facts(p)
           if f == "serial" and s.startswith("makernote:")}
    assert {k: _norm(v) for k, v in got.items()} == {
        k: _norm(v) for k, v in SERIALS[name].items()}
    if have("exiftool"):
        o = fx.exiftool(p, "-SerialNumber", "-InternalSerialNumber")
        oracle = {tuple(k.split(":")): v for k, v in o.items() if k != "SourceFile"}
        assert {k: _norm(v) for k, v in got.items()} == {
            k: _norm(v) for k, v in oracle.items()}


def test_makernote_serial_raises_privacy_finding(tmp_path: Path) -> None:
    from conftest import run_cli

    shutil.copy(fx.REALWORLD / "Olympus2.jpg", tmp_path / "cam.jpg")
    run = run_cli("scan", str(tmp_path / "cam.jpg"), "--lang", "en")
    found = [x for x in run.entry("cam.jpg")["findings"] if x["code"] == "MA-PRV-002"]
    assert found and "C90500055" in found[0]["message"]


def test_no_makernote_no_serial(tmp_path: Path) -> None:
    p = fx.plain_jpeg(tmp_path / "plain.jpg")
    assert fx.field(p, "serial") == []
