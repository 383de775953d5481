"""Versions of the engines behind a verdict, for the manifest and ``doctor``."""

from __future__ import annotations

import functools
import hashlib
import os
import platform
import sys
from collections.abc import Sequence
from typing import Any

from mediaaudit.probe import identify


@functools.cache
def pronom_signatures(sample: str) -> str | None:
    """siegfried reports its signature files only with a result, so identify a sample."""
    try:
        import pygfried

        res: dict[str, Any] = dict(pygfried.identify(sample, detailed=True))
        ids = res.get("identifiers") or [{}]
        return str(ids[0].get("details")) or None
    except Exception:
        return None


def engines(sample: str) -> dict[str, str | None]:
    """Engine name → version (None where the engine is missing).  Loads every engine:
    ``engines_cached`` keeps the answer for as long as the installed packages stay."""
    import PIL

    from mediaaudit.probe import image, libtiff, mediainfo

    return {
        "libmagic": identify.libmagic_version(),
        "mediainfo": mediainfo.mediainfo_version(),
        "pillow": PIL.__version__,
        "pillow_heif": _heif_version() if image.heif_available() else None,
        "siegfried": identify.siegfried_version(),
        "pronom": pronom_signatures(sample),
        "c2pa": _c2pa_version(),
        "mutagen": _dist_version("mutagen"),
        "jpylyzer": _dist_version("jpylyzer"),
        "libav": _libav_version(),
        "libtiff": libtiff.version(),
        "python": platform.python_version(),
    }


def _libav_version() -> str | None:
    """The second decoder (``probe.second``): PyAV's version and the libavcodec it wraps."""
    try:
        import av
    except ImportError:
        return None
    codec = av.library_versions.get("libavcodec")
    return f"{av.__version__} (libavcodec {'.'.join(map(str, codec))})" if codec else av.__version__


def _dist_version(dist: str) -> str | None:
    """An installed package's version, without importing it."""
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _c2pa_version() -> str | None:
    try:
        import c2pa

        return str(c2pa.sdk_version())
    except Exception:
        return None


def _heif_version() -> str | None:
    try:
        import pillow_heif

        return str(pillow_heif.__version__)
    except Exception:
        return None


_KEY_DISTS = ("pygfried", "pymediainfo", "pillow", "pillow-heif", "python-magic",
              "c2pa-python", "mutagen", "jpylyzer")


def _canonical(name: str) -> str:
    return name.lower().replace("-", "_").replace(".", "_")


def installed_key() -> str:
    """Cheap identity of the installed engines (package versions, no library loading).
    Read from the names of the ``*.dist-info`` folders on ``sys.path`` (a wheel's folder
    name carries its version): ``importlib.metadata.version`` searches the whole path
    once per package, 20 ms for eight of them, at every start of a warm rescan."""
    from mediaaudit import __version__

    found: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for n in names:
            if n.endswith(".dist-info"):
                name, _, version = n[:-len(".dist-info")].partition("-")
                found.setdefault(_canonical(name), version)
    parts = [f"mediaaudit={__version__}", f"libmagic={identify.libmagic_version()}"]
    parts += [f"{d}={found.get(_canonical(d), '-')}" for d in _KEY_DISTS]
    return ";".join(parts)


ENGINES_NAME = "engines.json"


def engines_path(beside: str) -> str:
    """Where the engine versions are remembered: ``engines.json`` in the folder of
    ``beside`` (the fact cache, or watch's state database), so that every command that
    keeps a cache keeps this file with it, and a scan skips it as its own."""
    return os.path.join(os.path.dirname(os.path.abspath(beside)), ENGINES_NAME)


def engines_cached(sample: str, store: str) -> dict[str, str | None]:
    """``engines()`` remembered in a small JSON file per installed_key(): loading
    siegfried's signatures just to print their version costs ~0.1 s and ~80 MB of memory
    in the main process, which otherwise never needs siegfried when workers probe."""
    import json

    key = installed_key()
    try:
        with open(store, encoding="utf-8") as fh:
            saved = json.load(fh)
        if isinstance(saved, dict) and isinstance(saved.get(key), dict):
            return dict(saved[key])
    except (OSError, ValueError):
        pass
    found = _engines_elsewhere(sample)
    try:
        os.makedirs(os.path.dirname(os.path.abspath(store)), exist_ok=True)
        tmp = f"{store}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as fh:
            json.dump({key: found}, fh)
        os.replace(tmp, store)
    except OSError:
        pass
    return found


def _engines_elsewhere(sample: str) -> dict[str, str | None]:
    """``engines()`` asked of a worker process: loading every engine (siegfried's Go
    runtime and signatures above all, ~120 MB) in the scan's own process would keep it
    there for the whole scan, and its workers could no longer be forked."""
    from mediaaudit.pool import SupervisedPool

    pool: SupervisedPool[str, dict[str, str | None] | None] = SupervisedPool(engines, 1, 120.0)
    with pool:
        found = next(pool.run([sample], 1), None)
    return found if found is not None else engines(sample)


def cache_version(found: dict[str, str | None]) -> str:
    """What cached facts depend on: mediaaudit, the probe code and every engine's version."""
    from mediaaudit import __version__

    parts = [f"mediaaudit={__version__}", f"probe={probe_version()}"]
    parts += [f"{k}={v}" for k, v in sorted(found.items()) if k != "python"]
    return ";".join(parts)


def source_digest(package_dir: str, extra: Sequence[str] = ()) -> str:
    """SHA-256 (first 16 hex digits) of every ``*.py`` in ``package_dir`` and of the
    ``extra`` files: names and contents, in a fixed order.  A file that cannot be read
    (an install without sources) counts by its name only."""
    files = sorted(os.path.join(folder, n) for folder, _dirs, names in os.walk(package_dir)
                   for n in names if n.endswith(".py"))  # subpackages too (structure/)
    h = hashlib.sha256()
    for path in [*files, *extra]:
        try:
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError:
            data = b"<unreadable>"
        shown = (os.path.relpath(path, package_dir) if path.startswith(package_dir)
                 else os.path.basename(path))
        name = shown.encode("utf-8", "surrogateescape")
        h.update(b"%d:%s:%d:" % (len(name), name, len(data)) + data)
    return h.hexdigest()[:16]


@functools.cache
def probe_version() -> str:
    """What the cached facts were extracted by: the source of the probe package, of the
    sidecar rules and of the facts model and codec (~130 KB hashed once per process, under
    a millisecond).  Any edit there ignores old cache entries, without anyone having to
    remember to bump a constant (it replaces the hand-bumped ``PROBE_VERSION``)."""
    from mediaaudit import factcodec, model, probe, sidecars

    here = os.path.dirname(os.path.abspath(probe.__file__))
    extra = [os.path.abspath(str(m.__file__)) for m in (factcodec, model, sidecars)]
    return source_digest(here, extra)


@functools.cache
def evaluation_version() -> str:
    """What a manifest entry is made by, besides the facts: the evaluation package and
    the modules it reads (finding texts, licences, policy, profile, model, the entry
    layout).  Part of ``scan.evaluation_key``, so an edit there re-evaluates cached files."""
    from mediaaudit import codes, evaluate, licence, manifest, model, policy, profile

    here = os.path.dirname(os.path.abspath(evaluate.__file__))
    extra = [os.path.abspath(str(m.__file__))
             for m in (codes, licence, manifest, model, policy, profile)]
    return source_digest(here, extra)
