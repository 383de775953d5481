"""Rights metadata written by exiftool and ffmpeg (independent writers) into files made by
ImageMagick and ffmpeg; exiftool reads the values back as the oracle."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from conftest import Run, have, run_cli

CASES = [
    # name, exiftool args, rights status, licence
    ("xmp_cc.jpg", ["-XMP-cc:License=https://creativecommons.org/licenses/by-sa/4.0/",
                    "-XMP-dc:Creator=Anna de Vries"], "open", "CC-BY-SA-4.0"),
    ("webstmt.png", ["-XMP-xmpRights:WebStatement="
                     "https://creativecommons.org/publicdomain/zero/1.0/"], "open", "CC0-1.0"),
    ("iptc.jpg", ["-IPTC:CopyrightNotice=© 2025 Persbureau Y. Alle rechten voorbehouden",
                  "-IPTC:By-line=Fotograaf Y"], "restricted", None),
    ("exif_owned.tif", ["-EXIF:Copyright=© Gemeente Voorbeeld", "-EXIF:Artist=Team Communicatie"],
     "owned", None),
    ("webp_cc.webp", ["-XMP-cc:License=https://creativecommons.org/licenses/by/4.0/"],
     "open", "CC-BY-4.0"),
    ("conflict.jpg", ["-XMP-cc:License=https://creativecommons.org/licenses/by/4.0/",
                      "-EXIF:Copyright=(c) 2024 Agency Z, all rights reserved"], "conflict", None),
    ("gps.jpg", ["-XMP-cc:License=https://creativecommons.org/licenses/by/4.0/",
                 "-GPSLatitude=52.0916", "-GPSLatitudeRef=N", "-GPSLongitude=4.3",
                 "-GPSLongitudeRef=E"], "open", "CC-BY-4.0"),
    ("people.jpg", ["-XMP-dc:Rights=CC BY 4.0 Gemeente Voorbeeld",
                    "-XMP-iptcExt:PersonInImage=Jan Jansen",
                    "-XMP-plus:ModelReleaseStatus=None"], "open", "CC-BY-4.0"),
]


@pytest.fixture(scope="module")
def exif_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    im = have("imagemagick")
    if not (im and have("exiftool")):
        pytest.skip("needs ImageMagick and exiftool")
    d = tmp_path_factory.mktemp("exiftool")
    (d / "mediaaudit.toml").write_text('[policy]\norganisation = "Gemeente Voorbeeld"\n')
    for name, args, _, _ in CASES:
        subprocess.run([im, "-size", "40x30", "plasma:", str(d / name)], check=True,
                       capture_output=True)
        subprocess.run(["exiftool", "-q", "-overwrite_original", "-charset", "iptc=UTF8",
                        "-IPTC:CodedCharacterSet=UTF8", *args, str(d / name)], check=True,
                       capture_output=True)
    return d


@pytest.fixture(scope="module")
def run(exif_dir: Path) -> Run:
    return run_cli("scan", str(exif_dir), "-j", "1")


@pytest.mark.parametrize(("name", "args", "status", "licence"), CASES)
def test_exiftool_written(run: Run, name: str, args: list[str], status: str,
                          licence: str | None) -> None:
    r = run.entry(name)["rights"]
    assert r["status"] == status, r
    if licence:
        assert r["licence"] == licence


def test_privacy_and_portrait_from_exiftool(run: Run) -> None:
    assert "MA-PRV-001" in run.codes("gps.jpg")
    assert "MA-PRT-002" in run.codes("people.jpg")
    assert run.entry("people.jpg")["outcome"] == "fail"


def test_values_match_exiftool_reading(run: Run, exif_dir: Path) -> None:
    out = subprocess.run(["exiftool", "-json", "-charset", "iptc=UTF8", "-XMP-cc:License",
                          "-IPTC:CopyrightNotice", "-EXIF:Copyright", "-XMP-dc:Creator",
                          str(exif_dir)], capture_output=True, text=True, check=True).stdout
    oracle = {Path(r["SourceFile"]).name: r for r in json.loads(out)}
    pairs = {"xmp:cc:license": "License", "iptc:2:116": "CopyrightNotice",
             "exif:Copyright": "Copyright", "xmp:dc:creator": "Creator"}
    checked = 0
    for name, *_ in CASES:
        for ev in run.entry(name)["rights"]["evidence"]:
            key = pairs.get(ev["source"])
            if key and key in oracle[name]:
                assert ev["value"] == str(oracle[name][key]), (name, ev)
                checked += 1
    assert checked >= 6


def test_ffmpeg_container_tags(tmp_path: Path) -> None:
    if not have("ffmpeg"):
        pytest.skip("ffmpeg not installed")
    (tmp_path / "mediaaudit.toml").write_text('[policy]\norganisation = ["Gemeente Voorbeeld"]\n')
    base = ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
            "testsrc=size=64x48:rate=25", "-t", "0.3", "-pix_fmt", "yuv420p", "-c:v", "libx264"]
    subprocess.run([*base, "-metadata", "copyright=© Gemeente Voorbeeld", "-movflags",
                    "+faststart", str(tmp_path / "owned.mp4")], check=True)
    subprocess.run([*base, "-metadata", "LICENSE=CC BY-NC 4.0", str(tmp_path / "nc.mkv")],
                   check=True)
    subprocess.run([*base, "-metadata", "location=+52.0916+004.3000/",
                    "-metadata", "copyright=CC BY 4.0 J. Jansen", str(tmp_path / "loc.mov")],
                   check=True)
    run = run_cli("scan", str(tmp_path))
    assert run.entry("owned.mp4")["rights"]["status"] == "owned"
    nc = run.entry("nc.mkv")
    assert nc["rights"]["licence"] == "CC-BY-NC-4.0" and "MA-LIC-004" in run.codes("nc.mkv")
    assert "MA-PRV-001" in run.codes("loc.mov")
