"""A second, independent decoder (libav, through PyAV) to ask before a decoder's failure
becomes "damaged".

Pillow cannot decode some valid files: PCX and BMP layouts it lacks, 12-bit JPEG, AVIFs its
plugin refuses.  That is a fact about Pillow, not about the file, and calling such a file
damaged sends an officer back to a photographer over nothing.  So a Pillow failure is
damage only when libav, which shares no code with Pillow, cannot decode the file either;
when libav can, the file gets an info note naming the engine that could not read it
(``MA-IO-010``).  libav is asked to be strict (``STRICT``), and its success is taken only
where Pillow *cannot read* a file, never to overrule a finding of the structure walkers,
which follow the lengths and checksums the file itself declares.
"""

from __future__ import annotations

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


def decode_error(path: str, frames: int = 1) -> str | None:
    """None when libav decodes the file's first ``frames`` frames without an error, else
    why not.  A file that Pillow failed to decode at its fifth frame is vouched for only
    by a decoder that got past the fifth: libav reads a multi-page TIFF's first page only,
    and that says nothing about the page that failed."""
    import av
    import av.logging

    try:
        with av.logging.Capture(True) as logs, av.open(path) as container:
            if not container.streams.video:
                return "no image stream"
            stream = container.streams.video[0]
            stream.codec_context.options = {"err_detect": STRICT}
            done = 0
            for _frame in container.decode(stream):
                done += 1
                if done >= frames:
                    break
        errors = [m for m in logs if _is_error(m)]
        if errors:
            return str(errors[0][2]).strip()[:160]
        return None if done >= frames else f"only {done} of {frames} frames decoded"
    except Exception as exc:  # PyAV raises its own error types for every libav failure
        return f"{type(exc).__name__}: {exc}"[:160]


def _is_error(message: Any) -> bool:
    import av.logging

    return isinstance(message, tuple) and message[0] <= av.logging.ERROR
