"""Each placed picture is drawn once, at the pixels its box needs; a warm build draws none;
a picture found damaged only now is a placeholder in its box; a cache cleaned under a
build does not break it."""

from __future__ import annotations

import io
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image as PILImage
from PIL import ImageFile

import deckgen.build
import deckgen.pipeline
from deckgen.assets import vips
from deckgen.assets.cache import Cache
from deckgen.assets.fetch import FetchPolicy, HttpFetcher
from deckgen.assets.images import memory_cost
from deckgen.assets.renditions import (
    PIXELS_PER_POINT,
    RENDER_MEMORY,
    MemoryBudget,
    pixels_for,
)
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Services, build_post
from deckgen.model import Asset, AssetStatus, Box, PictureFrame, PlaceholderFrame
from support.imageserver import ImageServer

PATIENT = FetchPolicy(total_timeout=20.0)


def test_a_big_picture_gets_at_most_twice_the_pixels_its_box_occupies() -> None:
    big = Asset("u", AssetStatus.OK, Path("x"), 3000, 1500, rendered=False)
    assert pixels_for(big, Box(0, 0, 240, 120)) == (
        round(240 * PIXELS_PER_POINT),
        round(120 * PIXELS_PER_POINT),
    )
    small = Asset("u", AssetStatus.OK, Path("x"), 700, 350, rendered=False)
    assert pixels_for(small, Box(0, 0, 240, 120)) == (700, 350)  # within the slack: kept at its size


def test_a_png_drawing_up_to_twice_its_box_is_kept_and_a_heavy_png_or_a_jpeg_is_not() -> None:
    box = Box(0, 0, 240, 120)  # 640 x 320 pixels
    want = (round(240 * PIXELS_PER_POINT), round(120 * PIXELS_PER_POINT))

    def asset(fmt: str, size: int, width: int = 1200, height: int = 600) -> Asset:
        return Asset(
            "u", AssetStatus.OK, Path("x"), width, height, source_fmt=fmt, source_bytes=size, rendered=False
        )

    assert pixels_for(asset("png", 40_000), box) == (1200, 600)  # a flat drawing: its file is the smaller
    assert pixels_for(asset("png", 400_000), box) == want  # a PNG photo: drawn at the box's size
    assert pixels_for(asset("jpeg", 40_000), box) == want
    assert pixels_for(asset("png", 40_000, 1400, 700), box) == want  # over twice the box
    wide = Box(0, 0, 700, 380)  # 1867 x 1014 pixels
    assert pixels_for(asset("png", 60_000, 3000, 1600), wide) == (1867, 1014)  # over the slide's


def _post(tmp_path: Path, urls: list[str]) -> Path:
    body = "\n\n---\n\n".join(f"## Slide {i}\n\n![pic {i}]({url})" for i, url in enumerate(urls))
    post = tmp_path / "post.md"
    post.write_text(f"---\ntitle: Pictures\n---\n\n{body}\n", encoding="utf-8")
    return post


def _build(post: Path, tmp_path: Path, **extra: object) -> deckgen.build.Record:
    options = BuildOptions(
        formats=("pptx",),
        out_dir=tmp_path / "out",
        pictures=AssetOptions(cache_dir=tmp_path / "cache"),
        **extra,  # type: ignore[arg-type]
    )
    return build_post(post, options, Services(fetcher=HttpFetcher(PATIENT)))


def _pictures_in(pptx: Path) -> list[tuple[str, tuple[int, int]]]:
    with zipfile.ZipFile(pptx) as archive:
        names = sorted(n for n in archive.namelist() if n.startswith("ppt/media/"))
        found = []
        for name in names:
            with PILImage.open(io.BytesIO(archive.read(name))) as image:
                found.append(((image.format or "").lower(), image.size))
        return found


class DecodeCounter:
    """Counts pixel decodes (one per tile Pillow decodes, one per picture libvips draws) and
    deckgen's header reads."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.decodes = 0
        self.opens = 0
        real_decoder: Callable[..., object] = PILImage._getdecoder  # type: ignore[attr-defined]
        real_open = PILImage.open
        real_shrink = vips.shrink

        def shrink(*args: Any, **kwargs: Any) -> vips.Shrunk | None:
            self.decodes += 1
            return real_shrink(*args, **kwargs)

        monkeypatch.setattr(vips, "shrink", shrink)

        def decoder(*args: object, **kwargs: object) -> object:
            self.decodes += 1
            return real_decoder(*args, **kwargs)

        def opener(*args: object, **kwargs: object) -> object:
            # deckgen's own header reads (python-pptx reads each picture's header to place it)
            self.opens += sys._getframe(1).f_globals.get("__name__", "").startswith("deckgen")
            return real_open(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(PILImage, "_getdecoder", decoder)
        monkeypatch.setattr(ImageFile.Image, "_getdecoder", decoder)
        monkeypatch.setattr(PILImage, "open", opener)


def test_each_picture_is_decoded_once_cold_and_never_warm(
    image_server: ImageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = [
        image_server.image_url("once-photo", "jpg", w=3000, h=1000),  # shrunk (JPEG draft)
        image_server.image_url("once-png", "png", w=2400, h=1350),  # shrunk
        image_server.image_url("once-alpha", "png", w=900, h=500, alpha=True),
        image_server.image_url("once-small", "png", w=300, h=200),  # fits: used as is, after a decode
    ]
    post = _post(tmp_path, urls)
    for url in urls:  # the server draws its pictures with Pillow too: let it do so first
        HttpFetcher(PATIENT)(url, "", "")
    counter = DecodeCounter(monkeypatch)
    cold = _build(post, tmp_path)
    assert cold.warnings == () and cold.images.downloaded == 4
    assert counter.decodes == len(urls)
    shown = _pictures_in(cold.outputs[0])
    assert len(shown) == 4 and all(w <= 2560 and h <= 1440 for _, (w, h) in shown)
    assert (300, 200) in [size for _, size in shown]

    counter.decodes = counter.opens = 0
    image_server.reset_log()
    warm = _build(post, tmp_path)
    assert warm.warnings == () and warm.images.cached == 4
    assert (counter.decodes, counter.opens) == (0, 0)  # not even a header read
    assert image_server.requests == []  # and no request
    assert _pictures_in(warm.outputs[0]) == shown


def test_one_post_draws_its_pictures_while_downloading_a_folder_build_does_not(
    image_server: ImageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckgen.assets import renditions

    urls = [image_server.image_url(f"ahead-{n}", "png", w=2400, h=1350) for n in range(3)]
    for url in urls:
        HttpFetcher(PATIENT)(url, "", "")
    drawn: list[int] = []
    real = renditions.Prerender.draw

    def spy(self, frames):  # type: ignore[no-untyped-def]
        drawn.append(len(frames))
        return real(self, frames)

    monkeypatch.setattr(renditions.Prerender, "draw", spy)
    counter = DecodeCounter(monkeypatch)
    one = _build(_post(tmp_path, urls), tmp_path)
    assert one.warnings == () and sum(drawn) == 3 and counter.decodes == 3  # drawn ahead, once each
    drawn.clear()
    other = tmp_path / "again"
    other.mkdir()
    _build(_post(other, urls), other, render_workers=1)  # how a folder build's posts run
    assert drawn == []


def test_a_web_picture_found_damaged_when_drawn_is_not_asked_for_again_at_once(
    image_server: ImageServer, tmp_path: Path
) -> None:
    damaged = image_server.url("fault/corrupt.jpg")
    post = _post(tmp_path, [damaged])
    first = _build(post, tmp_path)
    assert first.images.failed == 1 and [w.code for w in first.warnings] == ["P101"]
    asked = image_server.hits["/fault/corrupt.jpg"]
    again = _build(post, tmp_path)
    assert again.images.failed == 1 and image_server.hits["/fault/corrupt.jpg"] == asked
    (said,) = again.warnings
    assert said.code == "P101" and said.get("cause") == "remembered" and said.get("url") == damaged
    assert "--refresh tries now" in said.get("reason")


def _damaged_png(w: int = 400, h: int = 300) -> bytes:
    out = io.BytesIO()
    PILImage.effect_noise((w, h), 60).convert("RGB").save(out, "PNG")
    data = bytearray(out.getvalue())
    start = data.index(b"IDAT") + 200
    data[start : start + 400] = bytes(400)  # the header and the end chunk stay whole
    return bytes(data)


def test_a_picture_found_damaged_when_drawn_is_a_placeholder_in_its_box(
    image_server: ImageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "bad.png").write_bytes(_damaged_png())
    good = image_server.image_url("beside-the-bad", "png", w=400, h=300)
    post = _post(tmp_path, ["bad.png", good])
    seen: dict[str, object] = {}
    real = deckgen.pipeline.render_pictures

    def spy(laid, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen["before"] = laid
        done = real(laid, *args, **kwargs)
        seen["after"] = done.laid
        return done

    monkeypatch.setattr(deckgen.pipeline, "render_pictures", spy)
    result = _build(post, tmp_path)
    (said,) = result.warnings
    assert (said.code, said.file, said.line, said.get("url")) == ("P101", str(post), 7, "bad.png")
    assert said.get("reason").startswith("corrupt image data")
    assert (result.images.failed, result.images.downloaded) == (1, 1)
    before = [f for p in seen["before"].pages for f in p.frames if isinstance(f, PictureFrame)]  # type: ignore[attr-defined]
    after = [
        f for p in seen["after"].pages for f in p.frames if isinstance(f, PictureFrame | PlaceholderFrame)
    ]  # type: ignore[attr-defined]
    assert isinstance(after[0], PlaceholderFrame) and after[0].box == before[0].box
    assert "corrupt image data" in after[0].reason
    assert isinstance(after[1], PictureFrame) and after[1].asset.rendered
    assert len(_pictures_in(result.outputs[0])) == 1


@pytest.mark.parametrize("when", ["after the fetch", "before writing"])
@pytest.mark.parametrize("how", ["clear", "prune"])
@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_a_cache_cleaned_under_a_running_build_does_not_break_it(
    image_server: ImageServer,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    when: str,
    how: str,
    warm: bool,
) -> None:
    urls = [image_server.image_url(f"held-{i}", "jpg", w=1600, h=900) for i in range(3)]
    urls.append(image_server.image_url("held-svg", "svg", w=400, h=300))
    post = _post(tmp_path, urls)
    if warm:
        _build(post, tmp_path)
    cache = Cache(tmp_path / "cache")

    def clean() -> None:
        if how == "clear":
            cache.clear()
        else:
            cache.prune(older_than=0, now=cache_time() + 10)

    stage = "render_pictures" if when == "after the fetch" else "write_outputs"
    real = getattr(deckgen.pipeline, stage)

    def cleaning_first(*args, **kwargs):  # type: ignore[no-untyped-def]
        clean()
        return real(*args, **kwargs)

    monkeypatch.setattr(deckgen.pipeline, stage, cleaning_first)
    result = _build(post, tmp_path)
    assert result.warnings == ()
    assert len(_pictures_in(result.outputs[0])) == 4
    assert not any((tmp_path / "cache" / "held").iterdir())  # the build's links are gone with it


def cache_time() -> float:
    import time

    return time.time()


def test_the_memory_budget_lets_small_drawings_share_it_and_a_big_one_wait_for_all() -> None:
    budget = MemoryBudget(100)
    order: list[str] = []
    with budget.lend(60):
        with budget.lend(40):  # fits beside the first
            assert budget.used == 100
        waiter = threading.Thread(target=lambda: _lend_and_note(budget, 500, order))
        waiter.start()  # larger than the whole budget: waits until nothing else is drawn
        waiter.join(0.2)
        assert waiter.is_alive() and order == []
    waiter.join(5)
    assert order == ["drawn"] and budget.used == 0


def _lend_and_note(budget: MemoryBudget, cost: int, order: list[str]) -> None:
    with budget.lend(cost):
        order.append("drawn")


def test_two_large_animations_are_never_drawn_at_once() -> None:
    # a 4800 x 2700 animated GIF holds about 150 MB while Pillow draws it: two side by side
    # took a build over 300 MB; one beside a still libvips draws would too
    big = memory_cost("gif", 4800, 2700, 2, (1280, 720))
    assert 2 * big > RENDER_MEMORY
    assert big + memory_cost("png", 4800, 2700, 1, (1542, 868)) > RENDER_MEMORY
    assert 8 * memory_cost("jpeg", 1920, 1080, 1, (1134, 638)) <= RENDER_MEMORY  # stills share
