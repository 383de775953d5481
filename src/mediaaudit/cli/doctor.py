"""``mediaaudit doctor``: which engines are installed, in which version, what is missing."""

from __future__ import annotations

import sys

import click

from mediaaudit.engines import engines
from mediaaudit.probe.identify import LibmagicMissing, check_libmagic
from mediaaudit.profile import load_profile

REQUIRED = ("libmagic", "mediainfo", "pillow", "siegfried")


@click.command()
def doctor() -> None:
    """Show engine versions; exit 2 if a required engine is missing."""
    try:
        check_libmagic()
    except LibmagicMissing as exc:
        click.echo(f"libmagic: MISSING ({exc}); install it: sudo apt-get install libmagic1")
    found = engines(load_profile().source)
    missing = []
    for name, version in found.items():
        click.echo(f"{name:<12} {version or 'not installed'}")
        if name in REQUIRED and not version:
            missing.append(name)
    if found.get("c2pa") is None:
        click.echo("note: Content Credentials are detected but not read; "
                   "pip install 'mediaaudit[c2pa]' to read them (offline)")
    if found.get("pillow_heif") is None:
        click.echo("note: HEIC/HEIF images are identified but not opened; "
                   "pip install 'mediaaudit[heif]' to read them")
    if missing:
        click.echo(f"missing: {', '.join(missing)}", err=True)
        sys.exit(2)
