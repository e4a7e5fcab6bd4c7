"""Pictures into the PDF undecoded: a PNG's rows as they are, the alpha split once and cached."""

from __future__ import annotations

import os
import struct
from pathlib import Path

import pytest
from PIL import Image as PILImage

from deckgen.writers.pdfimages import image_info, png_info


def idat(data: bytes) -> bytes:
    pos, out = 8, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            out += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return out


def save(tmp_path: Path, name: str, image: PILImage.Image, **options: object) -> Path:
    path = tmp_path / name
    if name.startswith("interlaced"):  # Pillow does not write interlaced PNGs; libvips does
        import pyvips

        pyvips.Image.new_from_memory(image.tobytes(), image.width, image.height, 3, "uchar").pngsave(str(path), interlace=True)
    else:
        image.save(path, **options)
    return path


def test_an_8_bit_png_without_transparency_passes_as_it_is(tmp_path: Path) -> None:
    path = save(tmp_path, "rgb.png", PILImage.new("RGB", (30, 20), (1, 2, 3)))
    info = png_info(path.read_bytes())
    assert info is not None
    assert info["data"] == idat(path.read_bytes())
    assert (info["w"], info["h"], info["cs"], info["bpc"]) == (30, 20, "DeviceRGB", 8)
    assert info["dp"] == "/Predictor 15 /Colors 3 /Columns 30"
    grey = png_info(save(tmp_path, "l.png", PILImage.new("L", (5, 5), 9)).read_bytes())
    assert grey is not None and grey["cs"] == "DeviceGray"
    indexed = PILImage.new("P", (5, 5), 1)
    indexed.putpalette(bytes(range(256)) * 3)  # 256 colours: 8 bits a pixel
    palette = png_info(save(tmp_path, "p.png", indexed).read_bytes())
    assert palette is not None and palette["cs"] == "Indexed" and palette["pal"]


@pytest.mark.parametrize(
    "name, image, options",
    [
        ("rgba.png", PILImage.new("RGBA", (8, 4), (10, 20, 30, 77)), {}),
        ("la.png", PILImage.new("LA", (8, 4), (10, 77)), {}),
        ("trns.png", PILImage.new("P", (8, 4), 0), {"transparency": 0}),
        ("deep.png", PILImage.new("I;16", (8, 4), 3000), {}),
        ("interlaced.png", PILImage.new("RGB", (8, 4), (5, 6, 7)), {}),
        ("two-colours.png", PILImage.new("P", (8, 4), 1), {}),  # Pillow writes it 1 bit a pixel
        ("anim.gif", PILImage.new("P", (8, 4), 2), {}),
    ],
)
def test_what_cannot_pass_is_made_a_png_that_can_once_its_alpha_a_mask(
    tmp_path: Path, name: str, image: PILImage.Image, options: dict[str, object]
) -> None:
    path = save(tmp_path, name, image, **options)
    if name.endswith(".png"):
        assert png_info(path.read_bytes()) is None
    cache = tmp_path / "cache"
    info = image_info(path, cache)
    assert info is not None and (info["w"], info["h"], info["bpc"]) == (8, 4, 8)
    assert ("smask" in info) == (name in ("rgba.png", "la.png", "trns.png"))
    made = sorted(p.name for p in cache.iterdir())
    # a build sees the picture through a hard link of its own, elsewhere: the same cached files
    other = tmp_path / "held"
    other.mkdir()
    os.link(path, other / name)
    again = image_info(other / name, cache)
    assert again == info and sorted(p.name for p in cache.iterdir()) == made


@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK"])
def test_a_jpeg_passes_as_it_is_read_as_fpdf2_reads_it(tmp_path: Path, mode: str) -> None:
    from fpdf.image_parsing import get_img_info

    color = {"RGB": (1, 2, 3), "L": 9, "CMYK": (1, 2, 3, 4)}[mode]
    path = save(tmp_path, "x.jpg", PILImage.new(mode, (9, 7), color), progressive=mode == "L")  # type: ignore[arg-type]
    mine = image_info(path, tmp_path / "cache")
    theirs = get_img_info(str(path), None)
    assert mine is not None and mine["data"] == path.read_bytes()
    for key in ("w", "h", "cs", "dpn", "bpc", "f", "inverted", "dp"):
        assert mine[key] == theirs[key], key
    assert not (tmp_path / "cache").exists()  # nothing to make


def test_a_jpeg_s_icc_profile_goes_with_it(tmp_path: Path) -> None:
    from PIL import ImageCms

    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    path = save(tmp_path, "icc.jpg", PILImage.new("RGB", (9, 7), (1, 2, 3)), icc_profile=profile)
    info = image_info(path, tmp_path / "cache")
    assert info is not None and info["iccp"] == profile
