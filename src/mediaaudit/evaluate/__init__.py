"""Pure evaluation: Facts + Profile + Policy → FileResult.  No I/O in this package."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from mediaaudit.model import Facts, FileResult
    from mediaaudit.policy import Policy
    from mediaaudit.profile import Profile

__all__ = ["evaluate"]


def evaluate(facts: Facts, profile: Profile, policy: Policy) -> FileResult:
    """``evaluate.file.evaluate``, loaded on first use: a warm rescan whose manifest
    entries all come from the cache never loads the rules (~30 ms of its start), and the
    writers that import ``evaluate.actions`` do not load them either."""
    from mediaaudit.evaluate.file import evaluate as run

    return run(facts, profile, policy)
