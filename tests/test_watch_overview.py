"""watch's daily overview pages: each file's preview (made once, for the report beside
the file, and kept with the day's index, so the page rebuilt for every routed file
decodes nothing again), and one overview per day and folder whatever the language."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from PIL import Image

from mediaaudit.watch.results import DAYS, overview_name
from test_watch_isolation import watch_once
from test_watch_reports import drop_with

THUMB = '<img class="thumb" alt="" src="data:image/'


def _cards(page: Path) -> dict[str, str]:
    """File name → its card on an overview page."""
    out = {}
    for card in re.findall(r'<article class="card.*?</article>', page.read_text(
            encoding="utf-8"), re.S):
        name = re.search(r'<h3 class="name">(.*?)</h3>', card)
        assert name
        out[name.group(1).replace("<wbr>", "").rsplit("/", 1)[-1]] = card
    return out


def test_overview_shows_previews_kept_from_each_files_report(tmp_path: Path) -> None:
    drop, out = drop_with(tmp_path), tmp_path / "out"
    assert watch_once(drop, out, "--lang", "nl").returncode == 0
    day = dt.date.today().isoformat()
    approved, rejected = out / "approved", out / "rejected"
    assert THUMB in _cards(approved / overview_name(day, "nl"))["goed.png"]
    assert THUMB in _cards(rejected / overview_name(day, "nl"))["foto.png"]

    # A file more, the next run: the first file's preview is not made again (making it
    # now would crash its worker: the preview seam), yet the rebuilt page still shows it.
    (drop / "open").mkdir(exist_ok=True)  # watch removed it when it was emptied
    Image.new("RGB", (16, 16), (10, 10, 200)).save(drop / "open" / "blauw.png")
    run = _watch(drop, out, preview_fault="crash:goed.png")
    assert run.returncode == 0, run.stderr
    cards = _cards(approved / overview_name(day, "nl"))
    assert set(cards) == {"goed.png", "blauw.png"}
    assert all(THUMB in card for card in cards.values()), cards
    index = drop / ".mediaaudit" / "manifests" / DAYS / f"{day}.jsonl"
    rows = [json.loads(line) for line in index.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3  # one line, with its preview, per routed file
    assert all(str(r["preview"]).startswith("data:image/jpeg;base64,") for r in rows)


def _watch(drop: Path, out: Path, preview_fault: str) -> subprocess.CompletedProcess[str]:
    """``watch --once`` (as ``watch_once``) with the preview seam set."""
    cmd = [sys.executable, "-m", "mediaaudit", "watch", str(drop), "--once", "--settle", "0",
           "--approved", str(out / "approved"), "--rejected", str(out / "rejected"),
           "--json-log", "--lang", "nl"]
    env = {**os.environ, "MEDIAAUDIT_TEST_PREVIEW_FAULT": preview_fault}
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, env=env)


def test_one_overview_per_day_whatever_the_language(tmp_path: Path) -> None:
    drop, out = drop_with(tmp_path), tmp_path / "out"
    assert watch_once(drop, out, "--lang", "nl").returncode == 0
    day = dt.date.today().isoformat()
    approved = out / "approved"
    assert (approved / overview_name(day, "nl")).is_file()
    yesterday = approved / overview_name("2020-01-01", "nl")  # an earlier day stays
    yesterday.write_bytes((approved / overview_name(day, "nl")).read_bytes())

    (drop / "open").mkdir(exist_ok=True)  # watch removed it when it was emptied
    Image.new("RGB", (16, 16), (10, 10, 200)).save(drop / "open" / "blauw.png")
    assert watch_once(drop, out, "--lang", "en").returncode == 0
    pages = {p.name for p in approved.glob("*.mediaaudit.html")
             if p.name.startswith(("overzicht-", "overview-"))}
    assert pages == {overview_name("2020-01-01", "nl"), overview_name(day, "en")}
    assert set(_cards(approved / overview_name(day, "en"))) == {"goed.png", "blauw.png"}
    assert '<html lang="en"' in (approved / overview_name(day, "en")).read_text(
        encoding="utf-8")


def test_a_users_file_with_an_overviews_name_is_left_alone(tmp_path: Path) -> None:
    drop, out = drop_with(tmp_path), tmp_path / "out"
    day = dt.date.today().isoformat()
    approved = out / "approved"
    approved.mkdir(parents=True)
    own = approved / overview_name(day, "nl")
    own.write_text("<p>mijn eigen aantekeningen</p>", encoding="utf-8")
    assert watch_once(drop, out, "--lang", "en").returncode == 0
    assert own.read_text(encoding="utf-8") == "<p>mijn eigen aantekeningen</p>"
    assert (approved / overview_name(day, "en")).is_file()
