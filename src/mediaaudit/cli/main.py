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


class _Group(click.Group):
    """A group whose command list shows each command's whole first sentence, wrapped,
    instead of cutting it off with '...' at the terminal width."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            cmd = self.get_command(ctx, name)
            if cmd is not None and not cmd.hidden:
                rows.append((name, cmd.get_short_help_str(limit=10_000)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


@click.group(
    cls=_Group,
    help="Audit images and video before posting: real format vs. the Norm Voorkeursformaten "
    "(NVF), rights metadata, privacy.  Writes a pass/fail manifest.\n\n" + HELP,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
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
