"""The on-disk image cache: content-addressed blobs, an index by URL, cached renditions.

Layout under the cache folder::

    blobs/ab/abcdef...        the bytes a URL answered with (named by their SHA-256)
    index/12/1234....json     one entry per URL: blob, ETag, Last-Modified, fetched_at
    renditions/ab/abcdef...-<key>.<ext> and .json   converted / resized pictures

Every write goes to a temporary file in the same folder and is renamed into place, so a
build killed at any moment leaves either the old entry or the new one, never a torn one.
Entries are only trusted when the blob they name exists with the right size.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_cache_dir

CACHE_ENV = "DECKGEN_CACHE_DIR"
DEFAULT_MAX_AGE = 7 * 24 * 3600.0


def default_cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    return Path(user_cache_dir("deckgen", appauthor=False))


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see all of it or nothing."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@dataclass(frozen=True)
class Entry:
    url: str
    blob: str
    size: int
    etag: str = ""
    last_modified: str = ""
    fetched_at: float = 0.0


@dataclass(frozen=True)
class Rendition:
    path: Path
    width: int
    height: int
    fmt: str
    source_width: int
    source_height: int


@dataclass(frozen=True)
class CacheInfo:
    entries: int
    blobs: int
    renditions: int
    bytes: int
    oldest: float | None


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = root

    # -- paths ---------------------------------------------------------------
    def _index_path(self, url: str) -> Path:
        key = sha256(url.encode("utf-8"))
        return self.root / "index" / key[:2] / f"{key}.json"

    def blob_path(self, digest: str) -> Path:
        return self.root / "blobs" / digest[:2] / digest

    def _rendition_base(self, digest: str, key: str) -> Path:
        return self.root / "renditions" / digest[:2] / f"{digest}-{key}"

    # -- URL index -----------------------------------------------------------
    def lookup(self, url: str) -> Entry | None:
        """The entry for ``url`` if its blob is present and whole."""
        try:
            raw = json.loads(self._index_path(url).read_text("utf-8"))
            entry = Entry(**raw)
        except (OSError, ValueError, TypeError):
            return None
        if entry.url != url:
            return None
        try:
            if self.blob_path(entry.blob).stat().st_size != entry.size:
                return None
        except OSError:
            return None
        return entry

    def store(
        self, url: str, body: bytes, etag: str = "", last_modified: str = "", now: float | None = None
    ) -> Entry:
        digest = sha256(body)
        blob = self.blob_path(digest)
        if not blob.exists() or blob.stat().st_size != len(body):
            atomic_write(blob, body)
        entry = Entry(url, digest, len(body), etag, last_modified, now or time.time())
        self._write_entry(entry)
        return entry

    def touch(self, entry: Entry, etag: str = "", last_modified: str = "", now: float | None = None) -> Entry:
        """Record that ``entry`` was revalidated (a 304 answer)."""
        fresh = Entry(
            entry.url,
            entry.blob,
            entry.size,
            etag or entry.etag,
            last_modified or entry.last_modified,
            now or time.time(),
        )
        self._write_entry(fresh)
        return fresh

    def _write_entry(self, entry: Entry) -> None:
        atomic_write(
            self._index_path(entry.url), json.dumps(entry.__dict__, ensure_ascii=False).encode("utf-8")
        )

    def read_blob(self, entry: Entry) -> bytes:
        return self.blob_path(entry.blob).read_bytes()

    # -- renditions ----------------------------------------------------------
    def rendition(self, digest: str, key: str) -> Rendition | None:
        base = self._rendition_base(digest, key)
        try:
            meta = json.loads(base.with_name(base.name + ".json").read_text("utf-8"))
            path = base.with_name(f"{base.name}.{meta['ext']}")
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
        base = self._rendition_base(digest, key)
        ext = {"jpeg": "jpg"}.get(fmt, fmt)
        path = base.with_name(f"{base.name}.{ext}")
        atomic_write(path, data)
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
        atomic_write(base.with_name(base.name + ".json"), json.dumps(meta).encode("utf-8"))
        return Rendition(path, width, height, fmt, source_width, source_height)

    # -- maintenance -----------------------------------------------------------
    def info(self) -> CacheInfo:
        entries = blobs = renditions = total = 0
        oldest: float | None = None
        for sub, kind in (("index", "index"), ("blobs", "blob"), ("renditions", "rendition")):
            folder = self.root / sub
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                if not path.is_file() or path.name.startswith(".tmp-"):
                    continue
                total += path.stat().st_size
                if kind == "index":
                    entries += 1
                    try:
                        fetched = json.loads(path.read_text("utf-8"))["fetched_at"]
                        oldest = fetched if oldest is None else min(oldest, fetched)
                    except (OSError, ValueError, KeyError):
                        pass
                elif kind == "blob":
                    blobs += 1
                elif path.suffix != ".json":
                    renditions += 1
        return CacheInfo(entries, blobs, renditions, total, oldest)

    def clear(self) -> None:
        for sub in ("index", "blobs", "renditions"):
            shutil.rmtree(self.root / sub, ignore_errors=True)

    def prune(self, older_than: float, now: float | None = None) -> int:
        """Drop entries fetched more than ``older_than`` seconds ago, then unused blobs."""
        now = now or time.time()
        removed = 0
        keep: set[str] = set()
        index = self.root / "index"
        for path in index.rglob("*.json") if index.is_dir() else ():
            try:
                raw = json.loads(path.read_text("utf-8"))
            except (OSError, ValueError):
                path.unlink(missing_ok=True)
                continue
            if now - float(raw.get("fetched_at", 0)) > older_than:
                path.unlink(missing_ok=True)
                removed += 1
            else:
                keep.add(str(raw.get("blob", "")))
        for folder in ("blobs", "renditions"):
            root = self.root / folder
            for path in root.rglob("*") if root.is_dir() else ():
                if path.is_file() and path.name.split("-")[0].split(".")[0] not in keep:
                    path.unlink(missing_ok=True)
        return removed
