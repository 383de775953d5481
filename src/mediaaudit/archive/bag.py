"""Write the bag: everything goes into a temporary folder beside ``--out``, is hashed,
validated (bagit and every MDTO record against the XSD) and only then renamed to
``--out``.  On any error the temporary folder is removed: nothing half-written."""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import bagit

from mediaaudit import __version__
from mediaaudit.archive import mdto
from mediaaudit.archive.plan import Plan
from mediaaudit.archive.records import ArchiveConfig, ExtraFile, build_records, dossier_id
from mediaaudit.archive.report import NAME as REPORT_NAME
from mediaaudit.archive.report import archive_report
from mediaaudit.manifest import now_utc
from mediaaudit.writers.atomic import OutputUnwritable, process_umask

TEMP_PREFIX = ".mediaaudit-archive-"
CHECKSUMS = ("sha256", "sha512")
MANIFEST_NAME = "mediaaudit-manifest.json"
HTML_NAME = "mediaaudit-report.html"
EXTRA_FORMATS = {  # PRONOM identifications of the audit's own files (siegfried agrees)
    MANIFEST_NAME: ("fmt/817", "JSON Data Interchange Format"),
    HTML_NAME: ("fmt/471", "Hypertext Markup Language 5"),
    REPORT_NAME: ("x-fmt/111", "Plain Text File"),
}


class Changed(Exception):
    """Files changed between the audit (or the check) and the copy into the bag."""

    def __init__(self, changed: Sequence[str], missing: Sequence[str]) -> None:
        super().__init__("files changed since the audit")
        self.changed = tuple(changed)
        self.missing = tuple(missing)


class InvalidRecord(Exception):
    """An MDTO record this program made does not pass the XSD (a bug, never shipped)."""


@contextlib.contextmanager
def quiet_bagit() -> Iterator[None]:
    """bagit logs every warning and a traceback on failure to stderr; the CLI says what
    went wrong in its own words."""
    log = logging.getLogger("bagit")
    old = log.propagate, log.level
    handler = logging.NullHandler()
    log.addHandler(handler)
    log.propagate = False
    try:
        yield
    finally:
        log.removeHandler(handler)
        log.propagate, log.level = old[0], old[1]


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


def _copy(src: str, dst: str) -> str | None:
    """Copy ``src`` to ``dst`` and return the SHA-256 of what was copied (None when the
    source cannot be read: it is gone)."""
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    h = hashlib.sha256()
    try:
        fin = open(src, "rb")  # noqa: SIM115 - closed below, OSError means missing
    except OSError:
        return None
    with fin, open(dst, "wb") as fout:
        while chunk := fin.read(1 << 20):
            h.update(chunk)
            fout.write(chunk)
    return h.hexdigest()


def _write(path: str, data: bytes) -> tuple[int, str]:
    with open(path, "wb") as fh:
        fh.write(data)
    return len(data), hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Written:
    path: str
    ident: str
    records: int
    files: int


def write_bag(
    out: str,
    plan: Plan,
    cfg: ArchiveConfig,
    manifest: Mapping[str, Any],
    manifest_bytes: bytes,
    html: str,
    request_id: str | None,
    posted: str | None = None,
) -> Written:
    """Build the bag in a temporary folder and rename it to ``out``.  Raises
    ``OutputUnwritable`` (the output), ``Changed`` (a source file differs from the
    manifest while being copied), ``InvalidRecord`` or ``bagit.BagError``."""
    check_out(out)
    parent = os.path.dirname(os.path.abspath(out))
    try:
        tmp = tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=parent)
    except OSError as exc:
        raise OutputUnwritable(out, exc.strerror or str(exc)) from exc
    try:
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o777 & ~process_umask())  # mkdtemp's 0700 is too private
        ident = dossier_id(request_id, hashlib.sha256(manifest_bytes).hexdigest())
        checked_at = now_utc()
        changed, missing = [], []
        for it in plan.items:
            got = _copy(it.disk, os.path.join(tmp, *it.payload.split("/")))
            if got is None:
                missing.append(it.path)
            elif got != it.sha256:
                changed.append(it.path)
        if changed or missing:
            raise Changed(changed, missing)
        report = archive_report(plan.items, plan.left_out, manifest, ident, request_id,
                                checked_at, cfg.archiefvormer.naam)
        extras = []
        for name, data in ((MANIFEST_NAME, manifest_bytes), (HTML_NAME, html.encode("utf-8")),
                           (REPORT_NAME, report.encode("utf-8"))):
            size, sha = _write(os.path.join(tmp, name), data)
            puid, fmt_name = EXTRA_FORMATS[name]
            extras.append(ExtraFile(name, size, sha, puid, fmt_name))
        records = build_records(plan.items, extras, cfg, manifest, ident, request_id,
                                checked_at, posted, left_out=len(plan.left_out))
        for rec in records:
            problems = mdto.validate(rec.xml)
            if problems:
                raise InvalidRecord(f"MDTO record {rec.name} is not valid against "
                                    f"{mdto.XSD_NAME}: {problems[0]}")
            with open(os.path.join(tmp, *rec.name.split("/")), "wb") as fh:
                fh.write(rec.xml)
        info = bag_info(cfg, request_id, ident, len(plan.items))
        with quiet_bagit():
            bagit.make_bag(tmp, info, checksums=list(CHECKSUMS))
            bag = bagit.Bag(tmp)
            bag.validate()
        for it in plan.items:  # what bagit hashed is what was audited
            if bag.entries.get(f"data/{it.payload}", {}).get("sha256") != it.sha256:
                raise Changed([it.path], [])
        try:
            os.rename(tmp, out)
        except OSError as exc:
            raise OutputUnwritable(out, exc.strerror or str(exc)) from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Written(out, ident, len(records), len(plan.items))


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
        f"{files} media file(s) approved for publication on social media, audited by "
        "mediaaudit; MDTO 1.0.2 metadata per file (*.bestand.mdto.xml) and per "
        "informatieobject (*.mdto.xml); files that did not pass are listed in "
        "data/archive-report.txt")
    info["Bag-Software-Agent"] = (f"mediaaudit {__version__} (bagit.py {bagit.VERSION}) "
                                  "<https://pypi.org/project/bagit/>")
    return info
