"""libvips draws the stills it is given by Pillow's rules; whatever it finds imperfect, or
cannot load, Pillow draws (or refuses) as it would alone."""

from __future__ import annotations

import io
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from typing import Any

import pytest
from PIL import Image, ImageChops, ImageCms, ImageStat

from deckgen.assets import images, vips
from deckgen.assets.images import ImageDataError, convert
from support.imageserver import encode_image

pytestmark = pytest.mark.skipif(not vips.available(), reason="libvips (pyvips) not installed")

BOX = (800, 800)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _palette_with_transparency() -> bytes:
    image = Image.open(io.BytesIO(encode_image("palette", "png", 1600, 900, alpha=True))).convert("RGBA")
    return _png(image.quantize(64))


def _grey() -> bytes:
    return _png(Image.open(io.BytesIO(encode_image("grey", "png", 1600, 900))).convert("L"))


CASES = {
    "png drawing": lambda: encode_image("drawing", "png", 2400, 1350),
    "png with alpha": lambda: encode_image("see-through", "png", 2400, 1350, alpha=True),
    "jpeg photo": lambda: encode_image("photo", "jpg", 3000, 1000),
    "lossy webp": lambda: encode_image("webp", "webp", 1600, 900),
    "webp with alpha": lambda: encode_image("webp-alpha", "webp", 1600, 900, alpha=True),
    "grey png": _grey,
    "palette png with transparency": _palette_with_transparency,
}


def _without_vips(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vips, "_pyvips", lambda: None)


def _decoded(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize("case", sorted(CASES))
def test_libvips_and_pillow_draw_a_picture_alike(case: str, monkeypatch: pytest.MonkeyPatch) -> None:
    data = CASES[case]()
    calls: list[object] = []
    real = vips.shrink

    def shrink(*args: Any, **kwargs: Any) -> vips.Shrunk | None:
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(vips, "shrink", shrink)
    fast = convert(data, BOX)
    assert len(calls) == 1  # drawn by libvips
    with monkeypatch.context() as m:
        _without_vips(m)
        slow = convert(data, BOX)
    assert (fast.fmt, fast.width, fast.height) == (slow.fmt, slow.width, slow.height)
    assert (fast.source_width, fast.source_height) == (slow.source_width, slow.source_height)
    a, b = _decoded(fast.data), _decoded(slow.data)
    assert a.size == (fast.width, fast.height) and a.mode.endswith("A") == b.mode.endswith("A")
    mode = "RGBA" if b.mode.endswith("A") or b.mode == "P" else "RGB"
    diff = ImageStat.Stat(ImageChops.difference(a.convert(mode), b.convert(mode))).mean
    assert max(diff) < 6, diff  # the same picture (filters differ a little at the edges)


def test_a_picture_libvips_finds_damaged_is_left_to_pillow_which_refuses_it() -> None:
    data = encode_image("cut", "jpg", 3000, 1000)[:-20_000]
    assert vips.shrink(data, (800, 267), True, 85, 2000) is None
    with pytest.raises(ImageDataError, match="corrupt|truncated"):
        convert(data, BOX)


def test_a_jpeg_libjpeg_only_warns_about_is_declined_by_libvips_and_drawn_by_pillow() -> None:
    # stray bytes before the scan: libjpeg warns ("extraneous bytes before marker"), the
    # strict libvips declines, Pillow draws it as it always did
    data = encode_image("stray", "jpg", 3000, 1000)
    scan = data.index(b"\xff\xda")
    data = data[:scan] + b"\x00" * 16 + data[scan:]
    assert vips.shrink(data, (800, 267), True, 85, 2000) is None
    got = convert(data, BOX)
    assert (got.fmt, got.width) == ("jpeg", 800)


def test_a_colour_profile_is_kept_by_both_ways_of_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.open(io.BytesIO(encode_image("tagged", "png", 2400, 1350, alpha=True))).save(
        out, "PNG", icc_profile=profile
    )
    fast = convert(out.getvalue(), BOX)
    with monkeypatch.context() as m:
        _without_vips(m)
        slow = convert(out.getvalue(), BOX)
    for got in (fast, slow):
        assert got.fmt == "png" and _decoded(got.data).info.get("icc_profile")


def test_a_16_bit_png_is_left_to_pillow_before_libvips_decodes_it() -> None:
    pyvips = vips._pyvips()
    assert pyvips is not None
    deep = (pyvips.Image.black(2000, 1000, bands=3) + [20000, 40000, 60000]).cast("ushort")
    data = deep.copy(interpretation="rgb16").pngsave_buffer(bitdepth=16)
    assert vips.shrink(data, (800, 400), False, 85, 2000) is None
    got = convert(data, BOX)
    assert (got.width, got.height) == (800, 400)


def test_the_webp_chunk_walk_stops_after_a_few_chunks() -> None:
    lossy = encode_image("chunks", "webp", 640, 360)
    assert images._lossy(lossy, "WEBP")
    body = b"JUNK\x00\x00\x00\x00" * 200_000 + lossy[12:]  # a VP8 chunk 200,000 chunks in
    crafted = b"RIFF" + (len(body) + 4).to_bytes(4, "little") + b"WEBP" + body
    assert not images._lossy(crafted, "WEBP")  # not looked for so far: PNG, never a long walk


def _draw_in_child(data: bytes) -> str:
    return convert(data, BOX).fmt


def test_a_process_forked_after_libvips_drew_still_draws(monkeypatch: pytest.MonkeyPatch) -> None:
    data = encode_image("fork", "jpg", 3000, 1000)
    assert convert(data, BOX).fmt == "jpeg"  # libvips set up and used in this process
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(_draw_in_child, data).result(timeout=60) == "jpeg"  # by Pillow


def test_without_libvips_pillow_draws_every_picture(monkeypatch: pytest.MonkeyPatch) -> None:
    _without_vips(monkeypatch)
    assert not vips.available()
    got = convert(encode_image("no-vips", "png", 2400, 1350, alpha=True), BOX)
    assert (got.fmt, got.width, got.height) == ("png", 800, 450)


def test_what_libvips_is_not_given() -> None:
    cmyk = io.BytesIO()
    Image.new("CMYK", (2000, 1000), (0, 50, 100, 0)).save(cmyk, "JPEG")
    header = Image.open(io.BytesIO(cmyk.getvalue()))
    assert not images._vips_draws(header, "JPEG")  # CMYK: Pillow's own conversion
    tiff = io.BytesIO()
    Image.new("RGB", (2000, 1000)).save(tiff, "TIFF")
    assert not images._vips_draws(Image.open(io.BytesIO(tiff.getvalue())), "TIFF")
