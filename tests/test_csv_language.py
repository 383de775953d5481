"""The CSV in the run's language: headers, values, separator and decimal sign as that
language's spreadsheets expect them, with formulas defused under every separator."""

from __future__ import annotations

import csv
import io

import pytest

from mediaaudit.writers.csv_writer import COLUMNS, HEADERS, is_own, number, render_csv

FORMULA = ("=", "+", "-", "@")
ENTRY = {"path": "a.jpg", "outcome": "pass", "size": 12,
         "nvf": {"status": "preferred"}, "rights": {"status": "open", "licence": "CC0-1.0"},
         "provenance": {"ai_generated": True},
         "accessibility": {"alt_text": [{"text": "Het plein", "lang": "x-default"},
                                        {"text": "The square", "lang": "en"}],
                           "captions": [{"source": "sidecar", "file": "a.vtt",
                                         "language": None},
                                        {"source": "embedded", "format": "SRT",
                                         "language": "nl"}]},
         "findings": [{"code": "MA-FMT-002", "severity": "info", "message": "x"}],
         "actions": [{"code": "credit", "text": "Plaats: © X"}]}


def _rows(text: str, sep: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=sep))


def test_dutch_headers_values_and_separator() -> None:
    rows = _rows(render_csv([ENTRY], "nl"), ";")
    assert rows[0] == list(HEADERS["nl"]) and len(rows[0]) == len(COLUMNS)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["uitslag"] == "goedgekeurd" and row["nvf_status"] == "voorkeur"
    assert row["rechtenstatus"] == "open licentie" and row["ai_gegenereerd"] == "ja"
    assert row["status"] == "Goedgekeurd, met acties" and row["actiecodes"] == "credit"
    assert row["alt_tekst"] == "Het plein | [en] The square"  # no [x-default]
    assert row["ondertiteling"] == "a.vtt (taal onbekend) | ingebouwd spoor SRT (nl)"
    assert row["bevindingen"] == "MA-FMT-002 (info): x"


def test_english_keeps_its_words_and_commas() -> None:
    rows = _rows(render_csv([ENTRY]), ",")
    assert tuple(rows[0]) == COLUMNS
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["outcome"], row["nvf_status"], row["ai_generated"]) == ("pass", "preferred",
                                                                       "yes")
    assert row["captions"] == "a.vtt (language unknown) | embedded track SRT (nl)"


def test_a_decimal_has_the_languages_sign() -> None:
    assert number(1.5, "nl") == "1,5" and number(1.5, "en") == "1.5"
    nl = _rows(render_csv([{**ENTRY, "size": 2.25}], "nl"), ";")
    assert nl[1][HEADERS["nl"].index("grootte")] == "2,25"


def test_either_header_is_recognised_as_our_own_output() -> None:
    for lang in ("nl", "en"):
        assert is_own(render_csv([], lang).lstrip("\ufeff").encode(), b"")
    assert not is_own(b"pad;naam;sha256\r\n", b"")


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", " =1", '"=1', "a;=1",
                                   "a,=1", "a; -1", "a\n=1", 'a;"" =1'])
def test_no_cell_of_the_dutch_csv_can_begin_a_formula(value: str) -> None:
    text = render_csv([{"path": value, "findings": [], "actions": [{"text": value}]}], "nl")
    for sep in (";", ","):
        for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_NONE):
            for r in list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=sep,
                                     quoting=quoting))[1:]:
                assert not any(c.lstrip(' "').startswith(FORMULA) for c in r), (r, value)
