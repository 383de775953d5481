"""Helpers shared by the commands: language choice, user-facing errors, CLI texts."""

from __future__ import annotations

import locale
import os
import sys
from typing import NoReturn

import click

from mediaaudit.exitcode import ERROR

TEXT = {
    "summary": {
        "nl": "{files} {noun}: {pass} goedgekeurd, {fail} afgekeurd, {error} fout",
        "en": "{files} {noun}: {pass} passed, {fail} failed, {error} error",
    },
    "written": {"nl": "{what} geschreven naar {path}", "en": "{what} written to {path}"},
    "no_path": {"nl": "pad bestaat niet: {path}", "en": "path does not exist: {path}"},
    "libmagic": {
        "nl": "libmagic ontbreekt ({err}). Installeer het: sudo apt-get install libmagic1",
        "en": "libmagic is missing ({err}). Install it: sudo apt-get install libmagic1",
    },
    "scanning": {"nl": "Controleren", "en": "Auditing"},
    "unknown_code": {
        "nl": "onbekende bevindingscode '{code}'; 'mediaaudit explain' toont de lijst",
        "en": "unknown finding code '{code}'; run 'mediaaudit explain' for the list",
    },
    "default_severity": {"nl": "standaard ernst: {severity}",
                         "en": "default severity: {severity}"},
    "set_organisation": {
        "nl": "tip: {n} van de {files} bestanden zijn afgekeurd als 'beperkt' of 'onbekend' "
              "en er is geen organisatie ingesteld. Is het eigen materiaal? Zet de naam van "
              "uw organisatie in mediaaudit.toml: [policy] organisation = [\"Gemeente "
              "Voorbeeld\"]",
        "en": "hint: {n} of {files} files fail as 'restricted' or 'unknown' and no "
              "organisation is configured. Your own material? Put your organisation's name "
              "in mediaaudit.toml: [policy] organisation = [\"Gemeente Voorbeeld\"]",
    },
    "verify_elsewhere": {
        "nl": "{n} van de {files} bestanden zijn niet te vinden vanuit {cwd}; de map is "
              "gescand vanuit een andere map of verplaatst: geef de gescande map op als "
              "ROOT: mediaaudit verify {manifest} {root}",
        "en": "{n} of {files} files cannot be found from {cwd}; the folder was scanned from "
              "another folder or has moved: give the scanned folder as ROOT: "
              "mediaaudit verify {manifest} {root}",
    },
    "verify_counts": {
        "nl": "{unchanged} ongewijzigd, {changed} gewijzigd, {missing} ontbreekt, "
              "{added} toegevoegd",
        "en": "{unchanged} unchanged, {changed} changed, {missing} missing, {added} added",
    },
    "watch_not_dir": {"nl": "de uploadmap is geen map maar een bestand: {path} (geef een map)",
                      "en": "the drop folder is a file, not a folder: {path} (give a folder)"},
    "watch_no_dir": {"nl": "uploadmap bestaat niet: {path}",
                     "en": "drop folder does not exist: {path}"},
    "watch_pair": {"nl": "--approved en --rejected horen bij elkaar",
                   "en": "--approved and --rejected go together"},
    "watch_fix_routes": {"nl": "--fix heeft --approved en --rejected nodig",
                         "en": "--fix needs --approved and --rejected"},
    "fix_out_overlap": {
        "nl": "--out {out} overlapt met de bron {path} (dezelfde map, erin of eromheen); "
              "kies een map buiten de bronnen",
        "en": "--out {out} overlaps the source {path} (the same folder, inside it or "
              "around it); choose a folder outside the sources",
    },
}

# Words for a finding's severity, as the reports use them.
SEVERITY = {
    "nl": {"error": "fout", "warning": "waarschuwing", "info": "info"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
}


def severity_word(severity: str, lang: str) -> str:
    return SEVERITY.get(lang, SEVERITY["en"]).get(severity, severity)


def default_lang() -> str:
    """nl when the user's locale is Dutch, else en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        val = os.environ.get(var)
        if val:
            return "nl" if val.lower().startswith("nl") else "en"
    loc = locale.getlocale()[0] or ""
    return "nl" if loc.lower().startswith("nl") else "en"


def text(key: str, lang: str, **params: object) -> str:
    """One CLI text in ``lang``; English for a language it does not have (a crafted
    manifest's ``lang`` is "x")."""
    texts = TEXT[key]
    return texts.get(lang, texts["en"]).format(**params)


def summary_line(summary: dict[str, int], lang: str) -> str:
    """'12 bestanden: 9 goedgekeurd, 2 afgekeurd, 1 fout' (singular for one file)."""
    one = summary.get("files") == 1
    noun = {"nl": ("bestand", "bestanden"), "en": ("file", "files")}[lang][0 if one else 1]
    return text("summary", lang, noun=noun, **summary)


def fail(message: str, code: int = ERROR) -> NoReturn:
    """One clear line on stderr and the exit code; never a traceback for a user mistake."""
    click.echo(f"mediaaudit: error: {message}", err=True)
    sys.exit(code)


PROFILE_OPTION = click.option(
    "--profile", "profile_spec", default="nvf-2024", show_default=True, metavar="ID|FILE",
    help="Format profile: a built-in id or a profile TOML file.")
LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=None,
    help="Language of messages (default: nl if the locale is Dutch, else en).",
)


def locate_base(manifest_path: str, paths: list[str], roots: list[str]) -> str | None:
    """The folder a manifest's relative paths resolve against when run from elsewhere.

    A manifest records its paths and roots as they were given, relative to the folder
    the scan ran in, which it does not record.  Candidates, in order: the current folder,
    the manifest's own folder and up to three of its parents (``-o`` is usually written
    in or under the folder the scan ran in).  The first in which the roots (or, without
    them, most of the listed files) exist wins; None if none does."""
    here = os.path.dirname(os.path.abspath(manifest_path))
    cands = [os.getcwd(), here]
    for _ in range(3):
        up = os.path.dirname(cands[-1])
        if up == cands[-1]:
            break
        cands.append(up)
    probes = [r for r in roots if r and not os.path.isabs(r)] or \
        [p for p in paths if not os.path.isabs(p)][:20]
    if not probes:
        return None
    for c in dict.fromkeys(cands):
        found = sum(os.path.exists(os.path.join(c, p)) for p in probes)
        if found * 2 > len(probes):
            return c
    return None
