"""Compare a manifest with the files on disk now (pure; hashing happens in the CLI).

The approver's question: are the files being posted exactly the files that were audited?
A listed path that is now a FIFO, device, socket or symlink is *refused*: never read
(``digest.open_regular``), reported on its own line, and verify does not pass.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class VerifyResult:
    unchanged: tuple[str, ...]
    changed: tuple[str, ...]
    missing: tuple[str, ...]
    extra: tuple[str, ...]
    refused: tuple[str, ...] = ()  # "path: why it was not read"

    @property
    def ok(self) -> bool:
        return not (self.changed or self.missing or self.extra or self.refused)


def remap(path: str, roots: list[str], new_root: str | None) -> str:
    """Manifest path → path on disk; with ``new_root`` the scanned root is replaced."""
    if new_root is None:
        return path
    for r in roots:
        prefix = "" if r in ("", ".") else r.rstrip("/") + "/"
        if path == r or path.startswith(prefix):
            return os.path.join(new_root, path[len(prefix):])
    return os.path.join(new_root, path)


def compare(
    expected: Mapping[str, str | None],
    actual: Mapping[str, str | None],
    present: Iterable[str],
    refused: Mapping[str, str] | None = None,
) -> VerifyResult:
    """``expected``: path → audited sha256; ``actual``: path → sha256 now (None = gone);
    ``present``: every auditable file found under the roots now; ``refused``: path → why
    it was not read (not a regular file)."""
    unchanged, changed, missing = [], [], []
    refused = refused or {}
    for path, sha in sorted(expected.items()):
        now = actual.get(path)
        if path in refused:
            continue
        if now is None:
            missing.append(path)
        elif now == sha:
            unchanged.append(path)
        else:
            changed.append(path)
    extra = sorted(set(present) - set(expected))
    return VerifyResult(tuple(unchanged), tuple(changed), tuple(missing), tuple(extra),
                        tuple(f"{p}: {why}" for p, why in sorted(refused.items())))
