"""``mediaaudit fix`` against the conditions of issue 26: an --out that overlaps the
originals, two runs that finish in the same second, and a small WebP that declares a
huge canvas.  Real files in, the real CLI (in-process or as a subprocess), real
assertions out."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

import factory
from conftest import run_cli

LICENCE = "SPDX-License-Identifier: CC-BY-4.0\nSPDX-FileCopyrightText: Gemeente Voorbeeld\n"


def _webp(path: Path, w: int = 48, h: int = 32, seed: int = 0) -> Path:
    """A licensed lossy WebP: it fails only on format, so ``fix`` converts it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    factory.picture(w, h, seed=seed).save(path, quality=80)
    Path(str(path) + ".license").write_text(LICENCE)
    return path


def _uploads(d: Path) -> Path:
    """Two files that fail on format."""
    _webp(d / "a.webp")
    _webp(d / "sub" / "b.webp", seed=40)
    return d


def _records(out: Path) -> list[Path]:
    return sorted(out.glob("mediaaudit-fix-*.json"))


# --- 1. --out must not overlap a source ----------------------------------------------

def _overlap_case(tmp: Path, case: str) -> tuple[list[str], Path]:
    """(PATHS, --out) for each way --out can overlap the originals."""
    src = _uploads(tmp / "up")
    if case == "same":
        return [str(src)], src
    if case == "inside":
        return [str(src)], src / "fixed"
    if case == "contains":
        return [str(src)], tmp
    if case == "through_symlink":  # --out's parent is a link into the source
        (tmp / "alias").symlink_to(src)
        return [str(src)], tmp / "alias" / "fixed"
    if case == "file_in_out":
        return [str(src / "a.webp")], src
    if case == "second_path":
        other = _uploads(tmp / "other")
        return [str(other), str(src / "sub")], src / "sub" / "fixed"
    raise AssertionError(case)


@pytest.mark.parametrize("case", ["same", "inside", "contains", "through_symlink",
                                  "file_in_out", "second_path"])
@pytest.mark.parametrize("dry_run", [False, True])
def test_fix_refuses_out_overlapping_a_source(tmp_path: Path, case: str,
                                              dry_run: bool) -> None:
    """Issue 26: ``fix up --out up`` said '0 files …' and exited 0 although two files
    fail on format (the walk skipped everything under --out, i.e. everything).  Now it
    is a usage error: one line, exit 2, nothing written."""
    paths, out = _overlap_case(tmp_path, case)
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    extra = ["--dry-run"] if dry_run else []
    for lang, words in (("en", "overlaps the source"), ("nl", "overlapt met de bron")):
        r = run_cli("fix", *paths, "--out", str(out), "--lang", lang, *extra)
        assert r.exit_code == 2, (case, r.exit_code, r.stderr)
        lines = r.stderr.splitlines()
        prefix = {"en": "mediaaudit: error: --out ", "nl": "mediaaudit: fout: --out "}[lang]
        assert len(lines) == 1 and lines[0].startswith(prefix), r.stderr
        assert words in lines[0], lines[0]
        assert "Traceback" not in r.stderr and r.stdout == ""
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before  # nothing created


def test_fix_beside_the_source_still_converts(tmp_path: Path) -> None:
    """The guard does not catch a sibling whose name starts like the source's
    (``up`` and ``up-fixed``): both files there are converted."""
    src = _uploads(tmp_path / "up")
    out = tmp_path / "up-fixed"
    r = run_cli("fix", str(src), "--out", str(out), "-q")
    assert r.exit_code == 0, r.stderr
    assert sorted(str(p.relative_to(out)) for p in out.rglob("*.jpg")) == [
        "a.jpg", "sub/b.jpg"]


# --- 2. one fix record per run, never overwritten ------------------------------------

def _start_together(out: Path, sources: list[Path]) -> list[subprocess.Popen[str]]:
    """Start one real ``mediaaudit fix`` per source, all into ``out``, just after a
    wall-clock second begins, so their records are named within the same second."""
    time.sleep(1.0 - time.time() % 1.0 + 0.01)
    return [subprocess.Popen([sys.executable, "-m", "mediaaudit", "fix", str(s), "--out",
                              str(out), "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for s in sources]


def test_two_fix_runs_in_one_second_keep_both_records(tmp_path: Path) -> None:
    """Issue 26: two runs in the same second left one record (the second replaced the
    first).  Each run now creates its own record (time plus a random suffix, O_EXCL),
    and each record lists the derivatives of its own run."""
    a, b = _webp(tmp_path / "a" / "one.webp"), _webp(tmp_path / "b" / "two.webp", seed=9)
    for attempt in range(3):
        out = tmp_path / f"out{attempt}"
        procs = _start_together(out, [a.parent, b.parent])
        for p in procs:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
        records = _records(out)
        assert len(records) == 2, [r.name for r in records]
        docs = [json.loads(r.read_text()) for r in records]
        made = sorted([Path(d["derivative"]["path"]).name for d in doc["derivatives"]]
                      for doc in docs)
        assert made == [["one.jpg"], ["two.jpg"]]
        stamps = {r.name.rsplit("-", 1)[0] for r in records}
        if len(stamps) == 1:  # both named in the same second: the case of the issue
            return
    pytest.fail("the two runs never named their records within the same second")


def test_records_of_one_second_get_their_own_names(tmp_path: Path) -> None:
    """The same start time twice in one process (same pid): two files, each with its
    own content; a name is claimed with O_EXCL, so the second never lands on the first."""
    from mediaaudit.fix.provenance import write_record

    first = write_record(str(tmp_path), "2026-12-06T01:58:22Z", {"run": 1})
    second = write_record(str(tmp_path), "2026-12-06T01:58:22Z", {"run": 2})
    assert first != second
    assert [Path(p).name.startswith("mediaaudit-fix-20261206T015822Z-")
            for p in (first, second)] == [True, True]
    assert [json.loads(Path(p).read_text())["run"] for p in (first, second)] == [1, 2]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        Path(p).name for p in (first, second))  # no temporary file left


# --- 3. memory: a small file with a huge canvas ---------------------------------------

def _flat_vp8l(path: Path, w: int, h: int) -> Path:
    """A valid lossless WebP of ``w`` x ``h`` pixels of one colour in about 32 bytes,
    written bit by bit (WebP Lossless Bitstream, RFC 9649): no transforms, no colour
    cache, and five 'simple' prefix codes of one symbol each, so every pixel costs zero
    bits.  libwebp decodes it whole, so it needs the memory of its declared canvas: the
    shape of the 294 KB WebP that took ``fix`` to 3.6 GB (issue 26)."""
    bits: list[int] = []

    def put(value: int, n: int) -> None:
        bits.extend((value >> i) & 1 for i in range(n))

    put(w - 1, 14), put(h - 1, 14), put(0, 1), put(0, 3)  # size, no alpha, version 0
    put(0, 1), put(0, 1), put(0, 1)  # no transform, no colour cache, one prefix group
    for symbol in (210, 200, 220, 255):  # green, red, blue, alpha: one 8-bit symbol
        put(1, 1), put(0, 1), put(1, 1), put(symbol, 8)
    put(1, 1), put(0, 1), put(0, 1), put(0, 1)  # distance: one 1-bit symbol, 0
    bits.extend([0] * (-len(bits) % 8))
    body = b"\x2f" + bytes(sum(b << i for i, b in enumerate(bits[k:k + 8]))
                           for k in range(0, len(bits), 8))
    chunk = b"VP8L" + len(body).to_bytes(4, "little") + body + b"\0" * (len(body) % 2)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"RIFF" + (4 + len(chunk)).to_bytes(4, "little") + b"WEBP" + chunk)
    Path(str(path) + ".license").write_text(LICENCE)
    return path


def test_flat_vp8l_is_a_real_webp(tmp_path: Path) -> None:
    """The hand-made file is what it claims: Pillow (libwebp) decodes every pixel."""
    from PIL import Image

    with Image.open(_flat_vp8l(tmp_path / "f.webp", 40, 30)) as im:
        im.load()
        assert (im.format, im.size, im.getextrema()) == (
            "WEBP", (40, 30), ((200, 200), (210, 210), (220, 220)))


def test_fix_refuses_an_image_over_max_pixels(tmp_path: Path) -> None:
    """A 32-byte WebP that declares 12000 x 12000 pixels passes scan's bomb limit but
    is over --max-pixels: not converted, one line with MA-IO-007 and the option, the
    same reason in the fix record; nothing decoded, nothing written but the record."""
    big = _flat_vp8l(tmp_path / "in" / "canvas.webp", 12000, 12000)
    assert big.stat().st_size < 64
    out = tmp_path / "out"
    r = run_cli("fix", str(big.parent), "--out", str(out), "--max-pixels", "50000000")
    assert r.exit_code == 1, r.stderr
    line = [x for x in r.stderr.splitlines() if "canvas.webp" in x]
    assert line == [f"mediaaudit: {big}: cannot be fixed by conversion: MA-IO-007 The image "
                    "claims 144000000 pixels, above the safety limit. fix converts images "
                    "of up to 50000000 pixels (--max-pixels)"], r.stderr
    (record,) = _records(out)
    doc = json.loads(record.read_text())
    assert doc["options"]["max_pixels"] == 50_000_000
    assert [(n["path"], n["blocking"]) for n in doc["not_fixed"]] == [(str(big), ["MA-IO-007"])]
    assert doc["derivatives"] == [] and sorted(out.iterdir()) == [record]
    nl = run_cli("fix", str(big), "--out", str(out), "--max-pixels", "50000000",
                 "--lang", "nl", "--dry-run")
    assert nl.exit_code == 1 and "MA-IO-007 Het beeld claimt 144000000 pixels" in nl.stdout
    assert "fix zet beelden tot 50000000 pixels om (--max-pixels)" in nl.stdout
    over = run_cli("fix", str(big), "--out", str(out), "--max-pixels", "178956971")
    assert over.exit_code == 2 and "178956970" in over.stderr  # scan's limit is the ceiling


def test_the_default_limit_refuses_the_canvas_that_took_fix_to_3_6_gb(tmp_path: Path) -> None:
    """Without --max-pixels: Pillow's own bomb warning level (89,478,485 pixels) is the
    default, so a small WebP declaring 144 MP is refused from its header, not decoded."""
    big = _flat_vp8l(tmp_path / "in" / "canvas.webp", 12000, 12000)
    r = run_cli("fix", str(big), "--out", str(tmp_path / "out"))
    assert r.exit_code == 1 and "MA-IO-007" in r.stderr, r.stderr
    assert "of up to 89478485 pixels (--max-pixels)" in r.stderr


def test_max_pixels_is_inclusive(tmp_path: Path) -> None:
    """48 x 32 = 1536 pixels: converted at --max-pixels 1536, refused at 1535."""
    src = _webp(tmp_path / "in" / "small.webp")
    ok = run_cli("fix", str(src), "--out", str(tmp_path / "ok"), "--max-pixels", "1536", "-q")
    assert ok.exit_code == 0, ok.stderr
    assert (tmp_path / "ok" / "small.jpg").is_file()
    no = run_cli("fix", str(src), "--out", str(tmp_path / "no"), "--max-pixels", "1535", "-q")
    assert no.exit_code == 1 and "MA-IO-007" in no.stderr, no.stderr
    assert not (tmp_path / "no" / "small.jpg").exists()


@pytest.mark.parametrize("limit", [1535, 1000])
def test_the_converter_checks_the_limit_itself(tmp_path: Path, limit: int) -> None:
    """The child does not trust the audit's size: a file over the limit is refused with
    MA-IO-007 whether Pillow's guard (1000: over twice the half) or the converter's own
    check (1535: one pixel over) stops it; Pillow's threshold is put back after."""
    from PIL import Image

    from mediaaudit.fix.plan import Action, Options
    from mediaaudit.fix.run import Job, execute

    src = _webp(tmp_path / "small.webp")
    before = Image.MAX_IMAGE_PIXELS
    done = execute(Job(str(src), str(tmp_path / ".t"), Action.CONVERT_IMAGE, None,
                       Options(max_pixels=limit)))
    assert not done.ok and done.error is not None
    assert done.error.startswith("MA-IO-007 The image claims 1536 pixels"), done.error
    now = Image.MAX_IMAGE_PIXELS
    assert now == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.webp", "small.webp.license"]


_UNDER_1GB = """
import json, resource, sys
cap = 1 << 30
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
from mediaaudit.fix.plan import Action, Options
from mediaaudit.fix.run import Job, execute
src, prefix, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
done = execute(Job(src, prefix, Action.CONVERT_IMAGE, None, Options(max_pixels=limit)))
print(json.dumps({"ok": done.ok, "error": done.error, "target": done.target}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS as on Linux")
def test_conversion_stays_under_1gb_of_address_space(tmp_path: Path) -> None:
    """The converter, run in a process that cannot have more than 1 GiB of address
    space: the 12000 x 12000 canvas cannot even get its decoder there (the control,
    with scan's limit), and with --max-pixels 50 M it is refused by MA-IO-007 from its
    header; a 6 MP photograph-size WebP still converts under the same cap."""
    canvas = _flat_vp8l(tmp_path / "canvas.webp", 12000, 12000)
    photo = tmp_path / "photo.webp"
    factory.picture(3000, 2000).save(photo, quality=80)

    def convert(src: Path, limit: int) -> dict[str, object]:
        r = subprocess.run([sys.executable, "-c", _UNDER_1GB, str(src),
                            str(tmp_path / f".{src.stem}-{limit}"), str(limit)],
                           capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        return dict(json.loads(r.stdout))

    control = convert(canvas, 178_956_970)
    assert control["ok"] is False and "MA-IO-007" not in str(control["error"]), control
    refused = convert(canvas, 50_000_000)
    assert refused["ok"] is False, refused
    assert str(refused["error"]).startswith("MA-IO-007 The image claims 144000000 pixels")
    converted = convert(photo, 50_000_000)
    assert converted == {"ok": True, "error": None, "target": "jpeg"}


_WITHIN_BUDGET = """
import json, resource, sys
from mediaaudit.fix.plan import Action, Options
from mediaaudit.fix.run import Job, execute
warm, src, prefix, per_pixel, pixels = sys.argv[1], sys.argv[2], sys.argv[3], *map(
    int, sys.argv[4:6])
execute(Job(warm, prefix + "-warm", Action.CONVERT_IMAGE, None, Options()))  # libraries in
size = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
cap = size + per_pixel * pixels
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
done = execute(Job(src, prefix, Action.CONVERT_IMAGE, None, Options()))
print(json.dumps({"ok": done.ok, "error": done.error}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="/proc and RLIMIT_AS")
def test_lossy_webp_converts_within_20_bytes_per_pixel(tmp_path: Path) -> None:
    """A 12 MP lossy WebP becomes a JPEG with at most 20 bytes of address space per
    pixel on top of what the converter already holds.  Pillow's WebP decoder needs
    16 (two RGBA canvases, a copy of the frame, the image); before issue 26 the
    decoder was still held while libjpeg buffered the whole image for its optimised
    Huffman tables (~23 bytes per pixel: 3.6 GB for a 13000 x 13000 canvas)."""
    from PIL import Image

    w, h = 4000, 3000
    noise = Image.effect_noise((w, h), 40)
    Image.merge("RGB", (noise, Image.linear_gradient("L").resize((w, h)), noise)).save(
        tmp_path / "photo.webp", quality=80)
    _webp(tmp_path / "warm.webp")
    r = subprocess.run([sys.executable, "-c", _WITHIN_BUDGET, str(tmp_path / "warm.webp"),
                        str(tmp_path / "photo.webp"), str(tmp_path / ".t"), "20", str(w * h)],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"ok": True, "error": None}
    assert (tmp_path / ".t.jpg").stat().st_size > 0
