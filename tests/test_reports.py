"""Reports for people (HTML, CSV, Markdown), re-rendering, and verify (issue 6)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mediaaudit.writers.csv_writer import COLUMNS

import fixtures_rights
from conftest import have, run_cli

EVIL = "<img src=x onerror=alert(1)>.jpg"


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """A mixed folder: pass, fail and hostile names/metadata."""
    d = tmp_path_factory.mktemp("mixed") / "upload"
    d.mkdir()
    for name in ("photo.png", "photo.webp", "clip.mp4", "empty.jpg", "camera.jpg"):
        shutil.copy(corpus / name, d / name)
    (d / "mediaaudit.toml").write_text('[[annotations]]\npath = "photo.*"\nlicence = "CC0-1.0"\n')
    fixtures_rights.jpeg(d / EVIL, fixtures_rights.xmp(
        fixtures_rights.alt("dc:rights", "&lt;script&gt;alert('xmp')&lt;/script&gt; CC BY 4.0")))
    return d


@pytest.fixture(scope="module")
def manifest_file(mixed: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out") / "manifest.json"
    run = run_cli("scan", str(mixed), "-o", str(out), "--lang", "nl", "-j", "1")
    assert run.exit_code == 1 and out.is_file()
    return out


def test_html_is_self_contained_and_escapes_untrusted_text(manifest_file: Path,
                                                          tmp_path: Path) -> None:
    html_path = tmp_path / "r.html"
    run = run_cli("report", str(manifest_file), "-o", str(html_path))
    assert run.exit_code == 0
    html = html_path.read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;.jpg" in html
    assert "&lt;script&gt;alert(&#x27;xmp&#x27;)&lt;/script&gt;" in html
    assert "http://" not in html.replace("http://www.w3.org", "")  # nothing fetched
    assert "https://" not in html.split("<body>")[0].replace("https://creativecommons", "")
    assert "AFGEKEURD" in html and "Content-Security-Policy" in html
    assert html.count('class="thumb"') >= 2  # inline thumbnails for images
    # failing files first
    assert html.index("photo.webp") < html.index("photo.png")


def test_html_in_chromium(manifest_file: Path, tmp_path: Path, mixed: Path) -> None:
    browser = have("chromium") or have("chromium-browser")
    if not browser:
        pytest.skip("chromium not installed")
    html_path = tmp_path / "r.html"
    run_cli("report", str(manifest_file), "-o", str(html_path), "--lang", "en")
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([browser, *flags, "--dump-dom", html_path.as_uri()],
                         capture_output=True, text=True, timeout=120).stdout
    assert "REJECTED" in dom
    for name in ("photo.png", "photo.webp", "clip.mp4", "empty.jpg", "camera.jpg"):
        assert name in dom, name
    assert "&lt;img src=x onerror=alert(1)&gt;.jpg" in dom  # text in the DOM, not an element
    shot = tmp_path / "shot.png"
    subprocess.run([browser, *flags, "--window-size=1100,900", f"--screenshot={shot}",
                    html_path.as_uri()], capture_output=True, timeout=120)
    from PIL import Image

    with Image.open(shot) as im:
        assert im.size == (1100, 900)
        colours = im.convert("RGB").getcolors(1 << 20) or []
        assert len(colours) > 50  # a rendered page, not a blank one


def test_csv_round_trip(manifest_file: Path, tmp_path: Path) -> None:
    m = json.loads(manifest_file.read_text(encoding="utf-8"))
    out = tmp_path / "r.csv"
    assert run_cli("report", str(manifest_file), "-o", str(out), "--lang", "en").exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: spreadsheets read UTF-8 correctly
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS
    assert [r[0] for r in rows[1:]] == [f["path"] for f in m["files"]]
    evil = next(r for r in rows[1:] if r[0].endswith(EVIL))
    assert evil[COLUMNS.index("outcome")] in ("pass", "fail")


def test_csv_header_never_changes_and_formulas_are_defused(tmp_path: Path) -> None:
    from mediaaudit.writers.csv_writer import render_csv

    assert render_csv([]).splitlines()[0].lstrip("\ufeff") == ",".join(COLUMNS)
    text = render_csv([{"path": "=HYPERLINK(\"x\")", "findings": []}])
    assert "'=HYPERLINK" in text


def test_markdown_summary(manifest_file: Path) -> None:
    run = run_cli("report", str(manifest_file), "--format", "md", "--lang", "en")
    assert run.stdout.startswith("## Media audit for publication")
    assert "**REJECTED" in run.stdout and "photo.webp" in run.stdout
    import re

    # the hostile name appears only inside code spans, which Markdown renders literally
    outside = re.sub(r"`[^`]*`", "", run.stdout)
    assert not re.search(r"(?<!\\)<(img|script)", outside)  # only backslash-escaped


def test_report_relang_uses_codes_and_params(manifest_file: Path) -> None:
    en = run_cli("report", str(manifest_file), "--format", "json", "--lang", "en")
    m = json.loads(en.stdout)
    msgs = [x["message"] for f in m["files"] for x in f["findings"]]
    assert any("is not listed in NVF 2024" in x for x in msgs)
    assert not any("staat niet in" in x for x in msgs)


def test_scan_writes_several_formats(mixed: Path, tmp_path: Path) -> None:
    base = tmp_path / "audit"
    run = run_cli("scan", str(mixed), "-o", str(base), "--format", "json", "--format", "html",
                  "--format", "csv", "--format", "md")
    assert run.exit_code == 1
    for ext in (".json", ".html", ".csv", ".md"):
        assert (tmp_path / f"audit{ext}").stat().st_size > 100
    bad = run_cli("scan", str(mixed), "--format", "json", "--format", "md")
    assert bad.exit_code == 2 and "need -o" in bad.stderr


def test_verify_catches_change_removal_and_addition(mixed: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    shutil.copytree(mixed, work)
    man = tmp_path / "m.json"
    run_cli("scan", str(work), "-o", str(man))
    ok = run_cli("verify", str(man))
    assert ok.exit_code == 0 and "0 changed, 0 missing, 0 added" in ok.stderr
    data = bytearray((work / "photo.png").read_bytes())
    data[-20] ^= 0x01  # one changed byte
    (work / "photo.png").write_bytes(bytes(data))
    (work / "clip.mp4").unlink()
    shutil.copy(work / "camera.jpg", work / "new.jpg")
    res = run_cli("verify", str(man))
    assert res.exit_code == 1
    lines = res.stdout.splitlines()
    assert f"changed   {work}/photo.png" in lines
    assert f"missing   {work}/clip.mp4" in lines
    assert f"added     {work}/new.jpg" in lines
    assert "1 changed, 1 missing, 1 added" in res.stderr


def test_verify_with_moved_root(mixed: Path, tmp_path: Path) -> None:
    man = tmp_path / "m.json"
    run_cli("scan", "upload", "-o", str(man), cwd=mixed.parent)
    moved = tmp_path / "elsewhere"
    shutil.copytree(mixed, moved)
    assert run_cli("verify", str(man), str(moved)).exit_code == 0
    assert run_cli("verify", str(man)).exit_code == 1  # relative paths no longer resolve here


def test_verify_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "x.json").write_text("{not json")
    r = run_cli("verify", str(tmp_path / "x.json"))
    assert r.exit_code == 2 and "not a JSON manifest" in r.stderr
    r = run_cli("verify", str(tmp_path / "nope.json"))
    assert r.exit_code == 2 and "cannot read manifest" in r.stderr
