"""Accessibility and AI-disclosure fixtures (issue 9), shared by several tests."""

from __future__ import annotations

import struct
from pathlib import Path

import factory
import fixtures_rights as fr

SRT = "1\n00:00:00,000 --> 00:00:00,400\nHallo\n\n2\n00:00:00,400 --> 00:00:00,800\nWereld\n"
VTT = "WEBVTT\n\n00:00.000 --> 00:00.400\nHallo\n\n00:00.400 --> 00:00.800\nWereld\n"
DST = "http://cv.iptc.org/newscodes/digitalsourcetype/"
LIC = f'<cc:license rdf:resource="{fr.CC_BY}"/>'


def build_access(d: Path) -> Path:
    """Alt text, AI source types, captions (sidecar, empty, declared), C2PA marker."""
    d.mkdir(parents=True, exist_ok=True)
    alt = ('<Iptc4xmpCore:AltTextAccessibility><rdf:Alt>'
           '<rdf:li xml:lang="x-default">Wethouder opent de markt</rdf:li>'
           '<rdf:li xml:lang="nl">Wethouder opent de markt</rdf:li>'
           '<rdf:li xml:lang="en">Alderman opens the market</rdf:li>'
           "</rdf:Alt></Iptc4xmpCore:AltTextAccessibility>")
    fr.jpeg(d / "alt.jpg", fr.xmp(LIC + alt))
    fr.jpeg(d / "noalt.jpg", fr.xmp(LIC))
    fr.jpeg(d / "ai.jpg", fr.xmp(LIC + f'<Iptc4xmpExt:DigitalSourceType rdf:resource="{DST}'
                                   'trainedAlgorithmicMedia"/>'))
    from PIL.PngImagePlugin import PngInfo

    pi = PngInfo()
    pi.add_itxt("XML:com.adobe.xmp", fr.xmp(
        LIC + "<Iptc4xmpExt:DigitalSourceType>compositeWithTrainedAlgorithmicMedia"
        "</Iptc4xmpExt:DigitalSourceType>").decode(), zip=False)
    factory.picture().save(d / "composite.png", "PNG", pnginfo=pi)
    fr.jpeg(d / "camera.jpg", fr.xmp(LIC + f'<Iptc4xmpExt:DigitalSourceType rdf:resource="{DST}'
                                       'digitalCapture"/>'))
    fr.jpeg(d / "sidecar_alt.jpg", fr.xmp(LIC))
    (d / "sidecar_alt.jpg.alt.txt").write_text("Een fietser op de brug\n")
    meta = {"copyright": "CC BY 4.0 Gemeente"}
    factory.video(d / "plain.mp4", "mp4", "libx264", "aac", faststart=True, metadata=meta)
    factory.video(d / "subbed.mp4", "mp4", "libx264", "aac", faststart=True, metadata=meta)
    (d / "subbed.nl.vtt").write_text(VTT)
    factory.video(d / "srt.mp4", "mp4", "libx264", "aac", faststart=True, metadata=meta)
    (d / "srt.srt").write_text(SRT)
    factory.video(d / "empty_caps.mp4", "mp4", "libx264", "aac", faststart=True, metadata=meta)
    (d / "empty_caps.en.vtt").write_text("WEBVTT\n\n")
    factory.video(d / "burned.mp4", "mp4", "libx264", "aac", faststart=True, metadata=meta)
    (d / "mediaaudit.toml").write_text(
        '[[annotations]]\npath = "burned.mp4"\ncaptions = "burned-in"\n')
    # C2PA presence: a JPEG with an APP11 JUMBF segment labelled c2pa (byte splicing)
    jumb = b"jumb" + b"\0" * 4 + b"jumd" + b"c2pa" + b"\0" * 16
    seg = b"\xff\xeb" + struct.pack(">H", len(jumb) + 10) + b"JP" + b"\0\x01" + b"\0" * 4 + jumb
    fr.jpeg(d / "c2pa.jpg", fr.xmp(LIC))
    (d / "c2pa.jpg").write_bytes(fr.insert_after_appn((d / "c2pa.jpg").read_bytes(), seg))
    return d
