"""The fast way to shrink a still picture: libvips (pyvips), Pillow's rules, half the CPU.

Drawing a big web picture smaller is most of a cold build's CPU. libvips decodes as it
shrinks (a JPEG or WebP at a reduced scale straight from the decoder; a PNG row by row,
never the whole picture in memory at once) and encodes quickly: on the lecture's 26 raster
pictures from ../shared/tools/fakeweb.py, 1.0 s of CPU where Pillow takes 1.35 s, with a
lower peak of memory.

:mod:`deckgen.assets.images` keeps every rule and calls :func:`shrink` only for what it
knows this path does the same: an 8-bit PNG, JPEG or WebP still, unrotated, that must be
drawn smaller or converted. ``None`` means "not here": libvips is missing, or it found the
file imperfect in any way (it is strict: a warning fails), and Pillow then draws the picture
or says why it cannot, exactly as it would alone.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

PHOTO_COLOURS = 2000  # a 96 x 96 sample with more colours than this is a photo (as in images)
PNG_COMPRESSION = 4  # zlib level; with no PNG filter (libvips' default): measured, see below
# PNG settings, on the lecture's 26 rasters from fakeweb: level 4 with no filter 1.05 s and
# 3.72 MB; "up" or "sub" filters within 0.05 s and 2%; level 6, 1.14 s and 3.63 MB

_LOCK = threading.Lock()


@dataclass(frozen=True)
class Shrunk:
    data: bytes
    fmt: Literal["png", "jpeg"]
    width: int
    height: int


@functools.cache
def _pyvips() -> ModuleType | None:
    """pyvips, set up once: no operation cache (each picture is drawn once, and the cache
    would hold the originals' bytes) and one libvips thread per call (the build runs one
    drawing per core itself). None when libvips cannot be loaded."""
    with _LOCK:
        try:
            import pyvips
        except (ImportError, OSError):
            return None
        pyvips.cache_set_max(0)
        pyvips.concurrency_set(1)
        return pyvips


def available() -> bool:
    return _pyvips() is not None


def shrink(data: bytes, target: tuple[int, int], lossy: bool, quality: int) -> Shrunk | None:
    """``data`` drawn at exactly ``target`` pixels, as PNG (transparency, or a drawing) or JPEG
    (a photo, or a ``lossy`` original); None when this path does not draw it."""
    vips = _pyvips()
    if vips is None:
        return None
    try:
        # strict: a file libjpeg or libpng only warns about (cut short, say) is left to Pillow
        options: dict[str, Any] = {"access": "sequential", "fail_on": "warning"}
        if data[:2] == b"\xff\xd8":  # a JPEG decodes at 1/2, 1/4 or 1/8 of its size directly
            header = vips.Image.new_from_buffer(data, "", access="sequential")
            scale = min(header.width / target[0], header.height / target[1])
            options["shrink"] = next((k for k in (8, 4, 2) if k <= scale), 1)
        image = vips.Image.new_from_buffer(data, "", **options)
        image = image.thumbnail_image(target[0], height=target[1], size="force", no_rotate=True)
        image = image.copy_memory()  # drawn now: a damaged file fails here, not while encoding
        if (image.width, image.height) != target or image.format != "uchar":
            return None
        if image.hasalpha() and image[image.bands - 1].min() >= 255:
            image = image.extract_band(0, n=image.bands - 1)  # nothing see-through: no alpha
        if image.hasalpha() or not (lossy or _is_photo(image)):
            png = image.pngsave_buffer(compression=PNG_COMPRESSION, keep="none")
            return Shrunk(png, "png", image.width, image.height)
        jpeg = image.jpegsave_buffer(Q=quality, optimize_coding=True, keep="none")
        return Shrunk(jpeg, "jpeg", image.width, image.height)
    except vips.Error:
        return None


def _is_photo(image: Any) -> bool:  # a pyvips.Image (pyvips has no type hints)
    """More colours in a 96 x 96 nearest-pixel sample than a drawing has."""
    sample = image.resize(96 / image.width, vscale=96 / image.height, kernel="nearest")
    pixels = sample.write_to_memory()
    step = sample.bands
    seen: set[bytes] = set()
    for start in range(0, len(pixels), step):
        seen.add(pixels[start : start + step])
        if len(seen) > PHOTO_COLOURS:
            return True
    return False


__all__ = ["Shrunk", "available", "shrink"]
