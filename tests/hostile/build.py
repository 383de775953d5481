"""Build the hostile corpus: every file paired with the finding code it must produce.

Nothing here is committed as binary: the files are made fresh for each test run from
valid Pillow/PyAV output by truncation, splicing and corruption.
"""

from __future__ import annotations

import os
import struct
import zlib
from io import BytesIO
from pathlib import Path

from PIL import Image

import factory
import fixtures_rights as fr

# name → code that must be among its findings.  Outcome must be fail or error.
EXPECT: dict[str, str] = {}
SKIPPED: dict[str, str] = {}  # name → the reason it is listed under 'skipped', not audited


def _put(d: Path, name: str, data: bytes, code: str) -> None:
    (d / name).write_bytes(data)
    EXPECT[name] = code


def _jpeg_bytes(w: int = 160, h: int = 120) -> bytes:
    buf = BytesIO()
    factory.picture(w, h).save(buf, "JPEG", quality=90)
    return buf.getvalue()


def _png_bytes() -> bytes:
    buf = BytesIO()
    factory.picture(160, 120).save(buf, "PNG")
    return buf.getvalue()


def _gif_bytes() -> bytes:
    buf = BytesIO()
    factory.picture(160, 120).convert("P").save(buf, "GIF")
    return buf.getvalue()


def _tiff_bytes() -> bytes:
    buf = BytesIO()
    factory.picture(160, 120).save(buf, "TIFF")
    return buf.getvalue()


def _jpeg_sof_size(data: bytes, w: int, h: int) -> bytes:
    """Rewrite the SOF0 dimensions (a JPEG header claiming w×h)."""
    i = data.find(b"\xff\xc0")
    return data[:i + 5] + struct.pack(">HH", h, w) + data[i + 9:]


def _exif_jpeg(ifd_bytes: bytes) -> bytes:
    app1 = b"Exif\0\0" + ifd_bytes
    seg = b"\xff\xe1" + struct.pack(">H", len(app1) + 2) + app1
    j = _jpeg_bytes()
    return j[:2] + seg + j[2:]


def build(d: Path) -> Path:
    """Write the corpus into d (which must exist and be empty)."""
    EXPECT.clear()
    _put(d, "zero.jpg", b"", "MA-IO-001")
    jpg, png, gif, tif = _jpeg_bytes(), _png_bytes(), _gif_bytes(), _tiff_bytes()
    for frac in (0.1, 0.5, 0.9):
        pct = int(frac * 100)
        _put(d, f"cut{pct}.jpg", jpg[: int(len(jpg) * frac)], "MA-IO-004")
        _put(d, f"cut{pct}.png", png[: int(len(png) * frac)], "MA-IO-004")
        _put(d, f"cut{pct}.gif", gif[: int(len(gif) * frac)], "MA-IO-004")
        _put(d, f"cut{pct}.tif", tif[: int(len(tif) * frac)], "MA-IO-004")
    mp4 = factory.video(d / "_full.mp4", "mp4", "libx264", "aac", frames=25).read_bytes()
    mkv = factory.video(d / "_full.mkv", "matroska", "ffv1", "flac", frames=25).read_bytes()
    (d / "_full.mp4").unlink()
    (d / "_full.mkv").unlink()
    for frac in (0.3, 0.8):
        pct = int(frac * 100)
        _put(d, f"cut{pct}.mp4", mp4[: int(len(mp4) * frac)], "MA-IO-004")
        _put(d, f"cut{pct}.mkv", mkv[: int(len(mkv) * frac)], "MA-IO-004")
    for ext in ("jpg", "png", "mp4", "mkv", "webp", "tif"):
        _put(d, f"random.{ext}", os.urandom(5000), "MA-ID-003")
    factory.png_bomb(d / "bomb.png")
    EXPECT["bomb.png"] = "MA-IO-007"
    _put(d, "bomb.jpg", _jpeg_sof_size(jpg, 65500, 65500), "MA-IO-007")
    entity = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(f'<!ENTITY a{i} "{"&a;" * 10}">'.encode() for i in range(1))
              + b']><x:xmpmeta xmlns:x="adobe:ns:meta/">&a0;</x:xmpmeta>')
    _put(d, "xmp_bomb.jpg", _with_xmp(jpg, entity), "MA-LIC-007")
    xxe = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/'
           b'02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/"'
           b"><dc:rights>&e;</dc:rights></rdf:Description></rdf:RDF></x:xmpmeta>")
    _put(d, "xmp_xxe.jpg", _with_xmp(jpg, xxe), "MA-LIC-007")
    nested = (b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999'
              b'/02/22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/'
              b'1.1/"><dc:rights>' + b"<rdf:Bag><rdf:li>" * 1500 + b"x"
              + b"</rdf:li></rdf:Bag>" * 1500 + b"</dc:rights></rdf:Description></rdf:RDF>"
              b"</x:xmpmeta>")
    _put(d, "xmp_nested.jpg", _with_xmp(jpg, nested), "MA-LIC-007")
    huge = fr.xmp("<dc:rights>" + "x" * (50 << 20) + "</dc:rights>")
    _put(d, "xmp_50mb.png", _png_with_itxt(png, huge), "MA-LIC-007")
    (d / "xmp_side.jpg").write_bytes(jpg)
    (d / "xmp_side.xmp").write_bytes(huge)
    EXPECT["xmp_side.jpg"] = "MA-LIC-007"
    # EXIF: IFD0 whose next-IFD offset points back at itself (a loop), and one out of range
    loop = b"MM\0*" + struct.pack(">I", 8) + struct.pack(">H", 1) + struct.pack(
        ">HHII", 0x8298, 2, 4, 0x41424300) + struct.pack(">I", 8)
    _put(d, "exif_loop.jpg", _exif_jpeg(loop), "MA-LIC-002")  # read once: holder "ABC"
    far = b"MM\0*" + struct.pack(">I", 8) + struct.pack(">H", 1) + struct.pack(
        ">HHII", 0x8298, 2, 400, 0x7FFFFFF0) + struct.pack(">I", 0x7FFFFFF0)
    _put(d, "exif_far.jpg", _exif_jpeg(far), "MA-LIC-001")
    iim = bytes([0x1C, 2, 116]) + struct.pack(">H", 60000) + b"short"
    irb = b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iim)) + iim + b"\0"
    app13 = b"\xff\xed" + struct.pack(">H", len(irb) + 16) + b"Photoshop 3.0\0" + irb
    _put(d, "iptc_bad.jpg", fr.insert_after_appn(jpg, app13), "MA-IO-009")
    (d / "garbage_side.jpg").write_bytes(jpg)
    (d / "garbage_side.jpg.license").write_bytes(os.urandom(300) + b"\0")
    EXPECT["garbage_side.jpg"] = "MA-LIC-010"
    # names
    for name in ("with space.png", "caf\u00e9-nfc.png", "cafe\u0301-nfd.png", "new\nline.png"):
        _put(d, name, png, "MA-LIC-001")
    bad = os.fsencode(str(d)) + b"/bad-\xff\xfe-name.png"
    with open(bad, "wb") as fh:
        fh.write(png)
    EXPECT["bad-\\xff\\xfe-name.png"] = "MA-LIC-001"
    # special entries
    os.symlink("loop.jpg", d / "loop.jpg")  # symlinks inside a folder are not followed
    SKIPPED["loop.jpg"] = "symlink (not followed)"
    os.symlink(d / "nowhere.jpg", d / "dangling.jpg")
    SKIPPED["dangling.jpg"] = "symlink (not followed)"
    os.mkfifo(d / "fifo.mp4")
    EXPECT["fifo.mp4"] = "MA-IO-008"
    os.symlink("/dev/null", d / "device.jpg")
    SKIPPED["device.jpg"] = "symlink (not followed)"
    return d


def _with_xmp(jpeg: bytes, packet: bytes) -> bytes:
    body = b"http://ns.adobe.com/xap/1.0/\0" + packet
    seg = b"\xff\xe1" + struct.pack(">H", len(body) + 2) + body
    return jpeg[:2] + seg + jpeg[2:]


def _png_with_itxt(png: bytes, packet: bytes) -> bytes:
    body = b"XML:com.adobe.xmp\0\0\0\0\0" + packet
    chunk = struct.pack(">I", len(body)) + b"iTXt" + body + struct.pack(
        ">I", zlib.crc32(b"iTXt" + body))
    return png[:33] + chunk + png[33:]


def hash_tree(d: Path) -> dict[str, str]:
    """sha256 of every regular file (symlinks and FIFOs excluded), by name."""
    import hashlib

    out = {}
    for p in d.iterdir():
        if p.is_symlink() or not p.is_file():
            continue
        out[p.name] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


_ = Image  # Pillow is what made every base file above
