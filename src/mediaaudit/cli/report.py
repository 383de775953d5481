"""``mediaaudit report``: re-render a stored JSON manifest without rescanning.

A stored manifest is input like any other: ``cli.load.load_manifest`` checks every
value's JSON type before anything is rendered (a crafted value is one line, exit 2).
"""

from __future__ import annotations

import click

from mediaaudit.cli.common import fail, locate_base, remember_lang, set_run_lang, text
from mediaaudit.cli.help import HelpCommand
from mediaaudit.cli.load import load_manifest
from mediaaudit.cli.output import (
    FORMATS,
    OutputError,
    OutputUnwritable,
    check_targets,
    targets,
    write_all,
)
from mediaaudit.manifestview import ManifestView, in_language, paths


@click.command(cls=HelpCommand)
@click.argument("manifest_path", metavar="MANIFEST", type=click.Path(dir_okay=False))
@click.option("-o", "--output", metavar="FILE")
@click.option("--format", "fmts", type=click.Choice(FORMATS), multiple=True)
@click.option("--lang", type=click.Choice(["nl", "en"]), default=None, is_eager=True,
              callback=remember_lang)
@click.option("--base", default=None, metavar="DIR")
def report(manifest_path: str, output: str | None, fmts: tuple[str, ...], lang: str | None,
           base: str | None) -> None:
    """MANIFEST rendered again, in another format or language (help: ``cli.help``)."""
    m = in_language(load_manifest(manifest_path), lang)
    head = ManifestView.header(m)
    set_run_lang(head.lang)  # its errors in the language of the report it writes
    if base is None:
        base = locate_base(manifest_path, paths(m), list(head.roots)) or "."
    try:
        outs = targets(output, fmts)
        check_targets(outs)
        write_all(outs, m, base)
    except (OutputError, OutputUnwritable) as exc:
        fail(exc)
    lang_out = head.lang or "en"
    for writer, path in outs:
        if path:
            click.echo(text("written", lang_out, path=path,
                            what=writer.what.get(lang_out, writer.what["en"])), err=True)
