"""SHA-256 of a file on disk: the one checksum every record of mediaaudit states (manifest,
verify, watch routing, bags).  Streams the file; never reads it whole into memory."""

from __future__ import annotations

import hashlib


def sha256_file(path: str) -> str:
    """Hex SHA-256 of ``path``; OSError when it cannot be read."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def sha256_and_head(path: str, n: int) -> tuple[str, bytes]:
    """Hex SHA-256 of ``path`` and its first ``n`` bytes, in one pass: the probe sniffs
    the head while the hash goes on from where the head ends (``file_digest`` reads into
    one buffer, with no copy per chunk: 0.1 ms of a 0.3 ms hash on a 400 KB file)."""
    with open(path, "rb") as fh:
        head = fh.read(n)
        h = hashlib.sha256(head)
        return hashlib.file_digest(fh, lambda: h).hexdigest(), head


def sha256_or_none(path: str) -> str | None:
    """``sha256_file``, or None when the file is missing or unreadable (verify's 'missing')."""
    try:
        return sha256_file(path)
    except OSError:
        return None
