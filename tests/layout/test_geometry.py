"""Code geometry: code highlighted once per block, split between lines, monospace and readable."""

from __future__ import annotations

import pytest

from deckgen.layout import Context, layout_slide
from deckgen.model import (
    Code,
    CodeFrame,
    Slide,
    plain_text,
)
from support.layoutkit import inside, title, words


def test_a_string_split_across_pages_stays_a_string_on_the_later_pages(ctx: Context) -> None:
    # the block is highlighted once, before pagination: a later page's lines inside the
    # triple-quoted string are string tokens, not the keywords they would be on their own
    inside_string = "\n".join(f"def class import return {i}" for i in range(80))
    code = Code(f'x = 1\nDOC = """\n{inside_string}\n"""\nprint(x)', "python")
    pages = layout_slide(ctx, Slide(title("Strings"), 2, (code,)))
    assert len(pages) >= 3
    string_lines = []  # (page, line) of each line inside the string, in order
    for n, page in enumerate(pages):
        (frame,) = [f for f in page.frames if isinstance(f, CodeFrame)]
        assert frame.lang == "python"
        string_lines += [(n, line) for line in frame.lines if plain_text(line).startswith("def class")]
    assert [plain_text(line) for _, line in string_lines] == inside_string.split("\n")  # each once, in order
    assert {n for n, _ in string_lines} >= set(range(1, len(pages) - 1))  # the middle pages are all string
    later = [line for n, line in string_lines if n > 0]
    for line in later:
        assert {r.token[:1] for r in line} == {"s"}, line
    last = [f for f in pages[-1].frames if isinstance(f, CodeFrame)][0]
    assert plain_text(last.lines[-1]) == "print(x)"
    assert {r.token for r in last.lines[-1] if r.text == "print"} == {"nb"}


def test_code_splits_between_lines_and_stays_monospace_at_14pt_or_more(ctx: Context) -> None:
    code = Code("\n".join(f"print({i})" for i in range(80)), "python")
    pages = layout_slide(ctx, Slide(title("Code"), 2, (code,)))
    assert len(pages) > 1
    lines = 0
    for frames in [p.frames for p in pages]:
        for f in frames:
            if isinstance(f, CodeFrame):
                assert f.size >= 14
                assert inside(f.box)
                lines += len(f.lines)
    assert lines == 80


def test_table_columns_fill_the_width_and_a_wordier_column_gets_more(ctx: Context) -> None:
    from deckgen.layout.geometry import table_geometry
    from deckgen.model import Cell, Table

    rows = ((Cell(title("id")), Cell(title(words(30)))), (Cell(title("2")), Cell(title(words(12)))))
    widths, heights = table_geometry(ctx, Table(rows, 0), 600.0, 16.0)
    assert sum(widths) == pytest.approx(600.0)
    assert widths[1] > 3 * widths[0]
    assert len(heights) == 2 and heights[0] >= heights[1]
