"""The two writers on small hand-built laid-out decks: they write what the layout decided.

Each test builds a ``LaidDeck`` by hand (no parsing, no layout), writes it with the .pptx
writer and/or the reveal.js writer, and reads the result back: python-pptx and the XML for
the .pptx, the generated ``index.html`` for the HTML deck.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image as PILImage
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from deckgen.assets.revealjs import REVEAL_VERSION, RevealBundle
from deckgen.layout.style import style_deck
from deckgen.measure import TableMeasurer
from deckgen.model import (
    LINE_BREAK,
    Asset,
    AssetStatus,
    Badge,
    Box,
    Bullet,
    Cell,
    CodeFrame,
    Embed,
    EmbedFrame,
    Frame,
    LaidDeck,
    Meta,
    Numbered,
    Page,
    Para,
    PictureFrame,
    PlaceholderFrame,
    Run,
    TableFrame,
    TextFrame,
)
from deckgen.theme import load_theme
from deckgen.writers.html import RevealWriter
from deckgen.writers.pptx import EMU_PER_PT, PptxWriter

THEME = load_theme("default")
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
BOX = Box(48.0, 100.0, 400.0, 200.0)


def emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def deck_of(*frames: Frame, notes: str = "", title: TextFrame | None = None) -> LaidDeck:
    """A one-page deck, styled by the layout's last pass (as every built deck is)."""
    deck = LaidDeck(Meta(title="Writers"), (Page("content", tuple(frames), title, notes),), 960.0, 540.0)
    return style_deck(deck, THEME, TableMeasurer())


def write_pptx(tmp_path: Path, deck: LaidDeck):  # type: ignore[no-untyped-def]
    out = tmp_path / "deck.pptx"
    PptxWriter(THEME).write(deck, out)
    return Presentation(str(out)).slides[0]


def write_html(tmp_path: Path, deck: LaidDeck) -> str:
    out = tmp_path / "html"
    RevealWriter(THEME, RevealBundle(REVEAL_VERSION, None, "cdn-link")).write(deck, out)
    return (out / "index.html").read_text("utf-8")


def section(page_html: str) -> str:
    """The deck's only slide, without the page's script and head."""
    return page_html[page_html.index("<section") : page_html.index("</section>")]


def text_shape(slide, text: str):  # type: ignore[no-untyped-def]
    return next(sh for sh in slide.shapes if sh.has_text_frame and text in sh.text_frame.text)


def png(tmp_path: Path, name: str = "p.png", size: tuple[int, int] = (160, 90)) -> Asset:
    path = tmp_path / name
    PILImage.new("RGB", size, (30, 120, 200)).save(path)
    return Asset(
        f"http://x/{name}", AssetStatus.OK, path, *size, "png", source_width=size[0], source_height=size[1]
    )


def body(*paras: Para) -> TextFrame:
    return TextFrame(BOX, paras, "body")


# ---------------------------------------------------------------------------
# text frames


def test_pptx_text_frame_has_one_paragraph_per_para_with_its_size_spacing_and_color(tmp_path: Path) -> None:
    frame = body(
        Para((Run("First"),), 28.0),
        Para((Run("Second"),), 24.0, "heading", space_before=9.0, align="center"),
    )
    shape = text_shape(write_pptx(tmp_path, deck_of(frame)), "First")
    assert (shape.left, shape.top, shape.width, shape.height) == tuple(emu(v) for v in (48, 100, 400, 200))
    first, second = shape.text_frame.paragraphs
    assert first.text == "First" and second.text == "Second"
    assert first.runs[0].font.size.pt == 28 and second.runs[0].font.size.pt == 24
    assert second.space_before.pt == 9
    assert second.line_spacing.pt == pytest.approx(24 * 1.2, abs=0.01)  # written in 1/100 pt
    # each paragraph in its own colour (the style pass's, by its kind)
    assert str(first.runs[0].font.color.rgb) == THEME.colors.text.upper()
    assert str(second.runs[0].font.color.rgb) == THEME.colors.heading.upper()
    assert second._p.pPr.get("algn") == "ctr"


def test_html_text_frame_has_one_p_per_para_with_its_size_spacing_and_color(tmp_path: Path) -> None:
    frame = body(
        Para((Run("First"),), 28.0),
        Para((Run("Second"),), 24.0, "heading", space_before=9.0, align="center"),
    )
    page = section(write_html(tmp_path, deck_of(frame)))
    c = THEME.colors
    assert 'style="left:48.00px;top:100.00px;width:400.00px;height:200.00px;' in page
    assert f'<p class="dg-body" style="font-size:28px;line-height:33.60px;color:#{c.text}">First</p>' in page
    assert (
        '<p class="dg-heading" style="font-size:24px;line-height:28.80px;margin-top:9.00px;'
        f'text-align:center;color:#{c.heading}">Second</p>'
    ) in page


def test_an_unstyled_para_is_written_without_a_colour_of_the_writers_own(tmp_path: Path) -> None:
    """Only the style pass colours text: a writer given a paragraph it did not colour (a bug;
    a built deck has none) adds no colour of its own, the deck's defaults show."""
    frame = body(Para((Run("plain"),), 20.0))
    unstyled = LaidDeck(Meta(title="Writers"), (Page("content", (frame,)),), 960.0, 540.0)
    run = text_shape(write_pptx(tmp_path, unstyled), "plain").text_frame.paragraphs[0].runs[0]
    assert run._r.rPr.find(f"{A}solidFill") is None
    assert 'style="font-size:20px;line-height:24.00px">plain</p>' in write_html(tmp_path, unstyled)


def test_pptx_bullets_hang_left_of_the_text_by_the_layouts_indent_and_hang(tmp_path: Path) -> None:
    frame = body(
        Para((Run("dot"),), 24.0, level=1, bullet=Bullet("•"), indent=26.4, hang=21.6),
        Para((Run("three"),), 24.0, level=1, bullet=Numbered(3), indent=26.4, hang=21.6),
        Para((Run("quote"),), 24.0, "quote", level=1, indent=26.4),
    )
    dot, three, quote = text_shape(write_pptx(tmp_path, deck_of(frame)), "dot").text_frame.paragraphs
    for p in (dot, three):
        assert p._p.pPr.get("marL") == str(int(26.4 * EMU_PER_PT))
        assert p._p.pPr.get("indent") == str(-int(21.6 * EMU_PER_PT))
    assert dot._p.pPr.find(f"{A}buChar").get("char") == "•"
    auto = three._p.pPr.find(f"{A}buAutoNum")
    assert (auto.get("type"), auto.get("startAt")) == ("arabicPeriod", "3")
    assert quote._p.pPr.get("marL") == str(int(26.4 * EMU_PER_PT)) and quote._p.pPr.get("indent") == "0"
    assert quote._p.pPr.find(f"{A}buNone") is not None


def test_html_bullets_hang_left_of_the_text_by_the_layouts_indent_and_hang(tmp_path: Path) -> None:
    frame = body(
        Para((Run("dot"),), 24.0, level=1, bullet=Bullet("•"), indent=26.4, hang=21.6),
        Para((Run("quote"),), 24.0, "quote", level=1, indent=26.4),
    )
    page = section(write_html(tmp_path, deck_of(frame)))
    assert (
        'padding-left:26.40px;text-indent:-21.60px"><span class="dg-bu" style="width:21.60px">•</span>dot</p>'
    ) in page
    assert (
        f'<p class="dg-quote" style="font-size:24px;line-height:28.80px;color:#{THEME.colors.text};'
        'padding-left:26.40px">quote</p>'
    ) in page


def test_pptx_runs_carry_bold_italic_strike_links_and_chinese_with_its_fonts(tmp_path: Path) -> None:
    runs = (
        Run("bold ", bold=True),
        Run("italic ", italic=True),
        Run("gone ", strike=True),
        Run("a link", link="https://example.org/x"),
        LINE_BREAK,
        Run("中文字", lang="zh-Hant"),  # the layout's language pass gives Chinese its language
    )
    shape = text_shape(write_pptx(tmp_path, deck_of(body(Para(runs, 24.0)))), "bold")
    p = shape.text_frame.paragraphs[0]
    r_prs = {r.text: r._r.rPr for r in p.runs}
    assert r_prs["bold "].get("b") == "1" and r_prs["bold "].get("i") == "0"
    assert r_prs["italic "].get("i") == "1" and r_prs["italic "].get("b") == "0"
    assert r_prs["gone "].get("strike") == "sngStrike"
    # a link is cut into one run per word, each a real hyperlink in the theme's link color; the
    # space between is a run of its own (LibreOffice draws a link touching a link wrongly)
    link_runs = [r for r in p.runs if r.hyperlink.address]
    assert [r.text for r in link_runs] == ["a", "link"]
    assert "a link" in "".join(r.text for r in p.runs)
    for r in link_runs:
        assert r.hyperlink.address == "https://example.org/x"
        assert r._r.rPr.get("u") == "sng" and str(r.font.color.rgb) == THEME.colors.link.upper()
    assert p._p.find(f"{A}br") is not None
    chinese = r_prs["中文字"]
    assert chinese.get("lang") == "zh-TW" and r_prs["bold "].get("lang") == "en-US"
    assert chinese.find(f"{A}ea").get("typeface") == THEME.fonts.east_asian[0]
    assert chinese.find(f"{A}latin").get("typeface") == THEME.fonts.latin[0]
    assert str(p.runs[0].font.color.rgb) == THEME.colors.text.upper()


def test_html_runs_carry_bold_italic_strike_links_and_breaks(tmp_path: Path) -> None:
    runs = (
        Run("bold", bold=True),
        Run("italic", italic=True),
        Run("gone", strike=True),
        Run("x()", code=True),
        LINE_BREAK,
        Run("a link", link="https://example.org/x"),
    )
    page = section(write_html(tmp_path, deck_of(body(Para(runs, 24.0)))))
    assert (
        "<strong>bold</strong><em>italic</em><s>gone</s><code>x()</code><br>"
        f'<a href="https://example.org/x" target="_blank" rel="noopener" style="color:#{THEME.colors.link}">a link</a>'
    ) in page


def test_html_escapes_script_text_and_quotes_in_attributes(tmp_path: Path) -> None:
    link = 'https://x.org/?q="a"&b=<c>'
    frames = (
        body(Para((Run('<script>alert("x")</script>', link=link),), 24.0)),
        PictureFrame(Box(500, 100, 160, 90), png(tmp_path), link, description='say "hi" <b>'),
    )
    page = write_html(tmp_path, deck_of(*frames, notes="<script>notes</script>"))
    assert "<script>alert" not in page and "<script>notes" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert f'href="{html.escape(link, quote=True)}"' in page
    assert 'alt="say &quot;hi&quot; &lt;b&gt;"' in page


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


@pytest.mark.parametrize("box", [Box(10, 10, 0, 90), Box(10, 10, 160, -5), Box(10, 10, 1e-9, 1e-9)])
def test_pptx_never_writes_a_picture_without_extent(tmp_path: Path, box: Box) -> None:
    slide = write_pptx(tmp_path, deck_of(PictureFrame(box, png(tmp_path))))
    assert not [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    for el in slide.shapes._spTree.iter(f"{A}ext"):
        assert int(el.get("cx")) > 0 and int(el.get("cy")) > 0


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


def test_pptx_shows_an_embed_as_its_linked_poster_with_a_play_badge_at_the_layouts_box(
    tmp_path: Path,
) -> None:
    slide = write_pptx(tmp_path, deck_of(_video(tmp_path)))
    (pic,) = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert pic.click_action.hyperlink.address == "https://youtu.be/abc"
    (badge,) = [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE]
    assert (badge.left, badge.top, badge.width, badge.height) == tuple(
        emu(v) for v in (380.3, 210.3, 59.4, 59.4)
    )
    assert badge.rotation == 90 and badge.click_action.hyperlink.address == "https://youtu.be/abc"
    assert b"iframe" not in etree.tostring(slide._element)


def test_html_shows_an_embed_as_its_poster_and_play_button_and_loads_the_player_only_on_click(
    tmp_path: Path,
) -> None:
    page = section(write_html(tmp_path, deck_of(_video(tmp_path))))
    # the live player is only inside data-embed (escaped), never an element of the page
    assert "<iframe" not in page
    live = re.search(r'data-embed="([^"]*)"', page)
    assert live is not None
    player = html.unescape(live.group(1))
    assert player.startswith(
        '<iframe src="https://www.youtube.com/embed/abc?a=1&amp;b=2" title="A &quot;video&quot;"'
    )
    assert '<img src="assets/poster.png" alt="A &quot;video&quot;"' in page
    # the play button sits at the layout's box, relative to the embed's own box
    assert (
        '<button class="dg-play" style="left:180.30px;top:90.30px;width:59.40px;height:59.40px;"'
    ) in page


def test_html_embed_without_poster_shows_its_placeholder_and_a_play_button(tmp_path: Path) -> None:
    box = Box(200, 120, 480, 270)
    embed = Embed("iframe", "https://x.org/page", "https://x.org/page", "A page")
    placeholder = PlaceholderFrame(
        box, embed.url, "Embedded page: A page", 16.0, "https://x.org/page", embed.url
    )
    page = section(write_html(tmp_path, deck_of(EmbedFrame(box, embed, placeholder, Badge(Box(380, 210, 60, 60))))))
    assert "<strong>Embedded page: A page</strong>" in page and 'class="dg-play"' in page
    assert "<iframe" not in page and "&lt;iframe src=&quot;https://x.org/page&quot;" in page


# ---------------------------------------------------------------------------
# tables, code, notes


def _table() -> TableFrame:
    rows = (
        (Cell((Run("Wide header"),), colspan=2, header=True),),
        (Cell((Run("tall"),), rowspan=2), Cell((Run("b1"),))),
        (Cell((Run("b2"),)),),
    )
    return TableFrame(BOX, rows, 1, (150.0, 250.0), (30.0, 40.0, 50.0), 18.0)


def test_pptx_table_merges_spanned_cells_at_the_layouts_sizes(tmp_path: Path) -> None:
    (shape,) = [sh for sh in write_pptx(tmp_path, deck_of(_table())).shapes if sh.has_table]
    table = shape.table
    assert [c.width for c in table.columns] == [emu(150), emu(250)]
    assert [r.height for r in table.rows] == [emu(30), emu(40), emu(50)]
    head, tall = table.cell(0, 0), table.cell(1, 0)
    assert head.is_merge_origin and head.span_width == 2 and head.text == "Wide header"
    assert tall.is_merge_origin and tall.span_height == 2 and tall.text == "tall"
    assert table.cell(1, 1).text == "b1" and table.cell(2, 1).text == "b2"
    assert head.text_frame.paragraphs[0].runs[0].font.bold
    assert head.text_frame.paragraphs[0].runs[0].font.size.pt == 18


def test_html_table_merges_spanned_cells_at_the_layouts_sizes(tmp_path: Path) -> None:
    page = section(write_html(tmp_path, deck_of(_table())))
    assert '<colgroup><col style="width:150.00px"><col style="width:250.00px"></colgroup>' in page
    c = THEME.colors
    head = f'<tr style="height:30.00px;background:#{c.accent};color:#{c.background};">'
    assert head + '<th colspan="2"><strong>Wide header</strong></th></tr>' in page
    stripe = f"background:#{c.code_background};color:#{c.text};"
    assert f'<tr style="height:40.00px;{stripe}"><td rowspan="2">tall</td><td>b1</td></tr>' in page
    plain = f"background:#{c.background};color:#{c.text};"
    assert f'<tr style="height:50.00px;{plain}"><td>b2</td></tr>' in page


def _code() -> CodeFrame:
    lines = (
        (Run("def", code=True, color="A90D91", token="k"), Run(" f(): ", code=True)),
        (),
        (Run("    return '<x>'", code=True, color="C41A16", token="s1"),),
    )
    return CodeFrame(BOX, lines, 16.0, "python")


def test_pptx_code_is_one_monospace_paragraph_per_line_in_the_run_colors(tmp_path: Path) -> None:
    shape = text_shape(write_pptx(tmp_path, deck_of(_code())), "def")
    paras = shape.text_frame.paragraphs
    assert [p.text for p in paras] == ["def f(): ", " ", "    return '<x>'"]  # an empty line keeps its height
    keyword = paras[0].runs[0]
    assert keyword._r.rPr.find(f"{A}latin").get("typeface") == THEME.fonts.code[0]
    assert str(keyword.font.color.rgb) == "A90D91" and keyword.font.size.pt == 16
    assert str(paras[0].runs[1].font.color.rgb) == THEME.colors.code_text.upper()
    assert str(shape.fill.fore_color.rgb) == THEME.colors.code_background.upper()


def test_html_code_is_one_line_per_source_line_with_token_classes(tmp_path: Path) -> None:
    page = section(write_html(tmp_path, deck_of(_code())))
    assert 'data-lang="python"><code><span class="k">def</span> f(): \n\n' in page
    assert '<span class="s1">    return &#x27;&lt;x&gt;&#x27;</span></code></pre>' in page


def test_speaker_notes_go_to_the_notes_page_and_the_notes_aside(tmp_path: Path) -> None:
    notes = "First note.\n\nSecond <note> & more."
    deck = deck_of(body(Para((Run("text"),), 20.0)), notes=notes)
    slide = write_pptx(tmp_path, deck)
    assert slide.has_notes_slide and slide.notes_slide.notes_text_frame.text == notes
    page = section(write_html(tmp_path, deck))
    assert '<aside class="notes"><p>First note.</p><p>Second &lt;note&gt; &amp; more.</p></aside>' in page


# ---------------------------------------------------------------------------
# the writers translate the model's style (issue 12): one design, the same in every deck


def test_a_reused_html_writer_keeps_the_pictures_of_its_second_deck(tmp_path: Path) -> None:
    """It remembered the pictures of its first deck and did not copy them into the second."""
    writer = RevealWriter(THEME, RevealBundle(REVEAL_VERSION, None, "cdn-link"))
    deck = deck_of(PictureFrame(Box(10, 10, 160, 90), png(tmp_path, "p.png")))
    writer.write(deck, tmp_path / "one")
    writer.write(deck, tmp_path / "two")
    assert (tmp_path / "one" / "assets" / "p.png").is_file()
    assert (tmp_path / "two" / "assets" / "p.png").is_file()


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
