"""The commented ``mediaaudit.toml`` that ``mediaaudit init`` writes (pure: answers and a
language in, the file's text out).

Every key the commands read is in it (``policy.POLICY_KEYS`` and the other key lists,
so a key added there and forgotten here fails a test): the values the organisation gave
as settings, every other key as a comment showing its default or an example.  A value
``archive`` cannot do without that was not given is a comment marked TODO / TE DOEN,
never an invented value: the file loads, ``scan`` runs, and ``archive`` names exactly
what is still to be filled in.
"""

from __future__ import annotations

from dataclasses import dataclass

from mediaaudit import codes
from mediaaudit.policy import SHORTCUTS


@dataclass(frozen=True)
class Answers:
    """What the organisation told ``init``; None: not given (a TODO in the file)."""

    organisation: str | None = None
    waardering: str | None = None  # "V" or "B"
    bewaartermijn: str | None = None  # ISO 8601 period
    contact_name: str | None = None
    contact_email: str | None = None

    def todo(self) -> tuple[str, ...]:
        """The keys still to be filled in for ``archive`` to work."""
        out = []
        if not self.organisation:
            out.append("organisation")
        if not self.waardering:
            out.append("waardering")
        if not self.bewaartermijn and self.waardering != "B":
            out.append("bewaartermijn")
        if not (self.contact_name or self.contact_email):
            out.append("contact_name/contact_email")
        return tuple(out)


def toml_string(value: str) -> str:
    """A TOML basic string: quotes, backslashes and control characters escaped."""
    out = []
    for c in value:
        if c in '"\\':
            out.append("\\" + c)
        elif ord(c) < 0x20 or ord(c) == 0x7F:
            out.append({"\t": "\\t", "\n": "\\n", "\r": "\\r"}.get(c, f"\\u{ord(c):04X}"))
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


_W = {
    "nl": {
        "head": "# mediaaudit.toml{org}, geschreven door 'mediaaudit init' (mediaaudit "
                "{version}).\n"
                "# Gelezen door 'mediaaudit scan', 'watch', 'fix' en 'archive' voor elke map "
                "hieronder\n"
                "# (of opgegeven met --config). Een regel die met '#' begint is een voorbeeld "
                "of de\n"
                "# standaardwaarde: haal de '#' weg om hem te gebruiken.\n",
        "todo_head": "# Regels met TE DOEN moet je nog invullen voordat 'mediaaudit archive' "
                     "werkt:\n# haal de '#' weg en vul de waarde in.\n",
        "todo": "TE DOEN",
        "policy": "# Namen die een bestand 'eigen materiaal' maken wanneer ze als maker of "
                  "rechthebbende\n# in het bestand staan:",
        "org_example": "<naam van je organisatie>",
        "org_many": "# Meer namen: een lijst (organisation of organisations, niet allebei):",
        "allowed": "# Eigen licenties die je echt hebt afgesloten (SPDX LicenseRef-…):",
        "levels": "# Hoe zwaar een bevinding telt: error | warning | info | ignore "
                  "(standaard staat erachter):",
        "per_code": "per code",
        "non_commercial": "CC-licentie met NC (niet-commercieel)",
        "no_derivatives": "CC-licentie met ND (geen bewerkingen)",
        "not_listed": "formaat niet in de Norm Voorkeursformaten",
        "privacy": "GPS-positie, serienummer, naam van de eigenaar",
        "portrait": "personen zonder modeltoestemming",
        "captions": "video zonder ondertiteling",
        "alt_text": "beeld zonder alt-tekst",
        "ai_label": "gemaakt met AI, te labelen",
        "severity": "# Elke bevindingscode of elk voorvoegsel ('mediaaudit explain' toont "
                    "de lijst):",
        "annotations": "# Rechten van bestanden die zelf geen metadata hebben (zoals "
                       "REUSE.toml); paden ten\n# opzichte van dit bestand, de laatste "
                       "passende annotatie telt:",
        "licence": "# of license",
        "captions_ann": "# ingebrande ondertiteling, die niet te herkennen is",
        "archive": "# Voor 'mediaaudit archive' (MDTO-metadata en bag-info.txt).",
        "vormer": "Archiefvormer; standaard: [policy] organisation",
        "vormer_id": "Optioneel: id in het Register van Overheidsorganisaties",
        "id_source": "Optioneel: de bron van dat id (dit is de standaard)",
        "waardering": "Waardering: \"V\" tijdelijk of \"B\" blijvend te bewaren",
        "bewaartermijn": "Bewaartermijn: ISO 8601-periode uit je selectielijst (P10Y = 10 "
                         "jaar; niet nodig bij \"B\")",
        "bron": "identificatieBron van de MDTO-records; standaard: archiefvormer",
        "contact": "Contact voor het archief: contact_name en/of contact_email (in "
                   "bag-info.txt)",
        "watch": "# Voor 'mediaaudit watch':",
        "fix": "true: zet een bestand dat alleen op formaat of locatie is afgekeurd om (als "
               "--fix)",
        "scan": "# Voor 'mediaaudit scan':",
        "cluster": "Dask-scheduler die het lezen van de bestanden over meerdere machines "
                   "verdeelt (als --cluster;\n# pip install 'mediaaudit[cluster]'; de machines "
                   "zien de bestanden op hetzelfde pad)",
    },
    "en": {
        "head": "# mediaaudit.toml{org}, written by 'mediaaudit init' (mediaaudit "
                "{version}).\n"
                "# Read by 'mediaaudit scan', 'watch', 'fix' and 'archive' for every folder "
                "below this one\n"
                "# (or given with --config). A line starting with '#' is an example or the "
                "default:\n"
                "# remove the '#' to use it.\n",
        "todo_head": "# Lines marked TODO must be filled in before 'mediaaudit archive' "
                     "works:\n# remove the '#' and fill in the value.\n",
        "todo": "TODO",
        "policy": "# Names that make a file 'your own' when they are its creator or holder:",
        "org_example": "<name of your organisation>",
        "org_many": "# More names: a list (organisation or organisations, not both):",
        "allowed": "# Custom licences you have actually obtained (SPDX LicenseRef-…):",
        "levels": "# How much a finding counts: error | warning | info | ignore (the "
                  "default is shown):",
        "per_code": "per code",
        "non_commercial": "CC licence with NC (non-commercial)",
        "no_derivatives": "CC licence with ND (no derivatives)",
        "not_listed": "format not in the Norm Voorkeursformaten",
        "privacy": "GPS position, serial number, owner's name",
        "portrait": "people without a model release",
        "captions": "video without captions",
        "alt_text": "image without alt text",
        "ai_label": "made with AI, to be labelled",
        "severity": "# Any finding code or prefix ('mediaaudit explain' lists them):",
        "annotations": "# Rights of files that carry no metadata themselves (REUSE.toml-like); "
                       "paths relative\n# to this file, the last matching annotation wins:",
        "licence": "# or license",
        "captions_ann": "# burned-in captions, which cannot be detected",
        "archive": "# For 'mediaaudit archive' (MDTO metadata and bag-info.txt).",
        "vormer": "Archiefvormer (the records creator); default: [policy] organisation",
        "vormer_id": "Optional: its id in the Register van Overheidsorganisaties",
        "id_source": "Optional: the source of that id (this is the default)",
        "waardering": "Appraisal: \"V\" tijdelijk (for a period) or \"B\" blijvend "
                      "(forever) te bewaren",
        "bewaartermijn": "Retention: an ISO 8601 period from your selectielijst (P10Y = 10 "
                         "years; not needed with \"B\")",
        "bron": "identificatieBron of the MDTO records; default: archiefvormer",
        "contact": "Contact for the archive: contact_name and/or contact_email (in "
                   "bag-info.txt)",
        "watch": "# For 'mediaaudit watch':",
        "fix": "true: convert a file rejected only on format or location (as --fix)",
        "scan": "# For 'mediaaudit scan':",
        "cluster": "Dask scheduler that spreads reading the files over several machines (as "
                   "--cluster;\n# pip install 'mediaaudit[cluster]'; the machines see the "
                   "files at the same path)",
    },
}


def _default_level(prefix: str, per_code: str) -> tuple[str, str]:
    """The default level of a ``[policy]`` shortcut, and a note when its codes differ."""
    levels = sorted({c.severity.value for n, c in codes.CODES.items() if n.startswith(prefix)})
    return f'"{levels[0]}"', (f" ({per_code}: {', '.join(levels)})" if len(levels) > 1 else "")


def _setting(key: str, value: str | None, example: str, note: str, todo: str) -> list[str]:
    """The note, then ``key = "value"`` or the example as a comment; the note is marked
    TODO when the key is one archive needs and was not given (``todo`` non-empty)."""
    head = [f"# {todo}: {note}" if todo and not value else f"# {note}"] if note else []
    return [*head, f"{key} = {toml_string(value)}" if value else f"# {key} = {example}"]


def render(answers: Answers, lang: str, version: str) -> str:
    """The whole file, in ``lang`` (nl or en) for its comments."""
    w = _W.get(lang, _W["en"])
    a = answers
    todo = w["todo"]
    org = f" — {a.organisation}" if a.organisation else ""
    out = [w["head"].format(org=org, version=version)]
    if a.todo():
        out.append(w["todo_head"])
    out += ["[policy]", w["policy"]]
    if a.organisation:
        out.append(f"organisation = [{toml_string(a.organisation)}]")
    else:
        out.append(f"# organisation = [\"{w['org_example']}\"]    # {todo}")
    out += [w["org_many"], '# organisations = ["Gemeente Voorbeeld", "Team Communicatie"]',
            w["allowed"], '# allowed_licences = ["LicenseRef-ANP-2026"]',
            w["levels"]]
    for key, prefix in SHORTCUTS.items():
        level, mixed = _default_level(prefix, w["per_code"])
        out.append(f"{f'# {key} = {level}':<34} # {w[key]}{mixed}")
    out += ["", "[severity]", w["severity"], '# "MA-PRV-001" = "error"', "",
            w["annotations"],
            "# [[annotations]]",
            '# path = "campagne-2026/**"',
            f'# licence = "CC-BY-4.0"                {w["licence"]}',
            '# holder = "Studio Y"',
            '# creator = "Pieter Bakker"',
            '# attribution = "Foto: Pieter Bakker / Studio Y"',
            f'# captions = "burned-in"               {w["captions_ann"]}',
            "", "[archive]", w["archive"]]
    example_org = toml_string(a.organisation or "Gemeente Voorbeeld")
    contact_todo = "" if (a.contact_name or a.contact_email) else todo
    out += [
        *_setting("archiefvormer", None, example_org, w["vormer"], ""),
        *_setting("archiefvormer_id", None,
                  '"https://organisaties.overheid.nl/12345/Gemeente_Voorbeeld"',
                  w["vormer_id"], ""),
        *_setting("archiefvormer_id_source", None, '"Register van Overheidsorganisaties"',
                  w["id_source"], ""),
        *_setting("waardering", a.waardering, '"V"', w["waardering"], todo),
        *_setting("bewaartermijn", a.bewaartermijn, '"P10Y"', w["bewaartermijn"],
                  todo if a.waardering != "B" else ""),
        *_setting("identificatiebron", None, example_org, w["bron"], ""),
        *_setting("contact_name", a.contact_name,
                  '"Team Informatiebeheer"', w["contact"], contact_todo),
        *_setting("contact_email", a.contact_email, '"informatiebeheer@voorbeeld.nl"', "",
                  ""),
        "", "[watch]", w["watch"], f"# {w['fix']}", "# fix = false",
        "", "[scan]", w["scan"], f"# {w['cluster']}",
        '# cluster = "tcp://scheduler.example.org:8786"', ""]
    return "\n".join(out)
