"""``--help`` speaks the run's language: Dutch with ``--lang nl`` (typed anywhere, even
after ``--help``) or a Dutch locale, English with ``--lang en``; and every command and
option has its help text in both languages in one table (``cli.help.TEXT``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from mediaaudit.cli.help import CLICK_WORDS, TEXT, HelpCommand, option_key
from mediaaudit.cli.main import COMMANDS, cli

# The commands a Dutch officer asks for help on (the root as "").
ASKED = ["", "scan", "watch", "fix", "archive", "verify", "report", "init"]
DUTCH_LOCALE = {"LANG": "nl_NL.UTF-8", "LC_ALL": "nl_NL.UTF-8", "LC_MESSAGES": None,
                "LANGUAGE": None}
ENGLISH_LOCALE = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "LC_MESSAGES": None,
                  "LANGUAGE": None}
# Click's own English words in a help page.
CLICK_ENGLISH = ["Usage:", "Options:", "Commands:", "Show this message and exit.",
                 "Show the version and exit.", "default:", "[required]"]


def commands() -> dict[str, click.Command]:
    """Every command by its name, the root as "mediaaudit", subcommands of groups too."""
    ctx = click.Context(cli)
    found: dict[str, click.Command] = {"mediaaudit": cli}
    for name in COMMANDS:
        cmd = cli.get_command(ctx, name)
        assert cmd is not None
        found[name] = cmd
        if isinstance(cmd, click.Group):
            found.update(cmd.commands)
    return found


def flat(text: str) -> str:
    """Text without any whitespace: a help text is wrapped and indented, sometimes after
    a hyphen ('PRONOM-' / 'identificatie'), and still has every character in order."""
    return "".join(text.split())


def run_help(*args: str, env: dict[str, str | None] | None = None) -> str:
    res = CliRunner().invoke(cli, list(args), env=env or ENGLISH_LOCALE,
                             catch_exceptions=False, terminal_width=100)
    assert res.exit_code == 0, res.output
    return res.stdout


def own_texts(name: str, lang: str) -> list[str]:
    """The table's texts a command's help shows: its own, its epilog, its options'."""
    cmd = commands()[name or "mediaaudit"]
    assert isinstance(cmd, HelpCommand)
    keys = [str(cmd.name), f"{cmd.name} epilog"]
    ctx = click.Context(cmd)
    texts = [t for k in keys if (t := cmd.said(k, lang)) is not None]
    for param in cmd.get_params(ctx):
        if isinstance(param, click.Option):
            words = cmd.option_help(param, lang)
            assert words is not None, f"{name} {param.opts}"
            texts.append(words)
    return texts


# Clauses of the English texts that the Dutch ones rightly write alike: paths, codes,
# option syntax, Dutch terms (as the test compares them, without whitespace).
SHARED = {
    "mediaaudit--langnlscan…ismediaauditscan…--langnl;", ".json.csv.html.md.pdf",
    "--selectMA-FMT.", "--ignoreMA-PRV.", "$XDG_CACHE_HOME/mediaaudit,", ".crdownload,",
    "DROP_DIR/.mediaaudit/manifests.", "DROP_DIR/.mediaaudit/state.sqlite.",
    "DROP_DIR/mediaaudit.toml", "[watch]fix=trueinmediaaudit.toml.", "NationaalArchief,",
    "MA-FMT-001/003", "[policy]organisation;", "tijdelijktebewaren", "blijvendtebewaren",
    "bag-info.txt",
}


def english_fragments() -> set[str]:
    """Every clause of every English text but the ``SHARED`` ones, as the test looks for
    it (without whitespace): a sentence left untranslated shows up as one."""
    found = set()
    for key in TEXT:
        for part in re.split(r"(?<=[.;:,])\s|\n\n|\(|\)", TEXT.template(key, "en")):
            piece = flat(part.format(default="", deep="", shown=""))
            if len(piece) >= 12 and piece not in SHARED:
                found.add(piece)
    return found


def assert_dutch(out: str, name: str) -> None:
    shown = flat(out)
    assert out.startswith("Gebruik: ")
    assert "Opties:" in out
    for words in own_texts(name, "nl"):
        assert flat(words) in shown, words
    left = sorted(f for f in english_fragments() if f in shown)
    assert not left, f"English help left in 'mediaaudit {name} --help': {left}"
    for word in CLICK_ENGLISH:
        assert word not in out, word


@pytest.mark.parametrize("name", ASKED)
def test_help_with_lang_nl_is_dutch(name: str) -> None:
    assert_dutch(run_help(*[name] * bool(name), "--help", "--lang", "nl"), name)


@pytest.mark.parametrize("name", ASKED)
def test_help_on_a_dutch_machine_is_dutch(name: str) -> None:
    assert_dutch(run_help(*[name] * bool(name), "--help", env=DUTCH_LOCALE), name)


@pytest.mark.parametrize("name", ASKED)
def test_help_with_lang_en_is_english_even_on_a_dutch_machine(name: str) -> None:
    out = run_help(*[name] * bool(name), "--lang=en", "-h", env=DUTCH_LOCALE)
    shown = flat(out)
    assert out.startswith("Usage: ") and "Options:" in out
    for words in own_texts(name, "en"):
        assert flat(words) in shown, words
    for words in own_texts(name, "nl"):
        if flat(words) not in {flat(w) for w in own_texts(name, "en")}:
            assert flat(words) not in shown, words
    assert "Gebruik:" not in out and "Opties:" not in out


def test_lang_before_the_command_is_the_commands() -> None:
    """``mediaaudit --lang nl scan --help`` is Dutch, and the run after it is too."""
    assert_dutch(run_help("--lang", "nl", "scan", "--help"), "scan")
    res = CliRunner().invoke(cli, ["--lang", "nl", "scan", "no/such/folder"],
                             env=ENGLISH_LOCALE)
    assert res.exit_code == 2
    assert res.stderr.strip() == "mediaaudit: fout: pad bestaat niet: no/such/folder"


def test_the_list_of_commands_is_in_the_language() -> None:
    out = run_help("--help", "--lang", "nl")
    listing = " ".join(out.split("Opdrachten:", 1)[1].split())
    assert "Bewaak DROP_DIR: controleer elk bestand dat er binnenkomt" in listing
    assert "Controleer PATHS (bestanden of mappen) en schrijf het manifest." in listing
    assert "..." not in listing


def test_help_of_a_real_process_on_a_dutch_machine() -> None:
    """As the officer types it: a real process, the locale in the environment."""
    env = {k: v for k, v in os.environ.items() if k not in ("LC_MESSAGES", "LANGUAGE")}
    env.update(LANG="nl_NL.UTF-8", LC_ALL="nl_NL.UTF-8", COLUMNS="100")
    run = subprocess.run([sys.executable, "-m", "mediaaudit", "scan", "--help"],
                         capture_output=True, text=True, env=env, check=True)
    assert_dutch(run.stdout, "scan")
    assert "[standaard: 60; 600 met --deep]" in " ".join(run.stdout.split())
    assert run.stderr == ""


def test_no_arguments_shows_the_help_in_the_locales_language() -> None:
    res = CliRunner().invoke(cli, [], env=DUTCH_LOCALE)
    assert res.output.startswith("Gebruik: ") and "Opdrachten:" in res.output


def test_every_command_and_option_has_help_in_both_languages() -> None:
    """A command or option added without a row in ``cli.help.TEXT`` fails here, before a
    Dutch user reads its English (or no help at all)."""
    used: set[str] = set()
    for name, cmd in commands().items():
        assert isinstance(cmd, HelpCommand), f"{name} is not a HelpCommand"
        assert str(cmd.name) in TEXT, f"no help for the command {name}"
        used |= {k for k in (str(cmd.name), f"{cmd.name} short", f"{cmd.name} epilog")
                 if k in TEXT}
        ctx = click.Context(cmd)
        for param in cmd.get_params(ctx):
            if isinstance(param, click.Argument):
                continue
            key = option_key(str(cmd.name), param)
            assert key is not None, f"no help for {name} {param.opts}"
            used.add(key)
            for lang in ("nl", "en"):
                assert cmd.option_help(param, lang), (name, param.opts, lang)
    assert set(TEXT) == used, f"rows no command uses: {sorted(set(TEXT) - used)}"
    assert set(CLICK_WORDS) == set(CLICK_WORDS.rows)


def test_every_dutch_text_differs_from_its_english() -> None:
    """A row copied without translating is English in a Dutch help."""
    same = [k for k in TEXT if TEXT.template(k, "nl") == TEXT.template(k, "en")]
    assert same == []
