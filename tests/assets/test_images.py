"""What an image is is decided by its bytes; renditions are sized and typed for the slide."""

from __future__ import annotations

import io
import threading

import pytest
from PIL import Image

from deckgen.assets.images import (
    MAX_BOX,
    ImageDataError,
    Probe,
    convert,
    describe_non_image,
    looks_like_svg,
    probe,
    rendition_key,
    svg_size,
)
from support.imageserver import ImageServer, build_bomb_png, encode_animation, encode_image


def _open(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


def _graphic_png(size: tuple[int, int] = (400, 300), alpha: bool = False) -> bytes:
    image = Image.new("RGBA" if alpha else "RGB", size, (255, 255, 255, 0) if alpha else (255, 255, 255))
    for x in range(0, size[0], 40):
        image.paste((20, 90, 200, 255) if alpha else (20, 90, 200), (x, 0, x + 10, size[1]))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_a_jpeg_photo_that_fits_is_kept_byte_for_byte() -> None:
    data = encode_image("photo", "jpg", 800, 450)
    got = convert(data)
    assert got.data == data
    assert (got.fmt, got.width, got.height) == ("jpeg", 800, 450)


def test_a_png_graphic_that_fits_is_kept_byte_for_byte() -> None:
    data = _graphic_png()
    got = convert(data)
    assert got.data == data and got.fmt == "png"
    assert probe(data) == Probe("png", 400, 300, size=len(data))  # what the renditions stage weighs


def test_a_png_photo_becomes_a_much_smaller_jpeg() -> None:
    data = encode_image("noisy-photo", "png", 800, 450)  # photo-like grain
    got = convert(data)
    assert got.fmt == "jpeg"
    assert len(got.data) < len(data) / 2
    assert _open(got.data).size == (800, 450)


def test_transparency_stays_png() -> None:
    data = encode_image("see-through", "png", 800, 450, alpha=True)
    got = convert(data)
    assert got.fmt == "png"
    assert _open(got.data).mode in ("RGBA", "LA", "P")


def test_webp_with_transparency_becomes_png_and_opaque_webp_photo_becomes_jpeg() -> None:
    assert convert(encode_image("a", "webp", 640, 360, alpha=True)).fmt == "png"
    assert convert(encode_image("b", "webp", 640, 360)).fmt == "jpeg"


def _webp(image: Image.Image, lossless: bool) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", lossless=lossless)
    return out.getvalue()


def test_a_shrunk_jpeg_stays_jpeg_even_when_it_draws_a_diagram() -> None:
    # few colours (a diagram) would make it PNG; its JPEG noise would make that PNG several
    # times the bytes, so a lossy original stays lossy
    diagram = _open(_graphic_png((1600, 900)))
    out = io.BytesIO()
    diagram.save(out, "JPEG", quality=90)
    got = convert(out.getvalue(), (800, 800))
    assert (got.fmt, got.width) == ("jpeg", 800)


def test_a_lossy_webp_becomes_jpeg_and_a_lossless_diagram_webp_png() -> None:
    diagram = _open(_graphic_png((640, 360)))
    assert convert(_webp(diagram, lossless=False)).fmt == "jpeg"
    assert convert(_webp(diagram, lossless=True)).fmt == "png"
    see_through = _open(_graphic_png((640, 360), alpha=True))
    assert convert(_webp(see_through, lossless=False)).fmt == "png"  # transparency wins


@pytest.mark.parametrize("ext", ["bmp", "tiff", "ppm"])
def test_formats_powerpoint_cannot_show_are_converted(ext: str) -> None:
    got = convert(encode_image(f"fmt-{ext}", ext, 320, 180))
    assert got.fmt in ("png", "jpeg")
    assert _open(got.data).format == got.fmt.upper()


def test_a_picture_larger_than_the_slide_is_scaled_into_the_box() -> None:
    data = encode_image("huge-photo", "jpg", 6000, 1500)
    got = convert(data)
    assert got.width <= MAX_BOX[0] and got.height <= MAX_BOX[1]
    assert (got.width, got.height) == (2560, 640)
    assert (got.source_width, got.source_height) == (6000, 1500)
    assert _open(got.data).size == (2560, 640)


def test_a_smaller_box_gives_a_smaller_rendition_and_another_key() -> None:
    data = encode_image("box", "jpg", 1600, 900)
    assert convert(data, (800, 800)).width == 800
    assert rendition_key((800, 800)) != rendition_key(MAX_BOX)
    assert rendition_key(MAX_BOX, trim_bars=True) != rendition_key(MAX_BOX)


def test_a_web_page_is_named_as_such() -> None:
    page = b"<!doctype html><html><head><title>Sign in</title></head><body></body></html>"
    with pytest.raises(ImageDataError, match="a web page, not an image"):
        convert(page)


@pytest.mark.parametrize("ext", ["png", "jpg"])
def test_a_truncated_file_is_refused_even_as_jpeg(ext: str) -> None:
    data = encode_image("cut", ext, 800, 450)
    with pytest.raises(ImageDataError, match="corrupt image data"):
        convert(data[: len(data) // 2])


def test_garbage_bytes_are_not_an_image() -> None:
    with pytest.raises(ImageDataError, match="not a recognizable image"):
        convert(b"\x00garbage" + bytes(range(256)) * 8)


@pytest.mark.parametrize(
    ("data", "what"),
    [(b"", "empty"), (b'{"error": 1}', "JSON"), (b"%PDF-1.7\n...", "PDF")],
)
def test_other_non_images_are_described(data: bytes, what: str) -> None:
    assert what in describe_non_image(data)


def test_a_decompression_bomb_is_refused_quickly_without_decoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Quickly because from its header alone: no pixel is decoded (its time: bench/bench_limits.py)."""
    from PIL import ImageFile

    from deckgen.assets import vips

    decoded: list[object] = []
    real_load = ImageFile.ImageFile.load

    def load(self: ImageFile.ImageFile):  # type: ignore[no-untyped-def]
        decoded.append(self)
        return real_load(self)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    monkeypatch.setattr(vips, "shrink", lambda *args: decoded.append("vips"))
    with pytest.raises(ImageDataError, match="too many pixels"):
        convert(build_bomb_png(60000, 60000))
    assert decoded == []


def test_a_picture_just_over_the_pixel_limit_is_refused() -> None:
    with pytest.raises(ImageDataError, match=r"too many pixels \(10000 x 6000\)"):
        convert(build_bomb_png(10000, 6000))


def test_an_animated_gif_that_fits_is_kept_and_animated_webp_becomes_gif() -> None:
    gif = encode_animation("gif", 320, 180)
    got = convert(gif)
    assert got.data == gif and got.fmt == "gif"
    webp = convert(encode_animation("webp", 320, 180))
    assert webp.fmt == "gif"
    assert getattr(_open(webp.data), "n_frames", 1) == 5


def test_cmyk_jpeg_is_converted_to_rgb() -> None:
    out = io.BytesIO()
    Image.new("CMYK", (200, 100), (0, 255, 255, 0)).save(out, "JPEG")
    got = convert(out.getvalue())
    assert _open(got.data).mode in ("RGB", "L")


def test_exif_rotation_is_applied_to_the_pixels() -> None:
    image = Image.open(io.BytesIO(encode_image("turned", "jpg", 400, 200)))
    exif = image.getexif()
    exif[0x0112] = 6  # rotate 90° clockwise when shown
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    got = convert(out.getvalue())
    assert (got.width, got.height) == (200, 400)
    assert (got.source_width, got.source_height) == (200, 400)


def test_letterbox_bars_of_a_video_thumbnail_are_trimmed() -> None:
    frame = Image.new("RGB", (480, 360), (0, 0, 0))
    frame.paste(Image.new("RGB", (480, 270), (200, 120, 40)), (0, 45))
    out = io.BytesIO()
    frame.save(out, "JPEG")
    got = convert(out.getvalue(), trim_bars=True)
    assert abs(got.width / got.height - 16 / 9) < 0.05


def test_svg_is_drawn_at_twice_its_size_as_png() -> None:
    data = encode_image("drawing", "svg", 400, 200)
    assert looks_like_svg(data)
    assert svg_size(data) == (400.0, 200.0)
    got = convert(data)
    assert (got.fmt, got.width, got.height) == ("png", 800, 400)


def test_svg_claiming_a_giant_size_is_drawn_within_the_box_quickly(monkeypatch: pytest.MonkeyPatch) -> None:
    """Quickly because cairo is asked for a surface of the box's size, never 60000 x 60000
    (its time: bench/bench_limits.py)."""
    import cairosvg

    asked: list[tuple[object, object]] = []
    real = cairosvg.svg2png

    def svg2png(**kwargs: object) -> bytes:
        asked.append((kwargs.get("output_width"), kwargs.get("output_height")))
        return real(**kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(cairosvg, "svg2png", svg2png)
    data = b'<svg xmlns="http://www.w3.org/2000/svg" width="60000" height="60000"><rect width="10" height="10"/></svg>'
    got = convert(data)
    assert got.width <= MAX_BOX[0] and got.height <= MAX_BOX[1]
    assert asked == [(got.width, got.height)]


def test_svg_without_any_size_is_refused() -> None:
    with pytest.raises(ImageDataError, match="SVG"):
        convert(b'<svg xmlns="http://www.w3.org/2000/svg" width="100%"><rect/></svg>')


def test_svg_never_fetches_what_it_references() -> None:
    with ImageServer() as server:
        href = server.image_url("inside", "png")
        data = (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            f'width="100" height="50"><image xlink:href="{href}" width="100" height="50"/></svg>'
        ).encode()
        convert(data)
        assert server.requests == []


def test_convert_is_safe_from_many_threads_at_once() -> None:
    inputs = [build_bomb_png(), encode_image("t1", "png", 320, 180), encode_image("t2", "jpg", 320, 180)] * 6
    results: list[str] = [""] * len(inputs)

    def work(index: int) -> None:
        try:
            results[index] = convert(inputs[index]).fmt
        except ImageDataError as exc:
            results[index] = "bomb" if "too many pixels" in str(exc) else str(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(inputs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["bomb", "jpeg", "jpeg"] * 6
