"""Every reason a structure walker can give is in the code table (issue 27), and one that
is not makes the file "could not audit", never intact."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mediaaudit import codes
from mediaaudit.model import FileRef
from mediaaudit.probe import structure
from mediaaudit.probe.partial import Partial
from mediaaudit.probe.run import probe_file


def test_every_reason_the_walkers_name_is_in_the_table() -> None:
    named: set[str] = set()
    for module in Path(structure.__file__).parent.glob("*.py"):  # one per format family
        tree = ast.parse(module.read_text(encoding="utf-8"))
        named |= {n.args[0].value for n in ast.walk(tree)
                  if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                  and n.func.id == "_why" and n.args and isinstance(n.args[0], ast.Constant)}
    assert len(named) > 15 and named <= set(codes.REASONS)


def test_a_reason_missing_from_the_table_is_never_intact(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cut JPEG whose walker names a reason the table lacks: the probe reports that it
    could not audit the file (it was swallowed as "no opinion": intact)."""
    from PIL import Image

    Image.new("RGB", (64, 64), (10, 20, 30)).save(tmp_path / "full.jpg")
    data = (tmp_path / "full.jpg").read_bytes()
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(data[: len(data) - 40])  # no EOI: the walker names a reason
    part = Partial()
    with open(cut, "rb") as fh:
        head = fh.read(4096)
    structure.check_structure(str(cut), head, "image/jpeg", part)
    assert [n.code for n in part.notes] == [codes.CodeId.DAMAGED]  # the table has it
    monkeypatch.setattr(codes, "REASONS", {})  # now no reason is known
    facts = probe_file(FileRef(str(cut), "cut.jpg", cut.stat().st_size, 0),
                       file_readers=[structure.check_structure])
    assert codes.CodeId.PROBE_FAILED in [n.code for n in facts.notes]
    assert codes.CodeId.DAMAGED not in [n.code for n in facts.notes]
