"""A finding before the policy has given it a severity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from mediaaudit.codes import CodeId
from mediaaudit.model import FactSource


@dataclass(frozen=True)
class Draft:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None


def draft(code: CodeId, source: str | FactSource | None = None, **params: Any) -> Draft:
    """A finding by its checked name: ``draft(CodeId.NOT_LISTED, 'siegfried', ...)``.
    A fact's source is given typed and shown as the manifest shows it."""
    return Draft(code, params, None if source is None else str(source))
