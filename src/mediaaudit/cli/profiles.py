"""``mediaaudit profiles``: list the built-in profiles or show one."""

from __future__ import annotations

import click

from mediaaudit.cli.common import fail
from mediaaudit.cli.help import HelpGroup
from mediaaudit.profile import ProfileError, builtin_ids, load_profile


@click.group(cls=HelpGroup, invoke_without_command=True)
@click.pass_context
def profiles(ctx: click.Context) -> None:
    """The built-in profiles, one a line (help: ``cli.help``)."""
    if ctx.invoked_subcommand is None:
        for pid in builtin_ids():
            p = load_profile(pid)
            click.echo(f"{p.id}\t{p.name}\tversion {p.version}\tsha256 {p.sha256}")


@profiles.command("show")
@click.argument("spec")
def show(spec: str) -> None:
    """One profile in full (help: ``cli.help``)."""
    try:
        p = load_profile(spec)
    except ProfileError as exc:
        fail(str(exc))
    click.echo(f"{p.id} — {p.name}")
    for key in ("version", "publisher", "source_url", "source_modified", "source_sha256",
                "retrieved", "scope"):
        if key in p.header:
            click.echo(f"  {key}: {p.header[key]}")
    click.echo(f"  file: {p.source}")
    click.echo(f"  sha256: {p.sha256}")
    click.echo("\nFormats:")
    for r in p.formats:
        cond = f"  [{r.condition.text}]" if r.condition else ""
        click.echo(f"  {r.status:<10} {r.category:<6} {r.name}: {', '.join(r.puids)}{cond}")
    click.echo("\nCodecs:")
    for c in p.codecs:
        click.echo(f"  {c.status:<10} {c.track:<6} {c.name} (MediaInfo: {', '.join(c.mediainfo)})")
    click.echo("\nEquivalents (mediaaudit's reading, not in the norm):")
    for e in p.equivalents:
        only = f" (only {', '.join(e.container_profiles)})" if e.container_profiles else ""
        click.echo(f"  {', '.join(e.puids)} → {e.maps_to}{only}: {e.reason}")
    if p.not_mapped:
        click.echo("\nConsidered and not mapped:")
    for n in p.not_mapped:
        click.echo(f"  {', '.join(n.puids)}: {n.reason}")
