"""The command line's side of ``mediaaudit.setup``: ``scan``, ``fix`` and ``watch`` load
their set-up here, so a set-up that cannot be used (libmagic missing, an unknown or
unreadable profile, a bad policy file) is said the same way by all three: one line in the
run's language, exit status 2."""

from __future__ import annotations

from collections.abc import Sequence

from mediaaudit.cli.common import fail, text
from mediaaudit.configerrors import PolicyError
from mediaaudit.probe.identify import LibmagicMissing
from mediaaudit.profile import ProfileError
from mediaaudit.setup import Setup, load_setup


def setup_or_fail(lang: str, profile_spec: str, config: str | None, paths: Sequence[str], *,
                  engines_beside: str, cache_path: str | None = None,
                  select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> Setup:
    """``load_setup``, or one line and exit 2 (``fail``) for what it raises."""
    try:
        return load_setup(lang, profile_spec, config, paths, engines_beside=engines_beside,
                          cache_path=cache_path, select=select, ignore=ignore)
    except LibmagicMissing as exc:
        fail(text("libmagic", lang, err=exc))
    except PolicyError as exc:
        fail(exc.text(lang))
    except ProfileError as exc:
        fail(exc)
