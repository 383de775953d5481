"""A second, independent decoder (libav, through PyAV) to ask before a decoder's failure
becomes "damaged".

Pillow cannot decode some valid files: PCX and BMP layouts it lacks, 12-bit JPEG, AVIFs its
plugin refuses.  That is a fact about Pillow, not about the file, and calling such a file
damaged sends an officer back to a photographer over nothing.  So a Pillow failure is
damage only when libav, which shares no code with Pillow, cannot decode the file either;
when libav can, the file gets an info note naming the engine that could not read it
(``MA-IO-010``).  Two questions, two modes: a file Pillow cannot *open* is asked "can you
show it at all" (lenient); a file Pillow opened but cannot *decode* (``--deep``) is asked
strictly (``STRICT``), because then the question is whether its data is intact.  When
libav says it lacks a feature of a format with optional variants (``unsupported``) and
the structure walk finds the file complete, it is an engine's limit (``MA-IO-012``), not
damage.  libav's answer never overrules a finding of the structure walkers, which follow
the lengths and checksums the file itself declares.

Under ``--deep`` a file that *decodes* can still be damaged where its decoder keeps quiet:
Pillow swallows libjpeg's "Corrupt JPEG data: premature end of data segment" and
libtiff's "Premature EOL", and no other mode decodes sound or video at all.  So
``--deep`` also asks the format's own reference decoder, strictly (``deep_look``): libav
for a JPEG's entropy data and for every packet of every audio and video stream,
libtiff for every strip of a compressed TIFF (``libtiff``).  Their words count only when
they are about the data: a decoder lacking a feature (arithmetic-coded JPEG) or
complaining about metadata (a short EXIF block) is no evidence, and a container libav
will not open is left to the structure walk, which judged it already.
"""

from __future__ import annotations

import re
from typing import Any

ENGINE = "libav (ffmpeg)"
# libav conceals some errors by default (a damaged block is painted over): asked to check
# checksums and bitstreams and to stop at the first error, its "decoded" means intact.
STRICT = "crccheck+bitstream+buffer+explode"


# Formats whose reference decoder Pillow already is: JPEG 2000 is decoded through OpenJPEG,
# the reference implementation, and libav's own JPEG 2000 decoder accepts header errors
# that OpenJPEG and jpylyzer refuse (Pillow's invalid_header_length.jp2).
NOT_ASKED = frozenset({"image/jp2", "image/jpx", "image/jpm", "image/x-jp2-codestream"})


def asked(mime: str | None) -> bool:
    """Is libav's answer about a file of this MIME type worth anything?"""
    return (mime or "").lower() not in NOT_ASKED


def decode_error(path: str, frames: int = 1, strict: bool = True) -> str | None:
    """None when libav decodes the file's first ``frames`` frames without an error, else
    why not, in libav's own words where it said any (``unsupported`` reads them).  A file
    that Pillow failed to decode at its fifth frame is vouched for only by a decoder that
    got past the fifth: libav reads a multi-page TIFF's first page only, and that says
    nothing about the page that failed.

    libav's messages are taken from its own printer (synchronous, to standard error,
    caught per call by ``native.caught``): PyAV's log callback delivers them later, to
    whichever file is being probed by then."""
    from mediaaudit.probe import native

    av = _libav()
    failed: str | None = None
    with native.caught() as said:
        try:
            with av.open(path) as container:
                if not container.streams.video:
                    failed = "no image stream"
                else:
                    stream = container.streams.video[0]
                    if strict:  # see STRICT; lenient: can it show the file at all?
                        stream.codec_context.options = {"err_detect": STRICT}
                    done = 0
                    for _frame in container.decode(stream):
                        done += 1
                        if done >= frames:
                            break
                    if done < frames:
                        failed = f"only {done} of {frames} frames decoded"
        except Exception as exc:  # PyAV raises its own error types for every libav failure
            failed = f"{type(exc).__name__}: {exc}"
    return None if failed is None else _words(said, failed)


def _libav() -> Any:
    """PyAV, with libav printing its errors itself (synchronously, to standard error,
    where ``native.caught`` takes them per call)."""
    import av
    import av.logging

    av.logging.restore_default_callback()
    av.logging.set_libav_level(av.logging.ERROR)
    return av


def _words(said: list[str], failed: str) -> str:
    """libav's own words when it printed any, else the exception's."""
    return (said[0] if said else failed)[:160]


# What libav says when a file is valid but uses something it does not implement (a
# 10-bit or float TIFF, LogLuv compression, a codec it has no decoder for: an MXF's
# timed-text track), as opposed to bytes that make no sense ("bits 90 is invalid").
_UNSUPPORTED = re.compile(r"not supported|unsupported|not implemented|decoder not found|"
                          r"unknown (compression|bitfields)|patch ?welcome", re.IGNORECASE)


# Formats whose specifications allow many optional variants that decoders implement in
# part (TIFF sample formats, bit depths and compressions; BMP bitfield layouts): there a
# decoder lacking a feature says nothing about the file.  Elsewhere (PNG's colour types
# are a closed list) "not supported" means a value the format does not have.
VARIANTS = frozenset({"image/tiff", "image/bmp", "image/x-ms-bmp", "image/x-bmp"})


# What a decoder says about metadata rather than image data (libav's mjpeg decoder parses
# EXIF and ICC segments and, asked to be strict, stops at a short one), or about bytes
# between audio frames that are no frame (an ID3 tag in the middle of joined MP3s, junk
# after the last frame: "Header missing"), which decoders skip as Ogg decoders skip junk
# between pages; the structure walk has followed the frames already.
_METADATA = re.compile(r"EXIF|ICC|XMP|comment|APP\d+|header missing", re.IGNORECASE)


def about_data(why: str) -> bool:
    """Is a strict decoder's complaint about the coded data, not a feature it lacks, a
    metadata block or bytes between frames?"""
    return not (_UNSUPPORTED.search(why) or _METADATA.search(why))


def essence_error(path: str) -> str | None:
    """libav's words when it cannot decode every packet of every audio and video stream
    strictly; None when it decodes them all, or when it cannot open the container (no
    opinion: the structure walk speaks to containers).  The cost of ``--deep``: a full
    decode, about 6 s for the 350 audio and video files of the real-world corpus."""
    from mediaaudit.probe import native

    av = _libav()
    with native.caught():  # what libav says of the container: the structure walk's part
        try:
            container = av.open(path, metadata_errors="ignore")
        except Exception:  # PyAV raises its own error types for every libav failure
            return None
    failed: str | None = None
    with container, native.caught() as said:
        streams = [s for s in container.streams  # not cover art: that is metadata
                   if s.type in ("audio", "video") and s.codec_context is not None
                   and not s.disposition & av.stream.Disposition.attached_pic]
        if not streams:  # demux([]) would read every stream (subtitles, data) instead
            return None
        try:
            for stream in streams:
                stream.codec_context.options = {"err_detect": STRICT}
            for packet in container.demux(streams):
                packet.decode()
        except Exception as exc:
            failed = f"{type(exc).__name__}: {exc}"
    if failed is None:
        return None
    why = _words(said, failed)
    return why if about_data(why) else None


def deep_look(path: str, mime: str | None, moving: bool) -> tuple[str, str] | None:
    """``--deep``'s second look at a file its first decoder passed: (engine, its words)
    when the format's reference decoder finds the coded data bad, else None.  ``moving``:
    the file is audio or video."""
    from mediaaudit.probe import libtiff

    m = (mime or "").lower()
    if moving:
        why = essence_error(path)
        return (ENGINE, why) if why else None
    if m == "image/jpeg":
        why = decode_error(path, 1)
        return (ENGINE, why) if why and about_data(why) else None
    if m == "image/tiff":
        why = libtiff.read(path).error
        return (libtiff.ENGINE, why) if why else None
    return None


def unsupported(why: str, mime: str | None) -> bool:
    """Does libav's answer say it lacks a feature of a format with optional variants,
    rather than that the data is bad?"""
    return (mime or "").lower() in VARIANTS and bool(_UNSUPPORTED.search(why))
