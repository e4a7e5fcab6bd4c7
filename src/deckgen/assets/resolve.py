"""The assets stage: every picture a deck needs, fetched (concurrently, through the cache)
and described, then attached to the model. A picture that cannot be had becomes a failed
``Asset`` with a reason and exactly one warning ``file:line: URL: reason``; the build goes on.

For each distinct picture URL of the post:

1. find the bytes: a local file (relative to the post, or a Jekyll site path such as
   ``/assets/x.png`` under the site root), the cache (fresh, or revalidated with a
   conditional request once older than ``max_age``), or a download;
2. learn what they are from the header alone (``images.probe``: format, size as shown,
   frames; cached by the bytes' SHA-256) — enough for the layout, and what refuses web
   pages, truncated PNGs and decompression bombs before anything is decoded;
3. only then record a downloaded body in the cache: an answer that is not a picture is
   never cached, so the next build asks again;
4. hold the original for the rest of the build (``cache.Hold``): a ``cache clear`` meanwhile
   cannot take it away.

Pictures are decoded only after the layout, once each, at the size their box needs
(``deckgen.assets.renditions``). A video's thumbnail is the exception: its black bars are found
(and cut) here, since they change the shape the layout gives it.
"""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from deckgen.assets import images
from deckgen.assets.attach import attach
from deckgen.assets.cache import DEFAULT_MAX_AGE, Cache, CorruptBlob, Entry, Hold, sha256
from deckgen.assets.fetch import MAX_BYTES, TIMEOUT, Fetcher, FetchError, FetchResult, TransientError
from deckgen.assets.images import (
    MAX_BOX,
    RENDITION_VERSION,
    ImageDataError,
    NotAPicture,
    describe_non_image,
    rendition_key,
)
from deckgen.diagnostics import Code, Diagnostic, Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.model.document import Asset, AssetStatus, Block, Deck, Embed, Image, shown_format
from deckgen.urlpolicy import is_local, is_remote

Progress = Callable[[int, int], None]
_GITHUB_BLOB = re.compile(r"^https?://(www\.)?github\.com/[^/]+/[^/]+/blob/", re.I)
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
class AssetStats:
    total: int = 0
    cached: int = 0  # from the cache or a local file: no download
    downloaded: int = 0
    failed: int = 0
    offline_missing: int = 0  # of the failed: offline and not in the cache


@dataclass(frozen=True)
class _Job:
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


class _Offline(FetchError):
    pass


class _Remembered(FetchError):
    """A URL that failed in a build a moment ago: not asked for again so soon. The slide's
    placeholder gives the reason as it was; only the warning says it is remembered."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{reason} ({REMEMBERED})")
        self.reason = reason


class _LocalMissing(FetchError):
    pass


class _Outside(FetchError):
    pass


class _NeedsNetwork(Exception):
    """Raised on the quick pass: this picture cannot be had without asking a server."""


REMEMBERED = "failed a moment ago, not asked again yet; --refresh tries now"


def normalize_url(url: str) -> tuple[str, str]:
    """The URL to download for ``url``, and a note when it differs for a reason worth saying.

    A GitHub ``blob/`` link answers with a web page about the file; ``?raw=true`` gets the file."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    if _GITHUB_BLOB.match(url) and not _is_raw(url):
        return _raw_of(url), "GitHub page link, fetching the raw file instead"
    return url, ""


def _is_raw(url: str) -> bool:
    return re.search(r"[?&]raw=(true|1)\b", url, re.I) is not None


def _raw_of(url: str) -> str:
    base, hash_, fragment = url.partition("#")
    return base + ("&" if "?" in base else "?") + "raw=true" + hash_ + fragment


def _looks_like_blob_page(url: str) -> bool:
    """A repository-browser link to a file (GitHub, GitHub Enterprise): ``.../blob/<ref>/...``."""
    return "/blob/" in urlparse(url).path and not _is_raw(url)


def _images_of(blocks: tuple[Block, ...]) -> list[Image | Embed]:
    return [b for b in blocks if isinstance(b, (Image, Embed))]


def collect(deck: Deck) -> list[_Job]:
    """The distinct picture URLs of the deck, in the post's order (first use wins)."""
    jobs: dict[str, _Job] = {}
    for slide in deck.slides:
        for block in _images_of(slide.blocks):
            url = block.url if isinstance(block, Image) else block.poster_url
            if url and url not in jobs:
                jobs[url] = _Job(url, block.line, isinstance(block, Embed))
    return list(jobs.values())


def inside_any(path: Path, folders: tuple[Path, ...]) -> bool:
    """Is ``path``, with ``..`` and symlinks resolved, inside one of ``folders`` (also resolved)?"""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    for folder in folders:
        try:
            if real.is_relative_to(folder.resolve()):
                return True
        except (OSError, RuntimeError):
            continue
    return False


def guess_site_root(post_dir: Path) -> Path:
    """A Jekyll post lives in ``_posts/``; the site root is the folder above it."""
    return post_dir.parent if post_dir.name == "_posts" else post_dir


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

    def resolve(self, job: _Job) -> Resolved:
        outcome = self._outcome(job, network=True)
        assert outcome is not None  # with the network allowed, nothing is put off
        return outcome

    def resolve_quick(self, job: _Job) -> Resolved | None:
        """The outcome when it needs no server (a local file, a fresh cached copy, a failure
        remembered), else None: the quick pass runs in the build's thread, no pool needed."""
        return self._outcome(job, network=False)

    def _outcome(self, job: _Job, network: bool) -> Resolved | None:
        log = _Log(self.post, job.line)
        try:
            asset, how = self._resolve(job, log, network)
            return Resolved(asset, how, tuple(log.found))
        except _NeedsNetwork:
            return None
        except (FetchError, ImageDataError, OSError) as exc:
            said = _reason(exc)
            reason = exc.reason if isinstance(exc, _Remembered) else said
            offline_missing = isinstance(exc, _Offline)
            cause = _cause(exc)
            if isinstance(exc, FetchError | ImageDataError) and not isinstance(exc, _Offline | _Remembered):
                self._remember_failure(job.url.strip(), reason, isinstance(exc, TransientError))
        except Exception as exc:  # one bad picture must never stop the build
            reason = said = f"could not be processed ({type(exc).__name__}: {str(exc)[:80]})"
            offline_missing = False
            cause = "damaged"
        log.report(C.PICTURE_UNAVAILABLE, url=job.url, reason=said, cause=cause)
        failed = Asset(job.url, AssetStatus.FAILED, reason=reason)
        return Resolved(failed, "failed", tuple(log.found), offline_missing)

    def _remember_failure(self, url: str, reason: str, transient: bool) -> None:
        if self.fetcher is None or not is_remote(url):
            return
        self.cache.store_failure(url, reason, self.clock(), transient, self.options.max_bytes, self._timeout())

    def _resolve(self, job: _Job, log: _Log, network: bool = True) -> tuple[Asset, str]:
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
                    raise _NeedsNetwork from None
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
                raise _Offline("offline and not in the cache")
            return _Bytes(entry.blob, None, "cached", entry)
        now = self.clock()
        age = now - entry.fetched_at if entry is not None else -1.0
        if entry is not None and not self.options.refresh and 0 <= age < self.options.max_age:
            return _Bytes(entry.blob, None, "cached", entry)
        if entry is None and self.fetcher is not None and not self.options.refresh and self.options.remember_failures:
            failed = self.cache.failure(url, now, self.options.max_bytes, self._timeout())
            if failed is not None:
                raise _Remembered(failed[0])
        if not network and self.fetcher is not None:
            raise _NeedsNetwork
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
            if result.status == 200 and _looks_like_blob_page(location) and _is_page(result.body):
                raw = _raw_of(location)
                log.report(C.PICTURE_RAW_FETCHED, url=url, why="answered with a web page, fetching the raw file instead")
                result, location = self._fetch(raw, None), raw
        except FetchError as exc:
            if entry is not None:  # stale but usable: better than a placeholder
                log.report(C.PICTURE_STALE, url=url, reason=_reason(exc))
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

    def local_path(self, url: str) -> Path:
        """The file a local picture address names (it may not exist)."""
        if url.startswith("file:"):
            return Path(unquote(urlparse(url).path))
        raw = unquote(url.split("?")[0].split("#")[0])
        base = self.post.parent if self.post else Path.cwd()
        root = self.options.site_root or guess_site_root(base)
        if raw.startswith("/"):
            site_path = root / raw.lstrip("/")  # /assets/x.png, {{ site.baseurl }}/assets/x.png
            if not site_path.exists() and Path(raw).is_file():
                return Path(raw)  # an absolute path on this computer
            return site_path
        candidate = base / raw
        if not candidate.exists() and (root / raw).exists():
            return root / raw  # written relative to the site rather than to the post's file
        return candidate

    def local_files(self, deck: Deck) -> list[Path]:
        """The files the deck's local pictures name (whether they exist or not)."""
        return [self.local_path(job.url.strip()) for job in collect(deck) if is_local(job.url.strip())]

    def allowed_folders(self) -> tuple[Path, ...]:
        """Where a post may read local files: its own folder, the site root, ``--allow-files``."""
        base = self.post.parent if self.post else Path.cwd()
        root = self.options.site_root or guess_site_root(base)
        return (base, root, *self.options.allow_files)

    def _local(self, url: str) -> _Bytes:
        path = self.local_path(url)
        if not path.is_file():
            raise _LocalMissing(f"local file not found: {path}")
        if not inside_any(path, self.allowed_folders()):
            raise _Outside(
                f"{path} is outside the post's folder and the site (allow a folder with --allow-files DIR)"
            )
        if path.stat().st_size > self.options.max_bytes:
            raise FetchError(f"larger than the {self.options.max_bytes / 1048576:g} MB limit")
        data = path.read_bytes()
        return _Bytes(sha256(data), data, "cached", local=path)

    # -- what the bytes are ---------------------------------------------------------
    def _found(self, url: str, got: _Bytes, job: _Job) -> Asset:
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

    def _described(self, got: _Bytes, job: _Job) -> Asset:
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

    def _poster(self, got: _Bytes, job: _Job) -> Asset:
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


def _cause(exc: BaseException) -> str:
    """What kind of failure, for programs (``check`` chooses its hint by it)."""
    match exc:
        case _Offline():
            return "offline"
        case _Remembered():
            return "remembered"
        case NotAPicture():
            return "not-a-picture"
        case ImageDataError():
            return "damaged"
        case _LocalMissing():
            return "local-missing"
        case _Outside():
            return "outside"
        case _:
            return "fetch"


def _reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError) and exc.filename:
        return f"file not found: {exc.filename}"
    if isinstance(exc, OSError) and not isinstance(exc, CorruptBlob) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return f"{exc.strerror}{where}"
    return str(exc) or type(exc).__name__


def resolve_assets(
    deck: Deck,
    resolver: AssetResolver,
    progress: Progress | None = None,
    settled: Callable[[dict[str, Asset]], None] | None = None,
) -> tuple[Deck, AssetStats]:
    """Fetch and convert every picture of ``deck`` and attach the results to it.

    Downloads run concurrently; warnings and notes are logged afterwards in the post's
    order, whatever order the downloads finished in. While downloads are awaited,
    ``settled`` hears, in the calling thread, of the pictures known so far (by URL) each
    time more are (the build starts drawing a slide's pictures once all of them are known)."""
    jobs = collect(deck)
    outcomes: dict[int, Resolved] = {}
    known: dict[str, Asset] = {}
    done = 0
    if progress:
        progress(0, len(jobs))
    waiting: list[int] = []  # the jobs that need a server; the rest are settled here and now
    for index, job in enumerate(jobs):
        quick = resolver.resolve_quick(job)
        if quick is None:
            waiting.append(index)
        else:
            outcomes[index] = quick
            known[job.url] = quick.asset
            done += 1
    if progress and done:
        progress(done, len(jobs))
    if settled and known and waiting:  # nothing to wait for: nothing to do ahead of time
        settled(known)
    if waiting:
        workers = max(1, min(resolver.options.workers, len(waiting)))
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="deckgen-assets")
        try:
            futures = {pool.submit(resolver.resolve, jobs[index]): index for index in waiting}
            for future in as_completed(futures):
                index = futures[future]
                outcomes[index] = future.result()
                known[jobs[index].url] = outcomes[index].asset
                done += 1
                if progress:
                    progress(done, len(jobs))
                if settled:
                    settled(known)
        except BaseException:  # Ctrl-C: start nothing more, let the downloads in flight end
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    counts = {"cached": 0, "downloaded": 0, "failed": 0}
    missing = 0
    for index in range(len(jobs)):
        outcome = outcomes[index]
        counts[outcome.how] += 1
        missing += outcome.offline_missing
        resolver.diag.extend(outcome.diagnostics)
    stats = AssetStats(len(jobs), counts["cached"], counts["downloaded"], counts["failed"], missing)
    results = {job.url: outcomes[index].asset for index, job in enumerate(jobs)}
    return attach(deck, results), stats


__all__ = [
    "AssetOptions",
    "AssetResolver",
    "AssetStats",
    "Resolved",
    "collect",
    "guess_site_root",
    "inside_any",
    "normalize_url",
    "resolve_assets",
]
