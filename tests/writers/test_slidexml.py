"""writers/slidexml.py: each frame kind written as a slide's XML, read back with python-pptx:
what the layout decided (boxes, sizes, spacing, colours) is what the .pptx says.

Each test builds a ``LaidDeck`` by hand (no parsing, no layout; ``support.writerkit``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree
from pptx.enum.shapes import MSO_SHAPE_TYPE

from deckgen.model import (
    LINE_BREAK,
    Badge,
    Box,
    Bullet,
    Cell,
    CodeFrame,
    Embed,
    EmbedFrame,
    Numbered,
    Para,
    PictureFrame,
    Run,
    TableFrame,
)
from deckgen.theme import load_theme
from deckgen.writers.pptx import EMU_PER_PT
from support.writerkit import (
    BOX,
    NS,
    THEME,
    A,
    body,
    deck_of,
    emu,
    png,
    slide_names,
    srgb,
    text_shape,
    write_post_pptx,
    write_pptx,
    xml,
)

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


@pytest.mark.parametrize("box", [Box(10, 10, 0, 90), Box(10, 10, 160, -5), Box(10, 10, 1e-9, 1e-9)])
def test_pptx_never_writes_a_picture_without_extent(tmp_path: Path, box: Box) -> None:
    slide = write_pptx(tmp_path, deck_of(PictureFrame(box, png(tmp_path))))
    assert not [sh for sh in slide.shapes if sh.shape_type == MSO_SHAPE_TYPE.PICTURE]
    for el in slide.shapes._spTree.iter(f"{A}ext"):
        assert int(el.get("cx")) > 0 and int(el.get("cy")) > 0


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


# ---------------------------------------------------------------------------
# with a theme: a short post laid out and written


@pytest.mark.parametrize("name", ["default", "dark", "high-contrast"])
def test_pptx_runs_carry_theme_fonts_colors_and_sizes(tmp_path: Path, name: str) -> None:
    theme = load_theme(name)
    pptx = write_post_pptx(tmp_path, theme)
    c, f = theme.colors, theme.fonts
    slide = xml(pptx, slide_names(pptx)[1])  # 中文 and English
    runs = slide.findall(".//a:r", NS)
    title = [r for r in runs if r.findtext("a:t", namespaces=NS) == "中文 "][0]  # "中文 " + "and English": two languages
    assert srgb(title.find("a:rPr", NS)) == c.heading
    assert title.find("a:rPr", NS).get("sz") == str(int(theme.sizes.title * 100))
    chinese = [r for r in runs if "這是中文" in (r.findtext("a:t", namespaces=NS) or "")][0]
    r_pr = chinese.find("a:rPr", NS)
    assert r_pr.get("lang") == "zh-TW"
    assert r_pr.find("a:latin", NS).get("typeface") == f.latin[0]
    assert r_pr.find("a:ea", NS).get("typeface") == f.east_asian[0]
    assert srgb(r_pr) == c.text and r_pr.get("sz") == str(int(theme.sizes.body * 100))
    link = [r for r in runs if r.find("a:rPr/a:hlinkClick", NS) is not None]
    assert link and all(srgb(r.find("a:rPr", NS)) == c.link for r in link)
    # footer and number are real footer / slide-number placeholders, in the muted color
    phs = {
        sp.find(".//p:ph", NS).get("type"): sp
        for sp in slide.iter(f"{{{NS['p']}}}sp")
        if sp.find(".//p:ph", NS) is not None
    }
    assert "ftr" in phs and "sldNum" in phs
    assert "主題 Theme test" in "".join(phs["ftr"].itertext())
    assert srgb(phs["ftr"].find(".//a:rPr", NS)) == c.muted
    assert phs["sldNum"].find(".//a:fld", NS).get("type") == "slidenum"
    code = xml(pptx, slide_names(pptx)[3])
    code_runs = [r for r in code.findall(".//a:r", NS) if "def" in (r.findtext("a:t", namespaces=NS) or "")]
    assert code_runs[0].find("a:rPr/a:latin", NS).get("typeface") == f.code[0]
    fills = [srgb(sp.find("p:spPr", NS)) for sp in code.iter(f"{{{NS['p']}}}sp")]
    assert c.code_background in fills


def test_pptx_table_cells_follow_the_theme(tmp_path: Path) -> None:
    theme = load_theme("dark")
    pptx = write_post_pptx(tmp_path, theme)
    table = xml(pptx, slide_names(pptx)[2]).find(".//a:tbl", NS)
    rows = table.findall("a:tr", NS)
    c = theme.colors
    head = rows[0].find("a:tc", NS)
    assert srgb(head.find("a:tcPr", NS).find("a:solidFill", NS)) == c.accent
    assert srgb(head.find(".//a:rPr", NS)) == c.background  # readable on the accent
    assert srgb(rows[1].find("a:tc/a:tcPr", NS).find("a:solidFill", NS)) == c.code_background
    assert srgb(rows[2].find("a:tc/a:tcPr", NS).find("a:solidFill", NS)) == c.background
    assert srgb(rows[1].find("a:tc/a:tcPr/a:lnL", NS)) == c.muted


def test_xml_text_and_attributes_are_escaped_in_one_place() -> None:
    from lxml import etree

    from deckgen.writers.slidexml import xml_attr, xml_text

    tricky = 'a & b < c > d "q" \'s\'\n\tend'
    assert xml_text("a & <b>") == "a &amp; &lt;b&gt;"
    element = etree.fromstring(f"<x v={xml_attr(tricky)}>{xml_text(tricky)}</x>".encode())
    assert element.get("v") == tricky and element.text == tricky
