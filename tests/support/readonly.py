"""A folder that no process can write, root included (tests may run as root, and root ignores
permissions): a tmpfs mounted on it with its files, then remounted read-only; or, where tmpfs
cannot be mounted, a read-only bind mount of itself; without root, plain permissions.

    with read_only(folder) as how:   # "tmpfs", "bind" or "chmod"
        ...                          # writing under ``folder`` fails with EROFS / EACCES

Skipped (with the reason) when none of these works; under CI (DECKGEN_NO_SKIP=1) that skip
is a failure, as every skip is.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


def _mount(*args: str) -> bool:
    done = subprocess.run(["mount", *args], capture_output=True, text=True, check=False)
    return done.returncode == 0


def _umount(folder: Path) -> None:
    subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


def _writable(folder: Path) -> bool:
    try:
        fd, name = tempfile.mkstemp(dir=folder)
    except OSError:
        return False
    os.close(fd)
    os.unlink(name)
    return True


def _chmod_tree(folder: Path, write: bool) -> None:
    for path in [folder, *folder.rglob("*")]:
        if path.is_symlink():
            continue
        mode = path.stat().st_mode & 0o777
        if path.is_dir():
            mode = mode | 0o700 if write else mode & ~0o222
        else:
            mode = mode | 0o600 if write else mode & ~0o222
        path.chmod(mode)


@contextmanager
def read_only(folder: Path) -> Iterator[str]:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        _chmod_tree(folder, write=False)
        try:
            yield "chmod"
        finally:
            _chmod_tree(folder, write=True)
        return
    if shutil.which("mount") is None:
        pytest.skip("running as root without mount(8): no way to make a folder read-only for root")
    stash = Path(tempfile.mkdtemp(prefix="deckgen-ro-"))
    try:
        shutil.copytree(folder, stash / "copy", symlinks=True)
        how = ""
        if _mount("-t", "tmpfs", "-o", "size=256m,mode=0755", "tmpfs", str(folder)):
            shutil.copytree(stash / "copy", folder, symlinks=True, dirs_exist_ok=True)
            how = "tmpfs" if _mount("-o", "remount,ro", str(folder)) else ""
            if not how:
                _umount(folder)
        if not how and _mount("--bind", str(folder), str(folder)):
            how = "bind" if _mount("-o", "remount,bind,ro", str(folder)) else ""
            if not how:
                _umount(folder)
        if not how:
            pytest.skip("running as root where neither a tmpfs nor a bind mount can be mounted: "
                        "no way to make a folder read-only for root")
        assert not _writable(folder), f"{folder} is still writable after a read-only {how} mount"
        try:
            yield how
        finally:
            _umount(folder)
    finally:
        shutil.rmtree(stash, ignore_errors=True)
