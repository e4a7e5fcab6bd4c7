"""What an image is (decided by its bytes) and a rendition PowerPoint and browsers can show."""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass

from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError

MAX_PIXELS = 50_000_000  # a picture claiming more is treated as a decompression bomb
# the most pixels a picture can use: a 16:9 slide at 2x of 96 dpi
MAX_BOX = (2560, 1440)
RENDITION_VERSION = "r1"
_SHOWABLE = {"PNG": "png", "JPEG": "jpeg", "GIF": "gif"}


class ImageDataError(Exception):
    """The bytes are not a picture deckgen can use; the message says what they are."""


@dataclass(frozen=True)
class Converted:
    data: bytes
    fmt: str  # png | jpeg | gif
    width: int
    height: int
    source_width: int
    source_height: int


def rendition_key(max_box: tuple[int, int] = MAX_BOX) -> str:
    return f"{RENDITION_VERSION}-{max_box[0]}x{max_box[1]}"


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


def convert(data: bytes, max_box: tuple[int, int] = MAX_BOX, trim_bars: bool = False) -> Converted:
    """Return a PNG, JPEG or GIF no larger than ``max_box`` (raises ImageDataError).

    ``trim_bars`` cuts black letterbox bars off the top and bottom (video thumbnails)."""
    if looks_like_svg(data):
        return _convert_svg(data, max_box)
    with warnings.catch_warnings():
        warnings.simplefilter("error", PILImage.DecompressionBombWarning)
        try:
            image = PILImage.open(io.BytesIO(data))
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ImageDataError(f"too many pixels ({width} x {height}), refused")
            fmt = image.format or ""
            animated = bool(getattr(image, "is_animated", False)) and getattr(image, "n_frames", 1) > 1
            if (
                not trim_bars
                and fmt in _SHOWABLE
                and _fits(width, height, max_box)
                and (fmt != "JPEG" or image.mode in ("RGB", "L"))
            ):
                image.verify()  # a truncated or corrupt file fails here, not in PowerPoint
                return Converted(data, _SHOWABLE[fmt], width, height, width, height)
            if animated:
                return _convert_animation(image, max_box)
            image.load()
            if trim_bars:
                image = _trim_bars(image)
        except ImageDataError:
            raise
        except (PILImage.DecompressionBombWarning, PILImage.DecompressionBombError):
            raise ImageDataError("too many pixels (decompression bomb), refused") from None
        except UnidentifiedImageError:
            raise ImageDataError(describe_non_image(data)) from None
        except (OSError, SyntaxError, ValueError, EOFError) as exc:
            raise ImageDataError(f"corrupt image data ({_short(exc)})") from None
        return _encode_still(image, width, height, max_box)


def _short(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    return text[:60] if text else type(exc).__name__


def _fits(width: int, height: int, box: tuple[int, int]) -> bool:
    return width <= box[0] and height <= box[1]


def _target(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    scale = min(1.0, box[0] / max(1, width), box[1] / max(1, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _has_alpha(image: PILImage.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA"):
        return image.getchannel("A").getextrema()[0] < 255
    return image.mode == "P" and "transparency" in image.info


def _is_photo(image: PILImage.Image) -> bool:
    """Photos compress well as JPEG; diagrams and screenshots with few colors as PNG."""
    colors = image.convert("RGB").resize((64, 64)).getcolors(maxcolors=1200)
    return colors is None


def _trim_bars(image: PILImage.Image) -> PILImage.Image:
    """Remove near-black rows from the top and bottom (a 4:3 thumbnail of a 16:9 video)."""
    gray = image.convert("L")
    width, height = gray.size
    rows = [max(gray.crop((0, y, width, y + 1)).getextrema()[1], 0) for y in range(height)]
    top = next((y for y, v in enumerate(rows) if v > 40), 0)
    bottom = next((height - y for y, v in enumerate(reversed(rows)) if v > 40), height)
    if bottom - top < height * 0.5 or (top == 0 and bottom == height):
        return image
    return image.crop((0, top, width, bottom))


def _encode_still(image: PILImage.Image, width: int, height: int, box: tuple[int, int]) -> Converted:
    image = ImageOps.exif_transpose(image) or image
    if image.mode == "CMYK":
        image = image.convert("RGB")
    if image.mode in ("I;16", "I", "F"):
        image = ImageOps.autocontrast(image.convert("I").point(lambda v: v / 256)).convert("L")
    alpha = _has_alpha(image)
    target = _target(image.width, image.height, box)
    out = io.BytesIO()
    if alpha:
        image = image.convert("RGBA")
        if target != image.size:
            image = image.resize(target, PILImage.LANCZOS)
        image.save(out, "PNG", optimize=False)
        fmt = "png"
    else:
        rgb = image.convert("RGB") if image.mode not in ("RGB", "L") else image
        if target != rgb.size:
            rgb = rgb.resize(target, PILImage.LANCZOS)
        if _is_photo(rgb):
            rgb.save(out, "JPEG", quality=85, optimize=True)
            fmt = "jpeg"
        else:
            rgb.save(out, "PNG")
            fmt = "png"
    return Converted(out.getvalue(), fmt, target[0], target[1], width, height)


def _convert_animation(image: PILImage.Image, box: tuple[int, int]) -> Converted:
    """Animated WebP/PNG/oversized GIF to an animated GIF (PowerPoint plays GIFs)."""
    width, height = image.size
    target = _target(width, height, (min(box[0], 1280), min(box[1], 720)))
    frames = []
    durations = []
    for index in range(min(getattr(image, "n_frames", 1), 300)):
        image.seek(index)
        frame = image.convert("RGBA")
        if target != frame.size:
            frame = frame.resize(target, PILImage.LANCZOS)
        frames.append(frame.convert("P", palette=PILImage.ADAPTIVE))
        durations.append(int(image.info.get("duration", 100)) or 100)
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0, disposal=2
    )
    return Converted(out.getvalue(), "gif", target[0], target[1], width, height)


_SVG_SIZE = re.compile(
    rb"<svg[^>]*?\swidth\s*=\s*[\"']([\d.]+)(px)?[\"'][^>]*?\sheight\s*=\s*[\"']([\d.]+)(px)?[\"']",
    re.S | re.I,
)


def _convert_svg(data: bytes, box: tuple[int, int]) -> Converted:
    import cairosvg  # imported here: it loads libcairo, which only SVG needs

    try:
        probe = cairosvg.svg2png(bytestring=data, unsafe=False)
        natural = PILImage.open(io.BytesIO(probe))
        width, height = natural.size
        # render sharp: twice the natural size, within the box
        scale = min(2.0, box[0] / max(1, width), box[1] / max(1, height))
        target = (max(1, round(width * scale)), max(1, round(height * scale)))
        png = cairosvg.svg2png(bytestring=data, output_width=target[0], output_height=target[1], unsafe=False)
    except Exception as exc:  # cairosvg raises many kinds on bad input
        raise ImageDataError(f"SVG could not be drawn ({_short(exc)})") from None
    return Converted(png, "png", target[0], target[1], target[0], target[1])
