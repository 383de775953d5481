"""Rights, portrait and privacy fixtures (issue 4), written with Pillow/PyAV and byte
splicing following reference/rights-metadata.md §9.  exiftool-written counterparts are
made in test_rights.py where exiftool is installed."""

from __future__ import annotations

import hashlib
import struct
from io import BytesIO
from pathlib import Path

from PIL import Image, TiffImagePlugin
from PIL.PngImagePlugin import PngInfo

import factory

NS = {
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmpRights": "http://ns.adobe.com/xap/1.0/rights/",
    "cc": "http://creativecommons.org/ns#",
    "plus": "http://ns.useplus.org/ldf/xmp/1.0/",
    "Iptc4xmpExt": "http://iptc.org/std/Iptc4xmpExt/2008-02-29/",
    "Iptc4xmpCore": "http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/",
    "exif": "http://ns.adobe.com/exif/1.0/",
    "xmpNote": "http://ns.adobe.com/xmp/note/",
}

CC_BY = "https://creativecommons.org/licenses/by/4.0/"


def xmp(body: str, extra_ns: dict[str, str] | None = None) -> bytes:
    """A complete XMP packet around an rdf:Description body (elements)."""
    ns = {**NS, **(extra_ns or {})}
    decl = " ".join(f'xmlns:{k}="{v}"' for k, v in ns.items())
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
        f'<rdf:Description rdf:about="" {decl}>{body}</rdf:Description>'
        "</rdf:RDF></x:xmpmeta>\n" + " " * 200 + '<?xpacket end="w"?>'
    ).encode("utf-8")


def alt(tag: str, text: str) -> str:
    return f'<{tag}><rdf:Alt><rdf:li xml:lang="x-default">{text}</rdf:li></rdf:Alt></{tag}>'


def seq(tag: str, *items: str, kind: str = "Seq") -> str:
    lis = "".join(f"<rdf:li>{i}</rdf:li>" for i in items)
    return f"<{tag}><rdf:{kind}>{lis}</rdf:{kind}></{tag}>"


def iptc_app13(*datasets: tuple[int, int, str]) -> bytes:
    """A JPEG APP13 'Photoshop 3.0' segment holding an IPTC-IIM stream (UTF-8)."""
    rows = [(1, 90, b"\x1b%G")] + [(r, d, v.encode()) for r, d, v in datasets]
    iim = b"".join(bytes([0x1C, r, d]) + struct.pack(">H", len(v)) + v for r, d, v in rows)
    irb = (b"8BIM" + struct.pack(">H", 0x0404) + b"\0\0" + struct.pack(">I", len(iim)) + iim
           + b"\0" * (len(iim) & 1))
    return b"\xff\xed" + struct.pack(">H", len(irb) + 16) + b"Photoshop 3.0\0" + irb


def insert_after_appn(j: bytes, seg: bytes) -> bytes:
    i = 2
    while j[i] == 0xFF and 0xE0 <= j[i + 1] <= 0xEF:
        i += 2 + struct.unpack(">H", j[i + 2:i + 4])[0]
    return j[:i] + seg + j[i:]


def jpeg(path: Path, packet: bytes | None = None, exif: Image.Exif | None = None,
         app13: bytes | None = None) -> Path:
    buf = BytesIO()
    kw: dict[str, object] = {}
    if packet is not None:
        kw["xmp"] = packet
    if exif is not None:
        kw["exif"] = exif
    factory.picture().save(buf, "JPEG", **kw)  # type: ignore[arg-type]
    data = buf.getvalue()
    if app13:
        data = insert_after_appn(data, app13)
    path.write_bytes(data)
    return path


def extended_xmp_jpeg(path: Path) -> Path:
    """Main packet points to an extension (xmpNote:HasExtendedXMP); the licence lives only
    in the extension, where Pillow does not look."""
    ext = xmp(f'<cc:license rdf:resource="{CC_BY}"/>')
    guid = hashlib.md5(ext).hexdigest().upper().encode()
    main = xmp(f"<xmpNote:HasExtendedXMP>{guid.decode()}</xmpNote:HasExtendedXMP>")
    seg_body = b"http://ns.adobe.com/xmp/extension/\0" + guid + struct.pack(">II", len(ext), 0)
    seg = b"\xff\xe1" + struct.pack(">H", len(seg_body) + len(ext) + 2) + seg_body + ext
    jpeg(path, main)
    path.write_bytes(insert_after_appn(path.read_bytes(), seg))
    return path


def gif_with_xmp(path: Path, packet: bytes) -> Path:
    buf = BytesIO()
    factory.picture(32, 24).convert("P").save(buf, "GIF")
    data = buf.getvalue()
    flags = data[10]
    off = 13 + (3 * 2 ** ((flags & 7) + 1) if flags & 0x80 else 0)
    trailer = b"\x01" + bytes(range(0xFF, -1, -1)) + b"\x00"
    ext = b"\x21\xff\x0bXMP DataXMP" + packet + trailer
    path.write_bytes(data[:off] + ext + data[off:])
    return path


def mp4_with_uuid_xmp(path: Path, packet: bytes) -> Path:
    factory.video(path, "mp4", "libx264", "aac", faststart=True)
    uuid = bytes.fromhex("be7acfcb97a942e89c71999491e3afac")
    with path.open("ab") as f:
        f.write(struct.pack(">I", 24 + len(packet)) + b"uuid" + uuid + packet)
    return path


CONFIG = """[policy]
organisation = ["Gemeente Voorbeeld"]
allowed_licences = ["LicenseRef-ANP-2026"]
"""


def inkscape_svg(path: Path, licence: str = CC_BY, rights: str | None = None) -> Path:
    """An SVG with the RDF Inkscape's Document Properties writes: dc:creator (and
    dc:rights) as a cc:Agent, cc:license as a resource."""
    holder = (f"<dc:rights><cc:Agent><dc:title>{rights}</dc:title></cc:Agent></dc:rights>"
              if rights else "")
    path.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:cc="http://creativecommons.org/ns#" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'width="10" height="10"><metadata><rdf:RDF><cc:Work rdf:about="">'
        "<dc:creator><cc:Agent><dc:title>Anna de Vries</dc:title></cc:Agent></dc:creator>"
        f'{holder}<cc:license rdf:resource="{licence}"/>'
        '</cc:Work></rdf:RDF></metadata><rect width="5" height="5"/></svg>', encoding="utf-8")
    return path


def build_rights(d: Path) -> Path:
    d.mkdir(parents=True, exist_ok=True)
    (d / "mediaaudit.toml").write_text(CONFIG)
    creator = seq("dc:creator", "J. Jansen")
    jpeg(d / "cc_by.jpg", xmp(f'<cc:license rdf:resource="{CC_BY}"/>{creator}'))
    jpeg(d / "webstatement_cc0.jpg", xmp(
        "<xmpRights:WebStatement>https://creativecommons.org/publicdomain/zero/1.0/"
        "</xmpRights:WebStatement>"))
    old = xmp("<cc:license>http://creativecommons.org/licenses/by-sa/3.0/</cc:license>",
              {"cc": "http://web.resource.org/cc/"}).decode()
    pi = PngInfo()
    pi.add_itxt("XML:com.adobe.xmp", old, zip=False)
    factory.picture().save(d / "old_ns.png", "PNG", pnginfo=pi)
    ifd = TiffImagePlugin.ImageFileDirectory_v2()
    ifd[0x8298] = "© Gemeente Voorbeeld".encode()
    ifd.tagtype[0x8298] = 2
    factory.picture().save(d / "owned.tif", "TIFF", tiffinfo=ifd)
    reserved = (2, 116, "All rights reserved, Foto Bureau X")
    jpeg(d / "iptc_reserved.jpg", app13=iptc_app13(reserved))
    jpeg(d / "bare.jpg")
    jpeg(d / "conflict.jpg", xmp(f'<cc:license rdf:resource="{CC_BY}"/>'),
         app13=iptc_app13(reserved))
    jpeg(d / "sidecar.jpg")
    (d / "sidecar.jpg.license").write_text(
        "SPDX-FileCopyrightText: 2026 J. Jansen\nSPDX-License-Identifier: CC-BY-4.0\n")
    factory.video(d / "owned.mp4", "mp4", "libx264", "aac", faststart=True,
                  metadata={"copyright": "© 2026 Gemeente Voorbeeld"})
    factory.video(d / "nc.mkv", "matroska", "ffv1", "flac",
                  metadata={"LICENSE": "https://creativecommons.org/licenses/by-nc/4.0/"})
    ex = Image.Exif()
    gps = ex.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 5.0, 30.0), "E", (4.0, 18.0, 0.0)
    jpeg(d / "gps.jpg", xmp(f'<cc:license rdf:resource="{CC_BY}"/>'), exif=ex)
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
            b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
            b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
            b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
            b'<rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/">'
            b"<dc:rights>&c;</dc:rights></rdf:Description></rdf:RDF></x:xmpmeta>")
    jpeg(d / "xml_bomb.jpg", bomb)
    # --- one fixture per remaining LIC / PRT / PRV code -------------------------------
    jpeg(d / "nd.jpg", xmp(alt("dc:rights", "Foto: J. Jansen, CC BY-ND 4.0")))
    pi = PngInfo()
    pi.add_text("License", "Vrij te gebruiken voor iedereen")
    factory.picture().save(d / "unrecognised.png", "PNG", pnginfo=pi)
    jpeg(d / "noversion.jpg", xmp(alt("dc:rights", "J. Jansen, CC BY")))
    jpeg(d / "garbage.jpg")
    (d / "garbage.jpg.license").write_bytes(b"\x00\xff\xfe\x80" * 64)
    jpeg(d / "stock_ok.jpg")
    (d / "stock_ok.jpg.license").write_text("SPDX-License-Identifier: LicenseRef-ANP-2026\n")
    jpeg(d / "stock_unknown.jpg")
    (d / "stock_unknown.jpg.license").write_text("SPDX-License-Identifier: LicenseRef-X\n")
    lic = f'<cc:license rdf:resource="{CC_BY}"/>'
    jpeg(d / "people.jpg", xmp(lic + seq("Iptc4xmpExt:PersonInImage", "Jan", "Marie",
                                          kind="Bag")))
    jpeg(d / "release_none.jpg", xmp(
        lic + seq("Iptc4xmpExt:PersonInImage", "Jan", kind="Bag")
        + "<plus:ModelReleaseStatus>http://ns.useplus.org/ldf/vocab/MR-NON"
        "</plus:ModelReleaseStatus>"))
    jpeg(d / "released.jpg", xmp(
        lic + seq("Iptc4xmpExt:PersonInImage", "Jan", kind="Bag")
        + '<plus:ModelReleaseStatus rdf:resource="http://ns.useplus.org/ldf/vocab/MR-UMR"/>'))
    ex = Image.Exif()
    sub = ex.get_ifd(0x8769)
    sub[0xA431] = "SN-123456"
    sub[0xA430] = "Piet Fotograaf"
    jpeg(d / "serial.jpg", xmp(lic), exif=ex)
    extended_xmp_jpeg(d / "extended.jpg")
    gif_with_xmp(d / "xmp.gif", xmp(lic))
    mp4_with_uuid_xmp(d / "xmp_uuid.mp4", xmp(lic))
    jpeg(d / "xmpside.jpg")
    (d / "xmpside.xmp").write_bytes(xmp(lic))
    return d
