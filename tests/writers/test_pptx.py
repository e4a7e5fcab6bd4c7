"""writers/pptx.py: the .pptx writer: the base package (the master, without slides) made once per
theme and slide size, cached, and made again when the cached copy is damaged; every XML part it
writes valid against the ECMA-376 schemas."""

from __future__ import annotations

import zipfile
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


def test_every_xml_part_of_a_deck_with_each_frame_kind_is_valid_against_the_schemas(
    tmp_path: Path, xsd_folder: Path
) -> None:
    """PowerPoint refuses or "repairs" a file whose parts break ECMA-376 (LibreOffice forgives
    it): a title, runs with a link, bullets and Chinese, a linked picture and a decorative one,
    a table with spans and a link, code, a placeholder, a video's poster with its play badge,
    an embed without a poster (its fallback) and speaker notes, each validated."""
    from deckgen.model import (
        LINE_BREAK,
        Badge,
        Bullet,
        Cell,
        CodeFrame,
        Embed,
        EmbedFrame,
        Numbered,
        PlaceholderFrame,
        TableFrame,
    )
    from support.ooxml import validate_pptx

    link = "https://example.org/x?a=1&b=<2>"
    text = TextFrame(
        Box(48, 100, 400, 180),
        (
            Para((Run("bold ", bold=True), Run("a link", link=link), LINE_BREAK, Run("中文字", italic=True)), 24.0),
            Para((Run("dot"),), 22.0, level=1, bullet=Bullet("•"), indent=26.4, hang=21.6),
            Para((Run("three", strike=True),), 22.0, level=1, bullet=Numbered(3), indent=26.4, hang=21.6),
        ),
        "body",
    )
    rows = (
        (Cell((Run("Wide header"),), colspan=2, header=True),),
        (Cell((Run("tall"),), rowspan=2), Cell((Run("b1", link=link),))),
        (Cell((Run("b2"),)),),
    )
    table = TableFrame(Box(500, 330, 400, 120), rows, 1, (150.0, 250.0), (30.0, 40.0, 50.0), 18.0)
    code = CodeFrame(Box(48, 300, 400, 60), ((Run("def", code=True, token="k"), Run(" f(): ", code=True)),), 16.0, "python")
    play = Badge(Box(630, 160, 60, 60))
    video = Embed("youtube", "https://youtu.be/abc", "https://www.youtube.com/embed/abc", 'A "video"')
    poster = PictureFrame(Box(500, 100, 320, 180), picture(tmp_path, "poster.png", "navy"), video.url, video.title, play_badge=play)
    page = Embed("iframe", "https://x.org/page", "https://x.org/page", "A page")
    fallback = PlaceholderFrame(Box(500, 460, 200, 70), page.url, "Embedded page: A page", 14.0, "x.org/page", page.url)
    frames = (
        text,
        PictureFrame(Box(48, 380, 100, 60), picture(tmp_path, "chart.png", "red"), "https://x.org/big", description="a chart"),
        PictureFrame(Box(160, 380, 100, 60), picture(tmp_path, "rule.png", "blue"), decorative=True),
        table,
        code,
        PlaceholderFrame(Box(280, 380, 200, 80), "https://x.org/gone.png", "Image unavailable: HTTP 404", 16.0, "x.org/gone.png", "https://x.org/gone.png"),
        EmbedFrame(poster.box, video, poster, play),
        EmbedFrame(fallback.box, page, fallback, Badge(Box(570, 465, 60, 60))),
    )
    title = TextFrame(Box(48, 20, 860, 60), (Para((Run("Every kind <&>"),), 36.0, "title"),), "title")
    laid = LaidDeck(
        Meta(title="Schema & <checks>", authors=("Ada",), tags=("a&b",)),
        (Page("content", frames, title, "First note.\n\nSecond <note> & more."),),
        960.0,
        540.0,
    )
    out = tmp_path / "deck.pptx"
    PptxWriter(THEME).write(style_deck(laid, THEME, TableMeasurer()), out)
    report = validate_pptx(out, xsd_folder)
    assert report.errors == {}
    assert {"ppt/slides/slide1.xml", "ppt/notesSlides/notesSlide1.xml", "ppt/presentation.xml"} <= set(report.valid)
    assert {"ppt/slideMasters/slideMaster1.xml", "ppt/theme/theme1.xml", "docProps/app.xml"} <= set(report.valid)
    assert set(report.skipped) == {"[Content_Types].xml", "docProps/core.xml"} | {
        name for name in zipfile.ZipFile(out).namelist() if name.endswith(".rels")
    }
