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
(and cut) in this stage, since they change the shape the layout gives it.

This module runs the stage over a deck: the pictures that need no server at once, the others
on a pool of threads, their warnings in the post's order. One picture is found by
``resolver.AssetResolver``; where an address points is ``locate``'s, why a picture could not be
had ``failures``'.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deckgen.assets.attach import attach
from deckgen.assets.locate import can_exist, guess_site_root, inside_any, local_path, normalize_url
from deckgen.assets.resolver import AssetOptions, AssetResolver, Job, Resolved
from deckgen.malloc import threads_starting
from deckgen.model.document import Asset, Block, Deck, Embed, Image
from deckgen.urlpolicy import is_local

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class AssetStats:
    total: int = 0
    cached: int = 0  # from the cache or a local file: no download
    downloaded: int = 0
    failed: int = 0
    offline_missing: int = 0  # of the failed: offline and not in the cache


def _images_of(blocks: tuple[Block, ...]) -> list[Image | Embed]:
    return [b for b in blocks if isinstance(b, (Image, Embed))]


def collect(deck: Deck) -> list[Job]:
    """The distinct picture URLs of the deck, in the post's order (first use wins)."""
    jobs: dict[str, Job] = {}
    for slide in deck.slides:
        for block in _images_of(slide.blocks):
            url = block.url if isinstance(block, Image) else block.poster_url
            if url and url not in jobs:
                jobs[url] = Job(url, block.line, isinstance(block, Embed))
    return list(jobs.values())


def local_files(resolver: AssetResolver, deck: Deck) -> list[Path]:
    """The files the deck's local pictures name (whether they exist or not; not a name no file
    can have)."""
    return local_paths(resolver, collect(deck))


def local_paths(resolver: AssetResolver, jobs: list[Job]) -> list[Path]:
    """The files the local pictures among ``jobs`` name (as :func:`local_files`)."""
    post, site_root = resolver.post, resolver.options.site_root
    paths = [local_path(job.url.strip(), post, site_root) for job in jobs if is_local(job.url.strip())]
    return [path for path in paths if can_exist(path)]


def attached(deck: Deck) -> dict[str, Asset | None]:
    """What a resolved deck holds for each picture URL (the asset :func:`resolve_assets` attached)."""
    found: dict[str, Asset | None] = {}
    for slide in deck.slides:
        for block in _images_of(slide.blocks):
            url, asset = (block.url, block.asset) if isinstance(block, Image) else (block.poster_url, block.poster)
            if url:
                found.setdefault(url, asset)
    return found


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
        from concurrent.futures import ThreadPoolExecutor, as_completed  # only when a server is asked

        workers = max(1, min(resolver.options.workers, len(waiting)))
        threads_starting()
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
    "attached",
    "collect",
    "guess_site_root",
    "inside_any",
    "local_files",
    "local_paths",
    "normalize_url",
    "resolve_assets",
]
