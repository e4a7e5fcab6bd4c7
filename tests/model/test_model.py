"""The model's own logic: what every deck reads from a frame the same way."""

from __future__ import annotations

from deckgen.model import (
    Box,
    Cell,
    GridCell,
    Run,
    TableFrame,
    normalize_spans,
)

BOX = Box(0, 0, 100, 100)


def _table(rows: tuple[tuple[Cell, ...], ...], ncols: int) -> TableFrame:
    return TableFrame(BOX, rows, 0, (10.0,) * ncols, (10.0,) * len(rows), 12.0)


def test_a_spanning_cell_covers_its_rows_and_columns_and_the_next_row_steps_around_it() -> None:
    a, b, c, d, e = (Cell((Run(x),)) for x in "abcde")
    wide_tall = Cell((Run("W"),), colspan=2, rowspan=2)
    frame = _table(((wide_tall, a), (b,), (c, d, e)), 3)
    assert frame.grid_cells() == [
        GridCell(wide_tall, 0, 0, 1, 1),
        GridCell(a, 0, 2, 0, 2),
        GridCell(b, 1, 2, 1, 2),  # columns 0 and 1 are covered from above
        GridCell(c, 2, 0, 2, 0),
        GridCell(d, 2, 1, 2, 1),
        GridCell(e, 2, 2, 2, 2),
    ]


def test_a_span_past_the_grid_is_cut_at_its_edge_and_a_cell_with_no_room_is_not_shown() -> None:
    big = Cell((Run("B"),), colspan=5, rowspan=9)
    extra = Cell((Run("x"),))
    frame = _table(((big, extra), ()), 2)
    assert frame.grid_cells() == [GridCell(big, 0, 0, 1, 1)]


def test_a_header_cell_shows_its_text_bold_and_keeps_its_line_breaks() -> None:
    cell = Cell((Run("a"), Run("\n"), Run("b", italic=True)), header=True)
    assert cell.shown_runs == (Run("a", bold=True), Run("\n"), Run("b", bold=True, italic=True))
    plain = Cell((Run("a"),))
    assert plain.shown_runs is plain.runs


def test_runs_of_one_style_differ_only_in_their_text() -> None:
    assert Run("a", bold=True, link="u").style == Run("b", bold=True, link="u").style
    assert Run("a", token="k").style != Run("a", token="nf").style
    assert Run("a").style != Run("a", code=True).style


def test_table_spans_are_clipped_and_overlaps_resolved() -> None:
    rows = (
        (Cell((Run("a"),), rowspan=10), Cell((Run("b"),))),
        (Cell((Run("c"),), colspan=4),),
    )
    assert normalize_spans(rows) == (
        (Cell((Run("a"),), rowspan=2), Cell((Run("b"),))),
        (Cell((Run("c"),), colspan=1),),
    )
    wide = ((Cell((Run("x"),), colspan=400),), (Cell(()), Cell(())))
    assert [c.colspan for c in normalize_spans(wide)[0]] == [2]
