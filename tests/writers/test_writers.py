"""The writers as a package: one design in every deck (the .pptx, the HTML deck and the PDF
write what the frame says, the same way), each refuses a frame kind it does not know, and
``deckgen.writers`` is a regular package.

Each test builds a ``LaidDeck`` by hand (no parsing, no layout; ``support.writerkit``).
"""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from pptx.enum.shapes import MSO_SHAPE_TYPE

from deckgen.assets.revealjs import REVEAL_VERSION, RevealBundle
from deckgen.layout.style import style_deck
from deckgen.measure import TableMeasurer
from deckgen.model import (
    Badge,
    Box,
    Cell,
    CodeFrame,
    Embed,
    EmbedFrame,
    LaidDeck,
    Meta,
    Page,
    Para,
    PictureFrame,
    PlaceholderFrame,
    Run,
    TableFrame,
)
from deckgen.writers.html import RevealWriter
from deckgen.writers.pptx import PptxWriter
from support.writerkit import (
    BOX,
    THEME,
    A,
    body,
    deck_of,
    emu,
    png,
    section,
    text_shape,
    write_html,
    write_pptx,
)


def test_an_unstyled_para_is_written_without_a_colour_of_the_writers_own(tmp_path: Path) -> None:
    """Only the style pass colours text: a writer given a paragraph it did not colour (a bug;
    a built deck has none) adds no colour of its own, the deck's defaults show."""
    frame = body(Para((Run("plain"),), 20.0))
    unstyled = LaidDeck(Meta(title="Writers"), (Page("content", (frame,)),), 960.0, 540.0)
    run = text_shape(write_pptx(tmp_path, unstyled), "plain").text_frame.paragraphs[0].runs[0]
    assert run._r.rPr.find(f"{A}solidFill") is None
    assert 'style="font-size:20px;line-height:24.00px">plain</p>' in write_html(tmp_path, unstyled)


# ---------------------------------------------------------------------------
# pictures, placeholders, embeds


def test_a_picture_is_placed_at_its_box_with_its_link_and_description(tmp_path: Path) -> None:
    frame = PictureFrame(Box(100, 120, 320, 180), png(tmp_path), "https://x.org/big", description="a chart")
    (pic,) = [
        sh for sh in write_pptx(tmp_path, deck_of(frame)).shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert (pic.left, pic.top, pic.width, pic.height) == tuple(emu(v) for v in (100, 120, 320, 180))
    assert pic.click_action.hyperlink.address == "https://x.org/big"
    assert pic._element.nvPicPr.cNvPr.get("descr") == "a chart"
    page = section(write_html(tmp_path, deck_of(frame)))
    assert 'style="left:100.00px;top:120.00px;width:320.00px;height:180.00px;"' in page
    assert (
        '<img src="assets/p.png" alt="a chart"' in page and (tmp_path / "html" / "assets" / "p.png").is_file()
    )


def test_a_placeholder_shows_its_reason_and_a_link_to_the_picture(tmp_path: Path) -> None:
    url = "https://x.org/gone.png?size=large&v=2"
    frame = PlaceholderFrame(BOX, url, "Image unavailable: HTTP 404", 16.0, "x.org/gone.png…", url)
    shape = text_shape(write_pptx(tmp_path, deck_of(frame)), "HTTP 404")
    reason, link = shape.text_frame.paragraphs
    assert reason.text == "Image unavailable: HTTP 404" and reason.runs[0].font.bold
    assert link.text == "\u200bx.org/gone.png…"  # a zero-width space before a link that starts a line
    assert [r.hyperlink.address for r in link.runs] == [None, url]
    page = section(write_html(tmp_path, deck_of(frame)))
    assert "<p><strong>Image unavailable: HTTP 404</strong></p>" in page
    assert f'<a href="{html.escape(url)}" target="_blank" rel="noopener" style="color:#{THEME.colors.link}">x.org/gone.png…</a>' in page


def _video(tmp_path: Path) -> EmbedFrame:
    box = Box(200, 120, 480, 270)
    play = Box(380.3, 210.3, 59.4, 59.4)
    embed = Embed("youtube", "https://youtu.be/abc", "https://www.youtube.com/embed/abc?a=1&b=2", 'A "video"')
    poster = PictureFrame(
        box, png(tmp_path, "poster.png", (480, 270)), embed.url, embed.title, play_badge=Badge(play)
    )
    return EmbedFrame(box, embed, poster, Badge(play))


def test_speaker_notes_go_to_the_notes_page_and_the_notes_aside(tmp_path: Path) -> None:
    notes = "First note.\n\nSecond <note> & more."
    deck = deck_of(body(Para((Run("text"),), 20.0)), notes=notes)
    slide = write_pptx(tmp_path, deck)
    assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text == notes
    page = section(write_html(tmp_path, deck))
    assert '<aside class="notes"><p>First note.</p><p>Second &lt;note&gt; &amp; more.</p></aside>' in page


class _Stray:
    """A frame kind no writer knows."""

    box = BOX


def test_every_writer_refuses_a_frame_kind_it_does_not_know(tmp_path: Path) -> None:
    """The .pptx writer dropped it without a word; the others raised a bare AssertionError."""
    from deckgen.errors import InternalError
    from deckgen.measure import measurer_for
    from deckgen.writers.pdf import PdfWriter

    deck = LaidDeck(Meta(title="x"), (Page("content", (_Stray(),), None),), 960.0, 540.0)  # type: ignore[arg-type]
    pdf = PdfWriter(THEME, measurer_for(THEME.fonts.latin), tmp_path / "fonts")
    writes = {
        "pptx": lambda: PptxWriter(THEME).write(deck, tmp_path / "deck.pptx"),
        "html": lambda: RevealWriter(THEME, RevealBundle(REVEAL_VERSION, None, "cdn-link")).write(deck, tmp_path / "h"),
        "pdf": lambda: pdf.write(deck, tmp_path / "deck.pdf"),
        "pdf pages": lambda: pdf.visit(_Stray()),  # type: ignore[arg-type]
        "style": lambda: style_deck(deck, THEME, TableMeasurer()),
    }
    for what, write in writes.items():
        with pytest.raises(InternalError, match="got a _Stray, a kind it does not know") as caught:
            write()
        assert caught.value.exit_code == 1 and "a bug in deckgen" in str(caught.value), what


def _pptx_cell_fill(cell) -> str:  # type: ignore[no-untyped-def]
    return cell._tc.tcPr.find(f"{{{NS_A}}}solidFill")[0].get("val")


NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def test_a_header_cell_in_a_body_row_is_the_same_in_both_decks(tmp_path: Path) -> None:
    """The HTML deck filled it with the accent; the .pptx left it on its row's stripe."""
    rows = (
        (Cell((Run("H"),), header=True), Cell((Run("I"),), header=True)),
        (Cell((Run("side"),), header=True), Cell((Run("v", link="https://x.org/"),))),
    )
    frame = TableFrame(BOX, rows, 1, (150.0, 250.0), (30.0, 30.0), 18.0)
    c = THEME.colors
    (shape,) = [sh for sh in write_pptx(tmp_path, deck_of(frame)).shapes if sh.has_table]
    side = shape.table.cell(1, 0)
    assert _pptx_cell_fill(side) == c.code_background.upper() and side.text_frame.paragraphs[0].runs[0].font.bold
    out = write_html(tmp_path, deck_of(frame))
    page = section(out)
    assert f'<tr style="height:30.00px;background:#{c.code_background};color:#{c.text};"><th><strong>side</strong></th>' in page
    css = (tmp_path / "html" / "theme.css").read_text("utf-8")
    assert "var(--dg-accent)" not in css.split(".dg-table", 1)[1]  # no fill of the CSS's own for a th


def test_a_link_in_a_header_row_has_one_colour_in_both_decks(tmp_path: Path) -> None:
    rows = ((Cell((Run("see", link="https://x.org/"),), header=True),), (Cell((Run("a"),)),))
    frame = TableFrame(BOX, rows, 1, (150.0,), (30.0, 30.0), 18.0)
    c = THEME.colors
    (shape,) = [sh for sh in write_pptx(tmp_path, deck_of(frame)).shapes if sh.has_table]
    linked = [r for r in shape.table.cell(0, 0).text_frame.paragraphs[0].runs if r.hyperlink.address]
    assert linked and all(str(r.font.color.rgb) == c.background.upper() for r in linked)
    assert f'rel="noopener" style="color:#{c.background}">' in section(write_html(tmp_path, deck_of(frame)))


def test_a_placeholder_has_one_design_in_both_decks(tmp_path: Path) -> None:
    """The HTML deck drew a 2 px border and put the URL right under the reason (the .pptx 4 pt below)."""
    frame = PlaceholderFrame(BOX, "https://x.org/a.png", "Image unavailable", 16.0, "x.org/a.png", "https://x.org/a.png")
    shape = text_shape(write_pptx(tmp_path, deck_of(frame)), "unavailable")
    assert shape.line.width == emu(1.5)
    assert shape.text_frame.paragraphs[1].space_before.pt == 4.0
    page = section(write_html(tmp_path, deck_of(frame)))
    assert f"border:1.5px dashed #{THEME.colors.muted};" in page
    assert '<p style="margin-top:4px">' in page


def test_the_play_button_is_the_posters_badge_in_both_decks(tmp_path: Path) -> None:
    """The .pptx drew a white triangle, the HTML deck a red disc: one design now, the model's."""
    video = deck_of(_video(tmp_path))
    (badge,) = [sh for sh in write_pptx(tmp_path, video).shapes if sh.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE]
    assert str(badge.fill.fore_color.rgb) == "FFFFFF" and str(badge.line.color.rgb) == "CC0000"
    page = section(write_html(tmp_path, video))
    assert '<polygon points="0,0 0,59.40 59.40,29.70" fill="#FFFFFF" stroke="#CC0000" stroke-width="3"' in page
    css = (tmp_path / "html" / "theme.css").read_text("utf-8")
    assert "border-radius: 50%" not in css and "204,0,0" not in css


def test_the_writers_take_fills_colours_and_insets_from_the_frame_not_the_theme(tmp_path: Path) -> None:
    code = CodeFrame(BOX, ((Run("x = 1"),),), 18.0, fill="123456", color="ABCDEF", insets=(1.0, 2.0, 3.0, 4.0))
    deck = LaidDeck(Meta(title="x"), (Page("content", (code,), None),), 960.0, 540.0)  # not restyled
    shape = text_shape(write_pptx(tmp_path, deck), "x = 1")
    assert str(shape.fill.fore_color.rgb) == "123456"
    assert str(shape.text_frame.paragraphs[0].runs[0].font.color.rgb) == "ABCDEF"
    assert (shape.text_frame.margin_left, shape.text_frame.margin_bottom) == (emu(1.0), emu(4.0))
    page = section(write_html(tmp_path, deck))
    assert "padding:2px 3px 4px 1px;background:#123456;color:#ABCDEF;" in page


def test_deckgen_writers_is_a_regular_package() -> None:
    """``writers/`` had no ``__init__.py``: a namespace package, which tools that look for
    packages (setuptools' find_packages, mypy without namespace support, a wheel built from
    a package list) miss or treat differently."""
    import importlib

    writers = importlib.import_module("deckgen.writers")
    assert writers.__file__ is not None and Path(writers.__file__).name == "__init__.py"
    assert writers.__spec__ is not None and writers.__spec__.submodule_search_locations is not None
    # and so is every other folder of deckgen's modules
    package = Path(writers.__file__).parents[1]
    folders = {path.parent for path in package.rglob("*.py") if "__pycache__" not in path.parts}
    assert sorted(str(f.relative_to(package)) for f in folders if not (f / "__init__.py").is_file()) == []
