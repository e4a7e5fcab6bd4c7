"""Pictures: their shape and limits, the grid that places them, their frames."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.layout.context import (
    GAP,
    GRID_MIN_SHARE,
    PLACEHOLDER_SIZE,
    PX,
    SINGLE_MIN_SHARE,
    Context,
)
from deckgen.model.document import Embed, Image, WidthHint
from deckgen.model.laidout import Badge, Box, EmbedFrame, Frame, PictureFrame, PlaceholderFrame
from deckgen.plaintext import shorten
from deckgen.urlpolicy import is_web_url


@dataclass(frozen=True)
class Visual:
    block: Image | Embed
    aspect: float  # width / height
    max_w: float
    max_h: float
    placeholder: bool = False


def width_hint(hint: WidthHint | None, body_w: float) -> float | None:
    """The widest a picture may be (points) by its ``width`` attribute (parsed by the parser)."""
    if hint is None:
        return None
    return body_w * hint.value / 100 if hint.unit == "%" else hint.value * PX


def _aspect(width: float, height: float, default: float) -> float:
    return width / height if width > 0 and height > 0 else default


def visual_of(ctx: Context, block: Image | Embed, body_w: float) -> Visual:
    big = 10_000.0
    if isinstance(block, Image):
        asset = block.asset
        if asset is None or not asset.ok:
            return Visual(block, PLACEHOLDER_SIZE[0] / PLACEHOLDER_SIZE[1], *PLACEHOLDER_SIZE, True)
        sw = asset.source_width or asset.width
        sh = asset.source_height or asset.height
        aspect = _aspect(asset.width, max(1, asset.height), 4 / 3)
        max_w = 2 * sw * PX if sw > 0 else big
        max_h = 2 * sh * PX if sh > 0 else big
        hinted = width_hint(block.width_hint, body_w)
        if hinted is not None:
            max_w = min(max_w, hinted)
        max_h = min(max_h, max_w / aspect)
        return Visual(block, aspect, max_w, max_h)
    # embeds: a video or a page shown at its declared shape, else 16:9; a linked box in the
    # .pptx (the poster, else a placeholder) and live in HTML
    aspect = _aspect(block.width, block.height, 16 / 9)
    poster = block.poster
    has_poster = poster is not None and poster.ok
    if poster is not None and has_poster:
        aspect = _aspect(poster.width, max(1, poster.height), aspect)
    return Visual(block, aspect, big, big, placeholder=not has_poster)


def fit_visual(v: Visual, w: float, h: float) -> tuple[float, float]:
    w = min(w, v.max_w)
    h = min(h, v.max_h)
    if w / max(h, 1e-6) > v.aspect:
        w = h * v.aspect
    else:
        h = w / v.aspect
    return w, h


def _needed_area(ctx: Context, v: Visual, region_w: float, region_h: float, alone: bool) -> float:
    """The area below which a picture is too small to read here."""
    best_w, best_h = fit_visual(v, region_w, region_h)
    share = SINGLE_MIN_SHARE if alone else GRID_MIN_SHARE
    if v.placeholder and isinstance(v.block, Image):
        return min(best_w * best_h, 300 * 104)
    return min(best_w * best_h, share * ctx.w * ctx.h) * 0.999


def arrange(ctx: Context, visuals: Sequence[Visual], region: Box, full: Box) -> list[Box] | None:
    """Boxes for the visuals inside ``region`` (best grid), or None when too small to read."""
    n = len(visuals)
    if n == 0:
        return []
    if region.w < 80 or region.h < 60:
        return None
    best: tuple[float, list[Box]] | None = None
    for rows in range(1, n + 1):
        per_row = math.ceil(n / rows)
        groups = [list(visuals[i : i + per_row]) for i in range(0, n, per_row)]
        if len(groups) != rows:
            continue
        row_h = (region.h - GAP * (rows - 1)) / rows
        boxes: list[Box] = []
        sizes_rows = []
        for group in groups:
            avail_w = region.w - GAP * (len(group) - 1)
            aspects = sum(v.aspect for v in group)
            h = min(row_h, avail_w / aspects)
            sizes = [fit_visual(v, h * v.aspect, h) for v in group]
            sizes_rows.append(sizes)
        used_h = sum(max(s[1] for s in sizes) for sizes in sizes_rows) + GAP * (rows - 1)
        y = region.y + max(0.0, (region.h - used_h) / 2) if n > 1 else region.y
        for sizes in sizes_rows:
            row_w = sum(s[0] for s in sizes) + GAP * (len(sizes) - 1)
            x = region.x + (region.w - row_w) / 2
            tallest = max(s[1] for s in sizes)
            for w, h in sizes:
                boxes.append(Box(x, y + (tallest - h) / 2, w, h))
                x += w + GAP
            y += tallest + GAP
        ok = all(b.w * b.h >= _needed_area(ctx, v, full.w, full.h, n == 1) for b, v in zip(boxes, visuals))
        if not ok:
            continue
        area = sum(b.w * b.h for b in boxes)
        if best is None or area > best[0] + 1:
            best = (area, boxes)
    return best[1] if best else None


def _on_slide(ctx: Context, box: Box) -> Box:
    """``box`` kept on the slide: never wider or taller than it (shrunk keeping its shape),
    never past its edges, never empty."""
    w, h = max(box.w, 1.0), max(box.h, 1.0)
    scale = min(1.0, ctx.w / w, ctx.h / h)
    if scale < 1.0:
        w, h = w * scale, h * scale
    x = min(max(box.x, 0.0), ctx.w - w)
    y = min(max(box.y, 0.0), ctx.h - h)
    return box if (x, y, w, h) == (box.x, box.y, box.w, box.h) else Box(x, y, w, h)


def play_badge(box: Box) -> Box:
    """The play symbol drawn on a video's poster: a square of 22 % of its shorter side, centred."""
    side = min(box.w, box.h) * 0.22
    return Box(box.x + (box.w - side) / 2, box.y + (box.h - side) / 2, side, side)


def _placeholder(box: Box, url: str, label: str, size: float) -> PlaceholderFrame:
    """The box shown for a picture or a video that could not be had: what it is, its URL
    (shortened; linked when it is a web address)."""
    return PlaceholderFrame(
        box, url, label, max(14.0, min(18.0, size - 4)), shorten(url, 90), url if is_web_url(url) else ""
    )


def visual_frame(ctx: Context, v: Visual, box: Box, size: float) -> Frame:
    box = _on_slide(ctx, box)
    block = v.block
    if isinstance(block, Image):
        if block.asset is None or not block.asset.ok:
            reason = block.asset.reason if block.asset else "not downloaded"
            said = block.description.strip()
            what = f"Image unavailable ({said})" if said else "Image unavailable"
            return _placeholder(box, block.url, f"{what}: {reason}", size)
        return PictureFrame(box, block.asset, block.link, block.description, decorative=block.decorative)
    # embeds
    poster = block.poster
    if poster is not None and poster.ok:
        # a video's poster is described by the video's title (titles.py gives one without a context text)
        fallback: PictureFrame | PlaceholderFrame = PictureFrame(
            box, poster, block.url, block.title.strip(), play_badge=Badge(play_badge(box))
        )
    else:
        what = {"youtube": "Video", "video": "Video", "iframe": "Embedded page"}[block.kind]
        label = f"{what}: {block.title}" if block.title else what
        fallback = _placeholder(box, block.url, label, size)
    return EmbedFrame(box, block, fallback, Badge(play_badge(box)))
