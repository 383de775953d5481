"""watch results people can see (issue 15, item 9): a report beside each routed file and
one overview page per day in each destination folder, both from the scan's HTML writer."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path

from PIL import Image

from mediaaudit import sidecars
from mediaaudit.watch.results import overview_name
from mediaaudit.watch.route import sidecar_name
from test_watch_isolation import CC0, watch_once

from conftest import run_cli


def plain(path: Path) -> str:
    text = re.sub(r"<style>.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def drop_with(tmp: Path) -> Path:
    drop = tmp / "drop"
    (drop / "open").mkdir(parents=True)
    (drop / "mediaaudit.toml").write_text(CC0.replace('"**"', '"open/**"'))
    Image.new("RGB", (16, 16), (10, 200, 10)).save(drop / "open" / "goed.png")
    Image.new("RGB", (16, 16), (200, 10, 10)).save(drop / "foto.png")  # no rights: fails
    return drop


def test_report_beside_each_file_and_a_daily_overview(tmp_path: Path) -> None:
    drop, out = drop_with(tmp_path), tmp_path / "out"
    run = watch_once(drop, out, "--lang", "nl")
    assert run.returncode == 0, run.stderr
    day = dt.date.today().isoformat()
    rejected, approved = out / "rejected", out / "approved"
    report = rejected / "foto.png.mediaaudit.html"
    assert report.is_file() and (rejected / "foto.png").is_file()
    text = plain(report)
    assert "foto.png" in text and "Geen informatie over auteursrecht of licentie" in text
    assert '<html lang="nl"' in report.read_text(encoding="utf-8")
    assert (approved / "open" / "goed.png.mediaaudit.html").is_file()
    for dest, name in ((rejected, "foto.png"), (approved, "open/goed.png")):
        page = dest / overview_name(day, "nl")
        assert page.is_file() and Path(name).name in plain(page)
    assert overview_name(day, "nl") == f"overzicht-{day}.mediaaudit.html"


def test_overview_lists_every_file_of_the_day_and_names_follow_renames(tmp_path: Path) -> None:
    drop, out = drop_with(tmp_path), tmp_path / "out"
    assert watch_once(drop, out, "--lang", "en").returncode == 0
    Image.new("RGB", (16, 16), (1, 2, 3)).save(drop / "foto.png")  # same name again
    assert watch_once(drop, out, "--lang", "en").returncode == 0
    rejected = out / "rejected"
    assert (rejected / "foto (1).png").is_file()
    assert (rejected / "foto (1).png.mediaaudit.html").is_file()
    assert "foto (1).png" in plain(rejected / "foto (1).png.mediaaudit.html")
    page = plain(rejected / overview_name(dt.date.today().isoformat(), "en"))
    assert "foto.png" in page and "foto (1).png" in page


def test_reports_are_sidecars_never_audited_as_media(tmp_path: Path) -> None:
    drop, out = drop_with(tmp_path), tmp_path / "out"
    assert watch_once(drop, out).returncode == 0
    run = run_cli("scan", str(out / "rejected"), "--no-cache", "-j", "1")
    assert run.manifest is not None
    assert [Path(f["path"]).name for f in run.manifest["files"]] == ["foto.png"]
    skipped = {Path(s["path"]).name: s["reason"] for s in run.manifest["skipped"]}
    assert skipped["foto.png.mediaaudit.html"] == "sidecar"
    assert all(r == "sidecar" for n, r in skipped.items() if n.endswith(".mediaaudit.html"))


def test_report_is_a_sidecar_kind_that_moves_and_renames_with_its_file(tmp_path: Path) -> None:
    (tmp_path / "foto.jpg").write_bytes(b"x")
    (tmp_path / "foto.jpg.mediaaudit.html").write_text("old")
    found = sidecars.sidecars_of(str(tmp_path / "foto.jpg"))
    assert [(s.kind, s.name) for s in found] == [
        (sidecars.SidecarKind.REPORT, "foto.jpg.mediaaudit.html")]
    assert sidecars.is_sidecar_name("FOTO.JPG.MEDIAAUDIT.HTML")
    assert sidecar_name("foto.jpg.mediaaudit.html", "foto.jpg", "foto (1).jpg") == \
        "foto (1).jpg.mediaaudit.html"


def test_a_stale_report_that_came_with_the_file_is_replaced(tmp_path: Path) -> None:
    drop, out = drop_with(tmp_path), tmp_path / "out"
    (drop / "foto.png.mediaaudit.html").write_text("<p>old report</p>")
    assert watch_once(drop, out).returncode == 0
    report = out / "rejected" / "foto.png.mediaaudit.html"
    assert "old report" not in report.read_text(encoding="utf-8")
    assert not (drop / "foto.png.mediaaudit.html").exists()
