"""The effective policy: which findings count how much, and who 'we' are.

Pure: built from a plain dict (the parsed ``mediaaudit.toml``) so it can be tested
without files.  ``config`` does the reading.
"""

from __future__ import annotations

import difflib
import functools
import os
import posixpath
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mediaaudit import codes
from mediaaudit.model import Severity

LEVELS = ("error", "warning", "info", "ignore")

SHORTCUTS: Mapping[str, str] = {
    "non_commercial": "MA-LIC-004", "no_derivatives": "MA-LIC-005",
    "not_listed": "MA-FMT-001", "privacy": "MA-PRV", "portrait": "MA-PRT",
    "captions": "MA-ACC-001", "alt_text": "MA-ACC-002", "ai_label": "MA-AI-001"}
"""``[policy]`` keys that set the level of a finding code or family."""

TABLES = ("policy", "severity", "annotations", "archive", "watch")
POLICY_KEYS = ("organisation", "organisations", "allowed_licences", *SHORTCUTS)
ANNOTATION_KEYS = ("path", "licence", "license", "holder", "creator", "attribution",
                   "captions")
ARCHIVE_KEYS = ("archiefvormer", "archiefvormer_id", "archiefvormer_id_source", "waardering",
                "bewaartermijn", "identificatiebron", "contact_name", "contact_email")
"""``[archive]`` keys, read by ``mediaaudit archive`` (MDTO metadata and bag-info.txt)."""
WATCH_KEYS = ("fix",)
"""``[watch]`` keys, read by ``mediaaudit watch`` (``fix = true``: as ``--fix``)."""

WAARDERINGEN: Mapping[str, tuple[str, str]] = {
    "B": ("B", "Blijvend te bewaren"), "blijvend te bewaren": ("B", "Blijvend te bewaren"),
    "V": ("V", "Tijdelijk te bewaren"), "tijdelijk te bewaren": ("V", "Tijdelijk te bewaren")}
"""MDTO 'Begrippenlijst Waarderingen': the code or the label (any case) → (code, label)."""

_DURATION = re.compile(r"P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?")


class PolicyError(ValueError):
    """A configuration value that cannot be used; the message is meant for the user."""


@dataclass(frozen=True)
class ArchiveSettings:
    """The ``[archive]`` table as written (validated, not yet completed): what
    ``mediaaudit archive`` puts in MDTO and bag-info.txt.  Which values are required is
    decided when a package is made (``archive.records.require``), so ``scan`` does not ask
    for archive settings it does not use."""

    archiefvormer: str | None = None
    archiefvormer_id: str | None = None
    archiefvormer_id_source: str | None = None
    waardering: tuple[str, str] | None = None  # (code, label)
    bewaartermijn: str | None = None  # ISO 8601 duration, e.g. P10Y
    identificatiebron: str | None = None
    contact_name: str | None = None
    contact_email: str | None = None


@dataclass(frozen=True)
class Annotation:
    """A folder annotation: rights facts for every file whose path matches ``path``."""

    path: str
    licence: str | None = None
    holder: str | None = None
    creator: str | None = None
    attribution: str | None = None
    captions: str | None = None

    def matches(self, rel: str) -> bool:
        return glob_regex(self.path).fullmatch(rel) is not None


@functools.cache
def glob_regex(pattern: str) -> re.Pattern[str]:
    """REUSE.toml globs: ``*`` matches within one folder, ``**`` crosses folders, ``\\*``
    is a literal star, ``?`` one character other than ``/``.  So ``*.png`` is the PNGs
    beside the config file only, and ``**/*.png`` or ``**.png`` every PNG below it.  A
    newline in a file name is just a character (``re.DOTALL``): ``**`` covers that file
    too."""
    out, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")  # '**/x' also matches 'x' at the top
            i += 3
            continue
        if pattern.startswith("**", i):
            out.append(".*")
            i += 2
            continue
        out.append("[^/]*" if c == "*" else "[^/]" if c == "?" else re.escape(c))
        i += 1
    return re.compile("".join(out), re.DOTALL)


@dataclass(frozen=True)
class Policy:
    """Effective settings; recorded in the manifest so a verdict can be reproduced."""

    levels: Mapping[str, str] = field(default_factory=dict)
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    allowed_licences: tuple[str, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    source: str | None = None
    base: str | None = None
    archive: ArchiveSettings = field(default_factory=ArchiveSettings)
    watch_fix: bool = False  # [watch] fix: watch converts files rejected on format/location

    def level(self, code: str) -> str:
        """error / warning / info / ignore for ``code`` after overrides and selection."""
        if self.select and not any(code.startswith(p) for p in self.select):
            return "ignore"
        if any(code.startswith(p) for p in self.ignore):
            return "ignore"
        return self.levels.get(code, codes.get(code).severity.value)

    def severity(self, code: str) -> Severity | None:
        lvl = self.level(code)
        return None if lvl == "ignore" else Severity(lvl)

    def annotation_for(self, rel: str) -> Annotation | None:
        """Last matching annotation wins (REUSE.toml-like)."""
        found = None
        for a in self.annotations:
            if a.matches(rel):
                found = a
        return found

    def annotation_for_path(self, path: str) -> Annotation | None:
        """Annotation globs are relative to the folder holding the config file."""
        if not self.annotations or not self.base:
            return None
        rel = posixpath.relpath(os.path.abspath(path).replace(os.sep, "/"), self.base)
        return None if rel.startswith("../") else self.annotation_for(rel)

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "severity_overrides": dict(sorted(self.levels.items())),
            "select": list(self.select),
            "ignore": list(self.ignore),
            "organisations": list(self.organisations),
            "allowed_licences": list(self.allowed_licences),
            "annotations": len(self.annotations),
        }


def _nearest(word: str, choices: Iterable[str]) -> str:
    """'; did you mean X?' for the closest choice, or '' when none is close."""
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean '{near[0]}'?" if near else ""


def _level(value: Any, where: str) -> str:
    if value not in LEVELS:
        raise PolicyError(f"{where}: must be one of {', '.join(LEVELS)}, got {value!r}"
                          + (_nearest(value, LEVELS) if isinstance(value, str) else ""))
    return str(value)


def _check_code_prefix(p: str, where: str) -> str:
    p = p.strip().upper()
    if not p.startswith("MA-") or not any(c.startswith(p) for c in codes.CODES):
        raise PolicyError(f"{where}: '{p}' matches no finding code (see 'mediaaudit explain')"
                          + _nearest(p, codes.CODES))
    return p


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PolicyError(f"{where}: must be a string or a list of strings")
    return tuple(value)


def _check_keys(given: Mapping[str, Any], valid: tuple[str, ...], where: str) -> None:
    """A misspelt key must not be ignored: ``organisatie`` would leave the organisation
    empty and fail every own photo as restricted, with nothing said.  Name it and the
    nearest valid key."""
    for key in given:
        if key not in valid:
            hint = _nearest(str(key), valid) or f" (valid: {', '.join(valid)})"
            raise PolicyError(f"{where}: unknown key '{key}'{hint}")


def _check_tables(doc: Mapping[str, Any]) -> None:
    for key in doc:
        if key in TABLES:
            continue
        if key in POLICY_KEYS:
            raise PolicyError(f"'{key}' belongs in the [policy] table (write it below "
                              "[policy])")
        hint = _nearest(str(key), TABLES) or (" (valid: [policy], [severity], [[annotations]])"
                                              " or [archive] for 'mediaaudit archive'")
        raise PolicyError(f"unknown table or key '{key}'{hint}")


def _optional_string(a: Mapping[str, Any], key: str, where: str) -> str | None:
    value = a.get(key)
    if value is not None and not isinstance(value, str):
        raise PolicyError(f"{where}: {key} must be a string, got {value!r}")
    return value


def _text(a: Mapping[str, Any], key: str, where: str) -> str | None:
    """A string value that must hold text (MDTO refuses empty values)."""
    value = _optional_string(a, key, where)
    if value is not None and (not value.strip() or any(c in value for c in "\r\n")):
        raise PolicyError(f"{where}: {key} must be one line of text, got {value!r}")
    return value.strip() if value is not None else None


def build_archive(raw: Any) -> ArchiveSettings:
    """Validate the ``[archive]`` table: known keys, strings, a known waardering, an
    ISO 8601 bewaartermijn."""
    if not isinstance(raw, dict):
        raise PolicyError("[archive] must be a table")
    where = "[archive]"
    _check_keys(raw, ARCHIVE_KEYS, where)
    waardering = None
    w = _text(raw, "waardering", where)
    if w is not None:
        waardering = WAARDERINGEN.get(w.upper()) or WAARDERINGEN.get(w.lower())
        if waardering is None:
            raise PolicyError(f"{where} waardering: must be \"B\" (blijvend te bewaren) or "
                              f"\"V\" (tijdelijk te bewaren), got {w!r}")
    term = _text(raw, "bewaartermijn", where)
    if term is not None and not _DURATION.fullmatch(term):
        raise PolicyError(f"{where} bewaartermijn: must be an ISO 8601 period such as "
                          f"\"P10Y\" (10 years) or \"P6M\", got {term!r}")
    email = _text(raw, "contact_email", where)
    if email is not None and not re.fullmatch(r"[^@\s]+@[^@\s]+", email):
        raise PolicyError(f"{where} contact_email: not an e-mail address: {email!r}")
    return ArchiveSettings(
        archiefvormer=_text(raw, "archiefvormer", where),
        archiefvormer_id=_text(raw, "archiefvormer_id", where),
        archiefvormer_id_source=_text(raw, "archiefvormer_id_source", where),
        waardering=waardering,
        bewaartermijn=term,
        identificatiebron=_text(raw, "identificatiebron", where),
        contact_name=_text(raw, "contact_name", where),
        contact_email=email,
    )


def build_policy(
    doc: Mapping[str, Any] | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    source: str | None = None,
    base: str | None = None,
) -> Policy:
    """Validate a parsed config dict plus command-line selection into a ``Policy``."""
    doc = doc or {}
    _check_tables(doc)
    pol = doc.get("policy", {})
    if not isinstance(pol, dict):
        raise PolicyError("[policy] must be a table")
    _check_keys(pol, POLICY_KEYS, "[policy]")
    if "organisation" in pol and "organisations" in pol:
        raise PolicyError("[policy]: give organisation or organisations, not both")
    levels: dict[str, str] = {}
    for key, target in SHORTCUTS.items():
        if key in pol:
            lvl = _level(pol[key], f"[policy] {key}")
            for c in codes.CODES:
                if c.startswith(target):
                    levels[c] = lvl
    sev = doc.get("severity", {})
    if not isinstance(sev, dict):
        raise PolicyError("[severity] must be a table of CODE = level")
    for key, val in sev.items():
        prefix = _check_code_prefix(str(key), "[severity]")
        lvl = _level(val, f"[severity] {key}")
        for c in codes.CODES:
            if c.startswith(prefix):
                levels[c] = lvl
    anns = []
    raw = doc.get("annotations", [])
    if not isinstance(raw, list):
        raise PolicyError("annotations must be written as [[annotations]] tables")
    for i, a in enumerate(raw):
        where = f"[[annotations]] #{i + 1}"
        if isinstance(a, dict):
            _check_keys(a, ANNOTATION_KEYS, where)
        if not isinstance(a, dict) or not isinstance(a.get("path"), str):
            raise PolicyError(f"{where}: needs a 'path' glob, e.g. path = \"campagne/**\"")
        if "licence" in a and "license" in a:
            raise PolicyError(f"{where}: give licence or license, not both")
        anns.append(Annotation(
            path=a["path"],
            licence=_optional_string(a, "licence" if "licence" in a else "license", where),
            holder=_optional_string(a, "holder", where),
            creator=_optional_string(a, "creator", where),
            attribution=_optional_string(a, "attribution", where),
            captions=_optional_string(a, "captions", where),
        ))
    return Policy(
        levels=levels,
        select=tuple(_check_code_prefix(s, "--select") for s in select),
        ignore=tuple(_check_code_prefix(s, "--ignore") for s in ignore),
        organisations=_strings(pol.get("organisation", pol.get("organisations", [])),
                               "[policy] organisation"),
        allowed_licences=_strings(pol.get("allowed_licences", []), "[policy] allowed_licences"),
        annotations=tuple(anns),
        source=source,
        base=base,
        archive=build_archive(doc.get("archive", {})),
        watch_fix=_watch_fix(doc.get("watch", {})),
    )


def _watch_fix(raw: Any) -> bool:
    """``[watch] fix = true|false``; anything else is a mistake worth a line."""
    if not isinstance(raw, dict):
        raise PolicyError("[watch] must be a table")
    _check_keys(raw, WATCH_KEYS, "[watch]")
    value = raw.get("fix", False)
    if not isinstance(value, bool):
        raise PolicyError(f"[watch] fix: must be true or false, got {value!r}")
    return value
