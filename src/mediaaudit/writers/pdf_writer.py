"""PDF rendering: the HTML report, laid out by WeasyPrint as PDF/A-2a.

PDF/A-2a is the profile the Norm Voorkeursformaten prefers for documents (PRONOM
fmt/476, beside PDF/A-1a): archival (PDF/A-2) and tagged, so a screen reader can follow
it (conformance level "a", which is stricter than the "b" the issue asks at least).
The PDF attached to a publication request is then itself in a preferred format.

The page is the very HTML that ``html_writer`` makes (same text, same previews, same
print stylesheet); only the font is pinned here.  PDF/A needs every font embedded, and
WeasyPrint embeds (a subset of) every font it uses, so the PDF looks the same wherever it
is opened; pinning DejaVu Sans (Debian: ``fonts-dejavu-core``) makes the layout the same
on every machine that renders it rather than depend on whichever sans-serif font
fontconfig picks.

Nothing is fetched: the report's previews are ``data:`` URIs and every other URL is
refused, so a hostile name or metadata value in the manifest (escaped by the HTML writer
anyway) cannot make the renderer read a local file or the network.

WeasyPrint needs Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``; ``libharfbuzz-subset0``
or it warns) at import time; it is imported only when a PDF is asked for, so the other
formats never need it, and a machine without it is told so before the scan starts.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Callable, Mapping
from typing import Any, TextIO

from mediaaudit.writers.atomic import OutputUnwritable
from mediaaudit.writers.labels import label

PDF_VARIANT = "pdf/a-2a"
"""WeasyPrint's name for the PDF/A profile written (PRONOM fmt/476)."""

FONT = "DejaVu Sans"
"""The one font family used, embedded in the PDF (Debian package fonts-dejavu-core)."""

MONO = "DejaVu Sans Mono"
"""For fixed-width text (checksums), same package."""

PDF_CSS = f"""
html, body {{ font-family: "{FONT}", sans-serif; }}
code, pre, kbd, samp, tt {{ font-family: "{MONO}", monospace; }}
"""
"""Added after the report's own stylesheet: only the font changes, and only where the
report names a font this machine may not have (everything else inherits it)."""

HtmlFn = Callable[[Mapping[str, Any], TextIO, str], None]
"""The HTML writer with its previews: (manifest, stream, base) → writes the page."""


INSTALL = ("PDF output needs WeasyPrint and Pango: pip install 'mediaaudit[pdf]' and "
           "apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core")


class PdfUnavailable(Exception):
    """WeasyPrint or its system libraries are missing; the message says what to install."""


def pdf_missing() -> str | None:
    """What this machine lacks to write a PDF (a sentence for the user), or None."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:  # OSError: libpango cannot be loaded
        return f"{INSTALL} ({exc})"
    return None


def render_pdf(html: str, figure_alt: str = "Preview") -> bytes:
    """The PDF/A bytes of one HTML page (no resource outside the page is fetched).

    ``figure_alt`` is the alternate text of a picture that has none (the previews are
    ``alt=""``, decorative next to their file name, but PDF/A-2a wants a text for
    every figure)."""
    try:
        import pydyf
        import weasyprint
        from weasyprint.urls import URLFetcher
    except (ImportError, OSError) as exc:  # OSError: libpango cannot be loaded
        raise PdfUnavailable(f"{INSTALL} ({exc})") from exc
    fetcher = URLFetcher(allowed_protocols={"data"})
    doc = weasyprint.HTML(string=html, url_fetcher=fetcher)
    quiet = _AltSupplied()
    logging.getLogger("weasyprint").addFilter(quiet)

    def finish(_document: Any, pdf: Any) -> None:
        for obj in pdf.objects:
            if isinstance(obj, dict) and obj.get("Type") == "/StructElem" \
                    and obj.get("S") == "/Figure" and "Alt" not in obj:
                obj["Alt"] = pydyf.String(figure_alt)
            elif isinstance(obj, pydyf.Stream) and obj.extra.get("Type") == "/Metadata":
                # The XMP packet that names the PDF/A part and conformance stays
                # readable: format identification (siegfried, DROID) finds PDF/A by
                # these bytes and cannot see them in a Flate-compressed stream.
                obj.compress = False

    try:
        pdf: bytes = doc.write_pdf(
            stylesheets=[weasyprint.CSS(string=PDF_CSS, url_fetcher=fetcher)],
            pdf_variant=PDF_VARIANT, finisher=finish)
    finally:
        logging.getLogger("weasyprint").removeFilter(quiet)
    return pdf


class _AltSupplied(logging.Filter):
    """Drops WeasyPrint's complaint about a picture without alt text: ``finish`` gives
    every such figure one.  Anything else it reports is left alone."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "has no required alt description" not in record.getMessage()


def write_pdf(m: Mapping[str, Any], out: TextIO, base: str, html: HtmlFn) -> None:
    """Render the manifest's HTML report with ``html`` and write it to ``out`` as PDF/A.

    ``out`` is the text stream every writer gets; the PDF goes, as bytes, to the binary
    file under it (``out.buffer``), after the whole document is rendered, so a failed
    rendering leaves nothing written."""
    target = getattr(out, "target", getattr(out, "name", "<stdout>"))
    page = io.StringIO()
    html(m, page, base)
    try:
        pdf = render_pdf(page.getvalue(), label(m.get("lang", "en"), "preview"))
    except PdfUnavailable as exc:
        raise OutputUnwritable(str(target), str(exc)) from exc
    try:
        out.flush()
        out.buffer.write(pdf)
        out.buffer.flush()
    except OSError as exc:
        raise OutputUnwritable(str(target), exc.strerror or str(exc)) from exc


# The end of the file a recogniser reads: WeasyPrint writes the XMP metadata (PDF/A) after
# the pages, followed only by the embedded fonts and the cross-reference table.
TAIL_BYTES = 512 * 1024


def is_own(head: bytes, tail: bytes) -> bool:
    """Is this a PDF report this writer wrote: a PDF whose XMP names mediaaudit as the
    creator tool, in the file's last ``TAIL_BYTES``?"""
    return head.startswith(b"%PDF-") and b"<xmp:CreatorTool>mediaaudit " in tail
