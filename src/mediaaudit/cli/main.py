"""Entry point: ``mediaaudit`` and its subcommands.

Each subcommand's module is imported only when that command runs (or when ``--help``
lists them): ``archive`` brings bagit, ``watch`` inotify, ``fix`` PyAV, and a warm
``scan`` of an unchanged folder should not pay ~0.1 s to load what it never uses."""

from __future__ import annotations

import importlib
from typing import Any

import click

from mediaaudit import __version__
from mediaaudit.cli.common import UsageInLanguage, in_language
from mediaaudit.exitcode import HELP

# name → "module:attribute", in the order ``--help`` lists them.
COMMANDS = {
    "scan": "mediaaudit.cli.scan:scan",
    "explain": "mediaaudit.cli.explain:explain",
    "profiles": "mediaaudit.cli.profiles:profiles",
    "doctor": "mediaaudit.cli.doctor:doctor",
    "report": "mediaaudit.cli.report:report",
    "verify": "mediaaudit.cli.verify:verify",
    "watch": "mediaaudit.cli.watch:watch",
    "archive": "mediaaudit.cli.archive:archive",
    "fix": "mediaaudit.cli.fix:fix",
    "init": "mediaaudit.cli.init:init",
}


class _Group(click.Group):
    """Loads a command's module on first use, and lists each command's whole first
    sentence, wrapped, instead of cutting it off with '...' at the terminal width."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, _, attr = target.partition(":")
        cmd = getattr(importlib.import_module(module), attr)
        assert isinstance(cmd, click.Command)
        return cmd

    def invoke(self, ctx: click.Context) -> Any:
        """A mistake in how a command was typed is shown in the run's language."""
        args = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            if isinstance(exc, UsageInLanguage):
                raise
            raise in_language(exc, ctx, args) from exc

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


def main() -> None:
    cli()
