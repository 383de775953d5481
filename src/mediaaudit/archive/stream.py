"""A JSON manifest read as a stream: its entries one at a time, never all at once.

``archive`` of 200,000 entries used 2.8 GB because the manifest was loaded whole (about
13 KB of Python objects per 3.6 KB entry) and every structure built from it was too.
Here the file is read in chunks and each value of ``files`` is decoded on its own
(``json.JSONDecoder.raw_decode``); the other top-level keys (the header) are kept.  A
first pass checks the whole file, counts the entries, notes where each one starts and ends
(16 bytes per entry) and hashes the bytes; every later pass reads the file again.

``LazyEntries`` gives the HTML writer, which sorts the entries twice, a sequence whose
items are decoded when read (one at a time) instead of held.  The file is archived as it
is, so it must not change while ``archive`` runs: each pass checks the hash is the same.
"""

from __future__ import annotations

import codecs
import hashlib
import json
from array import array
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO, overload

from mediaaudit.archive.texts import Words, words
from mediaaudit.digest import NotRegular, open_regular
from mediaaudit.writers.json_writer import StoredEntry, entry_line

CHUNK = 1 << 16
_DECODER = json.JSONDecoder()
_WS = " \t\n\r"


class ManifestError(Exception):
    """The file is not a readable manifest: ``words`` is one line for the user, in either
    language (``archive.texts``); ``str()`` is the English line."""

    def __init__(self, what: Words) -> None:
        super().__init__(what.render("en"))
        self.words = what

    def render(self, lang: str) -> str:
        return self.words.render(lang)


def unreadable(path: str, exc: OSError) -> ManifestError:
    """The manifest (or a file named in its place) cannot be read: a FIFO, device or
    folder is named as such (``digest.NotRegular``), never opened."""
    if isinstance(exc, NotRegular):
        return ManifestError(words("manifest_not_regular", path=exc.filename, kind=exc.kind))
    return ManifestError(words("manifest_unreadable", path=path, why=exc.strerror or str(exc)))


class _Reader:
    """JSON values from a binary file in chunks, with the byte offset of each."""

    def __init__(self, fh: BinaryIO, path: str) -> None:
        self.fh, self.path = fh, path
        self.decode = codecs.getincrementaldecoder("utf-8-sig")("strict").decode
        self.buf, self.pos, self.byte = "", 0, 0  # byte: offset of buf[pos] in the file
        self.eof = False
        self.sha = hashlib.sha256()

    def _more(self, want: int = CHUNK) -> bool:
        if self.eof:
            return False
        raw = self.fh.read(max(want, CHUNK))
        self.sha.update(raw)
        try:
            text = self.decode(raw, final=not raw)
        except UnicodeDecodeError as exc:
            raise ManifestError(words("manifest_not_json", path=self.path,
                                      why=f"not UTF-8 ({exc.reason})")) from exc
        self.eof = not raw
        self.buf = self.buf[self.pos:] + text
        self.pos = 0
        return True

    def _to(self, end: int) -> None:
        self.byte += len(self.buf[self.pos:end].encode("utf-8", "surrogatepass"))
        self.pos = end

    def peek(self) -> str:
        while True:
            end = self.pos
            while end < len(self.buf) and self.buf[end] in _WS:
                end += 1
            self._to(end)
            if self.pos < len(self.buf) or not self._more():
                return self.buf[self.pos] if self.pos < len(self.buf) else ""

    def expect(self, chars: str) -> str:
        c = self.peek()
        if not c or c not in chars:
            raise self.error(f"expected {' or '.join(repr(x) for x in chars)}")
        self._to(self.pos + 1)
        return c

    def value(self) -> tuple[Any, int, int]:
        """The next value and the byte offsets where it starts and ends."""
        self.peek()
        while True:
            try:
                v, end = _DECODER.raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._more(len(self.buf)):  # the value may go on in the next chunk
                    continue
                raise ManifestError(words("manifest_not_json", path=self.path,
                                          why=str(exc))) from exc
            if end == len(self.buf) and self._more(len(self.buf)):
                continue  # a number cut at the chunk's end
            start = self.byte
            self._to(end)
            return v, start, self.byte

    def error(self, what: str) -> ManifestError:
        return ManifestError(words("manifest_not_json", path=self.path,
                                   why=f"{what} at byte {self.byte}"))

    def finish(self) -> str:
        if self.peek():
            raise self.error("extra data")
        while self._more():
            pass
        return self.sha.hexdigest()


def _top(r: _Reader) -> Iterator[tuple[str, Any, Iterator[tuple[Any, int, int]] | None]]:
    """(key, value, None) for each top-level key; for ``files`` (key, None, entries) with
    an iterator of (entry, start, end) that must be used up before the next key."""
    r.expect("{")
    if r.peek() == "}":
        r.expect("}")
        return
    while True:
        key, _, _ = r.value()
        if not isinstance(key, str):
            raise r.error("a key that is not a string")
        r.expect(":")
        if key == "files" and r.peek() == "[":
            yield key, None, _array(r)
        else:
            yield key, r.value()[0], None
        if r.expect(",}") == "}":
            return


def _array(r: _Reader) -> Iterator[tuple[Any, int, int]]:
    r.expect("[")
    if r.peek() == "]":
        r.expect("]")
        return
    while True:
        yield r.value()
        if r.expect(",]") == "]":
            return


@dataclass(frozen=True)
class ManifestStream:
    """A checked manifest file: its header (every top-level key but ``files``), its
    size in entries, where each entry lies, and the SHA-256 of its bytes."""

    path: str
    header: Mapping[str, Any]
    starts: array[int]
    ends: array[int]
    sha256: str

    def __len__(self) -> int:
        return len(self.starts)

    def entries(self) -> Iterator[Any]:
        """Every entry of ``files`` in order, read from the file again."""
        try:
            with open(open_regular(self.path, follow=True), "rb") as fh:
                r = _Reader(fh, self.path)
                for _, _, files in _top(r):
                    for entry, _, _ in files or ():
                        yield entry
                if r.finish() != self.sha256:
                    raise ManifestError(words("manifest_changed", path=self.path))
        except OSError as exc:
            raise unreadable(self.path, exc) from exc

    def read_entry(self, fh: BinaryIO, i: int) -> Any:
        """Entry ``i`` alone, from ``fh`` open on the file (``LazyEntries``)."""
        fh.seek(self.starts[i])
        return json.loads(fh.read(self.ends[i] - self.starts[i]))


def open_manifest(path: str) -> ManifestStream:
    """Read ``path`` once as a manifest: ``ManifestError`` when it is not one (the same
    checks and words as ``cli.load.load_manifest``)."""
    header: dict[str, Any] = {}
    starts, ends = array("Q"), array("Q")
    files = False
    try:
        with open(open_regular(path, follow=True), "rb") as fh:
            r = _Reader(fh, path)
            if r.peek() != "{":
                raise ManifestError(words("manifest_not_ours", path=path))
            for key, value, entries in _top(r):
                if entries is None:
                    header[key] = value
                    continue
                files = True
                for _, start, end in entries:
                    starts.append(start)
                    ends.append(end)
            sha = r.finish()
    except OSError as exc:
        raise unreadable(path, exc) from exc
    if "schema_version" not in header or not files:
        raise ManifestError(words("manifest_not_ours", path=path))
    if str(header["schema_version"]).split(".")[0] != "1":
        raise ManifestError(words("manifest_schema", path=path,
                                  version=header["schema_version"]))
    return ManifestStream(path, header, starts, ends, sha)


class _LazyEntry(StoredEntry):
    """One entry of a ``LazyEntries``: a mapping that decodes its entry when read (the
    last one decoded is kept), so a sorted list of them holds no entry.  A ``StoredEntry``
    so the JSON writer takes its ``line`` (the HTML report's manifest hash) as written."""

    def __init__(self, source: LazyEntries, index: int) -> None:
        super().__init__()
        self._source, self._index = source, index

    def _d(self) -> dict[str, Any]:
        return self._source.load(self._index)

    def get(self, key: str, default: Any = None) -> Any:
        return self._d().get(key, default)

    def __getitem__(self, key: str) -> Any:
        return self._d()[key]

    def __contains__(self, key: object) -> bool:
        return key in self._d()

    def __iter__(self) -> Iterator[str]:
        return iter(self._d())

    def __len__(self) -> int:
        return len(self._d())

    def keys(self) -> Any:
        return self._d().keys()

    def items(self) -> Any:
        return self._d().items()

    def values(self) -> Any:
        return self._d().values()

    @property
    def line(self) -> str:  # type: ignore[override]
        return entry_line(self._d())


class LazyEntries(Sequence[Mapping[str, Any]]):
    """The entries of a ``ManifestStream`` as a sequence decoded on access (``close``
    it: it keeps the file open)."""

    def __init__(self, stream: ManifestStream) -> None:
        self._stream = stream
        self._fh: BinaryIO | None = None
        self._last: tuple[int, dict[str, Any]] = (-1, {})

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def load(self, i: int) -> dict[str, Any]:
        if self._last[0] != i:
            if self._fh is None:
                self._fh = open(open_regular(self._stream.path, follow=True), "rb")  # noqa: SIM115
            entry = self._stream.read_entry(self._fh, i)
            self._last = (i, entry if isinstance(entry, dict) else {})
        return self._last[1]

    def __len__(self) -> int:
        return len(self._stream)

    @overload
    def __getitem__(self, i: int) -> Mapping[str, Any]: ...

    @overload
    def __getitem__(self, i: slice) -> Sequence[Mapping[str, Any]]: ...

    def __getitem__(self, i: int | slice) -> Mapping[str, Any] | Sequence[Mapping[str, Any]]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        if not -len(self) <= i < len(self):
            raise IndexError(i)
        return _LazyEntry(self, i % len(self))
