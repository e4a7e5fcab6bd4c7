"""One font resolver for the measurer and the PDF: the same file on every machine that has it.

Debian's ``fonts-liberation`` (Liberation Sans 1.x: 668 glyphs, no U+200B) and
``fonts-liberation2`` (2.x) install files of the same name; whichever a walk of the font
folders meets first must not decide. These tests make such a machine in a temporary folder.
"""

from __future__ import annotations

import logging
import shutil
from dataclasses import replace
from io import BytesIO
from pathlib import Path

import pymupdf
import pytest

from deckgen.measure import (
    PillowMeasurer,
    TableMeasurer,
    find_font_file,
    latin_font_files,
    resolve_font_file,
    style_files,
    text_width,
)
from deckgen.model import Box, LaidDeck, Meta, Page, Para, Run, TextFrame
from deckgen.theme import load_theme
from deckgen.themes_cmd import font_files, list_themes
from deckgen.writers.pdf import PdfWriter
from deckgen.writers.pdffonts import FontSet, font_set

REAL = resolve_font_file(("LiberationSans-Regular.ttf",))
pytestmark = pytest.mark.skipif(REAL is None, reason="Liberation Sans is not installed")
ZWSP = "\u200b"


def old_liberation(target: Path) -> Path:
    """A Liberation Sans like 1.x: the same name and Latin advances, fewer glyphs, no U+200B."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    assert REAL is not None
    font = TTFont(str(REAL))
    options = subset.Options()
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=range(0x20, 0x17F))
    subsetter.subset(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    font.save(str(target))
    return target


@pytest.fixture(scope="module")
def two_sets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """Font folders holding both: ``liberation/`` (old) and ``liberation2/`` (new)."""
    root = tmp_path_factory.mktemp("fonts")
    old = old_liberation(root / "truetype" / "liberation" / "LiberationSans-Regular.ttf")
    assert REAL is not None
    new = root / "truetype" / "liberation2" / "LiberationSans-Regular.ttf"
    new.parent.mkdir(parents=True)
    shutil.copy(REAL, new)
    bold = REAL.with_name("LiberationSans-Bold.ttf")
    if bold.is_file():
        shutil.copy(bold, new.with_name(bold.name))
    return root, old, new


def test_the_copy_with_more_glyphs_wins_whatever_the_folders_order(two_sets: tuple[Path, Path, Path]) -> None:
    root, old, new = two_sets
    assert resolve_font_file(("LiberationSans-Regular.ttf",), (root,)) == new
    assert resolve_font_file(("LiberationSans-Regular.ttf",), (old.parent, new.parent)) == new
    assert resolve_font_file(("LiberationSans-Regular.ttf",), (new.parent, old.parent)) == new
    assert find_font_file("Arial", (root,)) == new  # Arial's own file is not here: its metric twin
    assert resolve_font_file(("LiberationSans-Regular.ttf",), (old.parent,)) == old  # the only one
    assert resolve_font_file(("Nothing.ttf",), (root,)) is None


def test_the_measurer_and_the_pdf_take_the_same_files(monkeypatch: pytest.MonkeyPatch, two_sets: tuple[Path, Path, Path]) -> None:
    import deckgen.measure as measure

    root, _old, new = two_sets
    cjk = font_set(load_theme("default")).cjk[""][0]
    link = root / "opentype" / cjk.name
    if not link.exists():
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(cjk)
    measure._font_index.cache_clear()
    monkeypatch.setattr(measure, "FONT_DIRS", (root,))
    theme = load_theme("default")
    files = latin_font_files(theme.fonts.latin)
    assert files[""] == new
    assert style_files(new).get("B", new).parent == new.parent
    measure.measurer_for.cache_clear()
    try:
        assert isinstance(measure.measurer_for(theme.fonts.latin), PillowMeasurer)
        assert font_set(replace(theme)).latin[""] == new
    finally:
        measure.measurer_for.cache_clear()
        measure._font_index.cache_clear()


def test_a_theme_s_own_files_come_first(tmp_path: Path) -> None:
    assert REAL is not None
    own = tmp_path / "Mine.ttf"
    shutil.copy(REAL, own)
    files = latin_font_files(("Mine", "Arial"), ((own, "Mine", False, False),))
    assert files == {"": own}
    assert latin_font_files(("Unknown Family",))[""].name in ("LiberationSans-Regular.ttf", "DejaVuSans.ttf")


def test_a_zero_width_space_measures_nothing_in_any_font(two_sets: tuple[Path, Path, Path]) -> None:
    _root, old, new = two_sets
    for measurer in (PillowMeasurer(old), PillowMeasurer(new), TableMeasurer()):
        assert measurer.char_em(ZWSP, False, False) == 0.0
        assert measurer.char_em(ZWSP, False, True) == 0.0
        url = "https://example.org/a/b"
        assert text_width(measurer, ZWSP.join(url), 20) == pytest.approx(text_width(measurer, url, 20))


def test_a_font_without_u200b_draws_no_gap_and_misses_no_glyph(
    tmp_path: Path, two_sets: tuple[Path, Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    _root, old, _new = two_sets
    theme = load_theme("default")
    fonts = font_set(theme)
    fonts = FontSet({"": old}, {"": old}, fonts.cjk)
    measurer = PillowMeasurer(old)
    url = "https://\u200bexample.\u200borg/\u200bsome/\u200bpath"
    page = Page("content", (TextFrame(Box(48, 100, 860, 60), (Para((Run(url),), 24, color="000000"),)),), background="FFFFFF")
    deck = LaidDeck(Meta(title="gaps"), (page,), 960, 540)
    from deckgen.layout.style import style_deck

    deck = style_deck(deck, theme, measurer)
    buffer = BytesIO()
    with caplog.at_level(logging.WARNING, logger="fpdf"):
        PdfWriter(theme, measurer, tmp_path, fonts=fonts).write(deck, buffer)
    assert not [r for r in caplog.records if "missing" in r.getMessage()]
    doc = pymupdf.open(stream=buffer.getvalue(), filetype="pdf")
    words = doc[0].get_text("words")
    assert [w[4] for w in words] == ["https://example.org/some/path"]
    x0, x1 = words[0][0], words[0][2]
    assert x1 - x0 == pytest.approx(text_width(measurer, url.replace(ZWSP, ""), 24) / 1.04, abs=1.0)


def test_deckgen_themes_shows_the_file_each_font_resolves_to(tmp_path: Path) -> None:
    theme = load_theme("default")
    shown = font_files(theme)
    fonts = font_set(theme)
    assert f"Arial -> {fonts.latin['']}" in shown
    assert f"code -> {fonts.mono['']}" in shown and f"Chinese -> {fonts.cjk[''][0]}" in shown
    assert all(shown in line for line in list_themes(tmp_path) if line.split()[0] == "default")
