"""``mediaaudit doctor``: which engines are installed, in which version, what is missing."""

from __future__ import annotations

import sys

import click

from mediaaudit.cli.help import HelpCommand
from mediaaudit.engines import engines
from mediaaudit.probe.identify import LibmagicMissing, check_libmagic
from mediaaudit.profile import load_profile

# Every engine a verdict rests on: HEIC metadata, Content Credentials (AI labelling is a
# legal duty), the structural checks and the second decoder are not optional, so none may
# be silently absent.  libtiff (the system's, for --deep's second look at TIFF strips) is
# shown but optional: without it a TIFF gets no second look, nothing is judged wrongly.
REQUIRED = ("libmagic", "mediainfo", "pillow", "pillow_heif", "siegfried", "c2pa", "mutagen",
            "jpylyzer", "libav")


@click.command(cls=HelpCommand)
def doctor() -> None:
    """Engine versions, exit 2 when a required one is missing (help: ``cli.help``)."""
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
    if missing:
        click.echo(f"missing: {', '.join(missing)}; reinstall mediaaudit (pip install .) "
                   "to bring them back", err=True)
        sys.exit(2)
