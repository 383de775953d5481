"""PDF output (issue 15.6): the HTML report as PDF/A, fonts embedded, on A4.

The PDF is read three ways: by siegfried (the same identification the audit itself uses,
so "PDF/A" means what an archive's intake would say), by a small parser here (page
count, fonts, XMP: no extra tool needed), and by poppler's pdffonts/pdftotext when they
are installed (Debian poppler-utils).
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import signal
import stat
import subprocess
import sys
import zlib
from pathlib import Path

import pygfried
import pytest

from mediaaudit.writers.table import by_name, by_suffix

from conftest import run_cli

SAMPLES = Path(__file__).resolve().parent.parent / "sample_media"
MAX_PAGES = 3  # issue 15.6: "the 14 sample files on at most 3 pages" (15 with the HEIC)
A4 = (595.276, 841.89)  # points
PDFA_2A = "fmt/476"  # PRONOM: Acrobat PDF/A, version 2a (the NVF's preferred profile)

weasyprint_needed = pytest.mark.skipif(
    by_name("pdf").missing() is not None, reason="WeasyPrint is not installed ([pdf] extra)")


# --- reading a PDF -----------------------------------------------------------------------

def _objects(pdf: bytes) -> bytes:
    """The file with every Flate stream inflated beside it (object streams included), so
    dictionaries can be found by pattern whether or not they were compressed."""
    parts = [pdf]
    for m in re.finditer(rb"stream\r?\n", pdf):
        try:
            parts.append(zlib.decompressobj().decompress(pdf[m.end():]))
        except zlib.error:
            continue  # not Flate (a JPEG preview, say)
    return b"\n".join(parts)


def _pages(blob: bytes) -> int:
    root = re.search(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", blob) \
        or re.search(rb"/Count\s+(\d+)[^>]*?/Type\s*/Pages\b", blob)
    assert root, "no page tree"
    return int(root.group(1))


def _fonts(blob: bytes) -> list[tuple[bytes, bool]]:
    """(font name, embedded) for every font descriptor."""
    out = []
    for d in re.findall(rb"<<[^<>]*/Type\s*/FontDescriptor[^<>]*>>", blob):
        name = re.search(rb"/FontName\s*/([^\s/<>\[\]()]+)", d)
        out.append((name.group(1) if name else b"?", bool(re.search(rb"/FontFile[23]?\s", d))))
    return out


def _siegfried(path: Path) -> dict[str, str]:
    res = pygfried.identify(str(path), detailed=True)
    matches = res["files"][0]["matches"]
    return next(m for m in matches if m["ns"] == "pronom")


def _sample_names() -> list[str]:
    """The audited samples (sidecars and the policy file are not media)."""
    return [p.name for p in SAMPLES.iterdir()
            if p.is_file() and not p.name.endswith((".license", ".vtt", ".toml"))]


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`mediaaudit scan sample_media -o x.pdf`, as the issue says it."""
    if by_name("pdf").missing() is not None:
        pytest.skip("WeasyPrint is not installed ([pdf] extra)")
    out = tmp_path_factory.mktemp("pdf") / "x.pdf"
    run = run_cli("scan", "sample_media", "-o", str(out), "-q", "-j", "1",
                  cwd=SAMPLES.parent)
    assert run.exit_code == 1, run.stderr  # some samples fail on purpose
    assert run.stdout == ""
    return out


# --- the sample report -------------------------------------------------------------------

def test_the_table_knows_pdf() -> None:
    w = by_name("pdf")
    assert by_suffix("Report.PDF") is w and w.binary and not w.streams


def test_scan_writes_pdfa_that_siegfried_names(sample_pdf: Path) -> None:
    data = sample_pdf.read_bytes()
    assert data.startswith(b"%PDF-1.7") and data.rstrip().endswith(b"%%EOF")
    m = _siegfried(sample_pdf)
    assert m["id"] == PDFA_2A, m
    assert m["version"] == "2a"
    xmp = re.search(rb"<x:xmpmeta.*?</x:xmpmeta>", data, re.S)  # readable, not Flate
    assert xmp and b'pdfaid:part="2"' in xmp.group() \
        and b'pdfaid:conformance="A"' in xmp.group()


def test_every_font_is_embedded(sample_pdf: Path) -> None:
    blob = _objects(sample_pdf.read_bytes())
    fonts = _fonts(blob)
    assert fonts, "no fonts found"
    assert all(emb for _, emb in fonts), fonts
    assert all(b"DejaVu" in name for name, _ in fonts), fonts  # pinned, not fontconfig's pick
    if shutil.which("pdffonts"):
        rows = subprocess.run(["pdffonts", str(sample_pdf)], capture_output=True, text=True,
                              check=True, timeout=60).stdout.splitlines()[2:]
        assert rows
        for row in rows:  # name type encoding emb sub uni object ID
            assert row.split()[-5] == "yes", row


def test_pdfa_is_tagged_with_language_and_alt_texts(sample_pdf: Path) -> None:
    """The "a" of PDF/A-2a: a structure tree, the document language, a text for every
    figure (the previews)."""
    blob = _objects(sample_pdf.read_bytes())
    assert re.search(rb"/StructTreeRoot\s", blob) and re.search(rb"/Marked\s+true", blob)
    assert re.search(rb"/Lang\s*\(en\)", blob)
    figures = re.findall(rb"/S\s*/Figure(?:[^<>]|<<[^<>]*>>)*>>", blob)
    assert figures, "the previews are figures"
    assert all(b"/Alt" in f for f in figures), figures
    assert re.search(rb"/OutputIntents\s", blob), "PDF/A needs an output intent"


def test_pages_are_a4(sample_pdf: Path) -> None:
    blob = _objects(sample_pdf.read_bytes())
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", blob)
    assert boxes and all((round(float(w)), round(float(h))) == (595, 842) for w, h in boxes)


def test_the_samples_fit_on_three_pages(sample_pdf: Path) -> None:
    pages = _pages(_objects(sample_pdf.read_bytes()))
    assert pages <= MAX_PAGES, f"{len(_sample_names())} samples take {pages} A4 pages"


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_every_sample_is_in_the_text(sample_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", str(sample_pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    flat = re.sub(r"[\s-]+", "", text)  # a name may wrap at its hyphen; pdftotext drops it
    names = _sample_names()
    assert len(names) >= 14
    missing = [n for n in names if n.replace("-", "") not in flat]
    assert not missing, missing


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils not installed")
def test_nothing_runs_off_the_page(sample_pdf: Path) -> None:
    """A word placed right of the page edge is in the file but nobody can read it."""
    html = subprocess.run(["pdftotext", "-bbox", str(sample_pdf), "-"], capture_output=True,
                          text=True, check=True, timeout=60).stdout
    cut = [w for w in re.finditer(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)"'
                                  r'[^>]*>([^<]*)<', html) if float(w.group(1)) > A4[0]]
    assert not cut, [w.group(2) for w in cut[:10]]


# --- a stored manifest, languages, stdout --------------------------------------------------

@weasyprint_needed
def test_report_renders_a_stored_manifest(tmp_path: Path) -> None:
    m = tmp_path / "m.json"
    assert run_cli("scan", str(SAMPLES), "-o", str(m), "-q").exit_code == 1
    out = tmp_path / "m.pdf"
    run = run_cli("report", str(m), "-o", str(out), "--base", str(SAMPLES.parent))
    assert run.exit_code == 0, run.stderr
    assert _siegfried(out)["id"] == PDFA_2A
    want = 0o666 & ~_umask()
    assert stat.S_IMODE(out.stat().st_mode) == want  # like every other output

    nl = tmp_path / "nl.pdf"
    assert run_cli("report", str(m), "--lang", "nl", "--format", "pdf", "-o", str(nl),
                   "--base", str(SAMPLES.parent)).exit_code == 0
    blob = _objects(nl.read_bytes())
    assert re.search(rb"/Lang\s*\(nl\)", blob)
    assert re.search(rb"/Alt\s*\(Voorbeeld\)", blob)


def _umask() -> int:
    old = os.umask(0o022)
    os.umask(old)
    return old


@weasyprint_needed
def test_pdf_to_a_pipe_is_bytes(tmp_path: Path) -> None:
    m = tmp_path / "m.json"
    assert run_cli("scan", str(SAMPLES / "stadhuis.png"), "-o", str(m), "-q").exit_code == 0
    proc = subprocess.run([sys.executable, "-m", "mediaaudit", "report", str(m), "--format",
                           "pdf"], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith(b"%PDF-") and proc.stdout.rstrip().endswith(b"%%EOF")


# --- failures: one line, exit 2, before any work -------------------------------------------

@weasyprint_needed
@pytest.mark.parametrize("command", ["scan", "report"])
def test_unwritable_pdf_is_one_line(command: str, tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("not a folder")
    m = tmp_path / "m.json"
    assert run_cli("scan", str(SAMPLES / "stadhuis.png"), "-o", str(m), "-q").exit_code == 0
    target = str(tmp_path / "plain-file" / "x.pdf")
    args = ["scan", str(SAMPLES)] if command == "scan" else ["report", str(m)]
    run = run_cli(*args, "-o", target)
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"mediaaudit: error: cannot write {target}: "), run.stderr
    assert not list(tmp_path.glob(".mediaaudit-*"))


def test_without_weasyprint_pdf_is_one_line(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The [pdf] extra not installed: said before the scan, with what to install."""
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import fails as if absent
    target = str(tmp_path / "x.pdf")
    run = run_cli("scan", str(SAMPLES), "-o", target)
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(f"mediaaudit: error: cannot write {target}: PDF output needs "
                               "WeasyPrint")
    assert "mediaaudit[pdf]" in lines[0]
    assert not os.path.exists(target)


# --- nothing outside the page is fetched -----------------------------------------------------

@weasyprint_needed
def test_only_data_uris_are_fetched(tmp_path: Path) -> None:
    from mediaaudit.writers.pdf_writer import render_pdf

    png = tmp_path / "secret.png"
    png.write_bytes(_tiny_png())
    import base64
    data_uri = "data:image/png;base64," + base64.b64encode(_tiny_png()).decode()

    def page(src: str) -> str:
        return (f'<!DOCTYPE html><html lang="en"><head><title>t</title>'
                f'<link rel="stylesheet" href="{png.as_uri()}"></head>'
                f'<body><p>x</p><img alt="a" src="{src}"></body></html>')

    def images(pdf: bytes) -> int:
        return len(re.findall(rb"/Subtype\s*/Image", _objects(pdf)))

    assert images(render_pdf(page(data_uri))) == 1
    assert images(render_pdf(page(png.as_uri()))) == 0  # a local file is not read


def _tiny_png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (4, 4), (200, 30, 30)).save(buf, "PNG")
    return buf.getvalue()


@weasyprint_needed
def test_disk_full_during_the_pdf_write_is_one_line(tmp_path: Path) -> None:
    """The bytes go past the text layer to the file under it: a failed write there is
    still one line and exit 2, and the previous report stays."""
    m = tmp_path / "m.json"
    assert run_cli("scan", str(SAMPLES), "-o", str(m), "-q").exit_code == 1
    out = tmp_path / "r.pdf"
    out.write_bytes(b"previous report")

    def limited() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit gets EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))

    proc = subprocess.run([sys.executable, "-m", "mediaaudit", "report", str(m), "-o", str(out),
                           "--base", str(SAMPLES.parent)], capture_output=True, text=True,
                          env={**os.environ, "LANG": "C"}, preexec_fn=limited, timeout=120)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"mediaaudit: error: cannot write {out}: File too large"), proc.stderr
    assert out.read_bytes() == b"previous report"
    assert not list(tmp_path.glob(".mediaaudit-*"))
