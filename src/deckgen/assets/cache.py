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
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from platformdirs import user_cache_dir

from deckgen.fileio import TMP_PREFIX, atomic_write

CACHE_ENV = "DECKGEN_CACHE_DIR"
DEFAULT_MAX_AGE = 7 * 24 * 3600.0
# a failed picture is asked for again after this long (or with --refresh), not on every build
FAILURE_MAX_AGE = 15 * 60.0
TRANSIENT_FAILURE_MAX_AGE = 2 * 60.0  # a timeout, a 5xx, a broken connection: soon again
# a temporary file this old belongs to a build that died: prune may delete it
STALE_TMP_SECONDS = 3600.0
_SUBDIRS = ("index", "blobs", "renditions")
_FAILURES = "failures"
HELD = "held"  # per-build folders of hard links (see ``Hold``), outside what clear removes


def default_cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
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


@dataclass(frozen=True)
class CacheInfo:
    entries: int  # URLs in the index
    blobs: int
    renditions: int
    bytes: int
    oldest: float | None  # the oldest fetched_at, or None when the index is empty


@dataclass(frozen=True)
class Pruned:
    entries: int  # index entries removed
    files: int  # blobs and renditions removed
    bytes: int


class Hold:
    """Hard links to the cache files one build uses, in a folder of its own.

    ``cache clear`` and ``cache prune`` delete the cache's files, never a build's links to
    them, so a build that found a file keeps it until it ends (``close``). A build killed
    before closing leaves its folder; prune and clear delete such folders once stale."""

    def __init__(self, cache_root: Path) -> None:
        parent = Path(cache_root) / HELD
        parent.mkdir(parents=True, exist_ok=True)
        self.dir = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=parent))

    def keep(self, path: Path) -> Path:
        """A path to ``path``'s file that lasts until ``close`` (FileNotFoundError if gone)."""
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
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> Hold:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


class Cache:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- paths ---------------------------------------------------------------
    def _index_path(self, url: str, sub: str = "index") -> Path:
        key = sha256(url.encode("utf-8"))
        return self.root / sub / key[:2] / f"{key}.json"

    def blob_path(self, digest: str) -> Path:
        return self.root / "blobs" / digest[:2] / digest

    def _rendition_base(self, digest: str, key: str) -> Path:
        return self.root / "renditions" / digest[:2] / f"{digest}-{key}"

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
        blob = self.blob_path(digest)
        try:
            whole = blob.stat().st_size == len(body)
        except OSError:
            whole = False
        if not whole:
            atomic_write(blob, body)
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
        self._index_path(url).unlink(missing_ok=True)

    def _write_entry(self, entry: Entry) -> None:
        atomic_write(
            self._index_path(entry.url), json.dumps(asdict(entry), ensure_ascii=False).encode("utf-8")
        )

    def read_blob(self, entry: Entry) -> bytes:
        """The blob's bytes, checked against its name (raises OSError, CorruptBlob)."""
        path = self.blob_path(entry.blob)
        try:
            data = path.read_bytes()
        except FileNotFoundError:  # removed meanwhile (a prune, a clear)
            raise CorruptBlob(f"cached copy missing: {path}") from None
        if sha256(data) != entry.blob:
            path.unlink(missing_ok=True)
            raise CorruptBlob(f"cached copy damaged: {path}")
        return data

    # -- failures --------------------------------------------------------------
    def failure(
        self, url: str, now: float, max_bytes: int | None = None, timeout: float | None = None
    ) -> tuple[str, float] | None:
        """Why ``url`` failed and when, while that failure is remembered (its own lifetime;
        a failure recorded under another size limit or timeout is not reused)."""
        try:
            raw = json.loads(self._index_path(url, _FAILURES).read_bytes())
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
            atomic_write(self._index_path(url, _FAILURES), json.dumps(record, ensure_ascii=False).encode("utf-8"))
        except OSError:
            pass

    def forget_failure(self, url: str) -> None:
        self._index_path(url, _FAILURES).unlink(missing_ok=True)

    # -- renditions ----------------------------------------------------------
    def rendition(self, digest: str, key: str) -> Rendition | None:
        base = self._rendition_base(digest, key)
        try:
            meta = json.loads(base.with_name(base.name + ".json").read_bytes())
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

    # -- what a picture's header said ----------------------------------------------
    def probe(self, digest: str, key: str) -> dict | None:
        base = self._rendition_base(digest, key)
        try:
            meta = json.loads(base.with_name(base.name + ".json").read_bytes())
        except (OSError, ValueError):
            return None
        return meta if isinstance(meta, dict) else None

    def store_probe(self, digest: str, key: str, meta: dict) -> None:
        base = self._rendition_base(digest, key)
        atomic_write(base.with_name(base.name + ".json"), json.dumps(meta).encode("utf-8"))

    # -- maintenance -----------------------------------------------------------
    def _files(self, sub: str):
        folder = self.root / sub
        if not folder.is_dir():
            return
        for path in folder.rglob("*"):
            try:
                if path.is_file():
                    yield path
            except OSError:
                continue

    def info(self) -> CacheInfo:
        entries = blobs = renditions = total = 0
        oldest: float | None = None
        for sub in _SUBDIRS:
            for path in self._files(sub):
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

    def clear(self) -> Pruned:
        """Delete every cached image (index, blobs, renditions)."""
        info = self.info()
        for sub in (*_SUBDIRS, _FAILURES):
            shutil.rmtree(self.root / sub, ignore_errors=True)
        _drop_stale_holds(self.root, time.time())  # running builds' links stay
        return Pruned(info.entries, info.blobs + info.renditions, info.bytes)

    def prune(self, older_than: float, now: float | None = None) -> Pruned:
        """Drop what was not fetched or revalidated in the last ``older_than`` seconds.

        An index entry goes when its ``fetched_at`` is older than that; a blob or a
        rendition goes when no remaining entry uses it *and* its file is older than that
        too (a rendition of a local picture has no entry; a file a running build has just
        written is young). Temporary files go once they are clearly abandoned."""
        now = time.time() if now is None else now
        cutoff = now - older_than
        _drop_stale_holds(self.root, now)
        entries = files = freed = 0
        for path in self._files(_FAILURES):  # short-lived records: any older than the cutoff go
            try:
                if path.stat().st_mtime < max(cutoff, now - FAILURE_MAX_AGE):
                    path.unlink(missing_ok=True)
            except OSError:
                continue
        keep: set[str] = set()
        for path in self._files("index"):
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
            if not isinstance(fetched, int | float) or fetched < cutoff:
                path.unlink(missing_ok=True)
                entries += 1
                freed += size
            else:
                keep.add(str(raw.get("blob", "")))
        for sub in _SUBDIRS:
            for path in self._files(sub):
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
                    path.unlink(missing_ok=True)
                    files += not path.name.startswith(TMP_PREFIX) and path.suffix != ".json"
                    freed += stat.st_size
        return Pruned(entries, files, freed)


def _fetched_at(path: Path) -> float | None:
    """An index file's ``fetched_at``, or None when the file is not a valid entry."""
    try:
        value = json.loads(path.read_bytes()).get("fetched_at")
    except (OSError, ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, int | float) else None
