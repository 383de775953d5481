"""Format identification: libmagic (MIME + description) and siegfried (PRONOM PUID).

Both run in the process that calls them: libmagic in the probe workers; siegfried in
the scan's one identifier process (``pronom_many``), or in a worker for a small scan or
a batch the identifier did not finish (``pronom``).  The libmagic handles are created
lazily, once per process, because creating them loads the magic database (~10 ms).
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from collections.abc import Sequence
from typing import Any

from mediaaudit.model import Identification


class LibmagicMissing(RuntimeError):
    """libmagic (the C library behind `file`) is not installed."""


@functools.cache
def _magic() -> tuple[Any, Any]:
    try:
        import magic
    except ImportError as exc:  # python-magic raises ImportError when libmagic is absent
        raise LibmagicMissing(str(exc)) from exc
    return magic.Magic(mime=True), magic.Magic()


@functools.cache
def _libmagic_so() -> Any:
    """The libmagic shared library, opened by the name python-magic also tries on Linux.
    ``import magic`` first looks it up with ``ctypes.util.find_library``, which runs
    ``ldconfig`` (~25 ms): too much for a warm rescan's main process, which only needs to
    know that libmagic is there and which version it is.  None when not found this way."""
    import ctypes

    try:
        return ctypes.CDLL("libmagic.so.1")
    except OSError:
        return None


def check_libmagic() -> None:
    """Fail early, with a clear message, when libmagic is missing (the magic database
    itself is loaded in the workers that sniff)."""
    if _libmagic_so() is None:
        _magic()


def libmagic_version() -> str | None:
    try:
        lib = _libmagic_so()
        if lib is not None:
            v = int(lib.magic_version())
        else:
            import magic

            v = int(magic.version())  # type: ignore[no-untyped-call]
        return f"{v // 100}.{v % 100:02d}"
    except Exception:
        return None


def sniff(head: bytes) -> tuple[str | None, str | None]:
    """MIME type and description of the first bytes of a file."""
    mime, desc = _magic()
    return mime.from_buffer(head), desc.from_buffer(head)


def pronom(path: str) -> dict[str, Any]:
    """siegfried's first PRONOM match for ``path`` as a plain dict.

    A path siegfried cannot answer about (see ``_siegfried_safe``) is identified through
    a temporary symlink with a clean name and the same extension (its letters and digits):
    the bytes are the same file's, only the name siegfried sees differs."""
    import pygfried

    if not _siegfried_safe(path):
        ext = re.sub(r"[^A-Za-z0-9.]", "", os.path.splitext(path)[1])
        with tempfile.TemporaryDirectory(prefix="mediaaudit-") as tmp:
            link = os.path.join(tmp, "file" + ext)
            os.symlink(os.path.abspath(path), link)
            return pronom(link)
    res: dict[str, Any] = dict(pygfried.identify(path, detailed=True))
    return _first_match((res.get("files") or [{}])[0])


def pronom_many(paths: Sequence[str], workers: int) -> list[dict[str, Any]]:
    """``pronom`` for many files in one call.  siegfried identifies them with its own
    threads (``workers``), so a scan needs one Go runtime and one copy of the signatures
    (~120 MB) for all its files instead of one per worker process.  Each file's result is
    the one ``pronom`` gives (same first match, errors in the same place); a path that
    siegfried cannot answer about, or that its answer does not name, goes through
    ``pronom`` (one such name in a batch would otherwise spoil the whole batch's answer)."""
    import pygfried

    clean = [p for p in paths if _siegfried_safe(p)]
    found: dict[str, dict[str, Any]] = {}
    if clean:
        res: dict[str, Any] = dict(pygfried.identify_many(clean, workers=max(1, workers)))
        for f in res.get("files") or []:
            found[str(f.get("filename"))] = _first_match(f)
    return [found[p] if p in found else pronom(p) for p in paths]


def _first_match(file_result: dict[str, Any]) -> dict[str, Any]:
    """siegfried's first match for one file of its answer ({} when it has none)."""
    return dict((file_result.get("matches") or [{}])[0])


# Control characters (C0, DEL, C1).  siegfried 1.11 writes 0x1a-0x1f in a file name
# into its JSON answer unescaped, so pygfried cannot parse the answer (JSONDecodeError:
# a valid image became "could not be checked", and in a batch every file of the batch
# lost its answer).  The others pass today; the rule covers the whole class, not the
# bytes that happen to break this version.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def _siegfried_safe(path: str) -> bool:
    """Can siegfried be given this path as it is?  Not when it is not valid UTF-8 (Go
    takes only UTF-8; undecodable bytes arrive as lone surrogates) or holds a control
    character anywhere (the folder's name is part of the path it echoes)."""
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return _CONTROL.search(path) is None


def identification(
    mime: str | None, desc: str | None, match: dict[str, Any] | None
) -> Identification:
    m = match or {}
    puid = m.get("id") or None
    return Identification(
        puid=puid,
        format_name=m.get("format") or None,
        format_version=m.get("version") or None,
        basis=m.get("basis") or None,
        sf_warning=m.get("warning") or None,
        pronom_class=m.get("class") or None,
        mime=mime,
        description=desc,
    )


def pronom_class(match: dict[str, Any] | None) -> str:
    return str((match or {}).get("class") or "")


def siegfried_version() -> str | None:
    try:
        import pygfried

        return str(pygfried.version())
    except Exception:
        return None
