"""Files written whole or not at all: the bytes go to a temporary file beside the target,
which then takes the target's name in one rename. Readers see the old file or the new one.
A folder of files likewise (``write_folder``)."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import BinaryIO

TMP_PREFIX = ".tmp-"  # what a temporary file's name starts with (a cache sweep removes stale ones)
# ... then the pid of the process writing it and tempfile's 8 characters: ``.tmp-1234-ab_cd9ef.tmp``
TMP_NAME = re.compile(r"\.tmp-(?P<pid>\d+)-[a-z0-9_]{8}\.tmp")


def _file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


FILE_MODE = _file_mode()  # what open() would give: mkstemp makes files private, outputs must be readable


def stage_bytes(path: Path, data: bytes, prefix: str | None = None) -> Path:
    """``data`` in a new temporary file beside ``path`` (not yet in its place); raises OSError."""
    return stage_stream(path, lambda handle: handle.write(data), prefix)


def stage_stream(path: Path, fill: Callable[[BinaryIO], object], prefix: str | None = None) -> Path:
    """A new temporary file beside ``path`` that ``fill`` writes into (a deck written straight
    to disk, never held whole in memory); not yet in its place. Raises OSError."""
    prefix = f"{TMP_PREFIX}{os.getpid()}-" if prefix is None else prefix
    fd, tmp = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w+b") as handle:
            fill(handle)
        os.chmod(tmp, FILE_MODE)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see all of it or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = stage_bytes(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sweep_stale(folder: Path, before: float) -> None:
    """Remove from ``folder`` the temporary files (``TMP_NAME``) of processes that are gone,
    older than ``before``: what a write killed between its two steps left. Nothing else."""
    try:
        names = [entry.name for entry in os.scandir(folder) if entry.name.startswith(TMP_PREFIX)]
    except OSError:
        return
    for name in names:
        m = TMP_NAME.fullmatch(name)
        if m is None or running(int(m.group("pid"))):
            continue
        try:
            if (folder / name).lstat().st_mtime < before:
                (folder / name).unlink()
        except OSError:
            continue


def running(pid: int) -> bool:
    """Is ``pid`` this process, or another that is running (or not ours to ask about)?"""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    try:  # a zombie (dead, not yet reaped by whoever adopted it) runs no more
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rpartition(b")")[2].split()[0] not in (b"Z", b"X")
    except (OSError, IndexError):
        return True


def write_folder(files: Mapping[str, bytes], folder: Path, is_good: Callable[[Path], bool]) -> None:
    """Put ``files`` (relative path -> bytes) at ``folder`` all at once: a temporary folder
    beside it, renamed into place. A folder already there that ``is_good`` is kept (another
    process got there first); one that is not is moved aside and replaced. Raises OSError."""
    if is_good(folder):
        return
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"{TMP_PREFIX}{folder.name}-", dir=folder.parent))
    try:
        for rel, data in files.items():
            target = tmp / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        for attempt in range(3):
            try:
                os.replace(tmp, folder)
                return
            except OSError:
                if is_good(folder):
                    return  # another process won the race with a good copy: use theirs
                if attempt == 2 or not folder.exists():
                    raise
                # a damaged copy is in the way: move it aside (atomically), then drop it
                stale = Path(tempfile.mkdtemp(prefix=f".stale-{folder.name}-", dir=folder.parent))
                try:
                    os.replace(folder, stale / "old")
                except FileNotFoundError:
                    pass  # someone else moved it meanwhile
                shutil.rmtree(stale, ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
