"""Entry point: ``mediaaudit`` and its subcommands."""

from __future__ import annotations

import click

from mediaaudit import __version__
from mediaaudit.cli.archive import archive
from mediaaudit.cli.doctor import doctor
from mediaaudit.cli.explain import explain
from mediaaudit.cli.fix import fix
from mediaaudit.cli.profiles import profiles
from mediaaudit.cli.report import report
from mediaaudit.cli.scan import scan
from mediaaudit.cli.verify import verify
from mediaaudit.cli.watch import watch
from mediaaudit.exitcode import HELP


@click.group(
    help="Audit images and video before posting: real format vs. the Norm Voorkeursformaten "
    "(NVF), rights metadata, privacy.  Writes a pass/fail manifest.\n\n" + HELP,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="mediaaudit")
def cli() -> None:
    pass


cli.add_command(scan)
cli.add_command(explain)
cli.add_command(profiles)
cli.add_command(doctor)
cli.add_command(report)
cli.add_command(verify)
cli.add_command(watch)
cli.add_command(archive)
cli.add_command(fix)


def main() -> None:
    cli()
