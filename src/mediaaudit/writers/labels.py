"""Words used by the human renderings (HTML, PDF, Markdown, CSV values), written one
language at a time and checked as one table (``LABEL_TEXT``: every label in both
languages, with the same placeholders); a count is said in the singular for one
(``verdict_text``, ``banner``).

Labels are keyed by plain strings, not a typed key: the writers choose many of them by a
value the manifest holds (a state, an NVF status, a severity), and a value this table
does not know (a crafted manifest's) is shown as it is.
"""

from __future__ import annotations

from collections.abc import Mapping

from mediaaudit.manifestview import SkippedView, State, SummaryView
from mediaaudit.texts import LANGS, Texts, say

_WORDS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Controle media voor publicatie",
        "verdict_pass": "GOEDGEKEURD — alle bestanden mogen geplaatst worden",
        "verdict_fail": "AFGEKEURD — niet alle bestanden mogen geplaatst worden",
        "verdict_error":
            "NIET VOLLEDIG GECONTROLEERD — sommige bestanden konden niet gelezen worden",
        "verdict_empty": "GEEN BESTANDEN gevonden",
        "verdict_pass_one": "GOEDGEKEURD — het bestand mag geplaatst worden",
        "verdict_fail_one": "AFGEKEURD — het bestand mag niet geplaatst worden",
        "verdict_error_one": "NIET GECONTROLEERD — het bestand kon niet gelezen worden",
        "files": "Bestanden", "pass": "goedgekeurd", "fail": "afgekeurd", "error": "fout",
        "profile": "Norm", "date": "Datum", "tool": "Gecontroleerd met", "roots": "Map",
        "file": "Bestand", "outcome": "Uitslag", "format": "Formaat", "nvf": "NVF-status",
        "rights": "Rechten", "licence": "Licentie", "attribution": "Naamsvermelding",
        "findings": "Bevindingen en oplossing", "preview": "Voorbeeld", "none": "—",
        "skipped": ("Niet gecontroleerd (sidecars, configuratie, eerdere rapporten, "
                    "tijdelijke bestanden)"),
        "how_to_fix": "Zo los je het op",
        "preferred": "voorkeur", "acceptable": "acceptabel", "not_listed": "niet in de norm",
        "unknown": "onbekend", "open": "open licentie", "owned": "eigen materiaal",
        "licensed": "gelicenseerd", "restricted": "beperkt", "conflict": "tegenstrijdig",
        "not_checked": "niet gecontroleerd",
        "error_sev": "fout", "warning": "waarschuwing", "info": "info",
        "checksum": "SHA-256", "alt_text": "Alt-tekst", "captions": "Ondertiteling",
        "ai_label": "Label: AI-gegenereerd",
    },
    "en": {
        "title": "Media audit for publication",
        "verdict_pass": "APPROVED — every file may be posted",
        "verdict_fail": "REJECTED — not every file may be posted",
        "verdict_error": "NOT FULLY AUDITED — some files could not be read",
        "verdict_empty": "NO FILES found",
        "verdict_pass_one": "APPROVED — the file may be posted",
        "verdict_fail_one": "REJECTED — the file may not be posted",
        "verdict_error_one": "NOT AUDITED — the file could not be read",
        "files": "Files", "pass": "passed", "fail": "failed", "error": "error",
        "profile": "Norm", "date": "Date", "tool": "Checked with", "roots": "Folder",
        "file": "File", "outcome": "Outcome", "format": "Format", "nvf": "NVF status",
        "rights": "Rights", "licence": "Licence", "attribution": "Credit line",
        "findings": "Findings and how to fix them", "preview": "Preview", "none": "—",
        "skipped": "Not audited (sidecars, configuration, earlier reports, temporary files)",
        "how_to_fix": "How to fix",
        "preferred": "preferred", "acceptable": "acceptable", "not_listed": "not in the norm",
        "unknown": "unknown", "open": "open licence", "owned": "own material",
        "licensed": "licensed", "restricted": "restricted", "conflict": "conflicting",
        "not_checked": "not checked",
        "error_sev": "error", "warning": "warning", "info": "info",
        "checksum": "SHA-256", "alt_text": "Alt text", "captions": "Captions",
        "ai_label": "Label: AI-generated",
    },
}


def label(lang: str, key: str) -> str:
    """A label in ``lang``, not filled in (the caller formats the ones that count); a
    key this table lacks as it is."""
    return LABEL_TEXT.template(key, lang) if key in LABEL_TEXT else key


def batch_verdict(summary: SummaryView) -> str:
    """pass / fail / error / empty for the whole batch."""
    if not summary.files:
        return "empty"
    if summary.errors:
        return "error"
    if summary.failed:
        return "fail"
    return "pass"


def verdict_text(lang: str, summary: SummaryView) -> str:
    """The batch's verdict in words, in the singular for a report of one file ("niet alle
    bestanden mogen" said of one file read as if others were missing)."""
    key = "verdict_" + batch_verdict(summary)
    if summary.files == 1:
        key = LABEL_TEXT.singular(key)
    return label(lang, key)


# The four states, the banner in words, the cards, the sign-off and the archivist's footer.
_WORDS["nl"].update({
    "state_pass": "Goedgekeurd", "state_pass_actions": "Goedgekeurd, met acties",
    "state_fail": "Afgekeurd", "state_error": "Niet te controleren",
    "say_pass": "Mag geplaatst worden.",
    "say_pass_actions": "Mag geplaatst worden. Doe dit bij het plaatsen:",
    "say_fail": "Mag niet geplaatst worden. Waarom, en hoe je het oplost:",
    "say_error": "Kon niet gecontroleerd worden en mag dus nog niet geplaatst worden:",
    "banner_ok": "{ok} van de {n} bestanden mogen geplaatst worden",
    "banner_ok_one": "{ok} van de {n} bestanden mag geplaatst worden",
    "banner_ok_single": "{ok} van {n} bestand mag geplaatst worden",
    "banner_act": "bij {k} daarvan moet je iets doen bij het plaatsen",
    "banner_act_one": "bij {k} daarvan moet je iets doen bij het plaatsen",
    "banner_act_none": "bij geen daarvan hoef je iets te doen bij het plaatsen",
    "banner_fail": "{k} afgekeurd", "banner_error": "{k} niet te controleren",
    "notes_one": "1 opmerking", "notes": "{n} opmerkingen",
    "no_preview": "geen voorbeeld",
    "pdf_cards": "PDF-rapport: bestand {i} van {n}",
    "pdf_prepare": "PDF-rapport: opmaak voorbereiden", "pdf_page": "PDF-rapport: pagina {p}",
    "pdf_write": "PDF-rapport: bestand schrijven",
    "signoff": "Akkoord voor publicatie", "reviewer": "Beoordelaar", "decision": "Besluit",
    "decide_post": "plaatsen", "decide_post_actions": "plaatsen na de acties",
    "decide_no": "niet plaatsen", "signature": "Handtekening",
    "manifest_sha": "SHA-256 van het JSON-manifest",
    "manifest_sha_note": ("dit rapport is gemaakt uit dat manifest; 'mediaaudit report "
                          "MANIFEST --format json --lang {lang}' geeft dezelfde bytes"),
    "version": "versie",
    "archivist": "Voor de archivaris", "engines": "Versies van de controlesoftware",
    "policy": "Geldend beleid", "policy_file": "Beleidsbestand",
    "builtin": "ingebouwde standaard", "organisations": "Eigen organisatie",
    "severities": "Gewijzigde zwaarte", "select": "Alleen deze controles",
    "ignore": "Genegeerde controles", "allowed_licences": "Toegestane licenties",
    "annotations": "Map-annotaties", "per_file": "SHA-256 per bestand", "size": "Grootte",
    "profile_sha": "Controlegetal norm (SHA-256)", "source": "Bron",
})
_WORDS["en"].update({
    "state_pass": "Passed", "state_pass_actions": "Passed with actions",
    "state_fail": "Failed", "state_error": "Could not be checked",
    "say_pass": "May be posted.",
    "say_pass_actions": "May be posted. When posting, do this:",
    "say_fail": "May not be posted. Why, and how to fix it:",
    "say_error": "Could not be checked, so it may not be posted yet:",
    "banner_ok": "{ok} of {n} files may be posted",
    "banner_ok_one": "{ok} of {n} files may be posted",
    "banner_ok_single": "{ok} of {n} file may be posted",
    "banner_act": "{k} of them need an action when posting",
    "banner_act_one": "{k} of them needs an action when posting",
    "banner_act_none": "none of them needs an action when posting",
    "banner_fail": "{k} failed", "banner_error": "{k} could not be checked",
    "notes_one": "1 note", "notes": "{n} notes",
    "no_preview": "no preview",
    "pdf_cards": "PDF report: file {i} of {n}",
    "pdf_prepare": "PDF report: preparing the layout", "pdf_page": "PDF report: page {p}",
    "pdf_write": "PDF report: writing the file",
    "signoff": "Sign-off for publication", "reviewer": "Reviewer", "decision": "Decision",
    "decide_post": "post", "decide_post_actions": "post after the actions",
    "decide_no": "do not post", "signature": "Signature",
    "manifest_sha": "SHA-256 of the JSON manifest",
    "manifest_sha_note": ("this report was rendered from that manifest; 'mediaaudit report "
                          "MANIFEST --format json --lang {lang}' gives the same bytes"),
    "version": "version",
    "archivist": "For the archivist", "engines": "Engine versions",
    "policy": "Effective policy", "policy_file": "Policy file",
    "builtin": "built-in defaults", "organisations": "Own organisation",
    "severities": "Severity changes", "select": "Only these checks",
    "ignore": "Ignored checks", "allowed_licences": "Allowed licences",
    "annotations": "Folder annotations", "per_file": "SHA-256 per file", "size": "Size",
    "profile_sha": "Norm checksum (SHA-256)", "source": "Source",
})
LABEL_TEXT: Texts[str] = Texts.by_language("writers.labels.LABEL_TEXT", _WORDS)
# Every label of one language, for a writer that reads them all (is this file an earlier
# report of ours, in either language?).
LABELS: Mapping[str, Mapping[str, str]] = {lang: LABEL_TEXT.in_language(lang)
                                           for lang in LANGS}


def banner(lang: str, states: Mapping[State, int]) -> str:
    """'8 of 14 files may be posted; 3 of them need an action when posting. 6 failed.'"""
    n = sum(states.values())
    ok = states.get(State.PASS, 0) + states.get(State.PASS_ACTIONS, 0)
    act = states.get(State.PASS_ACTIONS, 0)
    key = "banner_ok_single" if n == 1 else "banner_ok_one" if ok == 1 else "banner_ok"
    text = label(lang, key).format(ok=ok, n=n)
    if ok:
        akey = "banner_act_none" if not act else \
            LABEL_TEXT.singular("banner_act") if act == 1 else "banner_act"
        text += "; " + label(lang, akey).format(k=act)
    rest = [label(lang, f"banner_{s}").format(k=states[s]) for s in (State.FAIL, State.ERROR)
            if states.get(s)]
    return (text + ". " + (", ".join(rest) + "." if rest else "")).strip()


# Why an entry of the folder was not audited (the manifest's ``skipped[].reason``, which
# tools read, stays English): the words a report shows.  An opened delivery archive says
# how many of its files were judged, each as an entry of its own.
SKIP_REASONS: Texts[str] = Texts("writers.labels.SKIP_REASONS", {
    "archive": {"nl": "archief: de {members} bestanden erin zijn elk apart beoordeeld",
                "en": "archive: its {members} files are each judged on their own"},
    "archive_one": {"nl": "archief: het bestand erin is apart beoordeeld",
                    "en": "archive: the file in it is judged on its own"},
    "sidecar": {"nl": "sidecar", "en": "sidecar"},
    "config": {"nl": "configuratie", "en": "configuration"},
    "system": {"nl": "systeembestand", "en": "system file"},
    "temporary": {"nl": "tijdelijk bestand", "en": "temporary file"},
    "hidden": {"nl": "verborgen", "en": "hidden"},
    "symlink (not followed)": {"nl": "snelkoppeling (niet gevolgd)",
                               "en": "symlink (not followed)"},
    "symlinked folder (not followed)": {"nl": "snelkoppeling naar een map (niet gevolgd)",
                                        "en": "symlinked folder (not followed)"},
    "mediaaudit output": {"nl": "eerder rapport van mediaaudit", "en": "earlier report"},
    "manifest": {"nl": "dit manifest", "en": "this manifest"},
    "cache": {"nl": "cache van mediaaudit", "en": "mediaaudit's cache"},
})


def skip_reason(item: SkippedView, lang: str) -> str:
    """A skipped entry's reason in words (an unknown reason as it is)."""
    reason = item.reason or ""
    if reason == "archive" and item.members == 1:
        reason = "archive_one"
    if reason not in SKIP_REASONS:
        return reason
    return say(SKIP_REASONS, reason, lang, members="?" if item.members is None else item.members)
