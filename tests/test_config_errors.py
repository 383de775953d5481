"""A configuration with several mistakes is reported whole, in one run: every wrong or
missing key on its own line (where, what is wrong, what would be right), in the run's
language, exit 2, for ``scan``, ``watch``, ``fix`` and ``archive``.

Before, validation stopped at the first problem: a records manager needed three runs of
``archive`` to learn that waardering, bewaartermijn and contact were missing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mediaaudit.archive.records import missing, needs, require
from mediaaudit.config import load_policy
from mediaaudit.configerrors import PolicyError, Wrong
from mediaaudit.policy import build_policy

from conftest import run_cli

SAMPLES = Path(__file__).resolve().parent.parent / "sample_media"

# Three mistakes, one in each of three tables.
THREE_WRONG = """\
[policy]
organisatie = "Gemeente Voorbeeld"

[severity]
"MA-PRV-001" = "fatal"

[archive]
bewaartermijn = "10 jaar"
"""


@pytest.fixture()
def upload(tmp_path: Path) -> Path:
    """A delivery of two real sample files with a config that has three mistakes."""
    d = tmp_path / "upload"
    d.mkdir()
    for name in ("stadhuis.png", "campagne.jpg", "campagne.jpg.license"):
        shutil.copy(SAMPLES / name, d / name)
    (d / "mediaaudit.toml").write_text(THREE_WRONG, encoding="utf-8")
    return d


def _problem_lines(stderr: str, count: int) -> list[str]:
    lines = stderr.splitlines()
    assert len(lines) == count + 1, stderr
    return lines[1:]


def test_scan_names_all_three_in_dutch(upload: Path) -> None:
    r = run_cli("scan", str(upload), "--lang", "nl", "--no-cache", "-q")
    assert r.exit_code == 2 and r.stdout == ""
    head, *_ = r.stderr.splitlines()
    assert str(upload / "mediaaudit.toml") in head and "3 problemen in de configuratie" in head
    assert _problem_lines(r.stderr, 3) == [
        "  [policy]: onbekende sleutel 'organisatie'; bedoel je 'organisation'?",
        "  [severity] MA-PRV-001: moet een van error, warning, info, ignore zijn, niet "
        "'fatal'",
        "  [archive] bewaartermijn: moet een ISO 8601-periode zijn zoals \"P10Y\" (10 jaar) "
        "of \"P6M\" (6 maanden), niet '10 jaar'",
    ]


def test_scan_names_all_three_in_english(upload: Path) -> None:
    r = run_cli("scan", str(upload), "--lang", "en", "--no-cache", "-q")
    assert r.exit_code == 2
    assert "3 problems in the configuration" in r.stderr.splitlines()[0]
    lines = _problem_lines(r.stderr, 3)
    assert "[policy]: unknown key 'organisatie'; did you mean 'organisation'?" in lines[0]
    assert "[severity] MA-PRV-001: must be one of error, warning, info, ignore, got " \
           "'fatal'" in lines[1]
    assert "[archive] bewaartermijn: must be an ISO 8601 period" in lines[2]


def test_fix_names_all_three(upload: Path, tmp_path: Path) -> None:
    r = run_cli("fix", str(upload), "--out", str(tmp_path / "out"), "--lang", "nl")
    assert r.exit_code == 2
    assert len(_problem_lines(r.stderr, 3)) == 3 and "bedoel je 'organisation'" in r.stderr


def test_watch_names_all_three(upload: Path) -> None:
    r = run_cli("watch", str(upload), "--once", "--lang", "nl")
    assert r.exit_code == 2
    lines = _problem_lines(r.stderr, 3)
    assert "onbekende sleutel 'organisatie'" in lines[0] and "'fatal'" in lines[1]


def test_one_problem_is_still_one_line(upload: Path) -> None:
    (upload / "mediaaudit.toml").write_text('[watch]\nfix = "ja"\n', encoding="utf-8")
    r = run_cli("scan", str(upload), "--lang", "nl", "--no-cache", "-q")
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("mediaaudit: ")
    assert lines[0].endswith(f"{upload / 'mediaaudit.toml'}: [watch] fix: moet true of false "
                             "zijn, niet 'ja'")


@pytest.fixture()
def scanned(upload: Path) -> Path:
    """The upload scanned with a valid config, from its parent folder."""
    (upload / "mediaaudit.toml").write_text('[policy]\norganisation = "Gemeente Voorbeeld"\n',
                                            encoding="utf-8")
    r = run_cli("scan", "upload", "-o", "m.json", "--no-cache", "-q", cwd=upload.parent)
    assert r.exit_code in (0, 1), r.stderr
    return upload.parent


def test_archive_names_every_missing_setting_in_one_run(scanned: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """The issue's three runs (waardering, then bewaartermijn, then contact) in one, in
    the user's language."""
    monkeypatch.setenv("LC_ALL", "nl_NL.UTF-8")
    r = run_cli("archive", "m.json", "--out", "bag", cwd=scanned)
    assert r.exit_code == 2
    assert _problem_lines(r.stderr, 3) == [
        "  [archive] waardering ontbreekt: voeg waardering = \"V\" (tijdelijk te bewaren) of "
        "\"B\" (blijvend te bewaren) toe",
        "  [archive] bewaartermijn ontbreekt: voeg bewaartermijn = \"P10Y\" toe (de "
        "bewaartermijn uit je selectielijst, ISO 8601; niet nodig bij waardering \"B\")",
        "  [archive] contact ontbreekt: voeg contact_name en/of contact_email toe (komt in "
        "bag-info.txt)",
    ]
    assert not (scanned / "bag").exists()


def test_archive_names_file_mistakes_and_missing_settings_together(
        scanned: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A wrong value is named once (as wrong, not also as missing); a mistake elsewhere
    in the file comes with the missing settings."""
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    (scanned / "upload" / "mediaaudit.toml").write_text(
        '[policy]\norganisation = "Gemeente Voorbeeld"\nprivacy = "warn"\n\n'
        '[archive]\nwaardering = "V"\nbewaartermijn = "tien jaar"\n', encoding="utf-8")
    r = run_cli("archive", "m.json", "--out", "bag", cwd=scanned)
    assert r.exit_code == 2
    lines = _problem_lines(r.stderr, 3)
    assert "[policy] privacy: must be one of" in lines[0] and "did you mean 'warning'" in lines[0]
    assert "[archive] bewaartermijn: must be an ISO 8601 period" in lines[1]
    assert "[archive] contact is missing" in lines[2]
    assert "bewaartermijn is missing" not in r.stderr


def test_archive_without_any_config_points_to_init(scanned: Path) -> None:
    (scanned / "upload" / "mediaaudit.toml").unlink()
    r = run_cli("archive", "m.json", "--out", "bag", cwd=scanned)
    assert r.exit_code == 2
    head = r.stderr.splitlines()[0]
    assert "no mediaaudit.toml found in upload" in head and "'mediaaudit init'" in head
    assert len(_problem_lines(r.stderr, 4)) == 4


# --- pure ---------------------------------------------------------------------------


def test_every_table_is_checked_before_raising() -> None:
    doc = {"polcy": {}, "policy": {"organisation": 5, "privacy": "warn"},
           "severity": {"MA-NOPE": "error"},
           "annotations": [{"pth": "*"}, {"path": "*", "holder": 3}],
           "archive": {"waardering": "X", "contact_email": "nobody"},
           "watch": {"fix": "yes"}}
    with pytest.raises(PolicyError) as err:
        build_policy(doc, select=("MA-ZZZ",))
    kinds = [p.wrong for p in err.value.problems]
    assert kinds == [Wrong.UNKNOWN_TABLE, Wrong.LEVEL, Wrong.NO_CODE, Wrong.UNKNOWN_KEY,
                     Wrong.NEEDS_PATH, Wrong.NOT_STRING, Wrong.WAARDERING, Wrong.EMAIL,
                     Wrong.NO_CODE, Wrong.STRINGS, Wrong.BOOLEAN]
    en, nl = err.value.lines("en"), err.value.lines("nl")
    assert len(en) == len(nl) == 11 and en != nl
    assert "--select: 'MA-ZZZ' matches no finding code" in en[8]
    # str() is one line (a watch log line when a reload fails), naming every problem
    assert str(err.value) == err.value.one_line("en") == " | ".join(en)
    assert err.value.text("nl").count("\n") == 11


def test_require_lists_all_missing_settings() -> None:
    with pytest.raises(PolicyError) as err:
        require(build_policy({}).archive)
    assert [p.wrong for p in err.value.problems] == [
        Wrong.MISSING_ARCHIEFVORMER, Wrong.MISSING_WAARDERING, Wrong.MISSING_BEWAARTERMIJN,
        Wrong.MISSING_CONTACT]
    assert not missing(build_policy({"archive": {"archiefvormer": "X", "waardering": "B",
                                                 "contact_name": "Y"}}).archive)


def test_load_policy_with_requirement(tmp_path: Path) -> None:
    cfg = tmp_path / "mediaaudit.toml"
    cfg.write_text('[archive]\nwaardering = "B"\n', encoding="utf-8")
    assert load_policy(str(cfg), []).archive.waardering == ("B", "Blijvend te bewaren")
    with pytest.raises(PolicyError) as err:
        load_policy(str(cfg), [], require=needs)
    assert err.value.source == str(cfg)
    assert [p.wrong for p in err.value.problems] == [Wrong.MISSING_ARCHIEFVORMER,
                                                     Wrong.MISSING_CONTACT]
