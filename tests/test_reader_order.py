"""Readers declare what they need from earlier steps; the order is checked, not remembered."""

from __future__ import annotations

import pytest

from mediaaudit.probe import readers


def test_shipped_order_is_valid() -> None:
    readers.check_order((*readers.IMAGE_READERS, *readers.FILE_READERS))
    assert len(readers.file_readers()) == len(readers.FILE_READERS)


def test_a_reader_before_what_it_needs_is_refused() -> None:
    detect, read = (next(r for r in readers.FILE_READERS if r.gives == {"fact:c2pa"}),
                    next(r for r in readers.FILE_READERS if r.needs == {"fact:c2pa"}))
    with pytest.raises(RuntimeError, match="read_c2pa runs before what it needs"):
        readers.check_order([read, detect])
    flir = next(r for r in readers.FILE_READERS if "prop:exif_make" in r.needs)
    with pytest.raises(RuntimeError, match="exif_make"):
        readers.check_order([*readers.FILE_READERS[:1], flir])
