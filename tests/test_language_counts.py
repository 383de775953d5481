"""A count is said in the singular for one, in the run's language, wherever it is
printed: faces in a photo (MA-PRT-001), the verdict of a report of one file, the
organisation hint, the watch's workers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from mediaaudit import codes
from mediaaudit.cli.common import text
from mediaaudit.manifestview import SummaryView
from mediaaudit.watch.messages import Log
from mediaaudit.writers.labels import verdict_text

from conftest import run_cli


def _faces(path: Path, n: int) -> Path:
    """A JPEG with ``n`` face regions (MWG), written by exiftool as a photo tool would."""
    Image.new("RGB", (40, 30), (9, 99, 200)).save(path)
    regions = ",".join("{Area={W=0.1,H=0.1,X=%.1f,Y=0.5,Unit=normalized},Type=Face}"
                       % (0.2 + 0.2 * i) for i in range(n))
    subprocess.run(["exiftool", "-q", "-overwrite_original",
                    "-XMP-dc:Rights=CC BY 4.0 Gemeente Voorbeeld",
                    "-XMP-mwg-rs:RegionInfo={AppliedToDimensions={W=40,H=30,Unit=pixel},"
                    f"RegionList=[{regions}]}}", str(path)], check=True)
    return path


@pytest.mark.skipif(shutil.which("exiftool") is None, reason="needs exiftool")
@pytest.mark.parametrize(("n", "nl", "en"), [(1, "1 gezicht", "1 face"),
                                             (2, "2 gezichten", "2 faces")])
def test_faces_are_counted_in_the_runs_language(tmp_path: Path, n: int, nl: str,
                                                en: str) -> None:
    photo = _faces(tmp_path / "groep.jpg", n)
    for lang, words in (("nl", nl), ("en", en)):
        run = run_cli("scan", str(photo), "--lang", lang, "--no-cache", "-j", "1")
        assert run.manifest is not None
        msg = next(x["message"] for x in run.manifest["files"][0]["findings"]
                   if x["code"] == "MA-PRT-001")
        assert f"({words})" in msg and "face(s)" not in msg, msg


def test_an_older_manifests_face_count_is_said_again() -> None:
    assert "(3 gezichten)" in codes.render("MA-PRT-001", {"people": "3 face(s)"}, "nl")
    assert "(Jan, Marie)" in codes.render("MA-PRT-001", {"people": "Jan, Marie"}, "nl")
    assert "(leeftijd van het model opgegeven)" in codes.render(
        "MA-PRT-001", {"people": "model age given"}, "nl")


def test_one_file_one_worker_one_hint() -> None:
    one = SummaryView(files=1, failed=1)
    assert verdict_text("nl", one) == "AFGEKEURD — het bestand mag niet geplaatst worden"
    assert verdict_text("en", one) == "REJECTED — the file may not be posted"
    two = SummaryView(files=2, passed=1, failed=1)
    assert verdict_text("nl", two) == "AFGEKEURD — niet alle bestanden mogen geplaatst worden"
    assert text("set_organisation", "nl", n=1, files=1).startswith(
        "tip: het bestand is afgekeurd")
    assert text("set_organisation", "nl", n=2, files=3).startswith(
        "tip: 2 van de 3 bestanden zijn afgekeurd")
    assert "je organisatie" in text("set_organisation", "nl", n=2, files=3)
    start = Log(False, "nl").start("/d", "once", "nvf-2024", None, (None, None), 1)
    assert start.endswith("; 1 werkproces") and "(sen)" not in start
    assert Log(False, "en").start("/d", "once", "p", None, (None, None), 2).endswith("2 workers")


def test_a_report_of_one_file_says_the_file(tmp_path: Path) -> None:
    shutil.copy(Path(__file__).parent.parent / "sample_media" / "persfoto.jpg", tmp_path)
    run = run_cli("scan", str(tmp_path / "persfoto.jpg"), "--lang", "nl", "--no-cache",
                  "--format", "md")
    assert "**AFGEKEURD — het bestand mag niet geplaatst worden**" in run.stdout
    assert "0 van 1 bestand mag geplaatst worden" in run.stdout


def test_the_watch_says_a_bad_config_and_its_poll_interval_in_its_language(
        tmp_path: Path) -> None:
    from mediaaudit.config import load_policy
    from mediaaudit.policy import PolicyError

    (tmp_path / "mediaaudit.toml").write_text('[polcy]\norganisation = "X"\n')
    with pytest.raises(PolicyError) as caught:
        load_policy(str(tmp_path / "mediaaudit.toml"), [str(tmp_path)])
    nl, en = Log(False, "nl"), Log(False, "en")
    assert "onbekende tabel of sleutel 'polcy'" in nl.why(caught.value)
    assert "polcy" in en.why(caught.value) and "onbekende" not in en.why(caught.value)
    assert nl.mode_text("poll every 0.5 s") == "kijkt elke 0,5 s"  # decimal comma
    assert en.mode_text("poll every 0.5 s") == "poll every 0.5 s"
    assert nl.mode_text("once") == "eenmalig"


def test_decimals_have_the_languages_sign() -> None:
    from mediaaudit.fix.texts import say
    from mediaaudit.writers.common import human_size

    assert human_size(3732, "nl") == "3,6 KB" and human_size(3732, "en") == "3.6 KB"
    assert say("timeout", "nl", seconds="0.5") == "duurde langer dan 0,5 s"
    assert say("timeout", "en", seconds="0.5") == "took longer than 0.5 s"
    assert "elke 2,5 s opnieuw" in Log(False, "nl").text("paused", why="x", every="2.5")


def test_a_cache_warning_is_in_the_runs_language(tmp_path: Path) -> None:
    shutil.copy(Path(__file__).parent.parent / "sample_media" / "logo.svg", tmp_path)
    for lang, words in (("nl", "mediaaudit: waarschuwing: cache "), ("en", "mediaaudit: "
                                                                          "warning: cache ")):
        cache = tmp_path / f"{lang}.sqlite"
        cache.write_bytes(b"this is not a database" * 100)
        run = run_cli("scan", str(tmp_path / "logo.svg"), "--cache", str(cache), "--lang", lang)
        line = next(x for x in run.stderr.splitlines() if "cache" in x)
        assert line.startswith(words), line
        assert {"nl": "opnieuw opgebouwd", "en": "rebuilt"}[lang] in line
