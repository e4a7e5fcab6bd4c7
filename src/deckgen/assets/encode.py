"""A decoded picture drawn at the size of its box and encoded as the decks show it: a photo as
JPEG, a graphic (few colours) or anything with transparency as PNG, an animation as GIF. The
rules of ``images.convert`` for what it draws itself (libvips draws the same by ``vips``)."""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Pillow is imported when a picture is drawn, not by every build
    from PIL import Image as PILImage

JPEG_QUALITY = 85
PHOTO_COLOURS = 2000  # a 96 x 96 sample with more colours than this is a photo
# zlib for PNG renditions: level 4 with the run-length strategy (Z_RLE), chosen by measurement
# (PNG filters already turn flat areas into runs). On the lecture's 26 raster pictures from
# ../shared/tools/fakeweb.py drawn at slide sizes, default strategy at levels 1/2/4/6 against
# Z_RLE: 1.60/1.61/1.81/1.79 s for 5.0/4.95/4.42/4.37 MB, Z_RLE 1.51 s for 4.40 MB. On 32 real
# screenshots and icons (docs/ and the system's) at 70%: level 4 1.10 s 6.25 MB, Z_RLE 0.82 s
# 6.67 MB, level 2 0.86 s 6.42 MB. Z_RLE is the fastest on both, the smallest on the first.
PNG_LEVEL = 4
PNG_STRATEGY = zlib.Z_RLE
# resize: reduce by the largest whole factor (an area average) that stays above the target,
# then a bicubic filter for the rest (less than 2x): a 4800x2700 RGBA to 1542x867 takes 0.06 s
# instead of 0.24 s (measured on the pictures of ../shared/tools/fakeweb.py). Bicubic rather
# than Lanczos: on the lecture's 26 rasters 1.35 against 1.42 s and 3.43 against 3.59 MB, and
# at twice a screen's pixels the two look the same
REDUCING_GAP = 1.0


@dataclass(frozen=True)
class Converted:
    """A rendition: its bytes and format, its size, and the size of the picture it was drawn from."""

    data: bytes
    fmt: str  # png | jpeg | gif
    width: int
    height: int
    source_width: int
    source_height: int


def fits_in(width: int, height: int, box: tuple[int, int]) -> bool:
    """Does a picture of this size fit ``box`` as it is?"""
    return width <= box[0] and height <= box[1]


def fit_size(width: int, height: int, box: tuple[int, int]) -> tuple[int, int]:
    """The size a picture is drawn at: within ``box``, its shape kept, never enlarged."""
    scale = min(1.0, box[0] / max(1, width), box[1] / max(1, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def has_alpha(image: PILImage.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA", "RGBa", "La"):
        low = image.getchannel("A").getextrema()[0]
        return isinstance(low, (int, float)) and low < 255
    return "transparency" in image.info


def is_photo(image: PILImage.Image) -> bool:
    """Photos compress well as JPEG; diagrams and screenshots with few colors as PNG."""
    from PIL import Image as PILImage

    sample = image.resize((96, 96), PILImage.Resampling.NEAREST).convert(
        "RGB"
    )  # 9216 pixels, picked not blended
    return sample.getcolors(maxcolors=PHOTO_COLOURS) is None


def cut_bars(image: PILImage.Image) -> PILImage.Image:
    """Remove near-black rows from the top and bottom (a 4:3 thumbnail of a 16:9 video)."""
    lit = image.convert("L").point(lambda v: 255 if v > 40 else 0)
    bbox = lit.getbbox()
    if bbox is None:
        return image
    top, bottom = bbox[1], bbox[3]
    if bottom - top < image.height * 0.5 or (top == 0 and bottom == image.height):
        return image
    return image.crop((0, top, image.width, bottom))


def encode_still(
    image: PILImage.Image,
    box: tuple[int, int],
    source: tuple[int, int],
    orientation: int = 1,
    lossy: bool = False,
) -> Converted:
    """``source``: the original's size as shown (``image`` may be a reduced JPEG draft).

    Shrunk first, in the mode it was decoded in where resampling allows it, so the
    conversions and checks after it touch the small picture only."""
    from PIL import ImageOps

    if orientation != 1:
        image = ImageOps.exif_transpose(image) or image
    if image.mode == "CMYK":
        image = image.convert("RGB")
    if image.mode in ("I;16", "I;16B", "I;16L", "I", "F"):
        image = ImageOps.autocontrast(image.convert("I").point(lambda v: v / 256)).convert("L")
    if image.mode not in ("RGB", "RGBA", "L", "LA"):  # palettes, bilevel...: resampled as colors
        image = image.convert("RGBA" if has_alpha(image) else "RGB")
    elif image.mode in ("RGBA", "LA") and not has_alpha(image):
        # an alpha channel with nothing transparent: the same pixels without it, and shrinking
        # skips Pillow's premultiplied copy of the whole picture (a tenth of the time)
        image = image.convert(image.mode[:-1])
    target = fit_size(*source, box)
    target = (min(target[0], image.width), min(target[1], image.height))
    if target != image.size:
        image = shrink(image, target)
    out = io.BytesIO()
    if has_alpha(image):
        image.save(out, "PNG", compress_level=PNG_LEVEL, compress_type=PNG_STRATEGY)
        fmt = "png"
    else:
        rgb = image if image.mode in ("RGB", "L") else image.convert("RGB" if image.mode == "RGBA" else "L")
        if lossy or is_photo(rgb):
            rgb.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
            fmt = "jpeg"
        else:
            rgb.save(out, "PNG", compress_level=PNG_LEVEL, compress_type=PNG_STRATEGY)
            fmt = "png"
    return Converted(out.getvalue(), fmt, target[0], target[1], *source)


def shrink(image: PILImage.Image, target: tuple[int, int]) -> PILImage.Image:
    """Resize to ``target``: whole-factor reduction first, then bicubic.

    The reduction runs before ``resize`` (not through its ``reducing_gap``): ``resize``
    first converts RGBA to premultiplied alpha, which on a full-size picture costs more
    than all the rest."""
    factor = int(min(image.width / target[0], image.height / target[1]) / REDUCING_GAP)
    if factor >= 2:
        image = image.reduce(factor)
    from PIL import Image as PILImage

    return image.resize(target, PILImage.Resampling.BICUBIC)


def convert_animation(image: PILImage.Image, box: tuple[int, int]) -> Converted:
    """Animated WebP/PNG/oversized GIF to an animated GIF (PowerPoint plays GIFs)."""
    from PIL import Image as PILImage

    width, height = image.size
    target = fit_size(width, height, (min(box[0], 1280), min(box[1], 720)))
    frames = []
    durations = []
    for index in range(min(getattr(image, "n_frames", 1), 300)):
        image.seek(index)
        # a frame with nothing transparent is shrunk as RGB: no premultiplied full-size copy;
        # one already RGB (a GIF's frames after the first) is shrunk as it is, not copied
        mode = "RGBA" if has_alpha(image) else "RGB"
        frame = image if image.mode == mode else image.convert(mode)
        if target != frame.size:
            frame = shrink(frame, target)
        elif frame is image:
            frame = image.copy()  # the next seek reuses the decoder's frame
        # the fast octree: what an RGBA frame gets anyway, and a tenth of median cut's time on RGB
        frames.append(frame.quantize(256, method=PILImage.Quantize.FASTOCTREE))
        del frame
        durations.append(int(image.info.get("duration", 100)) or 100)
    out = io.BytesIO()
    frames[0].save(
        out, "GIF", save_all=True, append_images=frames[1:], duration=durations, loop=0, disposal=2
    )
    return Converted(out.getvalue(), "gif", target[0], target[1], width, height)
