"""Licence URLs are judged as whole URLs (issue 26): an http(s) URL on Creative Commons'
own host with a licence's path, never a substring.

``cc:license="javascript:alert(1)//creativecommons.org/licenses/by/4.0/"`` was accepted
as CC BY 4.0, so a file could pass as openly licensed on a link that runs script.  The
unit vectors pin the rule; the scans read the same values from real JPEGs whose XMP
exiftool wrote.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from mediaaudit.licence import normalise, normalise_all

from conftest import have, run_cli

BASE = Path(__file__).parent / "realworld" / "files" / "pillow" / "hopper.jpg"
BY = "https://creativecommons.org/licenses/by/4.0/"
JS = "javascript:alert(1)//creativecommons.org/licenses/by/4.0/"

NOT_LICENCES = [
    JS,
    "JavaScript:alert(document.cookie)//creativecommons.org/licenses/by-sa/4.0/",
    "javascript:https://creativecommons.org/licenses/by/4.0/",
    "data:text/html,creativecommons.org/licenses/by/4.0/",
    "vbscript:x//creativecommons.org/publicdomain/zero/1.0/",
    "file:///creativecommons.org/licenses/by/4.0/",
    "ftp://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org.evil.example/licenses/by/4.0/",
    "https://evilcreativecommons.org/licenses/by/4.0/",
    "https://evil.example/creativecommons.org/licenses/by/4.0/",
    "https://evil.example/?next=https://creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org@evil.example/licenses/by/4.0/",
    "https://someone@creativecommons.org/licenses/by/4.0/",
    "https://creativecommons.org/licenses/by/4.0/../../evil",
    "https://creativecommons.org/about/licenses/by/4.0/",
    "https://creativecommons.org/licenses/by/4.0/extra/page",
    "https://creativecommons.org/publicdomain/zero/1.0/evil.html",
]

LICENCES = [
    (BY, "CC-BY-4.0"),
    ("(https://creativecommons.org/licenses/by/4.0/).", "CC-BY-4.0"),
    ("<http://www.creativecommons.org/licenses/by-sa/3.0/nl/deed.nl>", "CC-BY-SA-3.0-NL"),
    ("HTTPS://CreativeCommons.org/licenses/by/4.0/legalcode.txt", "CC-BY-4.0"),
    ("https://creativecommons.org:443/licenses/by-nc/4.0/deed.en_gb", "CC-BY-NC-4.0"),
    ("https://creativecommons.org/licenses/by/2.0/fr/deed.fr", "CC-BY-2.0-FR"),
    ("https://creativecommons.org/publicdomain/zero/1.0/legalcode", "CC0-1.0"),
    ("© Anna de Vries, CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/)", "CC-BY-4.0"),
    ("Licence: https://creativecommons.org/licenses/by/4.0/, see there", "CC-BY-4.0"),
]


@pytest.mark.parametrize("text", NOT_LICENCES)
def test_a_url_that_is_not_a_licence_url_names_no_licence(text: str) -> None:
    assert normalise_all(text) == []


@pytest.mark.parametrize(("text", "expected"), LICENCES)
def test_licence_urls_still_read(text: str, expected: str) -> None:
    lic = normalise(text)
    assert lic is not None and lic.id == expected


def test_a_rejected_url_beside_words_leaves_the_words() -> None:
    """The words are read as words; the script link adds no licence to them."""
    assert [x.id for x in normalise_all(f"CC BY-SA 4.0 {JS}")] == ["CC-BY-SA-4.0"]


@pytest.mark.skipif(not have("exiftool"), reason="exiftool not installed")
def test_scan_does_not_open_a_file_on_a_script_licence_url(tmp_path: Path) -> None:
    """Real JPEGs, XMP cc:license written by exiftool, a full scan: the script URL and a
    look-alike host are an unrecognised licence (MA-LIC-006, rights unknown, the file
    fails); the same image with the real URL is open CC BY 4.0."""
    values = {"js.jpg": JS,
              "lookalike.jpg": "https://creativecommons.org.evil.example/licenses/by/4.0/",
              "real.jpg": BY}
    for name, url in values.items():
        shutil.copyfile(BASE, tmp_path / name)
        subprocess.run(["exiftool", "-q", "-overwrite_original", "-all=",
                        f"-XMP-cc:License={url}", "-XMP-dc:Creator=J. Jansen",
                        str(tmp_path / name)], check=True, capture_output=True)
    run = run_cli("scan", str(tmp_path), "-j", "1", "--lang", "en", "--no-cache")
    assert run.manifest is not None, run.stderr
    by = {Path(f["path"]).name: f for f in run.manifest["files"]}
    assert by["real.jpg"]["rights"]["status"] == "open"
    assert by["real.jpg"]["rights"]["licence"] == "CC-BY-4.0"
    for name in ("js.jpg", "lookalike.jpg"):
        f = by[name]
        assert f["rights"]["status"] == "unknown", (name, f["rights"])
        assert not f["rights"].get("licence")
        assert "MA-LIC-006" in [x["code"] for x in f["findings"]]
        assert f["outcome"] == "fail"
