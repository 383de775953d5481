"""watch hygiene (issue 22, item 8 in part): the subfolders of the drop folder that routing
emptied are removed; the drop folder, a folder that still holds anything and a folder that
was empty before are kept."""

from __future__ import annotations

from pathlib import Path

from test_watch import log_entries
from test_watch_isolation import CC0, tiny_png, watch_once


def test_folders_routing_emptied_are_removed_and_nothing_else(tmp_path: Path) -> None:
    drop, out = tmp_path / "drop", tmp_path / "out"
    (drop / "Levering 12" / "dag 1").mkdir(parents=True)
    (drop / "keep").mkdir()
    (drop / "empty before").mkdir()
    (drop / "mediaaudit.toml").write_text(CC0)
    tiny_png(drop / "Levering 12" / "dag 1" / "a.png", 1)
    tiny_png(drop / "Levering 12" / "b.png", 2)
    tiny_png(drop / "keep" / "c.png", 3)
    (drop / "keep" / ".notes").write_text("the uploader's own hidden file")  # never audited
    tiny_png(drop / "top.png", 4)
    run = watch_once(drop, out)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert len(log_entries(drop)) == 4
    assert sorted(p.name for p in drop.iterdir()) == [
        ".mediaaudit", "empty before", "keep", "mediaaudit.toml"]
    assert [p.name for p in (drop / "keep").iterdir()] == [".notes"]
    assert (out / "approved" / "Levering 12" / "dag 1" / "a.png").is_file()
    assert (out / "approved" / "Levering 12" / "b.png").is_file()
