"""SHA-256 of a file on disk: the one checksum every record of mediaaudit states (manifest,
verify, watch routing, bags).  Streams the file; never reads it whole into memory."""

from __future__ import annotations

import hashlib


def sha256_file(path: str) -> str:
    """Hex SHA-256 of ``path``; OSError when it cannot be read."""
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def sha256_or_none(path: str) -> str | None:
    """``sha256_file``, or None when the file is missing or unreadable (verify's 'missing')."""
    try:
        return sha256_file(path)
    except OSError:
        return None
