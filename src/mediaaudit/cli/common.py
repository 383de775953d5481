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
    "written": {"nl": "Manifest geschreven naar {path}", "en": "Manifest written to {path}"},
    "no_path": {"nl": "pad bestaat niet: {path}", "en": "path does not exist: {path}"},
    "libmagic": {
        "nl": "libmagic ontbreekt ({err}). Installeer het: sudo apt-get install libmagic1",
        "en": "libmagic is missing ({err}). Install it: sudo apt-get install libmagic1",
    },
    "scanning": {"nl": "Controleren", "en": "Auditing"},
}


def default_lang() -> str:
    """nl when the user's locale is Dutch, else en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        val = os.environ.get(var)
        if val:
            return "nl" if val.lower().startswith("nl") else "en"
    loc = locale.getlocale()[0] or ""
    return "nl" if loc.lower().startswith("nl") else "en"


def text(key: str, lang: str, **params: object) -> str:
    return TEXT[key][lang].format(**params)


def summary_line(summary: dict[str, int], lang: str) -> str:
    """'12 bestanden: 9 goedgekeurd, 2 afgekeurd, 1 fout' (singular for one file)."""
    one = summary.get("files") == 1
    noun = {"nl": ("bestand", "bestanden"), "en": ("file", "files")}[lang][0 if one else 1]
    return text("summary", lang, noun=noun, **summary)


def fail(message: str, code: int = ERROR) -> NoReturn:
    """One clear line on stderr and the exit code; never a traceback for a user mistake."""
    click.echo(f"mediaaudit: error: {message}", err=True)
    sys.exit(code)


LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=None,
    help="Language of messages (default: nl if the locale is Dutch, else en).",
)
