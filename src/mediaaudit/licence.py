"""Normalise licence URLs and texts to ids (``CC-BY-4.0``, ``CC-BY-SA-3.0-NL``,
``CC0-1.0``, ``CC-PDM-1.0``): the URL forms (http/https, with or without www, deed
pages and legal code, ports), the short forms ('CC BY-SA 4.0') and the written-out names
in English and Dutch that the vectors in tests/test_licence.py cover.

A URL names a licence only as a whole: an http(s) URL (or one written without a scheme)
whose host is creativecommons.org or www.creativecommons.org and whose path is a
licence's path (``/licenses/by/4.0/``, with an optional port, deed or legal code page).
``javascript:…//creativecommons.org/licenses/by/4.0/``, another host that contains the
name, or a page that is not a licence is not a licence (and not words either).

Pure and table-driven.  Anything that is not recognised returns None and is kept raw
by the caller, so an odd licence is reported rather than silently dropped.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

VERSIONS = {"1.0", "2.0", "2.1", "2.5", "3.0", "4.0"}
ORDER = ("by", "nc", "nd", "sa")
PORTS = frozenset((
    "nl", "be", "de", "at", "fr", "uk", "scotland", "igo", "us", "au", "jp", "es", "it", "ch",
    "pl", "pt", "br", "ca", "lu", "ie", "nz", "za", "dk", "se", "no", "fi", "cz", "gr", "hr",
    "ro", "rs", "tw", "cn", "hk", "sg", "kr", "mx", "ar", "cl", "co",
))
# SPDX 3.x ids that exist for CC ports; other ports get the same pattern with spdx=False.
SPDX_PORTED = {
    "CC-BY-2.5-AU", "CC-BY-3.0-AT", "CC-BY-3.0-AU", "CC-BY-3.0-DE", "CC-BY-3.0-IGO",
    "CC-BY-3.0-NL", "CC-BY-3.0-US", "CC-BY-NC-3.0-DE", "CC-BY-NC-ND-3.0-DE",
    "CC-BY-NC-ND-3.0-IGO", "CC-BY-NC-SA-2.0-DE", "CC-BY-NC-SA-2.0-FR", "CC-BY-NC-SA-2.0-UK",
    "CC-BY-NC-SA-3.0-DE", "CC-BY-NC-SA-3.0-IGO", "CC-BY-ND-3.0-DE", "CC-BY-SA-2.0-UK",
    "CC-BY-SA-2.1-JP", "CC-BY-SA-3.0-AT", "CC-BY-SA-3.0-DE", "CC-BY-SA-3.0-IGO",
}

# A licence URL is judged as a whole URL, never as a substring: the token that holds
# "creativecommons.org" (up to white space, less the brackets and quotes around it) must
# parse as an http(s) URL (or one written without a scheme: "//host/…", "host/…") whose
# host is Creative Commons' own and whose path is a licence's path.  A substring search
# read "javascript:alert(1)//creativecommons.org/licenses/by/4.0/" as CC BY 4.0.
HOSTS = frozenset(("creativecommons.org", "www.creativecommons.org"))
_URL_TOKEN = re.compile(r"\S*creativecommons\.org\S*")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:")
_PATH = re.compile(
    r"/(licenses|publicdomain)/([a-z+-]+)/(\d\.\d)(?:/([a-z]{2}|scotland|igo))?"
    r"(?:/(?:deed|legalcode|rdf)(?:\.[a-z0-9_-]+)*)?/?"
)
_SHORT = re.compile(
    r"\bcc[\s_-]+((?:(?:by|nc|nd|sa)(?![a-z])[\s_-]*)+)(\d\.\d)?(?:[\s_-]+([a-z]{2,8})\b)?"
)
_CC0 = re.compile(r"\bcc[\s_-]?0\b|\bcc[\s_-]?zero\b|creative\s+commons\s+zero|"
                  r"publiek\s*domein\s*verklaring")
_PDM = re.compile(r"public\s+domain\s+mark|publiek\s*domein\s*merk|\bcc[\s_-]?pdm\b|\bpdm\s*1\.0")
_WORDS = {
    "attribution": "by", "naamsvermelding": "by",
    "sharealike": "sa", "gelijkdelen": "sa",
    "noncommercial": "nc", "nietcommercieel": "nc",
    "noderivatives": "nd", "noderivs": "nd", "geenafgeleidewerken": "nd",
}


@dataclass(frozen=True)
class Licence:
    """A recognised licence.  ``elements`` is empty for CC0 and the PDM."""

    id: str
    url: str
    elements: tuple[str, ...] = ()
    version: str | None = None
    port: str | None = None
    spdx: bool = True

    @property
    def non_commercial(self) -> bool:
        return "nc" in self.elements

    @property
    def no_derivatives(self) -> bool:
        return "nd" in self.elements

    @property
    def needs_attribution(self) -> bool:
        return "by" in self.elements

    @property
    def label(self) -> str:
        """Human form: 'CC BY-SA 4.0', 'CC0 1.0', 'Public Domain Mark 1.0'."""
        if self.id == "CC0-1.0":
            return "CC0 1.0"
        if self.id == "CC-PDM-1.0":
            return "Public Domain Mark 1.0"
        parts = "-".join(e.upper() for e in self.elements)
        tail = " ".join(p for p in (self.version, (self.port or "").upper()) if p)
        return f"CC {parts} {tail}".strip()


def _cc(elements: list[str], version: str | None, port: str | None) -> Licence | None:
    elems = [e for e in ORDER if e in set(elements)]
    if len(elems) != len(set(elements)) or "by" not in elems or {"nd", "sa"} <= set(elems):
        return None
    if version is not None and version not in VERSIONS:
        return None
    if port and (port not in PORTS or version in (None, "4.0")):
        return None  # callers drop ports that cannot apply; anything left is not a licence
    slug = "-".join(elems)
    ident = f"CC-{slug.upper()}" + (f"-{version}" if version else "")
    ident += f"-{port.upper()}" if port else ""
    url_slug = "by-nd-nc" if (slug == "by-nc-nd" and version == "1.0") else slug
    url = f"https://creativecommons.org/licenses/{url_slug}/{version}/" if version else ""
    if port:
        url += f"{port}/"
    spdx = port is None or ident in SPDX_PORTED
    return Licence(ident, url, tuple(elems), version, port, spdx and version is not None)


CC0 = Licence("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/", (), "1.0")
PDM = Licence("CC-PDM-1.0", "https://creativecommons.org/publicdomain/mark/1.0/", (), "1.0")


def _url_path(token: str) -> re.Match[str] | None:
    """The licence path of a URL token (see ``HOSTS``), or None when the token is not an
    http(s) URL on a Creative Commons host with a licence path."""
    t = token.lstrip("(<[{\"'").rstrip(")>]}\"'.,;:!")  # "(https://…)." in a sentence
    if not _SCHEME.match(t) and not t.startswith("//"):
        t = "//" + t  # "creativecommons.org/licenses/by/4.0/", written without a scheme
    try:
        u = urlsplit(t)
        host = u.hostname
        user = u.username
    except ValueError:  # a bad port or bracketed host
        return None
    if u.scheme not in ("", "http", "https") or host not in HOSTS or user is not None:
        return None
    return _PATH.fullmatch(u.path)


def _from_url(token: str) -> Licence | None:
    m = _url_path(token)
    if m is None:
        return None
    kind, slug, version, port = m.group(1), m.group(2), m.group(3), m.group(4)
    if kind == "publicdomain":
        if version != "1.0":
            return None
        return {"zero": CC0, "mark": PDM}.get(slug)
    parts = slug.split("-")
    if not all(p in ORDER for p in parts):
        return None  # sampling, sampling+, nc-sampling+, devnations ...
    if version == "4.0" and port:
        return None  # 4.0 has no ports: /by/4.0/nl/ is not a licence
    return _cc(parts, version, port)


def _from_short(m: re.Match[str]) -> Licence | None:
    elems = re.findall(r"by|nc|nd|sa", m.group(1))
    version = m.group(2)
    port = m.group(3)
    if port and (port not in PORTS or version in (None, "4.0")):
        port = None  # "CC BY 4.0 NL" is CC-BY-4.0; "... 4.0 en ..." is not port "en"
    return _cc(elems, version, port)


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _long_names(s: str) -> Licence | None:
    """'Creative Commons Attribution-ShareAlike 4.0', 'Creative Commons License BY-NC-SA',
    'CREATIVECOMMONS ATTRIBUTION CCBY': the licence written out in words.  A URL is
    not words: an unrecognised one (``/by/4.0/nl/``) must not be read as 'by' again."""
    s = re.sub(r"\S*creativecommons\.org\S*", " ", s)
    if not re.search(r"creative\s*commons|naamsvermelding", s):
        return None
    words = re.split(r"[^a-z]+", s.replace("-", " "))
    elems: list[str] = []
    for w in words:
        if w in _WORDS:
            elems.append(_WORDS[w])
        elif w in ORDER:
            elems.append(w)
        elif re.fullmatch(r"cc(?:by|nc|nd|sa)+", w):  # glued: 'ccby', 'ccbysa'
            elems += re.findall(r"by|nc|nd|sa", w[2:])
    if not elems:
        return None
    v = re.search(r"\d\.\d", s)
    version = v.group(0) if v else None
    port = "nl" if re.search(r"\b(nederland|netherlands)\b", s) and version != "4.0" else None
    return _cc(list(dict.fromkeys(elems)), version, port)


def agrees(named: Licence, linked: Licence) -> bool:
    """Does a licence named in words say the same as the URL next to it?  The words may
    leave out the version or port; they may not name other elements."""
    if named.elements != linked.elements:
        return False
    return named.version is None or named.version == linked.version


def normalise_all(text: str | None) -> list[Licence]:
    """Every distinct licence named in ``text`` (URLs and short forms), in order.

    A URL is the most precise statement, but the words beside it are read too: when
    the text says 'Attribution-ShareAlike' and the URL says ``/licenses/by/4.0/``, both
    are returned so that the caller sees a disagreement instead of a silent choice."""
    if not text:
        return []
    s = _clean(text)
    found = _distinct(_URL_TOKEN, lambda m: _from_url(m.group()), s)
    s = _URL_TOKEN.sub(" ", s)  # a URL that is not a licence is not words either
    if found:
        rest = s
        named = _distinct(_SHORT, _from_short, rest) or [
            x for x in [_long_names(rest)] if x is not None]
        for n in named:
            if not any(agrees(n, u) for u in found) and n not in found:
                found.append(n)
        return found
    if _CC0.search(s):
        return [CC0]
    if _PDM.search(s):
        return [PDM]
    found = _distinct(_SHORT, _from_short, s)
    if found:
        return found
    lic = _long_names(s)
    return [lic] if lic else []


def _distinct(
    pattern: re.Pattern[str], build: Callable[[re.Match[str]], Licence | None], s: str
) -> list[Licence]:
    """Every distinct licence that ``build`` makes of the matches of ``pattern``, in order."""
    found: list[Licence] = []
    for m in pattern.finditer(s):
        lic = build(m)
        if lic and lic not in found:
            found.append(lic)
    return found


def normalise(text: str | None) -> Licence | None:
    """The first licence named in ``text``, or None when nothing is recognised."""
    found = normalise_all(text)
    return found[0] if found else None



def licence_refs(text: str) -> list[str]:
    """``LicenseRef-…`` ids in an SPDX expression (custom licences, e.g. a stock deal)."""
    return re.findall(r"LicenseRef-[A-Za-z0-9.-]+", text)


class ExpressionUnreadable(ValueError):
    """An SPDX licence expression that cannot be parsed."""


@dataclass(frozen=True)
class ExpressionResult:
    """What an SPDX expression allows: for AND every part must be allowed, for OR one
    choice is enough (``chosen`` records which).  ``blocking`` names the first part that
    is not allowed when ``allowed`` is False."""

    allowed: bool
    chosen: tuple[str, ...] = ()
    licences: tuple[Licence, ...] = ()
    blocking: str | None = None


def _symbol(key: str, allowed_refs: Sequence[str]) -> ExpressionResult:
    lic = normalise(key)
    if lic is not None and lic.id.lower() == key.lower():
        return ExpressionResult(True, (lic.id,), (lic,))
    if key in allowed_refs:
        return ExpressionResult(True, (key,))
    return ExpressionResult(False, blocking=key)


def _walk(node: Any, allowed_refs: Sequence[str]) -> ExpressionResult:
    from license_expression import AND, OR

    if isinstance(node, AND | OR):
        parts = [_walk(a, allowed_refs) for a in node.args]
        if isinstance(node, AND):
            bad = next((p for p in parts if not p.allowed), None)
            if bad is not None:
                return bad
            return ExpressionResult(True, tuple(c for p in parts for c in p.chosen),
                                    tuple(x for p in parts for x in p.licences))
        ok = [p for p in parts if p.allowed]
        if not ok:
            return parts[0]
        # prefer a choice that is all open licences, then the one written first
        return next((p for p in ok if len(p.licences) == len(p.chosen)), ok[0])
    key = getattr(node, "key", None)
    if not isinstance(key, str):
        raise ExpressionUnreadable(str(node))
    return _symbol(key, allowed_refs)


@functools.cache
def _spdx() -> Any:
    from license_expression import get_spdx_licensing

    return get_spdx_licensing()


def evaluate_expression(text: str, allowed_refs: Sequence[str]) -> ExpressionResult:
    """Judge an SPDX expression ('LicenseRef-Getty-Editorial AND CC-BY-4.0') part by part:
    open Creative Commons licences and the policy's ``allowed_licences`` are allowed."""
    from license_expression import ExpressionError

    if not text.strip() or len(text) > 1000:
        raise ExpressionUnreadable(text[:120])
    try:
        node = _spdx().parse(text, validate=False, strict=True)
    except (ExpressionError, ValueError, TypeError) as exc:
        raise ExpressionUnreadable(str(exc)[:120]) from exc
    if node is None or " " in getattr(node, "key", ""):
        raise ExpressionUnreadable(text[:120])  # 'CC BY 4.0' is words, not an SPDX id
    return _walk(node, allowed_refs)
