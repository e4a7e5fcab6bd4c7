"""writers/package.py: the .pptx's ZIP: pictures stored once each, XML deflated, the core properties."""

from __future__ import annotations

import zipfile
from pathlib import Path

from PIL import Image as PILImage
from pptx import Presentation

from deckgen.layout.style import style_deck
from deckgen.measure import TableMeasurer
from deckgen.model import Asset, AssetStatus, Box, LaidDeck, Meta, Page, Para, PictureFrame, Run, TextFrame
from deckgen.theme import load_theme
from deckgen.writers.package import core_property, core_xml
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


def test_pictures_are_stored_once_each_and_xml_is_deflated(tmp_path: Path) -> None:
    out = tmp_path / "deck.pptx"
    PptxWriter(THEME).write(deck(tmp_path), out)
    with zipfile.ZipFile(out) as z:
        infos = z.infolist()
        assert [i.filename for i in infos][0] == "[Content_Types].xml"
        media = [i for i in infos if i.filename.startswith("ppt/media/")]
        assert len(media) == 2 and all(i.compress_type == zipfile.ZIP_STORED for i in media)
        xml = [i for i in infos if i.filename.endswith((".xml", ".rels"))]
        assert xml and all(i.compress_type == zipfile.ZIP_DEFLATED for i in xml)
    prs = Presentation(str(out))
    assert len(prs.slides) == 3
    assert prs.slides[0].has_notes_slide and prs.slides[0].notes_slide.notes_text_frame.text == "say it"
    assert not prs.slides[1].has_notes_slide
    assert prs.slides[2].shapes.title.text == "Heading"
    assert prs.core_properties.title == "Package" and prs.core_properties.last_modified_by == "deckgen"


def test_core_properties_are_escaped_and_cut_at_255_characters(tmp_path: Path) -> None:
    import datetime as dt

    laid = LaidDeck(Meta(title="<" + "x" * 400, tags=("a&b",)), (), 960.0, 540.0)
    xml = core_xml(laid, dt.datetime(2026, 1, 1))
    assert "&lt;" + "x" * 253 + "…</dc:title>" in xml and "<cp:keywords>a&amp;b</cp:keywords>" in xml


def test_core_properties_are_cut_with_an_ellipsis() -> None:
    assert core_property("a" * 255) == "a" * 255
    assert core_property("a" * 300) == "a" * 254 + "…"
