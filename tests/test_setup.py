"""``scan``, ``fix`` and ``watch`` load their set-up in one place (``mediaaudit.setup``),
so a set-up that cannot be used is said the same way by all three: one line in the run's
language, exit status 2, and nothing audited, written or moved."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mediaaudit.engines import ENGINES_NAME
from mediaaudit.setup import load_rules, load_setup

from conftest import run_cli

SAMPLES = Path(__file__).resolve().parents[1] / "sample_media"

# name → (files to write beside the delivery folder, extra options, the line's start in nl/en)
MISTAKES = {
    "unknown profile": ({}, ["--profile", "geen-profiel"],
                        {"nl": "mediaaudit: fout: profiel 'geen-profiel' is geen ingebouwd",
                         "en": "mediaaudit: error: profile 'geen-profiel' is neither"}),
    "profile not a profile": ({"profiel.toml": "[format]\nid = 3\n"}, ["--profile", "profiel.toml"],
                              {"nl": "mediaaudit: fout: ", "en": "mediaaudit: error: "}),
    "config not TOML": ({"bad.toml": "dit = = geen toml\n"}, ["--config", "bad.toml"],
                        {"nl": "mediaaudit: fout: bad.toml: geen geldige TOML",
                         "en": "mediaaudit: error: bad.toml: not valid TOML"}),
    "found config with a typo": ({"levering/mediaaudit.toml": "[policy]\norganisatie = 'x'\n"},
                                 [], {"nl": "mediaaudit: fout: ", "en": "mediaaudit: error: "}),
}


def _delivery(tmp: Path, files: dict[str, str]) -> Path:
    folder = tmp / "levering"
    folder.mkdir()
    shutil.copy(SAMPLES / "campagne.jpg", folder / "campagne.jpg")
    shutil.copy(SAMPLES / "campagne.jpg.license", folder / "campagne.jpg.license")
    for name, content in files.items():
        (tmp / name).write_text(content, encoding="utf-8")
    return folder


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("mistake", list(MISTAKES))
def test_scan_fix_and_watch_say_a_setup_error_alike(tmp_path: Path, mistake: str,
                                                    lang: str) -> None:
    files, extra, start = MISTAKES[mistake]
    folder = _delivery(tmp_path, files)
    before = sorted(p.name for p in folder.iterdir())
    opts = [*extra, "--lang", lang]
    runs = {
        "scan": run_cli("scan", "levering", *opts, cwd=tmp_path),
        "fix": run_cli("fix", "levering", "--out", "uit", *opts, cwd=tmp_path),
        "watch": run_cli("watch", "levering", "--once", "--approved", "goed", "--rejected",
                         "fout", *opts, cwd=tmp_path),
    }
    lines = {name: run.stderr.splitlines() for name, run in runs.items()}
    for name, run in runs.items():
        assert run.exit_code == 2, (name, run.stderr)
        assert len(lines[name]) == 1, (name, run.stderr)
        assert lines[name][0].startswith(start[lang]), (name, lines[name])
        assert "Traceback" not in run.stderr and run.manifest is None
    assert lines["scan"] == lines["fix"] == lines["watch"]
    # nothing was converted or moved
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == before
    for out in ("uit", "goed", "fout"):
        assert not [p for p in (tmp_path / out).rglob("*") if p.is_file()], out


def test_setup_keeps_engines_beside_what_it_is_given(tmp_path: Path) -> None:
    """One set-up: the rules, the engines' versions remembered beside the cache (or
    watch's state), a cache only when asked for, and the manifest's header from them."""
    folder = _delivery(tmp_path, {})
    cache = tmp_path / "cache" / "facts.sqlite"
    setup = load_setup("nl", "nvf-2024", None, [str(folder)], engines_beside=str(cache),
                       cache_path=str(cache))
    assert setup.engines_file == str(tmp_path / "cache" / ENGINES_NAME)
    assert Path(setup.engines_file).is_file() and setup.engines.get("siegfried")
    opened = setup.open_cache()
    assert opened is not None and opened.path == str(cache)
    opened.close()
    bare = load_setup("en", "nvf-2024", None, [str(folder)], engines_beside=str(cache))
    assert bare.open_cache() is None and bare.engines == setup.engines
    head = setup.header([str(folder) + "/"])
    assert head["roots"] == [str(folder)] and head["lang"] == "nl"
    assert head["profile"]["id"] == "nvf-2024" and head["engines"] == dict(setup.engines)
    # watch's reload: other rules, the same engines and cache
    other = load_rules("nvf-2024", None, [str(folder)], ignore=("MA-PRV",))
    again = setup.with_rules(other)
    assert again.policy.ignore == ("MA-PRV",) and again.engines_file == setup.engines_file
