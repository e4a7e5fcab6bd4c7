"""The fast way to shrink a still picture: libvips (pyvips), Pillow's rules, half the CPU.

Drawing a big web picture smaller is most of a cold build's CPU. libvips decodes as it
shrinks (a JPEG or WebP at a reduced scale straight from the decoder; a PNG row by row,
never the whole picture in memory at once, unless it is interlaced) and encodes quickly: on the lecture's 26 raster
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
import os
import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Literal

PNG_COMPRESSION = 4  # zlib level
# the "sub" row filter: on real screenshots and a photo with transparency, drawn at 70%, no
# filter (libvips' default) gave 2781 KB, "sub" 1966 KB, Paeth 1740 KB at the CPU of none; on
# the lecture's 26 rasters from fakeweb, none 0.95-1.01 s and 3.68 MB, "sub" 0.96 s and 3.75 MB,
# Paeth 1.00 s and 3.78 MB: "sub" saves most of what Paeth saves, for no CPU
PNG_FILTER = "sub"

_PNG = b"\x89PNG\r\n\x1a\n"
_LOCK = threading.Lock()
_LOADED_IN: list[int] = []  # the process that set libvips up


def _forked() -> None:
    # libvips' worker threads do not survive a fork: a child that used the parent's libvips
    # would wait on them for ever. A child of a process that set it up draws with Pillow.
    _LOADED_IN.append(-1)


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
        import logging  # pyvips loads it anyway; a build that draws nothing does not

        pyvips.cache_set_max(0)
        pyvips.concurrency_set(1)
        # a picture libvips declines is Pillow's to judge: its warnings are not the user's
        logging.getLogger("pyvips").setLevel(logging.ERROR)
        _LOADED_IN[:] = [os.getpid()]
        if hasattr(os, "register_at_fork"):
            os.register_at_fork(after_in_child=_forked)
        return pyvips


def _usable() -> ModuleType | None:
    vips = _pyvips()
    return vips if vips is not None and _LOADED_IN == [os.getpid()] else None


def available() -> bool:
    return _usable() is not None


def shrink(
    data: bytes, target: tuple[int, int], lossy: bool, quality: int, photo_colours: int
) -> Shrunk | None:
    """``data`` drawn at exactly ``target`` pixels, as PNG (transparency, or a drawing) or JPEG
    (a photo: more than ``photo_colours`` colours in a 96 x 96 sample, or a ``lossy``
    original); None when this path does not draw it. An embedded colour profile is kept."""
    vips = _usable()
    if vips is None:
        return None
    try:
        if data[:8] == _PNG and data[24:25] == b"\x10":  # 16 bits a channel (IHDR's bit depth)
            return None  # Pillow's own conversion, before libvips decodes it all for nothing
        # strict: a file libjpeg or libpng only warns about (cut short, say) is left to Pillow
        options: dict[str, Any] = {"access": "sequential", "fail_on": "warning"}
        if data[:2] == b"\xff\xd8":  # a JPEG decodes at 1/2, 1/4 or 1/8 of its size directly
            header = vips.Image.new_from_buffer(data, "", access="sequential")  # the header only
            scale = min(header.width / target[0], header.height / target[1])
            options["shrink"] = next((k for k in (8, 4, 2) if k <= scale), 1)
        image = vips.Image.new_from_buffer(data, "", **options)
        image = image.thumbnail_image(target[0], height=target[1], size="force", no_rotate=True)
        image = image.copy_memory()  # drawn now: a damaged file fails here, not while encoding
        if (image.width, image.height) != target or image.format != "uchar":
            return None
        if image.hasalpha() and image[image.bands - 1].min() >= 255:
            image = image.extract_band(0, n=image.bands - 1)  # nothing see-through: no alpha
        if image.hasalpha() or not (lossy or _is_photo(image, photo_colours)):
            png = image.pngsave_buffer(compression=PNG_COMPRESSION, filter=PNG_FILTER, keep="icc")
            return Shrunk(png, "png", image.width, image.height)
        jpeg = image.jpegsave_buffer(Q=quality, optimize_coding=True, keep="icc")
        return Shrunk(jpeg, "jpeg", image.width, image.height)
    except vips.Error:
        return None


def _is_photo(image: Any, colours: int) -> bool:  # a pyvips.Image (pyvips has no type hints)
    """More colours in a 96 x 96 nearest-pixel sample than a drawing has."""
    sample = image.resize(96 / image.width, vscale=96 / image.height, kernel="nearest")
    pixels = sample.write_to_memory()
    step = sample.bands
    seen: set[bytes] = set()
    for start in range(0, len(pixels), step):
        seen.add(pixels[start : start + step])
        if len(seen) > colours:
            return True
    return False


__all__ = ["Shrunk", "available", "shrink"]
