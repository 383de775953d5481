"""``mediaaudit explain``: what a finding means, why it matters, how to fix it."""

from __future__ import annotations

import click

from mediaaudit import codes
from mediaaudit.cli.common import LANG_OPTION, default_lang, fail


@click.command()
@click.argument("code", required=False)
@LANG_OPTION
def explain(code: str | None, lang: str | None) -> None:
    """What a finding code means, why it matters and how to fix it (nl/en).

    CODE is an id such as MA-FMT-001 or its short name; without CODE, list all codes."""
    lang = lang or default_lang()
    if code is None:
        for c in codes.CODES.values():
            click.echo(f"{c.code}  {c.severity.value:<7}  {c.name}")
        return
    found = codes.lookup(code)
    if found is None:
        fail(f"unknown finding code '{code}'; run 'mediaaudit explain' for the list")
    click.echo(f"{found.code} ({found.name}) — default severity: {found.severity.value}")
    click.echo("")
    click.echo(codes.explain(found.code, lang))
