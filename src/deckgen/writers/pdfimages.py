"""Pictures into the PDF without decoding and compressing them again on every print.

fpdf2 passes a JPEG through (DCTDecode) but decodes every PNG and GIF with Pillow and
compresses it again (``image_parsing._to_zdata``): most of a warm print's time. A PNG's IDAT
stream already *is* what a PDF FlateDecode image with ``/DecodeParms << /Predictor 15
/Colors n /BitsPerComponent 8 /Columns w >>`` holds (PNG's row filters are what a predictor
of 10 or more means), so an 8-bit, non-interlaced PNG without transparency goes into the PDF
as it is.

A PDF image has no alpha channel: a PNG with one (RGBA, grey with alpha, a tRNS chunk) is
split into its colour and its alpha (an /SMask) once, by libvips, into two PNGs kept in the
cache folder, whose IDAT streams then pass through on every later print. A GIF (its first
frame) and a PNG that cannot pass (16-bit, interlaced, fewer than 8 bits) are made such
PNGs the same way.

:func:`prime` puts a picture's image info into ``pdf.image_cache`` under its path, where
``pdf.image(str(path), ...)`` finds it and reads nothing (fpdf2's own ``preload_image``
stores what it decodes there; this relies on that cache's layout, pinned with fpdf2).
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8"
_COLORS = {0: (1, "DeviceGray"), 2: (3, "DeviceRGB"), 3: (1, "Indexed")}


def _chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    pos = 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        yield kind, data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IEND":
            break


def png_info(data: bytes) -> dict[str, Any] | None:
    """fpdf2's image info for a PNG whose IDAT can go into the PDF as it is (None: it can't)."""
    if data[:8] != _PNG:
        return None
    idat: list[bytes] = []
    w = h = depth = ctype = interlace = -1
    palette = iccp = None
    for kind, body in _chunks(data):
        if kind == b"IHDR":
            w, h, depth, ctype, _compression, _filter, interlace = struct.unpack(">IIBBBBB", body)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"tRNS":
            return None  # transparency: needs an /SMask
        elif kind == b"iCCP":
            try:
                iccp = zlib.decompress(body[body.index(b"\0") + 2 :])
            except (ValueError, zlib.error):
                return None
        elif kind == b"IDAT":
            idat.append(body)
    if depth != 8 or interlace != 0 or ctype not in _COLORS or not idat or w <= 0 or h <= 0:
        return None  # 16-bit, 1/2/4-bit, interlaced, with alpha: not as it is
    if ctype == 3 and palette is None:
        return None
    n, space = _COLORS[ctype]
    info: dict[str, Any] = {
        "data": b"".join(idat),
        "w": w,
        "h": h,
        "cs": space,
        "iccp": iccp if ctype != 3 else None,
        "dpn": n,
        "bpc": 8,
        "f": "FlateDecode",
        "inverted": False,
        "dp": f"/Predictor 15 /Colors {n} /Columns {w}",
    }
    if ctype == 3:
        info["pal"] = palette
    return info


def _normalized(path: Path, cache_dir: Path) -> tuple[bytes, bytes | None]:
    """The picture as an 8-bit PNG that passes, and its alpha as another (None: opaque),
    made once by libvips and kept in ``cache_dir``, keyed by the file's name, size and time
    (a rendition's name is its content's, and each build sees it through a hard link of its
    own, in another folder but with the same time)."""
    stat = path.stat()
    key = hashlib.sha256(f"{path.name}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:32]
    color_file, alpha_file = cache_dir / f"{key}.color.png", cache_dir / f"{key}.alpha.png"
    if color_file.is_file():
        return color_file.read_bytes(), alpha_file.read_bytes() if alpha_file.is_file() else None
    import pyvips

    image = pyvips.Image.new_from_file(str(path))
    grey = image.interpretation in ("b-w", "grey16")
    wanted = "b-w" if grey else "srgb"
    if image.interpretation != wanted or image.format != "uchar":
        image = image.colourspace(wanted)
        if image.format != "uchar":
            image = image.cast("uchar")
    alpha_png = None
    if image.hasalpha():
        alpha = image.extract_band(image.bands - 1)
        image = image.extract_band(0, n=image.bands - 1)
        # level 4 and the "sub" filter, as the renditions: fast, nearly Paeth's size
        alpha_png = alpha.pngsave_buffer(compression=4, filter="sub", keep="none", interlace=False)
    color_png = image.pngsave_buffer(compression=4, filter="sub", keep="icc", interlace=False)
    cache_dir.mkdir(parents=True, exist_ok=True)
    if alpha_png is not None:
        _write(alpha_file, alpha_png)  # first: a colour file without its alpha would mean opaque
    _write(color_file, color_png)
    return color_png, alpha_png


def _write(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)


def image_info(path: Path, cache_dir: Path) -> dict[str, Any] | None:
    """fpdf2's image info for a picture file, without decoding it (None: leave it to fpdf2)."""
    with path.open("rb") as f:
        head = f.read(8)
    if head[:2] == _JPEG:
        return None  # fpdf2 passes a JPEG through already
    if head == _PNG:
        info = png_info(path.read_bytes())
        if info is not None:
            return info
    color_png, alpha_png = _normalized(path, cache_dir)
    info = png_info(color_png)
    if info is None:
        return None
    if alpha_png is not None:
        alpha = png_info(alpha_png)
        if alpha is None:
            return None
        info["smask"] = alpha["data"]  # fpdf2 writes it with /Predictor 15 /Colors 1
    return info


def prime(pdf: Any, path: Path, cache_dir: Path) -> None:
    """Make ``pdf.image(str(path), ...)`` use the pass-through data (as fpdf2's own
    ``preload_image`` fills its cache, less the decoding)."""
    from fpdf.image_datastructures import RasterImageInfo

    cache = pdf.image_cache
    name = str(path)
    if name in cache.images:
        return
    info = image_info(path, cache_dir)
    if info is None:
        return
    raster = RasterImageInfo(info)
    raster["i"] = len(cache.images) + 1
    raster["usages"] = 0  # pdf.image() counts each use
    raster["iccp_i"] = None
    iccp = raster.get("iccp")
    if iccp is not None:
        raster["iccp_i"] = cache.icc_profiles.setdefault(iccp, len(cache.icc_profiles))
        raster["iccp"] = None
    cache.images[name] = raster


__all__ = ["image_info", "png_info", "prime"]
