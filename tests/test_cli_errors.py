"""An output that cannot be written is one line and exit 2, never a traceback (issue 13.6).

Real paths only: tests run as root, where a chmod'ed read-only folder is writable
anyway, so the unwritable places are /proc, a path below a regular file, a folder given
as the output, a folder that does not exist, and a file-size limit that stops a write
half-way.
"""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import run_cli

Where = Callable[[Path], str]

UNWRITABLE: dict[str, Where] = {
    "proc": lambda tmp: "/proc/mediaaudit-test.json",
    "below a file": lambda tmp: str(tmp / "plain-file" / "x.json"),
    "a folder": lambda tmp: str(tmp),
    "missing folder": lambda tmp: str(tmp / "no" / "such" / "x.json"),
}


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    (tmp_path / "plain-file").write_text("not a folder")
    return tmp_path


@pytest.fixture(scope="module")
def stored(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("stored") / "m.json"
    assert run_cli("scan", str(corpus / "photo.png"), "-o", str(out), "-q").exit_code == 0
    return out


def _one_error_line(stderr: str, target: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith(f"mediaaudit: error: cannot write {target}: "), stderr
    assert lines[0].split(": ")[-1].strip(), "the OS reason is given"


def _no_temp_left(*dirs: Path) -> None:
    for d in dirs:
        if d.is_dir():
            assert not list(d.glob(".mediaaudit-*")), d


@pytest.mark.parametrize("kind", sorted(UNWRITABLE))
def test_scan_output_unwritable(kind: str, plain: Path, corpus: Path) -> None:
    target = UNWRITABLE[kind](plain)
    run = run_cli("scan", str(corpus / "photo.png"), "-o", target, "--format", "json", "-j", "1")
    assert run.exit_code == 2
    _one_error_line(run.stderr, target)
    _no_temp_left(plain)


@pytest.mark.parametrize("kind", sorted(UNWRITABLE))
@pytest.mark.parametrize("fmt", ["json", "csv", "html", "md", "pdf"])
def test_report_output_unwritable(kind: str, fmt: str, plain: Path, stored: Path) -> None:
    target = UNWRITABLE[kind](plain)
    run = run_cli("report", str(stored), "-o", target, "--format", fmt)
    assert run.exit_code == 2
    _one_error_line(run.stderr, target)
    _no_temp_left(plain)


def test_several_formats_below_a_file(plain: Path, corpus: Path) -> None:
    base = plain / "plain-file" / "audit"
    run = run_cli("scan", str(corpus / "photo.png"), "-o", str(base), "--format", "json",
                  "--format", "html")
    assert run.exit_code == 2
    _one_error_line(run.stderr, f"{base}.json")


def _limited(limit: int) -> Callable[[], None]:
    def setup() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit gets EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return setup


def _run_limited(args: list[str], limit: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LANG": "C", "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "mediaaudit", *args], capture_output=True,
                          text=True, env=env, preexec_fn=_limited(limit), timeout=120)


def test_report_write_fails_halfway(stored: Path, tmp_path: Path) -> None:
    """The folder is fine, the disk fills up during the write: the old report stays."""
    out = tmp_path / "r.html"
    out.write_text("previous report")
    proc = _run_limited(["report", str(stored), "-o", str(out)], 2000)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    _one_error_line(proc.stderr, str(out))
    assert "File too large" in proc.stderr
    assert out.read_text() == "previous report"
    _no_temp_left(tmp_path)


def test_streamed_scan_write_fails_halfway(corpus: Path, tmp_path: Path) -> None:
    """The JSON manifest is streamed while files are audited: a failed write is still
    one line, and exit 2 (not 1, 'a file failed')."""
    out = tmp_path / "m.json"
    proc = _run_limited(["scan", str(corpus), "-o", str(out), "--no-cache", "-j", "1", "-q"],
                        3000)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    _one_error_line(proc.stderr, str(out))
    assert not out.exists()
    _no_temp_left(tmp_path)
