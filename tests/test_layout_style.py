"""The layout's last pass: every style decision made in the model, one design per thing."""

from __future__ import annotations

from deckgen.layout import Context, layout_deck, layout_slide, play_badge
from deckgen.layout import style as layout_style
from deckgen.layout.style import pptx_layout, style_deck
from deckgen.measure import TableMeasurer, count_lines
from deckgen.model import (
    Box,
    Cell,
    CodeFrame,
    Deck,
    Embed,
    EmbedFrame,
    LaidDeck,
    Meta,
    Page,
    Para,
    PlaceholderFrame,
    Run,
    Slide,
    Stroke,
    TableFrame,
    TextFrame,
)
from deckgen.theme import load_theme

THEME = load_theme("default")
C = THEME.colors


def styled(*frames: object, title: TextFrame | None = None) -> Page:
    deck = LaidDeck(Meta(), (Page("content", tuple(frames), title),), 960.0, 540.0)  # type: ignore[arg-type]
    return style_deck(deck, THEME, TableMeasurer()).pages[0]


def test_code_tables_and_placeholders_get_their_fills_colours_borders_and_insets() -> None:
    code = CodeFrame(Box(0, 0, 100, 40), ((Run("x"),),), 18.0)
    rows = ((Cell((Run("h"),), header=True),), (Cell((Run("a"),)),), (Cell((Run("b"),), header=True),))
    table = TableFrame(Box(0, 50, 100, 90), rows, 1, (100.0,), (30.0, 30.0, 30.0), 18.0)
    ph = PlaceholderFrame(Box(0, 150, 300, 100), "http://x/a.png", "gone", 16.0)
    page = styled(code, table, ph)
    code, table, ph = page.frames  # type: ignore[assignment]
    assert (code.fill, code.color, code.insets) == (C.code_background, C.code_text, (7.2,) * 4)
    assert table.border == Stroke(C.muted, 0.75) and table.cell_insets == (3.6,) * 4
    # the header row on the accent; body rows striped; a header cell in a body row is only bold
    assert table.row_fills == (C.accent, C.code_background, C.background)
    assert table.row_colors == (C.background, C.text, C.text)
    assert table.row_link_colors == (C.background, C.link, C.link)
    assert ph.border == Stroke(C.muted, 1.5, dash=True) and ph.fill == C.code_background
    assert (ph.gap, ph.insets, ph.color, ph.link_color) == (4.0, (7.2,) * 4, C.text, C.link)


def test_each_page_carries_its_powerpoint_layout() -> None:
    title = TextFrame(Box(0, 0, 10, 10), (Para((Run("T"),), 30.0),), "title")
    body = TextFrame(Box(0, 20, 10, 10), (Para((Run("b"),), 20.0),), "body")
    assert pptx_layout(Page("title", (), title)) == "Title Slide"
    assert pptx_layout(Page("content", (body,), None)) == "Blank"
    assert pptx_layout(Page("content", (body,), title)) == "Title and Content"
    assert pptx_layout(Page("content", (), title)) == "Title Only"
    assert styled(body, title=title).pptx_layout == "Title and Content"
    laid = layout_deck(Deck(Meta(title="Deck"), (), (Slide((Run("S"),), 2, ()),)), THEME, TableMeasurer())
    assert [p.pptx_layout for p in laid.pages] == ["Title Slide", "Title Only"]


def test_one_badge_design_on_posters_and_play_buttons() -> None:
    ctx = Context(THEME, TableMeasurer())
    bare = Embed("iframe", "https://x.org/page", "https://x.org/page", "A page")
    (frame,) = layout_slide(ctx, Slide((Run("P"),), 2, (bare,)))[0][1]
    assert isinstance(frame, EmbedFrame)
    (styled_frame,) = styled(frame).frames
    assert isinstance(styled_frame, EmbedFrame)
    assert (styled_frame.play.fill, styled_frame.play.stroke) == ("FFFFFF", Stroke("CC0000", 3.0))


def test_the_play_button_on_a_placeholder_covers_none_of_its_text() -> None:
    """It sat in the middle of the box, on the placeholder's title and URL."""
    ctx = Context(THEME, TableMeasurer())
    bare = Embed("youtube", "https://youtu.be/abc", "https://www.youtube.com/embed/abc", "A talk on transformers")
    (frame,) = layout_slide(ctx, Slide((Run("Video"),), 2, (bare,)))[0][1]
    assert isinstance(frame, EmbedFrame)
    (frame,) = styled(frame).frames  # type: ignore[assignment]
    assert isinstance(frame, EmbedFrame) and isinstance(frame.fallback, PlaceholderFrame)
    ph, play = frame.fallback, frame.play.box
    left, top, right, bottom = ph.insets
    width = ph.box.w - left - right
    lines = count_lines(TableMeasurer(), (Run(ph.reason, bold=True),), width, ph.size) + count_lines(
        TableMeasurer(), (Run(ph.shown_url),), width, ph.size
    )
    text_h = lines * ph.size * ph.line_spacing + ph.gap
    text_top = ph.box.y + (ph.box.h - text_h) / 2
    assert play.bottom <= text_top  # above the (vertically centred) text
    assert ph.box.y <= play.y and play.right <= ph.box.right  # inside the placeholder
    assert play.w == play.h and play.w >= layout_style.BADGE_MIN
    assert play.w <= play_badge(frame.box).w


def test_a_placeholder_too_short_for_a_badge_above_its_text_gets_a_small_one_in_its_corner() -> None:
    ph = PlaceholderFrame(Box(100, 100, 300, 50), "https://x.org/v", "Video", 16.0, "https://x.org/v")
    frame = EmbedFrame(ph.box, Embed("iframe", "https://x.org/v"), ph, layout_style.Badge(play_badge(ph.box)))
    (out,) = styled(frame).frames
    assert isinstance(out, EmbedFrame)
    assert out.play.box == Box(102.0, 102.0, layout_style.BADGE_MIN, layout_style.BADGE_MIN)


def test_text_frames_get_their_text_and_link_colours() -> None:
    title = TextFrame(Box(0, 0, 10, 10), (Para((Run("T"),), 30.0),), "title")
    body = TextFrame(Box(0, 20, 10, 10), (Para((Run("b"),), 20.0),), "body")
    page = styled(body, title=title)
    assert page.title is not None and (page.title.color, page.title.link_color) == (C.heading, C.link)
    (frame,) = page.frames
    assert isinstance(frame, TextFrame) and (frame.color, frame.link_color) == (C.text, C.link)


