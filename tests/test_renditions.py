"""Pictures are fitted to the boxes the layout gave them."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from deckgen.cache import Cache
from deckgen.images import convert, rendition_key
from deckgen.model import Asset, AssetStatus, Box
from deckgen.renditions import fit_asset


def cached_picture(cache: Cache, w: int, h: int, fmt: str = "PNG") -> Asset:
    out = io.BytesIO()
    Image.linear_gradient("L").resize((w, h)).convert("RGB").save(out, fmt)
    c = convert(out.getvalue())
    r = cache.store_rendition("ab" * 32, rendition_key(), c.data, c.fmt, c.width, c.height, w, h)
    return Asset(
        "http://x/p", AssetStatus.OK, r.path, r.width, r.height, c.fmt, source_width=w, source_height=h
    )  # type: ignore[arg-type]


def test_a_big_picture_in_a_small_box_gets_at_most_twice_the_pixels_it_occupies(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    asset = cached_picture(cache, 2400, 1350)
    fitted = fit_asset(asset, Box(0, 0, 240, 135), cache)
    assert fitted.path != asset.path
    assert (fitted.width, fitted.height) == (640, 360)  # 240 pt at 2 x 96 dpi
    assert Image.open(fitted.path).size == (640, 360)
    assert (fitted.source_width, fitted.source_height) == (2400, 1350)
    again = fit_asset(asset, Box(0, 0, 240, 135), cache)  # cached: the same file, no new encoding
    assert again.path == fitted.path


def test_a_picture_already_small_enough_and_files_outside_the_cache_are_left_alone(tmp_path: Path) -> None:
    cache = Cache(tmp_path / "cache")
    asset = cached_picture(cache, 600, 300)
    assert fit_asset(asset, Box(0, 0, 300, 150), cache) == asset
    logo = tmp_path / "logo.png"
    Image.new("RGB", (2000, 1000)).save(logo)
    outside = Asset("logo", AssetStatus.OK, logo, 2000, 1000, "png", source_width=2000, source_height=1000)
    assert fit_asset(outside, Box(0, 0, 40, 20), cache) == outside
