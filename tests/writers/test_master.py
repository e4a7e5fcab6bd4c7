"""writers/master.py: the .pptx's slide master and theme part carry the theme (colour scheme,
fonts, footer and number placeholders, slide size, logo); a template's masters and named
layouts are used."""

from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from deckgen.theme import load_theme
from deckgen.writers.master import _one_step_off
from deckgen.writers.pptx import PptxWriter
from support.writerkit import NS, custom_theme, laid, srgb, write_post_pptx, xml

# ---------------------------------------------------------------------------
# .pptx: the theme part and the master


@pytest.mark.parametrize("name", ["default", "dark", "high-contrast"])
def test_pptx_theme_part_has_the_color_scheme_and_fonts(tmp_path: Path, name: str) -> None:
    theme = load_theme(name)
    pptx = write_post_pptx(tmp_path, theme)
    root = xml(pptx, "ppt/theme/theme1.xml")
    scheme = root.find(".//a:clrScheme", NS)
    slot = {child.tag.split("}")[1]: srgb(child) for child in scheme}
    c = theme.colors
    dark = name == "dark"
    assert (slot["dk1"], slot["lt1"]) == ((c.background, c.text) if dark else (c.text, c.background))
    near = _one_step_off(c.link)  # see the writer: LibreOffice draws a link wrongly when equal
    assert slot["accent1"] == c.accent and slot["hlink"] == near and slot["folHlink"] == near
    for which in ("majorFont", "minorFont"):
        font = root.find(f".//a:fontScheme/a:{which}", NS)
        assert font.find("a:latin", NS).get("typeface") == theme.fonts.latin[0]
        assert font.find("a:ea", NS).get("typeface") == theme.fonts.east_asian[0]
        hant = [f for f in font.findall("a:font", NS) if f.get("script") == "Hant"]
        assert hant[0].get("typeface") == theme.fonts.east_asian[0]
    master = xml(pptx, "ppt/slideMasters/slideMaster1.xml")
    # tx1 / bg1 resolve to the theme's text and background whichever way the map goes
    clr_map = master.find("p:clrMap", NS)
    assert slot[clr_map.get("tx1")] == c.text and slot[clr_map.get("bg1")] == c.background
    assert srgb(master.find("p:cSld/p:bg", NS)) == c.background
    title_style = master.find("p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr", NS)
    assert title_style.get("sz") == str(int(theme.sizes.title * 100)) and srgb(title_style) == c.heading
    body_style = master.find("p:txStyles/p:bodyStyle/a:lvl1pPr/a:defRPr", NS)
    assert body_style.get("sz") == str(int(theme.sizes.body * 100)) and srgb(body_style) == c.text
    footer = [sp for sp in master.iter(f"{{{NS['p']}}}sp") if sp.find(".//p:ph", NS).get("type") == "ftr"][0]
    d = footer.find(".//a:lstStyle/a:lvl1pPr/a:defRPr", NS)
    assert srgb(d) == c.muted and d.get("sz") == str(int(theme.sizes.floor * 100))


def test_pptx_master_footer_sits_where_the_layout_puts_the_footer(tmp_path: Path) -> None:
    theme = load_theme("default")
    deck = laid(tmp_path, theme)
    footer = next(f for p in deck.pages for f in p.frames if getattr(f, "role", "") == "footer")
    out = tmp_path / "d.pptx"
    PptxWriter(theme).write(deck, out)
    prs = Presentation(str(out))
    ph = next(p for p in prs.slide_master.placeholders if p.placeholder_format.type == 15)
    assert (ph.left, ph.top) == (Emu(round(footer.box.x * 12700)), Emu(round(footer.box.y * 12700)))
    # the built-in 4:3 master was stretched to 16:9: its title spans the wide slide
    title = next(p for p in prs.slide_master.placeholders if p.placeholder_format.type == 1)
    assert title.left + title.width > prs.slide_width * 0.85


def test_pptx_custom_theme_size_footer_and_logo(tmp_path: Path) -> None:
    theme = custom_theme(tmp_path)
    pptx = write_post_pptx(tmp_path, theme)
    prs = Presentation(str(pptx))
    assert (prs.slide_width, prs.slide_height) == (Emu(720 * 12700), Emu(540 * 12700))
    content = prs.slides[1]
    texts = [sh.text_frame.text for sh in content.shapes if sh.has_text_frame]
    assert "Ada Teacher · 2024-03-01" in texts
    logos = [sh for sh in content.shapes if sh.shape_type == 13 and sh.image.size == (120, 60)]
    assert len(logos) == 1
    logo = logos[0]
    assert logo.left > prs.slide_width / 2 and logo.top > prs.slide_height / 2  # bottom-right
    root = xml(pptx, "ppt/theme/theme1.xml")
    assert root.find(".//a:majorFont/a:latin", NS).get("typeface") == "Georgia"
    assert root.find(".//a:majorFont/a:ea", NS).get("typeface") == "PMingLiU"


# ---------------------------------------------------------------------------
# .pptx with a template: its masters and named layouts are used


def _template(path: Path, rename: dict[str, str] | None = None) -> Path:
    from pptx.dml.color import RGBColor

    prs = Presentation()
    prs.slide_height = Emu(5143500)  # a 10 in x 5.625 in 16:9 template
    # a mark to recognise the template's master by: its date placeholder renamed
    date = next(ph for ph in prs.slide_master.placeholders if ph.placeholder_format.type == 16)
    date._element.nvSpPr.cNvPr.set("name", "school-mark")
    fill = prs.slide_master.background.fill
    fill.solid()
    fill.fore_color.rgb = RGBColor(0x12, 0x34, 0x56)
    for layout in prs.slide_layouts:
        if rename and layout.name in rename:
            layout._element.cSld.set("name", rename[layout.name])
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "sample slide of the template"
    prs.save(str(path))
    return path


@pytest.mark.parametrize("rename", [None, {"Title Slide": "標題投影片", "Title and Content": "標題及內容"}])
def test_pptx_template_masters_and_named_layouts_are_used(tmp_path: Path, rename: dict | None) -> None:
    (tmp_path / "themes").mkdir()
    _template(tmp_path / "themes" / "school.pptx", rename)
    custom_theme(tmp_path)
    text = (tmp_path / "themes" / "school.toml").read_text("utf-8")
    (tmp_path / "themes" / "school.toml").write_text(
        text.replace('size = "4:3"', 'size = "16:9"') + '[pptx]\ntemplate = "school.pptx"\n', "utf-8"
    )
    theme = load_theme("school", tmp_path)
    pptx = write_post_pptx(tmp_path, theme)
    prs = Presentation(str(pptx))
    assert all("sample slide" not in (s.shapes.title.text if s.shapes.title else "") for s in prs.slides)
    assert len(prs.slides) == 4
    assert [sh.name for sh in prs.slide_master.shapes if sh.name == "school-mark"]
    assert str(prs.slide_master.background.fill.fore_color.rgb) == "123456"  # the template's design
    # its 10 in wide master was stretched to the deck's 13.33 in
    assert prs.slide_width == Emu(960 * 12700)
    date = next(sh for sh in prs.slide_master.shapes if sh.name == "school-mark")
    assert date.left == pytest.approx(457200 * 960 * 12700 / 9144000, abs=2)
    layouts = [s.slide_layout.name for s in prs.slides]
    expected_title = rename["Title Slide"] if rename else "Title Slide"
    expected_content = rename["Title and Content"] if rename else "Title and Content"
    assert layouts[0] == expected_title
    assert layouts[1] == expected_content
    assert prs.slides[0].shapes.title.text == "主題 Theme test"
    # the runs still carry the theme file's fonts and colors
    runs = [
        r
        for s in prs.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
    ]
    assert {r.font.name for r in runs if r.text.strip()} >= {"Georgia"}
