"""Decide when a dropped file is complete: its size and mtime unchanged for ``settle``
seconds.  Pure bookkeeping: the caller feeds it stat results and the clock."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Tracker:
    settle: float
    seen: dict[str, tuple[int, int, float]] = field(default_factory=dict)

    def observe(self, rel: str, size: int, mtime_ns: int, now: float) -> None:
        old = self.seen.get(rel)
        if old is None or old[:2] != (size, mtime_ns):
            self.seen[rel] = (size, mtime_ns, now)

    def forget(self, rel: str) -> None:
        self.seen.pop(rel, None)

    def ready(self, now: float) -> list[str]:
        """Files whose size and mtime have not changed for ``settle`` seconds."""
        return sorted(r for r, (_, _, since) in self.seen.items() if now - since >= self.settle)

    def keep_only(self, present: set[str]) -> None:
        for rel in list(self.seen):
            if rel not in present:
                del self.seen[rel]
