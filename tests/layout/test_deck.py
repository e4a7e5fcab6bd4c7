"""The whole deck: the title page's and the chrome's colours; every frame on the slide."""

from __future__ import annotations

from deckgen.layout import Context, layout_deck
from deckgen.model import (
    Code,
    Deck,
    Meta,
    Paragraph,
    Run,
    Slide,
    TextFrame,
    plain_text,
)
from support.layoutkit import inside, picture, title, words


def test_titles_footers_and_numbers_carry_the_theme_colors(ctx: Context) -> None:
    deck = layout_deck(
        Deck(
            Meta(title="T", authors=("A",), tags=("x",)),
            (),
            (Slide(title("S"), 2, (Paragraph(title("p")),)),),
        ),
        ctx.theme,
        ctx.measure,
    )
    c = ctx.theme.colors
    title_page, content = deck.pages
    assert title_page.title is not None and title_page.title.paras[0].color == c.heading
    assert content.title is not None and content.title.paras[0].color == c.heading
    by_role = {f.role: f for f in content.frames if isinstance(f, TextFrame)}
    assert by_role["body"].paras[0].color == c.text
    # the default theme has a footer ("{title}") and slide numbers: both on every content page
    assert {"footer", "number"} <= set(by_role)
    for role in ("footer", "number"):
        assert by_role[role].paras[0].color == c.muted
    sub = [f for f in title_page.frames if isinstance(f, TextFrame) and f.role == "subtitle"][0]
    assert [p.color for p in sub.paras] == [c.text, c.muted]


def test_every_frame_of_a_deck_stays_inside_the_slide(ctx: Context) -> None:
    slides = (
        Slide(title("A very long title " + words(20)), 2, (Paragraph((Run(words(300)),)),)),
        Slide((), 2, (picture(), picture(400, 1200), Paragraph((Run("x"),)))),
        Slide(title("Code"), 2, (Code("x = 1  # " + "y" * 400),)),
    )
    deck = layout_deck(Deck(Meta(title="T", authors=("A",)), (), slides), ctx.theme, ctx.measure)
    for page in deck.pages:
        for f in page.frames + ((page.title,) if page.title else ()):
            assert inside(f.box), (page.source_line, f)
    text = " ".join(
        plain_text(p.runs)
        for page in deck.pages
        for f in page.frames
        if isinstance(f, TextFrame)
        for p in f.paras
    )
    for i in range(300):
        assert f"word{i}" in text


def test_a_slides_pictures_are_placed_alone_exactly_as_in_the_deck(ctx: Context) -> None:
    # what lets the build draw a slide's pictures while other slides' are still downloading
    from deckgen.layout import slide_pictures
    from deckgen.model import PictureFrame

    slides = (
        Slide(title("One"), 2, (picture(1600, 900, url="http://x/a.png"),)),
        Slide(title("Two"), 2, (Paragraph(title(words(40))), picture(800, 1200, url="http://x/b.png"))),
        Slide(title("Three"), 2, (picture(600, 600, url="http://x/c.png"), picture(2400, 800, url="http://x/d.png"))),
        Slide(title("Four"), 2, (Paragraph(title(words(400))), picture(1200, 675, url="http://x/e.png"))),
    )
    laid = layout_deck(Deck(Meta(title="T"), (), slides), ctx.theme, ctx.measure)
    in_deck = [(f.asset.url, f.box) for p in laid.pages for f in p.frames if isinstance(f, PictureFrame)]
    alone = [(f.asset.url, f.box) for s in reversed(slides) for f in slide_pictures(Context(ctx.theme, ctx.measure), s)]
    assert sorted(alone) == sorted(in_deck) and len(in_deck) == 5
