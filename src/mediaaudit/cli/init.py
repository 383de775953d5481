"""``mediaaudit init``: write a commented ``mediaaudit.toml`` for the organisation.

Set-up by trial and error (one missing archive setting per run) is what this replaces:
on a terminal it asks for the few values nothing can default (the organisation, and
what ``archive`` refuses to work without), checking each answer as the file will be
checked; without a terminal it takes them as options and leaves the rest as marked
TODO comments.  The file is checked as ``scan`` and ``archive`` will read it before it
is written, and it never replaces a file unless ``--force`` (which keeps a ``.bak``).
"""

from __future__ import annotations

import os
import shutil
import sys
import tomllib
from dataclasses import replace

import click

from mediaaudit import __version__, policy
from mediaaudit.archive.records import needs
from mediaaudit.cli.common import LANG_OPTION, default_lang, fail
from mediaaudit.cli.help import HelpCommand
from mediaaudit.config import CONFIG_NAME
from mediaaudit.configerrors import PolicyError, Problem, Wrong, problem
from mediaaudit.configfile import Answers, render
from mediaaudit.writers.atomic import OutputUnwritable, atomic_text

TEXT = {
    "no_folder": {"nl": "map bestaat niet: {path}", "en": "folder does not exist: {path}"},
    "not_folder": {"nl": "{path} is een bestand, geen map; geef de map voor mediaaudit.toml",
                   "en": "{path} is a file, not a folder; give the folder for "
                         "mediaaudit.toml"},
    "exists": {"nl": "{path} bestaat al; niets geschreven (--force vervangt het en bewaart "
                     "het oude als {bak})",
               "en": "{path} already exists; nothing written (--force replaces it and keeps "
                     "the old one as {bak})"},
    "is_folder": {"nl": "{path} is een map, geen bestand; niets geschreven",
                  "en": "{path} is a folder, not a file; nothing written"},
    "cannot_backup": {"nl": "kan {path} niet bewaren als {bak}: {why}; niets geschreven",
                      "en": "cannot keep {path} as {bak}: {why}; nothing written"},
    "intro": {"nl": "Een mediaaudit.toml voor je organisatie in {folder}. Enter neemt de "
                    "waarde tussen [ ].",
              "en": "A mediaaudit.toml for your organisation in {folder}. Enter takes the "
                    "value in [ ]."},
    "ask_organisation": {"nl": "Naam van je organisatie (maker of rechthebbende van je eigen "
                               "materiaal)",
                         "en": "Name of your organisation (creator or holder of your own "
                               "material)"},
    "ask_waardering": {"nl": "Waardering voor het archief: V (tijdelijk te bewaren) of B "
                             "(blijvend te bewaren)",
                       "en": "Appraisal for the archive (waardering): V (tijdelijk te "
                             "bewaren, kept for a period) or B (blijvend, kept forever)"},
    "ask_bewaartermijn": {"nl": "Bewaartermijn uit je selectielijst, als ISO 8601-periode "
                                "(P10Y = 10 jaar)",
                          "en": "Retention period from your selectielijst, as an ISO 8601 "
                                "period (P10Y = 10 years)"},
    "ask_contact_name": {"nl": "Contactpersoon of team voor het archief (Enter: geen)",
                         "en": "Contact person or team for the archive (Enter: none)"},
    "ask_contact_email": {"nl": "E-mailadres voor het archief",
                          "en": "E-mail address for the archive"},
    "optional": {"nl": " (Enter: geen)", "en": " (Enter: none)"},
    "required": {"nl": "  nodig voor 'mediaaudit archive'; vul het in",
                 "en": "  needed by 'mediaaudit archive'; please fill it in"},
    "aborted": {"nl": "afgebroken; niets geschreven", "en": "aborted; nothing written"},
    "written": {"nl": "mediaaudit.toml geschreven naar {path}",
                "en": "mediaaudit.toml written to {path}"},
    "backup": {"nl": "het oude bestand staat in {bak}", "en": "the old file is kept as {bak}"},
    "todo": {"nl": "nog in te vullen (TE DOEN in het bestand) voordat 'mediaaudit archive' "
                   "werkt: {keys}",
             "en": "still to fill in (TODO in the file) before 'mediaaudit archive' works: "
                   "{keys}"},
    "next": {"nl": "volgende stap: mediaaudit scan MAP -o verzoek.json --lang nl",
             "en": "next: mediaaudit scan FOLDER -o request.json --lang en"},
}


def _t(key: str, lang: str, **params: object) -> str:
    texts = TEXT[key]
    return texts.get(lang, texts["en"]).format(**params)


def check(key: str, value: str) -> list[Problem]:
    """What is wrong with one answer, found as ``scan`` and ``archive`` will find it in
    the file (the same validation), so an answer accepted here loads there."""
    if key == "organisation":
        if not value.strip() or any(ord(c) < 32 for c in value):
            return [problem("[policy]", Wrong.ONE_LINE, name=key, got=value)]
        return []
    try:
        policy.build_policy({"archive": {key: value}})
    except PolicyError as exc:
        return list(exc.problems)
    return []


def _normalised(key: str, value: str) -> str:
    """The answer as the file should hold it: a waardering as its code ("v" → "V")."""
    value = value.strip()
    if key == "waardering":
        code = policy.waardering(value)
        return code[0] if code else value
    return value


QUESTIONS: tuple[tuple[str, str], ...] = (
    ("organisation", ""), ("waardering", "V"), ("bewaartermijn", "P10Y"),
    ("contact_name", ""), ("contact_email", ""))
"""What ``init`` asks on a terminal, in order, with the default shown in [ ]."""


def _ask(key: str, default: str, optional: bool, lang: str) -> str | None:
    """One question until the answer is valid; None for an optional one left empty."""
    label = _t(f"ask_{key}", lang)
    if optional and key != "contact_name":
        label += _t("optional", lang)
    if default:
        label += f" [{default}]"
    while True:
        raw = click.prompt(label, default="", show_default=False, err=True,
                           prompt_suffix=": ")
        value = raw.strip() or default
        if not value:
            if optional:
                return None
            click.echo(_t("required", lang), err=True)
            continue
        problems = check(key, value)
        if not problems:
            return _normalised(key, value)
        for p in problems:
            click.echo(f"  {p.line(lang)}", err=True)


def _interview(given: Answers, lang: str, folder: str) -> Answers:
    """Ask on the terminal for every value not given as an option."""
    if not given.todo() and given.contact_name and given.contact_email:
        return given  # everything came as options: nothing to ask
    click.echo(_t("intro", lang, folder=folder), err=True)
    answers = given
    for key, default in QUESTIONS:
        if getattr(answers, key):
            continue
        if key == "bewaartermijn" and answers.waardering == "B":
            continue
        optional = key == "contact_name" or (key == "contact_email" and
                                             bool(answers.contact_name))
        answers = replace(answers, **{key: _ask(key, default, optional, lang)})
    return answers


def _checked(content: str, answers: Answers) -> None:
    """The file loads as ``scan`` reads it, and, when nothing is left to do, as
    ``archive`` reads it; anything else is a bug here, not a user mistake."""
    doc = tomllib.loads(content)
    policy.build_policy(doc, require=needs if not answers.todo() else None)


def _guard(target: str, force: bool, lang: str) -> None:
    """Refuse, before any question, to replace a file without --force, or a folder."""
    if os.path.isdir(target):
        fail(_t("is_folder", lang, path=target))
    if os.path.lexists(target) and not force:
        fail(_t("exists", lang, path=target, bak=target + ".bak"))


def _write(target: str, content: str, lang: str) -> str | None:
    """Write ``content`` to ``target`` atomically; an old file (there only with --force)
    is first copied to ``target.bak`` (returned)."""
    bak = target + ".bak"
    kept = None
    if os.path.lexists(target):
        try:
            shutil.copy2(target, bak, follow_symlinks=False)
        except OSError as exc:
            fail(_t("cannot_backup", lang, path=target, bak=bak, why=exc.strerror or exc))
        kept = bak
    try:
        with atomic_text(target) as fh:
            fh.write(content)
    except OutputUnwritable as exc:
        fail(str(exc))
    return kept


@click.command(cls=HelpCommand)
@click.argument("folder", default=".", type=click.Path())
@click.option("--organisation", metavar="NAME")
@click.option("--waardering", metavar="V|B")
@click.option("--bewaartermijn", metavar="PERIOD")
@click.option("--contact-name", metavar="NAME")
@click.option("--contact-email", metavar="ADDRESS")
@click.option("--force", is_flag=True)
@LANG_OPTION
def init(folder: str, organisation: str | None, waardering: str | None,
         bewaartermijn: str | None, contact_name: str | None, contact_email: str | None,
         force: bool, lang: str | None) -> None:
    """A commented FOLDER/mediaaudit.toml, asked for or from the options (help:
    ``cli.help``)."""
    lang = lang or default_lang()
    if not os.path.isdir(folder):
        fail(_t("not_folder" if os.path.lexists(folder) else "no_folder", lang, path=folder))
    target = os.path.join(folder, CONFIG_NAME)
    _guard(target, force, lang)
    given = {"organisation": organisation, "waardering": waardering,
             "bewaartermijn": bewaartermijn, "contact_name": contact_name,
             "contact_email": contact_email}
    problems = [p for k, v in given.items() if v is not None for p in check(k, v)]
    if problems:
        fail(PolicyError(problems).text(lang))
    answers = Answers(**{k: _normalised(k, v) if v is not None else None
                         for k, v in given.items()})
    if sys.stdin.isatty():
        try:
            answers = _interview(answers, lang, os.path.abspath(folder))
        except click.Abort:
            click.echo("", err=True)
            fail(_t("aborted", lang))
    content = render(answers, lang, __version__)
    _checked(content, answers)
    kept = _write(target, content, lang)
    click.echo(_t("written", lang, path=target), err=True)
    if kept:
        click.echo(_t("backup", lang, bak=kept), err=True)
    if answers.todo():
        click.echo(_t("todo", lang, keys=", ".join(answers.todo())), err=True)
    click.echo(_t("next", lang), err=True)
