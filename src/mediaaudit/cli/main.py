"""Entry point: ``mediaaudit`` and its subcommands.

Each subcommand's module is imported only when that command runs (or when ``--help``
lists them): ``archive`` brings bagit, ``watch`` inotify, ``fix`` PyAV, and a warm
``scan`` of an unchanged folder should not pay ~0.1 s to load what it never uses.
Help is in the run's language (``cli.help``), the list of commands included."""

from __future__ import annotations

import importlib
from typing import Any

import click

from mediaaudit import __version__
from mediaaudit.cli.common import UsageInLanguage, in_language, typed_lang
from mediaaudit.cli.help import HelpGroup

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


class _Group(HelpGroup):
    """Loads a command's module on first use, and shows a mistake in how a command was
    typed in the run's language."""

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

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        """The command, with the ``--lang`` typed before it (``mediaaudit --lang nl scan
        …``, as ``mediaaudit --help --lang nl`` is typed) handed to it when it takes one
        and was not given its own."""
        name, cmd, rest = super().resolve_command(ctx, args)
        lang = ctx.params.get("lang")
        if (lang and cmd is not None and typed_lang(rest) is None
                and any("--lang" in p.opts for p in cmd.params)):
            rest = ["--lang", str(lang), *rest]
        return name, cmd, rest

    def invoke(self, ctx: click.Context) -> Any:
        """A mistake in how a command was typed is shown in the run's language."""
        args = [*getattr(ctx, "_protected_args", []), *ctx.args]
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            if isinstance(exc, UsageInLanguage):
                raise
            raise in_language(exc, ctx, args) from exc


@click.group(
    "mediaaudit",
    cls=_Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="mediaaudit")
@click.option("--lang", type=click.Choice(["nl", "en"]), default=None)
def cli(lang: str | None) -> None:
    """Its help, in Dutch and English: ``cli.help.TEXT["mediaaudit"]``; ``--lang`` is
    for the command that follows (``_Group.resolve_command``)."""


def main() -> None:
    cli()
