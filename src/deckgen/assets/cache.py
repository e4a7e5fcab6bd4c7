"""The on-disk image cache: content-addressed blobs, an index by URL, cached renditions.

Layout under the cache folder::

    blobs/ab/abcdef...        the bytes a URL answered with (named by their SHA-256)
    index/12/1234....json     one entry per URL: blob, size, ETag, Last-Modified, fetched_at
    renditions/ab/abcdef...-<key>.<ext> and .json   converted / resized pictures
    failures/12/1234....json  a URL that could not be had lately: why, and when

Every write goes to a temporary file in the same folder and is renamed into place, so a
build killed at any moment (even with ``kill -9``) leaves either the old file or the new
one, never a torn one; a leftover temporary file is never read. The order of the writes
makes a half-finished store harmless: a blob is written before the index entry naming it,
a rendition's picture before the metadata that makes it visible. Entries are trusted only
when the blob they name exists with the recorded size, and a blob read for conversion must
hash to its name. Any number of builds (threads or processes) may use one cache at once.

A cache that cannot be written (a read-only disk, a CI cache restored read-only, a full
quota) is still read: the first write that fails turns on a *spill*, a temporary folder of
the same layout where this build's writes go and where reads look first; ``unwritable`` keeps
why, for the build to say once; ``close`` removes the spill. ``work_root`` is the folder the
writers keep their own things in (reveal.js, slide masters, cut fonts): the cache itself, or,
once spilled, the spill with links to what the cache already holds. ``info``, ``clear`` and
``prune`` are in ``cachetidy``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.assets.cachenames import FAILURE_MAX_AGE, FAILURES, HELD, SUBDIRS
from deckgen.assets.cachenames import STALE_TMP_SECONDS as STALE_TMP_SECONDS  # the cache's, for its users
from deckgen.fileio import TMP_PREFIX, atomic_write

if TYPE_CHECKING:  # the tidying is loaded by ``deckgen cache``, not by every build
    from deckgen.assets.cachetidy import CacheInfo, Removed

CACHE_ENV = "DECKGEN_CACHE_DIR"
DEFAULT_MAX_AGE = 7 * 24 * 3600.0
TRANSIENT_FAILURE_MAX_AGE = 2 * 60.0  # a timeout, a 5xx, a broken connection: soon again
_PICTURE_STORE = frozenset((*SUBDIRS, FAILURES, HELD))  # the rest belongs to the writers


def default_cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir  # only when no folder was given

    return Path(user_cache_dir("deckgen", appauthor=False))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class CorruptBlob(OSError):
    """A cached file does not hold what its name says (it is deleted when found)."""


@dataclass(frozen=True)
class Entry:
    """What the index knows about one URL."""

    url: str
    blob: str  # SHA-256 of the body
    size: int
    etag: str = ""
    last_modified: str = ""
    fetched_at: float = 0.0  # when the server last confirmed the body (200 or 304)
    location: str = ""  # the address the body came from, when not ``url`` (a raw GitHub file)


@dataclass(frozen=True)
class Rendition:
    path: Path
    width: int
    height: int
    fmt: str
    source_width: int
    source_height: int


class Hold:
    """Hard links to the cache files one build uses, in a folder of its own.

    ``cache clear`` and ``cache prune`` delete the cache's files, never a build's links to
    them, so a build that found a file keeps it until it ends (``close``). A build killed
    before closing leaves its folder; prune and clear delete such folders once stale.

    Given a ``Cache`` that cannot be written, the hold turns its spill on and holds nothing:
    ``keep`` gives the file's own path (what this build cannot write, it cannot clear either)."""

    def __init__(self, cache: Path | Cache) -> None:
        root = cache.root if isinstance(cache, Cache) else Path(cache)
        self.dir: Path | None = None
        try:
            parent = root / HELD
            parent.mkdir(parents=True, exist_ok=True)
            self.dir = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=parent))
        except OSError as exc:
            if not isinstance(cache, Cache):
                raise
            cache.spill_after(exc)

    def keep(self, path: Path) -> Path:
        """A path to ``path``'s file that lasts until ``close`` (FileNotFoundError if gone)."""
        if self.dir is None:
            if not path.exists():
                raise FileNotFoundError(path)
            return path
        target = self.dir / path.name
        try:
            os.link(path, target)
        except FileExistsError:
            pass
        except FileNotFoundError:
            raise
        except OSError:  # no hard links here: a copy, renamed into place
            atomic_write(target, path.read_bytes())
        return target

    def close(self) -> None:
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Hold:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self.unwritable: OSError | None = None  # why the cache could not be written (spilled)
        self._spill: Path | None = None
        self._view: Path | None = None
        self._lock = threading.Lock()

    # -- a cache that cannot be written --------------------------------------
    def spill_after(self, exc: OSError) -> Path:
        """From now on write into a temporary folder (made once); ``exc`` says why."""
        with self._lock:
            if self._spill is None:
                self._spill = Path(tempfile.mkdtemp(prefix="deckgen-spill-"))  # OSError: nowhere
                self.unwritable = exc
            return self._spill

    def work_root(self) -> Path:
        """Where the writers keep their cached things: the cache, or once it could not be
        written, the spill with a link to each thing the cache holds (read there, written here)."""
        spill = self._spill
        if spill is None:
            return self.root
        with self._lock:
            if self._view is None:
                self._view = spill / "work"
                _link_view(self.root, self._view)
            return self._view

    def close(self) -> None:
        """Remove the spill (what this build fetched without a cache to keep it in)."""
        with self._lock:
            spill, self._spill, self._view = self._spill, None, None
        if spill is not None:
            shutil.rmtree(spill, ignore_errors=True)

    def __enter__(self) -> Cache:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _path(self, rel: str) -> Path:
        """Where ``rel`` is read: the spill's copy, else the cache's."""
        spill = self._spill
        if spill is not None and os.path.lexists(spill / rel):
            return spill / rel
        return self.root / rel

    def _put(self, rel: str, data: bytes) -> Path:
        """Write ``rel`` whole, in the cache or, once it cannot be written, in the spill."""
        if self._spill is None:
            for attempt in range(3):
                try:
                    atomic_write(self.root / rel, data)
                    return self.root / rel
                except FileNotFoundError as exc:  # a folder a `cache clear` removed meanwhile:
                    if attempt == 2:  # made again, unless it keeps going
                        self.spill_after(exc)
                except OSError as exc:
                    self.spill_after(exc)
                    break
        assert self._spill is not None
        atomic_write(self._spill / rel, data)
        return self._spill / rel

    def _remove(self, rel: str) -> None:
        for base in (self._spill, self.root):
            if base is not None:
                try:
                    (base / rel).unlink(missing_ok=True)
                except OSError:  # a cache that cannot be written keeps it: the spill's copy wins
                    pass

    # -- paths ---------------------------------------------------------------
    @staticmethod
    def _index_rel(url: str, sub: str = "index") -> str:
        key = sha256(url.encode("utf-8"))
        return f"{sub}/{key[:2]}/{key}.json"

    def _index_path(self, url: str, sub: str = "index") -> Path:
        return self._path(self._index_rel(url, sub))

    def blob_path(self, digest: str) -> Path:
        return self._path(f"blobs/{digest[:2]}/{digest}")

    @staticmethod
    def _rendition_rel(digest: str, key: str, suffix: str) -> str:
        return f"renditions/{digest[:2]}/{digest}-{key}{suffix}"

    # -- URL index -----------------------------------------------------------
    def lookup(self, url: str) -> Entry | None:
        """The entry for ``url`` if its blob is present and whole."""
        try:
            raw = json.loads(self._index_path(url).read_bytes())
            entry = Entry(**raw)
            if entry.url != url or not isinstance(entry.fetched_at, int | float):
                return None
            if self.blob_path(entry.blob).stat().st_size != entry.size:
                return None
        except (OSError, ValueError, TypeError):
            return None
        return entry

    def store(
        self,
        url: str,
        body: bytes,
        etag: str = "",
        last_modified: str = "",
        now: float | None = None,
        location: str = "",
    ) -> Entry:
        """Keep ``body`` as the answer of ``url`` (the blob first, then the entry naming it)."""
        digest = sha256(body)
        try:
            whole = self.blob_path(digest).stat().st_size == len(body)
        except OSError:
            whole = False
        if not whole:
            self._put(f"blobs/{digest[:2]}/{digest}", body)
        entry = Entry(
            url, digest, len(body), etag, last_modified, time.time() if now is None else now, location
        )
        self._write_entry(entry)
        return entry

    def touch(self, entry: Entry, etag: str = "", last_modified: str = "", now: float | None = None) -> Entry:
        """Record that ``entry`` was revalidated (a 304 answer)."""
        fresh = dataclasses.replace(
            entry,
            etag=etag or entry.etag,
            last_modified=last_modified or entry.last_modified,
            fetched_at=time.time() if now is None else now,
        )
        self._write_entry(fresh)
        return fresh

    def forget(self, url: str) -> None:
        self._remove(self._index_rel(url))

    def _write_entry(self, entry: Entry) -> None:
        self._put(self._index_rel(entry.url), json.dumps(asdict(entry), ensure_ascii=False).encode("utf-8"))

    def read_blob(self, entry: Entry) -> bytes:
        """The blob's bytes, checked against its name (raises OSError, CorruptBlob)."""
        path = self.blob_path(entry.blob)
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # removed meanwhile (a prune, a clear)
            raise CorruptBlob(f"cached copy missing: {path}") from None
        if sha256(data) != entry.blob:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass
            raise CorruptBlob(f"cached copy damaged: {path}")
        return data

    # -- failures --------------------------------------------------------------
    def failure(
        self, url: str, now: float, max_bytes: int | None = None, timeout: float | None = None
    ) -> tuple[str, float] | None:
        """Why ``url`` failed and when, while that failure is remembered (its own lifetime;
        a failure recorded under another size limit or timeout is not reused)."""
        try:
            raw = json.loads(self._index_path(url, FAILURES).read_bytes())
            reason, at, lifetime = raw["reason"], raw["at"], raw.get("for", FAILURE_MAX_AGE)
            if raw["url"] != url or not isinstance(reason, str) or not isinstance(at, int | float):
                return None
            for limit, asked in (("max_bytes", max_bytes), ("timeout", timeout)):
                recorded = raw.get(limit)
                if asked is not None and recorded is not None and recorded != asked:
                    return None
        except (OSError, ValueError, TypeError, KeyError, AttributeError):
            return None
        if not isinstance(lifetime, int | float):
            return None
        return (reason, float(at)) if 0 <= now - at < min(float(lifetime), FAILURE_MAX_AGE) else None

    def store_failure(
        self,
        url: str,
        reason: str,
        now: float,
        transient: bool = False,
        max_bytes: int | None = None,
        timeout: float | None = None,
    ) -> None:
        """Remember that ``url`` failed; a cache that cannot be written only means asking again."""
        lifetime = TRANSIENT_FAILURE_MAX_AGE if transient else FAILURE_MAX_AGE
        record = {"url": url, "reason": reason, "at": now, "for": lifetime, "max_bytes": max_bytes}
        if timeout is not None:
            record["timeout"] = timeout
        try:
            self._put(self._index_rel(url, FAILURES), json.dumps(record, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass

    def forget_failure(self, url: str) -> None:
        self._remove(self._index_rel(url, FAILURES))

    # -- renditions ----------------------------------------------------------
    def rendition(self, digest: str, key: str) -> Rendition | None:
        try:
            meta = json.loads(self._path(self._rendition_rel(digest, key, ".json")).read_bytes())
            path = self._path(self._rendition_rel(digest, key, f".{meta['ext']}"))
            if path.stat().st_size != meta["size"]:
                return None
            return Rendition(
                path, meta["width"], meta["height"], meta["fmt"], meta["source_width"], meta["source_height"]
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def store_rendition(
        self,
        digest: str,
        key: str,
        data: bytes,
        fmt: str,
        width: int,
        height: int,
        source_width: int,
        source_height: int,
    ) -> Rendition:
        ext = {"jpeg": "jpg"}.get(fmt, fmt)
        path = self._put(self._rendition_rel(digest, key, f".{ext}"), data)
        meta = {
            "ext": ext,
            "size": len(data),
            "width": width,
            "height": height,
            "fmt": fmt,
            "source_width": source_width,
            "source_height": source_height,
        }
        # the metadata is written last: a rendition without it is never trusted
        self._put(self._rendition_rel(digest, key, ".json"), json.dumps(meta).encode("utf-8"))
        return Rendition(path, width, height, fmt, source_width, source_height)

    # -- what a picture's header said ----------------------------------------------
    def probe(self, digest: str, key: str) -> dict | None:
        try:
            meta = json.loads(self._path(self._rendition_rel(digest, key, ".json")).read_bytes())
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def store_probe(self, digest: str, key: str, meta: dict) -> None:
        self._put(self._rendition_rel(digest, key, ".json"), json.dumps(meta).encode("utf-8"))

    # -- maintenance (cachetidy) ---------------------------------------------------
    def info(self) -> CacheInfo:
        from deckgen.assets import cachetidy

        return cachetidy.info(self.root)

    def clear(self) -> Removed:
        from deckgen.assets import cachetidy

        return cachetidy.clear(self.root)

    def prune(self, older_than: float, now: float | None = None) -> Removed:
        from deckgen.assets import cachetidy

        return cachetidy.prune(self.root, older_than, now)


def _link_view(root: Path, view: Path) -> None:
    """``view``: a link to each file of the writers' part of ``root`` (folders made real, one
    level down), so that what the cache holds is read and what is new is written in ``view``."""
    view.mkdir(parents=True, exist_ok=True)
    try:
        names = [p for p in root.iterdir() if p.name not in _PICTURE_STORE and not p.name.startswith(TMP_PREFIX)]
    except OSError:
        return
    for path in names:
        try:
            if path.is_dir() and not path.name.startswith("reveal.js-"):
                (view / path.name).mkdir(exist_ok=True)
                for child in path.iterdir():
                    os.symlink(child, view / path.name / child.name)
            else:  # a file, or the reveal.js copy (replaced whole if damaged, never written into)
                os.symlink(path, view / path.name)
        except OSError:
            continue
