"""The one bilingual lookup (``mediaaudit.texts``): a table is checked when its module
loads, and every table of words the project has passes the same check."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

import mediaaudit
from mediaaudit.archive import texts as archive_texts
from mediaaudit.cli import common
from mediaaudit.fix import texts as fix_texts
from mediaaudit.texts import LANGS, Phrase, Texts, TextTableError, placeholders, problems, say
from mediaaudit.watch import messages
from mediaaudit.writers import labels


def _error(rows: Mapping[str, Mapping[str, str]], **kw: Any) -> str:
    with pytest.raises(TextTableError) as err:
        Texts("t", rows, **kw)
    return str(err.value)


# --- the check --------------------------------------------------------------------------
def test_a_dutch_text_without_a_placeholder_the_english_one_fills_is_refused() -> None:
    msg = _error({"ok": {"nl": "klaar", "en": "done"},
                  "written": {"nl": "geschreven naar", "en": "written to {path}"}})
    assert msg == "t['written']: the 'nl' text lacks {path} that the 'en' text fills"


def test_a_placeholder_only_one_language_fills_is_refused_either_way() -> None:
    msg = _error({"gone": {"nl": "{path} is weg ({why})", "en": "{path} is gone"}})
    assert msg == "t['gone']: the 'en' text lacks {why} that the 'nl' text fills"
    # a conversion or a format spec is the same placeholder
    assert _error({"r": {"nl": "{root!r} en {n:>3}", "en": "{root}"}}) == \
        "t['r']: the 'en' text lacks {n} that the 'nl' text fills"
    assert placeholders("{root!r} {{literal}} {n:>3} {a.b} {c[0]}") == {"root", "n", "a", "c"}


def test_a_missing_language_is_refused() -> None:
    assert _error({"ok": {"en": "done"}}) == "t['ok']: no 'nl' text"
    assert _error({"ok": {"nl": "klaar"}}) == "t['ok']: no 'en' text"
    assert _error({"ok": {"nl": "klaar", "en": "done", "de": "fertig"}}) == \
        "t['ok']: unknown language 'de'"


def test_a_label_written_in_one_language_only_is_refused() -> None:
    """As the report labels are written: one language at a time.  The English
    'banner_act_one' once had no Dutch twin."""
    with pytest.raises(TextTableError, match=r"t\['banner_act_one'\]: no 'nl' text"):
        Texts.by_language("t", {"nl": {"banner_act": "bij {k}"},
                                "en": {"banner_act": "{k} need", "banner_act_one": "{k} needs"}})


def test_the_keys_must_be_those_of_the_key_type() -> None:
    rows = {"a": {"nl": "a", "en": "a"}, "b": {"nl": "b", "en": "b"}}
    assert _error(rows, keys_of_type=("a", "b", "c")) == "t: no text for the keys ['c']"
    assert _error(rows, keys_of_type=("a",)) == "t: keys its key type does not name: ['b']"
    assert len(Texts("t", rows, keys_of_type=("b", "a"))) == 2


def test_every_problem_of_a_table_is_told_at_once() -> None:
    msg = _error({"a": {"nl": "{x}", "en": "{y}"}, "b": {"en": "b"}})
    assert msg.splitlines() == ["t['a']: the 'nl' text lacks {y} that the 'en' text fills",
                                "t['a']: the 'en' text lacks {x} that the 'nl' text fills",
                                "t['b']: no 'nl' text"]


def test_a_broken_table_stops_its_module_from_loading(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The check runs on import: a module whose Dutch sentence lost a placeholder never
    loads, so no command can say it to a user."""
    (tmp_path / "broken_words.py").write_text(
        "from mediaaudit.texts import Texts\n"
        "TEXT = Texts('broken_words.TEXT', {\n"
        "    'exists': {'nl': 'bestaat al; niet overschreven',\n"
        "               'en': '{path} exists; not overwritten'}})\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(TextTableError, match=r"the 'nl' text lacks \{path\}"):
        importlib.import_module("broken_words")
    assert "broken_words" not in sys.modules


def test_a_real_table_that_lost_a_dutch_placeholder_is_caught() -> None:
    """The check on the project's own rows: drop '{path}' from one Dutch CLI text."""
    rows = {k: dict(v) for k, v in common.TEXT.items()}
    rows["no_path"]["nl"] = "pad bestaat niet"
    with pytest.raises(TextTableError, match=r"\['no_path'\]: the 'nl' text lacks \{path\}"):
        Texts("cli.common.TEXT", rows)


def test_a_table_cannot_be_changed_after_its_check() -> None:
    with pytest.raises(TypeError):
        common.TEXT["no_path"]["nl"] = "{file}"
    with pytest.raises(TypeError):
        common.TEXT.rows["new"] = {"nl": "x", "en": "x"}


# --- the lookup -------------------------------------------------------------------------
_T: Texts[str] = Texts("t", {
    "gone": {"nl": "{path} is weg: {why}", "en": "{path} is gone: {why}"},
    "why": {"nl": "duurde langer dan {seconds} s", "en": "took longer than {seconds} s"},
    "n": {"nl": "{n} bestanden", "en": "{n} files"},
    "n_one": {"nl": "{n} bestand", "en": "{n} file"},
})


class _Said(Phrase[str]):
    TABLE = _T


def test_say_in_each_language_and_english_for_a_language_no_table_has() -> None:
    assert say(_T, "n", "nl", n=3) == "3 bestanden"
    assert say(_T, "n", "en", n=3) == "3 files"
    assert say(_T, "n", "x", n=3) == "3 files"  # a crafted manifest's lang


def test_a_phrase_among_the_parameters_is_said_in_the_same_language() -> None:
    late = _Said("why", {"seconds": "0.5"})
    assert say(_T, "gone", "nl", path="a.jpg", why=late) == \
        "a.jpg is weg: duurde langer dan 0,5 s"
    assert say(_T, "gone", "en", path="a.jpg", why=late) == \
        "a.jpg is gone: took longer than 0.5 s"
    assert late.render("nl") == "duurde langer dan 0,5 s"
    assert say(_T, "why", "nl", seconds=2.5) == "duurde langer dan 2.5 s"  # only typed text


def test_singular_is_the_one_form_where_the_table_has_it() -> None:
    assert _T.singular("n") == "n_one"
    assert _T.singular("gone") == "gone"
    assert common.text("set_organisation", "en", n=1, files=1).startswith("hint: the file ")
    assert fix_texts.count(1, "n_derivatives", "nl") == "1 afgeleide"
    assert fix_texts.count(5, "n_derivatives", "en") == "5 derivatives"
    assert common.summary_line({"files": 1, "pass": 1, "fail": 0, "error": 0}, "nl") == \
        "1 bestand: 1 goedgekeurd, 0 afgekeurd, 0 fout"


def test_the_five_lookups_go_through_the_one_table_type() -> None:
    assert common.text("no_path", "nl", path="x") == "pad bestaat niet: x"
    assert fix_texts.Why("exists", {"path": "x"}).render("nl") == \
        "x bestaat al; niet overschreven"
    assert archive_texts.words("more", n=2).render("en") == " (and 2 more)"
    assert messages.Log(json=False, lang="nl").text("paused", why="vol", every="2.5") \
        .endswith("elke 2,5 s opnieuw geprobeerd")
    assert labels.label("nl", "title") == "Controle media voor publicatie"
    assert labels.label("nl", "a value no table knows") == "a value no table knows"
    for table in (common.TEXT, fix_texts.TEXT, archive_texts.TEXT, messages.TEXT,
                  labels.LABEL_TEXT, labels.SKIP_REASONS, common.SEVERITY_TEXT):
        assert isinstance(table, Texts)


# --- every table of the project ---------------------------------------------------------
def _modules() -> Iterator[Any]:
    for info in pkgutil.walk_packages(mediaaudit.__path__, "mediaaudit."):
        if not info.name.endswith("__main__"):  # runs the command line
            yield importlib.import_module(info.name)


def _is_text(v: object) -> bool:
    return isinstance(v, Mapping) and bool(v) and all(isinstance(t, str) for t in v.values())


def _tables() -> Iterator[tuple[str, Mapping[str, Mapping[str, str]]]]:
    """Every table of words a module of the project holds: a ``Texts``; a dict of
    ``{key: {lang: text}}`` rows, at least one of them bilingual (a Dutch-only table of
    translations, whose English is its key, is not one); and a dict by language
    (``{lang: {key: text}}`` or ``{lang: text}``), turned key by key."""
    for mod in _modules():
        for attr, v in vars(mod).items():
            name = f"{mod.__name__}.{attr}"
            if isinstance(v, Texts):
                yield name, v
            elif (isinstance(v, dict) and v and all(_is_text(r) and set(r) <= set(LANGS)
                                                     for r in v.values())
                  and any(set(r) == set(LANGS) for r in v.values())):
                yield name, {str(k): r for k, r in v.items()}
            elif isinstance(v, dict) and set(v) == set(LANGS):
                if all(isinstance(t, str) for t in v.values()):
                    yield name, {"text": v}
                elif all(_is_text(t) for t in v.values()):
                    rows: dict[str, dict[str, str]] = {}
                    for lang, texts in v.items():
                        for key, words in texts.items():
                            rows.setdefault(key, {})[lang] = words
                    yield name, rows


def test_every_table_of_the_project_passes_the_check() -> None:
    tables = dict(_tables())
    for name in ("mediaaudit.cli.common.TEXT", "mediaaudit.fix.texts.TEXT",
                 "mediaaudit.archive.texts.TEXT", "mediaaudit.watch.messages.TEXT",
                 "mediaaudit.writers.labels.LABEL_TEXT", "mediaaudit.writers.labels.LABELS",
                 "mediaaudit.writers.labels.SKIP_REASONS", "mediaaudit.cli.init.TEXT",
                 "mediaaudit.configerrors.TEXT", "mediaaudit.manifestwords.MANIFEST_PROBLEMS"):
        assert name in tables  # the discovery finds the tables it is meant to
    assert [p for name, rows in tables.items() for p in problems(name, rows)] == []
