"""Where each text of the deck comes from: every paragraph, heading, list item, quoted
paragraph and table cell of the parsed deck marked with its :class:`~deckgen.model.document.Origin`
(a pass before the placing, pure).

The key is the text's place in the deck, which the same post always parses to: ``"4.t"`` the
title of slide 4 (the deck's slides counted from 0), ``"4.2"`` its block 2 (a paragraph or a
heading), ``"4.2.1"`` part 1 of that block (an item of a list, a paragraph of a quote, a cell
of a table in row order), ``"a.0"`` the abstract's first paragraph (the text before the first
slide), ``"m.title"`` the front matter's title. The layout carries the marks to every
paragraph and cell it places (``Para.origin``, ``Cell.origin``); the .pptx writes them into its
map (``deckgen.pull.deckmap``), and ``deckgen pull`` finds the post's lines of each text the
teacher changed by parsing the post again and marking it the same way.
"""

from __future__ import annotations

from dataclasses import replace

from deckgen.model.document import (
    Block,
    BulletList,
    Deck,
    Heading,
    Origin,
    Paragraph,
    Quote,
    Slide,
    Table,
)

FRONT_TITLE = "m.title"  # the front matter's title: the title page's


def title_key(slide: Slide) -> str:
    """The key of a slide's title ("" for a slide not marked)."""
    return f"{slide.key}.t" if slide.key else ""


def mark_block(block: Block, key: str) -> Block:
    """``block`` with its texts marked, its key being ``key``."""
    match block:
        case Paragraph() | Heading():
            return replace(block, origin=Origin(key))
        case BulletList():
            items = tuple(replace(item, origin=Origin(f"{key}.{k}")) for k, item in enumerate(block.items))
            return replace(block, items=items)
        case Quote():
            return replace(block, origins=tuple(Origin(f"{key}.{k}") for k in range(len(block.paragraphs))))
        case Table():
            rows = []
            k = 0
            for row in block.rows:
                cells = []
                for cell in row:
                    cells.append(replace(cell, origin=Origin(f"{key}.{k}")))
                    k += 1
                rows.append(tuple(cells))
            return replace(block, rows=tuple(rows))
    return block  # code, pictures and embeds: no text of the post a teacher edits in place


def mark_origins(deck: Deck) -> Deck:
    """The deck with every text marked with where it comes from (see the module's note)."""
    abstract = tuple(mark_block(b, f"a.{i}") for i, b in enumerate(deck.abstract))
    slides = tuple(
        replace(slide, key=str(s), blocks=tuple(mark_block(b, f"{s}.{i}") for i, b in enumerate(slide.blocks)))
        for s, slide in enumerate(deck.slides)
    )
    return replace(deck, abstract=abstract, slides=slides)


__all__ = ["FRONT_TITLE", "mark_block", "mark_origins", "title_key"]
