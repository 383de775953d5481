"""What ``scan``, ``fix`` and ``watch`` need before their first file, loaded in one place.

Each of them checks that libmagic is there, loads the format profile and the policy,
learns the engines' versions (remembered in ``engines.json``, beside the fact cache or
watch's state) and opens the fact cache.  Done three times, the three drifted: ``fix``
put ``engines.json`` in one place, ``scan`` in another, and each worded the same
mistakes with its own ``except`` clauses.  ``load_setup`` does it once and raises the
user's mistakes as they are (``LibmagicMissing``, ``ProfileError``, ``PolicyError``); the
command line says them in one line and exits 2 (``cli.setup``), and ``watch`` reloads
only the ``Rules`` part when its config or profile changes.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from mediaaudit import manifest
from mediaaudit.cache import FactCache
from mediaaudit.config import load_policy
from mediaaudit.engines import cache_version, engines_cached, engines_path
from mediaaudit.policy import Policy
from mediaaudit.probe.identify import check_libmagic
from mediaaudit.profile import Profile, load_profile


@dataclass(frozen=True)
class Rules:
    """What a file is judged by: the format profile and the policy.  ``watch`` loads
    these again when its config or profile changes; the rest of its set-up stays."""

    profile: Profile
    policy: Policy


def load_rules(profile_spec: str, config: str | None, paths: Sequence[str],
               select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> Rules:
    """The profile (a built-in id or a file) and the policy (``config``, else the
    ``mediaaudit.toml`` found from ``paths``); raises ``ProfileError`` or
    ``PolicyError``."""
    return Rules(load_profile(profile_spec), load_policy(config, list(paths), select, ignore))


@dataclass(frozen=True)
class Setup:
    """A command's set-up: the run's language, the rules, the engines' versions (and the
    ``engines.json`` that remembers them, which a scan skips as its own file), and the
    fact cache's path (None: no cache)."""

    lang: str
    rules: Rules
    engines: Mapping[str, str | None]
    engines_file: str
    cache_path: str | None

    @property
    def profile(self) -> Profile:
        return self.rules.profile

    @property
    def policy(self) -> Policy:
        return self.rules.policy

    def with_rules(self, rules: Rules) -> Setup:
        """The same set-up judging by other rules (watch's reload)."""
        return replace(self, rules=rules)

    def open_cache(self) -> FactCache | None:
        """The fact cache, for facts of these engines' versions; None without one."""
        if self.cache_path is None:
            return None
        return FactCache(self.cache_path, cache_version(dict(self.engines)))

    def header(self, roots: Sequence[str]) -> dict[str, Any]:
        """The manifest's header for a run over ``roots`` under this set-up."""
        return manifest.header([os.path.normpath(r) for r in roots], self.profile,
                               self.policy, self.engines, self.lang)


def load_setup(lang: str, profile_spec: str, config: str | None, paths: Sequence[str], *,
               engines_beside: str, cache_path: str | None = None,
               select: tuple[str, ...] = (), ignore: tuple[str, ...] = ()) -> Setup:
    """Check libmagic, load the rules, and learn the engines' versions (from
    ``engines.json`` in the folder of ``engines_beside``: the fact cache, or watch's state
    database).  Raises ``LibmagicMissing``, ``ProfileError`` or ``PolicyError`` for what
    the user must put right."""
    check_libmagic()
    rules = load_rules(profile_spec, config, paths, select, ignore)
    where = engines_path(engines_beside)
    return Setup(lang, rules, engines_cached(rules.profile.source, where), where, cache_path)
