"""writers/pdf.py: the PDF writer on small hand-built laid-out decks, read back with PyMuPDF."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PIL import Image as PILImage

from deckgen.highlight import token_colors
from deckgen.layout.style import style_deck
from deckgen.measure import TableMeasurer, measurer_for, wrap_runs
from deckgen.model import (
    Asset,
    AssetStatus,
    Badge,
    Box,
    Cell,
    CodeFrame,
    Frame,
    LaidDeck,
    Meta,
    Page,
    Para,
    PictureFrame,
    PlaceholderFrame,
    Run,
    TableFrame,
    TextFrame,
)
from deckgen.theme import load_theme
from deckgen.writers.pdf import PdfWriter, deck_chars

THEME = load_theme("default")
MEASURER = measurer_for(THEME.fonts.latin)


def deck_of(*frames: Frame, pages: int = 1, notes: str = "") -> LaidDeck:
    page = Page("content", tuple(frames), None, notes)
    deck = LaidDeck(Meta(title="PDF 測試", date="2026-01-02"), (page,) * pages, 960.0, 540.0)
    return style_deck(deck, THEME, TableMeasurer())  # styled by the layout's last pass, as built decks are


@pytest.fixture(scope="module")
def font_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf-cache")  # the CJK subsets are cut once for the module


def write(tmp_path: Path, deck: LaidDeck, cache: Path) -> pymupdf.Document:
    out = tmp_path / "deck.pdf"
    PdfWriter(THEME, MEASURER, cache).write(deck, out)
    return pymupdf.open(str(out))


def picture(tmp_path: Path, name: str = "p.png", size: tuple[int, int] = (40, 30)) -> Asset:
    path = tmp_path / name
    PILImage.new("RGB", size, (200, 30, 30)).save(path)
    fmt = "gif" if name.endswith(".gif") else "png"
    return Asset(str(path), AssetStatus.OK, path, size[0], size[1], fmt)  # type: ignore[arg-type]


def test_one_16_9_page_per_slide(tmp_path: Path, font_cache: Path) -> None:
    doc = write(tmp_path, deck_of(pages=3), font_cache)
    assert len(doc) == 3
    assert (doc[0].rect.width, doc[0].rect.height) == (960, 540)


def test_text_is_real_text_in_embedded_subset_fonts_with_chinese_extractable(tmp_path: Path, font_cache: Path) -> None:
    frame = TextFrame(Box(48, 100, 600, 100), (Para((Run("Hello 大型語言模型 "), Run("bold", bold=True)), 24),))
    doc = write(tmp_path, deck_of(frame), font_cache)
    text = doc[0].get_text()
    assert "Hello 大型語言模型 bold" in text
    fonts = doc[0].get_fonts()
    names = {f[3] for f in fonts}
    assert any("Liberation" in n for n in names) and any("CJK" in n for n in names), names
    assert all("+" in n for n in names), "every font is a subset (XXXXXX+Name)"


def test_lines_break_where_the_measurer_breaks_them(tmp_path: Path, font_cache: Path) -> None:
    words = " ".join(f"word{i}" for i in range(60))
    para = Para((Run(words),), 24)
    frame = TextFrame(Box(48, 60, 500, 400), (para,))
    doc = write(tmp_path, deck_of(frame), font_cache)
    lines = [
        "".join(s["text"] for s in line["spans"]).strip()
        for block in doc[0].get_text("dict")["blocks"]
        for line in block.get("lines", [])
    ]
    expected = wrap_runs(MEASURER, para.runs, 500 - 7.2, 24, safety=1.0)
    assert lines == ["".join(r.text for r in line).strip() for line in expected]


def test_links_are_link_annotations(tmp_path: Path, font_cache: Path) -> None:
    frame = TextFrame(Box(48, 100, 600, 100), (Para((Run("see "), Run("the paper", link="https://example.org/p")), 24),))
    asset = picture(tmp_path)
    pic = PictureFrame(Box(600, 200, 200, 150), asset, link="https://example.org/pic")
    doc = write(tmp_path, deck_of(frame, pic), font_cache)
    uris = sorted(link["uri"] for link in doc[0].get_links())
    assert uris == ["https://example.org/p", "https://example.org/pic"]


def test_pictures_are_drawn_at_their_box_and_a_gif_shows_its_first_frame(tmp_path: Path, font_cache: Path) -> None:
    gif = tmp_path / "anim.gif"
    frames = [PILImage.new("RGB", (20, 20), c) for c in ((0, 200, 0), (0, 0, 200))]
    frames[0].save(gif, save_all=True, append_images=frames[1:], duration=100, loop=0)
    asset = Asset(str(gif), AssetStatus.OK, gif, 20, 20, "gif")
    box = Box(100, 120, 200, 200)
    doc = write(tmp_path, deck_of(PictureFrame(box, asset)), font_cache)
    info = doc[0].get_image_info()
    assert len(info) == 1
    x0, y0, x1, y1 = info[0]["bbox"]
    assert (round(x0), round(y0), round(x1), round(y1)) == (100, 120, 300, 320)
    pix = doc[0].get_pixmap(dpi=72)
    assert pix.pixel(200, 220)[:3] == (0, 200, 0)


def test_a_video_poster_has_its_play_symbol_and_link(tmp_path: Path, font_cache: Path) -> None:
    asset = picture(tmp_path, size=(160, 90))
    frame = PictureFrame(Box(100, 100, 320, 180), asset, link="https://youtu.be/x", play_badge=Badge(Box(240, 170, 40, 40)))
    doc = write(tmp_path, deck_of(frame), font_cache)
    assert [link["uri"] for link in doc[0].get_links()] == ["https://youtu.be/x"]
    assert doc[0].get_drawings(), "the play symbol is drawn"


def test_code_tables_and_placeholders_carry_their_colors_and_text(tmp_path: Path, font_cache: Path) -> None:
    code = CodeFrame(Box(48, 60, 500, 80), ((Run("def", code=True, token="k"), Run(" f():", code=True)),), 18)
    table = TableFrame(
        Box(48, 160, 400, 60),
        ((Cell((Run("Head"),), header=True), Cell((Run("二"),), header=True)), (Cell((Run("a"),)), Cell((Run("b"),)))),
        1,
        (200.0, 200.0),
        (30.0, 30.0),
        16,
    )
    holder = PlaceholderFrame(
        Box(500, 250, 400, 150), "https://example.org/x.png", "image not found", 16, link="https://example.org/x.png"
    )
    doc = write(tmp_path, deck_of(code, table, holder), font_cache)
    spans = {
        s["text"].strip(): s["color"]
        for block in doc[0].get_text("dict")["blocks"]
        for line in block.get("lines", [])
        for s in line["spans"]
    }
    assert spans["def"] == int(token_colors(THEME.code_style)["k"], 16)  # the style pass's colour for a keyword
    assert spans["f():"] == int(THEME.colors.code_text, 16)
    assert spans["Head"] == int(THEME.colors.background, 16)
    assert "image not found" in spans and "https://example.org/x.png" in spans
    assert [link["uri"] for link in doc[0].get_links()] == ["https://example.org/x.png"]
    fills = {d.get("fill") for d in doc[0].get_drawings()}
    accent = tuple(int(THEME.colors.accent[i : i + 2], 16) / 255 for i in (0, 2, 4))
    assert any(f and all(abs(a - b) < 0.01 for a, b in zip(f, accent)) for f in fills)


def test_deck_chars_covers_every_text_of_the_deck() -> None:
    deck = deck_of(TextFrame(Box(0, 0, 10, 10), (Para((Run("甲"),), 20),)), notes="乙")
    chars = deck_chars(deck)
    assert "甲" in chars and "乙" in chars and "測" in chars
