"""``scan --cluster``: the same manifest when a real Dask cluster probes.

A real scheduler and two real worker processes (``dask scheduler`` / ``dask worker``,
each worker under its nanny) run on localhost; ``mediaaudit scan`` runs as a user runs
it, in its own process.  The workers' environment carries the test fault seam
(``MEDIAAUDIT_TEST_FAULT``), the client's does not: a file named ``fault-crash-*`` crashes
only where the cluster probes it, so a file that crashes proves it was probed remotely
and an archive member that does not proves it was probed here.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from mediaaudit.configerrors import PolicyError
from mediaaudit.policy import build_policy

pytestmark = pytest.mark.skipif(importlib.util.find_spec("distributed") is None,
                                reason="the cluster extra (dask[distributed]) is not installed")

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent / "sample_media"
REALWORLD = HERE / "realworld" / "files"
FORMAT_ONLY = ("--ignore", "MA-LIC", "--ignore", "MA-PRV", "--ignore", "MA-PRT",
               "--ignore", "MA-ACC", "--ignore", "MA-AI")
DASK = str(Path(sys.executable).parent / "dask")
# On the workers only: crash/hang are the supervised pool's own seams (a probe process
# dies or hangs); killworker kills the Dask worker itself; slow makes a scan last.
FAULTS = ("crash:fault-crash-*,hang:fault-hang-*,killworker:fault-killer-*,"
          "slow:fault-slow-*")  # the real-world corpus has fuzzers' crash-* files


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A scheduler and its workers, as processes this test started (ended by their pid)."""

    address: str
    env: dict[str, str]
    logs: Path
    procs: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def _spawn(self, name: str, cmd: list[str], env: dict[str, str] | None = None
               ) -> subprocess.Popen[bytes]:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - the process's log
        proc = subprocess.Popen(cmd, env=env or self.env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        log.close()
        self.procs.append(proc)
        return proc

    def worker(self, env: dict[str, str] | None = None, nanny: bool = True
               ) -> subprocess.Popen[bytes]:
        cmd = [DASK, "worker", self.address, "--nthreads", "1", "--no-dashboard",
               "--local-directory", str(self.logs), "--death-timeout", "20"]
        return self._spawn(f"worker{len(self.procs)}", cmd + ([] if nanny else ["--no-nanny"]),
                           env)

    def worker_pids(self) -> list[int]:
        """The Dask worker processes (children of the nannies this test started)."""
        import psutil

        return [c.pid for p in self.procs[1:] if p.poll() is None
                for c in psutil.Process(p.pid).children()
                if "spawn_main" in " ".join(c.cmdline())]

    def probe_tasks(self) -> int:
        """How many probe tasks the scheduler has seen run (its task stream)."""
        code = ("import sys, distributed\n"
                "with distributed.Client(sys.argv[1], timeout=20) as c:\n"
                "    print(sum(1 for t in c.get_task_stream() "
                "if str(t['key']).startswith('mediaaudit-probe')))\n")
        out = subprocess.run([sys.executable, "-c", code, self.address], env=self.env,
                             capture_output=True, text=True, timeout=60, check=True)
        return int(out.stdout.strip().splitlines()[-1])

    def wait_for(self, workers: int) -> None:
        """Until the scheduler answers and has ``workers`` workers."""
        code = ("import sys, distributed\n"
                "with distributed.Client(sys.argv[1], timeout=30) as c:\n"
                "    if int(sys.argv[2]):\n"
                "        c.wait_for_workers(int(sys.argv[2]), timeout=90)\n")
        subprocess.run([sys.executable, "-c", code, self.address, str(workers)], env=self.env,
                       capture_output=True, timeout=120, check=True)

    def stop(self) -> None:
        for p in reversed(self.procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(p.pid, signal.SIGKILL)
                p.wait(5)


def start_cluster(tmp: Path, workers: int) -> Cluster:
    tmp.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    env = {**os.environ, "MEDIAAUDIT_TEST_FAULT": FAULTS,
           "MEDIAAUDIT_CACHE_DIR": str(tmp / "worker-cache"),
           # a file that kills its worker twice is given up on (Dask's default: 3 times)
           "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "1"}
    c = Cluster(f"tcp://127.0.0.1:{port}", env, tmp)
    c._spawn("scheduler", [DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                           "--no-dashboard"])
    for _ in range(workers):
        c.worker()
    try:
        c.wait_for(workers)
    except BaseException:
        c.stop()
        raise
    return c


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    c = start_cluster(tmp_path_factory.mktemp("dask"), 2)
    try:
        c.probe_tasks()  # starts the scheduler's task stream: later calls count from here
        yield c
    finally:
        c.stop()


@dataclass
class Scan:
    code: int
    stderr: str
    manifest: dict[str, Any] | None


def scan(*args: str, cwd: Path | None = None, timeout: float = 240) -> Scan:
    """``mediaaudit scan ARGS -o m.json`` in its own process, without the fault seam."""
    env = {k: v for k, v in os.environ.items() if k != "MEDIAAUDIT_TEST_FAULT"}
    out = Path(cwd or ".") / f"m-{time.monotonic_ns()}.json"
    run = subprocess.run([sys.executable, "-m", "mediaaudit", "scan", *args, "-q",
                          "-o", str(out)], env=env, capture_output=True, text=True,
                         cwd=cwd, timeout=timeout)
    manifest = json.loads(out.read_text()) if out.exists() else None
    if out.exists():
        out.unlink()
    return Scan(run.returncode, run.stderr, manifest)


def comparable(m: dict[str, Any] | None) -> dict[str, Any]:
    """A manifest without what may differ between two runs: its time and engine record."""
    assert m is not None
    return {k: v for k, v in m.items() if k not in ("created", "engines")}


def same_as_local(cluster: Cluster, *args: str, cwd: Path | None = None) -> dict[str, Any]:
    local = scan(*args, "-j", "2", "--no-cache", cwd=cwd)
    remote = scan(*args, "--cluster", cluster.address, "--no-cache", cwd=cwd)
    assert remote.code == local.code, remote.stderr
    assert comparable(remote.manifest) == comparable(local.manifest)
    assert remote.manifest is not None
    return remote.manifest


def test_sample_media_same_manifest_as_a_local_scan(cluster: Cluster, tmp_path: Path) -> None:
    before = cluster.probe_tasks()
    m = same_as_local(cluster, str(SAMPLES), cwd=tmp_path)
    assert len(m["files"]) >= 15
    assert cluster.probe_tasks() > before  # the cluster did probe


def test_realworld_corpus_same_manifest(cluster: Cluster, tmp_path: Path) -> None:
    m = same_as_local(cluster, str(REALWORLD), "--lang", "en", *FORMAT_ONLY, cwd=tmp_path)
    assert len(m["files"]) >= 250


def _generate(folder: Path, n: int) -> None:
    from PIL import Image

    fmts = [("png", "PNG"), ("jpg", "JPEG"), ("gif", "GIF"), ("webp", "WEBP"),
            ("tif", "TIFF"), ("bmp", "BMP")]
    for i in range(n):
        ext, fmt = fmts[i % len(fmts)]
        im = Image.new("RGB", (16 + i % 24, 12 + i % 16), (i % 256, (i * 7) % 256, 90))
        sub = folder / f"{i // 250:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        im.save(sub / f"f{i:05d}.{ext}", fmt)


def test_2000_files_same_manifest_and_a_warm_rescan_probes_nothing(
        cluster: Cluster, tmp_path: Path) -> None:
    tree = tmp_path / "transfer"
    _generate(tree, 2000)
    cache = str(tmp_path / "facts.sqlite")
    local = scan(str(tree), "-j", "2", "--no-cache", cwd=tmp_path)
    before = cluster.probe_tasks()
    cold = scan(str(tree), "--cluster", cluster.address, "--cache", cache, cwd=tmp_path)
    assert cold.code == local.code, cold.stderr
    assert comparable(cold.manifest) == comparable(local.manifest)
    assert cold.manifest is not None and len(cold.manifest["files"]) == 2000
    after_cold = cluster.probe_tasks()
    assert after_cold - before >= 2000 // 64  # batches of files, not one task per file
    warm = scan(str(tree), "--cluster", cluster.address, "--cache", cache, cwd=tmp_path)
    assert comparable(warm.manifest) == comparable(local.manifest)
    assert cluster.probe_tasks() == after_cold  # every file came from the cache


def test_crash_hang_and_a_worker_killer_cost_only_themselves(
        cluster: Cluster, tmp_path: Path) -> None:
    """Through ``[scan] cluster`` in the config.  A probe that crashes or hangs is the
    workers' supervised pool's business (MA-IO-006 / MA-IO-005); a file that kills the
    Dask worker itself, every time, ends as MA-IO-006 after Dask gave up on it.  An
    archive member named like a crashing file is probed here, so it does not crash."""
    from PIL import Image

    tree = tmp_path / "delivery"
    tree.mkdir()
    for i in range(30):
        Image.new("RGB", (20, 20), (i * 8, 0, 0)).save(tree / f"ok-{i:02d}.png")
    for name in ("fault-crash-a.png", "fault-hang-b.png", "fault-killer-c.png"):
        Image.new("RGB", (20, 20)).save(tree / name)
    with zipfile.ZipFile(tree / "levering.zip", "w") as z:
        z.write(tree / "ok-00.png", "fault-crash-member.png")
    (tree / "mediaaudit.toml").write_text(f'[scan]\ncluster = "{cluster.address}"\n')
    r = scan(str(tree), "--timeout", "3", "--no-cache", cwd=tmp_path)
    assert r.code == 2, r.stderr
    assert r.manifest is not None
    by_name = {f["path"].rsplit("/", 1)[-1]: f for f in r.manifest["files"]}
    assert len(by_name) == 34, sorted(by_name)

    def codes(name: str) -> list[str]:
        return [x["code"] for x in by_name[name]["findings"]]

    assert "MA-IO-006" in codes("fault-crash-a.png")
    assert "MA-IO-005" in codes("fault-hang-b.png")
    killer = [x for x in by_name["fault-killer-c.png"]["findings"] if x["code"] == "MA-IO-006"]
    assert killer and "cluster workers died" in killer[0]["params"]["reason"]
    assert by_name["fault-crash-member.png"]["outcome"] != "error"
    errors = sorted(n for n, f in by_name.items() if f["outcome"] == "error")
    assert errors == ["fault-crash-a.png", "fault-hang-b.png", "fault-killer-c.png"]
    (tree / "mediaaudit.toml").write_text("")
    local = scan(str(tree), "-j", "2", "--no-cache", cwd=tmp_path)
    assert local.manifest is not None
    for f in local.manifest["files"]:  # every other file exactly as a local scan says
        name = f["path"].rsplit("/", 1)[-1]
        if name not in errors:
            assert by_name[name] == f, name
    cluster.wait_for(2)  # the nannies brought the killed workers back


def test_a_worker_killed_mid_scan_loses_no_file(cluster: Cluster, tmp_path: Path) -> None:
    from PIL import Image

    tree = tmp_path / "slow"
    tree.mkdir()
    for i in range(120):  # 0.2 s each on the cluster: ~12 s of work for two workers
        Image.new("RGB", (20, 20), (i, i, 0)).save(tree / f"fault-slow-{i:03d}.png")
    env = {k: v for k, v in os.environ.items() if k != "MEDIAAUDIT_TEST_FAULT"}
    out = tmp_path / "m.json"
    proc = subprocess.Popen([sys.executable, "-m", "mediaaudit", "scan", str(tree), "-q",
                             "--no-cache", "--cluster", cluster.address, "-o", str(out)],
                            env=env, stderr=subprocess.PIPE, text=True)
    time.sleep(6)  # connected, checked, probing
    assert proc.poll() is None, "the scan ended before a worker could be killed"
    pids = cluster.worker_pids()
    assert len(pids) == 2
    os.kill(pids[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=180)
    assert proc.returncode == 1, err  # every file fails (no rights), none is an error
    m = json.loads(out.read_text())
    assert [f["path"].rsplit("/", 1)[-1] for f in m["files"]] == \
        [f"fault-slow-{i:03d}.png" for i in range(120)]
    assert not [f["path"] for f in m["files"] if f["outcome"] == "error"]
    cluster.wait_for(2)


def test_a_worker_with_other_code_is_refused_with_one_line(tmp_path: Path) -> None:
    """A worker whose probe code differs (a copy of the package with one changed line)."""
    other = tmp_path / "other"
    shutil.copytree(HERE.parent / "src" / "mediaaudit", other / "mediaaudit",
                    ignore=shutil.ignore_patterns("__pycache__"))
    with open(other / "mediaaudit" / "probe" / "run.py", "a", encoding="utf-8") as fh:
        fh.write("\n# a probe edited on one machine only\n")
    c = start_cluster(tmp_path / "dask", 0)
    try:
        c.worker({**c.env, "PYTHONPATH": str(other)}, nanny=False)
        c.wait_for(1)
        r = scan(str(SAMPLES), "--cluster", c.address, "--no-cache", "--lang", "nl",
                 cwd=tmp_path)
    finally:
        c.stop()
    assert r.code == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert "wijkt af van deze machine: probe code" in lines[0]
    assert "Traceback" not in r.stderr and r.manifest is None


def test_scheduler_gone_mid_scan_exits_2_with_one_line(tmp_path: Path) -> None:
    """What was judged before the loss is in the cache: a rerun starts from there."""
    from PIL import Image

    tree = tmp_path / "transfer"
    tree.mkdir()
    for i in range(64):  # the first batch: quick
        Image.new("RGB", (20, 20), (i, 0, i)).save(tree / f"a-{i:03d}.png")
    for i in range(60):  # the second: 0.2 s a file, 12 s on one worker
        Image.new("RGB", (20, 20), (i, 9, i)).save(tree / f"fault-slow-{i:03d}.png")
    cache = tmp_path / "facts.sqlite"
    c = start_cluster(tmp_path / "dask", 1)
    try:
        c.probe_tasks()  # the task stream, from now on
        env = {k: v for k, v in os.environ.items() if k != "MEDIAAUDIT_TEST_FAULT"}
        proc = subprocess.Popen([sys.executable, "-m", "mediaaudit", "scan", str(tree),
                                 "--cache", str(cache), "--cluster", c.address, "--lang", "nl",
                                 "-o", str(tmp_path / "m.json")],
                                env=env, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 90
        while c.probe_tasks() < 1 and time.monotonic() < deadline:  # the quick batch is back
            time.sleep(0.5)
        assert proc.poll() is None, "the scan ended before the scheduler could be stopped"
        os.killpg(c.procs[0].pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=120)
    finally:
        c.stop()
    assert proc.returncode == 2, err
    lines = [ln for ln in err.strip().splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert "verbinding met de Dask-scheduler" in lines[0] and "opnieuw" in lines[0]
    assert not (tmp_path / "m.json").exists()
    with sqlite3.connect(cache) as db:
        stored = [os.path.basename(os.fsdecode(k)) for (k,) in db.execute("SELECT key FROM facts")]
    assert sorted(stored) == [f"a-{i:03d}.png" for i in range(64)]
    rerun = scan(str(tree), "--cache", str(cache), "-j", "1", cwd=tmp_path)  # here, no cluster
    assert rerun.manifest is not None and len(rerun.manifest["files"]) == 124


@pytest.mark.skipif(os.geteuid() != 0 or shutil.which("unshare") is None,
                    reason="needs root and unshare for a private mount")
def test_a_worker_that_cannot_see_the_files_is_refused(tmp_path: Path) -> None:
    """A worker in its own mount namespace, with an empty tmpfs over the scanned folder:
    the shared storage not mounted on one machine."""
    from PIL import Image

    hidden = tmp_path / "share"
    (hidden / "transfer").mkdir(parents=True)
    Image.new("RGB", (8, 8)).save(hidden / "transfer" / "a.png")
    c = start_cluster(tmp_path / "dask", 0)
    try:
        cmd = [DASK, "worker", c.address, "--nthreads", "1", "--no-dashboard", "--no-nanny"]
        c._spawn("blind", ["unshare", "-m", "sh", "-c",
                           'mount -t tmpfs none "$0" && exec "$@"', str(hidden), *cmd])
        c.wait_for(1)
        r = scan(str(hidden / "transfer"), "--cluster", c.address, "--no-cache", "--lang", "en",
                 cwd=tmp_path)
    finally:
        c.stop()
    assert r.code == 2 and r.manifest is None
    assert r.stderr.strip().count("\n") == 0, r.stderr
    assert f"cannot see {hidden / 'transfer'}: every worker must see the files" in r.stderr


def test_no_scheduler_there_is_one_line(tmp_path: Path) -> None:
    r = scan(str(SAMPLES), "--cluster", f"tcp://127.0.0.1:{_free_port()}", "--no-cache",
             "--lang", "en", cwd=tmp_path, timeout=60)
    assert r.code == 2
    assert r.stderr.strip().count("\n") == 0 and "cannot reach the Dask scheduler" in r.stderr


def test_scan_cluster_key_is_checked() -> None:
    assert build_policy({"scan": {"cluster": "tcp://h:8786"}}).scan_cluster == "tcp://h:8786"
    for wrong in ({"scan": {"cluster": 8786}}, {"scan": {"clustr": "x"}}, {"scan": "x"}):
        with pytest.raises(PolicyError):
            build_policy(wrong)
    # where probing runs is not a rule: the cache's evaluation key stays the same
    assert repr(build_policy({"scan": {"cluster": "tcp://h:1"}})) == repr(build_policy({}))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_cluster_line_is_in_one_language(lang: str) -> None:
    from mediaaudit.cluster import MESSAGES, ClusterError
    from test_language import foreign_words

    for key, texts in MESSAGES.items():
        assert set(texts) == {"nl", "en"}, key
        params = {"address": "tcp://h:8786", "why": "x", "seconds": 60, "worker": "tcp://w:1",
                  "what": "pillow", "got": "11.0", "here": "10.4", "n": 2, "path": "/mnt/e"}
        line = ClusterError(key, **params).text(lang) if key != "more" else texts[lang]
        assert not foreign_words(line.format(n=2), lang), (key, line)
        assert not {"u", "uw"} & set(line.lower().split()), line
