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
"""

from __future__ import annotations

import re

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
    import av
    import av.logging

    from mediaaudit.probe import native

    av.logging.restore_default_callback()
    av.logging.set_libav_level(av.logging.ERROR)
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
    if failed is None:
        return None
    return (said[0] if said else failed)[:160]


# What libav says when a file is valid but uses something it does not implement (a
# 10-bit or float TIFF, LogLuv compression), as opposed to bytes that make no sense
# ("bits 90 is invalid").
_UNSUPPORTED = re.compile(r"not supported|unsupported|not implemented|"
                          r"unknown (compression|bitfields)|patch ?welcome", re.IGNORECASE)


# Formats whose specifications allow many optional variants that decoders implement in
# part (TIFF sample formats, bit depths and compressions; BMP bitfield layouts): there a
# decoder lacking a feature says nothing about the file.  Elsewhere (PNG's colour types
# are a closed list) "not supported" means a value the format does not have.
VARIANTS = frozenset({"image/tiff", "image/bmp", "image/x-ms-bmp", "image/x-bmp"})


def unsupported(why: str, mime: str | None) -> bool:
    """Does libav's answer say it lacks a feature of a format with optional variants,
    rather than that the data is bad?"""
    return (mime or "").lower() in VARIANTS and bool(_UNSUPPORTED.search(why))
