"""Fixture builders shared by the tests and ``sample_media/make_samples.py``.

Everything here writes real files with real encoders (Pillow, PyAV) or splices bytes
into files those encoders wrote, so the probes are tested on the same kind of bytes
cameras and export tools produce.  Files written by *other* tools (ImageMagick,
ffmpeg, exiftool) are made in the tests themselves, where those tools are installed.
"""

from __future__ import annotations

import shutil
import struct
import zlib
from fractions import Fraction
from pathlib import Path

from PIL import Image


def picture(w: int = 64, h: int = 48, seed: int = 0) -> Image.Image:
    """A small RGB test picture with some structure (so JPEG/PNG are realistic)."""
    im = Image.new("RGB", (w, h))
    px = im.load()
    assert px is not None
    for y in range(h):
        for x in range(w):
            px[x, y] = ((x * 4 + seed) % 256, (y * 5 + seed * 3) % 256, ((x + y) * 2) % 256)
    return im


def image(path: Path, fmt: str, w: int = 64, h: int = 48, **save: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    im = picture(w, h)
    if fmt == "GIF":
        im = im.convert("P")
    im.save(path, fmt, **save)  # type: ignore[arg-type]
    return path


def animated_gif(path: Path, frames: int = 3) -> Path:
    ims = [picture(32, 24, seed=i * 40).convert("P") for i in range(frames)]
    ims[0].save(path, "GIF", save_all=True, append_images=ims[1:], duration=100, loop=0)
    return path


def exif_jpeg(path: Path, exif_version: bytes = b"0230") -> Path:
    """A camera-style JPEG: Exif APP1 and no JFIF APP0 (PRONOM: an Exif JPEG PUID,
    e.g. fmt/1507 for Exif 2.3, fmt/645 for 2.21, x-fmt/391 for 2.2)."""
    ex = Image.Exif()
    ex[0x010F] = "TestCam"
    ex[0x0110] = "Model 1"
    ex.get_ifd(0x8769)[0x9000] = exif_version
    buf = path.with_suffix(".tmp.jpg")
    picture().save(buf, "JPEG", exif=ex)
    data = buf.read_bytes()
    buf.unlink()
    # drop the APP0 JFIF segment Pillow writes, as cameras do
    if data[2:4] == b"\xff\xe0":
        n = struct.unpack(">H", data[4:6])[0]
        data = data[:2] + data[4 + n:]
    path.write_bytes(data)
    return path


def png_chunk(typ: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + typ + body + struct.pack(">I", zlib.crc32(typ + body))


def png_bomb(path: Path, w: int = 100_000, h: int = 100_000) -> Path:
    """A valid-looking PNG whose header claims w×h pixels (a decompression bomb)."""
    ihdr = struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 64)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
                     + png_chunk(b"IEND", b""))
    return path


def truncate(src: Path, dst: Path, fraction: float = 0.5) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: max(1, int(len(data) * fraction))])
    return dst


def copy_as(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    return dst


def video(
    path: Path,
    fmt: str,
    vcodec: str,
    acodec: str | None = None,
    frames: int = 5,
    metadata: dict[str, str] | None = None,
    faststart: bool = False,
    options: dict[str, str] | None = None,
) -> Path:
    """A tiny real video (64×48, 25 fps) with PyAV; audio is a short silent block."""
    import av

    path.parent.mkdir(parents=True, exist_ok=True)
    opts = dict(options or {})
    if faststart:
        opts["movflags"] = "+faststart"
    out = av.open(str(path), "w", format=fmt, options=opts)
    if metadata:
        out.metadata.update(metadata)
    vs = out.add_stream(vcodec, rate=25)
    vs.width, vs.height, vs.pix_fmt = 64, 48, "yuv420p"
    if vcodec == "libvpx-vp9":
        vs.options = {"deadline": "realtime", "cpu-used": "8"}
    elif vcodec in ("libx264", "libx265"):
        vs.options = {"preset": "ultrafast"}
        if vcodec == "libx265":
            vs.options = {"preset": "ultrafast", "x265-params": "log-level=error"}
    elif vcodec == "ffv1":
        vs.options = {"level": "3"}
    a = out.add_stream(acodec, rate=48000) if acodec else None
    for i in range(frames):
        f = av.VideoFrame.from_image(picture(64, 48, seed=i * 30)).reformat(format="yuv420p")
        f.pts, f.time_base = i, Fraction(1, 25)
        for p in vs.encode(f):
            out.mux(p)
    for p in vs.encode():
        out.mux(p)
    if a is not None:
        size = a.frame_size or 1024
        for k in range(4):
            af = av.AudioFrame(format=a.format.name, layout="stereo", samples=size)
            for plane in af.planes:
                plane.update(bytes(plane.buffer_size))
            af.sample_rate, af.pts, af.time_base = 48000, k * size, Fraction(1, 48000)
            for p in a.encode(af):
                out.mux(p)
        for p in a.encode():
            out.mux(p)
    out.close()
    return path


SVG_11 = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="40" height="30">'
    '<rect width="20" height="15" fill="#154273"/></svg>\n'
)
SVG_DOCTYPE = (
    '<?xml version="1.0" standalone="no"?>\n'
    '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
    '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="40" height="30"/>\n'
)


def folder_of_pngs(tmp: Path, n: int) -> Path:
    """``tmp/many`` with ``n`` copies of one small PNG, f000.png … (for pool tests: enough
    files for the scan to start its workers and its identifier)."""
    d = tmp / "many"
    d.mkdir()
    src = image(d / "f000.png", "PNG")
    for i in range(1, n):
        shutil.copy(src, d / f"f{i:03d}.png")
    return d
