"""The fix manifest: where each derivative came from and what was done to it.

Same schema family as the scan manifest (the same header: tool, profile with its
checksum, policy, engines; the same file entries), so the archivist who reads one reads
the other, and the derivative's own audit entry is exactly what ``scan`` would write.
Content Credentials are never copied: a C2PA manifest is bound to the original's bytes
by a hash, so in a converted file it would report 'changed after signing'.  The
manifest says so instead.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
from typing import Any

from mediaaudit.model import C2paState, FileResult
from mediaaudit.writers.atomic import OutputUnwritable, atomic_text

KIND = "fix"
RECORD_PREFIX = "mediaaudit-fix-"


def tool_versions() -> dict[str, str | None]:
    """The libraries that converted and carried metadata, for reproducibility."""
    import av
    import PIL
    import pyexiv2

    try:
        import pillow_heif

        heif: str | None = pillow_heif.__version__
    except ImportError:  # pragma: no cover
        heif = None
    lib = av.library_versions.get("libavcodec")
    return {"pyav": av.__version__,
            "libavcodec": ".".join(map(str, lib)) if lib else None,
            "pillow": PIL.__version__, "pillow_heif": heif,
            "pyexiv2": pyexiv2.__version__}


def content_credentials(original: FileResult) -> dict[str, Any] | None:
    """A statement for an original that carries Content Credentials, else None."""
    prov = original.provenance or {}
    c2pa = prov.get("c2pa") or {}
    state = c2pa.get("state")
    if state in (None, C2paState.ABSENT):
        return None
    return {"original_state": str(state), "derivative_carries": False,
            "why": "a C2PA manifest is bound to the original's bytes by a hash: copied into "
                   "a converted file it would no longer validate (it would read as 'changed "
                   "after signing'). Sign the derivative with your own C2PA tool if you need "
                   "credentials on it; the original and this manifest record the link."}


def derivative_entry(original: dict[str, Any], derivative: dict[str, Any],
                     done: dict[str, Any], sidecars: list[str],
                     audit_entry: dict[str, Any] | None,
                     credentials: dict[str, Any] | None) -> dict[str, Any]:
    entry: dict[str, Any] = {"original": original, "derivative": derivative, "done": done,
                             "sidecars_copied": sidecars, "audit": audit_entry}
    if credentials is not None:
        entry["content_credentials"] = credentials
    return entry


def document(head: dict[str, Any], out_dir: str, options: dict[str, Any],
             derivatives: list[dict[str, Any]], not_fixed: list[dict[str, Any]],
             unchanged: list[dict[str, Any]]) -> dict[str, Any]:
    passed = sum(1 for d in derivatives if (d.get("audit") or {}).get("outcome") == "pass")
    return {**head, "kind": KIND, "out": out_dir, "options": options,
            "tools": tool_versions(), "derivatives": derivatives, "not_fixed": not_fixed,
            "unchanged": unchanged,
            "summary": {"originals": len(derivatives) + len(not_fixed) + len(unchanged),
                        "derivatives": len(derivatives), "derivatives_pass": passed,
                        "not_fixed": len(not_fixed), "unchanged": len(unchanged)}}


def write(path: str, doc: dict[str, Any]) -> None:
    """Atomically, with the mode any new file gets (``writers.atomic``)."""
    with atomic_text(path) as out:
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")


def write_record(out_dir: str, started: str, doc: dict[str, Any]) -> str:
    """Write the run's record under ``out_dir`` with a name no other run has; its path.

    The name is the run's start time (``started``, ISO 8601 UTC) plus a random suffix,
    and it is first claimed with O_EXCL, so a run that starts in the same second, in
    this process or another, gets a name of its own and can never replace this
    record (issue 26: the second of two runs in one second overwrote the first).  The
    content then replaces the claimed empty file atomically (``write``)."""
    stamp = started.replace("-", "").replace(":", "")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    for _ in range(100):
        path = os.path.join(out_dir, f"{RECORD_PREFIX}{stamp}-{secrets.token_hex(3)}.json")
        try:
            os.close(os.open(path, flags, 0o666))
        except FileExistsError:
            continue
        except OSError as exc:
            raise OutputUnwritable(path, exc.strerror or str(exc)) from exc
        try:
            write(path, doc)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(path)
            raise
        return path
    raise OutputUnwritable(os.path.join(out_dir, RECORD_PREFIX + stamp + "-*.json"),
                           "no free name")
