"""The layout's context: the logo's place beside titles, footers and numbers; the memo tables."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.layout import Context, layout_deck, layout_slide
from deckgen.measure import TableMeasurer
from deckgen.model import (
    Asset,
    AssetStatus,
    Deck,
    Meta,
    Paragraph,
    PictureFrame,
    Run,
    Slide,
)
from deckgen.theme import load_theme
from support.layoutkit import _long_list, title, words


@pytest.mark.parametrize("corner", ["top-left", "top-right", "bottom-left", "bottom-right"])
def test_a_wide_logo_never_overlaps_the_title_footer_or_number(corner: str) -> None:
    import dataclasses

    theme = dataclasses.replace(load_theme("default"), logo_corner=corner)
    logo = Asset(
        "logo.png",
        AssetStatus.OK,
        Path("/tmp/logo.png"),
        400,
        100,
        "png",
        source_width=400,
        source_height=100,
    )
    slides = (Slide(title("A long title " + words(12)), 2, (Paragraph((Run(words(20)),)),)),)
    deck = layout_deck(
        Deck(Meta(title="T", authors=("A",)), (Paragraph((Run("abstract"),)),), slides),
        theme,
        TableMeasurer(),
        logo,
    )
    for page in deck.pages:
        boxes = [f.box for f in page.frames if not (isinstance(f, PictureFrame) and f.decorative)]
        if page.title is not None:
            boxes.append(page.title.box)
        logos = [f.box for f in page.frames if isinstance(f, PictureFrame) and f.decorative]
        assert len(logos) == 1
        lb = logos[0]
        for b in boxes:
            if page.kind == "title" and b is page.title.box:
                continue  # the band spans the slide, below the logo's corner
            assert lb.right <= b.x or b.right <= lb.x or lb.bottom <= b.y or b.bottom <= lb.y, (corner, b)


def test_the_memo_tables_belong_to_the_context_not_to_the_module() -> None:
    # each Context (one per deck the build lays out) starts empty and keeps its own answers
    theme, measure = load_theme("default"), TableMeasurer()
    first, second = Context(theme, measure), Context(theme, measure)
    slide = Slide(title("Memo"), 2, (_long_list(60), Paragraph((Run(words(300)),))))
    pages = layout_slide(first, slide)
    assert len(first.memo) > 0 and len(second.memo) == 0
    assert [p.frames for p in layout_slide(second, slide)] == [p.frames for p in pages]
    assert len(second.memo) == len(first.memo)
