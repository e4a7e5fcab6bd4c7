"""What the picture cache holds (``info``), and emptying or thinning it (``clear``, ``prune``)
for ``deckgen cache``, saying exactly what was removed and what could not be: a cache on a
read-only disk, or files of another user, stay where they are and are counted (``Removed``).

``clear`` and ``prune`` never remove a running build's held links (``cache.Hold``), only
holds left by builds that died long ago."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from deckgen.assets.cachenames import FAILURE_MAX_AGE, FAILURES, HELD, MEMOS, STALE_TMP_SECONDS, SUBDIRS
from deckgen.fileio import TMP_PREFIX


@dataclass(frozen=True)
class CacheInfo:
    entries: int  # URLs in the index
    blobs: int
    renditions: int
    bytes: int
    oldest: float | None  # the oldest fetched_at, or None when the index is empty


@dataclass(frozen=True)
class Removed:
    """What ``clear`` or ``prune`` removed, and what it could not."""

    entries: int = 0  # index entries removed
    files: int = 0  # blobs and renditions removed
    bytes: int = 0  # of everything removed (metadata and temporary files too)
    left: int = 0  # files of any kind that could not be removed
    left_bytes: int = 0
    reason: str = ""  # why the first of them could not be (``Read-only file system``)

    @property
    def complete(self) -> bool:
        return self.left == 0


Role = Literal["entry", "file", "other"]  # an index entry, a blob or a rendition, the rest


class _Tally:
    def __init__(self) -> None:
        self.counts = {"entry": 0, "file": 0, "other": 0}
        self.bytes = self.left = self.left_bytes = 0
        self.reason = ""

    def remove(self, path: Path, role: Role, size: int) -> bool:
        """Unlink ``path``; True if it is gone (a file removed meanwhile counts for no one)."""
        try:
            path.unlink()
        except FileNotFoundError:
            return True
        except OSError as exc:
            self.left += 1
            self.left_bytes += size
            self.reason = self.reason or exc.strerror or type(exc).__name__
            return False
        self.counts[role] += 1
        self.bytes += size
        return True

    def result(self) -> Removed:
        return Removed(self.counts["entry"], self.counts["file"], self.bytes, self.left, self.left_bytes, self.reason)


def _files(root: Path, sub: str) -> Iterator[Path]:
    folder = root / sub
    if not folder.is_dir():
        return
    for path in folder.rglob("*"):
        try:
            if path.is_file():
                yield path
        except OSError:
            continue


def _role(sub: str, path: Path) -> Role:
    if path.name.startswith(TMP_PREFIX) or sub == FAILURES:
        return "other"
    if sub == "index":
        return "entry"
    return "file" if sub == "blobs" or path.suffix != ".json" else "other"


def info(root: Path) -> CacheInfo:
    entries = blobs = renditions = total = 0
    oldest: float | None = None
    for sub in SUBDIRS:
        for path in _files(root, sub):
            if path.name.startswith(TMP_PREFIX):
                continue
            try:
                total += path.stat().st_size
            except OSError:  # removed meanwhile by another process
                continue
            if sub == "index":
                entries += 1
                fetched = _fetched_at(path)
                if fetched is not None:
                    oldest = fetched if oldest is None else min(oldest, fetched)
            elif sub == "blobs":
                blobs += 1
            elif path.suffix != ".json":
                renditions += 1
    return CacheInfo(entries, blobs, renditions, total, oldest)


def clear(root: Path) -> Removed:
    """Delete every cached image (index, blobs, renditions, remembered failures) and what the
    writers remember of last builds."""
    tally = _Tally()
    for sub in (*SUBDIRS, FAILURES, *MEMOS):
        for path in list(_files(root, sub)):
            tally.remove(path, _role(sub, path), _size(path))
        if tally.left == 0:
            shutil.rmtree(root / sub, ignore_errors=True)  # the emptied folders
    _drop_stale_holds(root, time.time())  # running builds' links stay
    return tally.result()


def prune(root: Path, older_than: float, now: float | None = None) -> Removed:
    """Drop what was not fetched or revalidated in the last ``older_than`` seconds.

    An index entry goes when its ``fetched_at`` is older than that; a blob or a
    rendition goes when no remaining entry uses it *and* its file is older than that
    too (a rendition of a local picture has no entry; a file a running build has just
    written is young). Temporary files go once they are clearly abandoned."""
    now = time.time() if now is None else now
    cutoff = now - older_than
    _drop_stale_holds(root, now)
    tally = _Tally()
    for path in list(_files(root, FAILURES)):  # short-lived records: any older than the cutoff go
        try:
            stat = path.stat()
        except OSError:
            continue
        if stat.st_mtime < max(cutoff, now - FAILURE_MAX_AGE):
            tally.remove(path, "other", stat.st_size)
    for sub in MEMOS:  # a post not built for that long
        for path in list(_files(root, sub)):
            try:
                stat = path.stat()
            except OSError:
                continue
            if stat.st_mtime < cutoff:
                tally.remove(path, "other", stat.st_size)
    keep: set[str] = set()
    for path in list(_files(root, "index")):
        if path.name.startswith(TMP_PREFIX):
            continue
        try:
            size = path.stat().st_size
            raw = json.loads(path.read_bytes())
        except OSError:  # removed meanwhile
            continue
        except ValueError:
            raw = None
        fetched = raw.get("fetched_at") if isinstance(raw, dict) else None
        old = not isinstance(fetched, int | float) or fetched < cutoff
        if (not old or not tally.remove(path, "entry", size)) and isinstance(raw, dict):
            keep.add(str(raw.get("blob", "")))  # an entry that stays keeps its blob
    for sub in SUBDIRS:
        for path in list(_files(root, sub)):
            try:
                stat = path.stat()
            except OSError:
                continue
            if path.name.startswith(TMP_PREFIX):
                doomed = stat.st_mtime < now - STALE_TMP_SECONDS
            elif sub == "index":
                continue
            else:
                digest = path.name.split("-", 1)[0].split(".", 1)[0]
                doomed = digest not in keep and stat.st_mtime < cutoff
            if doomed:
                tally.remove(path, _role(sub, path), stat.st_size)
    return tally.result()


def _drop_stale_holds(root: Path, now: float) -> None:
    folder = root / HELD
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        try:
            if path.stat().st_mtime < now - STALE_TMP_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _fetched_at(path: Path) -> float | None:
    """An index file's ``fetched_at``, or None when the file is not a valid entry."""
    try:
        value = json.loads(path.read_bytes()).get("fetched_at")
    except (OSError, ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) else None
