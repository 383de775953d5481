"""Issue 15, items 2-6: the HTML report as the poster and the archivist read it: the
banner in words, four states, one card per file with a preview and a checklist, a
sign-off tied to the JSON manifest, an archivist footer, and at most 3 A4 pages."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

from mediaaudit.manifestview import EntryView
from mediaaudit.writers.common import describe, failing_first
from mediaaudit.writers.html_writer import write_html

from conftest import have, run_cli

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("cards") / "audit"
    run = run_cli("scan", "sample_media", "-o", str(out), "--format", "json", "--format",
                  "html", "--lang", "en", cwd=ROOT)
    assert run.exit_code == 1
    return out.with_suffix(".json"), out.with_suffix(".html")


def _cards(html: str) -> dict[str, str]:
    """file name → the HTML of its card."""
    out = {}
    for card in re.findall(r'<article class="card.*?</article>', html, re.S):
        name = re.search(r'<h3 class="name">(.*?)</h3>', card)
        assert name
        out[name.group(1).replace("<wbr>", "").rsplit("/", 1)[-1]] = card
    return out


def test_banner_says_it_in_words_and_counts_four_states(report: tuple[Path, Path]) -> None:
    html = report[1].read_text(encoding="utf-8")
    assert ("8 of 15 files may be posted; 6 of them need an action when posting. "
            "7 failed.") in html
    for text in ("Passed: 2", "Passed with actions: 6", "Failed: 7", "Could not be checked: 0"):
        assert text in html, text


def test_one_card_per_file_in_state_order(report: tuple[Path, Path]) -> None:
    m = json.loads(report[0].read_text(encoding="utf-8"))
    html = report[1].read_text(encoding="utf-8")
    cards = _cards(html)
    assert len(cards) == len(m["files"]) == 15
    assert "<table><thead><tr><th>Preview" not in html  # the wide table is gone
    states = [re.search(r'class="card s-(\w+)"', c).group(1)  # type: ignore[union-attr]
              for c in re.findall(r'<article class="card s-\w+"', html)]
    assert states == sorted(states, key=["error", "fail", "pass_actions", "pass"].index)
    for name, card in cards.items():
        entry = next(f for f in m["files"] if f["path"].endswith("/" + name))
        state = EntryView.of(entry).state
        assert f"s-{state}" in card
        if state == "pass_actions":  # a checklist on every passed-with-actions card
            assert card.count("<li>") >= len(entry["actions"]) and 'class="todo"' in card
        if state == "fail":  # the findings that explain the failure, with how to fix
            assert 'class="why"' in card and "How to fix:" in card
        infos = [x for x in entry["findings"] if x["severity"] == "info"]
        if infos:  # info notes: one quiet folded line
            assert card.count("<details") == 1 and "<details open" not in card
    stad = cards["stadhuis.png"]
    assert ('<span class="paste">© Anna de Vries, CC BY 4.0 '
            '(https://creativecommons.org/licenses/by/4.0/)</span>') in stad
    assert "Colour gradient from pink to green (sample image)" in stad
    assert "Remove the location (GPS) before posting" in cards["markt-gps.jpg"]


def test_previews_for_video_heic_and_svg(report: tuple[Path, Path]) -> None:
    cards = _cards(report[1].read_text(encoding="utf-8"))
    for name in ("interview.mp4", "telefoon.mov", "archief.mkv", "IMG_4521.HEIC",
                 "stadhuis.png", "logo.svg", "animatie.gif"):
        assert '<img class="thumb" alt="" src="data:image/' in cards[name], name
    assert "no preview" in cards["notities.txt"] and "no preview" in cards["leeg.jpg"]
    assert "MP4 video, H.264 + AAC, 0:01, 64×48" in cards["interview.mp4"]
    assert "QuickTime (MOV) video, H.264 + AAC" in cards["telefoon.mov"]
    assert "HEIC image, 96×72" in cards["IMG_4521.HEIC"]
    # PUID and MIME stay, small, for the archivist
    assert '<span class="arch">fmt/199 · video/mp4</span>' in cards["interview.mp4"]


def test_describe_in_plain_words() -> None:
    video = {"size": 10, "format": {"mime": "video/mp4"},
             "media": {"kind": "video", "width": 1920, "height": 1080, "duration_ms": 42_300,
                       "container": "MPEG-4", "tracks": [{"kind": "video", "format": "AVC"},
                                                         {"kind": "audio", "format": "AAC"}]}}
    assert describe(EntryView.of(video), "en") == "MP4 video, H.264 + AAC, 0:42, 1920×1080"
    assert describe(EntryView.of(video), "nl") == "MP4-video, H.264 + AAC, 0:42, 1920×1080"
    gif = {"size": 5, "format": {"mime": "image/gif"},
           "media": {"kind": "image", "width": 32, "height": 24, "frames": 3}}
    assert describe(EntryView.of(gif), "en") == "GIF image, 32×24, 3 frames"
    assert describe(EntryView.of({"size": 0}), "en") == "empty file"


def test_sign_off_is_tied_to_the_json_manifest(report: tuple[Path, Path]) -> None:
    html = report[1].read_text(encoding="utf-8")
    digest = hashlib.sha256(report[0].read_bytes()).hexdigest()
    assert f'<span class="hash" id="manifest-sha256">{digest}</span>' in html
    sign = html[html.index('id="signoff"'):html.index('id="archivist"')]
    for word in ("Reviewer", "Date", "Decision", "post after the actions", "do not post"):
        assert word in sign


def test_archivist_footer(report: tuple[Path, Path]) -> None:
    m = json.loads(report[0].read_text(encoding="utf-8"))
    html = report[1].read_text(encoding="utf-8")
    foot = html[html.index('id="archivist"'):]
    assert m["profile"]["sha256"] in foot
    for engine in ("siegfried", "pronom", "mediainfo", "libmagic"):
        assert f"{engine} {m['engines'][engine]}" in foot, engine
    assert "Gemeente Voorbeeld" in foot and "mediaaudit.toml" in foot
    for f in m["files"]:
        if f["sha256"]:
            assert f["sha256"] in foot, f["path"]


def _entry(outcome: str, **extra: Any) -> dict[str, Any]:
    return {"path": f"{outcome}.jpg", "size": 1, "sha256": None, "outcome": outcome,
            "findings": [], "actions": [], **extra}


def test_could_not_be_checked_and_hostile_actions_are_escaped() -> None:
    evil = "<img src=x onerror=alert(1)>"
    files = [_entry("pass", actions=[{"code": "credit", "text": "x",
                                      "params": {"credit": evil}}]),
             _entry("error", findings=[{"code": "MA-IO-002", "severity": "error",
                                        "message": "Cannot read the file."}]),
             _entry("fail"), _entry("pass")]
    out = io.StringIO()
    write_html({"lang": "en", "files": files}, out)
    html = out.getvalue()
    assert "<script" not in html and evil not in html and "&lt;img src=x" in html
    assert "Could not be checked" in html and "s-error" in html
    assert "2 of 4 files may be posted; 1 of them needs an action when posting." in html
    assert [f.state for f in failing_first([EntryView.of(f) for f in files])] == [
        "error", "fail", "pass_actions", "pass"]
    nl = io.StringIO()
    write_html({"lang": "nl", "files": files}, nl)
    assert "2 van de 4 bestanden mogen geplaatst worden" in nl.getvalue()


def test_print_fits_three_a4_pages(report: tuple[Path, Path], tmp_path: Path) -> None:
    browser = have("chromium") or have("chromium-browser")
    if not browser:
        pytest.skip("chromium not installed")
    pdf = tmp_path / "r.pdf"
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu",
                    "--no-pdf-header-footer", f"--user-data-dir={tmp_path / 'profile'}",
                    f"--print-to-pdf={pdf}", report[1].as_uri()],
                   capture_output=True, timeout=120)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes()))
    assert 1 <= pages <= 3, pages
