"""Derived files for test_readers.py: byte splicing of PNG chunks and JPEG segments, and a
helper that runs one file through the real probe with the real readers."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import zlib
from pathlib import Path
from typing import Any

from PIL import Image

from mediaaudit.model import Facts, FileRef
from mediaaudit.probe import readers
from mediaaudit.probe.run import probe_file

import fixtures_rights as fr

REALWORLD = Path(__file__).parent / "realworld" / "readers"
CC_BY_SA = "https://creativecommons.org/licenses/by-sa/4.0/"


def probe(path: Path) -> Facts:
    st = os.stat(path)
    ref = FileRef(str(path), path.name, st.st_size, st.st_mtime_ns)
    return probe_file(ref, readers.image_readers(), readers.file_readers())


def facts(path: Path) -> list[tuple[str, str, str]]:
    return [(m.field, m.value, str(m.source)) for m in probe(path).meta]


def field(path: Path, name: str) -> list[str]:
    return [v for f, v, _ in facts(path) if f == name]


def codes(path: Path) -> list[str]:
    return [n.code for n in probe(path).notes]


def exiftool(path: Path, *tags: str) -> dict[str, Any]:
    """exiftool -j -G1 -a: the oracle."""
    out = subprocess.run(["exiftool", "-j", "-G1", "-a", *tags, str(path)],
                         capture_output=True, text=True, check=True).stdout
    rows: list[dict[str, Any]] = json.loads(out)
    return rows[0]


def licence_packet(licence: str = CC_BY_SA, creator: str = "Anna de Vries") -> str:
    return fr.xmp(f'<cc:license rdf:resource="{licence}"/>'
                  + fr.seq("dc:creator", creator)).decode("utf-8")


# --- PNG -------------------------------------------------------------------------------


def chunk(typ: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + typ + data + struct.pack(">I", zlib.crc32(typ + data))


def text_chunk(kind: str, key: str, value: bytes) -> bytes:
    k = key.encode("latin-1")
    if kind == "tEXt":
        return chunk(b"tEXt", k + b"\0" + value)
    if kind == "zTXt":
        return chunk(b"zTXt", k + b"\0\0" + zlib.compress(value))
    if kind == "iTXt":
        return chunk(b"iTXt", k + b"\0\0\0\0\0" + value)
    if kind == "iTXt-z":  # compression flag 1, method 0
        return chunk(b"iTXt", k + b"\0\1\0\0\0" + zlib.compress(value))
    raise ValueError(kind)


def png(path: Path, before: bytes = b"", after: bytes = b"") -> Path:
    """A small PNG with extra chunks spliced in before the first IDAT and/or after the last."""
    from io import BytesIO

    buf = BytesIO()
    Image.new("RGB", (24, 16), (30, 120, 200)).save(buf, "PNG")
    data = buf.getvalue()
    i = data.index(b"IDAT") - 4
    j = data.index(b"IEND") - 4
    path.write_bytes(data[:i] + before + data[i:j] + after + data[j:])
    return path


def raw_profile(name: str, payload: bytes) -> bytes:
    """ImageMagick's raw profile text: "\\nname\\n  length\\nhex (72 digits a line)"."""
    hx = payload.hex()
    lines = "\n".join(hx[i:i + 72] for i in range(0, len(hx), 72))
    return f"\n{name}\n{len(payload):8d}\n{lines}\n".encode("latin-1")


# --- JPEG ------------------------------------------------------------------------------


def jpeg_with_app1(path: Path, payload: bytes) -> Path:
    """A JPEG with one APP1 segment right after SOI."""
    from io import BytesIO

    buf = BytesIO()
    Image.new("RGB", (16, 16), (200, 80, 40)).save(buf, "JPEG")
    data = buf.getvalue()
    seg = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    path.write_bytes(data[:2] + seg + data[2:])
    return path


def plain_jpeg(path: Path) -> Path:
    Image.new("RGB", (16, 16), (200, 80, 40)).save(path, "JPEG")
    return path


def xmp_jpeg(path: Path, packet: bytes) -> Path:
    return jpeg_with_app1(path, b"http://ns.adobe.com/xap/1.0/\0" + packet)


def flir_with_gps(src: Path, dst: Path, lat: float, lon: float, valid: int = 1) -> Path:
    """A FLIR JPEG with a GPS record (FFF record 0x2b, layout of exiftool's FLIR.pm) put
    into a free entry of its FFF directory, appended to the FLIR APP1 segment."""
    data = src.read_bytes()
    i = data.index(b"FLIR\0") - 4  # the APP1 marker and length before the FLIR header
    n = struct.unpack(">H", data[i + 2:i + 4])[0]
    seg = bytearray(data[i + 4:i + 2 + n])
    assert seg.startswith(b"FLIR\0") and seg[6] == 0 and seg[7] == 0, "one-part FLIR segment"
    fff = bytearray(seg[8:])
    bo = ">" if 100 <= struct.unpack_from(">I", fff, 0x14)[0] < 200 else "<"
    pos, num = struct.unpack_from(bo + "II", fff, 0x18)
    free = next(k for k in range(num) if struct.unpack_from(bo + "H", fff, pos + 0x20 * k)[0] == 0)
    rec = (struct.pack("<I", valid) + b"\x02\x02\x00\x00" + (b"N\0" if lat >= 0 else b"S\0")
           + (b"E\0" if lon >= 0 else b"W\0") + b"\0" * 4 + struct.pack("<dd", lat, lon)
           + b"\0" * 0x48)
    e = pos + 0x20 * free
    struct.pack_into(bo + "HH", fff, e, 0x2B, 0)
    struct.pack_into(bo + "II", fff, e + 0x0C, len(fff), len(rec))
    fff += rec
    new = bytes(seg[:8]) + bytes(fff)
    dst.write_bytes(data[:i] + b"\xff\xe1" + struct.pack(">H", len(new) + 2) + new
                    + data[i + 2 + n:])
    return dst
