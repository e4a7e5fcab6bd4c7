"""Tests of deckgen.fileio: a file is written whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from deckgen.fileio import FILE_MODE, TMP_PREFIX, atomic_write, stage_bytes


def test_atomic_write_replaces_the_whole_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.bin"
    atomic_write(target, b"old")
    atomic_write(target, b"new contents")
    assert target.read_bytes() == b"new contents"
    assert [p.name for p in target.parent.iterdir()] == ["out.bin"]
    assert target.stat().st_mode & 0o777 == FILE_MODE  # readable as open() would make it


def test_a_failed_write_leaves_the_old_file_and_nothing_else(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    atomic_write(target, b"old")
    with pytest.raises(TypeError):
        atomic_write(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_stage_bytes_puts_a_temporary_beside_the_target(tmp_path: Path) -> None:
    tmp = stage_bytes(tmp_path / "deck.pptx", b"x", prefix=".deck.pptx.")
    assert tmp.parent == tmp_path and tmp.name.startswith(".deck.pptx.") and tmp.read_bytes() == b"x"
    os.unlink(tmp)
    assert TMP_PREFIX.startswith(".")


def test_a_zombie_is_not_running() -> None:
    import os
    import time

    from deckgen.fileio import running

    pid = os.fork()
    if pid == 0:
        os._exit(0)
    try:
        deadline = time.monotonic() + 5
        while running(pid) and time.monotonic() < deadline:  # dead, not reaped: a zombie
            time.sleep(0.01)
        assert not running(pid)
        assert running(os.getpid())
    finally:
        os.waitpid(pid, 0)
