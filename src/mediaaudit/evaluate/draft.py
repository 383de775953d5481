"""A finding before the policy has given it a severity."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Draft:
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str | None = None


def draft(code: str, source: str | None = None, **params: Any) -> Draft:
    return Draft(code, params, source)
