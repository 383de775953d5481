"""Names of people and organisations out of free-text rights fields.  Pure.

Copyright fields are written by hand in every style: '© 2024 Foto Bureau X. All rights
reserved', 'Copyright Notice (c) 2019-2024 ANP / Gemeente Voorbeeld', 'JDX, licence:
/GFDL-1.3', or just 'x-default'.  Three decisions rest on the names read from them: who
holds the rights (shown, and compared with the organisation), whether the organisation
holds them alone (ownership), and what the credit line says.  Each of these must be
whole-name comparisons on cleaned names: a substring test made '© ANP / Gemeente
Voorbeeld' and 'Niet van Gemeente Voorbeeld' count as owned by Gemeente Voorbeeld.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Words and marks around a name that are not part of it.  Years are removed only when
# they stand alone ('2024', '2019-2024'), so '1.2' or 'Studio 54' survive.
_NOISE = re.compile(
    r"©|\(c\)|\bcopyright\s+notice\b|\bcopyright\b|\bauteursrecht\b|\bphoto(?:graph)?\s*(?:by|:)|"
    r"\bfoto\s*(?:door|:)|\bimage\s*(?:by|:)|\bby\s*:|"
    r"(?<![\w.])(?:19|20)\d\d(?:\.\d+|\s*[-–]\s*(?:19|20)?\d\d)?(?![\w.])|\(notice\)|"
    r"\ball\s+rights?\s+reserved\b|\balle\s+rechten\s+voorbehouden\b|\bsome\s+rights\s+reserved\b|"
    r"\brights\s+reserved\b|\ball\s+rights\s+waived\b[^,;()]*|"
    r"\bcc[\s_-]*(?:by|0|zero)(?:[\s_-]*(?:nc|nd|sa)\b)*(?:[\s_-]*\d\.\d)?"
    r"(?:[\s_-]*(?:international|internationaal|unported|nl)\b)?|"
    r"creative\s*commons[^,;()]*|"
    r"\blicen[cs]ed?\b\s*(?:under|:)?[^,;()]*|"
    r"(?:^|\s)/?(?:GFDL|GPL|LGPL)[\w.-]*|"
    r"https?://\S+|www\.\S+",
    re.I,
)
# A statement that the work is in the public domain names no holder (it says there is
# none); the rights evaluation decides what it is worth.
PUBLIC_DOMAIN = re.compile(r"\bpublic[\s-]*domain\b|\bpubliek\s+domein\b|\bdomaine\s+public\b|"
                           r"\bgemeinfrei\b|\bno\s+known\s+copyright\s+restrictions\b", re.I)
# Values that tools write where a name should be: an rdf:Alt language tag, a lone dot,
# the word left over from 'some rights reserved', placeholders.
_GARBAGE = {
    "x-default", "some", "none", "unknown", "n/a", "na", "notice", "copyright", "rights",
    "reserved", "all", "null", "undefined", "owner", "author", "photographer", "creator",
    "anonymous", "onbekend", "geen", "-", "?", "(notice)", "nobody", "niemand", "[none]",
}
# Camera firmware fills Copyright with its own name: 'KODAK DC240 ZOOM DIGITAL CAMERA',
# '(C) by RDC-5300 User', 'Caplio Pro G3 User'.  Those name no person or organisation.
_CAMERA_DEFAULT = re.compile(r"\bdigital\s+(?:still\s+)?camera$|^(?:by\s+)?[\w .-]+\s+user$", re.I)
# Separators between co-holders: 'ANP / Gemeente X', 'A & B', 'A en B', 'A; B'.
_SPLIT = re.compile(r"\s*(?:/|;|\||&|\+|\band\b|\ben\b|\bi\.?s\.?m\.?\b|"
                    r"\bin\s+samenwerking\s+met\b)\s*", re.I)


def clean_name(text: str | None) -> str | None:
    """The name in a copyright or credit field, or None when no usable name is left.

    '© 2024 Foto Bureau X. All rights reserved' → 'Foto Bureau X';
    'JDX, licence: /GFDL-1.3' → 'JDX'; 'x-default', '.', 'Some rights reserved' → None."""
    if not text or PUBLIC_DOMAIN.search(text):
        return None
    s = _NOISE.sub(" ", text)
    s = re.sub(r"\(\s*[.,;:]*\s*\)", " ", s)
    s = re.sub(r"\s+", " ", s).strip(" ,.;:-–/|\t\"'")
    s = re.sub(r"\s*[,;:]\s*$", "", s)
    if not s or not re.search(r"[^\W\d_]{2}", s):
        return None
    return None if is_placeholder(s) else s


def is_placeholder(value: str) -> bool:
    """'unknown', 'n/a', 'x-default', '-': what tools write where nothing is known."""
    v = value.strip().strip(".").strip()
    return (not v or v.casefold() in _GARBAGE or not re.search(r"\w", v)
            or _CAMERA_DEFAULT.search(v) is not None)


def co_holders(name: str) -> list[str]:
    """'ANP / Gemeente Voorbeeld' → ['ANP', 'Gemeente Voorbeeld'].  Commas are not split:
    'Foto Bureau X, Amsterdam' is one holder."""
    parts = [clean_name(p) for p in _SPLIT.split(name)]
    return [p for p in parts if p] or [name]


def name_key(name: str) -> str:
    """Compare names on letters and digits: case, accents and punctuation do not count."""
    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", s))


def same_name(a: str, b: str) -> bool:
    return name_key(a) == name_key(b)


def all_ours(names: Iterable[str], organisations: Iterable[str]) -> bool:
    """True when there is at least one name and every co-holder of every name is one of
    the organisation's names, compared whole.  A co-holder makes the file not ours."""
    keys = {name_key(o) for o in organisations if o.strip()}
    holders = [h for n in names for h in co_holders(n)]
    return bool(keys and holders) and all(name_key(h) in keys for h in holders)
