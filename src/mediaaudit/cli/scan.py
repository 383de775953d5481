"""``mediaaudit scan``: audit files and folders and write the manifest."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from typing import TextIO

import click

from mediaaudit import manifest
from mediaaudit.cli.common import LANG_OPTION, default_lang, fail, summary_line, text
from mediaaudit.config import load_policy
from mediaaudit.engines import engines
from mediaaudit.exitcode import HELP, exit_status
from mediaaudit.policy import PolicyError
from mediaaudit.probe.identify import LibmagicMissing, check_libmagic
from mediaaudit.profile import ProfileError, load_profile
from mediaaudit.scan import audit, default_jobs
from mediaaudit.walk import Skipped, walk
from mediaaudit.writers.json_writer import JsonManifestWriter

FORMATS = ("json",)


@contextlib.contextmanager
def _atomic_output(path: str | None) -> Iterator[TextIO]:
    """stdout, or a temp file renamed over ``path`` only when writing succeeded."""
    if path in (None, "-"):
        yield sys.stdout
        sys.stdout.flush()
        return
    assert path is not None
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".mediaaudit-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@click.command(epilog=HELP)
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("-o", "--output", metavar="FILE",
              help="Write the manifest here (atomically; '-' = stdout). Default: stdout.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default=None,
              help="Manifest format (default: from the -o suffix, else json).")
@click.option("--profile", "profile_spec", default="nvf-2024", show_default=True,
              metavar="ID|FILE", help="Format profile: a built-in id or a profile TOML file.")
@click.option("--config", metavar="FILE",
              help="Policy file (default: mediaaudit.toml in the scanned folder or a parent).")
@LANG_OPTION
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: CPU count); 1 = in-process.")
@click.option("--deep", is_flag=True,
              help="Fully decode images to catch truncation that header reads miss (slower).")
@click.option("--select", multiple=True, metavar="CODE|PREFIX",
              help="Report only these finding codes (repeatable), e.g. --select MA-FMT.")
@click.option("--ignore", multiple=True, metavar="CODE|PREFIX",
              help="Drop these finding codes (repeatable), e.g. --ignore MA-PRV.")
@click.option("--exit-zero", is_flag=True, help="Always exit 0 (for dashboards).")
@click.option("--quiet", "-q", is_flag=True, help="No progress or summary on stderr.")
def scan(
    paths: tuple[str, ...], output: str | None, fmt: str | None, profile_spec: str,
    config: str | None, lang: str | None, jobs: int | None, deep: bool,
    select: tuple[str, ...], ignore: tuple[str, ...], exit_zero: bool, quiet: bool,
) -> None:
    """Audit PATHS (files or folders) and write a JSON manifest.

    Every file gets one entry with outcome pass, fail or error, its PRONOM
    identification, its NVF status and the findings that explain the verdict.
    """
    lang = lang or default_lang()
    for p in paths:
        if not os.path.lexists(p):
            fail(text("no_path", lang, path=p))
    if output not in (None, "-"):
        assert output is not None
        suffix = os.path.splitext(output)[1].lower().lstrip(".")
        if fmt is None and suffix not in FORMATS:
            fail(f"cannot tell the manifest format from '{output}'; use a .json name or --format")
        if not os.path.isdir(os.path.dirname(os.path.abspath(output))):
            fail(f"the folder for -o {output} does not exist")
    try:
        check_libmagic()
        profile = load_profile(profile_spec)
        policy = load_policy(config, list(paths), select, ignore)
    except LibmagicMissing as exc:
        fail(text("libmagic", lang, err=exc))
    except (ProfileError, PolicyError) as exc:
        fail(str(exc))
    refs, skipped = walk(list(paths))
    if output not in (None, "-"):
        assert output is not None
        mine = os.path.realpath(output)
        ours = [r for r in refs if os.path.realpath(r.path) == mine]
        skipped += [Skipped(r.display, "manifest") for r in ours]
        refs = [r for r in refs if r not in ours]
    head = manifest.header([os.path.normpath(p) for p in paths], profile, policy,
                           engines(profile.source), lang)
    summary = manifest.empty_summary()
    show_progress = not quiet and sys.stderr.isatty() and len(refs) > 1
    results = audit(refs, profile, policy, jobs or default_jobs(), deep)
    with _atomic_output(output) as out:
        writer = JsonManifestWriter(out, head)
        with click.progressbar(results, length=len(refs), label=text("scanning", lang),
                               file=sys.stderr) if show_progress else contextlib.nullcontext(
                                   results) as bar:
            for r in bar:
                writer.add(manifest.file_entry(r, lang))
                summary["files"] += 1
                summary[r.outcome.value] += 1
        writer.close(summary, manifest.skipped_entries(skipped))
    if not quiet:
        click.echo(summary_line(summary, lang), err=True)
        if output not in (None, "-"):
            click.echo(text("written", lang, path=output), err=True)
    sys.exit(exit_status(summary, exit_zero))
