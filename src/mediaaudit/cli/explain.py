"""``mediaaudit explain``: what a finding means, why it matters, how to fix it."""

from __future__ import annotations

import click

from mediaaudit import codes
from mediaaudit.cli.common import LANG_OPTION, default_lang, fail, severity_word, text
from mediaaudit.cli.help import HelpCommand


@click.command(cls=HelpCommand)
@click.argument("code", required=False)
@LANG_OPTION
def explain(code: str | None, lang: str | None) -> None:
    """One finding code explained, or the list of them (help: ``cli.help``)."""
    lang = lang or default_lang()
    if code is None:
        rows = [(c.code, severity_word(c.severity.value, lang), c.name)
                for c in codes.CODES.values()]
        w_code = max(len(r[0]) for r in rows)
        w_sev = max(len(r[1]) for r in rows)
        for cid, sev, name in rows:
            click.echo(f"{cid:<{w_code}}  {sev:<{w_sev}}  {name}")
        return
    found = codes.lookup(code)
    if found is None:
        fail(text("unknown_code", lang, code=code))
    severity = severity_word(found.severity.value, lang)
    click.echo(f"{found.code} ({found.name}) — "
               f"{text('default_severity', lang, severity=severity)}")
    click.echo("")
    parts = codes.explain_parts(found.code, lang)
    width = max(len(h) for h, _ in parts) + 1
    for head, body in parts:
        click.echo(f"{head + ':':<{width}} {body}" if head else body)
