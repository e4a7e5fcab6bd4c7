"""Helpers for the writers' tests: small laid-out decks built by hand and written with each
writer (``deck_of``, ``write_pptx``, ``write_html``), and a short post laid out and written with
a given theme (``write_post_pptx``), with readers for what comes back."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from lxml import etree
from PIL import Image
from pptx import Presentation

from deckgen.assets.revealjs import REVEAL_VERSION, RevealBundle
from deckgen.diagnostics import Diagnostics
from deckgen.layout import layout_deck
from deckgen.layout.style import style_deck
from deckgen.measure import TableMeasurer, measurer_for
from deckgen.model import Asset, AssetStatus, Box, Frame, LaidDeck, Meta, Page, Para, TextFrame
from deckgen.parse import parse_deck
from deckgen.pipeline import _logo_asset
from deckgen.source import read_post
from deckgen.theme import Theme, load_theme
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
    Image.new("RGB", size, (30, 120, 200)).save(path)
    return Asset(
        f"http://x/{name}", AssetStatus.OK, path, *size, "png", source_width=size[0], source_height=size[1]
    )


def body(*paras: Para) -> TextFrame:
    return TextFrame(BOX, paras, "body")


# a post laid out with a theme

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}

THEME_POST = """---
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


def laid(tmp_path: Path, theme: Theme, text: str = THEME_POST) -> LaidDeck:
    post = tmp_path / "post.md"
    post.write_text(text, "utf-8")
    diag = Diagnostics()
    deck = parse_deck(read_post(post, dt.datetime(2024, 3, 1), diag), diag)
    return layout_deck(deck, theme, measurer_for(theme.fonts.latin), _logo_asset(theme))


def write_post_pptx(tmp_path: Path, theme: Theme, text: str = THEME_POST) -> Path:
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
