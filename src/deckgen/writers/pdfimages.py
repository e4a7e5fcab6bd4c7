"""Pictures into the PDF without decoding and compressing them again on every print.

fpdf2 passes a JPEG through (DCTDecode) but decodes every PNG and GIF with Pillow and
compresses it again (``image_parsing._to_zdata``): most of a warm print's time. A PNG's IDAT
stream already *is* what a PDF FlateDecode image with ``/DecodeParms << /Predictor 15
/Colors n /BitsPerComponent 8 /Columns w >>`` holds (PNG's row filters are what a predictor
of 10 or more means), so an 8-bit, non-interlaced PNG without transparency goes into the PDF
as it is.

A JPEG passes as it is too (DCTDecode); its header is read here, without Pillow.

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


# start-of-frame markers of the baseline, extended and progressive Huffman JPEGs (not lossless)
_SOF = {0xC0, 0xC1, 0xC2}
_ICC_SPACES = {1: b"GRAY", 3: b"RGB ", 4: b"CMYK"}


def jpeg_info(data: bytes) -> dict[str, Any] | None:
    """fpdf2's image info for a JPEG, read from its markers (None: leave it to fpdf2)."""
    if data[:2] != _JPEG:
        return None
    pos, icc = 2, {}
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # markers without a length
            pos += 2
            continue
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        body = data[pos + 4 : pos + 2 + length]
        if marker == 0xE2 and body.startswith(b"ICC_PROFILE\0") and len(body) > 14:
            icc[body[12]] = body[14:]
        elif marker in _SOF and len(body) >= 6:
            bits, h, w, n = struct.unpack(">BHHB", body[:6])
            if bits != 8 or n not in _ICC_SPACES or w <= 0 or h <= 0:
                return None
            profile = b"".join(icc[k] for k in sorted(icc))
            sane = len(profile) > 128 and profile[36:40] == b"acsp" and profile[16:20] == _ICC_SPACES[n]
            space = {1: "DeviceGray", 3: "DeviceRGB", 4: "DeviceCMYK"}[n]
            return {
                "data": data,
                "w": w,
                "h": h,
                "cs": space,
                "iccp": profile if sane else None,
                "dpn": n,
                "bpc": 8,
                "f": "DCTDecode",
                "inverted": n == 4,  # as fpdf2 writes a CMYK JPEG (Adobe's inverted values)
                "dp": f"/Predictor 15 /Colors {n} /Columns {w}",
            }
        elif marker in (0xDA, 0xD9) or (0xC3 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC)):
            return None  # a scan before any frame, or lossless / arithmetic coding: fpdf2 decides
        pos += 2 + length
    return None


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
        return jpeg_info(path.read_bytes())
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


__all__ = ["image_info", "jpeg_info", "png_info", "prime"]
