"""Segments: the stack of text, code and tables on a page."""

from __future__ import annotations

import pytest

from deckgen.layout import Context
from deckgen.layout.context import GAP
from deckgen.layout.segments import (
    CodeSeg,
    TableSeg,
    TextSeg,
    seg_frames,
    seg_height,
    segments_of,
    stack_height,
)
from deckgen.model import (
    BulletList,
    Cell,
    Code,
    CodeFrame,
    Heading,
    ListItem,
    Paragraph,
    Table,
    TableFrame,
    TextFrame,
)
from support.layoutkit import title, words


def test_neighbouring_text_blocks_make_one_segment_code_and_tables_their_own(ctx: Context) -> None:
    table = Table(((Cell(title("a"), header=True),), (Cell(title("b")),)), 1)
    blocks = (
        Heading(3, title("Head")),
        Paragraph(title(words(5))),
        BulletList((ListItem(title("one")), ListItem(title("two")))),
        Code("x = 1"),
        table,
        Paragraph(title("after")),
    )
    segs = segments_of(ctx, blocks)
    assert [type(s) for s in segs] == [TextSeg, CodeSeg, TableSeg, TextSeg]
    first = segs[0]
    assert isinstance(first, TextSeg) and len(first.specs) == 4  # heading, paragraph, two items


def test_the_stack_is_its_segments_and_the_gaps_between_them(ctx: Context) -> None:
    segs = segments_of(ctx, (Paragraph(title(words(30))), Code("a = 1\nb = 2"), Paragraph(title("end"))))
    size = ctx.theme.sizes.body
    heights = [seg_height(ctx, s, 600.0, size) for s in segs]
    assert stack_height(ctx, segs, 600.0, size) == pytest.approx(sum(heights) + 2 * GAP * 0.6)
    frames = seg_frames(ctx, segs, 10.0, 20.0, 600.0, size)
    assert [type(f) for f in frames] == [TextFrame, CodeFrame, TextFrame]
    assert frames[0].box.y == 20.0
    for above, below in zip(frames, frames[1:]):
        assert below.box.y == pytest.approx(above.box.bottom + GAP * 0.6)
    table = segments_of(ctx, (Table(((Cell(title("a")),),) * 3, 0),))
    assert isinstance(seg_frames(ctx, table, 0.0, 0.0, 300.0, size)[0], TableFrame)
