"""PDF rendering: the HTML report, laid out by WeasyPrint as PDF/A-2a.

PDF/A-2a is the profile the Norm Voorkeursformaten prefers for documents (PRONOM
fmt/476, beside PDF/A-1a): archival (PDF/A-2) and tagged, so a screen reader can follow
it (conformance level "a", which is stricter than the "b" the issue asks at least).
The PDF attached to a publication request is then itself in a preferred format.

The page is the very HTML that ``html_writer`` makes (same text, same previews, same
print stylesheet), in its ``printed`` form (notes written out: paper cannot open a
``<details>``); only the font is pinned here.  PDF/A needs every font embedded, and
WeasyPrint embeds (a subset of) every font it uses, so the PDF looks the same wherever it
is opened; pinning DejaVu Sans (Debian: ``fonts-dejavu-core``) makes the layout the same
on every machine that renders it rather than depend on whichever sans-serif font
fontconfig picks.

Nothing is fetched: the report's previews are ``data:`` URIs and every other URL is
refused, so a hostile name or metadata value in the manifest (escaped by the HTML writer
anyway) cannot make the renderer read a local file or the network.

Speed: the print stylesheet lays the cards out as table rows of two, not as a grid;
WeasyPrint lays a grid out again for every page, so 200 cards took 93 s, and now take
about 7 s of CPU.  While the PDF is made, a terminal shows how far it is (``Status``):
the cards written, then each page laid out (WeasyPrint's own progress log), then the
writing; nothing is shown when stderr is not a terminal or the run is quiet (``QUIET``).

WeasyPrint needs Pango (``libpango-1.0-0``, ``libpangoft2-1.0-0``; ``libharfbuzz-subset0``
or it warns) at import time; it is imported only when a PDF is asked for, so the other
formats never need it, and a machine without it is told so before the scan starts.
"""

from __future__ import annotations

import io
import logging
import sys
import time
from collections.abc import Callable, Mapping
from contextvars import ContextVar
from typing import Any, Protocol, TextIO

from mediaaudit.manifestview import ManifestView
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

CardsDone = Callable[[int, int], None]
"""Told (cards written, cards) as the page is written."""


class HtmlFn(Protocol):
    """The HTML writer with its previews: (manifest, stream, base) → writes the page;
    ``printed`` asks for the page made for paper, ``progress`` is told of each card."""

    def __call__(self, m: Mapping[str, Any], out: TextIO, base: str, *,
                 printed: bool = ..., progress: CardsDone | None = ...) -> None: ...


QUIET: ContextVar[bool] = ContextVar("pdf_quiet", default=False)
"""Set by a command run quietly (``scan -q``): no progress line even on a terminal."""


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


def render_pdf(html: str, figure_alt: str = "Preview", status: Status | None = None
               ) -> bytes:
    """The PDF/A bytes of one HTML page (no resource outside the page is fetched).

    ``figure_alt`` is the alternate text of a picture that has none (the previews are
    ``alt=""``, decorative next to their file name, but PDF/A-2a wants a text for
    every figure).  ``status`` is shown each page as it is laid out."""
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
    steps = _Steps(status) if status is not None else None

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
        if steps is not None:
            steps.close()
    return pdf


class Status:
    """One line on the terminal (stderr), rewritten in place while the PDF is made, and
    cleared when it is done: which card is written, which page is laid out, then that
    the file is written.  A rewrite comes at most every ``EVERY`` seconds."""

    EVERY = 0.1

    def __init__(self, lang: str, stream: TextIO | None = None) -> None:
        self.lang, self.stream = lang, stream or sys.stderr
        self.shown, self.last = False, 0.0

    def _show(self, key: str, force: bool = False, **params: int) -> None:
        now = time.monotonic()
        if not force and now - self.last < self.EVERY:
            return
        self.last, self.shown = now, True
        self.stream.write(f"\r{label(self.lang, key).format(**params)}\x1b[K")
        self.stream.flush()

    def cards(self, done: int, total: int) -> None:
        self._show("pdf_cards", done == total, i=done, n=total)

    def preparing(self) -> None:
        self._show("pdf_prepare", True)

    def page(self, number: int) -> None:
        self._show("pdf_page", number == 1, p=number)

    def writing(self) -> None:
        self._show("pdf_write", True)

    def clear(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


class _Steps(logging.Handler):
    """WeasyPrint's progress log ("Step 5 - Creating layout - Page 7") as ``Status``
    lines, for the time of one rendering (then the logger is as it was)."""

    def __init__(self, status: Status) -> None:
        super().__init__(logging.INFO)
        self.status = status
        self.logger = logging.getLogger("weasyprint.progress")
        self.saved = (self.logger.level, self.logger.propagate)
        self.logger.setLevel(logging.INFO)
        self.logger.propagate = False  # ours only: no other handler prints these lines
        self.logger.addHandler(self)
        status.preparing()

    def emit(self, record: logging.LogRecord) -> None:
        step = str(record.msg)
        if step.startswith("Step 5") and record.args and isinstance(record.args, tuple) \
                and isinstance(record.args[0], int):
            self.status.page(record.args[0])
        elif step.startswith("Step 6"):
            self.status.writing()

    def close(self) -> None:
        self.logger.removeHandler(self)
        self.logger.setLevel(self.saved[0])
        self.logger.propagate = self.saved[1]
        super().close()


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
    lang = ManifestView.header(m).lang
    status = Status(lang) if sys.stderr.isatty() and not QUIET.get() else None
    page = io.StringIO()
    try:
        html(m, page, base, printed=True,
             progress=status.cards if status is not None else None)
        pdf = render_pdf(page.getvalue(), label(lang, "preview"), status)
    except PdfUnavailable as exc:
        raise OutputUnwritable(str(target), str(exc)) from exc
    finally:
        if status is not None:
            status.clear()
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
