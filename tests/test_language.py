"""Dutch everywhere with --lang nl, English everywhere with en (issue 15, item 7).

Every finding message (with its parameters), every explanation, every report label and
every CLI and watch message is rendered in both languages and checked against a small
list of words that only the other language uses.  Allowed: proper nouns (Norm
Voorkeursformaten, Content Credentials), codes, file formats, commands and config
snippets (quoted with '…'), and engine texts quoted as a technical detail (“…”).
"""

from __future__ import annotations

import re
import string

import pytest

from mediaaudit import codes
from mediaaudit.cli import common
from mediaaudit.watch import messages
from mediaaudit.writers.labels import LABELS

# Words that give the other language away: frequent function words and the words of the
# bugs this test was written for ("default severity", "version", "(error)", "reloaded").
# ("was" is a Dutch word too: "de upload was misschien niet compleet").
ENGLISH = {"the", "and", "with", "without", "file", "files", "this", "that", "which",
           "were", "has", "have", "cannot", "could", "found", "only", "every", "when", "from",
           "its", "it", "for", "to", "be", "been", "are", "not", "no", "none", "error",
           "warning", "default", "severity", "reloaded", "version", "passed", "failed",
           "does", "there", "must", "your", "you", "again", "after", "before", "ends",
           "missing", "changed", "added", "unchanged", "folder", "hint", "pass", "fail",
           "actions", "written"}
DUTCH = {"het", "de", "een", "en", "niet", "van", "zonder", "bestand", "bestanden",
         "geen", "wordt", "voor", "dat", "naar", "bij", "ook", "alleen", "maar", "zijn", "kan",
         "deze", "dit", "te", "om", "als", "er", "fout", "waarschuwing", "versie",
         "goedgekeurd", "afgekeurd", "standaard", "ernst", "map", "houdt", "tip"}
FOREIGN = {"nl": ENGLISH, "en": DUTCH}
# Proper nouns and names that are the same in both languages.
ALLOWED = {"nationaal", "archief", "norm", "voorkeursformaten", "content", "credentials",
           "public", "domain", "mark", "gemeente", "voorbeeld", "de", "vries"}


def foreign_words(text: str, lang: str) -> set[str]:
    """Words of the other language in ``text``, after removing what may stay as it is."""
    t = re.sub(r"“[^”]*”", " ", text)  # engine text, quoted as a technical detail
    t = re.sub(r"'[^']*'", " ", t)  # commands, config values, quoted terms
    t = re.sub(r"\[[^\]]*\]", " ", t)  # [policy], [[annotations]]
    t = re.sub(r"https?://\S+", " ", t)
    t = re.sub(r"\S*[-_./=~$@]\S*", " ", t)  # file names, options, codes, key = value
    words = {w.lower() for w in re.findall(r"[A-Za-zÀ-ÿ]+", t)}
    return (words & FOREIGN[lang]) - ALLOWED


def sample(template: str) -> dict[str, str]:
    """Neutral values for a template's fields (numbers and codes are in both languages)."""
    return {f: "42" for _, f, _, _ in string.Formatter().parse(template) if f}


def texts(lang: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for c in codes.CODES.values():
        msg = c.message[lang]
        out.append((f"{c.code} message", codes.render(c.code, sample(msg), lang)))
        out.append((f"{c.code} explanation", codes.explain(c.code, lang)))
        for head, _body in codes.explain_parts(c.code, lang):
            out.append((f"{c.code} explain heading", head))
    for r in codes.REASONS.values():
        args = sample(r.en)
        out.append((f"reason {r.code}", codes.localise(r.en.format(**args), lang)))
    out += [(f"label {k}", v) for k, v in LABELS[lang].items()]
    for key, by_lang in common.TEXT.items():
        out.append((f"cli {key}", by_lang[lang].format_map(_Any())))
    out += [(f"severity {k}", v) for k, v in common.SEVERITY[lang].items()]
    for key, by_lang in messages.TEXT.items():  # the watch service's own lines, one table
        out.append((f"watch {key}", by_lang.get(lang, "").format_map(_Any())))
    return out


class _Any(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "42"


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_words_of_the_other_language(lang: str) -> None:
    bad = [(where, sorted(w), text) for where, text in texts(lang)
           if (w := foreign_words(text, lang))]
    assert bad == []


def test_the_checker_catches_the_old_mixed_texts() -> None:
    assert foreign_words("Het bestand is beschadigd: JPEG has no end-of-image marker", "nl")
    assert foreign_words("Norm Voorkeursformaten (nvf-2024, version 2024)", "nl")
    assert foreign_words("MA-FMT-001 (error): staat niet in de norm", "nl")
    assert foreign_words("MA-FMT-001 (damaged) — default severity: fout", "nl")
    assert foreign_words("RELOAD - configuration and profile reloaded", "nl")
    assert foreign_words("The file is damaged: het bestand is kapot", "en")


def test_structural_reasons_are_translated_and_others_quoted() -> None:
    text = codes.render("MA-IO-004", {"reason": codes.reason(
        "box-claims", fmt="MP4", name="moov", claimed="2,650", left="2,649")}, "nl")
    assert text == ("Het bestand is beschadigd of afgebroken: MP4-box moov zou 2.650 bytes "
                    "bevatten, maar het bestand houdt op na 2.649.")
    assert codes.render("MA-IO-004", {"reason": codes.reason(
        "box-claims", fmt="MP4", name="moov", claimed="2,650", left="2,649")}, "en") == (
        "The file is damaged or truncated: MP4 box moov claims 2,650 bytes, but the file "
        "ends after 2,649.")
    # the longer template wins over its prefix
    cut = codes.reason("jpeg-no-eoi-data", at="1,234")
    assert codes.reason_code(cut) == "jpeg-no-eoi-data"
    assert "midden in de beeldgegevens" in codes.localise(cut, "nl")
    odd = codes.render("MA-IO-004", {"reason": "decode: broken data stream"}, "nl")
    assert "technische melding: “decode: broken data stream”" in odd
    assert not foreign_words(odd, "nl")
    for r in codes.REASONS.values():  # every reason is recognised again from its text
        assert codes.reason_code(r.en.format(**sample(r.en))) == r.code


def test_a_truncated_jpeg_is_reported_in_dutch(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    from conftest import run_cli

    Image.new("RGB", (64, 64), (200, 10, 10)).save(tmp_path / "a.jpg", quality=90)
    data = (tmp_path / "a.jpg").read_bytes()
    (tmp_path / "a.jpg").write_bytes(data[: len(data) * 2 // 3])
    run = run_cli("scan", str(tmp_path / "a.jpg"), "--lang", "nl", "--no-cache", "-j", "1")
    assert run.manifest is not None
    msgs = [x["message"] for x in run.manifest["files"][0]["findings"]
            if x["code"] == "MA-IO-004"]
    assert msgs and all(not foreign_words(m, "nl") for m in msgs), msgs


def test_csv_severity_words_follow_the_language() -> None:
    from mediaaudit.writers.csv_writer import render_csv, write_csv

    entry = {"path": "a.jpg", "outcome": "fail", "findings": [
        {"code": "MA-FMT-001", "severity": "error", "message": "x"},
        {"code": "MA-PRV-001", "severity": "warning", "message": "y"}]}
    import io

    buf = io.StringIO()
    write_csv({"lang": "nl", "files": [entry]}, buf)
    assert "MA-FMT-001 (fout): x | MA-PRV-001 (waarschuwing): y" in buf.getvalue()
    assert "MA-FMT-001 (error): x" in render_csv([entry])


def test_explain_is_dutch_with_nl() -> None:
    from conftest import run_cli

    out = run_cli("explain", "MA-IO-004", "--lang", "nl").stdout
    assert "standaard ernst: fout" in out and not foreign_words(out, "nl")
    out = run_cli("explain", "MA-IO-004", "--lang", "en").stdout
    assert "default severity: error" in out and not foreign_words(out, "en")
