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
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from mediaaudit import codes
from mediaaudit.configerrors import PolicyError as PolicyError
from mediaaudit.configerrors import Problem, Wrong, problem, unique
from mediaaudit.model import Severity

LEVELS = ("error", "warning", "info", "ignore")

SHORTCUTS: Mapping[str, str] = {
    "non_commercial": "MA-LIC-004", "no_derivatives": "MA-LIC-005",
    "not_listed": "MA-FMT-001", "privacy": "MA-PRV", "portrait": "MA-PRT",
    "captions": "MA-ACC-001", "alt_text": "MA-ACC-002", "ai_label": "MA-AI-001"}
"""``[policy]`` keys that set the level of a finding code or family."""

TABLES = ("policy", "severity", "annotations", "archive", "watch", "scan")
POLICY_KEYS = ("organisation", "organisations", "allowed_licences", *SHORTCUTS)
ANNOTATION_KEYS = ("path", "licence", "license", "holder", "creator", "attribution",
                   "captions")
ARCHIVE_KEYS = ("archiefvormer", "archiefvormer_id", "archiefvormer_id_source", "waardering",
                "bewaartermijn", "identificatiebron", "contact_name", "contact_email")
"""``[archive]`` keys, read by ``mediaaudit archive`` (MDTO metadata and bag-info.txt)."""
WATCH_KEYS = ("fix",)
"""``[watch]`` keys, read by ``mediaaudit watch`` (``fix = true``: as ``--fix``)."""
SCAN_KEYS = ("cluster",)
"""``[scan]`` keys, read by ``mediaaudit scan`` (``cluster = "tcp://HOST:PORT"``: as
``--cluster``, probing on a Dask cluster)."""

WAARDERINGEN: Mapping[str, tuple[str, str]] = {
    "B": ("B", "Blijvend te bewaren"), "blijvend te bewaren": ("B", "Blijvend te bewaren"),
    "V": ("V", "Tijdelijk te bewaren"), "tijdelijk te bewaren": ("V", "Tijdelijk te bewaren")}
"""MDTO 'Begrippenlijst Waarderingen': the code or the label (any case) → (code, label)."""

_DURATION = re.compile(r"P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?")


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
    # [scan] cluster: where probing runs changes no verdict, so it is not part of the
    # policy's repr (the cache's evaluation key) nor of the manifest
    scan_cluster: str | None = field(default=None, repr=False, compare=False)

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
    """The closest choice to a misspelt word, or '' when none is close."""
    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return near[0] if near else ""


# Every check below adds what it finds to ``probs`` and returns the value to go on with
# (the default for a wrong one), so one pass over the file finds every mistake in it.

def _level(value: Any, where: str, probs: list[Problem]) -> str | None:
    if value not in LEVELS:
        probs.append(problem(where, Wrong.LEVEL, choices=", ".join(LEVELS), got=value,
                             near=_nearest(value, LEVELS) if isinstance(value, str) else ""))
        return None
    return str(value)


def _code_prefix(p: str, where: str, probs: list[Problem]) -> str | None:
    p = p.strip().upper()
    if not p.startswith("MA-") or not any(c.startswith(p) for c in codes.CODES):
        probs.append(problem(where, Wrong.NO_CODE, name=p, near=_nearest(p, codes.CODES)))
        return None
    return p


def _strings(value: Any, where: str, probs: list[Problem]) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        probs.append(problem(where, Wrong.STRINGS, got=value))
        return ()
    return tuple(value)


def _check_keys(given: Mapping[str, Any], valid: tuple[str, ...], where: str,
                probs: list[Problem]) -> None:
    """A misspelt key must not be ignored: ``organisatie`` would leave the organisation
    empty and fail every own photo as restricted, with nothing said.  Name it and the
    nearest valid key."""
    for key in given:
        if key not in valid:
            probs.append(problem(where, Wrong.UNKNOWN_KEY, name=key,
                                 near=_nearest(str(key), valid), valid=", ".join(valid)))


def _check_tables(doc: Mapping[str, Any], probs: list[Problem]) -> None:
    for key in doc:
        if key in TABLES:
            continue
        if key in POLICY_KEYS:
            probs.append(problem("", Wrong.BELONGS_IN_POLICY, name=key))
            continue
        probs.append(problem(
            "", Wrong.UNKNOWN_TABLE, name=key, near=_nearest(str(key), TABLES),
            valid="[policy], [severity], [[annotations]]); [archive] for 'mediaaudit "
                  "archive', [watch] for 'mediaaudit watch', [scan] for 'mediaaudit scan'"))


def _table(doc: Mapping[str, Any], name: str, probs: list[Problem],
           wrong: Wrong = Wrong.NOT_TABLE) -> dict[str, Any]:
    """``doc[name]`` when it is a table (absent: an empty one)."""
    value = doc.get(name, {})
    if isinstance(value, dict):
        return value
    probs.append(problem(f"[{name}]", wrong))
    return {}


def _optional_string(a: Mapping[str, Any], key: str, where: str,
                     probs: list[Problem]) -> str | None:
    value = a.get(key)
    if value is not None and not isinstance(value, str):
        probs.append(problem(where, Wrong.NOT_STRING, name=key, got=value))
        return None
    return value


def _text(a: Mapping[str, Any], key: str, where: str, probs: list[Problem]) -> str | None:
    """A string value that must hold text (MDTO refuses empty values)."""
    value = _optional_string(a, key, where, probs)
    if value is not None and (not value.strip() or any(c in value for c in "\r\n")):
        probs.append(problem(where, Wrong.ONE_LINE, name=key, got=value))
        return None
    return value.strip() if value is not None else None


def waardering(value: str) -> tuple[str, str] | None:
    """(code, label) for a waardering as written (code or label, any case), or None."""
    return WAARDERINGEN.get(value.upper()) or WAARDERINGEN.get(value.lower())


def is_period(value: str) -> bool:
    """An ISO 8601 period such as P10Y, as MDTO's termijnLooptijd takes it."""
    return _DURATION.fullmatch(value) is not None


def is_email(value: str) -> bool:
    return re.fullmatch(r"[^@\s]+@[^@\s]+", value) is not None


def archive_problems(raw: Any) -> tuple[ArchiveSettings, list[Problem]]:
    """Validate the ``[archive]`` table: known keys, strings, a known waardering, an
    ISO 8601 bewaartermijn.  The settings keep every value that is right."""
    if not isinstance(raw, dict):
        return ArchiveSettings(), [problem("[archive]", Wrong.NOT_TABLE)]
    probs: list[Problem] = []
    where = "[archive]"
    _check_keys(raw, ARCHIVE_KEYS, where, probs)
    w = _text(raw, "waardering", where, probs)
    code = waardering(w) if w is not None else None
    if w is not None and code is None:
        probs.append(problem(where, Wrong.WAARDERING, key="archive.waardering", got=w))
    term = _text(raw, "bewaartermijn", where, probs)
    if term is not None and not is_period(term):
        probs.append(problem(where, Wrong.PERIOD, key="archive.bewaartermijn", got=term))
        term = None
    email = _text(raw, "contact_email", where, probs)
    if email is not None and not is_email(email):
        probs.append(problem(where, Wrong.EMAIL, key="archive.contact", got=email))
        email = None
    settings = ArchiveSettings(
        archiefvormer=_text(raw, "archiefvormer", where, probs),
        archiefvormer_id=_text(raw, "archiefvormer_id", where, probs),
        archiefvormer_id_source=_text(raw, "archiefvormer_id_source", where, probs),
        waardering=code,
        bewaartermijn=term,
        identificatiebron=_text(raw, "identificatiebron", where, probs),
        contact_name=_text(raw, "contact_name", where, probs),
        contact_email=email,
    )
    return settings, probs


def _annotations(raw: Any, probs: list[Problem]) -> tuple[Annotation, ...]:
    if not isinstance(raw, list):
        probs.append(problem("", Wrong.ANNOTATIONS_NOT_TABLES))
        return ()
    anns = []
    for i, a in enumerate(raw):
        where = f"[[annotations]] #{i + 1}"
        if isinstance(a, dict):
            _check_keys(a, ANNOTATION_KEYS, where, probs)
        if not isinstance(a, dict) or not isinstance(a.get("path"), str):
            probs.append(problem(where, Wrong.NEEDS_PATH))
            continue
        if "licence" in a and "license" in a:
            probs.append(problem(where, Wrong.BOTH, first="licence", second="license"))
        anns.append(Annotation(
            path=a["path"],
            licence=_optional_string(a, "licence" if "licence" in a else "license", where,
                                     probs),
            holder=_optional_string(a, "holder", where, probs),
            creator=_optional_string(a, "creator", where, probs),
            attribution=_optional_string(a, "attribution", where, probs),
            captions=_optional_string(a, "captions", where, probs),
        ))
    return tuple(anns)


def _levels(pol: Mapping[str, Any], sev: Mapping[str, Any],
            probs: list[Problem]) -> dict[str, str]:
    levels: dict[str, str] = {}
    for key, target in SHORTCUTS.items():
        if key in pol:
            lvl = _level(pol[key], f"[policy] {key}", probs)
            for c in codes.CODES:
                if lvl and c.startswith(target):
                    levels[c] = lvl
    for key, val in sev.items():
        prefix = _code_prefix(str(key), "[severity]", probs)
        lvl = _level(val, f"[severity] {key}", probs)
        for c in codes.CODES:
            if prefix and lvl and c.startswith(prefix):
                levels[c] = lvl
    return levels


Requirement = Callable[["Policy"], Iterable[Problem]]
"""What a command needs beyond a valid file (``archive.records.needs``): the problems
of the policy as far as it could be read."""


def build_policy(
    doc: Mapping[str, Any] | None = None,
    select: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    source: str | None = None,
    base: str | None = None,
    require: Requirement | None = None,
) -> Policy:
    """Validate a parsed config dict plus command-line selection into a ``Policy``, or
    raise one ``PolicyError`` listing every problem, those ``require`` adds included."""
    doc = doc or {}
    probs: list[Problem] = []
    _check_tables(doc, probs)
    pol = _table(doc, "policy", probs)
    _check_keys(pol, POLICY_KEYS, "[policy]", probs)
    if "organisation" in pol and "organisations" in pol:
        probs.append(problem("[policy]", Wrong.BOTH, first="organisation",
                             second="organisations"))
    levels = _levels(pol, _table(doc, "severity", probs, Wrong.SEVERITY_NOT_TABLE), probs)
    anns = _annotations(doc.get("annotations", []), probs)
    archive, archive_probs = archive_problems(doc.get("archive", {}))
    probs += archive_probs
    selected = tuple(p for s in select if (p := _code_prefix(s, "--select", probs)))
    ignored = tuple(p for s in ignore if (p := _code_prefix(s, "--ignore", probs)))
    policy = Policy(
        levels=levels,
        select=selected,
        ignore=ignored,
        organisations=_strings(pol.get("organisation", pol.get("organisations", [])),
                               "[policy] organisation", probs),
        allowed_licences=_strings(pol.get("allowed_licences", []),
                                  "[policy] allowed_licences", probs),
        annotations=anns,
        source=source,
        base=base,
        archive=archive,
        watch_fix=_watch_fix(doc.get("watch", {}), probs),
        scan_cluster=_scan_cluster(doc.get("scan", {}), probs),
    )
    if require is not None:
        probs += require(policy)
    if probs:
        raise PolicyError(unique(probs), source)
    return policy


def _watch_fix(raw: Any, probs: list[Problem]) -> bool:
    """``[watch] fix = true|false``; anything else is a mistake worth a line."""
    if not isinstance(raw, dict):
        probs.append(problem("[watch]", Wrong.NOT_TABLE))
        return False
    _check_keys(raw, WATCH_KEYS, "[watch]", probs)
    value = raw.get("fix", False)
    if not isinstance(value, bool):
        probs.append(problem("[watch] fix", Wrong.BOOLEAN, got=value))
        return False
    return value


def _scan_cluster(raw: Any, probs: list[Problem]) -> str | None:
    """``[scan] cluster = "tcp://HOST:PORT"``: one line of text (whether a scheduler
    answers there is for ``scan`` to find out)."""
    if not isinstance(raw, dict):
        probs.append(problem("[scan]", Wrong.NOT_TABLE))
        return None
    _check_keys(raw, SCAN_KEYS, "[scan]", probs)
    return _text(raw, "cluster", "[scan]", probs)
