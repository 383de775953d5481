"""Text and names made safe for where they go: MDTO XML, the bag's file names, the archive
report and the terminal (pure).

A file name is untrusted input.  XML 1.0 cannot carry most control characters at all (one
``\\x01`` in a name made the whole bag invalid MDTO), ``bagit`` strips whitespace and
``*`` from the edges of a manifest line and decodes ``%0A``, a terminal obeys an escape
sequence, and a file system refuses a name longer than NAME_MAX (255 bytes) -- which the
record names ``<name>.bestand.mdto.xml`` reach before the media file does.

So: text is written with *visible escapes* (``\\x01``, ``\\u2028``) for what cannot or
should not be carried literally, and a payload name that is unsafe or too long becomes a
safe name: ``_`` for each unsafe character, shortened, with ``~`` and 8 hex digits of the
SHA-256 of the real name before the extension, so two names never meet.  The MDTO
identifiers and the archive report keep the (escaped) path as the manifest has it: that
is the mapping back (``(from <path>)`` in the report).
"""

from __future__ import annotations

import hashlib
import re

from mediaaudit.fsnames import NAME_MAX
from mediaaudit.writers.common import one_line, visible_escape

_NOT_XML = re.compile("[^\t\n\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]|\r")
_SURROGATE = re.compile("[\ud800-\udfff]")


def xml_text(text: str) -> str:
    """``text`` with every character XML 1.0 cannot carry (C0 controls but tab and newline,
    lone surrogates, U+FFFE/U+FFFF) and carriage return (a parser turns it into a newline)
    written as a visible escape: ``a\\x01b.png``."""
    return _NOT_XML.sub(visible_escape, text)


def visible(text: str) -> str:
    """``text`` for a line a person reads (terminal, archive report): the project's one
    rule for that (``writers.common.one_line``: a line break is a space, a control or
    bidirectional character a visible escape), and a lone surrogate (from a crafted
    manifest) a visible escape too, so no name can move the cursor, recolour the
    terminal, start a line, reorder itself or fail to print."""
    return _SURROGATE.sub(visible_escape, one_line(text))


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _cut(text: str, limit: int) -> str:
    """The longest start of ``text`` that is at most ``limit`` bytes of UTF-8."""
    out = _utf8(text)[:max(limit, 0)]
    return out.decode("utf-8", "ignore")


_NOT_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e"
                          "\u2028\u2029\u2066-\u2069\ufeff\ufffe\uffff\\\\]")


def safe_component(name: str, reserve: int = 0, name_max: int = NAME_MAX) -> str:
    """``name`` (one path component) as it may be written in the bag.

    Kept as it is when it has no control, bidirectional or line-separating character, no
    backslash (a path separator to Windows and to tools such as xmlschema), no whitespace
    at either end, no ``%0A``/``%0D`` (bagit decodes those) and fits ``name_max`` bytes
    with ``reserve`` bytes to spare (the record suffix).  Else each such character becomes
    ``_``, the name is shortened to fit, and ``~`` and 8 hex digits of the SHA-256 of the
    real name go before the extension, so two names never meet."""
    low = name.lower()
    ok = (not _NOT_IN_NAME.search(name) and name == name.strip() and "%0a" not in low
          and "%0d" not in low and len(_utf8(name)) + reserve <= name_max)
    if ok:
        return name
    tag = "~" + hashlib.sha256(_utf8(name)).hexdigest()[:8]
    shown = re.sub("%(?=0[adAD])", "_", _NOT_IN_NAME.sub("_", name)).strip() or "_"
    stem, dot, ext = shown.rpartition(".")
    if not dot or not stem or len(_utf8(ext)) > 16:
        stem, ext = shown, ""
    ext = f".{ext}" if ext else ""
    room = name_max - reserve - len(_utf8(tag)) - len(_utf8(ext))
    return _cut(stem, room).rstrip() + tag + ext
