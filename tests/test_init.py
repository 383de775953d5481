"""``mediaaudit init``: a commented mediaaudit.toml, asked for on a terminal and taken
from options otherwise, after which ``scan`` and ``archive`` work in one try.

Before, a records manager learnt the archive settings one per run of ``archive``
(waardering, then bewaartermijn, then contact) and had no file to start from.
"""

from __future__ import annotations

import os
import pty
import re
import select
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

from mediaaudit.archive.records import needs
from mediaaudit.config import load_policy
from mediaaudit.configfile import Answers, render, toml_string
from mediaaudit.policy import (
    ANNOTATION_KEYS,
    ARCHIVE_KEYS,
    POLICY_KEYS,
    SCAN_KEYS,
    TABLES,
    WATCH_KEYS,
    build_policy,
)

from conftest import run_cli

SAMPLES = Path(__file__).resolve().parent.parent / "sample_media"
FLAGS = ("--organisation", "Gemeente Voorbeeld", "--waardering", "V", "--bewaartermijn",
         "P10Y", "--contact-name", "Team Informatiebeheer", "--contact-email",
         "informatiebeheer@voorbeeld.nl")


@pytest.fixture()
def office(tmp_path: Path) -> Path:
    """A records manager's folder with a delivery in ``upload`` (the sample media
    without their own mediaaudit.toml, so the one init writes is the one read)."""
    shutil.copytree(SAMPLES, tmp_path / "upload",
                    ignore=shutil.ignore_patterns("mediaaudit.toml"))
    return tmp_path


def test_init_with_options_then_scan_and_archive_work_first_try(office: Path) -> None:
    r = run_cli("init", *FLAGS, "--lang", "nl", cwd=office)
    assert r.exit_code == 0, r.stderr
    assert "mediaaudit.toml geschreven naar" in r.stderr and "TE DOEN" not in r.stderr
    cfg = office / "mediaaudit.toml"
    text = cfg.read_text(encoding="utf-8")
    assert "TE DOEN" not in text and "TODO" not in text
    policy = load_policy(str(cfg), [], require=needs)  # as archive reads it
    assert policy.organisations == ("Gemeente Voorbeeld",)
    assert policy.archive.waardering == ("V", "Tijdelijk te bewaren")

    r = run_cli("scan", "upload", "-o", "m.json", "--no-cache", "-q", cwd=office)
    assert r.exit_code == 1, r.stderr  # the samples include failing files
    r = run_cli("archive", "m.json", "--out", "bag", "--request-id", "PV-1", cwd=office)
    assert r.exit_code == 0, r.stderr
    info = (office / "bag" / "bag-info.txt").read_text(encoding="utf-8")
    assert "Contact-Email: informatiebeheer@voorbeeld.nl" in info
    assert "Source-Organization: Gemeente Voorbeeld" in info
    dossier = (office / "bag" / "data" / "dossier.mdto.xml").read_text(encoding="utf-8")
    assert "Tijdelijk te bewaren" in dossier and "P10Y" in dossier


def test_init_without_answers_marks_todo_and_archive_names_all_of_it(office: Path) -> None:
    """Without a terminal or options: placeholders, marked; the file still loads (scan
    works) and archive names every missing value in one run."""
    r = run_cli("init", "--lang", "en", cwd=office)
    assert r.exit_code == 0, r.stderr
    assert ("still to fill in (TODO in the file) before 'mediaaudit archive' works: "
            "organisation, waardering, bewaartermijn, contact_name/contact_email") in r.stderr
    text = (office / "mediaaudit.toml").read_text(encoding="utf-8")
    assert text.count("TODO") >= 5 and "TE DOEN" not in text
    assert tomllib.loads(text)["archive"] == {}
    r = run_cli("scan", "upload", "-o", "m.json", "--no-cache", "-q", cwd=office)
    assert r.exit_code == 1, r.stderr
    r = run_cli("archive", "m.json", "--out", "bag", cwd=office)
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert "4 problems" in lines[0] and len(lines) == 5
    for key in ("archiefvormer", "waardering", "bewaartermijn", "contact"):
        assert any(f"[archive] {key} is missing" in x for x in lines[1:]), key
    assert not (office / "bag").exists()


def test_init_never_overwrites_without_force(tmp_path: Path) -> None:
    cfg = tmp_path / "mediaaudit.toml"
    cfg.write_text('[policy]\norganisation = "Eigen"\n', encoding="utf-8")
    r = run_cli("init", str(tmp_path), *FLAGS, "--lang", "nl")
    assert r.exit_code == 2
    assert r.stderr.count("\n") == 1 and "bestaat al; niets geschreven" in r.stderr
    assert cfg.read_text(encoding="utf-8") == '[policy]\norganisation = "Eigen"\n'
    r = run_cli("init", str(tmp_path), *FLAGS, "--force", "--lang", "en")
    assert r.exit_code == 0, r.stderr
    assert "the old file is kept as" in r.stderr
    assert (tmp_path / "mediaaudit.toml.bak").read_text(encoding="utf-8") == \
        '[policy]\norganisation = "Eigen"\n'
    assert load_policy(str(cfg), []).organisations == ("Gemeente Voorbeeld",)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "mediaaudit.toml").mkdir()
    r = run_cli("init", str(tmp_path / "sub"), "--force")
    assert r.exit_code == 2 and "nothing written" in r.stderr
    r = run_cli("init", str(tmp_path / "nowhere"))
    assert r.exit_code == 2 and "does not exist" in r.stderr


def test_wrong_options_are_all_named_and_nothing_is_written(tmp_path: Path) -> None:
    r = run_cli("init", str(tmp_path), "--waardering", "X", "--bewaartermijn", "10 jaar",
                "--contact-email", "niemand", "--lang", "nl")
    assert r.exit_code == 2
    lines = r.stderr.splitlines()
    assert "3 problemen" in lines[0] and len(lines) == 4
    assert "waardering: moet \"B\"" in lines[1]
    assert "bewaartermijn: moet een ISO 8601-periode zijn" in lines[2]
    assert "contact_email: geen e-mailadres: 'niemand'" in lines[3]
    assert not (tmp_path / "mediaaudit.toml").exists()


def test_the_file_names_every_key_the_commands_read() -> None:
    """Every key of every table, in both languages, with and without answers."""
    for lang in ("nl", "en"):
        for answers in (Answers(), Answers("Gemeente X", "B", None, "Team", None)):
            text = render(answers, lang, "0")
            build_policy(tomllib.loads(text))  # loads
            for key in (*POLICY_KEYS, *ANNOTATION_KEYS, *ARCHIVE_KEYS, *WATCH_KEYS,
                        *SCAN_KEYS):
                assert re.search(rf"^(# )?{key} = ", text, re.M) or \
                    (key == "license" and "# licence = " in text), (lang, key)
            for table in TABLES:
                assert f"[{table}]" in text, table
    assert "TE DOEN" in render(Answers(), "nl", "0")
    assert "Waardering" in render(Answers(), "nl", "0")


@pytest.mark.parametrize("value", [
    'Gemeente "Oost"', "C:\\Users\\x", "tab\there", "del\x7f", "é ü 中", "'single'"])
def test_toml_string_round_trips(value: str) -> None:
    assert tomllib.loads(f"k = {toml_string(value)}")["k"] == value


class Terminal:
    """``mediaaudit init`` on a pseudo-terminal, as a person at a keyboard runs it."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.fd, child = pty.openpty()
        env = {**os.environ, "COLUMNS": "200"}
        self.proc = subprocess.Popen([sys.executable, "-m", "mediaaudit", "init", *args],
                                     stdin=child, stdout=child, stderr=child, cwd=cwd,
                                     env=env, close_fds=True)
        os.close(child)
        self.seen = ""

    def answer(self, prompt: str, reply: str, timeout: float = 30) -> None:
        """Wait until ``prompt`` is on the screen (after what was answered before),
        then type ``reply`` and Enter."""
        end = time.monotonic() + timeout
        start = len(self.seen)
        while prompt not in self.seen[start:]:
            assert time.monotonic() < end, f"no {prompt!r} in {self.seen!r}"
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                self.seen += os.read(self.fd, 4096).decode("utf-8", "replace")
        os.write(self.fd, (reply + "\n").encode())

    def finish(self, timeout: float = 30) -> int:
        end = time.monotonic() + timeout
        while self.proc.poll() is None or select.select([self.fd], [], [], 0)[0]:
            assert time.monotonic() < end, self.seen
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    chunk = os.read(self.fd, 4096)
                except OSError:  # the other side closed
                    break
                if not chunk:
                    break
                self.seen += chunk.decode("utf-8", "replace")
        os.close(self.fd)
        return self.proc.wait(timeout)


def test_init_on_a_terminal_asks_and_checks_each_answer(tmp_path: Path) -> None:
    term = Terminal("--lang", "nl", cwd=tmp_path)
    term.answer("eigen materiaal): ", "Gemeente Voorbeeld")
    term.answer("[V]: ", "x")  # not a waardering: said why, asked again
    term.answer("[V]: ", "")  # Enter takes the default
    term.answer("[P10Y]: ", "10 jaar")
    term.answer("[P10Y]: ", "P7Y")
    term.answer("(Enter: geen): ", "")
    term.answer("E-mailadres voor het archief: ", "")  # needed without a contact name
    term.answer("E-mailadres voor het archief: ", "informatiebeheer@voorbeeld.nl")
    assert term.finish() == 0, term.seen
    assert "waardering: moet \"B\" (blijvend te bewaren) of \"V\"" in term.seen
    assert "bewaartermijn: moet een ISO 8601-periode zijn" in term.seen
    assert "nodig voor 'mediaaudit archive'; vul het in" in term.seen
    assert "mediaaudit.toml geschreven naar" in term.seen
    cfg = tmp_path / "mediaaudit.toml"
    policy = load_policy(str(cfg), [], require=needs)
    assert policy.organisations == ("Gemeente Voorbeeld",)
    assert policy.archive.waardering == ("V", "Tijdelijk te bewaren")
    assert policy.archive.bewaartermijn == "P7Y"
    assert policy.archive.contact_email == "informatiebeheer@voorbeeld.nl"
    assert "# Voor 'mediaaudit archive'" in cfg.read_text(encoding="utf-8")


def test_init_on_a_terminal_asks_only_what_options_left_open(tmp_path: Path) -> None:
    """B (kept forever) needs no bewaartermijn: not asked; English questions."""
    term = Terminal("--organisation", "Gemeente X", "--contact-name", "Team IB",
                    "--lang", "en", cwd=tmp_path)
    term.answer("[V]: ", "b")
    term.answer("(Enter: none): ", "")
    assert term.finish() == 0, term.seen
    assert "Retention period" not in term.seen and "Name of your organisation" not in term.seen
    policy = load_policy(str(tmp_path / "mediaaudit.toml"), [], require=needs)
    assert policy.archive.waardering == ("B", "Blijvend te bewaren")
    assert policy.archive.contact_name == "Team IB" and policy.archive.contact_email is None
