"""writers/handout.py: handouts, N slides on a sheet with the deck's title and page numbers."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from deckgen.layout.style import style_deck
from deckgen.measure import TableMeasurer, measurer_for
from deckgen.model import (
    Box,
    Frame,
    LaidDeck,
    Meta,
    Page,
    Para,
    Run,
    TextFrame,
)
from deckgen.theme import load_theme
from deckgen.writers.pdf import PdfWriter

THEME = load_theme("default")
MEASURER = measurer_for(THEME.fonts.latin)


def deck_of(*frames: Frame, pages: int = 1, notes: str = "") -> LaidDeck:
    page = Page("content", tuple(frames), None, notes)
    deck = LaidDeck(Meta(title="PDF 測試", date="2026-01-02"), (page,) * pages, 960.0, 540.0)
    return style_deck(deck, THEME, TableMeasurer())  # styled by the layout's last pass, as built decks are


@pytest.fixture(scope="module")
def font_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pdf-cache")  # the CJK subsets are cut once for the module


@pytest.mark.parametrize("n", [1, 2, 3, 6])
def test_handouts_put_n_slides_on_a_sheet_with_title_and_page_numbers(tmp_path: Path, font_cache: Path, n: int) -> None:
    from io import BytesIO

    from deckgen.writers.handout import write_handout

    frame = TextFrame(Box(48, 100, 600, 100), (Para((Run("slide text"),), 24),))
    deck = deck_of(frame, pages=7, notes="Notes for the speaker 講者備註")
    buffer = BytesIO()
    write_handout(PdfWriter(THEME, MEASURER, font_cache), deck, n, "letter", buffer)
    doc = pymupdf.open(stream=buffer.getvalue(), filetype="pdf")
    sheets = -(-7 // n)
    assert len(doc) == sheets
    assert (round(doc[0].rect.width), round(doc[0].rect.height)) == (612, 792)
    text = doc[0].get_text()
    assert "PDF 測試" in text and "2026-01-02" in text and f"page 1 of {sheets}" in text
    assert text.count("slide text") == n
    assert ("講者備註" in text) == (n in (1, 2))
