"""The assets stage: every picture a deck needs, fetched (concurrently, through the cache)
and converted, then attached to the model. A picture that cannot be had becomes a failed
``Asset`` with a reason; the build goes on."""

from __future__ import annotations

import dataclasses
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from deckgen.cache import DEFAULT_MAX_AGE, Cache, Entry, sha256
from deckgen.errors import Diagnostics
from deckgen.fetch import Fetcher, FetchError
from deckgen.images import MAX_BOX, ImageDataError, convert, rendition_key
from deckgen.model import Asset, AssetStatus, Block, BulletList, Deck, Embed, Image, Slide

Progress = Callable[[int, int], None]
_GITHUB_BLOB = re.compile(r"^https?://github\.com/[^/]+/[^/]+/blob/")


@dataclass(frozen=True)
class AssetOptions:
    offline: bool = False
    refresh: bool = False
    max_age: float = DEFAULT_MAX_AGE
    workers: int = 8
    site_root: Path | None = None
    max_box: tuple[int, int] = MAX_BOX


@dataclass(frozen=True)
class AssetStats:
    total: int = 0
    cached: int = 0
    downloaded: int = 0
    failed: int = 0
    offline_missing: int = 0


@dataclass(frozen=True)
class _Job:
    url: str  # as written in the post
    line: int
    poster: bool = False  # a video thumbnail: black letterbox bars are trimmed


def normalize_url(url: str, diag: Diagnostics, path: Path | None, line: int) -> str:
    """Fix links whose plain form answers with a web page instead of the picture."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    if _GITHUB_BLOB.match(url) and "raw=true" not in url:
        fixed = url + ("&" if "?" in url else "?") + "raw=true"
        diag.note(f"{url}: GitHub page link, fetching the raw file instead", path, line)
        return fixed
    return url


def _images_of(blocks: tuple[Block, ...]) -> list[Image | Embed]:
    return [b for b in blocks if isinstance(b, (Image, Embed))]


def collect(deck: Deck) -> list[_Job]:
    jobs: dict[str, _Job] = {}
    for slide in deck.slides:
        for block in _images_of(slide.blocks):
            url = block.url if isinstance(block, Image) else block.poster_url
            if url and url not in jobs:
                jobs[url] = _Job(url, block.line, isinstance(block, Embed))
    return list(jobs.values())


class AssetResolver:
    """Turns URLs into Assets, using the cache and (unless offline) the fetcher."""

    def __init__(
        self,
        cache: Cache,
        fetcher: Fetcher | None,
        options: AssetOptions,
        diag: Diagnostics,
        post: Path | None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.cache = cache
        self.fetcher = fetcher
        self.options = options
        self.diag = diag
        self.post = post
        self.clock = clock

    def resolve(self, job: _Job) -> tuple[Asset, str]:
        """Return the asset and how it was had: 'cached', 'downloaded' or 'failed'."""
        url = normalize_url(job.url, self.diag, self.post, job.line)
        scheme = urlparse(url).scheme.lower()
        try:
            if scheme in ("http", "https"):
                data_entry, how = self._remote(url)
            elif scheme in ("", "file"):
                data_entry, how = self._local(url), "cached"
            elif scheme == "data":
                raise FetchError("inline data: images are not supported")
            else:
                raise FetchError(f"unsupported address scheme '{scheme}'")
            asset = self._rendition(job.url, data_entry, job.poster)
            return dataclasses.replace(asset, from_cache=how == "cached"), how
        except (FetchError, ImageDataError, OSError) as exc:
            reason = str(exc) or type(exc).__name__
            self.diag.warn(f"{job.url}: {reason}", self.post, job.line)
            return Asset(job.url, AssetStatus.FAILED, reason=reason), "failed"

    def _remote(self, url: str) -> tuple[Entry, str]:
        entry = self.cache.lookup(url)
        if self.options.offline:
            if entry is None:
                raise FetchError("offline and not in the cache")
            return entry, "cached"
        if (
            entry is not None
            and not self.options.refresh
            and (self.clock() - entry.fetched_at) < self.options.max_age
        ):
            return entry, "cached"
        if self.fetcher is None:
            raise FetchError("no network access configured")
        try:
            result = self.fetcher(url, entry.etag if entry else "", entry.last_modified if entry else "")
        except FetchError:
            if entry is not None:  # stale but usable: better than a placeholder
                return entry, "cached"
            raise
        if result.status == 304 and entry is not None:
            return self.cache.touch(entry, result.etag, result.last_modified, self.clock()), "cached"
        return self.cache.store(
            url, result.body, result.etag, result.last_modified, self.clock()
        ), "downloaded"

    def _local(self, url: str) -> Entry:
        raw = unquote(urlparse(url).path if url.startswith("file:") else url.split("?")[0].split("#")[0])
        base = self.post.parent if self.post else Path.cwd()
        if raw.startswith("/") and not url.startswith("file:"):
            root = self.options.site_root or _guess_site_root(base)
            candidate = root / raw.lstrip("/")
        else:
            candidate = (base / raw) if not Path(raw).is_absolute() else Path(raw)
        if not candidate.is_file():
            raise FetchError(f"local file not found: {candidate}")
        data = candidate.read_bytes()
        return Entry(url, sha256(data), len(data), fetched_at=self.clock()), data  # type: ignore[return-value]

    def _rendition(self, url: str, entry: Entry | tuple[Entry, bytes], poster: bool = False) -> Asset:
        data: bytes | None = None
        if isinstance(entry, tuple):
            entry, data = entry
        key = rendition_key(self.options.max_box) + ("-bars" if poster else "")
        found = self.cache.rendition(entry.blob, key)
        if found is None:
            if data is None:
                data = self.cache.read_blob(entry)
            converted = convert(data, self.options.max_box, trim_bars=poster)
            found = self.cache.store_rendition(
                entry.blob,
                key,
                converted.data,
                converted.fmt,
                converted.width,
                converted.height,
                converted.source_width,
                converted.source_height,
            )
        return Asset(
            url,
            AssetStatus.OK,
            found.path,
            found.width,
            found.height,
            found.fmt,  # type: ignore[arg-type]
            source_width=found.source_width,
            source_height=found.source_height,
        )


def _guess_site_root(post_dir: Path) -> Path:
    """A Jekyll post lives in ``_posts/``; the site root is the folder above it."""
    return post_dir.parent if post_dir.name == "_posts" else post_dir


def resolve_assets(
    deck: Deck, resolver: AssetResolver, progress: Progress | None = None
) -> tuple[Deck, AssetStats]:
    """Fetch and convert every picture of ``deck`` and attach the results to it."""
    jobs = collect(deck)
    results: dict[str, Asset] = {}
    counts = {"cached": 0, "downloaded": 0, "failed": 0}
    done = 0
    if progress:
        progress(0, len(jobs))
    workers = max(1, min(resolver.options.workers, len(jobs)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="deckgen-fetch") as pool:
        futures = {pool.submit(resolver.resolve, job): job for job in jobs}
        for future in _as_completed(futures):
            job = futures[future]
            asset, how = future.result()
            results[job.url] = asset
            counts[how] += 1
            done += 1
            if progress:
                progress(done, len(jobs))
    # keep warnings in the post's order, whatever order the downloads finished in
    resolver.diag.warnings.sort(key=_warning_order)
    stats = AssetStats(len(jobs), counts["cached"], counts["downloaded"], counts["failed"])
    return attach(deck, results), stats


def _as_completed(futures):  # small wrapper so tests can see ordering is irrelevant
    from concurrent.futures import as_completed

    return as_completed(futures)


def _warning_order(text: str) -> tuple[str, int]:
    m = re.match(r"^(.*?):(\d+): ", text)
    return (m.group(1), int(m.group(2))) if m else (text, 0)


def attach(deck: Deck, assets: dict[str, Asset]) -> Deck:
    def fill(block: Block) -> Block:
        if isinstance(block, Image):
            return dataclasses.replace(block, asset=assets.get(block.url))
        if isinstance(block, Embed) and block.poster_url:
            return dataclasses.replace(block, poster=assets.get(block.poster_url))
        return block

    slides = tuple(
        Slide(s.title, s.title_level, tuple(fill(b) for b in s.blocks), s.notes, s.line) for s in deck.slides
    )
    return dataclasses.replace(deck, slides=slides)


__all__ = ["AssetOptions", "AssetResolver", "AssetStats", "BulletList", "attach", "collect", "resolve_assets"]
