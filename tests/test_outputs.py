"""outputs.py: each deck written whole or not at all, and the removal of what it replaces."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.outputs import atomic_dir as _atomic_dir


def test_a_folder_output_is_swapped_in_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "deck"
    target.mkdir()
    (target / "index.html").write_text("old", "utf-8")

    def broken(folder: Path) -> None:
        (folder / "index.html").write_text("half", "utf-8")
        raise RuntimeError("stopped half-way")

    with pytest.raises(RuntimeError):
        _atomic_dir(target, broken)
    assert (target / "index.html").read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck"]
    _atomic_dir(target, lambda folder: (folder / "index.html").write_text("new", "utf-8"))
    assert (target / "index.html").read_text("utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck"]
