"""Pagination: splits between items, rows, lines and sub-sections; the forced page; the cost."""

from __future__ import annotations

import math

import pytest

import deckgen.layout.geometry as geometry_module
import deckgen.layout.page as page_module
import deckgen.layout.paginate as paginate_module
import deckgen.layout.text as text_module
from deckgen.layout import CONT, Context, fits, layout_slide
from deckgen.layout.geometry import lit_code
from deckgen.measure import TableMeasurer
from deckgen.model import (
    BulletList,
    Cell,
    Code,
    CodeFrame,
    Heading,
    ListItem,
    Paragraph,
    PictureFrame,
    Run,
    Slide,
    Table,
    TableFrame,
    plain_text,
)
from deckgen.theme import load_theme
from support.layoutkit import W, _count_calls, _long_list, inside, page_texts, picture, title, words


def test_a_long_list_splits_between_items_with_continuation_titles(ctx: Context) -> None:
    items = tuple(ListItem((Run(f"item {i} " + words(8)),)) for i in range(40))
    pages = layout_slide(ctx, Slide(title("Many items"), 2, (BulletList(items),)))
    assert len(pages) > 1
    assert plain_text(pages[0].title.paras[0].runs) == "Many items"
    for page in pages[1:]:
        assert page.title is not None and plain_text(page.title.paras[0].runs) == "Many items" + CONT
    all_text = page_texts(pages)
    for i in range(40):
        assert f"item {i} " in all_text


def test_overlong_slides_split_first_at_their_subsections(ctx: Context) -> None:
    blocks = []
    for n in range(3):
        blocks += [Heading(3, title(f"Part {n}")), picture(), Paragraph((Run(words(5)),))]
    pages = layout_slide(ctx, Slide(title("Main"), 2, tuple(blocks)))
    titles = [plain_text(p.title.paras[0].runs) for p in pages]
    # nothing before the first sub-section: it shares the main title's page
    assert titles[0] == "Main"
    assert titles[1:] == ["Part 1", "Part 2"]


def test_a_table_splits_between_rows_repeating_its_header(ctx: Context) -> None:
    header = (Cell(title("Name"), header=True), Cell(title("Value"), header=True))
    rows = (header,) + tuple((Cell(title(f"row {i}")), Cell(title(words(6)))) for i in range(40))
    pages = layout_slide(ctx, Slide(title("Table"), 2, (Table(rows, 1),)))
    assert len(pages) > 1
    for frames in [p.frames for p in pages]:
        tables = [f for f in frames if isinstance(f, TableFrame)]
        assert tables and plain_text(tables[0].rows[0][0].runs) == "Name"
        assert inside(tables[0].box)
        assert sum(tables[0].col_widths) <= W


@pytest.mark.parametrize("block", [_long_list, lambda n: Code("\n".join(f"x = {i}" for i in range(n)))])
def test_splitting_a_400_part_block_plans_o_n_log_n_pages_not_o_n_cubed(
    monkeypatch: pytest.MonkeyPatch, block
) -> None:  # type: ignore[no-untyped-def]
    ctx = Context(load_theme("default"), TableMeasurer())
    counts = {}
    for n in (100, 400):
        plans = _count_calls(monkeypatch, "plan_page", page_module)
        measured = _count_calls(monkeypatch, "count_lines", text_module, geometry_module)
        pages = layout_slide(ctx, Slide(title(f"Long {n}"), 2, (block(n),)))
        counts[n] = (plans[0], measured[0], len(pages))
        monkeypatch.undo()
    plans, measured, pages = counts[400]
    assert pages >= 10
    bound = 400 * math.log2(400)
    # a few trial pages per page found by doubling and bisection (the old scan from the end
    # tried every split point: about 400 * 400 / 2 trial pages here)
    assert plans <= 0.5 * bound, counts
    assert measured <= 12 * bound, counts  # each trial measures about one page of text
    # four times the parts: about four times the work, not 16 or 64
    assert plans <= 6 * counts[100][0] and measured <= 6 * counts[100][1], counts


def test_the_largest_head_is_the_one_a_scan_from_the_end_finds(ctx: Context) -> None:
    paragraphs = Paragraph((Run(words(400)),))
    header = (Cell(title("Name"), header=True), Cell(title("Value"), header=True))
    table = Table(
        (header,) + tuple((Cell(title(f"row {i}")), Cell(title(words(i % 9 + 1)))) for i in range(60)), 1
    )
    code = lit_code(ctx, Code("\n".join(f"y = {i}" for i in range(90))))
    for block in (_long_list(70), paragraphs, table, code):
        for current in ([], [Paragraph(title(words(40)))]):
            parts = paginate_module._parts(ctx, block)
            for smallest in (1, 3):
                scan = None
                for k in range(parts - 1, smallest - 1, -1):
                    split = paginate_module._split_block(ctx, block, k)
                    if split and fits(ctx, title("T"), current + [split[0]]):
                        scan = split
                        break
                found = paginate_module._largest_head(ctx, title("T"), current, block, smallest)
                assert found == scan, (type(block).__name__, len(current), smallest)


def test_a_20000_character_code_line_is_clipped_to_its_box_on_the_slide(ctx: Context) -> None:
    # the forced page (nothing fits) cuts what its box cannot hold: the writers draw every line
    # they are given, so a box that is only shortened lets the text run far below the slide
    from deckgen.layout.context import CODE_INSET, LINE
    from deckgen.measure import count_lines

    blocks = (Code("x" * 20_000 + "\nprint('after')"), Paragraph(title(words(30))))
    placed = layout_slide(ctx, Slide(title("Forced"), 2, blocks))
    assert any(p.cut for p in placed)  # the build warns: words were lost
    assert not any(p.cut for p in layout_slide(ctx, Slide(title("Fine"), 2, (Paragraph(title(words(30))),))))
    for frames in [p.frames for p in placed]:
        for f in frames:
            assert inside(f.box), f.box
            if isinstance(f, CodeFrame):
                inner = f.box.w - 2 * CODE_INSET
                drawn = sum(count_lines(ctx.measure, line, inner, f.size, True) if line else 1 for line in f.lines)
                assert 2 * CODE_INSET + drawn * f.size * LINE <= f.box.h + 0.01, (drawn, f.box)
                assert plain_text(f.lines[0]).startswith("xxxx") and plain_text(f.lines[-1]).endswith("…")


def test_a_picture_with_a_giant_code_line_stays_on_the_slide(ctx: Context) -> None:
    # the forced page (nothing fits) still keeps its picture inside the slide
    blocks = (Code("\n".join("x" * 300 for _ in range(40))), picture())
    for frames in [p.frames for p in layout_slide(ctx, Slide(title("Forced"), 2, blocks))]:
        for f in frames:
            if isinstance(f, PictureFrame):
                assert f.box.w > 0 and f.box.h > 0 and inside(f.box)


def test_a_title_longer_than_three_lines_is_cut_and_the_page_says_so(ctx: Context) -> None:
    long_title = title(words(120))
    for slide in (Slide(long_title, 2, (Paragraph(title("body")),)), Slide(long_title, 2, ())):
        placed = layout_slide(ctx, slide)
        assert placed[0].cut and plain_text(placed[0].title.paras[0].runs).endswith("…")  # type: ignore[union-attr]
    assert not layout_slide(ctx, Slide(title("Short"), 2, ()))[0].cut
