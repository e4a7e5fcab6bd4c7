"""One picture found and described: ``AssetResolver.resolve`` takes a picture's address to an
``Asset`` (ok, or failed with its reason) and what to report about it, on any thread; the
steps are in ``resolve``'s note. Also here: the options of the assets stage (``AssetOptions``).
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from deckgen.assets import images
from deckgen.assets.cache import DEFAULT_MAX_AGE, Cache, CorruptBlob, Entry, Hold, sha256
from deckgen.assets.failures import (
    LocalMissing,
    NeedsNetwork,
    Offline,
    Outside,
    Remembered,
    crash_reason,
    failure_cause,
    failure_reason,
)
from deckgen.assets.fetch import MAX_BYTES, TIMEOUT, Fetcher, FetchError, FetchResult, TransientError
from deckgen.assets.images import (
    MAX_BOX,
    RENDITION_VERSION,
    ImageDataError,
    describe_non_image,
    rendition_key,
)
from deckgen.assets.locate import (
    allowed_folders,
    inside_any,
    local_path,
    looks_like_blob_page,
    normalize_url,
    raw_of,
)
from deckgen.diagnostics import Code, Diagnostic, Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.diagnostics.quoting import shown
from deckgen.model.document import Asset, AssetStatus, shown_format
from deckgen.urlpolicy import is_remote

_WEB_PAGE = describe_non_image(b"<html>")

WORKERS = 12  # threads of the assets stage


@dataclass(frozen=True)
class AssetOptions:
    """What the assets stage may do to have a post's pictures (one group of the CLI's options)."""

    offline: bool = False  # no network attempt at all: the cache or nothing
    refresh: bool = False  # revalidate every cached URL, whatever its age
    max_age: float = DEFAULT_MAX_AGE  # seconds a cached answer is used without asking
    workers: int = WORKERS  # threads that fetch and convert; more than the per-host limit, so a
    # conversion never leaves a download slot idle
    site_root: Path | None = None  # where ``/assets/x.png`` lives (default: above ``_posts/``)
    max_box: tuple[int, int] = MAX_BOX
    max_bytes: int = MAX_BYTES  # also for local files
    allow_files: tuple[Path, ...] = ()  # folders a post may read pictures from besides its own and the site's
    remember_failures: bool = True  # a URL that failed a moment ago is not asked again so soon
    cache_dir: Path | None = None  # the picture cache (None: $DECKGEN_CACHE_DIR, else the user's)
    timeout: float = TIMEOUT  # seconds for one picture, every attempt together



@dataclass(frozen=True)
class Job:
    url: str  # as written in the post
    line: int
    poster: bool = False  # a video thumbnail: black letterbox bars are trimmed


@dataclass(frozen=True)
class Resolved:
    """The outcome for one URL, with what to report (in the post's order, by the caller)."""

    asset: Asset
    how: str  # 'cached' | 'downloaded' | 'failed'
    diagnostics: tuple[Diagnostic, ...] = ()
    offline_missing: bool = False


@dataclass
class _Log:
    """What one picture's resolution has to say, gathered on its own thread."""

    post: Path | None
    line: int
    found: list[Diagnostic] = field(default_factory=list)

    def report(self, code: Code, **facts: object) -> None:
        self.found.append(code(self.post, self.line, **facts))


@dataclass(frozen=True)
class _Bytes:
    """The bytes behind a URL: their hash, and the bytes when they are in memory."""

    digest: str
    data: bytes | None
    how: str  # 'cached' | 'downloaded'
    entry: Entry | None = None  # the cache entry they came from (or, downloaded, the one they replace)
    result: FetchResult | None = None  # the download they came from (not cached yet)
    location: str = ""  # the address actually downloaded, when not the post's URL
    local: Path | None = None  # the file, for a local picture


class AssetResolver:
    """Turns URLs into Assets, using the cache and (unless offline) the fetcher.

    ``resolve`` is thread-safe and logs nothing itself: messages come back in ``Resolved``."""

    def __init__(
        self,
        cache: Cache,
        fetcher: Fetcher | None,
        options: AssetOptions,
        diag: Diagnostics,
        post: Path | None,
        clock: Callable[[], float] = time.time,
        hold: Hold | None = None,
    ) -> None:
        self.hold = hold  # None: paths point into the cache itself
        self.cache = cache
        self.fetcher = fetcher
        self.options = options
        self.diag = diag
        self.post = post
        self.clock = clock

    def resolve(self, job: Job) -> Resolved:
        outcome = self._outcome(job, network=True)
        assert outcome is not None  # with the network allowed, nothing is put off
        return outcome

    def resolve_quick(self, job: Job) -> Resolved | None:
        """The outcome when it needs no server (a local file, a fresh cached copy, a failure
        remembered), else None: the quick pass runs in the build's thread, no pool needed."""
        return self._outcome(job, network=False)

    def _outcome(self, job: Job, network: bool) -> Resolved | None:
        log = _Log(self.post, job.line)
        try:
            asset, how = self._resolve(job, log, network)
            return Resolved(asset, how, tuple(log.found))
        except NeedsNetwork:
            return None
        except (FetchError, ImageDataError, OSError) as exc:
            said = failure_reason(exc)
            reason = shown(exc.reason) if isinstance(exc, Remembered) else said
            offline_missing = isinstance(exc, Offline)
            cause = failure_cause(exc)
            if isinstance(exc, FetchError | ImageDataError) and not isinstance(exc, Offline | Remembered):
                self._remember_failure(job.url.strip(), reason, isinstance(exc, TransientError))
        except Exception as exc:  # one bad picture must never stop the build
            reason = said = crash_reason(exc)
            offline_missing = False
            cause = "damaged"
        log.report(C.PICTURE_UNAVAILABLE, url=job.url, reason=said, cause=cause)
        failed = Asset(job.url, AssetStatus.FAILED, reason=reason)
        return Resolved(failed, "failed", tuple(log.found), offline_missing)

    def _remember_failure(self, url: str, reason: str, transient: bool) -> None:
        if self.fetcher is None or not is_remote(url):
            return
        self.cache.store_failure(url, reason, self.clock(), transient, self.options.max_bytes, self._timeout())

    def _resolve(self, job: Job, log: _Log, network: bool = True) -> tuple[Asset, str]:
        url = job.url.strip()
        if is_remote(url):
            got = self._remote(url, log, network)
            try:
                asset = self._found(url, got, job)
            except ImageDataError as exc:
                if got.how != "downloaded" or got.entry is None:
                    raise
                # the server now answers with something else (an error page...): keep the picture we had
                log.report(C.PICTURE_OLD_COPY, url=url, reason=exc)
                got = _Bytes(got.entry.blob, None, "cached", got.entry)
                asset = self._found(url, got, job)
            except CorruptBlob:
                if self.options.offline:
                    raise
                if not network:
                    raise NeedsNetwork from None
                self.cache.forget(url)  # the cached copy is damaged or gone: download it again
                got = self._remote(url, log)
                asset = self._found(url, got, job)
            return dataclasses.replace(asset, from_cache=got.how == "cached"), got.how
        scheme = urlparse(url).scheme.lower()
        if scheme in ("", "file"):
            got = self._local(url)
            asset = self._found(url, got, job)
        elif scheme == "data":
            raise FetchError("inline data: images are not supported")
        else:
            raise FetchError(f"unsupported address scheme '{scheme}'")
        return dataclasses.replace(asset, from_cache=got.how == "cached"), got.how

    # -- the bytes ---------------------------------------------------------------
    def _remote(self, url: str, log: _Log, network: bool = True) -> _Bytes:
        entry = self.cache.lookup(url)
        if self.options.offline:
            if entry is None:
                raise Offline("offline and not in the cache")
            return _Bytes(entry.blob, None, "cached", entry)
        now = self.clock()
        age = now - entry.fetched_at if entry is not None else -1.0
        if entry is not None and not self.options.refresh and 0 <= age < self.options.max_age:
            return _Bytes(entry.blob, None, "cached", entry)
        if entry is None and self.fetcher is not None and not self.options.refresh and self.options.remember_failures:
            failed = self.cache.failure(url, now, self.options.max_bytes, self._timeout())
            if failed is not None:
                raise Remembered(failed[0])
        if not network and self.fetcher is not None:
            raise NeedsNetwork
        if self.fetcher is None:
            if entry is not None:
                return _Bytes(entry.blob, None, "cached", entry)
            raise FetchError("no network access configured")
        target, why = normalize_url(url)
        location = entry.location if entry is not None and entry.location else target
        if why and location == target:
            log.report(C.PICTURE_RAW_FETCHED, url=url, why=why)
        try:
            result = self._fetch(location, entry)
            if result.status == 200 and looks_like_blob_page(location) and _is_page(result.body):
                raw = raw_of(location)
                log.report(C.PICTURE_RAW_FETCHED, url=url, why="answered with a web page, fetching the raw file instead")
                result, location = self._fetch(raw, None), raw
        except FetchError as exc:
            if entry is not None:  # stale but usable: better than a placeholder
                log.report(C.PICTURE_STALE, url=url, reason=failure_reason(exc))
                return _Bytes(entry.blob, None, "cached", entry)
            raise
        if result.status == 304:
            if entry is None:
                raise FetchError("HTTP 304 to an unconditional request")
            entry = self.cache.touch(entry, result.etag, result.last_modified, self.clock())
            return _Bytes(entry.blob, None, "cached", entry)
        return _Bytes(
            sha256(result.body),
            result.body,
            "downloaded",
            entry,  # the previous (stale) entry, if any
            result=result,
            location=location if location != url else "",
        )

    def _timeout(self) -> float | None:
        """The fetcher's time limit for one picture (a failure remembered under another one,
        a timeout say, is asked again once ``--timeout`` changes)."""
        policy = getattr(self.fetcher, "policy", None)
        total = getattr(policy, "total_timeout", None)
        return float(total) if isinstance(total, int | float) else None

    def _fetch(self, url: str, entry: Entry | None) -> FetchResult:
        assert self.fetcher is not None
        if entry is None:
            return self.fetcher(url, "", "")
        return self.fetcher(url, entry.etag, entry.last_modified)

    def _remember(self, url: str, got: _Bytes) -> None:
        """Cache a download (called once its bytes proved to be a picture)."""
        assert got.data is not None and got.result is not None
        self.cache.store(
            url, got.data, got.result.etag, got.result.last_modified, self.clock(), location=got.location
        )
        self.cache.forget_failure(url)

    def _local(self, url: str) -> _Bytes:
        path = local_path(url, self.post, self.options.site_root)
        if not path.is_file():
            raise LocalMissing(f"local file not found: {path}")
        if not inside_any(path, allowed_folders(self.post, self.options.site_root, self.options.allow_files)):
            raise Outside(
                f"{path} is outside the post's folder and the site (allow a folder with --allow-files DIR)"
            )
        if path.stat().st_size > self.options.max_bytes:
            raise FetchError(f"larger than the {self.options.max_bytes / 1048576:g} MB limit")
        data = path.read_bytes()
        return _Bytes(sha256(data), data, "cached", local=path)

    # -- what the bytes are ---------------------------------------------------------
    def _found(self, url: str, got: _Bytes, job: Job) -> Asset:
        """The Asset for ``got`` (described, cached if downloaded, held for the build)."""
        if job.poster:
            asset = self._poster(got, job)
        else:
            asset = self._described(got, job)
        if got.how == "downloaded":
            self._remember(url, got)
        if asset.rendered:
            return asset
        if got.local is not None:
            return dataclasses.replace(asset, path=got.local)
        return dataclasses.replace(asset, path=self._keep(self.cache.blob_path(got.digest)))

    def _keep(self, path: Path) -> Path:
        if self.hold is None:
            return path
        try:
            return self.hold.keep(path)
        except FileNotFoundError:  # removed since it was found (a cache clear): fetch again
            raise CorruptBlob(f"cached copy missing: {path}") from None

    def _data(self, got: _Bytes) -> bytes:
        if got.data is not None:
            return got.data
        assert got.entry is not None
        return self.cache.read_blob(got.entry)  # CorruptBlob if damaged

    def _described(self, got: _Bytes, job: Job) -> Asset:
        meta = self.cache.probe(got.digest, _PROBE_KEY)
        try:
            if meta is None:
                raise KeyError
            found = images.Probe(**meta)
        except (KeyError, TypeError):
            found = images.probe(self._data(got))
            self.cache.store_probe(got.digest, _PROBE_KEY, dataclasses.asdict(found))
        return Asset(
            job.url,
            AssetStatus.OK,
            None,
            found.width,
            found.height,
            "",
            source_width=found.width,
            source_height=found.height,
            digest=got.digest,
            source_fmt=found.fmt,
            source_bytes=found.size,
            frames=found.frames,
            line=job.line,
            rendered=False,
        )

    def _poster(self, got: _Bytes, job: Job) -> Asset:
        """A video thumbnail, its letterbox bars cut: decoded here, as its shape depends on them."""
        key = rendition_key(self.options.max_box, trim_bars=True)
        found = self.cache.rendition(got.digest, key)
        if found is None:
            converted = images.convert(self._data(got), self.options.max_box, trim_bars=True)
            found = self.cache.store_rendition(
                got.digest,
                key,
                converted.data,
                converted.fmt,
                converted.width,
                converted.height,
                converted.source_width,
                converted.source_height,
            )
        return Asset(
            job.url,
            AssetStatus.OK,
            self._keep(found.path),
            found.width,
            found.height,
            shown_format(found.fmt),
            source_width=found.source_width,
            source_height=found.source_height,
            digest=got.digest,
            source_fmt=found.fmt,
            line=job.line,
        )


_PROBE_KEY = f"{RENDITION_VERSION}-probe"


def _is_page(body: bytes) -> bool:
    return describe_non_image(body) == _WEB_PAGE
