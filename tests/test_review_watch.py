"""Code review of previews and the watch service: previews made in a killable worker with
a time limit, a report step that cannot become a crash loop, an overview with previews,
sidecar stamps checked before routing, the fact cache used in watch, symlinked and
clashing sidecars never moved, and one table of watch texts."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from mediaaudit import cache as cache_mod
from mediaaudit import setup as setup_mod
from mediaaudit import thumbs
from mediaaudit.watch import messages, results, service
from mediaaudit.watch.results import overview_name
from mediaaudit.watch.route import RouteError, _copy_move, move_with_sidecars
from mediaaudit.watch.service import Options, Watcher
from mediaaudit.watch.state import State
from test_watch_isolation import CC0, tiny_png, watch_once
from test_watch_reports import drop_with

from conftest import run_cli

THUMB = '<img class="thumb"'


def _cards(html: str) -> dict[str, str]:
    out = {}
    for card in re.findall(r'<article class="card.*?</article>', html, re.S):
        name = re.search(r'<h3 class="name">(.*?)</h3>', card)
        assert name
        out[name.group(1).replace("<wbr>", "").rsplit("/", 1)[-1]] = card
    return out


# --- (a) previews in a killable worker process ------------------------------------------
def test_a_crashing_or_hanging_preview_leaves_the_report_with_no_preview(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "media"
    folder.mkdir()
    for i, name in enumerate(("goed.png", "crash.png", "hang.png")):
        tiny_png(folder / name, i + 1)
    monkeypatch.setenv("MEDIAAUDIT_TEST_PREVIEW_FAULT", "crash:crash.png,hang:hang.png")
    monkeypatch.setattr(thumbs, "PREVIEW_TIMEOUT", 2.0)
    monkeypatch.setattr(thumbs, "_cache", OrderedDict())
    out = tmp_path / "x.html"
    began = time.monotonic()
    run = run_cli("scan", str(folder), "-o", str(out), "--lang", "en", "--no-cache")
    assert run.exit_code in (0, 1), run.stderr
    assert time.monotonic() - began < 60
    cards = _cards(out.read_text(encoding="utf-8"))
    assert THUMB in cards["goed.png"]
    for name in ("crash.png", "hang.png"):
        assert THUMB not in cards[name] and 'class="none"' in cards[name], name


def test_previews_are_made_once_per_sha256_in_a_worker(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tiny_png(tmp_path / "a.png", 5)
    run = run_cli("scan", str(tmp_path), "--format", "json", "--no-cache")
    assert run.manifest is not None
    files = run.manifest["files"]
    monkeypatch.setattr(thumbs, "_cache", OrderedDict())
    base = str(tmp_path)
    first = thumbs.thumbnails(files, base)
    # decoding a.png again would now crash its worker (the preview seam): it is not
    monkeypatch.setenv("MEDIAAUDIT_TEST_PREVIEW_FAULT", "crash:a.png")
    second = thumbs.thumbnails(files, base)
    assert first == second and len(first) == 1
    # a changed file is not shown from the cache
    tiny_png(tmp_path / "a.png", 6)
    assert thumbs.thumbnails(files, base) == {}


# --- (b) the report step and the overview ----------------------------------------------
def test_overview_page_and_the_file_report_have_its_preview(tmp_path: Path) -> None:
    drop, out = drop_with(tmp_path), tmp_path / "out"
    run = watch_once(drop, out, "--lang", "en")
    assert run.returncode == 0, run.stderr
    approved = out / "approved"
    report = (approved / "open" / "goed.png.mediaaudit.html").read_text(encoding="utf-8")
    assert THUMB in report
    page = (approved / overview_name(dt.date.today().isoformat(), "en")).read_text(
        encoding="utf-8")
    assert "goed.png" in page and THUMB in page  # kept from the report, not made again


def _opts(drop: Path, out: Path, **extra: Any) -> Options:
    return Options(drop=str(drop), approved=str(out / "approved"),
                   rejected=str(out / "rejected"), manifest_dir=str(out / "manifests"),
                   state_path=str(out / "state" / "state.sqlite"), poll=None, settle=0.0,
                   once=True, rescan_state=False, lang="en", profile_spec="nvf-2024",
                   config=None, timeout=60.0, json_log=True, **extra)


class Crash(BaseException):
    """Stands for the process dying while the report is written."""


def test_a_report_that_crashes_the_service_is_tried_twice_never_a_third_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drop, out = drop_with(tmp_path), tmp_path / "out"
    (drop / "open" / "goed.png").unlink()
    calls: list[str] = []

    def crash(*args: Any, **kwargs: Any) -> list[str]:
        calls.append(str(args[3]))
        raise Crash

    monkeypatch.setattr(results, "write_reports", crash)
    lines: list[str] = []
    for _ in range(2):
        with pytest.raises(Crash):
            Watcher(_opts(drop, out), lines.append).run()
    Watcher(_opts(drop, out), lines.append).run()  # the restart after: no third attempt
    assert len(calls) == 2
    assert (out / "rejected" / "foto.png").is_file()
    state = State(str(out / "state" / "state.sqlite"))
    try:
        assert state.pending() == []
    finally:
        state.close()
    assert any("report not written" in ln for ln in lines)
    log = (out / "manifests" / results.LOG_NAME).read_text(encoding="utf-8").splitlines()
    assert len(log) == 1  # the result itself was recorded once


# --- (c) sidecars changed between the audit and the move --------------------------------
def test_a_sidecar_added_after_the_audit_means_audit_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    tiny_png(drop / "foto.png", 3)  # no rights: fails on its own
    real = service.audit
    rounds: list[int] = []

    def audit_then_add_licence(refs: list[Any], *args: Any, **kwargs: Any) -> Iterator[Any]:
        rounds.append(len(refs))
        for result in real(refs, *args, **kwargs):
            if len(rounds) == 1:
                (drop / "foto.png.license").write_text(
                    "SPDX-FileCopyrightText: mediaaudit tests\n"
                    "SPDX-License-Identifier: CC0-1.0\n")
            yield result

    monkeypatch.setattr(service, "audit", audit_then_add_licence)
    lines: list[str] = []
    Watcher(_opts(drop, out), lines.append).run()
    assert len(rounds) == 2  # the verdict without the sidecar was never used
    assert (out / "approved" / "foto.png").is_file()
    assert (out / "approved" / "foto.png.license").is_file()
    log = (out / "manifests" / results.LOG_NAME).read_text(encoding="utf-8").splitlines()
    assert len(log) == 1 and '"outcome": "pass"' in log[0]


# --- (d) the fact cache in a running watch ----------------------------------------------
def test_files_dropped_after_the_start_are_stored_in_the_fact_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    drop.mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    real = cache_mod.FactCache

    def started_then_dropped(*args: Any, **kwargs: Any) -> cache_mod.FactCache:
        made = real(*args, **kwargs)  # the service starts ...
        time.sleep(0.1)
        tiny_png(drop / "late.png", 9)  # ... and a file is dropped afterwards
        time.sleep(0.3)  # older than the timestamp granularity when the round begins
        return made

    monkeypatch.setattr(setup_mod, "FactCache", started_then_dropped)  # opened at the start
    db = tmp_path / "facts.sqlite"
    Watcher(_opts(drop, out, cache_path=str(db)), lambda line: None).run()
    assert (out / "approved" / "late.png").is_file()
    con = sqlite3.connect(db)
    try:
        assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 1
    finally:
        con.close()


# --- (e) symlinked sidecars -------------------------------------------------------------
def test_a_symlinked_sidecar_is_never_moved_nor_its_target_copied(tmp_path: Path) -> None:
    src = tiny_png(tmp_path / "foto.png", 4)
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the share")
    link = tmp_path / "foto.png.license"
    os.symlink(secret, link)
    dest = tmp_path / "dest"
    target, failed = move_with_sidecars(str(src), str(dest), [str(link)], None)
    assert target == str(dest / "foto.png")
    assert [s for s, _ in failed] == [str(link)]
    assert link.is_symlink() and not os.path.lexists(dest / "foto.png.license")
    with pytest.raises(RouteError, match="not a regular file"):  # the cross-filesystem path
        _copy_move(str(link), str(dest), "foto.png.license", None)
    assert sorted(p.name for p in dest.iterdir()) == ["foto.png"]


# --- (f) a sidecar keeps its media file's name or stays -------------------------------
def test_a_clashing_sidecar_name_is_not_invented(tmp_path: Path) -> None:
    src, side = tmp_path / "foto.jpg", tmp_path / "foto.jpg.license"
    src.write_bytes(b"new photo")
    side.write_text("SPDX-License-Identifier: CC0-1.0\n")
    dest = tmp_path / "dest"
    dest.mkdir()
    (dest / "foto.jpg").write_bytes(b"old photo")
    (dest / "foto (1).jpg.license").write_text("someone else's licence")
    target, failed = move_with_sidecars(str(src), str(dest), [str(side)], None)
    assert target == str(dest / "foto (1).jpg")
    assert [(s, e.errno) for s, e in failed] == [(str(side), errno.EEXIST)]
    assert side.is_file()  # stays where it was, with its name
    assert (dest / "foto (1).jpg.license").read_text() == "someone else's licence"
    assert sorted(p.name for p in dest.iterdir()) == [
        "foto (1).jpg", "foto (1).jpg.license", "foto.jpg"]


# --- (g) one table of watch texts -------------------------------------------------------
def test_the_service_texts_live_in_messages_only() -> None:
    assert not hasattr(service, "TEXT") and not hasattr(service, "TAGS")
    source = Path(service.__file__).read_text(encoding="utf-8")
    used = set(re.findall(r'_t\(\s*"(\w+)"', source))
    assert used and used <= set(messages.TEXT)
    log = messages.Log(json=False, lang="nl")
    assert log.text("sidecar_not_moved", why="x") == "bijbehorend bestand niet verplaatst: x"
    assert log.tag("reload") == "herladen"
    assert messages.Log(json=True, lang="nl").tag("reload") == "reload"


def test_report_temporaries_of_a_killed_watcher_are_removed_at_start(tmp_path: Path) -> None:
    """SIGKILL during a report write leaves '.NAME.mediaaudit.html.PID.tmp' in the share;
    the next start removes it, and nothing else."""
    from mediaaudit.watch import results

    sub = tmp_path / "approved" / "sub"
    sub.mkdir(parents=True)
    dead = sub / ".foto.jpg.mediaaudit.html.999999999.tmp"  # no such process
    live = sub / f".foto2.jpg.mediaaudit.html.{os.getpid()}.tmp"
    other = sub / ".notes.txt.12345.tmp"
    for p in (dead, live, other):
        p.write_text("x")
    assert results.remove_orphans(str(tmp_path / "approved")) == [str(dead)]
    assert not dead.exists() and live.exists() and other.exists()
