"""Issue 13, items 6, 7 and 10 for ``watch``: where each file went is in the audit log,
passes with something to do are told apart, start-up and stop are logged, an unwritable
results folder and a bad config on reload are one line each."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from test_watch import log_entries, start, stop, wait_for
from test_watch_isolation import CC0, tiny_png, watch_once

import fixtures_rights as fr

SAMPLES = Path(__file__).parents[1] / "sample_media"


def _json_lines(stderr: str) -> list[dict[str, object]]:
    return [json.loads(ln) for ln in stderr.splitlines() if ln.startswith("{")]


def test_audit_log_records_the_final_name(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    for i in range(2):  # the same name twice: the second becomes 'foto (1).png'
        tiny_png(drop / "foto.png", i)
        assert watch_once(drop, out).returncode == 0
    moved = [e["moved_to"] for e in log_entries(drop)]
    assert moved == [str(out / "approved" / "foto.png"), str(out / "approved" / "foto (1).png")]
    for e in log_entries(drop):  # each per-file manifest is a plain manifest entry
        m = json.loads(next((drop / ".mediaaudit" / "manifests").glob(
            f"foto.png.{str(e['sha256'])[:12]}.json")).read_text())
        assert "moved_to" not in m["files"][0] and "audited_at" not in m["files"][0]


def test_passes_with_actions_are_told_apart_and_start_and_stop_are_logged(
        tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    for name in ("stadhuis.png", "markt-gps.jpg", "logo.svg", "mediaaudit.toml"):
        shutil.copy(SAMPLES / name, drop / name)
    shutil.copytree(drop, tmp_path / "again")
    run = watch_once(drop, out)
    lines = _json_lines(run.stderr)
    assert lines[0]["outcome"] == "start" and lines[-1]["outcome"] == "stop"
    assert lines[0]["mode"] == "once" and lines[0]["policy"] == str(drop / "mediaaudit.toml")
    assert str(lines[0]["profile"]).startswith("nvf-2024")
    assert lines[-1]["pass"] == 3 and lines[-1]["skipped"] == 0
    by = {ln["path"]: ln for ln in lines if ln["outcome"] == "pass"}
    # the manifest's actions (evaluate/actions.py), the same list the reports show
    assert by["stadhuis.png"]["actions"] == ["credit", "paste_alt_text"]
    assert by["markt-gps.jpg"]["actions"] == ["remove_location"]  # strip the GPS position
    assert by["logo.svg"]["actions"] == []  # a clean pass
    assert "with actions: Paste this credit line" in str(by["stadhuis.png"]["detail"])
    text = subprocess.run(  # and in the text log
        [sys.executable, "-m", "mediaaudit", "watch", str(tmp_path / "again"), "--once",
         "--settle", "0", "--lang", "en"], capture_output=True, text=True, timeout=120).stderr
    assert any("PASS" in ln and "markt-gps.jpg" in ln and "with actions: Remove the location" in ln
               for ln in text.splitlines())
    assert "watching" in text.splitlines()[0] and "stopped" in text.splitlines()[-1]


def test_unwritable_manifest_dir_is_one_line_and_exit_2(tmp_path: Path) -> None:
    drop = tmp_path / "drop"
    drop.mkdir()
    tiny_png(drop / "a.png", 1)
    proc = subprocess.run(
        [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--once", "--settle", "0",
         "--manifest-dir", "/proc/mediaaudit-test/results"],
        capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "/proc/mediaaudit-test/results" in lines[0], proc.stderr
    assert (drop / "a.png").exists()


def test_bad_config_on_reload_keeps_the_old_settings(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    own = fr.xmp(fr.alt("dc:rights", "© Gemeente Voorbeeld"))
    (drop / "mediaaudit.toml").write_text('[policy]\norganisation = "Gemeente Voorbeeld"\n')
    proc = start(drop, out, ["--settle", "0.5"])
    try:
        time.sleep(1.0)
        fr.jpeg(drop / "a.jpg", own)
        wait_for(lambda: len(log_entries(drop)) == 1, 60)
        (drop / "mediaaudit.toml").write_text('[polcy]\norganisation = "Gemeente Voorbeeld"\n')
        proc.send_signal(signal.SIGHUP)
        time.sleep(3.0)  # let the SIGHUP reload finish before the next change (a loaded CI)
        (drop / "x.toml").write_text("[policy\n")
        os.replace(drop / "x.toml", drop / "mediaaudit.toml")  # noticed without SIGHUP
        time.sleep(3.0)
        fr.jpeg(drop / "b.jpg", own)
        wait_for(lambda: len(log_entries(drop)) == 2, 60)
    finally:
        err = stop(proc)
    assert {e["path"]: e["outcome"] for e in log_entries(drop)} == {"a.jpg": "pass",
                                                                     "b.jpg": "pass"}
    failed = [json.loads(ln) for ln in err.splitlines() if "reload failed" in ln]
    # One line per attempt, naming the problem.  The bad key may be reported twice: once
    # when the loop sees the file change, once more for the SIGHUP that follows it.
    problems = list(dict.fromkeys(str(f["detail"]) for f in failed))
    assert len(problems) == 2 and len(failed) <= 3, err
    assert "polcy" in problems[0] and "not valid TOML" in problems[1] and "Traceback" not in err


def test_watch_summary_lines_follow_the_language() -> None:
    from mediaaudit.watch.messages import Log

    nl = Log(False, "nl")
    start = nl.start("/drop", "inotify", "nvf-2024", None, ("/ok", "/nee"), 1)
    assert "bewaakt /drop" in start and "goedgekeurd → /ok" in start and "watching" not in start
    stop = nl.stop("/drop", {"pass": 2, "fail": 1, "error": 0, "skipped": 1})
    assert "gestopt: 3 gecontroleerd (2 goedgekeurd, 1 afgekeurd, 0 fout)" in stop
    line = nl.result({"outcome": "pass", "actions": [{"code": "credit", "text": "Plak"}]},
                     "a.jpg", None)
    assert "(met acties: Plak)" in line  # the action in words, not its code
    assert "stopped: 3 audited" in Log(False, "en").stop("/d", {"pass": 3})
