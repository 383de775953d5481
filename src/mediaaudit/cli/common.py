"""Helpers shared by the commands: language choice, user-facing errors, CLI texts."""

from __future__ import annotations

import locale
import os
import sys
from collections.abc import Sequence
from typing import IO, Any, Literal, NoReturn, get_args

import click

from mediaaudit.exitcode import ERROR
from mediaaudit.manifestwords import MANIFEST_PROBLEMS, ManifestKey
from mediaaudit.texts import LANGS, Texts, os_reason, say
from mediaaudit.writers.atomic import OutputUnwritable

# Every key of ``TEXT``: mypy rejects a misspelt one at the call, and the table is
# checked against this list when the module loads.
CliKey = Literal[
    ManifestKey,
    "summary", "written", "no_path", "libmagic", "scanning", "unknown_code",
    "default_severity", "set_organisation", "set_organisation_one", "verify_elsewhere",
    "verify_elsewhere_one", "verify_counts", "v_changed", "v_missing", "v_added",
    "v_refused", "v_unchanged", "v_invalid", "v_valid", "not_read", "verify_bag",
    "file", "files", "payload_file", "payload_files", "record", "records", "not_a_bag",
    "root_with_bag", "root_single", "root_not_dir", "watch_not_dir", "watch_no_dir",
    "unknown_profile", "profile_unreadable", "cannot_create", "state_db", "watch_pair",
    "watch_fix_routes", "manifest_types", "error", "warning", "unwritable",
    "several_formats", "not_for_terminal", "which_format", "or", "fix_out_overlap"]

_TEXT: dict[CliKey, dict[str, str]] = {
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
              "je organisatie in mediaaudit.toml: [policy] organisation = [\"Gemeente "
              "Voorbeeld\"]",
        "en": "hint: {n} of {files} files fail as 'restricted' or 'unknown' and no "
              "organisation is configured. Your own material? Put your organisation's name "
              "in mediaaudit.toml: [policy] organisation = [\"Gemeente Voorbeeld\"]",
    },
    "set_organisation_one": {
        "nl": "tip: het bestand is afgekeurd als 'beperkt' of 'onbekend' en er is geen "
              "organisatie ingesteld. Is het eigen materiaal? Zet de naam van je organisatie "
              "in mediaaudit.toml: [policy] organisation = [\"Gemeente Voorbeeld\"]",
        "en": "hint: the file fails as 'restricted' or 'unknown' and no organisation is "
              "configured. Your own material? Put your organisation's name in "
              "mediaaudit.toml: [policy] organisation = [\"Gemeente Voorbeeld\"]",
    },
    "verify_elsewhere": {
        "nl": "{n} van de {files} bestanden zijn niet te vinden vanuit {cwd}; de map is "
              "gescand vanuit een andere map of verplaatst: geef de gescande map op als "
              "ROOT: mediaaudit verify {manifest} {root}",
        "en": "{n} of {files} files cannot be found from {cwd}; the folder was scanned from "
              "another folder or has moved: give the scanned folder as ROOT: "
              "mediaaudit verify {manifest} {root}",
    },
    "verify_elsewhere_one": {
        "nl": "het bestand is niet te vinden vanuit {cwd}; de map is gescand vanuit een "
              "andere map of verplaatst: geef de gescande map op als ROOT: mediaaudit verify "
              "{manifest} {root}",
        "en": "the file cannot be found from {cwd}; the folder was scanned from another "
              "folder or has moved: give the scanned folder as ROOT: mediaaudit verify "
              "{manifest} {root}",
    },
    "verify_counts": {
        "nl": "{unchanged} ongewijzigd, {changed} gewijzigd, {missing} ontbreekt, "
              "{added} toegevoegd",
        "en": "{unchanged} unchanged, {changed} changed, {missing} missing, {added} added",
    },
    # the word in front of each file verify lists, and its other lines
    "v_changed": {"nl": "gewijzigd", "en": "changed"},
    "v_missing": {"nl": "ontbreekt", "en": "missing"},
    "v_added": {"nl": "toegevoegd", "en": "added"},
    "v_refused": {"nl": "geweigerd", "en": "refused"},
    "v_unchanged": {"nl": "ongewijzigd", "en": "unchanged"},
    "v_invalid": {"nl": "ongeldig", "en": "invalid"},
    "v_valid": {"nl": "geldig", "en": "valid"},
    "not_read": {"nl": "{why}; niet gelezen", "en": "{why}; not read"},
    "verify_bag": {
        "nl": "bag: {payload} {payload_noun}, {records} MDTO-{records_noun}; {changed} "
              "gewijzigd, {missing} ontbreekt, {added} toegevoegd, {invalid} ongeldig",
        "en": "bag: {payload} {payload_noun}, {records} MDTO {records_noun}; {changed} "
              "changed, {missing} missing, {added} added, {invalid} invalid",
    },
    "file": {"nl": "bestand", "en": "file"},
    "files": {"nl": "bestanden", "en": "files"},
    "payload_file": {"nl": "bestand in de payload", "en": "payload file"},
    "payload_files": {"nl": "bestanden in de payload", "en": "payload files"},
    "record": {"nl": "record", "en": "record"},
    "records": {"nl": "records", "en": "records"},
    "not_a_bag": {"nl": "{path} is een map zonder bagit.txt: geen bag (geef een manifest of "
                        "een bag)",
                  "en": "{path} is a folder without bagit.txt: not a bag (give a manifest or "
                        "a bag)"},
    "root_with_bag": {"nl": "ROOT kan niet samen met een bag worden opgegeven",
                      "en": "ROOT cannot be given with a bag"},
    "root_single": {"nl": "ROOT kan alleen worden opgegeven bij een manifest van één "
                          "gescande map",
                    "en": "ROOT can only be given for a manifest of a single scanned folder"},
    "root_not_dir": {"nl": "ROOT {root} is geen map", "en": "ROOT {root} is not a folder"},
    "watch_not_dir": {"nl": "de uploadmap is geen map maar een bestand: {path} (geef een map)",
                      "en": "the drop folder is a file, not a folder: {path} (give a folder)"},
    "watch_no_dir": {"nl": "uploadmap bestaat niet: {path}",
                     "en": "drop folder does not exist: {path}"},
    "unknown_profile": {"nl": "profiel '{spec}' is geen ingebouwd profiel ({known}) en geen "
                              "bestand",
                        "en": "profile '{spec}' is neither a built-in profile ({known}) nor a "
                              "file"},
    "profile_unreadable": {"nl": "kan profiel {path} niet lezen: {why}",
                           "en": "cannot read profile {path}: {why}"},
    "cannot_create": {"nl": "kan {path} niet maken: {why}", "en": "cannot create {path}: {why}"},
    "state_db": {"nl": "kan de statusdatabase {path} niet gebruiken: {why}",
                 "en": "cannot use the state database {path}: {why}"},
    "watch_pair": {"nl": "--approved en --rejected horen bij elkaar",
                   "en": "--approved and --rejected go together"},
    "watch_fix_routes": {"nl": "--fix heeft --approved en --rejected nodig",
                         "en": "--fix needs --approved and --rejected"},
    # --- a stored manifest that cannot be used -----------------------------------------
    "manifest_types": {"nl": "{path} is geen manifest dat mediaaudit kan gebruiken: {why}",
                       "en": "{path} is not a manifest mediaaudit can use: {why}"},
    # --- the frame of a message, outputs, and reasons the system gives ----------------
    "error": {"nl": "mediaaudit: fout: {message}", "en": "mediaaudit: error: {message}"},
    "warning": {"nl": "mediaaudit: waarschuwing: {message}",
                "en": "mediaaudit: warning: {message}"},
    "unwritable": {"nl": "kan {path} niet schrijven: {reason}",
                   "en": "cannot write {path}: {reason}"},
    "several_formats": {"nl": "meerdere --format-waarden hebben -o BESTAND nodig (als "
                              "basisnaam)",
                        "en": "several --format values need -o FILE (used as the base name)"},
    "not_for_terminal": {"nl": "{kind} is niet voor een terminal: gebruik -o BESTAND{suffix} "
                               "of stuur de uitvoer door naar een bestand",
                         "en": "{kind} is not for a terminal: use -o FILE{suffix} or "
                               "redirect the output"},
    "which_format": {"nl": "kan het formaat niet afleiden uit '{output}': gebruik {suffixes}, "
                           "of geef --format op",
                     "en": "cannot tell the format from '{output}': use {suffixes}, or "
                           "--format"},
    "or": {"nl": "of", "en": "or"},
    "fix_out_overlap": {
        "nl": "--out {out} overlapt met de bron {path} (dezelfde map, erin of eromheen); "
              "kies een map buiten de bronnen",
        "en": "--out {out} overlaps the source {path} (the same folder, inside it or "
              "around it); choose a folder outside the sources",
    },
}
# The CLI's texts, with the words every command says of a manifest it cannot use (one
# wording with archive's: manifestwords).
TEXT: Texts[CliKey] = Texts(
    "cli.common.TEXT", {**_TEXT, **{k: v for k, v in MANIFEST_PROBLEMS.items()}},
    keys_of_type=get_args(CliKey))

# A mistake in how the command was typed (click's usage errors), in Dutch; English keeps
# click's own words.
USAGE_NL = {
    "usage": "Gebruik:", "help": "Zie '{command} -h' voor hulp.", "error": "Fout: {message}",
    "missing_option": "de optie {name} ontbreekt",
    "missing_argument": "het argument {name} ontbreekt",
    "missing": "{name} ontbreekt",
    "no_such_option": "onbekende optie: {name}",
    "did_you_mean": " (bedoel je {names}?)",
    "needs_value": "de optie {name} heeft een waarde nodig",
    "bad_value": "ongeldige waarde voor {name}: {why}",
    "extra": "onverwacht extra argument: {args}",
    "no_such_command": "onbekende opdracht '{name}'",
    "other": "de opdracht klopt niet: {why}",
}


# Words for a finding's severity, as the reports use them (and, by language, for a
# reader of all of them).
SEVERITY_TEXT: Texts[str] = Texts.by_language("cli.common.SEVERITY_TEXT", {
    "nl": {"error": "fout", "warning": "waarschuwing", "info": "info"},
    "en": {"error": "error", "warning": "warning", "info": "info"},
})
SEVERITY = {lang: SEVERITY_TEXT.in_language(lang) for lang in LANGS}


def severity_word(severity: str, lang: str) -> str:
    """A severity in words; one this table does not know (a crafted manifest's) as it
    is."""
    return say(SEVERITY_TEXT, severity, lang) if severity in SEVERITY_TEXT else severity


def default_lang() -> str:
    """nl when the user's locale is Dutch, else en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        val = os.environ.get(var)
        if val:
            return "nl" if val.lower().startswith("nl") else "en"
    loc = locale.getlocale()[0] or ""
    return "nl" if loc.lower().startswith("nl") else "en"


def text(key: CliKey, lang: str, **params: object) -> str:
    """One CLI text in ``lang``; English for a language it does not have (a crafted
    manifest's ``lang`` is "x").  With ``n`` equal to one, the key's ``_one`` form when it
    has one (the singular: "het bestand is afgekeurd", never "1 van de 1 bestanden zijn")."""
    if params.get("n") == 1:
        key = TEXT.singular(key)
    return say(TEXT, key, lang, **params)


def counted(n: int, one: CliKey, many: CliKey, lang: str) -> str:
    """A noun of this table for a count: the singular key for one, else the plural."""
    return text(one if n == 1 else many, lang)


def listed(key: CliKey, lang: str) -> str:
    """The word in front of a file that verify lists, padded so the names line up (the
    widest word of the language sets the column)."""
    words = [text(k, lang) for k in TEXT if k.startswith("v_")]
    return f"{text(key, lang):<{max(len(w) for w in words)}}"


def summary_line(summary: dict[str, int], lang: str) -> str:
    """'12 bestanden: 9 goedgekeurd, 2 afgekeurd, 1 fout' (singular for one file)."""
    noun = counted(summary.get("files", 0), "file", "files", lang)
    return text("summary", lang, noun=noun, **summary)


_LANG_KEY = "mediaaudit.lang"


def remember_lang(ctx: click.Context, _param: click.Parameter, value: str | None) -> str | None:
    """Keep the run's language where ``fail`` and ``warn`` find it, so a message said
    deep inside a command is in the language the user asked for."""
    ctx.meta[_LANG_KEY] = value or default_lang()
    return value


def set_run_lang(lang: str) -> None:
    """The run's language once a command knows it better than its --lang (``report``
    speaks the language of the manifest it renders)."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and lang in ("nl", "en"):
        ctx.meta[_LANG_KEY] = lang


def run_lang() -> str:
    """The run's language: its --lang, else the locale's."""
    ctx = click.get_current_context(silent=True)
    lang = ctx.meta.get(_LANG_KEY) if ctx is not None else None
    return str(lang) if lang else default_lang()


def said(message: object, lang: str) -> str:
    """A message in ``lang``: a text already said, or an exception whose words live in
    this table (an output that cannot be written, a bad -o/--format pair)."""
    if isinstance(message, OutputUnwritable):
        return text("unwritable", lang, path=message.path,
                    reason=os_reason(message.reason, lang))
    words = getattr(message, "text", None)
    if callable(words):  # OutputError, PolicyError, CacheWarning: text(lang)
        return str(words(lang))
    key, params = getattr(message, "key", None), getattr(message, "params", None)
    if isinstance(key, str) and TEXT.knows(key) and isinstance(params, dict):  # ProfileError
        shown = dict(params)
        if "why" in shown:
            shown["why"] = os_reason(str(shown["why"]), lang)
        return text(key, lang, **shown)
    return str(message)


def fail(message: object, code: int = ERROR) -> NoReturn:
    """One clear line on stderr and the exit code; never a traceback for a user mistake."""
    lang = run_lang()
    click.echo(text("error", lang, message=said(message, lang)), err=True)
    sys.exit(code)


def warn(message: object) -> None:
    """One warning line on stderr in the run's language; the command goes on."""
    lang = run_lang()
    click.echo(text("warning", lang, message=said(message, lang)), err=True)


def typed_lang(args: Sequence[str]) -> str | None:
    """The language typed on the command line (``--lang nl``, ``--lang=nl``, anywhere
    before a ``--``), or None: for what is said before click has read ``--lang`` (a
    mistake in the command, ``--help``)."""
    for i, a in enumerate(args):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(args) and args[i + 1] in LANGS:
            return args[i + 1]
        if a.startswith("--lang=") and a.split("=", 1)[1] in LANGS:
            return a.split("=", 1)[1]
    return None


def _usage_lang(ctx: click.Context | None, args: Sequence[str]) -> str:
    """The run's language for a mistake in the command itself: its --lang when click read
    it (an eager option), else as typed (``typed_lang``), else the locale's."""
    if ctx is not None and ctx.meta.get(_LANG_KEY):
        return str(ctx.meta[_LANG_KEY])
    return typed_lang(args) or default_lang()


def _usage_message(exc: click.UsageError) -> str:
    """Click's usage error in Dutch: what is missing, unknown or wrong, with the option's
    name as typed; click's own sentence for a value quoted as its technical text."""
    ctx, w = exc.ctx, USAGE_NL
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        name = exc.param.get_error_hint(ctx) if ctx is not None else str(exc.param.name)
        kind = {"option": "missing_option", "argument": "missing_argument"}.get(
            str(exc.param_type or getattr(exc.param, "param_type_name", "")), "missing")
        return w[kind].format(name=name)
    if isinstance(exc, click.NoSuchOption):
        near = sorted(exc.possibilities or [])
        return w["no_such_option"].format(name=exc.option_name) + (
            w["did_you_mean"].format(names=", ".join(near)) if near else "")
    if isinstance(exc, click.BadOptionUsage) and "requires an argument" in exc.message:
        return w["needs_value"].format(name=exc.option_name)
    if isinstance(exc, click.BadParameter):
        hint = (exc.param.get_error_hint(ctx) if exc.param is not None and ctx is not None
                else exc.param_hint or "?")
        return w["bad_value"].format(name=hint, why=f"“{exc.message}”")
    if exc.message.startswith("Got unexpected extra argument"):
        return w["extra"].format(args=exc.message.split("(", 1)[-1].rstrip(")"))
    if exc.message.startswith("No such command"):
        return w["no_such_command"].format(name=exc.message.split("'")[1]
                                           if "'" in exc.message else exc.message)
    return w["other"].format(why=f"“{exc.message}”")


class UsageInLanguage(click.UsageError):
    """A usage error that is shown in the run's language (Dutch: ``USAGE_NL``; English:
    exactly as click shows it)."""

    def __init__(self, original: click.UsageError, lang: str) -> None:
        super().__init__(original.message, original.ctx)
        self.original, self.lang = original, lang  # exit status 2, as click's own

    def show(self, file: IO[Any] | None = None) -> None:
        if self.lang != "nl":
            self.original.show(file)
            return
        ctx, w = self.ctx, USAGE_NL
        if ctx is not None:
            usage = ctx.get_usage().replace("Usage:", w["usage"], 1)
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                hint = w["help"].format(command=ctx.command_path) + "\n"
            click.echo(f"{usage}\n{hint}", file=file, err=True, color=ctx.color)
        click.echo(w["error"].format(message=_usage_message(self.original)), file=file,
                   err=True)


def in_language(exc: click.UsageError, ctx: click.Context | None,
                args: Sequence[str]) -> UsageInLanguage:
    """``exc`` to be shown in the run's language (see ``UsageInLanguage``)."""
    return UsageInLanguage(exc, _usage_lang(exc.ctx or ctx, args))


# Their help, in Dutch and English, is in ``cli.help`` (as every option's).
PROFILE_OPTION = click.option(
    "--profile", "profile_spec", default="nvf-2024", show_default=True, metavar="ID|FILE")
LANG_OPTION = click.option(
    "--lang",
    type=click.Choice(["nl", "en"]),
    default=None,
    is_eager=True,  # known before any other option can fail
    callback=remember_lang,
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
