"""``fix`` speaks the user's language (issue 21): every line, the summary with its plurals
('1 afgeleide', never '1 derivatives'), the reasons a file was not fixed; a progress bar
with an estimate on a terminal only; and a file that changes while it is converted loses
its derivative with one line, leaving nothing behind."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest

import factory
from conftest import run_cli

LICENCE = "SPDX-License-Identifier: CC-BY-4.0\nSPDX-FileCopyrightText: Anna de Vries\n"


def _webp(path: Path, seed: int = 0) -> Path:
    factory.picture(48, 32, seed=seed).save(path, quality=80)
    Path(str(path) + ".license").write_text(LICENCE)
    Path(str(path) + ".alt.txt").write_text("Een plein\n")
    return path


@pytest.mark.parametrize(("lang", "summary", "refused"), [
    ("nl", "2 bestanden: 1 afgeleide (1 goedgekeurd), 1 niet hersteld, 0 ongewijzigd; "
           "verslag: ", "niet te herstellen door omzetten: MA-IO-004 "),
    ("en", "2 files: 1 derivative (1 pass), 1 not fixed, 0 unchanged; manifest: ",
     "cannot be fixed by conversion: MA-IO-004 "),
])
def test_lines_summary_and_plurals_in_the_chosen_language(
        tmp_path: Path, lang: str, summary: str, refused: str) -> None:
    src = tmp_path / "in"
    src.mkdir()
    good = _webp(src / "plein.webp")
    data = good.read_bytes()
    (src / "kapot.webp").write_bytes(data[: len(data) // 2])
    r = run_cli("fix", str(src), "--out", str(tmp_path / "out"), "--lang", lang)
    assert r.exit_code == 1
    lines = r.stderr.splitlines()
    assert any(x.startswith("mediaaudit: ") and "kapot.webp: " + refused in x for x in lines)
    word = {"nl": "goedgekeurd", "en": "pass"}[lang]
    assert any(x.endswith(f"plein.jpg: {word}") for x in lines), lines
    assert any(x.startswith(summary) for x in lines), lines
    assert "1 derivatives" not in r.stderr and "1 afgeleiden" not in r.stderr


def test_progress_bar_only_on_a_terminal(tmp_path: Path) -> None:
    """stderr on a pseudo-terminal: a bar with position and estimate; with -q, or when
    stderr is a file (every other test), none."""
    src = tmp_path / "in"
    src.mkdir()
    for i in range(3):
        _webp(src / f"foto{i}.webp", seed=i)

    def run(*extra: str) -> str:
        main, sub = pty.openpty()
        out = tmp_path / f"out{len(extra)}"
        proc = subprocess.Popen([sys.executable, "-m", "mediaaudit", "fix", str(src),
                                 "--out", str(out), "--lang", "nl", *extra],
                                stdout=subprocess.DEVNULL, stderr=sub)
        os.close(sub)
        chunks = []
        while True:
            try:
                got = os.read(main, 4096)
            except OSError:
                break
            if not got:
                break
            chunks.append(got)
        proc.wait(120)
        os.close(main)
        return b"".join(chunks).decode("utf-8", "replace")

    shown = run()
    assert "Omzetten" in shown and "3/3" in shown, shown
    assert "3 bestanden: 3 afgeleiden (3 goedgekeurd)" in shown
    quiet = run("-q")
    assert "Omzetten" not in quiet and "bestanden" not in quiet, quiet


def test_original_changed_during_conversion_leaves_nothing(tmp_path: Path) -> None:
    """The original is hashed again after its conversion: when it is no longer the file
    that was audited, the derivative is discarded (one reason, nl and en) and nothing
    stays in --out."""
    from mediaaudit.fix.place import Original, Unsafe, convert
    from mediaaudit.fix.plan import Options, plan
    from mediaaudit.policy import build_policy
    from mediaaudit.profile import load_profile
    from mediaaudit.scan import audit
    from mediaaudit.walk import walk

    src = tmp_path / "in"
    src.mkdir()
    path = _webp(src / "plein.webp")
    refs, _ = walk([str(path)])
    [result] = audit(refs, load_profile("nvf-2024"), build_policy(), 1)
    pl = plan(result, Options())
    path.write_bytes(path.read_bytes() + b"\0")  # changed after its audit, before the check
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(Unsafe) as caught:
        convert(Original(refs[0], "plein.webp", result), pl, Options(), str(out), "out", 60)
    assert caught.value.why.render("nl") == ("het origineel veranderde tijdens het omzetten; "
                                            "afgeleide weggegooid")
    assert str(caught.value) == "the original changed during the fix; derivative discarded"
    assert list(out.iterdir()) == []
