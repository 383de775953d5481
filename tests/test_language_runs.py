"""One language per run, in every output of every command.

``test_language`` renders each text of the tables; this runs the commands themselves, as
a user would, on a delivery (the sample media plus a real video with a caption file in
no language and one in Dutch), in Dutch and in English, and reads what they print and
write: the lines on stderr and stdout, the summary, the CSV, the Markdown, the text of
the HTML report, the watch log and the reports and day overviews watch writes, the
lines of ``fix``, ``verify`` and ``archive``, and a few user mistakes.  A run with
``--lang nl`` may say no English word, one with ``--lang en`` no Dutch word, by the
word lists of ``test_language``.

What is not ours is taken out before the words are counted: the values the files carry
(names, alt text, credit lines, PRONOM format names, the texts of the findings'
parameters), which are shown as they are in every language.
"""

from __future__ import annotations

import csv
import html
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from test_language import foreign_words

import fixtures_rights as fr

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_media"
CAMERA = ROOT / "tests" / "realworld" / "files" / "exiv2" / "small_video.mp4"  # HEVC + AAC

VTT = "WEBVTT\n\n00:00.000 --> 00:00.500\nGoedemorgen.\n"
VTT_EN = "WEBVTT\nLanguage: en\n\n00:00.000 --> 00:00.500\nGood morning.\n"
SRT = "1\n00:00:00,000 --> 00:00:00,500\nGoedemorgen.\n"
ARCHIVE = """
[archive]
waardering = "V"
bewaartermijn = "P10Y"
contact_name = "Team Informatiebeheer"
contact_email = "informatiebeheer@voorbeeld.nl"
"""


@dataclass
class Ran:
    """One command: what it printed, its exit status."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str


def mediaaudit(*args: str, cwd: Path) -> Ran:
    """The real command in a fresh process, in a neutral locale: only --lang decides."""
    env = {**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    env.pop("LANGUAGE", None)
    p = subprocess.run([sys.executable, "-m", "mediaaudit", *args], cwd=cwd, env=env,
                       capture_output=True, text=True, timeout=600)
    assert "Traceback" not in p.stderr, p.stderr
    return Ran(args, p.returncode, p.stdout, p.stderr)


def delivery(where: Path) -> Path:
    """A delivery folder: the sample media; a video made by ffmpeg (H.264 + AAC, it
    passes) with 'clip.vtt' (no language anywhere) and 'clip.nl.srt' beside it; a
    camera's HEVC video (it fails) with a WebVTT that says 'Language: en' in its header;
    and a photo whose alt text is in the XMP's default language only (x-default)."""
    d = where / "upload"
    shutil.copytree(SAMPLES, d)
    with open(d / "mediaaudit.toml", "a", encoding="utf-8") as fh:
        fh.write(ARCHIVE)
    shutil.copy(SAMPLES / "interview.mp4", d / "clip.mp4")
    shutil.copy(CAMERA, d / "straat.mp4")
    (d / "straat.vtt").write_text(VTT_EN, encoding="utf-8")
    (d / "clip.vtt").write_text(VTT, encoding="utf-8")
    (d / "clip.nl.srt").write_text(SRT, encoding="utf-8")
    (d / "clip.mp4.license").write_text("SPDX-License-Identifier: CC0-1.0\n"
                                        "SPDX-FileCopyrightText: Gemeente Voorbeeld\n")
    fr.jpeg(d / "plein.jpg", fr.xmp(fr.alt("Iptc4xmpCore:AltTextAccessibility", "Het plein")
                                    + fr.alt("dc:rights", "© Gemeente Voorbeeld")))
    return d


def html_text(page: str) -> str:
    """The words a reader sees: no style sheet, script, tags or data URIs."""
    page = re.sub(r"(?is)<(style|script)\b.*?</\1>", " ", page)
    page = re.sub(r"(?s)<[^>]*>", " ", page)
    return html.unescape(page)


def values(m: Any) -> Iterator[str]:
    """Every text the files themselves carry: shown as it is in either language."""
    data = ("path", "text", "paste", "holder", "attribution", "licence", "name", "row",
            "file", "title", "credit", "creator", "source", "value", "signer",
            "claim_generator", "digital_source_type", "display", "reason", "roots")
    if isinstance(m, dict):
        for k, v in m.items():
            if k == "params" and isinstance(v, dict):
                yield from (str(x) for x in _leaves(v))
            elif k in data and isinstance(v, str):
                yield v
            else:
                yield from values(v)
    elif isinstance(m, list):
        for v in m:
            yield from values(v)


def _leaves(v: Any) -> Iterator[Any]:
    if isinstance(v, dict):
        for x in v.values():
            yield from _leaves(x)
    elif isinstance(v, list):
        for x in v:
            yield from _leaves(x)
    elif v is not None:
        yield v


def without(text: str, data: set[str]) -> str:
    """``text`` without the files' own values, language codes and checksums (hex is no
    word)."""
    for v in sorted(data, key=len, reverse=True):
        if len(v) >= 3:
            text = text.replace(v, " ")
    text = re.sub(r"\(([a-z]{2}(-[a-z]{2})?)\)", " ", text)  # a language code: '(en)'
    return re.sub(r"\b[0-9a-f]{12,}\b", " ", text)


@pytest.fixture(scope="module", params=["nl", "en"])
def outputs(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
            ) -> tuple[str, list[tuple[str, str]], Path]:
    """(language, [(where, text)], work folder) for every command run in that language."""
    lang: str = request.param
    work = tmp_path_factory.mktemp(f"run-{lang}")
    d = delivery(work)
    said: list[tuple[str, str]] = []

    def run(*args: str) -> Ran:
        r = mediaaudit(*args, "--lang", lang, cwd=work)
        said.append((" ".join(r.args) + " [stderr]", r.err))
        said.append((" ".join(r.args) + " [stdout]", r.out))
        return r

    (work / "out").mkdir()
    scan = run("scan", "upload", "-o", "out/r", "--format", "json", "--format", "csv",
               "--format", "md", "--format", "html", "--no-cache", "-j", "1")
    assert scan.code == 1, scan.err
    for ext in ("csv", "md"):
        said.append((f"scan r.{ext}", (work / "out" / f"r.{ext}").read_text("utf-8-sig")))
    said.append(("scan r.html", html_text((work / "out" / "r.html").read_text("utf-8"))))
    other = "en" if lang == "nl" else "nl"  # a manifest of the other language, re-rendered
    mediaaudit("scan", "upload", "-o", "out/other.json", "--no-cache", "-j", "1", "--lang",
               other, cwd=work)
    run("report", "out/other.json", "-o", "out/again.md")
    run("report", "out/other.json", "-o", "out/again.csv")
    said.append(("report again.md", (work / "out" / "again.md").read_text("utf-8")))
    said.append(("report again.csv", (work / "out" / "again.csv").read_text("utf-8-sig")))
    one = run("scan", "upload/persfoto.jpg", "-o", "out/one.md", "--no-cache", "-j", "1")
    assert one.code == 1
    said.append(("scan one.md", (work / "out" / "one.md").read_text("utf-8")))
    # watch: a copy of the delivery as a drop folder, routed
    shutil.copytree(d, work / "drop")
    watch = run("watch", "drop", "--once", "--settle", "0", "--approved", "ok", "--rejected",
                "no", "--no-cache")
    assert watch.code == 0, watch.err
    for page in sorted((work / "ok").glob("*.mediaaudit.html")) + sorted(
            (work / "no").glob("*.mediaaudit.html")):  # reports beside files, overviews
        said.append((f"watch {page.parent.name}/{page.name}",
                     html_text(page.read_text("utf-8"))))
    # fix: derivatives of what a conversion can fix
    run("fix", "upload", "--out", "fixed", "--strip-location")
    # verify: one file changed, one removed, one added since the scan
    shutil.copytree(d, work / "moved")
    run("scan", "moved", "-o", "out/moved.json", "--no-cache", "-j", "1")
    (work / "moved" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    (work / "moved" / "banner.webp").unlink()
    shutil.copy(d / "stadhuis.png", work / "moved" / "nieuw.png")
    run("verify", "out/moved.json")
    run("verify", "out/r.json")
    # archive: the files that passed, as a bag; then the bag verified
    archive = run("archive", "out/r.json", "--out", "bag")
    if archive.code == 0:
        run("verify", "bag")
    # user mistakes: one line each
    run("scan", "nope")
    run("scan", "upload", "-o", "nope/r.csv")
    run("scan", "upload", "-o", "r.xyz")
    run("report", "missing.json")
    run("verify", "out/r.json", "nope")
    run("watch", "nope")
    for typed in (("fix", "upload"), ("scan", "upload", "--jobs", "x"), ("scan", "--lnag")):
        assert run(*typed).code == 2  # click's usage errors, in the run's language
    m = json.loads((work / "out" / "r.json").read_text("utf-8"))
    data = set(values(m)) | set(values(json.loads((work / "out" / "other.json").read_text(
        "utf-8"))))
    data |= {str(work), "Gemeente Voorbeeld", "Persbureau X", "Studio Y", "Anna de Vries"}
    return lang, [(where, without(text, data)) for where, text in said], work


def test_no_word_of_the_other_language_in_any_output(
        outputs: tuple[str, list[tuple[str, str]], Path]) -> None:
    lang, said, _ = outputs
    bad = []
    for where, text in said:
        for line in text.splitlines():
            found = foreign_words(line, lang)
            if found:
                bad.append((where, sorted(found), line.strip()[:200]))
    assert bad == [], "\n".join(map(str, bad))


def test_the_outputs_were_made(outputs: tuple[str, list[tuple[str, str]], Path]) -> None:
    """The runs above did what they were asked (so the check read real outputs)."""
    lang, said, work = outputs
    by = dict(said)
    assert (work / "ok" / "stadhuis.png").is_file() and (work / "no" / "banner.webp").is_file()
    log = by[f"watch drop --once --settle 0 --approved ok --rejected no --no-cache --lang "
             f"{lang} [stderr]"]
    words = {"nl": ("GOEDGEKEURD", "AFGEKEURD", "GESTART", "GESTOPT"),
             "en": ("PASS", "FAIL", "START", "STOP")}[lang]
    assert all(w in log for w in words), log
    assert "paste_alt_text" not in log and "credit:" not in log  # actions in words
    pages = [k for k in by if k.startswith("watch ok/")]
    assert "watch ok/stadhuis.png.mediaaudit.html" in pages
    assert any(k.startswith(f"watch ok/{'overzicht' if lang == 'nl' else 'overview'}-")
               for k in pages), pages
    verify = by[f"verify out/moved.json --lang {lang} [stdout]"]
    assert {"nl": "gewijzigd", "en": "changed"}[lang] in verify
    assert {"nl": "toegevoegd", "en": "added"}[lang] in verify


def test_the_dutch_csv_opens_with_semicolons_and_the_english_with_commas(
        outputs: tuple[str, list[tuple[str, str]], Path]) -> None:
    lang, _, work = outputs
    raw = (work / "out" / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, in both languages
    sep = {"nl": ";", "en": ","}[lang]
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=sep))
    head = rows[0]
    assert len(head) == 21 and all(len(r) == 21 for r in rows), [len(r) for r in rows]
    col = {name: i for i, name in enumerate(head)}
    if lang == "nl":
        assert head[:3] == ["pad", "uitslag", "nvf_status"]
        by = {r[0]: r for r in rows[1:]}
        assert by["upload/banner.webp"][col["uitslag"]] == "afgekeurd"
        assert by["upload/logo.svg"][col["uitslag"]] == "goedgekeurd"
        assert by["upload/plein.jpg"][col["alt_tekst"]] == "Het plein"  # no [x-default]
        assert by["upload/stadhuis.png"][col["alt_tekst"]].startswith(
            "[nl] Kleurverloop van roze naar groen (voorbeeldbeeld) | [en] Colour")
        assert by["upload/clip.mp4"][col["ondertiteling"]] == (
            "clip.nl.srt (nl) | clip.vtt (taal onbekend)")
        assert by["upload/straat.mp4"][col["ondertiteling"]] == "straat.vtt (en)"
        assert by["upload/straat.mp4"][col["uitslag"]] == "afgekeurd"
        assert by["upload/IMG_4521.HEIC"][col["ai_gegenereerd"]] == "nee"
    else:
        assert head[:3] == ["path", "outcome", "nvf_status"]
        by = {r[0]: r for r in rows[1:]}
        assert by["upload/banner.webp"][col["outcome"]] == "fail"
        assert by["upload/clip.mp4"][col["captions"]] == (
            "clip.nl.srt (nl) | clip.vtt (language unknown)")
    # read with the other separator, a row is one cell: the separator is the language's
    other = ";" if sep == "," else ","
    first = next(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=other))
    assert len(first) == 1


def test_each_caption_file_is_named_with_its_language_and_an_upload_action(
        outputs: tuple[str, list[tuple[str, str]], Path]) -> None:
    lang, _, work = outputs
    m = json.loads((work / "out" / "r.json").read_text("utf-8"))
    clip = next(f for f in m["files"] if f["path"] == "upload/clip.mp4")
    assert clip["outcome"] == "pass"
    todo = [(a["code"], a["text"]) for a in clip["actions"]]
    if lang == "nl":
        assert todo == [
            ("upload_captions", "Upload dit bestand bij het bericht: clip.nl.srt "
                                "(ondertiteling, nl)"),
            ("upload_captions", "Upload dit bestand bij het bericht: clip.vtt "
                                "(ondertiteling, taal onbekend)")]
    else:
        assert todo == [
            ("upload_captions", "Upload this file with the post: clip.nl.srt (captions, nl)"),
            ("upload_captions", "Upload this file with the post: clip.vtt (captions, "
                                "language unknown)")]
    md = (work / "out" / "r.md").read_text("utf-8")
    page = html_text((work / "out" / "r.html").read_text("utf-8"))
    for text in (md, page):
        assert todo[0][1] in text and todo[1][1] in text
    caps = {"nl": "Ondertiteling: clip.nl.srt (nl), clip.vtt (taal onbekend)",
            "en": "Captions: clip.nl.srt (nl), clip.vtt (language unknown)"}[lang]
    assert caps in " ".join(page.split())
    size = {"nl": r"\b\d+,\d KB\b", "en": r"\b\d+\.\d KB\b"}[lang]  # decimal sign
    assert re.search(size, page), page[:2000]
    # a file that fails still names its caption file, with the language its header gives
    named = {"nl": "Ondertiteling: straat.vtt (en)", "en": "Captions: straat.vtt (en)"}[lang]
    assert named in " ".join(page.split())
    assert f"`upload/straat.mp4`<br>{named} |" in md


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed "
                    "(apt-get install libreoffice-calc-nogui)")
def test_libreoffice_reads_the_columns(outputs: tuple[str, list[tuple[str, str]], Path]
                                       ) -> None:
    """LibreOffice Calc opens the CSV as a spreadsheet of that language does (Dutch: ';'
    between cells, English: ','; UTF-8) and finds the 21 columns in every row; its own
    tab-separated export of what it read is compared."""
    from mediaaudit.writers.csv_writer import HEADERS, SEPARATOR

    lang, _, work = outputs
    sep = ord(SEPARATOR[lang])
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{work}/lo-profile", "--headless",
         f"--infilter=CSV:{sep},34,76,1", "--convert-to",
         "csv:Text - txt - csv (StarCalc):9,34,76", "--outdir", str(work / "lo"),
         str(work / "out" / "r.csv")], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    rows = list(csv.reader(io.StringIO((work / "lo" / "r.csv").read_text("utf-8")),
                           delimiter="\t"))
    assert rows[0] == list(HEADERS[lang])  # the BOM is not part of the first header
    assert len(rows) == 19 and all(len(r) == 21 for r in rows), [len(r) for r in rows]
    by = {r[0]: r for r in rows[1:]}
    assert by["upload/banner.webp"][1] == {"nl": "afgekeurd", "en": "fail"}[lang]
    assert by["upload/clip.mp4"][12] == {"nl": "clip.nl.srt (nl) | clip.vtt (taal onbekend)",
                                        "en": "clip.nl.srt (nl) | clip.vtt (language "
                                              "unknown)"}[lang]
