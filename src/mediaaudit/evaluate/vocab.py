"""Controlled-vocabulary values (PLUS release status, IPTC DigitalSourceType) are written
as full URIs by some tools and as bare terms by others; compare them on the term."""

from __future__ import annotations


def vocab_term(value: str) -> str:
    """``http://ns.useplus.org/ldf/vocab/MR-NON`` → ``MR-NON``; a bare term unchanged."""
    return value.strip().rstrip("/").rsplit("/", 1)[-1].strip()
