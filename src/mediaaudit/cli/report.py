"""``mediaaudit report``: re-render a stored JSON manifest without rescanning.

A stored manifest is input like any other: ``cli.load.load_manifest`` checks every
value's JSON type before anything is rendered (a crafted value is one line, exit 2).
"""

from __future__ import annotations

import click

from mediaaudit.cli.common import fail, locate_base, remember_lang, set_run_lang, text
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


@click.command()
@click.argument("manifest_path", metavar="MANIFEST", type=click.Path(dir_okay=False))
@click.option("-o", "--output", metavar="FILE", help="Output file; format from its suffix.")
@click.option("--format", "fmts", type=click.Choice(FORMATS), multiple=True,
              help="Output format (repeatable; with several, -o is the base name).")
@click.option("--lang", type=click.Choice(["nl", "en"]), default=None, is_eager=True,
              callback=remember_lang,
              help="Re-render messages in this language (default: the manifest's).")
@click.option("--base", default=None, metavar="DIR",
              help="Folder the manifest's paths are relative to (for HTML thumbnails). "
              "Default: found from the manifest's roots (the current folder, the "
              "manifest's folder or one of its parents).")
def report(manifest_path: str, output: str | None, fmts: tuple[str, ...], lang: str | None,
           base: str | None) -> None:
    """Render MANIFEST (JSON) as HTML, PDF/A, CSV or Markdown (or JSON in another language)."""
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
