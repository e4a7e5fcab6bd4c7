"""One page: a short slide on one page; pictures below or beside the text."""

from __future__ import annotations

from deckgen.layout import Context, layout_slide
from deckgen.model import (
    Paragraph,
    PictureFrame,
    Run,
    Slide,
    TextFrame,
)
from support.layoutkit import picture, title, words


def test_a_short_slide_stays_one_page_at_the_body_size(ctx: Context) -> None:
    pages = layout_slide(ctx, Slide(title("Short"), 2, (Paragraph((Run("Hello world"),)),)))
    assert len(pages) == 1
    frame = pages[0].frames[0]
    assert isinstance(frame, TextFrame) and frame.paras[0].size == ctx.theme.sizes.body


def test_a_tall_picture_goes_beside_the_text_a_wide_one_below(ctx: Context) -> None:
    text = Paragraph((Run(words(30)),))
    tall = layout_slide(ctx, Slide(title("Tall"), 2, (text, picture(600, 900))))[0].frames
    t_text = [f for f in tall if isinstance(f, TextFrame)][0]
    t_pic = [f for f in tall if isinstance(f, PictureFrame)][0]
    assert t_pic.box.x >= t_text.box.right  # beside
    wide = layout_slide(ctx, Slide(title("Wide"), 2, (text, picture(1800, 600))))[0].frames
    w_text = [f for f in wide if isinstance(f, TextFrame)][0]
    w_pic = [f for f in wide if isinstance(f, PictureFrame)][0]
    assert w_pic.box.y >= w_text.box.bottom  # below
