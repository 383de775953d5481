"""What can be wrong with ``mediaaudit.toml``, in Dutch and English.

A configuration is checked as a whole: validation collects one ``Problem`` per wrong or
missing key (its place in the file, what kind of mistake, the values the sentence names)
and raises one ``PolicyError`` holding all of them.  A records manager who is missing
three archive settings then learns of all three in one run instead of one per run.
The words live here only, so the validation (``policy``, ``archive.records``) stays
free of language and the command renders the lines in the language of its run.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Wrong(StrEnum):
    """The kinds of mistake; each is one sentence in ``TEXT``."""

    UNKNOWN_KEY = "unknown_key"
    UNKNOWN_TABLE = "unknown_table"
    BELONGS_IN_POLICY = "belongs_in_policy"
    NOT_TABLE = "not_table"
    SEVERITY_NOT_TABLE = "severity_not_table"
    ANNOTATIONS_NOT_TABLES = "annotations_not_tables"
    LEVEL = "level"
    NO_CODE = "no_code"
    STRINGS = "strings"
    NOT_STRING = "not_string"
    ONE_LINE = "one_line"
    BOTH = "both"
    NEEDS_PATH = "needs_path"
    WAARDERING = "waardering"
    PERIOD = "period"
    EMAIL = "email"
    BOOLEAN = "boolean"
    MISSING_ARCHIEFVORMER = "missing_archiefvormer"
    MISSING_WAARDERING = "missing_waardering"
    MISSING_BEWAARTERMIJN = "missing_bewaartermijn"
    MISSING_CONTACT = "missing_contact"
    NO_CONFIG = "no_config"
    UNREADABLE = "unreadable"
    NOT_TOML = "not_toml"


TEXT: dict[Wrong, dict[str, str]] = {
    Wrong.UNKNOWN_KEY: {"nl": "{where}: onbekende sleutel '{name}'",
                        "en": "{where}: unknown key '{name}'"},
    Wrong.UNKNOWN_TABLE: {"nl": "onbekende tabel of sleutel '{name}'",
                          "en": "unknown table or key '{name}'"},
    Wrong.BELONGS_IN_POLICY: {
        "nl": "'{name}' hoort in de tabel [policy] (zet het onder [policy])",
        "en": "'{name}' belongs in the [policy] table (write it below [policy])"},
    Wrong.NOT_TABLE: {"nl": "{where} moet een tabel zijn (een regel {where} met de "
                            "sleutels eronder)",
                      "en": "{where} must be a table (a line {where} with its keys below it)"},
    Wrong.SEVERITY_NOT_TABLE: {"nl": "[severity] moet een tabel zijn van CODE = niveau",
                               "en": "[severity] must be a table of CODE = level"},
    Wrong.ANNOTATIONS_NOT_TABLES: {
        "nl": "annotations moet geschreven worden als [[annotations]]-tabellen",
        "en": "annotations must be written as [[annotations]] tables"},
    Wrong.LEVEL: {"nl": "{where}: moet een van {choices} zijn, niet {got}",
                  "en": "{where}: must be one of {choices}, got {got}"},
    Wrong.NO_CODE: {"nl": "{where}: '{name}' past bij geen bevindingscode (zie "
                          "'mediaaudit explain')",
                    "en": "{where}: '{name}' matches no finding code (see "
                          "'mediaaudit explain')"},
    Wrong.STRINGS: {"nl": "{where}: moet tekst of een lijst van teksten zijn, niet {got}",
                    "en": "{where}: must be a string or a list of strings, got {got}"},
    Wrong.NOT_STRING: {"nl": "{where}: {name} moet tekst zijn (tussen \"\"), niet {got}",
                       "en": "{where}: {name} must be a string, got {got}"},
    Wrong.ONE_LINE: {"nl": "{where}: {name} moet één regel tekst zijn, niet {got}",
                     "en": "{where}: {name} must be one line of text, got {got}"},
    Wrong.BOTH: {"nl": "{where}: geef {first} of {second}, niet allebei",
                 "en": "{where}: give {first} or {second}, not both"},
    Wrong.NEEDS_PATH: {"nl": "{where}: mist een 'path'-patroon, bijvoorbeeld path = "
                             "\"campagne/**\"",
                       "en": "{where}: needs a 'path' glob, e.g. path = \"campagne/**\""},
    Wrong.WAARDERING: {
        "nl": "{where} waardering: moet \"B\" (blijvend te bewaren) of \"V\" (tijdelijk te "
              "bewaren) zijn, niet {got}",
        "en": "{where} waardering: must be \"B\" (blijvend te bewaren) or \"V\" (tijdelijk "
              "te bewaren), got {got}"},
    Wrong.PERIOD: {
        "nl": "{where} bewaartermijn: moet een ISO 8601-periode zijn zoals \"P10Y\" (10 jaar) "
              "of \"P6M\" (6 maanden), niet {got}",
        "en": "{where} bewaartermijn: must be an ISO 8601 period such as \"P10Y\" (10 years) "
              "or \"P6M\", got {got}"},
    Wrong.EMAIL: {"nl": "{where} contact_email: geen e-mailadres: {got} (schrijf bijvoorbeeld "
                        "\"informatiebeheer@voorbeeld.nl\")",
                  "en": "{where} contact_email: not an e-mail address: {got} (write e.g. "
                        "\"informatiebeheer@voorbeeld.nl\")"},
    Wrong.BOOLEAN: {"nl": "{where}: moet true of false zijn, niet {got}",
                    "en": "{where}: must be true or false, got {got}"},
    Wrong.MISSING_ARCHIEFVORMER: {
        "nl": "[archive] archiefvormer ontbreekt: voeg archiefvormer = \"<je organisatie>\" "
              "toe (of [policy] organisation)",
        "en": "[archive] archiefvormer is missing: add archiefvormer = \"<your "
              "organisation>\" (or [policy] organisation)"},
    Wrong.MISSING_WAARDERING: {
        "nl": "[archive] waardering ontbreekt: voeg waardering = \"V\" (tijdelijk te "
              "bewaren) of \"B\" (blijvend te bewaren) toe",
        "en": "[archive] waardering is missing: add waardering = \"V\" (tijdelijk te "
              "bewaren) or \"B\" (blijvend te bewaren)"},
    Wrong.MISSING_BEWAARTERMIJN: {
        "nl": "[archive] bewaartermijn ontbreekt: voeg bewaartermijn = \"P10Y\" toe (de "
              "bewaartermijn uit je selectielijst, ISO 8601; niet nodig bij waardering "
              "\"B\")",
        "en": "[archive] bewaartermijn is missing: add bewaartermijn = \"P10Y\" (the "
              "retention period of your selectielijst, ISO 8601; not needed with "
              "waardering \"B\")"},
    Wrong.MISSING_CONTACT: {
        "nl": "[archive] contact ontbreekt: voeg contact_name en/of contact_email toe (komt "
              "in bag-info.txt)",
        "en": "[archive] contact is missing: add contact_name and/or contact_email "
              "(written to bag-info.txt)"},
    Wrong.NO_CONFIG: {
        "nl": "geen mediaaudit.toml gevonden in {where} of een map erboven "
              "('mediaaudit init' schrijft er een met alle sleutels)",
        "en": "no mediaaudit.toml found in {where} or a folder above it "
              "('mediaaudit init' writes one with every key)"},
    Wrong.UNREADABLE: {"nl": "kan configuratie {where} niet lezen: {why}",
                       "en": "cannot read config {where}: {why}"},
    Wrong.NOT_TOML: {"nl": "{where}: geen geldige TOML: {why}",
                     "en": "{where}: not valid TOML: {why}"},
}

_NEAR = {"nl": "; bedoel je '{near}'?", "en": "; did you mean '{near}'?"}
_VALID = {"nl": " (geldig: {valid})", "en": " (valid: {valid})"}
_COUNT = {"nl": "{n} problemen in de configuratie (allemaal hieronder; herstel ze en "
                "probeer opnieuw):",
          "en": "{n} problems in the configuration (all listed below; correct them, then "
                "run again):"}


@dataclass(frozen=True)
class Problem:
    """One wrong or missing key: ``where`` it is (``[archive]``, ``[policy] privacy``,
    ``--select``), the kind of mistake, and the values its sentence names (``got`` is
    the value as written; ``near`` the closest valid name, if any; ``valid`` the list
    to choose from when nothing is close).  ``key`` names the setting concerned
    (``archive.bewaartermijn``) where one setting can be found wrong twice: wrong as
    written, and so missing when archive asks for it."""

    where: str
    wrong: Wrong
    params: tuple[tuple[str, str], ...] = ()
    key: str = ""

    def line(self, lang: str) -> str:
        values = dict(self.params)
        texts = TEXT[self.wrong]
        out = texts.get(lang, texts["en"]).format(where=self.where, **values)
        if values.get("near"):
            out += _NEAR.get(lang, _NEAR["en"]).format(near=values["near"])
        elif values.get("valid"):
            out += _VALID.get(lang, _VALID["en"]).format(valid=values["valid"])
        return out


def problem(where: str, wrong: Wrong, key: str = "", **params: object) -> Problem:
    """A ``Problem`` whose parameters are shown as text (``got`` as Python writes it,
    so a string is quoted and a number is not)."""
    shown = tuple((k, repr(v) if k == "got" else str(v)) for k, v in params.items())
    return Problem(where, wrong, shown, key)


class PolicyError(ValueError):
    """A configuration that cannot be used: every problem found in it, and where it came
    from: the file (``source``), or a sentence such as 'no mediaaudit.toml found'
    (``lead``); neither for the command line or a config built in memory.  ``str()`` is
    the English text; a command prints ``text(lang)``."""

    def __init__(self, problems: Problem | Sequence[Problem], source: str | None = None,
                 lead: Problem | None = None):
        self.problems: tuple[Problem, ...] = (
            (problems,) if isinstance(problems, Problem) else tuple(problems))
        self.source = source
        self.lead = lead
        super().__init__(self.one_line("en"))

    def lines(self, lang: str) -> list[str]:
        """One line per problem, in ``lang``."""
        return [p.line(lang) for p in self.problems]

    def one_line(self, lang: str) -> str:
        """All problems on one line (' | ' between them): for a log line (watch's reload
        keeps its old settings and says why) and ``str()``."""
        return self._lead(lang) + " | ".join(self.lines(lang))

    def _lead(self, lang: str) -> str:
        return (f"{self.source}: " if self.source else
                f"{self.lead.line(lang)}: " if self.lead else "")

    def text(self, lang: str) -> str:
        """One line for one problem ('FILE: [policy]: unknown key …'); for more, a line
        with the file and the count, then each problem on its own indented line."""
        lines = self.lines(lang)
        lead = self._lead(lang)
        if len(lines) == 1:
            return lead + lines[0]
        count = _COUNT.get(lang, _COUNT["en"]).format(n=len(lines))
        return lead + count + "".join(f"\n  {x}" for x in lines)


def unique(problems: Iterable[Problem]) -> list[Problem]:
    """The problems in order, each setting named once: a value that is wrong as written,
    and therefore missing when archive asks for it, is one mistake (the first)."""
    seen: set[str] = set()
    out = []
    for p in problems:
        if p.key and p.key in seen:
            continue
        seen.add(p.key)
        out.append(p)
    return out
