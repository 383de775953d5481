"""The incremental fact cache: reuse, invalidation, policy re-evaluation, robustness."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mediaaudit import fstime
from mediaaudit.cache import FactCache
from mediaaudit.engines import cache_version, probe_version, source_digest
from mediaaudit.scan import probe_one
from mediaaudit.walk import walk

import factory
import fixtures_access as fa
import fixtures_rights as fr
from conftest import Run, run_cli


def _settle() -> None:
    """Wait until files just written are older than the cache's racy window, so a test
    sees the fingerprint at work rather than the racy-timestamp rule."""
    time.sleep(fstime.FINE_NS / 1e9 * 1.5)


def _scan_no_probe(target: Path, cache: Path, monkeypatch: pytest.MonkeyPatch,
                   name: str) -> Run:
    """A scan in which probing ``name`` would hang (fault seam): it passes only if the
    facts of ``name`` come from the cache."""
    monkeypatch.setenv("MEDIAAUDIT_TEST_FAULT", f"hang:{name}")
    try:
        return run_cli("scan", str(target), "--cache", str(cache), "--timeout", "2")
    finally:
        monkeypatch.delenv("MEDIAAUDIT_TEST_FAULT")


def _swap_keep_mtime(path: Path, data: bytes) -> None:
    """Same-size new content with the old mtime put back (``cp -p``, ``exiftool -P``,
    ``touch -r``): size and mtime alone cannot tell."""
    st = path.stat()
    assert len(data) == st.st_size
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)


def _replace_keep_mtime(path: Path, data: bytes) -> None:
    """The same, but written beside and renamed over it (a new inode)."""
    st = path.stat()
    tmp = path.with_name(path.name + ".new")
    tmp.write_bytes(data)
    os.utime(tmp, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(tmp, path)


def _blanked(path: Path, needle: bytes) -> bytes:
    data = bytearray(path.read_bytes())
    i = data.find(needle)
    data[i:i + len(needle)] = b"X" * len(needle)
    return bytes(data)


def test_warm_scan_reuses_facts_and_policy_change_reevaluates(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "d"
    d.mkdir()
    fr.jpeg(d / "a.jpg", fr.xmp(fr.alt("dc:rights", "© Foto Bureau Q")))
    cache = tmp_path / "c.sqlite"
    _settle()
    first = run_cli("scan", str(d), "--cache", str(cache))
    assert first.entry("a.jpg")["rights"]["status"] == "restricted"
    assert cache.is_file()
    # a policy change is applied to cached facts, without reading the file again
    (d / "mediaaudit.toml").write_text('[policy]\norganisation = ["Foto Bureau Q"]\n')
    policy = _scan_no_probe(d, cache, monkeypatch, "a.jpg")
    assert "MA-IO-005" not in policy.codes("a.jpg")
    assert policy.entry("a.jpg")["rights"]["status"] == "owned"
    assert policy.entry("a.jpg")["sha256"] == first.entry("a.jpg")["sha256"]


@pytest.mark.parametrize("edit", [_swap_keep_mtime, _replace_keep_mtime],
                         ids=["in-place", "renamed-over"])
def test_same_size_edit_with_mtime_kept_is_probed_again(tmp_path: Path, edit: object) -> None:
    """Issue 13 item 5: a cache hit must never put the hash of old bytes in the manifest."""
    d = tmp_path / "d"
    d.mkdir()
    fr.jpeg(d / "a.jpg", fr.xmp(fr.alt("dc:rights", "© Foto Bureau Q")))
    cache = tmp_path / "c.sqlite"
    _settle()
    first = run_cli("scan", str(d), "--cache", str(cache))
    assert first.entry("a.jpg")["rights"]["holder"] == "Foto Bureau Q"
    new = _blanked(d / "a.jpg", b"Foto Bureau Q")
    assert callable(edit)
    edit(d / "a.jpg", new)
    _settle()
    again = run_cli("scan", str(d), "--cache", str(cache))
    assert again.entry("a.jpg")["sha256"] == hashlib.sha256(new).hexdigest()
    assert again.entry("a.jpg")["sha256"] != first.entry("a.jpg")["sha256"]
    assert again.entry("a.jpg")["rights"]["holder"] == "XXXXXXXXXXXXX"
    # and the new facts are cached in their turn
    assert run_cli("scan", str(d), "--cache", str(cache)).entry("a.jpg")["sha256"] == \
        hashlib.sha256(new).hexdigest()


def _facts_for(path: Path):  # type: ignore[no-untyped-def]
    refs, _ = walk([str(path)])
    return refs[0], probe_one(refs[0])


def test_file_changed_within_the_timestamp_granularity_is_not_cached(tmp_path: Path) -> None:
    """Racy timestamps: a change in the same tick as the read would keep every stat field,
    so facts read within the granularity of the scan's start are neither stored nor
    trusted."""
    (tmp_path / "db").mkdir()
    db = tmp_path / "db" / "c.sqlite"
    racy = fr.jpeg(tmp_path / "racy.jpg")
    cache = FactCache(str(db), "v")
    cache.started_ns = racy.stat().st_ctime_ns  # the scan began as the file was written
    ref, facts = _facts_for(racy)
    cache.put(facts)
    cache.close()
    _settle()
    later = FactCache(str(db), "v")
    assert later.lookup(walk([str(racy)])[0][0]) is None  # never stored
    # a settled file is stored and found; a scan that starts as it changes does not trust it
    ref, facts = _facts_for(racy)
    later.put(facts)
    later.flush()
    assert later.lookup(ref) is not None
    later.started_ns = ref.ctime_ns + 1
    assert later.lookup(ref) is None
    later.close()


def test_a_file_changed_while_probed_is_not_cached(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    p = fr.jpeg(tmp_path / "b.jpg")
    _settle()
    cache = FactCache(str(db), "v")
    _, facts = _facts_for(p)
    p.write_bytes(p.read_bytes() + b"\0")  # grows after the probe read it
    cache.put(facts)
    cache.flush()
    assert sqlite3.connect(db).execute("SELECT count(*) FROM facts").fetchone()[0] == 0
    cache.close()


def _captions(r: Run, name: str) -> list[str]:
    return [c["file"] for c in (r.entry(name).get("accessibility") or {}).get("captions", [])]


def _alt(r: Run, name: str) -> list[str]:
    return [a["text"] for a in (r.entry(name).get("accessibility") or {}).get("alt_text", [])]


def _licence(r: Run, name: str) -> str | None:
    licence = r.entry(name)["rights"].get("licence")
    return None if licence is None else str(licence)


SIDECAR_CASES = [
    ("clip.mp4", "clip.nl.vtt", fa.VTT, lambda r: _captions(r, "clip.mp4"), ["clip.nl.vtt"]),
    ("clip.mp4", "clip.mp4.en.srt", fa.SRT, lambda r: _captions(r, "clip.mp4"),
     ["clip.mp4.en.srt"]),
    ("photo.jpg", "photo.alt.txt", "Een fietser op de brug\n", lambda r: _alt(r, "photo.jpg"),
     ["Een fietser op de brug"]),
    ("photo.jpg", "photo.jpg.license", "SPDX-License-Identifier: CC0-1.0\n",
     lambda r: _licence(r, "photo.jpg"), "CC0-1.0"),
    ("photo.jpg", "photo.xmp", fr.xmp(f'<cc:license rdf:resource="{fr.CC_BY}"/>').decode(),
     lambda r: _licence(r, "photo.jpg"), "CC-BY-4.0"),
]


@pytest.mark.parametrize(("media", "sidecar", "content", "seen", "expected"), SIDECAR_CASES,
                         ids=[c[1] for c in SIDECAR_CASES])
def test_sidecar_added_or_removed_after_a_cached_scan_is_seen(
        tmp_path: Path, media: str, sidecar: str, content: str, seen: object,
        expected: object) -> None:
    """Issue 13 item 4: every sidecar ``sidecars_of`` knows is in the fingerprint."""
    assert callable(seen)
    d = tmp_path / "d"
    d.mkdir()
    if media.endswith(".mp4"):
        factory.video(d / media, "mp4", "libx264", "aac", faststart=True)
    else:
        fr.jpeg(d / media)
    cache = tmp_path / "c.sqlite"
    _settle()
    before = seen(run_cli("scan", str(d), "--cache", str(cache)))
    assert before != expected and not before
    (d / sidecar).write_text(content)
    _settle()
    assert seen(run_cli("scan", str(d), "--cache", str(cache))) == expected
    (d / sidecar).write_text(content + " ")  # changed
    _settle()
    assert seen(run_cli("scan", str(d), "--cache", str(cache))) == expected
    (d / sidecar).unlink()
    _settle()
    assert seen(run_cli("scan", str(d), "--cache", str(cache))) == before


def test_changed_file_or_sidecar_is_probed_again(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    fr.jpeg(d / "b.jpg")
    cache = tmp_path / "c.sqlite"
    _settle()
    assert run_cli("scan", str(d / "b.jpg"), "--cache", str(cache)).entry(
        "b.jpg")["rights"]["status"] == "unknown"
    (d / "b.jpg.license").write_text("SPDX-License-Identifier: CC0-1.0\n")
    _settle()
    r = run_cli("scan", str(d / "b.jpg"), "--cache", str(cache))
    assert r.entry("b.jpg")["rights"]["status"] == "open"
    fr.jpeg(d / "b.jpg", fr.xmp(f'<cc:license rdf:resource="{fr.CC_BY}"/>'))
    (d / "b.jpg.license").unlink()
    _settle()
    r = run_cli("scan", str(d / "b.jpg"), "--cache", str(cache))
    assert r.entry("b.jpg")["rights"]["licence"] == "CC-BY-4.0"


def test_probe_version_follows_the_probe_source(tmp_path: Path) -> None:
    """Issue 13 item 5: no hand-bumped constant; an edit to a probe module is a new
    version (tested on a copy of the package, never by editing it)."""
    import mediaaudit.probe as probe_pkg

    src = Path(probe_pkg.__file__).parent
    copy = tmp_path / "probe"
    shutil.copytree(src, copy, ignore=shutil.ignore_patterns("__pycache__"))
    extra = tmp_path / "factcodec.py"
    extra.write_text("X = 1\n")
    base = source_digest(str(copy), [str(extra)])
    assert source_digest(str(copy), [str(extra)]) == base  # stable
    assert base == source_digest(str(src), [str(extra)])  # a copy has the same version
    exif = copy / "exif.py"
    exif.write_text(exif.read_text() + "\n# a changed reader\n")
    assert source_digest(str(copy), [str(extra)]) != base
    exif.write_text((src / "exif.py").read_text())
    assert source_digest(str(copy), [str(extra)]) == base
    (copy / "newreader.py").write_text("")  # a new module counts too
    assert source_digest(str(copy), [str(extra)]) != base
    (copy / "newreader.py").unlink()
    extra.write_text("X = 2\n")  # and the codec beside the package
    assert source_digest(str(copy), [str(extra)]) != base
    assert f"probe={probe_version()}" in cache_version({})
    assert probe_version() == probe_version()  # computed once per process


def test_corrupt_cache_is_rebuilt_with_a_warning(tmp_path: Path) -> None:
    fr.jpeg(tmp_path / "c.jpg")
    cache = tmp_path / "c.sqlite"
    cache.write_bytes(b"this is not a database" * 100)
    r = run_cli("scan", str(tmp_path / "c.jpg"), "--cache", str(cache))
    assert r.exit_code == 1 and r.manifest is not None
    assert "warning: cache" in r.stderr and "rebuilt" in r.stderr
    assert list(tmp_path.glob("c.sqlite.corrupt-*"))
    again = run_cli("scan", str(tmp_path / "c.jpg"), "--cache", str(cache))
    assert "warning" not in again.stderr


def test_locked_cache_is_skipped_not_fatal(tmp_path: Path) -> None:
    fr.jpeg(tmp_path / "d.jpg")
    cache = tmp_path / "c.sqlite"
    run_cli("scan", str(tmp_path / "d.jpg"), "--cache", str(cache))
    fr.jpeg(tmp_path / "e.jpg")
    holder = sqlite3.connect(cache, isolation_level=None)
    holder.execute("PRAGMA journal_mode=DELETE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        r = run_cli("scan", str(tmp_path), "--cache", str(cache))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert r.manifest is not None and len(r.manifest["files"]) == 2
    assert "warning: cache" in r.stderr


def test_two_scans_at_once_share_a_cache(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "shared.sqlite"
    _settle()  # files written within the racy window are (rightly) not cached
    cmd = [sys.executable, "-m", "mediaaudit", "scan", str(corpus), "-q", "-j", "1",
           "--cache", str(cache)]
    procs = [subprocess.Popen([*cmd, "-o", str(tmp_path / f"m{i}.json")]) for i in range(2)]
    assert [p.wait(timeout=300) for p in procs] == [1, 1]
    import json

    a, b = (json.loads((tmp_path / f"m{i}.json").read_text()) for i in range(2))
    assert [f["sha256"] for f in a["files"]] == [f["sha256"] for f in b["files"]]
    n = sqlite3.connect(cache).execute("SELECT count(*) FROM facts").fetchone()[0]
    assert n >= len(a["files"]) - 1  # all but the empty/unreadable ones


SAMPLES = Path(__file__).resolve().parent.parent / "sample_media"


def _body(run: Run) -> dict[str, object]:
    assert run.manifest is not None
    return {k: v for k, v in run.manifest.items() if k != "created"}


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_warm_entries_equal_a_fresh_evaluation(tmp_path: Path, lang: str) -> None:
    """A warm rescan takes whole manifest entries from the cache: they must be exactly
    what a scan without the cache writes, on every sample (pass, fail, error, actions)."""
    d = tmp_path / "s"
    shutil.copytree(SAMPLES, d)
    cache = tmp_path / "c.sqlite"
    _settle()
    fresh = run_cli("scan", str(d), "--no-cache", "--lang", lang)
    run_cli("scan", str(d), "--cache", str(cache), "--lang", lang)
    db = sqlite3.connect(cache)
    stored = db.execute("SELECT count(*) FROM facts WHERE entry IS NOT NULL").fetchone()[0]
    db.close()
    assert stored == len(fresh.manifest["files"]) >= 10  # type: ignore[index]
    warm = run_cli("scan", str(d), "--cache", str(cache), "--lang", lang)
    assert _body(warm) == _body(fresh)


def test_stored_entry_is_not_reused_under_other_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another language, another policy, another display path: the file is not probed
    again (its facts are unchanged), but its entry is evaluated again, and then stored."""
    d = tmp_path / "d"
    d.mkdir()
    fr.jpeg(d / "a.jpg", fr.xmp(fr.alt("dc:rights", "© Foto Bureau Q")))
    cache = tmp_path / "c.sqlite"
    _settle()
    nl = run_cli("scan", str(d), "--cache", str(cache), "--lang", "nl")
    monkeypatch.setenv("MEDIAAUDIT_TEST_FAULT", "hang:a.jpg")
    en = run_cli("scan", str(d), "--cache", str(cache), "--lang", "en", "--timeout", "2")
    assert en.entry("a.jpg")["findings"][0]["message"] != \
        nl.entry("a.jpg")["findings"][0]["message"]
    assert en.entry("a.jpg")["findings"][0]["code"] == nl.entry("a.jpg")["findings"][0]["code"]
    # relative display path, from inside the folder
    rel = run_cli("scan", ".", "--cache", str(cache), "--lang", "en", "--timeout", "2", cwd=d)
    assert rel.manifest is not None and rel.manifest["files"][0]["path"] == "a.jpg"
    (d / "mediaaudit.toml").write_text('[policy]\norganisation = ["Foto Bureau Q"]\n')
    owned = run_cli("scan", str(d), "--cache", str(cache), "--lang", "en", "--timeout", "2")
    assert owned.entry("a.jpg")["rights"]["status"] == "owned"
    for r in (en, rel, owned):
        assert "MA-IO-005" not in r.codes("a.jpg")


def test_evaluation_key_names_every_rule(tmp_path: Path) -> None:
    from mediaaudit.policy import Policy
    from mediaaudit.profile import load_profile
    from mediaaudit.scan import evaluation_key

    nvf = load_profile("nvf-2024")
    base = evaluation_key(nvf, Policy(), "nl")
    assert base == evaluation_key(nvf, Policy(), "nl")
    assert base != evaluation_key(nvf, Policy(), "en")
    assert base != evaluation_key(nvf, Policy(organisations=("Gemeente X",)), "nl")
    assert base != evaluation_key(nvf, Policy(base=str(tmp_path)), "nl")
    other = tmp_path / "p.toml"
    other.write_text(Path(nvf.source).read_text(encoding="utf-8").replace(
        "Norm Voorkeursformaten", "Norm  Voorkeursformaten", 1), encoding="utf-8")
    assert base != evaluation_key(load_profile(str(other)), Policy(), "nl")


def test_warm_manifest_bytes_equal_cold_with_an_undecodable_name(tmp_path: Path) -> None:
    """Entries come back from the cache as the very lines a cold scan writes, also for a
    file name that is not UTF-8 (such an entry is not stored; it is evaluated again)."""
    d = tmp_path / "d"
    d.mkdir()
    shutil.copy(SAMPLES / "stadhuis.png", d / "gewoon.png")
    odd = os.path.join(os.fsencode(d), b"caf\xe9.png")
    with open(odd, "wb") as fh:
        fh.write((SAMPLES / "stadhuis.png").read_bytes())
    cache = tmp_path / "c.sqlite"
    _settle()
    outs = []
    for i in range(3):
        out = tmp_path / f"m{i}.json"
        run_cli("scan", str(d), "--cache", str(cache), "-o", str(out))
        outs.append([line for line in out.read_bytes().splitlines()
                     if b'"created"' not in line])
    assert outs[0] == outs[1] == outs[2]
    assert any(b"caf" in line for line in outs[0])


def test_an_edit_in_a_probe_subpackage_invalidates_cached_facts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The structure walkers live in probe/structure/: an edit there must change the
    probe version the cache is keyed on, as an edit to probe/*.py does."""
    from mediaaudit.engines import source_digest

    pkg = tmp_path / "probe"
    (pkg / "structure").mkdir(parents=True)
    (pkg / "run.py").write_text("x = 1\n")
    (pkg / "structure" / "png.py").write_text("CRC = True\n")
    before = source_digest(str(pkg))
    (pkg / "structure" / "png.py").write_text("CRC = False\n")
    assert source_digest(str(pkg)) != before
