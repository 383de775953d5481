"""An SVG with a DOCTYPE is refused (issue 26, MA-FMT-008), whatever the DOCTYPE declares.

Browsers and SVG 2 use no DTD; a DOCTYPE is what XML bombs and XXE work through, and the
renderers of platforms and archives should not meet it (the rule XMP already follows).
Real SVG files in a real scan: the DOCTYPE as Inkscape and OmniGraffle write it, with an
entity bomb, with an external entity, after a comment, in UTF-16, in a file too large for
the well-formedness parse; and SVGs that only mention a DOCTYPE, which pass.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from mediaaudit.codes import CodeId
from mediaaudit.probe import structure

import factory
from conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
OMNIGRAFFLE = ROOT / "tests" / "realworld" / "files" / "av1-avif" / "track_matching.svg"
BODY = '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="40" height="30">' \
       '<rect width="20" height="15" fill="#154273"/></svg>\n'
PUBLIC = '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" ' \
         '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
LAUGHS = '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">' + "".join(
    f'<!ENTITY a{i} "{("&a;" if i == 0 else f"&a{i - 1};") * 10}">' for i in range(9)) + "]>\n"
DOCTYPED: dict[str, bytes] = {
    "inkscape.svg": factory.SVG_DOCTYPE.encode(),
    "laughs.svg": ('<?xml version="1.0"?>\n' + LAUGHS
                   + BODY.replace("</svg>", "<text>&a8;</text></svg>")).encode(),
    "xxe.svg": ('<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY e SYSTEM '
                '"file:///etc/passwd">]>\n' + BODY.replace("</svg>", "<text>&e;</text></svg>")
                ).encode(),
    "commented.svg": ('<?xml version="1.0"?>\n<!-- made by hand -->\n' + PUBLIC + BODY).encode(),
    "bare.svg": ("<!DOCTYPE svg>" + BODY).encode(),
    "huge.svg": ('<?xml version="1.0"?>\n' + PUBLIC + BODY.replace(
        "</svg>", "<!--" + "x" * (17 << 20) + "--></svg>")).encode(),
}
UTF16 = ('<?xml version="1.0" encoding="UTF-16"?>\n' + PUBLIC + BODY).encode("utf-16")
CLEAN: dict[str, bytes] = {
    "plain.svg": factory.SVG_11.encode(),
    "mentions.svg": ('<?xml version="1.0"?>\n<!-- no <!DOCTYPE svg> here -->\n'
                     + BODY.replace("</svg>", "<text>&lt;!DOCTYPE svg&gt;</text></svg>")
                     ).encode(),
}


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:  # type: ignore[type-arg]
    d = tmp_path_factory.mktemp("svg") / "upload"
    d.mkdir()
    for name, data in {**DOCTYPED, **CLEAN, "utf16.svg": UTF16}.items():
        (d / name).write_bytes(data)
    shutil.copyfile(OMNIGRAFFLE, d / "omnigraffle.svg")
    (d / "mediaaudit.toml").write_text(  # rights are not what this tests
        '[[annotations]]\npath = "**"\nlicence = "CC0-1.0"\nholder = "mediaaudit tests"\n')
    run = run_cli("scan", str(d), "-j", "1", "--no-cache", "--lang", "en", "--timeout", "30")
    assert run.manifest is not None, run.stderr
    return {Path(f["path"]).name: f for f in run.manifest["files"]}


def _codes(f: dict) -> list[str]:  # type: ignore[type-arg]
    return [x["code"] for x in f["findings"]]


@pytest.mark.parametrize("name", [*DOCTYPED, "omnigraffle.svg"])
def test_svg_with_a_doctype_fails(scanned: dict[str, dict], name: str) -> None:  # type: ignore[type-arg]
    f = scanned[name]
    assert f["outcome"] == "fail", (name, _codes(f))
    refusal = [x for x in f["findings"] if x["code"] == "MA-FMT-008"]
    assert refusal and refusal[0]["severity"] == "error", _codes(f)
    assert refusal[0]["message"] == "This SVG has a DOCTYPE declaration; SVG with a " \
                                    "DOCTYPE is refused."
    assert "MA-IO-004" not in _codes(f)  # refused by rule, not called damaged


@pytest.mark.parametrize("name", list(CLEAN))
def test_svg_without_a_doctype_passes(scanned: dict[str, dict], name: str) -> None:  # type: ignore[type-arg]
    f = scanned[name]
    assert f["outcome"] == "pass" and "MA-FMT-008" not in _codes(f), _codes(f)


def test_utf16_svg_with_a_doctype(scanned: dict[str, dict]) -> None:  # type: ignore[type-arg]
    """libmagic does not call a UTF-16 SVG an SVG, so the scan fails it as unidentified;
    were it identified, the DOCTYPE check reads UTF-16 as well (expat)."""
    assert scanned["utf16.svg"]["outcome"] == "fail"
    assert structure.svg(io.BytesIO(UTF16), len(UTF16)) == structure.Refused(
        CodeId.SVG_DOCTYPE)
    plain = factory.SVG_11.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert structure.svg(io.BytesIO(plain), len(plain)) is None


def test_explain_names_the_rule() -> None:
    r = run_cli("explain", "MA-FMT-008", "--lang", "nl")
    assert r.exit_code == 0 and "DOCTYPE" in r.stdout and "Oplossen" in r.stdout
