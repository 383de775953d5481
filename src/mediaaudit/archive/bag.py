"""Write the bag: everything goes into a temporary folder beside ``--out``, is hashed as
it is written, every MDTO record is validated against the XSD, and only then is the folder
renamed to ``--out``.  On any error the temporary folder is removed: nothing half-written.

Written as a stream, one manifest entry at a time: a media file is copied and hashed
(SHA-256 and SHA-512 in one read), its two records are made, checked and written, and one
line each goes to the payload manifests, the archive report and the Dossier's list of
parts (the last two in anonymous temporary files until the end).  Nothing grows with the
number of files, so the BagIt files are written here rather than by ``bagit.make_bag``
(which keeps every entry, and changes the process's working folder); ``bagit`` reads
them back in the tests and in ``verify``.

A passed media file's caption and licence sidecars (``plan.SidecarFile``) are copied
beside it, each with a ``bestand`` record that is part of the representation of the media
file's Archiefstuk (``records.sidecar_record``); a sidecar named after the stem
(``clip.vtt``) beside two media files (``clip.mp4``, ``clip.mov``) goes in once, with the
first.

Only regular files are read (``digest.open_regular``): a FIFO in place of an audited
file is reported, not waited on.  Every file is created exclusively, so two entries that
would share a name in the bag stop the package instead of overwriting each other.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from typing import IO, Any, BinaryIO

from mediaaudit import __version__
from mediaaudit.archive import mdto
from mediaaudit.archive import report as rep
from mediaaudit.archive.mdto import Ref
from mediaaudit.archive.plan import Counts, Item, PlanError, Scope, SidecarFile, walk
from mediaaudit.archive.records import (
    ArchiveConfig,
    Context,
    ExtraFile,
    Record,
    dossier,
    dossier_id,
    extra_record,
    item_records,
    sidecar_record,
)
from mediaaudit.archive.safe import visible
from mediaaudit.archive.stream import LazyEntries, ManifestError, ManifestStream, unreadable
from mediaaudit.archive.texts import words
from mediaaudit.containers import Members
from mediaaudit.digest import NotRegular, open_regular
from mediaaudit.manifest import now_utc
from mediaaudit.writers.atomic import OutputUnwritable, process_umask
from mediaaudit.writers.html_writer import write_html

TEMP_PREFIX = ".mediaaudit-archive-"
CHECKSUMS = ("sha256", "sha512")
MANIFEST_NAME = "mediaaudit-manifest.json"
HTML_NAME = "mediaaudit-report.html"
REPORT_NAME = rep.NAME
DOSSIER_NAME = "dossier" + mdto.SUFFIX
BAGIT_TXT = "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n"
EXTRA_FORMATS = {  # PRONOM identifications of the audit's own files (siegfried agrees)
    MANIFEST_NAME: ("fmt/817", "JSON Data Interchange Format"),
    HTML_NAME: ("fmt/471", "Hypertext Markup Language 5"),
    REPORT_NAME: ("x-fmt/111", "Plain Text File"),
}
SIDECAR_FORMATS = {  # by the sidecar's ending; siegfried agrees for the captions, and
    # calls a REUSE licence file (plain text, "SPDX-License-Identifier: ...")
    # fmt/1561 "SpritePad Image Format" by its first three bytes "SPD"
    "vtt": ("fmt/1454", "Web Video Text Tracks (WebVTT) Format"),
    "srt": ("fmt/1218", "SubRip Subtitle File"),
    "license": ("x-fmt/111", "Plain Text File"),
}


class Changed(Exception):
    """Files changed between the audit (or the check) and the copy into the bag:
    ``unreadable`` holds "path: reason" for a path that is no longer a regular file."""

    def __init__(self, changed: list[str] | tuple[str, ...], missing: list[str] | tuple[str, ...],
                 unreadable: list[str] | tuple[str, ...] = ()) -> None:
        super().__init__("files changed since the audit")
        self.changed = tuple(changed)
        self.missing = tuple(missing)
        self.unreadable = tuple(unreadable)


class InvalidRecord(Exception):
    """An MDTO record this program made does not pass the XSD (a bug, never shipped)."""


def check_out(out: str) -> None:
    """``--out`` must be a new folder or an empty one, in a folder that exists."""
    if os.path.lexists(out):
        if not os.path.isdir(out) or os.path.islink(out):
            raise OutputUnwritable(out, "exists and is not a folder")
        try:
            if os.listdir(out):
                raise OutputUnwritable(out, "folder is not empty")
        except OSError as exc:
            raise OutputUnwritable(out, exc.strerror or str(exc)) from exc
    parent = os.path.dirname(os.path.abspath(out))
    if not os.path.isdir(parent):
        raise OutputUnwritable(out, f"folder {parent} does not exist")


def encode_name(rel: str) -> str:
    """A path as a BagIt manifest line carries it (as ``bagit`` writes and reads it)."""
    return rel.replace("\r", "%0D").replace("\n", "%0A")


@dataclass
class _Hashes:
    size: int = 0
    sha256: Any = None
    sha512: Any = None

    def __post_init__(self) -> None:
        self.sha256, self.sha512 = hashlib.sha256(), hashlib.sha512()

    def update(self, chunk: bytes) -> None:
        self.size += len(chunk)
        self.sha256.update(chunk)
        self.sha512.update(chunk)


class _Bag:
    """The folder being written: creates every file exclusively, hashes what it writes
    and keeps the payload manifests and the Payload-Oxum as it goes."""

    def __init__(self, root: str) -> None:
        self.root = root
        self.data = os.path.join(root, "data")
        os.mkdir(self.data)
        self.manifests = {a: open(os.path.join(root, f"manifest-{a}.txt"), "x",  # noqa: SIM115
                                  encoding="utf-8", newline="\n") for a in CHECKSUMS}
        self.bytes = self.files = 0

    def close(self) -> None:
        for fh in self.manifests.values():
            fh.close()

    def path(self, rel: str) -> str:
        return os.path.join(self.data, *rel.split("/"))

    def create(self, rel: str) -> BinaryIO:
        """A new payload file ``data/<rel>``; ``PlanError`` when the name is taken."""
        dst = self.path(rel)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        try:
            return open(dst, "xb")
        except FileExistsError:
            raise PlanError(words("name_twice", name=f"data/{visible(rel)}")) from None

    def added(self, rel: str, h: _Hashes) -> None:
        name = encode_name(f"data/{rel}")
        self.manifests["sha256"].write(f"{h.sha256.hexdigest()}  {name}\n")
        self.manifests["sha512"].write(f"{h.sha512.hexdigest()}  {name}\n")
        self.bytes += h.size
        self.files += 1

    def hash_added(self, rel: str) -> _Hashes:
        """Hash a file written in place (streamed by another writer) and list it."""
        h = _Hashes()
        with open(self.path(rel), "rb") as fh:
            for chunk in _chunks(fh):
                h.update(chunk)
        self.added(rel, h)
        return h

    def put(self, rel: str, data: bytes) -> _Hashes:
        h = _Hashes()
        h.update(data)
        with self.create(rel) as fh:
            fh.write(data)
        self.added(rel, h)
        return h

    def copy(self, src: BinaryIO, rel: str) -> _Hashes:
        h = _Hashes()
        with self.create(rel) as fout:
            while chunk := src.read(1 << 20):
                h.update(chunk)
                fout.write(chunk)
        self.added(rel, h)
        return h

    def record(self, rec: Record) -> None:
        problems = mdto.validate(rec.xml)
        if problems:
            raise InvalidRecord(f"MDTO record {visible(rec.name)} is not valid against "
                                f"{mdto.XSD_NAME}: {problems[0]}")
        self.put(rec.name, rec.xml)


def _chunks(fh: IO[bytes]) -> Iterator[bytes]:
    fh.seek(0)
    while chunk := fh.read(1 << 20):
        yield chunk


@dataclass(frozen=True)
class Written:
    path: str
    ident: str
    records: int
    files: int
    sidecars: int = 0  # caption and licence files beside them


def write_bag(
    out: str,
    stream: ManifestStream,
    sc: Scope,
    counts: Counts,
    cfg: ArchiveConfig,
    request_id: str | None,
    posted: str | None = None,
) -> Written:
    """Build the bag in a temporary folder and rename it to ``out``.  Raises
    ``OutputUnwritable`` (the output), ``Changed`` (a source file differs from the
    manifest, or is no longer a regular file, while being copied), ``PlanError`` (two
    entries share a name in the bag), ``ManifestError`` (the manifest changed meanwhile)
    or ``InvalidRecord``."""
    check_out(out)
    parent = os.path.dirname(os.path.abspath(out))
    try:
        tmp = tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=parent)
    except OSError as exc:
        raise OutputUnwritable(out, exc.strerror or str(exc)) from exc
    try:
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o777 & ~process_umask())  # mkdtemp's 0700 is too private
        with contextlib.suppress(OSError, ValueError):
            sc = replace(sc, name_max=min(sc.name_max, os.pathconf(tmp, "PC_NAME_MAX")))
        ctx = Context(cfg, dossier_id(request_id, stream.sha256), request_id, now_utc(),
                      str(stream.header.get("created") or "") or None, posted)
        bag = _Bag(tmp)
        try:
            records, sidecars = _fill(bag, stream, sc, counts, ctx)
        finally:
            bag.close()
        info = bag_info(cfg, request_id, ctx.ident, counts.items)
        info["Payload-Oxum"] = f"{bag.bytes}.{bag.files}"
        _tag_files(tmp, info)
        try:
            os.rename(tmp, out)
        except OSError as exc:
            raise OutputUnwritable(out, exc.strerror or str(exc)) from exc
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, NotRegular) or exc.errno in (errno.ENAMETOOLONG, errno.EEXIST):
            raise PlanError(words("cannot_write", why=exc.strerror,
                                  path=visible(str(exc.filename or "")))) from exc
        raise OutputUnwritable(out, exc.strerror or str(exc)) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Written(out, ctx.ident, records, counts.items, sidecars)


def _fill(bag: _Bag, stream: ManifestStream, sc: Scope, counts: Counts,
          ctx: Context) -> tuple[int, int]:
    """Everything under data/; the number of MDTO records and of sidecars."""
    changed: list[str] = []
    missing: list[str] = []
    unreadable: list[str] = []
    records = left = sides_in = 0
    first: Ref | None = None
    shared: set[str] = set()  # stem-named sidecars already in the bag
    with (tempfile.TemporaryFile(dir=bag.root) as parts,
          tempfile.TemporaryFile(dir=bag.root) as archived,
          tempfile.TemporaryFile(dir=bag.root) as left_out,
          Members() as members):
        for v in walk(sc, stream.entries()):
            if not isinstance(v, Item):
                left += 1
                left_out.write(rep.left_out_lines(v).encode("utf-8"))
                continue
            problem = _copy_item(bag, v, members)
            missing.extend(v.sidecars_missing)
            if problem is not None:
                {"changed": changed, "missing": missing}.get(problem, unreadable).append(
                    v.path if problem in ("changed", "missing") else f"{v.path}: {problem}")
                continue
            sides = [s for s in v.sidecars if not (s.shared and s.payload in shared)]
            shared.update(s.payload for s in sides if s.shared)
            copied = []
            for side in sides:
                got = _copy_sidecar(bag, side)
                if isinstance(got, str):
                    (missing if got == "missing" else unreadable).append(
                        side.path if got == "missing" else f"{side.path}: {got}")
                else:
                    copied.append((side, got))
            if changed or missing or unreadable:
                continue  # the bag will not be finished: only look for more changes
            stuk, rec_io, rec_file = item_records(ctx, v, [s for s, _ in copied])
            bag.record(rec_io)
            bag.record(rec_file)
            records += 2
            for side, x in copied:
                bag.record(sidecar_record(ctx, v, side, x))
                records += 1
                sides_in += 1
            first = first or stuk
            parts.write(mdto.ref_fragment("bevatOnderdeel", stuk))
            archived.write(rep.item_line(v).encode("utf-8"))
        if changed or missing or unreadable:
            raise Changed(changed, missing, unreadable)
        if left != counts.left_out:
            raise ManifestError(words("manifest_changed", path=stream.path))
        extras = [_copy_manifest(bag, stream), _html(bag, stream)]
        extras.append(_report(bag, stream, ctx, counts, archived, left_out))
        reps = []
        for x in extras:
            ref, rec = extra_record(ctx, x)
            bag.record(rec)
            reps.append(ref)
            records += 1
        if first is None:
            raise PlanError(words("none_passed"))
        _dossier(bag, ctx, counts, reps, parts, first)
    return records + 1, sides_in


def readable_path(it: Item, members: Members) -> str | None:
    """Where the bytes of a passed file are read now: its own path, or for a member of a
    delivery archive its copy unpacked from the archive (once per archive, ``Members``);
    None when the archive no longer holds it."""
    return members.path(it.disk, it.member) if it.member else it.disk


def _copy_item(bag: _Bag, it: Item, members: Members) -> str | None:
    """Copy a passed file into the bag; None, or "changed", "missing" or why it cannot be
    read (not a regular file) when it is not what was audited."""
    disk = readable_path(it, members)
    if disk is None:
        return "missing"
    try:
        fd = open_regular(disk)
    except NotRegular as exc:
        return exc.strerror
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    with open(fd, "rb") as src:
        h = bag.copy(src, it.payload)
    return None if h.sha256.hexdigest() == it.sha256 else "changed"


def _copy_sidecar(bag: _Bag, side: SidecarFile) -> ExtraFile | str:
    """Copy a caption or licence file beside its media file in the bag; its size, hash
    and format, or "missing" or why it cannot be read (no longer a regular file)."""
    try:
        fd = open_regular(side.disk)
    except NotRegular as exc:
        return exc.strerror or str(exc)
    except FileNotFoundError:
        return "missing"
    except OSError as exc:
        return f"cannot be read: {exc.strerror}"
    with open(fd, "rb") as src:
        h = bag.copy(src, side.payload)
    ending = side.fmt or side.payload.rsplit(".", 1)[-1].lower()
    puid, name = SIDECAR_FORMATS.get(ending, SIDECAR_FORMATS["license"])
    return ExtraFile(side.payload, h.size, h.sha256.hexdigest(), puid, name)


def _copy_manifest(bag: _Bag, stream: ManifestStream) -> ExtraFile:
    try:
        with open(open_regular(stream.path, follow=True), "rb") as src:
            h = bag.copy(src, MANIFEST_NAME)
    except OSError as exc:
        raise unreadable(stream.path, exc) from exc
    if h.sha256.hexdigest() != stream.sha256:
        raise ManifestError(words("manifest_changed", path=stream.path))
    return _extra(MANIFEST_NAME, h)


def _extra(name: str, h: _Hashes) -> ExtraFile:
    puid, fmt_name = EXTRA_FORMATS[name]
    return ExtraFile(name, h.size, h.sha256.hexdigest(), puid, fmt_name)


def _html(bag: _Bag, stream: ManifestStream) -> ExtraFile:
    """The audit's HTML report, rendered from the manifest's entries read one at a time
    (no thumbnails: no picture of a file that was left out)."""
    entries = LazyEntries(stream)
    try:
        with bag.create(HTML_NAME) as raw, io.TextIOWrapper(raw, "utf-8", newline="") as fh:
            write_html(dict(stream.header, files=entries), fh)
    finally:
        entries.close()
    return _extra(HTML_NAME, bag.hash_added(HTML_NAME))


def _report(bag: _Bag, stream: ManifestStream, ctx: Context, counts: Counts,
            archived: IO[bytes], left_out: IO[bytes]) -> ExtraFile:
    h = _Hashes()
    with bag.create(REPORT_NAME) as fh:
        pieces: list[Iterator[bytes] | list[bytes]] = [
            [rep.head(stream.header, ctx.ident, ctx.request_id, ctx.checked_at,
                      ctx.cfg.archiefvormer.naam, counts.items).encode("utf-8")],
            _chunks(archived), [rep.middle(counts.left_out).encode("utf-8")],
            _chunks(left_out) if counts.left_out else [rep.NONE_LEFT_OUT.encode("utf-8")]]
        for piece in pieces:
            for chunk in piece:
                h.update(chunk)
                fh.write(chunk)
    bag.added(REPORT_NAME, h)
    return _extra(REPORT_NAME, h)


def _dossier(bag: _Bag, ctx: Context, counts: Counts, reps: list[Any],
             parts: IO[bytes], first: Ref) -> None:
    """The Dossier record with its parts streamed in.

    Checked against the XSD without holding its parts (even xmlschema's lazy mode keeps
    about 0.5 KB per part): the record is validated with its first part in place, and
    every part is the same ``verwijzingGegevens`` the same code writes for its
    Archiefstuk's bestand (``isRepresentatieVan``), which was validated with that record.
    ``verify`` validates the whole Dossier."""
    io_ = dossier(ctx, counts.items, counts.left_out, reps)
    problems = mdto.validate(mdto.informatieobject_xml(replace(io_, bevat_onderdeel=(first,))))
    if problems:
        raise InvalidRecord(f"MDTO record {DOSSIER_NAME} is not valid against "
                            f"{mdto.XSD_NAME}: {problems[0]}")
    with bag.create(DOSSIER_NAME) as fh:
        mdto.write_informatieobject(io_, fh, _chunks(parts))
    bag.hash_added(DOSSIER_NAME)


_LINE_BREAK = re.compile(r"[\r\n]")


def _tag_files(root: str, info: Mapping[str, str]) -> None:
    """bagit.txt, bag-info.txt (as ``bagit`` writes them: sorted, one line per value)
    and a tag manifest per algorithm over every tag file."""
    with open(os.path.join(root, "bagit.txt"), "x", encoding="utf-8", newline="\n") as fh:
        fh.write(BAGIT_TXT)
    with open(os.path.join(root, "bag-info.txt"), "x", encoding="utf-8", newline="\n") as fh:
        for key in sorted(info):
            fh.write(f"{key}: {visible(_LINE_BREAK.sub('', info[key]))}\n")
    tags = ["bagit.txt", "bag-info.txt", *(f"manifest-{a}.txt" for a in CHECKSUMS)]
    for alg in CHECKSUMS:
        with open(os.path.join(root, f"tagmanifest-{alg}.txt"), "x", encoding="utf-8",
                  newline="\n") as out:
            for name in tags:
                h = hashlib.new(alg)
                with open(os.path.join(root, name), "rb") as fh:
                    for chunk in _chunks(fh):
                        h.update(chunk)
                out.write(f"{h.hexdigest()}  {name}\n")


def bag_info(cfg: ArchiveConfig, request_id: str | None, ident: str,
             files: int) -> dict[str, str]:
    info = {"Source-Organization": cfg.archiefvormer.naam}
    if cfg.contact_name:
        info["Contact-Name"] = cfg.contact_name
    if cfg.contact_email:
        info["Contact-Email"] = cfg.contact_email
    info["Bagging-Date"] = _dt.date.today().isoformat()
    if request_id:
        info["External-Identifier"] = request_id
    info["Internal-Sender-Identifier"] = ident
    info["External-Description"] = (
        f"{files} media {'file' if files == 1 else 'files'} approved for publication on "
        "social media, audited by "
        "mediaaudit; MDTO 1.0.2 metadata per file (*.bestand.mdto.xml) and per "
        "informatieobject (*.mdto.xml); files that did not pass are listed in "
        "data/archive-report.txt")
    info["Bag-Software-Agent"] = f"mediaaudit {__version__} (BagIt 0.97)"
    return info
