"""Words used by the human renderings (HTML, Markdown, CSV headers stay English)."""

from __future__ import annotations

from collections.abc import Mapping

LABELS: dict[str, dict[str, str]] = {
    "nl": {
        "title": "Controle media voor publicatie",
        "verdict_pass": "GOEDGEKEURD — alle bestanden mogen geplaatst worden",
        "verdict_fail": "AFGEKEURD — niet alle bestanden mogen geplaatst worden",
        "verdict_error":
            "NIET VOLLEDIG GECONTROLEERD — sommige bestanden konden niet gelezen worden",
        "verdict_empty": "GEEN BESTANDEN gevonden",
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
    return LABELS.get(lang, LABELS["en"]).get(key, key)


def batch_verdict(summary: Mapping[str, int]) -> str:
    """pass / fail / error / empty for the whole batch."""
    if not summary.get("files"):
        return "empty"
    if summary.get("error"):
        return "error"
    if summary.get("fail"):
        return "fail"
    return "pass"
