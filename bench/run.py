"""Benchmark mediaaudit against exiftool, mediainfo and file on one generated corpus.

Run by hand (never as a test; these VMs are noisy):

    .venv/bin/python bench/run.py                  # 2,000 images + 50 videos
    .venv/bin/python bench/run.py --images 20000 --small   # memory at 20,000 files

Prints files/s for each tool, the ratios, and mediaaudit's peak memory (the sum of PSS
over its process tree, sampled every 20 ms).  The corpus is kept in bench/.corpus-N for reuse.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

MIX = [("jpg", 40), ("png", 20), ("webp", 15), ("gif", 7), ("tif", 10), ("jp2", 3), ("avif", 5)]


def _image(args: tuple[int, str, str, tuple[int, int]]) -> None:
    from PIL import Image

    import fixtures_rights as fr

    i, ext, out, size = args
    noise = Image.effect_noise(size, 40 + i % 30)
    im = Image.merge("RGB", (noise, noise.rotate(90, expand=False), noise.transpose(0)))
    p = Path(out) / f"{i // 500:03d}" / f"img{i:06d}.{ext}"
    p.parent.mkdir(parents=True, exist_ok=True)
    meta = i % 2 == 0
    packet = fr.xmp(f'<cc:license rdf:resource="{fr.CC_BY}"/>' + fr.seq("dc:creator", "Bench"))
    ex = Image.Exif()
    ex[0x8298] = "(c) 2026 Bench"
    if ext == "jpg":
        im.save(p, "JPEG", quality=85, **({"exif": ex, "xmp": packet} if meta else {}))
    elif ext == "png":
        im.save(p, "PNG", compress_level=1, **({"exif": ex} if meta else {}))
    elif ext == "webp":
        im.save(p, "WEBP", quality=70, **({"exif": ex, "xmp": packet} if meta else {}))
    elif ext == "gif":
        im.convert("P").save(p, "GIF")
    elif ext == "tif":
        im.save(p, "TIFF", compression="tiff_lzw" if meta else None)
    elif ext == "jp2":
        im.save(p, "JPEG2000")
    elif ext == "avif":
        im.save(p, "AVIF", quality=50)


def _video(args: tuple[int, str]) -> None:
    import factory

    i, out = args
    kinds = [("mp4", "mp4", "libx264", "aac"), ("mov", "mov", "libx264", "aac"),
             ("mkv", "matroska", "ffv1", "flac"), ("webm", "webm", "libvpx-vp9", "libopus"),
             ("hevc.mp4", "mp4", "libx265", "aac")]
    ext, fmt, v, a = kinds[i % len(kinds)]
    p = Path(out) / "video" / f"clip{i:04d}.{ext}"
    p.parent.mkdir(parents=True, exist_ok=True)
    factory.video(p, fmt, v, a, frames=50, metadata={"copyright": "CC BY 4.0 Bench"})


def corpus(images: int, videos: int, size: tuple[int, int]) -> Path:
    out = HERE / f".corpus-{images}-{videos}" if size == (640, 480) else \
        HERE / f".corpus-{images}-{videos}-{size[0]}"
    if (out / ".done").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    plan = []
    total = sum(w for _, w in MIX)
    for ext, w in MIX:
        plan += [ext] * round(images * w / total)
    plan = (plan + ["jpg"] * images)[:images]
    t = time.monotonic()
    with ProcessPoolExecutor() as pool:
        list(pool.map(_image, [(i, e, str(out), size) for i, e in enumerate(plan)],
                      chunksize=32))
        list(pool.map(_video, [(i, str(out)) for i in range(videos)]))
    (out / "mediaaudit.toml").write_text('[policy]\norganisation = "Bench"\n')
    (out / ".done").write_text("")
    print(f"corpus: {images} images + {videos} videos generated in {time.monotonic() - t:.0f} s")
    return out


def _tree_rss(pid: int) -> int:
    """Memory in bytes of pid and all its descendants: the sum of PSS (shared library
    pages divided among the processes that map them, so they are not counted twice)."""
    total = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo += [int(c) for c in fh.read().split()]
        except (OSError, ValueError):
            continue
    return total


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, int, int]:
    """Wall seconds, peak tree RSS, exit code."""
    peak = 0
    t = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd)
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss(proc.pid))
            time.sleep(0.02)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    rc = proc.wait()
    done.set()
    th.join()
    return time.monotonic() - t, peak, rc


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--images", type=int, default=2000)
    ap.add_argument("--videos", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--small", action="store_true",
                    help="160x120 images (for the file-count/memory check)")
    args = ap.parse_args()
    root = corpus(args.images, args.videos, (160, 120) if args.small else (640, 480))
    files = [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")
             and p.suffix != ".toml"]
    n = len(files)
    exe = str(Path(sys.executable).parent / "mediaaudit")
    tmp = Path(tempfile.mkdtemp())
    cache = tmp / "cache.sqlite"
    listing = tmp / "list.txt"
    listing.write_text("\n".join(map(str, files)) + "\n")
    runs: list[tuple[str, list[str]]] = [
        ("mediaaudit scan (cold, no cache)",
         [exe, "scan", str(root), "-q", "--no-cache", "-j", str(args.jobs), "-o",
          str(tmp / "a.json")]),
        ("mediaaudit scan (first run, filling cache)",
         [exe, "scan", str(root), "-q", "--cache", str(cache), "-j", str(args.jobs), "-o",
          str(tmp / "b.json")]),
        ("mediaaudit scan (warm cache)",
         [exe, "scan", str(root), "-q", "--cache", str(cache), "-j", str(args.jobs), "-o",
          str(tmp / "c.json")]),
    ]
    if shutil.which("exiftool"):
        runs.append(("exiftool -json -q -r", ["exiftool", "-json", "-q", "-r", str(root)]))
    if shutil.which("mediainfo"):
        runs.append(("mediainfo --Output=JSON", ["mediainfo", "--Output=JSON",
                                                 *map(str, files)]))
    if shutil.which("file"):
        runs.append(("file --mime-type -b -f list",
                     ["file", "--mime-type", "-b", "-f", str(listing)]))
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; {n} files, {sum(p.stat().st_size for p in files) >> 20}"
          f" MiB; --jobs {args.jobs}")
    results = {}
    for name, cmd in runs:
        wall, rss, rc = timed(cmd)
        results[name] = n / wall
        rss_txt = f"{rss / 2**20:7.0f} MiB PSS" if name.startswith("mediaaudit") else ""
        print(f"{name:<44} {wall:7.2f} s {n / wall:8.0f} files/s {rss_txt}  (exit {rc})")
    cold = results["mediaaudit scan (cold, no cache)"]
    warm = results["mediaaudit scan (warm cache)"]
    for other in ("exiftool -json -q -r", "mediainfo --Output=JSON", "file --mime-type -b -f list"):
        if other in results:
            print(f"  cold / {other}: {cold / results[other]:.2f}x   "
                  f"warm / {other}: {warm / results[other]:.2f}x")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
