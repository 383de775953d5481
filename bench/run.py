"""Benchmark mediaaudit against exiftool, mediainfo and file on one generated corpus.

Run by hand (never as a test; these VMs are noisy):

    .venv/bin/python bench/run.py                  # 2,000 images + 50 videos
    .venv/bin/python bench/run.py --images 20000 --small   # memory at 20,000 files
    .venv/bin/python bench/run.py --big            # ~1 GB: 12 MP JPEGs, phone HEICs, 4K clips
    .venv/bin/python bench/run.py --cluster        # scan --cluster, 1 and 2 Dask workers

Prints files/s and MB/s for each tool, the ratios of the speed goals, and mediaaudit's
peak memory (the sum of PSS over its process tree, sampled every 20 ms for the first second,
then every 0.25 s: reading every process's page tables 50 times a second cost a long scan
~14 % of its time).  ``--repeat N``
runs every tool N times, alternating, and prints the spread.  The corpus is kept in
bench/.corpus-* for reuse.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
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


def _photo(args: tuple[int, str]) -> None:
    """A 12 MP camera-sized JPEG (4000x3000, quality 95, EXIF + XMP on every other one):
    noise upscaled, so it compresses like a real photo (~3.5 MB), not like a flat test card."""
    from PIL import Image

    import fixtures_rights as fr

    i, out = args
    small = Image.effect_noise((500, 375), 30 + i % 40)
    im = Image.merge("RGB", (small, small.transpose(0), small.rotate(180)))
    im = im.resize((4000, 3000), Image.Resampling.BICUBIC)
    p = Path(out) / "photos" / f"{i // 250:03d}" / f"IMG_{i:05d}.jpg"
    p.parent.mkdir(parents=True, exist_ok=True)
    extra = {}
    if i % 2 == 0:
        ex = Image.Exif()
        ex[0x8298] = "(c) 2026 Bench"
        ex[0x010F], ex[0x0110] = "Bench", "Camera 12"
        extra = {"exif": ex, "xmp": fr.xmp(f'<cc:license rdf:resource="{fr.CC_BY}"/>')}
    im.save(p, "JPEG", quality=95, **extra)


def _heic(args: tuple[int, str]) -> None:
    """A phone-sized HEIC (4000x3000, ~3.7 MB, EXIF with the camera and copyright on
    every other one), as a phone saves it; x265's ultrafast preset keeps generation at
    ~2.5 s each.  One coded image, not the 512x512 tile grid an iPhone writes."""
    from PIL import Image
    from pillow_heif import register_heif_opener

    register_heif_opener()
    i, out = args
    small = Image.effect_noise((500, 375), 30 + i % 40)
    im = Image.merge("RGB", (small.rotate(180), small, small.transpose(0)))
    im = im.resize((4000, 3000), Image.Resampling.BICUBIC)
    p = Path(out) / "heic" / f"{i // 250:03d}" / f"IMG_{i:05d}.HEIC"
    p.parent.mkdir(parents=True, exist_ok=True)
    ex = Image.Exif()
    ex[0x010F], ex[0x0110] = "Bench", "Phone 15"
    if i % 2 == 0:
        ex[0x8298] = "(c) 2026 Bench"
    im.save(p, "HEIF", quality=80, exif=ex.tobytes(), enc_params={"preset": "ultrafast"})


def _clip4k(args: tuple[int, str]) -> None:
    """A 4K (3840x2160) H.264 + AAC clip of 8 s at 60 Mbit/s (~60 MB, a phone's 4K rate)
    from ffmpeg's test source with noise."""
    i, out = args
    p = Path(out) / "video" / f"clip4k_{i:03d}.mp4"
    p.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
         f"testsrc2=size=3840x2160:rate=25:duration=8,noise=alls={10 + i % 20}:allf=t",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=8",
         "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "60M", "-maxrate", "60M",
         "-bufsize", "120M", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart",
         "-metadata", "copyright=CC BY 4.0 Bench", str(p)], check=True)


def big_corpus(photos: int, clips: int, heics: int = 0) -> Path:
    """Real-sized files: ``photos`` 12 MP JPEGs, ``heics`` phone HEICs and ``clips`` 4K
    clips (~1 GB and ~4 minutes on two cores at the defaults), to show the cost per byte."""
    out = HERE / (f".corpus-big-{photos}-{clips}" + (f"-{heics}" if heics else ""))
    if (out / ".done").exists():
        return out
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()
    t = time.monotonic()
    with ProcessPoolExecutor() as pool:
        list(pool.map(_photo, [(i, str(out)) for i in range(photos)], chunksize=8))
        list(pool.map(_heic, [(i, str(out)) for i in range(heics)], chunksize=4))
        list(pool.map(_clip4k, [(i, str(out)) for i in range(clips)]))
    (out / "mediaaudit.toml").write_text('[policy]\norganisation = "Bench"\n')
    (out / ".done").write_text("")
    print(f"corpus: {photos} photos + {heics} HEICs + {clips} 4K clips generated in "
          f"{time.monotonic() - t:.0f} s")
    return out


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


SAMPLE_FAST, SAMPLE_SLOW = 0.02, 0.25  # seconds: before and after the first second


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
            time.sleep(SAMPLE_FAST if time.monotonic() - t < 1 else SAMPLE_SLOW)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    rc = proc.wait()
    done.set()
    th.join()
    return time.monotonic() - t, peak, rc


GOALS = (  # (what, mediaaudit run, other tool, at least this ratio)
    ("cold", "mediaaudit scan (cold, no cache)", "exiftool -json -q -r", 1.4),
    ("warm", "mediaaudit scan (warm cache)", "file --mime-type -b -f list", 1.0),
)
MEMORY_GOAL_MB = 300


def _spread(values: list[float], fmt: str = "{:.0f}") -> str:
    lo, hi = min(values), max(values)
    return fmt.format(lo) if len(values) == 1 or fmt.format(lo) == fmt.format(hi) else \
        f"{fmt.format(lo)}-{fmt.format(hi)}"


# --- scan --cluster ---------------------------------------------------------------------

DASK = str(Path(sys.executable).parent / "dask")
STREAM = """
import json, sys, distributed
with distributed.Client(sys.argv[1], timeout=20) as c:
    out = []
    for t in c.get_task_stream():
        if str(t["key"]).startswith(sys.argv[2]):
            run = [s for s in t["startstops"] if s["action"] == "compute"]
            out.append([str(t["key"]), t["worker"], sum(s["stop"] - s["start"] for s in run)])
    if sys.argv[3] == "noop":  # the round trip of an empty task, one after the other
        import time
        t0 = time.monotonic()
        for i in range(200):
            c.submit(int, i, pure=False).result()
        out.append(["noop", "", (time.monotonic() - t0) / 200])
    print(json.dumps(out))
"""


def _dask_up(workers: int, env: dict[str, str], logs: Path
             ) -> tuple[str, list[subprocess.Popen[bytes]]]:
    """A scheduler and ``workers`` single-threaded workers (each under its nanny) on this
    machine, as 'dask scheduler' and 'dask worker' start them on other machines."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    log = open(logs / f"dask-{workers}.log", "ab")  # noqa: SIM115 - the processes' log
    procs = [subprocess.Popen([DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], env=env, stdout=log, stderr=log)]
    procs += [subprocess.Popen([DASK, "worker", address, "--nthreads", "1", "--no-dashboard",
                                "--local-directory", str(logs)], env=env, stdout=log,
                               stderr=log) for _ in range(workers)]
    subprocess.run([sys.executable, "-c", "import sys, distributed\n"
                    "with distributed.Client(sys.argv[1], timeout=30) as c:\n"
                    "    c.wait_for_workers(int(sys.argv[2]), timeout=120)\n",
                    address, str(workers)], env=env, check=True, capture_output=True)
    # the scheduler keeps a task stream from the first time one is asked for
    subprocess.run([sys.executable, "-c", STREAM, address, "-", "-"], env=env, check=True,
                   capture_output=True)
    return address, procs


def _client_run(cmd: list[str], env: dict[str, str]) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds of the scan's own process tree, exit code, pid."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True)
    _, err = proc.communicate()
    wall = time.monotonic() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode not in (0, 1):
        print(f"exit {proc.returncode}: {err.strip()}")
    return wall, cpu, proc.returncode, proc.pid


def cluster_bench(exe: str, root: Path, n: int, mib: float, repeat: int) -> None:
    """files/s of a cold scan (no cache) on this machine with -j 1 and -j 2, and with
    --cluster on 1 and 2 local Dask workers; then, from the scheduler's task stream, how
    the work divided: tasks, files, MiB read and seconds of probing per worker, the cost
    per file, the round trip of an empty task, and the client's CPU per file (walk,
    evaluation, manifest: the part that does not spread over machines)."""
    import json

    sys.path.insert(0, str(HERE.parent / "src"))
    from mediaaudit.cluster import _batches
    from mediaaudit.walk import walk

    tmp = Path(tempfile.mkdtemp())
    # every process runs one copy of the source: an edit in the work tree during the run
    # would otherwise make the workers differ from the client, and the scan refuse them
    shutil.copytree(HERE.parent / "src" / "mediaaudit", tmp / "src" / "mediaaudit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(HERE.parent / "formats", tmp / "formats")  # the built-in profiles
    env = {**os.environ, "MEDIAAUDIT_CACHE_DIR": str(tmp / "cache"),
           "PYTHONPATH": str(tmp / "src")}
    refs, _ = walk([str(root)])
    batches = list(_batches(refs))
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python "
          f"{platform.python_version()}; {n} files, {mib:.0f} MiB; cold scans (--no-cache), "
          f"{repeat} run(s) each; {len(batches)} batches of up to {len(batches[0])} files")
    base = [exe, "scan", str(root), "-q", "--no-cache", "-o", str(tmp / "m.json")]
    for jobs in (1, 2):
        walls = [_client_run([*base, "-j", str(jobs)], env)[0] for _ in range(repeat)]
        print(f"{f'local scan -j {jobs}':<34} {_spread([n / w for w in walls]):>8} files/s")
    for workers in (1, 2):
        address, procs = _dask_up(workers, env, tmp)
        try:
            warm = [*base[:2], str(HERE.parent / "sample_media"), *base[3:]]
            _client_run([*warm, "--cluster", address], env)  # workers start their pools
            rows = []
            for _ in range(repeat):
                wall, cpu, _rc, pid = _client_run([*base, "--cluster", address], env)
                rows.append((wall, cpu, pid))
            stream = json.loads(subprocess.run(
                [sys.executable, "-c", STREAM, address, f"mediaaudit-probe-{rows[-1][2]}-",
                 "noop"], env=env, capture_output=True, text=True, check=True).stdout)
        finally:
            for p in reversed(procs):
                p.terminate()
            for p in procs:
                p.wait(30)
        rate = _spread([n / w for w, _, _ in rows])
        print(f"{f'scan --cluster, {workers} worker(s)':<34} {rate:>8} files/s  "
              f"(client CPU {1000 * rows[-1][1] / n:.2f} ms/file)")
        noop = stream.pop()[2]
        per: dict[str, list[float]] = {}
        for key, worker, secs in stream:
            b = batches[int(key.rsplit("-", 1)[1]) - 1]
            w = per.setdefault(worker, [0, 0, 0.0, 0.0])
            w[0] += 1
            w[1] += len(b)
            w[2] += sum(r.size for r in b) / 2**20
            w[3] += secs
        for worker, (tasks, nf, mb, secs) in sorted(per.items()):
            print(f"    {worker}: {tasks} tasks, {nf} files, {mb:.0f} MiB read, "
                  f"{secs:.1f} s probing ({1000 * secs / max(1, nf):.1f} ms/file)")
        total = sum(v[3] for v in per.values())
        wall = rows[-1][0]
        idle = max(0.0, wall * len(per) - total)
        print(f"    empty task round trip {1000 * noop:.1f} ms; worker time not probing "
              f"{idle:.1f} s = {1000 * idle / len(batches):.0f} ms per batch "
              f"(start, connection, check, the last batches' tail)")
    shutil.rmtree(tmp, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--images", type=int, default=2000)
    ap.add_argument("--videos", type=int, default=50)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--small", action="store_true",
                    help="160x120 images (for the file-count/memory check)")
    ap.add_argument("--big", action="store_true",
                    help="12 MP JPEGs, phone HEICs and 4K clips (--photos, --heics, --clips)")
    ap.add_argument("--photos", type=int, default=120)
    ap.add_argument("--heics", type=int, default=60)
    ap.add_argument("--clips", type=int, default=6)
    ap.add_argument("--repeat", type=int, default=1,
                    help="run every tool this many times, alternating, and print the spread")
    ap.add_argument("--cluster", action="store_true",
                    help="scan --cluster on a local Dask scheduler with 1 and 2 workers, next "
                         "to the local scan, and how the work divides")
    args = ap.parse_args()
    if args.big:
        root = big_corpus(args.photos, args.clips, args.heics)
    else:
        root = corpus(args.images, args.videos, (160, 120) if args.small else (640, 480))
    files = [p for p in root.rglob("*") if p.is_file() and not p.name.startswith(".")
             and p.suffix != ".toml"]
    n = len(files)
    mib = sum(p.stat().st_size for p in files) / 2**20
    exe = str(Path(sys.executable).parent / "mediaaudit")
    if args.cluster:
        cluster_bench(exe, root, n, mib, args.repeat)
        return
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
          f"{platform.python_version()}; {n} files, {mib:.0f} MiB; --jobs {args.jobs}; "
          f"{args.repeat} run(s) of each, alternating")
    walls: dict[str, list[float]] = {name: [] for name, _ in runs}
    peaks: dict[str, list[float]] = {name: [] for name, _ in runs}
    for _ in range(args.repeat):
        for f in tmp.glob("cache.sqlite*"):
            f.unlink()  # "first run" starts from an empty cache every time
        for name, cmd in runs:
            wall, rss, rc = timed(cmd)
            walls[name].append(wall)
            peaks[name].append(rss / 2**20)
            if rc not in (0, 1):
                print(f"{name}: exit {rc}")
    print(f"{'':<44} {'files/s':>12} {'MB/s':>10}  peak memory (PSS)")
    for name, _ in runs:
        rate = [n / w for w in walls[name]]
        mbs = [mib * 1.048576 / w for w in walls[name]]
        mem = f"{_spread(peaks[name])} MiB" if name.startswith("mediaaudit") else ""
        print(f"{name:<44} {_spread(rate):>12} {_spread(mbs):>10}  {mem}")
    for what, ours, other, goal in GOALS:
        if other not in walls:
            continue
        ratios = [o / m for m, o in zip(walls[ours], walls[other], strict=True)]
        met = "met" if statistics.median(ratios) >= goal else "NOT met"
        print(f"{what}: mediaaudit / {other}: {_spread(ratios, '{:.2f}')}x "
              f"(goal >= {goal}x: {met})")
    worst = max(max(v) for k, v in peaks.items() if k.startswith("mediaaudit"))
    print(f"peak memory: {worst:.0f} MiB (goal < {MEMORY_GOAL_MB} MB: "
          f"{'met' if worst * 1.048576 < MEMORY_GOAL_MB else 'NOT met'})")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
