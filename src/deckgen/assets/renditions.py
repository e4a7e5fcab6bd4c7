"""Draw each placed picture once, at the pixels the box the layout gave it needs.

Runs between the layout and the writers. For every picture frame: the box's pixels (twice
a 96 dpi screen), the original from the assets stage, and a rendition cached by (the
original's SHA-256, that size, the rules' version). A warm build finds every rendition in
the cache and decodes nothing. A cold one decodes each original once: on all cores (Pillow
releases the GIL while it decodes, resamples and compresses, so threads suffice), at most
one picture per worker in memory at a time.

A picture found damaged only now (its header was fine) becomes a placeholder in the same
box, with one warning ``file:line: URL: reason``; its download is dropped from the cache so
the next build asks again.
"""

from __future__ import annotations

import math
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.assets.cache import Cache, Hold, sha256
from deckgen.assets.failures import crash_reason
from deckgen.assets.images import MAX_BOX, RENDITION_VERSION, ImageDataError, convert, memory_cost
from deckgen.diagnostics import Diagnostic
from deckgen.diagnostics import codes as C
from deckgen.malloc import give_back_free_memory, threads_starting
from deckgen.model.document import Asset, shown_format
from deckgen.model.laidout import (
    Box,
    EmbedFrame,
    Frame,
    LaidDeck,
    PictureFrame,
    PlaceholderFrame,
    pictures_in,
)
from deckgen.plaintext import shorten
from deckgen.urlpolicy import is_remote

if TYPE_CHECKING:  # a build that draws nothing starts no pool
    from concurrent.futures import Future, ThreadPoolExecutor

PIXELS_PER_POINT = 2 * 96 / 72  # twice a 96 dpi screen
# a picture at most this much larger than its box needs is left at its size: drawing it smaller
# costs more CPU than anything else in a build, and (measured on the lecture: 6.18 -> 5.91 MB
# .pptx, 4.6 -> 3.7 s CPU with 1.3 instead of 1.15) a re-encoded web picture is often the larger
SLACK = 1.3
# a PNG drawing (a flat picture: few bytes per pixel) up to twice its box's pixels on each side
# is kept as it is: drawn smaller, its sharp edges blend into many new colours, and the
# rendition is the larger file (measured on the lecture's pictures from fakeweb: 2400x1350,
# 48 KB, drawn at 1451x816, 277 KB; 3000x1000, 40 KB, at 2304x768, 332 KB)
DRAWING_SLACK = 2.0
DRAWING_BYTES_PER_PIXEL = 0.25  # at most this many bytes per pixel of the box: a drawing
PLACEHOLDER_TEXT = 16.0


# the most bytes the pictures being drawn may hold at once, all drawing threads together (a
# picture estimated above it is drawn alone). Measured on the heaviest course posts (23 GIF
# animations of up to 4800x2700, cold, one post a process): 295-316 MB without the bound,
# 260-275 MB with it and the heap trimmed before each picture that takes most of it
RENDER_MEMORY = 160 * 2**20


class MemoryBudget:
    """Bytes lent to the pictures being drawn; a drawing waits until its share is free."""

    def __init__(self, budget: int) -> None:
        self.budget, self.used = budget, 0
        self._free = threading.Condition()

    @contextmanager
    def lend(self, cost: int) -> Iterator[None]:
        cost = max(0, min(cost, self.budget))  # one larger than the budget waits for all of it
        with self._free:
            self._free.wait_for(lambda: self.used + cost <= self.budget)
            self.used += cost
        try:
            yield
        finally:
            with self._free:
                self.used -= cost
                self._free.notify_all()


_MEMORY = MemoryBudget(RENDER_MEMORY)  # per process: every build's drawing threads share it


def default_workers() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Rendered:
    laid: LaidDeck
    failed: tuple[Asset, ...] = ()  # pictures found damaged while drawing them (post order)
    diagnostics: tuple[Diagnostic, ...] = ()
    decoded: int = 0  # originals decoded (renditions not found in the cache)


def pixels_for(asset: Asset, box: Box) -> tuple[int, int]:
    """The box to draw ``asset`` into: at most twice the pixels ``box`` occupies, never larger
    than the original. One only a little larger (``SLACK``), or a PNG drawing up to
    ``DRAWING_SLACK`` larger, is kept at its size."""
    want_w = max(1, math.ceil(box.w * PIXELS_PER_POINT))
    want_h = max(1, math.ceil(box.h * PIXELS_PER_POINT))
    slack = SLACK
    if (
        asset.source_fmt == "png"
        and asset.frames == 1
        and 0 < asset.source_bytes <= DRAWING_BYTES_PER_PIXEL * want_w * want_h
        and asset.width <= MAX_BOX[0]
        and asset.height <= MAX_BOX[1]
    ):
        slack = DRAWING_SLACK  # never more than the whole slide's pixels, though
    if asset.width <= want_w * slack and asset.height <= want_h * slack:
        return asset.width, asset.height
    return want_w, want_h


def _key(size: tuple[int, int]) -> str:
    return f"{RENDITION_VERSION}-{size[0]}x{size[1]}"


Key = tuple[str, tuple[int, int]]  # (the original's SHA-256, the rendition's pixels)


class Prerender:
    """Renditions drawn ahead, while the build still waits for other downloads: the build
    hands over the picture frames of each slide whose pictures are all known (the layout of
    a slide depends on nothing outside it), and they are drawn at once on otherwise idle
    cores. ``render_pictures`` then finds them done, or waits for them: never drawn twice."""

    def __init__(self, cache: Cache, hold: Hold | None, workers: int | None = None) -> None:
        self.cache, self.hold = cache, hold
        self.pending: dict[Key, Future[Asset | str]] = {}
        self._workers = max(1, workers or default_workers())
        self._pool: ThreadPoolExecutor | None = None  # made for the first picture to draw (a warm build has none)

    def draw(self, frames: list[PictureFrame]) -> None:
        for frame in frames:
            asset = frame.asset
            if asset.rendered or not asset.ok or not asset.digest:
                continue
            key = (asset.digest, pixels_for(asset, frame.box))
            if key not in self.pending and _cached(self.cache, self.hold, asset, key[1]) is None:
                if self._pool is None:
                    from concurrent.futures import ThreadPoolExecutor

                    threads_starting()
                    self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="deckgen-prerender")
                self.pending[key] = self._pool.submit(_render, self.cache, self.hold, asset, key[1])

    def close(self) -> None:
        """Wait for what is being drawn (a build that failed meanwhile still ends cleanly)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)


def render_pictures(
    laid: LaidDeck,
    cache: Cache,
    hold: Hold | None = None,
    post: Path | None = None,
    workers: int | None = None,
    ahead: Prerender | None = None,
) -> Rendered:
    jobs: dict[Key, Asset] = {}
    for frame in _picture_frames(laid):
        asset = frame.asset
        if not asset.rendered and asset.ok and asset.digest:
            jobs.setdefault((asset.digest, pixels_for(asset, frame.box)), asset)
    outcome: dict[Key, Asset | str] = {}
    decoded = 0
    todo = []
    drawn_ahead = ahead.pending if ahead is not None else {}
    for (digest, size), asset in jobs.items():
        early = drawn_ahead.get((digest, size))
        if early is not None and not early.cancelled():
            outcome[(digest, size)] = early.result()  # drawn ahead (or being drawn: wait)
            decoded += 1
            continue
        found = _cached(cache, hold, asset, size)
        if found is not None:
            outcome[(digest, size)] = found
        else:
            todo.append(((digest, size), asset))
    if todo:
        from concurrent.futures import ThreadPoolExecutor  # loaded only when a picture is drawn

        count = max(1, min(workers or default_workers(), len(todo)))
        threads_starting()
        with ThreadPoolExecutor(max_workers=count, thread_name_prefix="deckgen-render") as pool:
            results = pool.map(lambda job: _render(cache, hold, job[1], job[0][1]), todo)
            for (job_key, _asset), result in zip(todo, results):
                outcome[job_key] = result
                decoded += 1
    failed: dict[str, Asset] = {}
    said: list[Diagnostic] = []

    def fit(frame: PictureFrame) -> PictureFrame | PlaceholderFrame:
        asset = frame.asset
        if asset.rendered or not asset.ok or not asset.digest:
            return frame
        result = outcome[(asset.digest, pixels_for(asset, frame.box))]
        if isinstance(result, Asset):
            return replace(frame, asset=result)
        if asset.url not in failed:
            failed[asset.url] = asset
            said.append(C.PICTURE_UNAVAILABLE(post, asset.line, url=asset.url, reason=result, cause="damaged"))
            if is_remote(asset.url):
                cache.forget(asset.url)  # not a picture after all: asked again, once its failure
                cache.store_failure(asset.url, result, time.time())  # has been remembered a while
        return PlaceholderFrame(
            frame.box, asset.url, f"Image unavailable: {result}", PLACEHOLDER_TEXT, shorten(asset.url, 90)
        )

    pages = tuple(replace(page, frames=tuple(_map(f, fit) for f in page.frames)) for page in laid.pages)
    return Rendered(replace(laid, pages=pages), tuple(failed.values()), tuple(said), decoded)


def _picture_frames(laid: LaidDeck) -> list[PictureFrame]:
    return [frame for page in laid.pages for frame in pictures_in(page.frames)]


def _map(frame: Frame, fit: Callable[[PictureFrame], PictureFrame | PlaceholderFrame]) -> Frame:
    if isinstance(frame, PictureFrame):
        return fit(frame)
    if isinstance(frame, EmbedFrame) and isinstance(frame.fallback, PictureFrame):
        return replace(frame, fallback=fit(frame.fallback))
    return frame


def _as_rendered(asset: Asset, path: Path, width: int, height: int, fmt: str) -> Asset:
    return replace(asset, path=path, width=width, height=height, fmt=shown_format(fmt), rendered=True)


def _cached(cache: Cache, hold: Hold | None, asset: Asset, size: tuple[int, int]) -> Asset | None:
    found = cache.rendition(asset.digest, _key(size))
    if found is None:
        return None
    try:
        path = hold.keep(found.path) if hold is not None else found.path
    except FileNotFoundError:  # removed since it was found (a cache clear): draw it again
        return None
    return _as_rendered(asset, path, found.width, found.height, found.fmt)


def _render(cache: Cache, hold: Hold | None, asset: Asset, size: tuple[int, int]) -> Asset | str:
    """The rendition of ``asset`` at ``size`` (cached), or why it cannot be drawn."""
    assert asset.path is not None
    try:
        data = asset.path.read_bytes()
    except OSError as exc:
        return f"could not be read ({exc.strerror or type(exc).__name__})"
    if sha256(data) != asset.digest:
        return "the picture changed while it was being built"
    try:
        cost = memory_cost(asset.source_fmt, asset.source_width, asset.source_height, asset.frames, size)
        with _MEMORY.lend(cost):
            if cost * 2 > RENDER_MEMORY:  # a picture taking most of the budget: the heap's free
                give_back_free_memory()  # pages go back first, so its peak adds to what is in use
            converted = convert(data, size)
        del data
        found = cache.store_rendition(
            asset.digest,
            _key(size),
            converted.data,
            converted.fmt,
            converted.width,
            converted.height,
            asset.source_width,
            asset.source_height,
        )
        path = hold.keep(found.path) if hold is not None else found.path
    except ImageDataError as exc:
        return str(exc)
    except FileNotFoundError:
        if hold is None or hold.dir is None:
            return "the cached copy was removed during the build"
        # the rendition was removed between writing and holding it: hold the bytes we made
        ext = {"jpeg": "jpg"}.get(converted.fmt, converted.fmt)
        path = hold.dir / f"{asset.digest}-{_key(size)}.{ext}"
        path.write_bytes(converted.data)
    except OSError as exc:
        return f"could not be read ({exc.strerror or type(exc).__name__})"
    except Exception as exc:  # one bad picture must never stop the build
        return crash_reason(exc)
    return _as_rendered(asset, path, converted.width, converted.height, converted.fmt)
