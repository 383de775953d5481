"""Every reason a structure walker can give is a ``Why`` member with a row in the code
table, the table and the enum are checked against each other when ``codes`` loads, and a
reason the table lacks makes the file "could not audit", never intact."""

from __future__ import annotations

import ast
import importlib.util
import re
import sys
from pathlib import Path
from typing import cast

import pytest

from mediaaudit import codes
from mediaaudit.model import FileRef
from mediaaudit.probe import structure
from mediaaudit.probe.partial import Partial
from mediaaudit.probe.run import probe_file
from mediaaudit.texts import TextTableError

WALKERS = sorted(Path(structure.__file__).parent.glob("*.py"))  # one per format family


def _texts(node: ast.expr | None) -> list[ast.expr]:
    """The string literals and f-strings a returned expression can evaluate to: ``x if c
    else f"…"``, ``out, "…"``, ``f"…"[:160]`` and ``"a" + b`` included."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node]
    if isinstance(node, ast.JoinedStr):
        return [node]
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [t for v in node.values for t in _texts(v)]
    if isinstance(node, ast.Tuple):
        return [t for e in node.elts for t in _texts(e)]
    if isinstance(node, ast.Subscript):
        return _texts(node.value)
    if isinstance(node, ast.BinOp):
        return _texts(node.left) + _texts(node.right)
    return []


def _bare_returns(source: str) -> list[str]:
    """``line: text`` for every literal text a function of ``source`` returns.  Functions
    annotated ``-> str`` only (``num``, ``fourcc``, a JPEG marker's name) format a part
    of a reason, not a reason, and are left out."""
    found: list[str] = []
    for fn in ast.walk(ast.parse(source)):
        if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if isinstance(fn.returns, ast.Name) and fn.returns.id == "str":
            continue
        for node in ast.walk(fn):
            if isinstance(node, ast.Return):
                found += [f"{t.lineno}: {ast.unparse(t)}" for t in _texts(node.value)]
    return found


def test_walkers_return_every_reason_through_the_table() -> None:
    """No walker returns a bare text (it would reach a Dutch report as a quoted English
    "technical detail"), and every ``_why`` names a ``Why`` member, never a string."""
    bare: dict[str, list[str]] = {}
    named: set[str] = set()
    for module in WALKERS:
        source = module.read_text(encoding="utf-8")
        if found := _bare_returns(source):
            bare[module.name] = found
        for n in ast.walk(ast.parse(source)):
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_why":
                assert n.args and not isinstance(n.args[0], ast.Constant | ast.JoinedStr), (
                    f"{module.name}:{n.lineno}: _why takes a Why member, not a string")
        named |= set(re.findall(r"\bWhy\.([A-Z0-9_]+)", source))
    assert bare == {}
    assert len(named) > 60 and named <= set(codes.Why.__members__)


def test_the_finder_of_bare_returns_sees_the_forms_walkers_used() -> None:
    """The AST check above finds each way a raw reason used to be written."""
    old = '''
def tiff(f, size: int) -> str | None:
    if size < 8:
        return f"TIFF ends inside its header (cut at byte {num(size)})"
    return "MP3 ends inside its ID3 tag"
def boxes(f, label) -> tuple[list[Box], str | None]:
    return out, f"{label} box structure is broken at byte {num(off)}"
def ebml(f, size) -> str | None:
    return f"{label} has no Segment" if size - pos < 12 else None
def svg(f, size) -> str | None:
    return f"SVG is not well-formed XML ({exc})"[:160]
def num(x: int) -> str:
    return f"{x:,}"
'''
    assert sorted(int(line.split(": ")[0]) for line in _bare_returns(old)) == [4, 5, 7, 9, 11]


def test_the_table_check_refuses_a_member_without_a_row() -> None:
    rows = [r for r in codes._REASONS if r.code is not codes.Why.PNG_NO_IEND]
    with pytest.raises(TextTableError, match="png-no-iend") as raised:
        codes.check_reasons(rows)
    assert "\n" not in str(raised.value)  # one line, naming it


def test_the_table_check_refuses_a_row_without_a_member() -> None:
    stray = codes.Reason(cast(codes.Why, "png-made-up"), "PNG is made up", "de PNG is verzonnen")
    with pytest.raises(TextTableError, match="png-made-up"):
        codes.check_reasons([*codes._REASONS, stray])


def test_the_table_check_refuses_a_row_twice_or_a_dutch_text_without_its_field() -> None:
    first = codes._REASONS[0]
    with pytest.raises(TextTableError, match=f"{first.code.value}.*2 rows"):
        codes.check_reasons([*codes._REASONS, first])
    cut = codes.Reason(codes.Why.GIF_NO_TRAILER, "GIF ends before its trailer byte (cut at byte "
                       "{at})", "de GIF houdt op vóór de afsluitende byte")
    rows = [cut if r.code is codes.Why.GIF_NO_TRAILER else r for r in codes._REASONS]
    with pytest.raises(TextTableError, match=r"gif-no-trailer.*\{at\}"):
        codes.check_reasons(rows)
    codes.check_reasons(codes._REASONS)  # the real table passes


def test_a_table_missing_a_reason_stops_the_import(tmp_path: Path) -> None:
    """The check runs when the module loads: ``codes.py`` with one row taken out (its
    member kept, as when a row is deleted by mistake) does not import."""
    source = Path(codes.__file__).read_text(encoding="utf-8")
    row = re.compile(r"    Reason\(Why\.MXF_NO_ESSENCE,.*?\),\n", re.S)
    assert len(row.findall(source)) == 1
    variant = tmp_path / "codes_variant.py"
    variant.write_text(row.sub("", source), encoding="utf-8")
    spec = importlib.util.spec_from_file_location("codes_variant", variant)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["codes_variant"] = module
    try:
        with pytest.raises(TextTableError, match="mxf-no-essence"):
            spec.loader.exec_module(module)
    finally:
        del sys.modules["codes_variant"]


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


REAL = Path(__file__).parent / "realworld" / "files"
# Damaged real files whose reason was a raw English text before it was a table row: the
# English (what manifests store) as it was, and a word of the Dutch the report now shows.
RAW_BEFORE = [
    ("exiftool/MXF.mxf", "MXF holds no essence: its essence elements are all empty",
     "de MXF bevat geen beeld of geluid"),
    ("format-corpus/balloon_trunc2.jp2", "JPEG 2000 is damaged or incomplete: no "
     "end-of-codestream marker; a tile-part runs past the end of the codestream; tile-parts "
     "are missing; tiles are missing",
     "de JPEG 2000 is beschadigd of onvolledig: geen eindmarkering van de codestream; een "
     "tegeldeel loopt door tot voorbij het einde van de codestream; er ontbreken tegeldelen; "
     "er ontbreken tegels"),
    ("pillow/crash-2020-10-test.tif", "TIFF tag 0 value runs past the end of the file",
     "de waarde van TIFF-tag 0 loopt door"),
    ("pillow/syntax_num_frames_zero.png", "animated PNG declares zero frames (acTL)",
     "de bewegende PNG meldt nul beelden"),
    ("taglib/segfault.oga", "Ogg page at byte 0 runs past the end of the file",
     "de Ogg-pagina op byte 0 loopt door"),
    ("taglib/w000.mp3", "MP3 ends inside its ID3 tag", "de MP3 houdt op midden in zijn ID3-tag"),
]


@pytest.mark.parametrize(("name", "english", "dutch"), RAW_BEFORE)
def test_a_former_raw_reason_keeps_its_english_and_reads_dutch(
        name: str, english: str, dutch: str) -> None:
    path = REAL / name
    part = Partial()
    with open(path, "rb") as fh:
        head = fh.read(4096)
    structure.check_structure(str(path), head, None, part)
    [note] = part.notes
    assert note.code == codes.CodeId.DAMAGED and note.params["reason"] == english
    said = codes.render(note.code, note.params, "nl")
    assert dutch in said and "technische melding" not in said and english not in said
