"""The command line around the report (issue 15, item 8)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

from mediaaudit import codes

from conftest import run_cli


def photos(folder: Path, n: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):  # no rights metadata at all: 'unknown', as most own photos are
        Image.new("RGB", (16, 16), (i * 40, 90, 200)).save(folder / f"foto{i}.png")
    return folder


def test_first_scan_without_organisation_says_how_to_set_it(tmp_path: Path) -> None:
    media = photos(tmp_path / "media")
    run = run_cli("scan", str(media), "--lang", "en", "--no-cache", "-j", "1")
    assert run.exit_code == 1
    hints = [ln for ln in run.stderr.splitlines() if "[policy] organisation" in ln]
    assert len(hints) == 1 and "mediaaudit.toml" in hints[0]
    nl = run_cli("scan", str(media), "--lang", "nl", "--no-cache", "-j", "1")
    assert "organisatie" in nl.stderr and "[policy] organisation" in nl.stderr


def test_no_organisation_hint_once_one_is_configured(tmp_path: Path) -> None:
    media = photos(tmp_path / "media")
    (media / "mediaaudit.toml").write_text('[policy]\norganisation = ["Gemeente X"]\n')
    run = run_cli("scan", str(media), "--lang", "en", "--no-cache", "-j", "1")
    assert "[policy] organisation" not in run.stderr


def test_explain_shows_what_why_fix_on_lines_and_an_aligned_list() -> None:
    out = run_cli("explain", "MA-PRV-001", "--lang", "en").stdout.splitlines()
    heads = [ln.split(":")[0] for ln in out[2:]]
    assert heads == ["What", "Why", "How to fix"]
    starts = {len(ln) - len(ln.split(":", 1)[1].lstrip()) for ln in out[2:]}
    assert len(starts) == 1  # the texts start in one column
    nl = run_cli("explain", "MA-PRV-001", "--lang", "nl").stdout.splitlines()
    assert [ln.split(":")[0] for ln in nl[2:]] == ["Wat", "Waarom", "Oplossen"]
    listing = run_cli("explain", "--lang", "en").stdout.splitlines()
    assert len(listing) == len(codes.CODES)
    name_cols = {ln.index(c.name) for ln, c in zip(listing, codes.CODES.values(), strict=True)}
    assert len(name_cols) == 1  # aligned, whatever the length of code and severity


def test_top_level_help_does_not_cut_descriptions() -> None:
    env = {**os.environ, "COLUMNS": "80"}
    out = subprocess.run([sys.executable, "-m", "mediaaudit", "--help", "--lang", "en"],
                         capture_output=True,
                         text=True, env=env, check=True).stdout
    commands = out.split("Commands:", 1)[1]
    assert "..." not in commands
    assert "missing and added files" in " ".join(commands.split())


def scanned_elsewhere(tmp_path: Path) -> tuple[Path, Path]:
    proj = tmp_path / "proj"
    photos(proj / "media")
    (proj / "media" / "mediaaudit.toml").write_text('[[annotations]]\npath = "**"\n'
                                                    'licence = "CC0-1.0"\n')
    run = run_cli("scan", "media", "-o", "audit.json", "-q", "--no-cache", "-j", "1",
                  cwd=proj)
    assert run.exit_code == 0, run.stderr
    other = tmp_path / "elsewhere"
    other.mkdir()
    return proj, other


def test_verify_from_another_folder_says_to_pass_root(tmp_path: Path) -> None:
    proj, other = scanned_elsewhere(tmp_path)
    run = run_cli("verify", str(proj / "audit.json"), cwd=other)
    assert run.exit_code == 1
    assert "ROOT" in run.stderr and str(proj / "media") in run.stderr
    assert all(not ln.split()[1].startswith("/") for ln in run.stdout.splitlines())
    (proj / "media" / "new.png").write_bytes((proj / "media" / "foto0.png").read_bytes())
    ok = run_cli("verify", str(proj / "audit.json"), str(proj / "media"), cwd=other)
    assert ok.exit_code == 1 and "ROOT" not in ok.stderr
    lines = ok.stdout.splitlines()
    assert "added     media/new.png" in lines  # relative, as the manifest names files
    assert all(not ln.split()[1].startswith("/") for ln in lines)


def test_report_from_another_folder_still_finds_thumbnails(tmp_path: Path) -> None:
    proj, other = scanned_elsewhere(tmp_path)
    run = run_cli("report", str(proj / "audit.json"), "-o", "r.html", cwd=other)
    assert run.exit_code == 0, run.stderr
    assert (other / "r.html").read_text(encoding="utf-8").count("data:image/") >= 3


def test_watch_on_a_file_is_a_one_line_error(tmp_path: Path) -> None:
    f = tmp_path / "foto.jpg"
    f.write_bytes(b"x")
    run = run_cli("watch", str(f), "--once", "--lang", "en")
    assert run.exit_code == 2
    assert run.stderr.strip().splitlines() == [
        f"mediaaudit: error: the drop folder is a file, not a folder: {f} (give a folder)"]
