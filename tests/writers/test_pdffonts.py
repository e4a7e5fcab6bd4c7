"""writers/pdffonts.py: the fonts the PDF embeds are the ones the layout measures with."""

from __future__ import annotations

from deckgen.theme import load_theme
from deckgen.writers.pdffonts import font_set

THEME = load_theme("default")


def test_the_fonts_are_the_ones_the_layout_measures_with() -> None:
    fonts = font_set(THEME)
    assert fonts.latin[""].name == "LiberationSans-Regular.ttf"
    assert fonts.mono[""].name.startswith("LiberationMono")
    assert "NotoSansCJK" in fonts.cjk[""][0].name
