"""Each byte is read once: the probe's hashing pass keeps a file of up to
``contents.KEEP_BYTES`` in memory and the structure walkers read it from there.

The proof that nothing a user sees changed: every real file (tests/realworld, whose
golden table holds intact, damaged and fuzzed files of ~100 formats, and sample_media)
gives the same facts whether its bytes were kept or read again from disk, as the probe
did before.  Evaluation is a pure function of the facts, so equal facts are equal
verdicts, findings and messages.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PIL import Image

from mediaaudit import digest, scan
from mediaaudit.model import FileRef
from mediaaudit.probe import contents, identify

HERE = Path(__file__).parent
REAL = sorted(p for root in (HERE / "realworld" / "files", HERE.parent / "sample_media")
              for p in root.rglob("*") if p.is_file())


def _facts(path: Path, match: dict[str, object]) -> object:
    return scan.probe_one(FileRef(str(path), path.name, 0, 0), match=match)


def test_kept_bytes_give_the_same_facts_as_reading_the_file_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert len(REAL) > 1900
    matches = dict(zip(REAL, identify.pronom_many([str(p) for p in REAL], 2), strict=True))
    kept = {p: _facts(p, matches[p]) for p in REAL}
    monkeypatch.setattr(contents, "KEEP_BYTES", -1)  # nothing kept: every walker reopens
    differ = [str(p) for p in REAL if _facts(p, matches[p]) != kept[p]]
    assert differ == []


def _rchar() -> int:
    """Bytes this process has read through read(2) and friends (page cache included)."""
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no rchar in /proc/self/io")


def _photo(path: Path) -> Path:
    """A 12-megapixel camera-sized JPEG (~3.5 MB): noise upscaled, as the bench makes."""
    small = Image.effect_noise((500, 375), 40)
    im = Image.merge("RGB", (small, small.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
                             small.rotate(180)))
    im.resize((4000, 3000), Image.Resampling.BICUBIC).save(path, "JPEG", quality=95)
    return path


@pytest.mark.skipif(not Path("/proc/self/io").exists(), reason="needs Linux /proc")
def test_a_12_megapixel_jpeg_is_read_once(tmp_path: Path) -> None:
    """Hash, libmagic, Pillow's header read, the JPEG walk and the metadata readers
    together read the file ~1.0 times (it was 2.3: the walk read it again, in 1 MiB
    pieces that overlapped).  siegfried runs in its own process and is not counted."""
    photo = _photo(tmp_path / "IMG_0001.jpg")
    size = photo.stat().st_size
    match = identify.pronom(str(photo))
    warm = _facts(photo, match)  # loads decoders and the magic database
    before = _rchar()
    facts = _facts(photo, match)
    read = _rchar() - before
    assert facts == warm
    assert read / size <= 1.05, f"{read:,} bytes read for a {size:,}-byte file"


def test_the_hashing_pass_keeps_only_what_fits(tmp_path: Path) -> None:
    data = os.urandom(200_000)
    path = tmp_path / "f.bin"
    path.write_bytes(data)
    sha, head, kept = digest.sha256_head_and_contents(str(path), 1024, 200_000)
    assert (sha, head, kept) == (digest.sha256_file(str(path)), data[:1024], data)
    sha2, head2, none = digest.sha256_head_and_contents(str(path), 1024, 199_999)
    assert (sha2, head2, none) == (sha, data[:1024], None)  # streamed, nothing kept
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    assert digest.sha256_head_and_contents(str(empty), 1024, 10)[1:] == (b"", b"")


def test_only_files_a_walker_reads_to_the_end_are_kept() -> None:
    """A JPEG, PNG or MP3 is walked to its end, so its bytes are kept; a HEIC or MP4 is
    walked by its box headers, and keeping it would only cost memory and page faults."""
    from mediaaudit.probe import structure

    files = HERE / "realworld" / "files"
    kept = {p.suffix.lower(): digest.sha256_head_and_contents(
        str(p), 1024, 1 << 30, structure.reads_whole)[2] is not None
        for p in (HERE.parent / "sample_media" / "campagne.jpg",
                  HERE.parent / "sample_media" / "stadhuis.png",
                  HERE.parent / "sample_media" / "IMG_4521.HEIC",
                  HERE.parent / "sample_media" / "interview.mp4",
                  next(files.rglob("*.mp3")))}
    assert kept == {".jpg": True, ".png": True, ".mp3": True, ".heic": False, ".mp4": False}


def test_the_hashing_pass_never_opens_a_fifo(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.jpg")
    with pytest.raises(digest.NotRegular):
        digest.sha256_head_and_contents(str(tmp_path / "pipe.jpg"), 1024, 1 << 20)


def test_kept_bytes_are_only_for_the_file_being_probed(tmp_path: Path) -> None:
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(b"on disk a")
    b.write_bytes(b"on disk b")
    with (contents.holding(str(a), b"kept a"), contents.open_probed(str(a)) as fa,
          contents.open_probed(str(b)) as fb):
        assert (fa.read(), fb.read()) == (b"kept a", b"on disk b")
        assert contents.whole(fa) == b"kept a" and contents.whole(fb) is None
    with contents.open_probed(str(a)) as fa:
        assert fa.read() == b"on disk a"
