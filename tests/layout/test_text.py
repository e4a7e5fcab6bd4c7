"""Text paragraphs: bullets, indents and hangs (their colours are the style pass's); text shrinking to the minimum."""

from __future__ import annotations

import pytest

from deckgen.layout import Context, layout_slide
from deckgen.measure import text_width
from deckgen.model import (
    Bullet,
    BulletList,
    Heading,
    ListItem,
    Numbered,
    Quote,
    Run,
    Slide,
    TextFrame,
)
from support.layoutkit import title, words


def test_list_paragraphs_carry_their_indent_bullet_and_hang_and_no_colour_yet(ctx: Context) -> None:
    items = (
        ListItem(title("one")),
        ListItem(title("two"), level=1),
        ListItem(title("three"), ordered=True, number=3),
    )
    blocks = (Heading(4, title("Head")), BulletList(items), Quote((title("quoted"),)))
    (frame,) = layout_slide(ctx, Slide(title("Paras"), 2, blocks))[0].frames
    assert isinstance(frame, TextFrame)
    head, one, two, three, quote = frame.paras
    size = ctx.theme.sizes.body
    assert (head.indent, head.hang) == (0.0, 0.0)
    assert (one.bullet, one.indent, one.hang) == (Bullet("•"), 1.1 * size, pytest.approx(0.9 * size))
    assert (two.bullet, two.indent) == (Bullet("–"), pytest.approx(2 * 1.1 * size))
    # a number's column fits the label and a gap; the text moves right by what it needs beyond 0.9 em
    label = text_width(ctx.measure, "3.", size)
    assert three.bullet == Numbered(3) and three.hang == pytest.approx(max(0.9 * size, label + 0.3 * size))
    assert three.indent == pytest.approx(1.1 * size + three.hang - 0.9 * size)
    assert quote.indent == pytest.approx(1.1 * size) and quote.hang == 0.0
    # the style pass colours them (tests/layout/test_style.py)
    assert [p.color for p in frame.paras] == [None] * 5 and frame.color is None


def test_a_numbered_lists_column_is_as_wide_as_its_widest_label(ctx: Context) -> None:
    items = tuple(ListItem(title(f"item {n}"), ordered=True, number=n) for n in (9, 10, 100))
    (frame,) = layout_slide(ctx, Slide(title("Numbers"), 2, (BulletList(items),)))[0].frames
    assert isinstance(frame, TextFrame)
    size = frame.paras[0].size
    widest = text_width(ctx.measure, "100.", size)
    assert [p.hang for p in frame.paras] == pytest.approx([widest + 0.3 * size] * 3)  # one column for all
    assert len({p.indent for p in frame.paras}) == 1


def test_text_shrinks_but_never_below_the_minimum(ctx: Context) -> None:
    items = tuple(ListItem((Run(words(12)),)) for i in range(60))
    for frames in [p.frames for p in layout_slide(ctx, Slide(title("T"), 2, (BulletList(items),)))]:
        for f in frames:
            if isinstance(f, TextFrame) and f.role == "body":
                assert all(p.size >= ctx.theme.sizes.minimum for p in f.paras)
