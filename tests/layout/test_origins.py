"""layout/origins.py: each text of the deck marked with where it comes from, and the marks
carried by the layout to every paragraph, title and cell it places (cut across pages too)."""

from __future__ import annotations

from deckgen.layout import Context
from deckgen.layout.deck import layout_deck
from deckgen.layout.origins import FRONT_TITLE, mark_origins
from deckgen.layout.paginate import layout_slide
from deckgen.measure import TableMeasurer
from deckgen.model import (
    BulletList,
    Cell,
    Code,
    Deck,
    Heading,
    ListItem,
    Meta,
    Origin,
    Paragraph,
    Quote,
    Run,
    Slide,
    Table,
    TableFrame,
    TextFrame,
)
from deckgen.model.document import unit_text
from support.layoutkit import words


def deck(*slides: Slide, abstract: tuple[Paragraph, ...] = ()) -> Deck:
    return Deck(Meta(title="The deck"), abstract, slides)


def test_every_text_has_its_key_and_what_has_no_text_none() -> None:
    table = Table(((Cell((Run("h1"),), header=True), Cell((Run("h2"),), header=True)), (Cell((Run("a"),)), Cell((Run("b"),)))), 1)
    slide = Slide(
        (Run("Title"),),
        blocks=(
            Paragraph((Run("text"),), 3),
            BulletList((ListItem((Run("one"),)), ListItem((Run("two"),), level=1))),
            Quote(((Run("q1"),), (Run("q2"),))),
            table,
            Heading(3, (Run("Sub"),)),
            Code("x = 1"),
        ),
    )
    marked = mark_origins(deck(Slide((Run("First"),)), slide, abstract=(Paragraph((Run("intro"),)),)))
    s = marked.slides[1]
    assert (marked.slides[0].key, s.key) == ("0", "1")
    assert marked.abstract[0].origin == Origin("a.0")  # type: ignore[union-attr]
    text, items, quote, cells, heading, code = s.blocks
    assert text.origin == Origin("1.0")  # type: ignore[union-attr]
    assert [i.origin for i in items.items] == [Origin("1.1.0"), Origin("1.1.1")]  # type: ignore[union-attr]
    assert quote.origins == (Origin("1.2.0"), Origin("1.2.1"))  # type: ignore[union-attr]
    assert [c.origin.key for row in cells.rows for c in row] == ["1.3.0", "1.3.1", "1.3.2", "1.3.3"]  # type: ignore[union-attr]
    assert heading.origin == Origin("1.4")  # type: ignore[union-attr]
    assert code == Code("x = 1")


def test_the_layout_carries_the_marks_to_paragraphs_titles_and_cells(ctx: Context) -> None:
    table = Table(((Cell((Run("a"),)), Cell((Run("b"),))),))
    slide = Slide((Run("Title"),), blocks=(BulletList((ListItem((Run("one"),)), ListItem((Run("two"),)))), table))
    laid = layout_deck(deck(slide), ctx.theme, TableMeasurer())
    cover, page = laid.pages
    assert cover.title is not None and cover.title.paras[0].origin == Origin(FRONT_TITLE)
    assert page.title is not None and page.title.paras[0].origin == Origin("0.t", 0, len("Title"))
    body = next(f for f in page.frames if isinstance(f, TextFrame) and f.role == "body")
    assert [p.origin for p in body.paras] == [Origin("0.0.0"), Origin("0.0.1")]
    grid = next(f for f in page.frames if isinstance(f, TableFrame))
    assert [c.origin for row in grid.rows for c in row] == [Origin("0.1.0"), Origin("0.1.1")]
    chrome = [p.origin for f in page.frames if isinstance(f, TextFrame) and f.role in ("footer", "number") for p in f.paras]
    assert chrome and all(o is None for o in chrome)  # the layout's own text


def test_a_title_on_every_page_of_its_part_marks_only_the_heading_not_its_number(ctx: Context) -> None:
    items = tuple(ListItem((Run(f"item {i} " + words(12)),)) for i in range(60))
    laid = layout_deck(deck(Slide((Run("Long"),), blocks=(BulletList(items),))), ctx.theme, TableMeasurer())
    titles = [p.title.paras[0] for p in laid.pages[1:] if p.title is not None]
    assert len(titles) >= 2 and unit_text(titles[1].runs).startswith("Long (2/")
    assert all(t.origin == Origin("0.t", 0, 4) for t in titles)
    keys = [p.origin.key for page in laid.pages[1:] for f in page.frames if isinstance(f, TextFrame) and f.role == "body"
            for p in f.paras if p.origin is not None]
    assert keys == [f"0.0.{k}" for k in range(60)]  # each item once, in order, over the pages


def test_a_paragraph_cut_across_pages_marks_where_each_part_starts(ctx: Context) -> None:
    lines = [Run(f"line {i} " + words(10)) for i in range(80)]
    runs = tuple(r for k, line in enumerate(lines) for r in ((Run("\n"),) if k else ()) + (line,))
    slide = mark_origins(deck(Slide((Run("Tall"),), blocks=(Paragraph(runs, 2),)))).slides[0]
    parts = [p for placed in layout_slide(ctx, slide) for f in placed.frames if isinstance(f, TextFrame) for p in f.paras]
    assert len(parts) >= 2
    whole = unit_text(runs)
    for part in parts:
        assert part.origin is not None and part.origin.key == "0.0"
        end = part.origin.start + part.origin.length if part.origin.length >= 0 else len(whole)
        assert whole[part.origin.start : end] == unit_text(part.runs)
    assert parts[-1].origin is not None and parts[-1].origin.length == -1


def test_a_title_cut_to_fit_and_a_hidden_title_are_not_the_posts_text(ctx: Context) -> None:
    long_title = (Run(words(120)),)
    laid = layout_deck(deck(Slide(long_title, blocks=(Paragraph((Run("x"),)),)), Slide((), blocks=(Paragraph((Run("y"),)),))),
                       ctx.theme, TableMeasurer())
    cut, hidden = laid.pages[1], laid.pages[2]
    assert cut.cut and cut.title is not None and cut.title.paras[0].origin is None
    assert hidden.hidden_title is not None and hidden.hidden_title.paras[0].origin is None
