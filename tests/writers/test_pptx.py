"""writers/pptx.py: the .pptx writer: the base package (the master, without slides) made once per
theme and slide size, cached, and made again when the cached copy is damaged."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image as PILImage
from pptx import Presentation

from deckgen.layout.style import style_deck
from deckgen.measure import TableMeasurer
from deckgen.model import Asset, AssetStatus, Box, LaidDeck, Meta, Page, Para, PictureFrame, Run, TextFrame
from deckgen.theme import load_theme
from deckgen.writers import master
from deckgen.writers.pptx import PptxWriter

THEME = load_theme("default")


def picture(tmp_path: Path, name: str, colour: str) -> Asset:
    path = tmp_path / name
    PILImage.new("RGB", (64, 36), colour).save(path)
    return Asset(str(path), AssetStatus.OK, path, 64, 36, "png", source_width=64, source_height=36)


def deck(tmp_path: Path, pages: int = 3, title: str = "Package") -> LaidDeck:
    red, blue = picture(tmp_path, "red.png", "red"), picture(tmp_path, "blue.png", "blue")
    twin = picture(tmp_path, "red-again.png", "red")  # the same bytes under another name
    frames = (
        PictureFrame(Box(10, 10, 100, 60), red),
        PictureFrame(Box(120, 10, 100, 60), blue),
        PictureFrame(Box(230, 10, 100, 60), twin),
        TextFrame(Box(10, 100, 400, 40), (Para((Run("text"),), 20.0),), role="body"),
    )
    heading = TextFrame(Box(10, 0, 400, 30), (Para((Run("Heading"),), 30.0),), role="title")
    laid = LaidDeck(
        Meta(title=title),
        tuple(Page("content", frames, heading, notes="say it" if n == 0 else "") for n in range(pages)),
        960.0,
        540.0,
    )
    return style_deck(laid, THEME, TableMeasurer())  # the layout's last pass picks each page's layout


def test_the_base_package_is_made_once_per_theme_and_size(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "bases"
    PptxWriter(THEME, base_cache=cache).write(deck(tmp_path), tmp_path / "one.pptx")
    assert len(list(cache.iterdir())) == 1

    def never(*args: object) -> None:
        raise AssertionError("the base was made again")

    monkeypatch.setattr(master, "make_base", never)
    PptxWriter(THEME, base_cache=cache).write(deck(tmp_path, 5, "Other"), tmp_path / "two.pptx")
    prs = Presentation(str(tmp_path / "two.pptx"))
    assert len(prs.slides) == 5 and prs.core_properties.title == "Other"


def test_a_damaged_cached_base_is_made_again(tmp_path: Path) -> None:
    cache = tmp_path / "bases"
    PptxWriter(THEME, base_cache=cache).write(deck(tmp_path), tmp_path / "one.pptx")
    (only,) = cache.iterdir()
    only.write_bytes(b"not a zip")
    PptxWriter(THEME, base_cache=cache).write(deck(tmp_path), tmp_path / "two.pptx")
    assert len(Presentation(str(tmp_path / "two.pptx")).slides) == 3
