"""Regenerate ``sample_media/``: tiny, legally clean files that show every outcome.

Run from the repo root:  .venv/bin/python tests/make_samples.py
All pictures and clips are synthetic (colour gradients and silence) made by this script
with Pillow and PyAV; they depict nobody and nothing, and are dedicated to the public
domain (CC0-1.0) by the mediaaudit developers.  The *metadata* in them (photographers,
press agencies, GPS) is fictional and there to trigger the checks.  docs/sample-media.md
lists each file, how it was made and the verdict it should get; test_samples.py checks it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from PIL import Image
from PIL.PngImagePlugin import PngInfo

import factory
import fixtures_rights as fr

OUT = Path(__file__).parents[1] / "sample_media"
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"

CONFIG = """# Policy for the sample folder: which names count as 'our own' (owned rights), and a
# folder annotation (REUSE.toml-like) for a file that carries no rights metadata itself.
[policy]
organisation = ["Gemeente Voorbeeld"]

[[annotations]]
path = "logo.svg"
holder = "Gemeente Voorbeeld"
"""


def iphone_photo(path: Path) -> None:
    """An iPhone-style HEIC (the most common upload): HEVC still image made with
    pillow-heif, EXIF as a phone writes it (make, model, software, time, GPS) plus the
    organisation as artist and copyright holder, so only the format (and the GPS position)
    stand between it and posting.  ``mediaaudit fix`` turns it into a JPEG."""
    import pillow_heif

    ex = Image.Exif()
    ex[0x010F], ex[0x0110], ex[0x0131] = "Apple", "iPhone 15", "17.4"
    ex[0x013B] = "Gemeente Voorbeeld"  # Artist
    ex[0x8298] = "Copyright 2026 Gemeente Voorbeeld"  # EXIF is ASCII: no (c) sign
    ex.get_ifd(0x8769)[0x9003] = "2026:05:12 10:41:07"
    gps = ex.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 4.0, 42.0), "E", (4.0, 17.0, 36.0)
    pillow_heif.register_heif_opener()
    factory.picture(96, 72, seed=40).save(path, format="HEIF", quality=60,
                                          exif=ex.tobytes())


def main() -> None:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir()
    (OUT / "mediaaudit.toml").write_text(CONFIG)
    by = f'<cc:license rdf:resource="{fr.CC_BY}"/>' + fr.seq("dc:creator", "Anna de Vries") + (
        "<Iptc4xmpCore:AltTextAccessibility><rdf:Alt>"
        '<rdf:li xml:lang="nl">Kleurverloop van roze naar groen (voorbeeldbeeld)</rdf:li>'
        '<rdf:li xml:lang="en">Colour gradient from pink to green (sample image)</rdf:li>'
        "</rdf:Alt></Iptc4xmpCore:AltTextAccessibility>")
    pi = PngInfo()
    pi.add_itxt("XML:com.adobe.xmp", fr.xmp(by).decode(), zip=False)
    factory.picture(96, 64).save(OUT / "stadhuis.png", "PNG", pnginfo=pi)
    (OUT / "logo.svg").write_text(factory.SVG_11)
    fr.jpeg(OUT / "persfoto.jpg", app13=fr.iptc_app13(
        (2, 116, "All rights reserved, Persbureau X"), (2, 80, "Fotograaf X")))
    fr.jpeg(OUT / "vakantie.jpg")
    ex = Image.Exif()
    ex[0x010F] = "Voorbeeldcamera"
    ex.get_ifd(0x8769)[0x9000] = b"0230"
    gps = ex.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 5.0, 30.0), "E", (4.0, 18.0, 0.0)
    fr.jpeg(OUT / "markt-gps.jpg", fr.xmp(f"<xmpRights:WebStatement>{CC0}"
                                          "</xmpRights:WebStatement>"), exif=ex)
    factory.picture().save(OUT / "banner.webp", "WEBP", xmp=fr.xmp(
        f'<cc:license rdf:resource="{CC0}"/>'))
    pi = PngInfo()
    pi.add_itxt("XML:com.adobe.xmp", fr.xmp(f'<cc:license rdf:resource="{CC0}"/>').decode(),
                zip=False)
    factory.picture().save(OUT / "verkeerde-extensie.jpg", "PNG", pnginfo=pi)
    factory.video(OUT / "interview.mp4", "mp4", "libx264", "aac", faststart=True,
                  metadata={"copyright": "© 2026 Gemeente Voorbeeld"})
    (OUT / "interview.nl.vtt").write_text(
        "WEBVTT\n\n00:00.000 --> 00:00.200\nGoedemorgen.\n\n"
        "00:00.200 --> 00:00.400\nWelkom bij de gemeente.\n")
    factory.video(OUT / "telefoon.mov", "mov", "libx264", "aac",
                  metadata={"copyright": "CC BY 4.0 Anna de Vries"})
    factory.video(OUT / "archief.mkv", "matroska", "ffv1", "flac",
                  metadata={"LICENSE": fr.CC_BY, "COPYRIGHT": "Anna de Vries"})
    factory.animated_gif(OUT / "animatie.gif")
    (OUT / "animatie.gif.license").write_text(
        "SPDX-FileCopyrightText: 2026 Gemeente Voorbeeld\nSPDX-License-Identifier: CC0-1.0\n")
    fr.jpeg(OUT / "campagne.jpg")
    (OUT / "campagne.jpg.license").write_text(
        "SPDX-FileCopyrightText: 2026 Studio Y\nSPDX-License-Identifier: CC-BY-SA-4.0\n")
    iphone_photo(OUT / "IMG_4521.HEIC")
    (OUT / "leeg.jpg").write_bytes(b"")
    (OUT / "notities.txt").write_text("Dit is geen afbeelding maar een tekstbestand.\n")
    for p in sorted(OUT.iterdir()):
        print(f"{p.stat().st_size:>7}  {p.name}")


if __name__ == "__main__":
    main()
