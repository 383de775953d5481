"""HTML rendering: one self-contained page (inline CSS, no scripts, no fetched assets)
for a reviewer who never opens a terminal.  Prints on A4 (two columns of cards).

The page answers the poster's question first: the banner says in words how many files
may be posted and how many need an action when posting; then one card per file (could not
be checked, failed, passed with actions, passed): a preview, the verdict in plain words,
the actions as a checklist, the findings that explain a failure with how to fix them, and
info notes folded into one quiet ``<details>`` line (no scripts needed; the printed
page, ``printed``, lists them in full: print cannot open a ``<details>``).  A sign-off block
ties the printed page to the canonical record (the SHA-256 of the JSON manifest), and a
footer gives the archivist the norm's checksum, engine versions, the effective policy and
the full SHA-256 of every file.

Every string from the manifest is escaped: file names and metadata are untrusted input.
A Content-Security-Policy forbids scripts and every non-inline resource as a second wall.

Written card by card, each preview taken just before its card from one generator over
the cards in order (``thumbs.previews``), whose warm workers make the next cards' previews
while this one is written: only those few are held at a time, and a report of 20,000
files no longer starts 20,000 processes.  The verdict
and totals come first and failing files lead, so it is written after the scan, from the
whole list of entries.

Cards go two by two into a ``pair``: on screen the pair is invisible (``display:
contents``, the grid places the cards), on paper it is one table row of two cells.  A
grid (or flex) of hundreds of cards is laid out again on every printed page, which made
the PDF of 200 files take minutes; rows of two are laid out once each.

A command in a hint (``'mediaaudit fix FILE --out DIR --strip-location'``) stays on one
line when it fits on a printed card's line and otherwise wraps only between its
arguments, never at a hyphen inside one (``_commands``): a command broken as
``--strip-`` / ``location`` cannot be copied.
"""

from __future__ import annotations

import functools
import hashlib
import io
import re
from collections.abc import Callable, Generator, Iterator, Mapping, Sequence
from html import escape
from typing import Any, TextIO

from mediaaudit import __version__
from mediaaudit.evaluate import actions as _actions
from mediaaudit.manifestview import (
    ActionView,
    EntryView,
    FindingView,
    ManifestView,
    State,
    ordered,
)
from mediaaudit.model import C2paState, Severity
from mediaaudit.writers.common import (
    captions,
    describe,
    failing_first,
    fix_hint,
    human_size,
    states_of,
)
from mediaaudit.writers.json_writer import write_json
from mediaaudit.writers.labels import (
    LABELS,
    banner,
    batch_verdict,
    label,
    skip_reason,
    verdict_text,
)

CSS = """
@page { size: A4; margin: 10mm 10mm 11mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.4 "Segoe UI", "DejaVu Sans", Arial, sans-serif; color: #1a1a1a;
       margin: 0 auto; max-width: 1180px; padding: 16px; hyphens: manual;
       overflow-wrap: break-word; }
h1 { font-size: 17pt; margin: 0 0 6px; color: #154273; }
h2 { font-size: 12pt; color: #154273; margin: 18px 0 6px; }
.verdict { padding: 10px 14px; border-radius: 6px; margin: 6px 0 10px; }
.verdict strong { display: block; font-size: 13pt; }
.verdict .words { font-size: 11.5pt; }
.v-pass { background: #e3f4e5; border-left: 8px solid #2e7d32; }
.v-fail { background: #fdecea; border-left: 8px solid #c62828; }
.v-error, .v-empty { background: #fff4e0; border-left: 8px solid #ef6c00; }
.counts { margin: 0 0 8px; }
.counts span { display: inline-block; margin: 0 10px 4px 0; padding: 1px 9px;
               border-radius: 10px; font-weight: 600; font-size: 9.5pt; }
.counts span.zero { opacity: .45; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 1px 12px;
          font-size: 8.5pt; color: #444; margin: 6px 0 12px; }
dl.meta dt { font-weight: 600; } dl.meta dd { margin: 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(500px, 1fr));
         gap: 10px; }
.pair { display: contents; } .pair > .gap { display: none; }
.card { display: flex; gap: 10px; border: 1px solid #cfd6de; border-left-width: 7px;
        border-radius: 6px; padding: 8px 10px; break-inside: avoid;
        page-break-inside: avoid; background: #fff; }
.pv { flex: 0 0 112px; }
.pv img { display: block; max-width: 112px; max-height: 112px; border: 1px solid #ddd; }
.pv .none { width: 112px; height: 64px; border: 1px dashed #bbb; color: #888;
            font-size: 8pt; display: flex; align-items: center; justify-content: center;
            text-align: center; }
.body { flex: 1 1 auto; min-width: 0; }
.name { font-size: 11pt; margin: 0; font-weight: 700; }
.what { margin: 1px 0 3px; font-size: 9pt; color: #333; }
.arch { font-size: 7.5pt; color: #777; white-space: nowrap; }
.say { margin: 3px 0; }
.badge { display: inline-block; padding: 0 7px; border-radius: 10px; font-weight: 700;
         font-size: 8.5pt; white-space: nowrap; margin-right: 4px; color: #fff; }
.s-pass { border-left-color: #2e7d32; } .s-pass .badge, .c-pass { background: #2e7d32;
  color: #fff; }
.s-pass_actions { border-left-color: #1565c0; } .s-pass_actions .badge,
.c-pass_actions { background: #1565c0; color: #fff; }
.s-fail { border-left-color: #c62828; } .s-fail .badge, .c-fail { background: #c62828;
  color: #fff; }
.s-error { border-left-color: #ef6c00; } .s-error .badge, .c-error { background: #ef6c00;
  color: #fff; }
ul.todo { list-style: none; margin: 2px 0 4px; padding: 0; }
ul.todo li { margin: 2px 0; padding-left: 20px; position: relative; }
ul.todo li::before { content: ""; position: absolute; left: 0; top: 2px; width: 11px;
                     height: 11px; border: 1.5px solid #1565c0; border-radius: 2px; }
.paste { display: block; background: #eef4fb; border: 1px solid #d3e0ef; padding: 1px 5px;
         margin-top: 1px; font-size: 9pt; }
ul.why { margin: 2px 0 4px; padding-left: 16px; } ul.why li { margin-bottom: 3px; }
.sev-error { color: #b71c1c; } .sev-warning { color: #8a5300; }
.fix { display: block; color: #333; font-size: 8.5pt; }
.rights { font-size: 8.5pt; color: #444; margin: 2px 0; }
.notes { font-size: 8pt; color: #666; margin: 2px 0 0; }
.notes summary { cursor: pointer; }
.notes ul { margin: 2px 0; padding-left: 16px; }
.cmd { font-size: .95em; font-family: "DejaVu Sans Mono", Consolas, monospace; }
.arg, .cmd.whole { white-space: nowrap; hyphens: none; overflow-wrap: normal; }
.code { font-size: 7.5pt; color: #888; white-space: nowrap; }
.signoff { margin-top: 16px; border: 1.5px solid #154273; border-radius: 6px;
           padding: 8px 12px; break-inside: avoid; page-break-inside: avoid; }
.signoff h2 { margin-top: 0; }
.signoff table { width: 100%; border-collapse: collapse; }
.signoff td { padding: 6px 4px; vertical-align: bottom; }
.signoff td.line { border-bottom: 1px solid #999; width: 38%; }
.opt { display: inline-block; margin-right: 14px; white-space: nowrap; }
.opt::before { content: ""; display: inline-block; width: 10px; height: 10px;
               border: 1.5px solid #444; margin-right: 4px; vertical-align: -1px; }
.hash { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 8pt;
        white-space: nowrap; }
footer.archivist { margin-top: 16px; font-size: 8pt; color: #333; }
footer.archivist dl { display: grid; grid-template-columns: max-content 1fr;
                      gap: 1px 10px; margin: 4px 0 8px; }
footer.archivist dt { font-weight: 600; } footer.archivist dd { margin: 0; }
footer.archivist table { border-collapse: collapse; width: 100%; }
footer.archivist th, footer.archivist td { text-align: left; padding: 1px 6px 1px 0;
  border-bottom: 1px solid #e3e3e3; vertical-align: top; }
footer.archivist .hash { font-size: 7pt; }
.url { overflow-wrap: anywhere; }
.small { font-size: 8pt; color: #666; }
@media print {
  body { font-size: 8pt; line-height: 1.15; padding: 0; max-width: none; }
  h1 { font-size: 13pt; margin-bottom: 2px; } h2 { font-size: 10pt; margin: 8px 0 4px; }
  .verdict { padding: 5px 9px; margin: 3px 0 5px; border-left-width: 6px; }
  .verdict strong { font-size: 10.5pt; } .verdict .words { font-size: 9.5pt; }
  .counts span { font-size: 7.5pt; margin-bottom: 1px; }
  dl.meta { font-size: 7pt; margin: 3px 0 6px; }
  /* rows of two cards as table rows: no grid or flex, which are laid out again on
     every page (minutes for a few hundred cards) */
  .cards { display: block; }
  .pair { display: table; table-layout: fixed; width: 100%; border-spacing: 2mm 0;
          margin: 0 0 1.5mm; break-inside: avoid; page-break-inside: avoid; }
  .card, .pair > .gap { display: table-cell; width: 50%; vertical-align: top; }
  .card { padding: 3px 5px; border-left-width: 5px; }
  .pv { float: left; width: 16mm; } .body { margin-left: 17.5mm; }
  .pv img { max-width: 16mm; max-height: 16mm; }
  .pv .none { display: block; width: 16mm; height: 12mm; font-size: 6.5pt;
              line-height: 1.1; padding-top: 3mm; }
  .name { font-size: 8.5pt; } .what { font-size: 7pt; margin: 0 0 1px; }
  .badge { font-size: 7pt; display: inline; } .say { margin: 1px 0; }
  .rights, .paste { font-size: 7pt; } .fix { font-size: 6.5pt; }
  ul.why li { margin-bottom: 1px; } .notes, .notes .code { font-size: 6.5pt; }
  ul.todo li::before { width: 8px; height: 8px; top: 1px; } ul.todo li { padding-left: 13px; }
  .signoff { margin-top: 4px; padding: 3px 8px; } .signoff td { padding: 3px 4px; }
  footer.archivist { font-size: 6.5pt; margin-top: 4px; }
  footer.archivist h2 { margin: 0 0 2px; } footer.archivist dl { margin: 2px 0 4px; }
  footer.archivist p { margin: 2px 0 0; }
  footer.archivist .hash { font-size: 6pt; } .hash { font-size: 6.5pt; }
  footer.archivist { line-height: 1.1; } footer.archivist td { padding-top: 0; padding-bottom: 0; }
  /* fixed columns: an automatic table of every file is measured again on each page */
  footer.archivist table { table-layout: fixed; }
  footer.archivist th:nth-child(1) { width: 35%; }
  footer.archivist th:nth-child(4) { width: 45%; }
  footer.archivist th:nth-child(2), footer.archivist th:nth-child(3) { width: 10%; }
  a { color: inherit; text-decoration: none; }
}
"""

CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
       "base-uri 'none'; form-action 'none'")


def _e(v: Any) -> str:
    return escape("" if v is None else str(v), quote=True)


# A path this short fits on a line wherever the report shows one (a card's name, a row
# of the archivist's table, printed), so it needs no break points: each ``<wbr>`` is a
# box of its own for WeasyPrint, 8% of the work of a 200-file PDF.
_SHORT_PATH = 30


def _path(v: Any) -> str:
    """An escaped path that may wrap after a slash, never inside a name."""
    text = str(v or "")
    if len(text) <= _SHORT_PATH:
        return _e(text)
    return "/<wbr>".join(_e(part) for part in text.split("/"))


# A quoted command in a hint: 'mediaaudit fix FILE --out DIR'.  The quote must not be
# part of a word, so the apostrophe of "video's" opens none.
_QUOTED = re.compile(r"(?<!\w)'([^'\s][^']*?)'(?!\w)")
# The longest command kept on one line: what fits beside the preview on a printed card
# (199 pt of 6.2 pt DejaVu Sans Mono, 3.7 pt a character: 53).
WHOLE = 52
# A command: a program name, then at least one option among its arguments.
_COMMAND = re.compile(r"[a-z][\w.-]*\s(?:.*\s)?--?[A-Za-z]")
# An option named on its own in a sentence ("raise --timeout", "-movflags +faststart").
_OPTION = re.compile(r"(?<![\w-])(--?[A-Za-z][\w:*=+.-]*[\w=*])")


def _args(text: str) -> str:
    """Escaped text with every option in it unbreakable (never split at its hyphen)."""
    parts = _OPTION.split(text)
    return "".join(f'<span class="arg">{_e(p)}</span>' if i % 2 else _e(p)
                   for i, p in enumerate(parts))


def _commands(text: str) -> str:
    """Escaped text in which each quoted command (``.cmd``) is unbreakable when it fits
    on a line of a printed card (``WHOLE``) and otherwise wraps only between its
    arguments, and each option elsewhere is unbreakable: a command printed as
    ``--strip-`` / ``location`` cannot be copied.  (Spans that do not wrap, rather than
    an inline block: WeasyPrint measures every inline block twice, a second of a
    200-file PDF.)"""
    out, at = [], 0
    for m in _QUOTED.finditer(text):
        if not _COMMAND.match(m.group(1)):
            continue
        words = m.group(1).split()
        if len(" ".join(words)) <= WHOLE:
            code = f'<code class="cmd whole">{_e(" ".join(words))}</code>'
        else:
            code = '<code class="cmd">' + " ".join(
                f'<span class="arg">{_e(w)}</span>' for w in words) + "</code>"
        out.append(f"{_args(text[at:m.start()])}&#x27;{code}&#x27;")
        at = m.end()
    out.append(_args(text[at:]))
    return "".join(out)


Previews = Callable[[Sequence[Mapping[str, Any]]], Iterator[str | None]]
"""The file entries of the cards, in order → their previews as data: URIs (or None), in
the same order, made as they are taken.  The entries as the manifest holds them
(``EntryView.source``): previews are made on disk, from each entry's path and checksum."""


class _Hasher(io.TextIOBase):
    """A text sink that keeps only the SHA-256 of the UTF-8 it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.h = hashlib.sha256()

    def write(self, s: str) -> int:
        self.h.update(s.encode("utf-8"))
        return len(s)


def manifest_sha256(m: Mapping[str, Any]) -> str:
    """The SHA-256 of the JSON manifest as ``write_json`` writes it (the canonical bytes)."""
    sink = _Hasher()
    write_json(m, sink)  # type: ignore[arg-type]
    return sink.h.hexdigest()


def _finding(x: FindingView, lang: str, with_fix: bool, tag: str = "li") -> str:
    """One finding as a list item, with how to fix it (``tag`` empty: run-in text)."""
    sev = Severity.INFO if x.severity is None else x.severity
    fix = fix_hint(x.code or "", lang) if with_fix else ""
    fix_html = (f'<span class="fix">{_e(label(lang, "how_to_fix"))}: {_commands(fix)}'
                "</span>" if fix else "")
    inner = (f'{_commands(x.message or "")} '
             f'<span class="code">{_e(x.code)}</span>{fix_html}')
    return f'<{tag} class="sev-{_e(sev)}">{inner}</{tag}>' if tag else inner


def _action(a: ActionView, lang: str) -> str:
    if a.known:
        text = _actions.lead(a.code, a.params, lang)
        value = _actions.paste(a.code, a.params, lang) or a.paste
    else:  # an action this version does not know: its stored text
        text, value = a.code if a.text is None else a.text, None
    paste = f'<span class="paste">{_e(value)}</span>' if value else ""
    return f"<li>{_e(text)}{':' if value else ''}{paste}</li>"


def _notes(f: EntryView, lang: str, printed: bool) -> str:
    """Info findings and quiet facts, folded into one line on screen; on paper, where a
    ``<details>`` cannot be opened (``printed``), written out in one run-in paragraph
    (a list took a line per note: the 15 samples no longer fitted on two pages)."""
    tag = "" if printed else "li"
    items = [_finding(x, lang, False, tag) for x in f.findings if x.severity == Severity.INFO]
    c2pa = C2paState.ABSENT if f.c2pa_state is None else f.c2pa_state
    if c2pa != C2paState.ABSENT:
        text = f"Content Credentials: {_e(c2pa)}"
        items.append(f"<li>{text}</li>" if tag else text)
    if not items:
        return ""
    n = len(items)
    head = label(lang, "notes_one") if n == 1 else label(lang, "notes").format(n=n)
    if printed:
        return f'<p class="notes">{_e(head)}: {" · ".join(items)}</p>'
    return f'<details class="notes"><summary>{_e(head)}</summary><ul>{"".join(items)}</ul>' \
        "</details>"


def _rights(f: EntryView, lang: str, state: State) -> str:
    L = functools.partial(label, lang)
    rights = f.rights
    status = "not_checked" if rights.status is None else rights.status
    if status == "not_checked":
        return ""
    parts = [f"{_e(L('rights'))}: {_e(L(status))}"]
    if rights.licence:
        parts.append(_e(rights.licence))
    if rights.holder:
        parts.append(f"© {_e(rights.holder)}")
    text = " · ".join(parts)
    if rights.attribution and state != State.PASS_ACTIONS:
        text += f' · {_e(L("attribution"))}: {_e(rights.attribution)}'
    return f'<p class="rights">{text}</p>'


def _card(f: EntryView, lang: str, thumb: str | None, printed: bool) -> str:
    L = functools.partial(label, lang)
    state = f.state
    fmt = f.format
    preview = (f'<img class="thumb" alt="" src="{_e(thumb)}">' if thumb
               else f'<div class="none">{_e(L("no_preview"))}</div>')
    what = [_e(describe(f, lang)), _e(human_size(f.size, lang))]
    caps = captions(f, lang)  # each caption file by name, with its language
    if caps:
        what.append(f"{_e(L('captions'))}: {_e(', '.join(caps))}")
    arch = " · ".join(_e(v) for v in (fmt.puid, fmt.mime) if v)
    body = []
    if state == State.PASS_ACTIONS:
        body.append('<ul class="todo">' + "".join(_action(a, lang) for a in f.actions)
                    + "</ul>")
    elif state in (State.FAIL, State.ERROR):
        shown = [x for x in f.findings if x.severity != Severity.INFO]
        body.append('<ul class="why">' + "".join(
            _finding(x, lang, True) for x in shown) + "</ul>" if shown else "")
    return (
        f'<article class="card s-{_e(state)}"><div class="pv">{preview}</div>'
        f'<div class="body"><h3 class="name">{_path(f.path)}</h3>'
        f'<p class="what">{" · ".join(what)}'
        + (f' <span class="arch">{arch}</span>' if arch else "") + "</p>"
        f'<p class="say"><span class="badge">{_e(L("state_" + state))}</span>'
        f'{_e(L("say_" + state))}</p>'
        + "".join(body) + _rights(f, lang, state) + _notes(f, lang, printed)
        + "</div></article>\n"
    )


def write_html(m: Mapping[str, Any], out: TextIO, previews: Previews | None = None,
               printed: bool = False, progress: Callable[[int, int], None] | None = None
               ) -> None:
    """The whole report, written to ``out`` one file card at a time, two cards to a
    ``pair``.  ``printed``: the page is for paper (the PDF), its notes written out in
    full.  ``progress`` is told (cards written, cards) after each card."""
    view = ManifestView.of(m)
    lang = view.lang
    out.write(_head(view))
    cards = failing_first(view.files)
    shots = previews([f.source for f in cards]) if previews is not None else None
    try:
        for i, f in enumerate(cards):
            card = _card(f, lang, next(shots, None) if shots is not None else None, printed)
            out.write(f"{card}</div>\n" if i % 2 else f'<div class="pair">{card}')
            if progress is not None:
                progress(i + 1, len(cards))
    finally:
        if isinstance(shots, Generator):
            shots.close()  # a page given up half way stops the preview workers now
    if len(cards) % 2:  # the last row's empty cell, so a lone card stays half wide
        out.write('<div class="gap"></div></div>\n')
    out.write("</section>\n")
    out.write(_signoff(m, lang))
    out.write(_archivist(view))
    out.write("</body></html>\n")


def _signoff(m: Mapping[str, Any], lang: str) -> str:
    L = functools.partial(label, lang)
    opts = "".join(f'<span class="opt">{_e(L(k))}</span>'
                   for k in ("decide_post", "decide_post_actions", "decide_no"))
    return f"""<section class="signoff" id="signoff"><h2>{_e(L('signoff'))}</h2>
<table><tr><td>{_e(L('reviewer'))}</td><td class="line"></td>
<td>{_e(L('date'))}</td><td class="line"></td></tr>
<tr><td>{_e(L('decision'))}</td><td colspan="3">{opts}</td></tr>
<tr><td>{_e(L('signature'))}</td><td class="line"></td><td></td><td></td></tr></table>
<p class="small">{_e(L('manifest_sha'))}: <span class="hash" id="manifest-sha256">\
{_e(manifest_sha256(m))}</span><br>{_commands(L('manifest_sha_note').format(lang=lang))}</p>\
</section>
"""


def _archivist(m: ManifestView) -> str:
    lang = m.lang
    L = functools.partial(label, lang)
    p, pol = m.profile, m.policy
    engines = " · ".join(f"{_e(k)} {_e(v)}" for k, v in m.engines if v)
    rows = [(L("profile"), f"{_e(p.id if p.name is None else p.name)} ({_e(p.id)}, "
                           f"{_e(L('version'))} {_e(p.version)})"),
            (L("profile_sha"), f'<span class="hash">{_e(p.sha256)}</span>')]
    if p.source_url:
        rows.append((L("source"), f'<span class="url">{_e(p.source_url)}</span>'))
        if p.source_sha256:
            rows.append((f"{L('source')} SHA-256",
                         f'<span class="hash">{_e(p.source_sha256)}</span>'))
    rows.append((L("engines"), engines or "—"))
    rows.append((L("policy_file"), _e(pol.source or L("builtin"))))
    for key, value in (("organisations", ", ".join(pol.organisations)),
                       ("severities", ", ".join(f"{k} → {v}"
                                                for k, v in pol.severity_overrides)),
                       ("select", ", ".join(pol.select)),
                       ("ignore", ", ".join(pol.ignore)),
                       ("allowed_licences", ", ".join(pol.allowed_licences)),
                       ("annotations", pol.annotations)):
        if value:
            rows.append((L(key), _e(value)))
    dl = "".join(f"<dt>{_e(k)}</dt><dd>{v}</dd>" for k, v in rows)
    table = "".join(
        f"<tr><td>{_path(f.path)}</td><td>{_e(f.format.puid)}</td>"
        f"<td>{_e(f.size)}</td><td class='hash'>{_e(f.sha256 or '—')}</td></tr>"
        for f in ordered(m.files, lambda f: f.path))
    skip = ""
    if m.skipped:
        items = ", ".join(f"{_path(x.path)} ({_e(skip_reason(x, lang))})"
                          for x in m.skipped)
        skip = f"<p><b>{_e(L('skipped'))}:</b> {items}</p>"
    return f"""<footer class="archivist" id="archivist"><h2>{_e(L('archivist'))}</h2>
<dl>{dl}</dl>
<table><thead><tr><th>{_e(L('file'))}</th><th>PUID</th><th>{_e(L('size'))} (bytes)</th>
<th>{_e(L('per_file'))}</th></tr></thead><tbody>{table}</tbody></table>{skip}</footer>
"""


def _head(m: ManifestView) -> str:
    """Everything before the first card: verdict in words, counts, norm, date."""
    lang = m.lang
    L = functools.partial(label, lang)
    s = m.totals
    states = states_of(m.files) if m.files else {State.PASS: s.passed, State.PASS_ACTIONS: 0,
                                                  State.FAIL: s.failed, State.ERROR: s.errors}
    p = m.profile
    pid = "?" if p.id is None else p.id
    verdict = batch_verdict(s)
    created = "?" if m.created is None else m.created
    words = banner(lang, states) if s.files else ""
    counts = "".join(f'<span class="c-{st}{"" if states.get(st) else " zero"}">'
                     f'{_e(L("state_" + st))}: {states.get(st, 0)}</span>'
                     for st in (State.PASS, State.PASS_ACTIONS, State.FAIL, State.ERROR))
    return f"""<!DOCTYPE html>
<html lang="{_e(lang)}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mediaaudit {_e(__version__)}">
<title>{_e(L('title'))} — {_e(created)}</title>
<style>{CSS}</style></head>
<body>
<h1>{_e(L('title'))}</h1>
<div class="verdict v-{verdict}" id="verdict"><strong>{_e(verdict_text(lang, s))}</strong>
<span class="words" id="banner">{_e(words)}</span></div>
<div class="counts">{counts}</div>
<dl class="meta">
<dt>{_e(L('profile'))}</dt><dd>{_e(pid if p.name is None else p.name)} ({_e(pid)}, \
{_e(L('version'))}
 {_e('?' if p.version is None else p.version)})</dd>
<dt>{_e(L('roots'))}</dt><dd>{_e(', '.join(m.roots))}</dd>
<dt>{_e(L('date'))}</dt><dd>{_e(created)}</dd>
<dt>{_e(L('tool'))}</dt><dd>mediaaudit {_e('?' if m.tool_version is None else m.tool_version)}</dd>
</dl>
<section class="cards" id="files">
"""


def is_own(head: bytes, tail: bytes) -> bool:
    """Is this a report this writer wrote: the generator tag, or (reports written before
    it) the exact Content-Security-Policy with a report title in any language?"""
    del tail
    text = head.decode("utf-8", "replace")
    if '<meta name="generator" content="mediaaudit' in text:
        return True
    csp = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
    return csp in text and any(f"<title>{v['title']} — " in text for v in LABELS.values())
