"""The writers carry the theme: the .pptx master, theme part and runs; the reveal.js stylesheet."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image
from pptx import Presentation
from pptx.util import Emu

from deckgen.assets.revealjs import RevealBundle
from deckgen.diagnostics import Diagnostics
from deckgen.layout import layout_deck
from deckgen.measure import measurer_for
from deckgen.model import LaidDeck
from deckgen.parse import parse_deck
from deckgen.pipeline import _logo_asset
from deckgen.source import read_post
from deckgen.theme import Theme, load_theme
from deckgen.writers.html import RevealWriter, theme_css
from deckgen.writers.master import _one_step_off
from deckgen.writers.pptx import PptxWriter

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}

POST = """---
title: 主題 Theme test
author: Ada Teacher
date: 2024-03-01
---
---
## 中文 and English
這是中文 with English 在一起，and a [link](https://example.org/x).

- one
- two

---
## Table

| a | b |
|---|---|
| 1 | 2 |
| 3 | 4 |

---
## Code
```python
def f():
    return 1  # one
```
"""


def laid(tmp_path: Path, theme: Theme, text: str = POST) -> LaidDeck:
    post = tmp_path / "post.md"
    post.write_text(text, "utf-8")
    diag = Diagnostics()
    deck = parse_deck(read_post(post, dt.datetime(2024, 3, 1), diag), diag)
    return layout_deck(deck, theme, measurer_for(theme.fonts.latin), _logo_asset(theme))


def write_pptx(tmp_path: Path, theme: Theme, text: str = POST) -> Path:
    out = tmp_path / f"{theme.name}.pptx"
    PptxWriter(theme).write(laid(tmp_path, theme, text), out)
    return out


def xml(pptx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(pptx) as archive:
        return etree.fromstring(archive.read(name))


def slide_names(pptx: Path) -> list[str]:
    with zipfile.ZipFile(pptx) as archive:
        names = [n for n in archive.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")]
    return sorted(names, key=lambda n: int(n[len("ppt/slides/slide") : -4]))


def srgb(el: etree._Element | None) -> str | None:
    if el is None:
        return None
    found = el.find(".//a:srgbClr", NS)
    return None if found is None else found.get("val")


def custom_theme(tmp_path: Path, extra: str = "") -> Theme:
    folder = tmp_path / "themes"
    folder.mkdir(exist_ok=True)
    Image.new("RGB", (120, 60), (0x7A, 0x1F, 0x2B)).save(folder / "logo.png")
    (folder / "school.toml").write_text(
        'name = "school"\nextends = "default"\n'
        '[colors]\nbackground = "#FFFDF5"\ntext = "#2B1B17"\nheading = "#7A1F2B"\naccent = "#7A1F2B"\n'
        'link = "#0B4F8A"\ncode_background = "#F4EFE3"\ncode_text = "#2B1B17"\nmuted = "#5E504A"\n'
        '[fonts]\nlatin = ["Georgia", "Liberation Serif"]\neast_asian = ["PMingLiU", "Noto Serif CJK TC"]\n'
        'code = ["Courier New", "Liberation Mono"]\n'
        "[sizes]\ntitle = 40\nbody = 26\ncode = 20\nminimum = 20\nfloor = 16\n"
        '[slide]\nsize = "4:3"\n[footer]\ntext = "{author} · {date}"\n'
        '[logo]\npath = "logo.png"\ncorner = "bottom-right"\n' + extra,
        "utf-8",
    )
    return load_theme("school", tmp_path)


# ---------------------------------------------------------------------------
# .pptx: the theme part and the master


@pytest.mark.parametrize("name", ["default", "dark", "high-contrast"])
def test_pptx_theme_part_has_the_color_scheme_and_fonts(tmp_path: Path, name: str) -> None:
    theme = load_theme(name)
    pptx = write_pptx(tmp_path, theme)
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


@pytest.mark.parametrize("name", ["default", "dark", "high-contrast"])
def test_pptx_runs_carry_theme_fonts_colors_and_sizes(tmp_path: Path, name: str) -> None:
    theme = load_theme(name)
    pptx = write_pptx(tmp_path, theme)
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
    pptx = write_pptx(tmp_path, theme)
    table = xml(pptx, slide_names(pptx)[2]).find(".//a:tbl", NS)
    rows = table.findall("a:tr", NS)
    c = theme.colors
    head = rows[0].find("a:tc", NS)
    assert srgb(head.find("a:tcPr", NS).find("a:solidFill", NS)) == c.accent
    assert srgb(head.find(".//a:rPr", NS)) == c.background  # readable on the accent
    assert srgb(rows[1].find("a:tc/a:tcPr", NS).find("a:solidFill", NS)) == c.code_background
    assert srgb(rows[2].find("a:tc/a:tcPr", NS).find("a:solidFill", NS)) == c.background
    assert srgb(rows[1].find("a:tc/a:tcPr/a:lnL", NS)) == c.muted


def test_pptx_custom_theme_size_footer_and_logo(tmp_path: Path) -> None:
    theme = custom_theme(tmp_path)
    pptx = write_pptx(tmp_path, theme)
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
    pptx = write_pptx(tmp_path, theme)
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


# ---------------------------------------------------------------------------
# reveal.js: custom properties on the generated stylesheet, extra CSS, font files


@pytest.mark.parametrize("name", ["default", "dark", "high-contrast"])
def test_theme_css_has_every_value_as_a_custom_property(name: str) -> None:
    theme = load_theme(name)
    css = theme_css(theme, theme.width, theme.height)
    c, s = theme.colors, theme.sizes
    for prop, value in (
        ("--dg-background", c.background),
        ("--dg-text", c.text),
        ("--dg-heading", c.heading),
        ("--dg-accent", c.accent),
        ("--dg-link", c.link),
        ("--dg-code-background", c.code_background),
        ("--dg-code-text", c.code_text),
        ("--dg-muted", c.muted),
    ):
        assert f"{prop}: #{value};" in css
    assert f'--dg-font: "{theme.fonts.latin[0]}"' in css
    assert f'"{theme.fonts.east_asian[0]}"' in css.split("--dg-font:")[1].split(";")[0]
    assert f'--dg-code-font: "{theme.fonts.code[0]}"' in css
    assert f"--dg-size-title: {s.title:g}px;" in css and f"--dg-size-body: {s.body:g}px;" in css
    assert "--dg-slide-width: 960px;" in css


def test_reveal_writer_copies_extra_css_and_font_files(tmp_path: Path) -> None:
    font = next(
        (p for d in ("/usr/share/fonts", "/usr/local/share/fonts") for p in Path(d).rglob("DejaVuSans.ttf")),
        None,
    ) or next((p for p in Path("/usr/share/fonts").rglob("*.ttf")), None)
    if font is None:
        pytest.skip("no TrueType font on this machine to ship with a theme")
    folder = tmp_path / "themes"
    folder.mkdir()
    (folder / "extra.css").write_text(".dg-title { letter-spacing: 1px; }\n", "utf-8")
    (folder / font.name).write_bytes(font.read_bytes())
    custom_theme(tmp_path, '[html]\ncss = "extra.css"\n')
    text = (folder / "school.toml").read_text("utf-8")
    (folder / "school.toml").write_text(
        text.replace("[fonts]\n", f'[fonts]\nfiles = ["{font.name}"]\n'), "utf-8"
    )
    theme = load_theme("school", tmp_path)
    assert theme.fonts.files and theme.fonts.files[0].family
    out = tmp_path / "html"
    RevealWriter(theme, RevealBundle("6.0.2", None, "cdn-link")).write(laid(tmp_path, theme), out)
    page = (out / "index.html").read_text("utf-8")
    assert page.index('href="theme.css"') < page.index('href="extra.css"')  # the extra CSS wins
    assert (out / "extra.css").read_text("utf-8") == ".dg-title { letter-spacing: 1px; }\n"
    css = (out / "theme.css").read_text("utf-8")
    family = theme.fonts.files[0].family
    assert f'@font-face {{ font-family: "{family}"; src: url("fonts/{font.name}")' in css
    assert (out / "fonts" / font.name).read_bytes() == font.read_bytes()
    assert "--dg-background: #FFFDF5;" in css and "--dg-slide-width: 720px;" in css
    assert 'data-theme="school"' in page
