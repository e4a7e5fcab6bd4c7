"""Each theme as a viewer gets it: a small deck built with every built-in theme and with a custom
theme written here, read back from the .pptx XML and from the computed styles of the HTML deck in
headless Chromium; and the lecture through the render check with every built-in theme.

Skipped (with the reason) without Chromium or LibreOffice; CI sets DECKGEN_NO_SKIP=1, which
turns a skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from lxml import etree
from PIL import Image

from conftest import LECTURE
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Services, build_post
from deckgen.theme import Theme, load_theme
from deckgen.writers.master import _one_step_off
from support import rendercheck as rc
from support.localdeck import LocalFetcher, localize_post

pytestmark = pytest.mark.render

BUILTINS = ("default", "dark", "high-contrast")
NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
}

POST = """---
title: 主題測試 Theme check
author: Ada Teacher
date: 2024-03-01
category: Lecture
tags: [themes]
---
A short abstract.

---
## 中文與 English
這是一段中文，夾雜 **English words** 和 *數字* `2024`。

- first point
- second point, with [a link](https://example.org/theme)
- 第三點

---
## Code
```python
def greet(name):
    return f"hello {{name}}"  # a comment
```

---
## Picture
![a generated picture]({picture})
"""

CUSTOM = """name = "school"
extends = "default"
description = "A school's colors, serif fonts and logo"

[colors]
background = "#FFFDF5"
text = "#2B1B17"
heading = "#7A1F2B"
accent = "#7A1F2B"
link = "#0B4F8A"
code_background = "#F4EFE3"
code_text = "#2B1B17"
muted = "#5E504A"

[fonts]
latin = ["{family}", "Georgia", "Liberation Serif"]
east_asian = ["PMingLiU", "Noto Serif CJK TC", "Noto Sans CJK TC"]
code = ["Courier New", "Liberation Mono"]
files = [{files}]

[sizes]
title = 38
body = 26
code = 20
minimum = 20
floor = 16

[title_slide]
style = "centered"

[footer]
text = "{{author}} · {{date}}"

[logo]
path = "crest.png"
corner = "top-left"

[code]
style = "bw"

[html]
css = "school.css"
"""

EXTRA_CSS = ".reveal .dg-title { letter-spacing: 1px; }\n"


@dataclass
class Built:
    name: str
    theme: Theme
    pptx: Path
    html: Path


def _serif_font() -> Path | None:
    for folder in ("/usr/share/fonts", "/usr/local/share/fonts"):
        for name in ("LiberationSerif-Regular.ttf", "DejaVuSerif.ttf"):
            for found in Path(folder).rglob(name) if Path(folder).is_dir() else ():
                return found
    return None


@pytest.fixture(scope="module")
def small_decks(
    image_server, reveal_source: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Built]:
    work = tmp_path_factory.mktemp("theme-decks")
    post = work / "theme-check.md"
    post.write_text(POST.format(picture=image_server.image_url("theme-cat", "png", w=800, h=500)), "utf-8")
    # the custom theme, as a teacher would write it next to the posts
    themes = work / "themes"
    themes.mkdir()
    crest = Image.new("RGB", (96, 96), (0x7A, 0x1F, 0x2B))
    crest.paste((0xFF, 0xFD, 0xF5), (24, 24, 72, 72))
    crest.save(themes / "crest.png")
    (themes / "school.css").write_text(EXTRA_CSS, "utf-8")
    font = _serif_font()
    family, files = "Georgia", ""
    if font is not None:
        shutil.copyfile(font, themes / font.name)
        from PIL import ImageFont

        family, files = ImageFont.truetype(str(font), 12).getname()[0], f'"{font.name}"'
    (themes / "school.toml").write_text(CUSTOM.format(family=family, files=files), "utf-8")
    decks = {}
    for name in (*BUILTINS, "school"):
        options = BuildOptions(
            out_dir=work / "out" / name,
            reveal_js=reveal_source,
            theme=name,
            cwd=work,
            pictures=AssetOptions(cache_dir=work / "cache"),
        )
        result = build_post(post, options, Services(fetcher=LocalFetcher(image_server)))
        assert result.images.failed == 0, result.warnings
        assert result.theme == name
        decks[name] = Built(
            name,
            load_theme(name, work),
            work / "out" / name / "theme-check.pptx",
            work / "out" / name / "theme-check",
        )
    return decks


# ---------------------------------------------------------------------------
# the .pptx XML


def _xml(pptx: Path, name: str) -> etree._Element:
    with zipfile.ZipFile(pptx) as archive:
        return etree.fromstring(archive.read(name))


def _srgb(el: etree._Element | None) -> str | None:
    found = None if el is None else el.find(".//a:srgbClr", NS)
    return None if found is None else found.get("val")


def _runs(pptx: Path, number: int) -> list[etree._Element]:
    return _xml(pptx, f"ppt/slides/slide{number}.xml").findall(".//a:r", NS)


def _run_with(runs: list[etree._Element], text: str) -> etree._Element:
    return next(r for r in runs if text in (r.findtext("a:t", namespaces=NS) or ""))


@pytest.mark.parametrize("name", [*BUILTINS, "school"])
def test_pptx_master_and_runs_carry_the_theme(small_decks: dict[str, Built], name: str) -> None:
    built = small_decks[name]
    t = built.theme
    c, f = t.colors, t.fonts
    theme_xml = _xml(built.pptx, "ppt/theme/theme1.xml")
    slots = {el.tag.split("}")[1]: _srgb(el) for el in theme_xml.find(".//a:clrScheme", NS)}
    master = _xml(built.pptx, "ppt/slideMasters/slideMaster1.xml")
    clr_map = master.find("p:clrMap", NS)
    assert slots[clr_map.get("tx1")] == c.text and slots[clr_map.get("bg1")] == c.background
    # the scheme's link colour is one step off the runs' own (LibreOffice draws a word wrongly when equal)
    assert slots["accent1"] == c.accent and slots["hlink"] == _one_step_off(c.link)
    assert theme_xml.find(".//a:minorFont/a:latin", NS).get("typeface") == f.latin[0]
    assert theme_xml.find(".//a:minorFont/a:ea", NS).get("typeface") == f.east_asian[0]
    assert _srgb(master.find("p:cSld/p:bg", NS)) == c.background

    text_runs = _runs(built.pptx, 2)
    title = _run_with(text_runs, "中文與")  # "中文與 " and "English": a run per language
    assert _srgb(title) == c.heading and title.find("a:rPr", NS).get("sz") == f"{t.sizes.title * 100:.0f}"
    chinese = _run_with(text_runs, "這是一段中文").find("a:rPr", NS)
    assert chinese.get("lang") == "zh-TW" and _srgb(chinese) == c.text
    assert chinese.find("a:latin", NS).get("typeface") == f.latin[0]
    assert chinese.find("a:ea", NS).get("typeface") == f.east_asian[0]
    assert chinese.get("sz") == f"{t.sizes.body * 100:.0f}"
    link = _run_with(text_runs, "link").find("a:rPr", NS)
    assert link.find("a:hlinkClick", NS) is not None and _srgb(link) == c.link
    footer = _run_with(text_runs, "Ada Teacher" if name == "school" else "Theme check")
    assert _srgb(footer) == c.muted
    code = _run_with(_runs(built.pptx, 3), "greet").find("a:rPr", NS)
    assert code.find("a:latin", NS).get("typeface") == f.code[0]

    from pptx import Presentation

    prs = Presentation(str(built.pptx))
    assert prs.slide_width == int(t.width * 12700)
    pictures = [(i, sh) for i, s in enumerate(prs.slides) for sh in s.shapes if sh.shape_type == 13]
    logos = [(i, sh) for i, sh in pictures if sh.image.size == (96, 96)]
    if t.logo is None:
        assert not logos
    else:
        assert [i for i, _ in logos] == list(range(len(prs.slides)))  # every slide, the title slide too
        assert all(sh.left < prs.slide_width / 4 and sh.top < prs.slide_height / 4 for _, sh in logos)


# ---------------------------------------------------------------------------
# the HTML deck in Chromium: computed styles


_JS_STYLES = """
async () => {
  if (document.fonts) await document.fonts.ready;
  const cs = (sel, prop) => { const el = document.querySelector(sel);
                              return el ? getComputedStyle(el).getPropertyValue(prop) : null; };
  const root = getComputedStyle(document.documentElement);
  const faces = [];
  if (document.fonts) document.fonts.forEach(f => faces.push([f.family.replace(/"/g, ''), f.status]));
  return {
    page_bg: getComputedStyle(document.body).backgroundColor,
    accent_prop: root.getPropertyValue('--dg-accent').trim(),
    title_color: cs('.dg-content .dg-title', 'color'),
    title_size: cs('.dg-content .dg-title p', 'font-size'),
    title_spacing: cs('.dg-content .dg-title', 'letter-spacing'),
    title_weight: cs('.dg-content .dg-title p', 'font-weight'),
    text_color: cs('.dg-content .dg-body p', 'color'),
    text_size: cs('.dg-content .dg-body p', 'font-size'),
    text_font: cs('.dg-content .dg-body p', 'font-family'),
    link_color: cs('.dg-content .dg-body a', 'color'),
    strong_weight: cs('.dg-content .dg-body strong', 'font-weight'),
    em_style: cs('.dg-content .dg-body em', 'font-style'),
    inline_code_font: cs('.dg-content .dg-body code', 'font-family'),
    code_bg: cs('.dg-code', 'background-color'),
    code_color: cs('.dg-code', 'color'),
    code_font: cs('.dg-code', 'font-family'),
    footer_color: cs('.dg-footer', 'color'),
    number_color: cs('.dg-number', 'color'),
    logo: document.querySelectorAll('.dg-content img[alt=""]').length,  // the logo: decoration, no text
    contents: document.querySelectorAll('section.dg-content').length,
    faces,
  };
}
"""


def _rgb(hex6: str) -> str:
    return f"rgb({int(hex6[0:2], 16)}, {int(hex6[2:4], 16)}, {int(hex6[4:6], 16)})"


@pytest.fixture(scope="module")
def computed(small_decks: dict[str, Built]) -> dict[str, dict[str, Any]]:
    """The computed styles of every small deck; the browser is closed again before the tests run
    (a second sync Playwright session, as the render check opens, cannot start inside a first)."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("the playwright Python package is not installed")
    exe = os.environ.get("DECKGEN_CHROMIUM") or "/usr/bin/chromium"
    if not Path(exe).is_file():
        pytest.skip(f"Chromium not found at {exe}")
    with sync_playwright() as pw:
        try:
            browser = pw.chromium.launch(executable_path=exe, args=rc.CHROMIUM_ARGS, headless=True)
        except PlaywrightError as exc:
            pytest.skip(f"Chromium at {exe} could not be started: {exc}")
        try:
            styles = {}
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            page.route(
                "**/*",
                lambda route: (
                    route.abort() if not route.request.url.startswith("file:") else route.continue_()
                ),
            )
            for name, built in small_decks.items():
                page.goto((built.html / "index.html").as_uri(), wait_until="load")
                page.wait_for_function(
                    "() => typeof Reveal !== 'undefined' && Reveal.isReady()", timeout=20_000
                )
                styles[name] = page.evaluate(_JS_STYLES)
        finally:
            browser.close()
    return styles


@pytest.mark.parametrize("name", [*BUILTINS, "school"])
def test_html_computed_styles_follow_the_theme(
    small_decks: dict[str, Built], computed: dict[str, dict[str, Any]], name: str
) -> None:
    got = computed[name]
    t = small_decks[name].theme
    c, f = t.colors, t.fonts
    assert got["page_bg"] == _rgb(c.background)
    assert got["accent_prop"].upper() == f"#{c.accent}"
    assert got["title_color"] == _rgb(c.heading)
    assert got["title_size"] == f"{t.sizes.title:g}px"
    assert got["title_weight"] == "400"  # as the layout measured it and the .pptx has it
    assert got["text_color"] == _rgb(c.text)
    assert got["text_size"] == f"{t.sizes.body:g}px"
    assert got["text_font"].startswith(f'"{f.latin[0]}"') or got["text_font"].startswith(f.latin[0])
    assert f.east_asian[0] in got["text_font"]
    assert got["link_color"] == _rgb(c.link)
    # bold, italic and inline code survive reveal.js's CSS reset, as the .pptx shows them
    assert got["strong_weight"] == "700"
    assert got["em_style"] == "italic"
    assert f.code[0] in got["inline_code_font"].split(",")[0]
    assert got["code_bg"] == _rgb(c.code_background)
    assert got["code_color"] == _rgb(c.code_text)
    assert f.code[0] in got["code_font"].split(",")[0]
    assert got["footer_color"] == _rgb(c.muted)
    if t.slide_numbers:
        assert got["number_color"] == _rgb(c.muted)
    if name == "school":
        assert got["title_spacing"] == "1px"  # the theme's extra CSS
        assert got["logo"] == got["contents"] >= 3
        if t.fonts.files:  # the font file shipped with the deck is what the text uses
            assert [f.latin[0], "loaded"] in got["faces"], got["faces"]
    else:
        assert got["logo"] == 0


# ---------------------------------------------------------------------------
# the lecture through the render check, with every built-in theme


@pytest.fixture(scope="module", params=BUILTINS)
def lecture(
    request, image_server, reveal_source: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[str, Path, Path, Path]:
    name = request.param
    work = tmp_path_factory.mktemp(f"lecture-{name}")
    post = localize_post(image_server, LECTURE, work / "posts")
    options = BuildOptions(out_dir=work / "out", reveal_js=reveal_source, theme=name, pictures=AssetOptions(cache_dir=work / "cache"))
    result = build_post(post, options, Services(fetcher=LocalFetcher(image_server)))
    assert result.theme == name and result.images.failed == 0
    return name, work / "out" / "large-language-models.pptx", work / "out" / "large-language-models", work


def test_lecture_passes_the_render_check_with_every_built_in_theme(
    lecture: tuple[str, Path, Path, Path],
) -> None:
    name, pptx, html, work = lecture
    try:
        pptx_report = rc.check_pptx(pptx, work / "pdf")
        html_report = rc.check_html(html, work / "shots")
    except rc.RenderToolMissing as exc:
        pytest.skip(str(exc))
    assert pptx_report.problems(min_font_pt=14) == [], name
    assert html_report.reveal_ready and html_report.problems() == [], name
