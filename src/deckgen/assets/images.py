"""What an image is (decided by its bytes) and a rendition PowerPoint and browsers can show.

Nothing here trusts a URL, a file name or a Content-Type: Pillow (or, for SVG, an XML
parser) looks at the bytes. A rendition is:

* no larger than ``max_box`` (the pixels a picture can use at 2x on a 16:9 slide);
* a photo as JPEG, a graphic (few colors) or anything with transparency as PNG, an
  animation as GIF;
* the original bytes, untouched, when they already are all of that (a JPEG photo, a PNG
  diagram, a GIF) — after a full decode proved them whole.

``probe`` learns what the assets stage and the layout need (format, size as shown, frames,
orientation) from the header alone; ``convert`` then runs once per placed picture, at the
pixels its box needs, using Pillow's shortcuts (JPEG ``draft`` decodes at 1/2, 1/4 or 1/8
scale; a whole-factor ``reduce`` before the fine resampling). How a decoded picture is drawn
and encoded is ``encode``'s.
"""

from __future__ import annotations

import io
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from struct import error as struct_error
from typing import TYPE_CHECKING

from deckgen.diagnostics.quoting import error_text

if TYPE_CHECKING:  # Pillow, libvips and the encoders are imported when a picture is drawn, not by every build
    from PIL import Image as PILImage

    from deckgen.assets.encode import Converted

MAX_PIXELS = 50_000_000  # a picture claiming more is treated as a decompression bomb
# the most pixels a picture can use: a 16:9 slide (13.33 x 7.5 in) at 2x of 96 dpi
MAX_BOX = (2560, 1440)
RENDITION_VERSION = "r4"  # bump when the conversion rules change: old renditions are not reused
_SHOWABLE = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif"}
_EXIF_ORIENTATION = 0x0112
# Opening a picture reads its header; Pillow warns (or raises) about huge ones. The warnings
# filter is process-wide state, so the few lines that change it run one thread at a time.
_OPEN_LOCK = threading.Lock()


class ImageDataError(Exception):
    """The bytes are not a picture deckgen can use; the message says what they are."""


class NotAPicture(ImageDataError):
    """The bytes are something else altogether (a web page, JSON, a PDF, nothing)."""


def rendition_key(max_box: tuple[int, int] = MAX_BOX, trim_bars: bool = False) -> str:
    """The part of a rendition's cache key that is not the source's hash.

    The output format is decided by the source's bytes alone, so hash + box + rules
    (the version) + options identify a rendition completely."""
    return f"{RENDITION_VERSION}-{max_box[0]}x{max_box[1]}" + ("-bars" if trim_bars else "")


def looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    if head.startswith(b"\x1f\x8b"):
        return False
    return (
        head.startswith(b"<?xml")
        or head.startswith(b"<svg")
        or head.startswith(b"<!--")
        or head.startswith(b"<!doctype svg")
    ) and b"<svg" in data[:65536].lower()


def describe_non_image(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if not data:
        return "empty answer, not an image"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<head" in head:
        return "a web page, not an image"
    if head.startswith((b"{", b"[")):
        return "JSON data, not an image"
    if head.startswith(b"%pdf"):
        return "a PDF document, not an image"
    return "not a recognizable image"


def _open(data: bytes) -> PILImage.Image:
    """Open (read the header of) a raster picture; refuse decompression bombs."""
    from PIL import Image as PILImage

    with _OPEN_LOCK, warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(io.BytesIO(data))
        except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
            raise ImageDataError("too many pixels (decompression bomb), refused") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise ImageDataError(f"too many pixels ({width} x {height}), refused")
    if width < 1 or height < 1:
        raise ImageDataError("an empty picture (0 pixels)")
    return image


@dataclass(frozen=True)
class Probe:
    """What a picture's header says; nothing is decoded."""

    fmt: str  # png | jpeg | gif | webp | svg | ... (Pillow's format, lower case)
    width: int  # pixels as shown (after any EXIF rotation)
    height: int
    frames: int = 1
    orientation: int = 1  # EXIF orientation (1: as stored)
    size: int = 0  # bytes of the file


_PNG_END = b"IEND\xaeB`\x82"


def probe(data: bytes) -> Probe:
    """Format, size, frames and orientation of ``data`` from its header (raises ImageDataError).

    Decompression bombs are refused here, before any decode; a PNG cut short (no end chunk)
    too. Damage inside the pixel data is only found when the picture is rendered."""
    if looks_like_svg(data):
        width, height = _usable_svg_size(data)
        return Probe("svg", max(1, round(width)), max(1, round(height)), size=len(data))
    with _refusing_bad_data(data):
        image = _open(data)
        fmt = (image.format or "").lower()
        if fmt == "png" and _PNG_END not in data[-4096:]:
            raise ImageDataError("corrupt image data (cut short: no end chunk)")
        frames = int(getattr(image, "n_frames", 1)) if getattr(image, "is_animated", False) else 1
        orientation = _orientation(image, fmt)
        width, height = image.size
    if orientation in (5, 6, 7, 8):
        width, height = height, width
    return Probe(fmt, width, height, frames, orientation, len(data))


def _orientation(image: PILImage.Image, fmt: str) -> int:
    """EXIF orientation from what the header gave (a PNG's ``getexif`` would decode it all)."""
    if fmt == "png":
        raw = image.info.get("exif")
        if not raw:
            return 1
        from PIL import Image as PILImage

        exif = PILImage.Exif()
        exif.load(raw if isinstance(raw, bytes) else b"")
        value = exif.get(_EXIF_ORIENTATION, 1)
    else:
        value = image.getexif().get(_EXIF_ORIENTATION, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def convert(data: bytes, max_box: tuple[int, int] = MAX_BOX, trim_bars: bool = False) -> Converted:
    """Return a PNG, JPEG or GIF no larger than ``max_box`` (raises ImageDataError).

    ``trim_bars`` cuts black letterbox bars off the top and bottom (video thumbnails)."""
    from deckgen.assets import vips
    from deckgen.assets.encode import (
        JPEG_QUALITY,
        PHOTO_COLOURS,
        Converted,
        convert_animation,
        cut_bars,
        encode_still,
        fit_size,
        fits_in,
    )

    if looks_like_svg(data):
        return _convert_svg(data, max_box)
    with _refusing_bad_data(data):
        image = _open(data)
        fmt = image.format or ""
        animated = bool(getattr(image, "is_animated", False)) and getattr(image, "n_frames", 1) > 1
        if animated:
            if fmt == "GIF" and fits_in(*image.size, max_box):
                _load_all_frames(image)  # proves the file whole
                return Converted(data, "gif", *image.size, *image.size)
            return convert_animation(image, max_box)
        decoded = False
        if not trim_bars and _can_pass_through_header(image, fmt, max_box):
            image.load()  # a full decode: a truncated or corrupt file fails here, not in PowerPoint
            decoded = True
            if _can_pass_through(image, fmt):
                return Converted(data, _SHOWABLE[fmt], *image.size, *image.size)
        orientation = _orientation(image, fmt.lower())
        if not (decoded or trim_bars) and orientation == 1 and _vips_draws(image, fmt):
            target = fit_size(*image.size, max_box)
            shrunk = vips.shrink(data, target, _lossy(data, fmt), JPEG_QUALITY, PHOTO_COLOURS)
            if shrunk is not None:
                return Converted(shrunk.data, shrunk.fmt, shrunk.width, shrunk.height, *image.size)
        source = image.size if orientation not in (5, 6, 7, 8) else image.size[::-1]
        if fmt == "JPEG" and not trim_bars:
            # decode at the smallest 1/2^k scale still at least the target size
            tw, th = fit_size(*source, max_box)
            if orientation in (5, 6, 7, 8):
                tw, th = th, tw
            image.draft(image.mode, (tw, th))
        image.load()  # a full decode: a truncated or corrupt file fails here, not in PowerPoint
        if trim_bars:
            image = cut_bars(image)
            source = image.size
        return encode_still(image, max_box, source, orientation, _lossy(data, fmt))


@contextmanager
def _refusing_bad_data(data: bytes) -> Iterator[None]:
    """What Pillow raises on bad input (many kinds) as one ImageDataError saying why."""
    from PIL import Image as PILImage
    from PIL import UnidentifiedImageError

    try:
        yield
    except ImageDataError:
        raise
    except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
        raise ImageDataError("too many pixels (decompression bomb), refused") from None
    except UnidentifiedImageError:
        raise NotAPicture(describe_non_image(data)) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct_error) as exc:
        raise ImageDataError(f"corrupt image data ({error_text(exc)})") from None
    except MemoryError:
        raise ImageDataError("too large to decode in memory") from None


def _can_pass_through_header(image: PILImage.Image, fmt: str, box: tuple[int, int]) -> bool:
    """What the header can tell: a showable format, small enough, not rotated."""
    from deckgen.assets.encode import fits_in

    if fmt not in _SHOWABLE or not fits_in(image.width, image.height, box):
        return False
    # PowerPoint ignores EXIF rotation: the pixels must be turned
    return _orientation(image, fmt.lower()) == 1


def _can_pass_through(image: PILImage.Image, fmt: str) -> bool:
    """True when the original bytes (decoded, fitting, unrotated) already are the rendition."""
    from deckgen.assets.encode import has_alpha, is_photo

    if fmt == "JPEG":
        return image.mode in ("RGB", "L")  # CMYK and friends show wrongly in browsers
    if fmt == "PNG":
        # a PNG photo is many times the size of the same JPEG: only graphics pass
        return has_alpha(image) or not is_photo(image)
    return True  # a still GIF


_STREAMED = 16 * 2**20  # what libvips holds drawing a still: rows at a time, not the picture


def memory_cost(fmt: str, width: int, height: int, frames: int, box: tuple[int, int]) -> int:
    """About the most bytes :func:`convert` holds at once drawing such a picture (``fmt`` in
    lower case) into ``box``: the renditions stage bounds the sum over the pictures it draws
    at once. Estimates, from the copies each path makes; measured for a 4800 x 2700 animated
    GIF: 170 MB over the process's own (Pillow keeps the composed frame and the previous one,
    then the frame is shrunk)."""
    from deckgen.assets import vips

    full = width * height * 4  # one decoded RGBA copy
    if fmt == "svg":
        return 2 * box[0] * box[1] * 4  # drawn at the box's size, then encoded
    if frames > 1:
        return 3 * full
    if fmt in ("png", "jpeg", "webp") and vips.available():
        return min(full, _STREAMED)
    return 2 * full  # decoded, then converted or premultiplied


def _vips_draws(image: PILImage.Image, fmt: str) -> bool:
    """An 8-bit still that :mod:`deckgen.assets.vips` draws by the same rules as here."""
    from deckgen.assets import vips

    return (
        fmt in ("PNG", "JPEG", "WEBP") and image.mode in ("RGB", "RGBA", "L", "LA", "P") and vips.available()
    )


def _lossy(data: bytes, fmt: str) -> bool:
    """A JPEG, or a WebP whose pixels are VP8 (lossy) rather than VP8L (lossless): pixels that
    already carry a lossy codec's noise are several times the bytes as PNG, and slower."""
    if fmt == "JPEG":
        return True
    if fmt != "WEBP" or data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        return False
    offset = 12
    for _ in range(16):  # RIFF chunks: four-letter name, little-endian size, data
        if offset + 8 > len(data):
            break
        name = data[offset : offset + 4]
        if name in (b"VP8 ", b"VP8L"):
            return name == b"VP8 "
        if name == b"ANMF":  # animated: not a still, not decided here
            return False
        size = int.from_bytes(data[offset + 4 : offset + 8], "little")
        offset += 8 + size + (size & 1)
    return False


def _load_all_frames(image: PILImage.Image) -> None:
    for index in range(getattr(image, "n_frames", 1)):
        image.seek(index)
        image.load()
    image.seek(0)


_SVG_DPI = 96
_SVG_EM = 16.0  # 12 pt at 96 dpi, cairosvg's default font size


def svg_size(data: bytes) -> tuple[float, float]:
    """The natural size of an SVG in pixels, read from its root (nothing is drawn)."""
    from types import SimpleNamespace

    from cairosvg.helpers import node_format
    from cairosvg.parser import Tree

    tree = Tree(bytestring=data, unsafe=False)
    units = SimpleNamespace(dpi=_SVG_DPI, font_size=_SVG_EM, context_width=None, context_height=None)
    width, height, _ = node_format(units, tree)
    return float(width or 0), float(height or 0)


def _usable_svg_size(data: bytes) -> tuple[float, float]:
    """:func:`svg_size`, refusing (ImageDataError) a document that cannot be read or has no size."""
    try:
        width, height = svg_size(data)
    except Exception as exc:  # a bad document raises many kinds
        raise ImageDataError(f"SVG could not be read ({error_text(exc)})") from None
    if not (width > 0 and height > 0):
        raise ImageDataError("SVG without a usable size (no width/height or viewBox)")
    return width, height


def _convert_svg(data: bytes, box: tuple[int, int]) -> Converted:
    import cairosvg  # imported here: it loads libcairo, which only SVG needs

    from deckgen.assets.encode import Converted

    width, height = _usable_svg_size(data)
    # render sharp: twice the natural size, within the box (never a huge surface)
    scale = min(2.0, box[0] / width, box[1] / height)
    target = (max(1, round(width * scale)), max(1, round(height * scale)))
    try:
        # unsafe=False: no XML entities, and no file or URL referenced by the SVG is read
        png = cairosvg.svg2png(bytestring=data, output_width=target[0], output_height=target[1], unsafe=False)
    except Exception as exc:  # cairosvg raises many kinds on bad input
        raise ImageDataError(f"SVG could not be drawn ({error_text(exc)})") from None
    return Converted(png, "png", target[0], target[1], target[0], target[1])
