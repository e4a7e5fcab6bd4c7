"""Fit each placed picture's pixels to the box the layout gave it.

Runs between the layout and the writers: the layout decided every picture's box; this
stage only makes the picture file match it (no more than twice the pixels the box
occupies on the slide at 96 dpi), so decks stay small. Fitted pictures are cached like
every other rendition, so a warm build decodes and encodes nothing.
"""

from __future__ import annotations

import math
from dataclasses import replace

from deckgen.cache import Cache
from deckgen.images import RENDITION_VERSION, ImageDataError, convert
from deckgen.model import Asset, Box, EmbedFrame, Frame, LaidDeck, PictureFrame

PIXELS_PER_POINT = 2 * 96 / 72  # twice a 96 dpi screen
SLACK = 1.15  # a picture at most this much larger than needed is left as it is


def fit_renditions(laid: LaidDeck, cache: Cache) -> LaidDeck:
    pages = tuple(
        replace(page, frames=tuple(_fit_frame(f, cache) for f in page.frames)) for page in laid.pages
    )
    return replace(laid, pages=pages)


def _fit_frame(frame: Frame, cache: Cache) -> Frame:
    if isinstance(frame, PictureFrame):
        return replace(frame, asset=fit_asset(frame.asset, frame.box, cache))
    if isinstance(frame, EmbedFrame) and isinstance(frame.fallback, PictureFrame):
        poster = frame.fallback
        return replace(frame, fallback=replace(poster, asset=fit_asset(poster.asset, poster.box, cache)))
    return frame


def fit_asset(asset: Asset, box: Box, cache: Cache) -> Asset:
    """``asset`` resized to at most twice the pixels ``box`` occupies (never enlarged)."""
    if not asset.ok or asset.path is None or asset.fmt == "gif":
        return asset  # animations stay whole
    try:
        asset.path.relative_to(cache.root / "renditions")
    except ValueError:
        return asset  # not a cached rendition (a theme's logo): left as it is
    want_w = max(1, math.ceil(box.w * PIXELS_PER_POINT))
    want_h = max(1, math.ceil(box.h * PIXELS_PER_POINT))
    if asset.width <= want_w * SLACK and asset.height <= want_h * SLACK:
        return asset
    digest = asset.path.name.split("-", 1)[0]
    key = f"{RENDITION_VERSION}-fit{want_w}x{want_h}"
    found = cache.rendition(digest, key)
    if found is None:
        try:
            converted = convert(asset.path.read_bytes(), (want_w, want_h))
        except (OSError, ImageDataError):
            return asset  # the full-size picture still shows
        found = cache.store_rendition(
            digest,
            key,
            converted.data,
            converted.fmt,
            converted.width,
            converted.height,
            asset.source_width,
            asset.source_height,
        )
    fmt = found.fmt if found.fmt in ("png", "jpeg") else asset.fmt
    return replace(asset, path=found.path, width=found.width, height=found.height, fmt=fmt)  # type: ignore[arg-type]
