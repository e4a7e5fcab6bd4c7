"""layout/titles.py: every page titled, titles unique (continuations numbered, repeated headings
told apart), a hidden title where the post shows none, and the context text of undescribed
pictures; nothing on a page moves."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from deckgen.layout import Context, layout_deck, layout_slide
from deckgen.layout.context import LINE
from deckgen.layout.titles import _fit_in, page_titles, plain
from deckgen.measure import TableMeasurer
from deckgen.model import (
    Asset,
    AssetStatus,
    BulletList,
    Deck,
    Embed,
    Image,
    ListItem,
    Meta,
    Page,
    Para,
    Paragraph,
    PictureFrame,
    Run,
    Slide,
    TextFrame,
    pictures_in,
)
from deckgen.model.laidout import Box, EmbedFrame
from deckgen.theme import load_theme
from support.layoutkit import picture, title, words


def runs(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def texts(titles: list[tuple[Run, ...]]) -> list[str]:
    return [plain(t) for t in titles]


def test_continuations_are_numbered_once_their_count_is_known() -> None:
    entries = [(runs("Deck"), 0), (runs("Mask R-CNN"), 0), (runs("Mask R-CNN"), 1), (runs("Mask R-CNN"), 2)]
    assert texts(page_titles(entries)) == ["Deck", "Mask R-CNN", "Mask R-CNN (2/3)", "Mask R-CNN (3/3)"]


def test_a_part_without_a_heading_continues_the_title_before_it() -> None:
    entries = [(runs("Deck"), 0), ((), 0), (runs("Models"), 0), (runs("Models"), 1), ((), 0), ((), 1)]
    assert texts(page_titles(entries)) == [
        "Deck",
        "Deck (2/2)",  # right after the title page: the post's title
        "Models",
        "Models (2/4)",
        "Models (3/4)",
        "Models (4/4)",
    ]


def test_a_heading_given_twice_is_told_apart_and_every_title_is_unique() -> None:
    entries = [
        (runs("Large Language Models"), 0),
        (runs("Large Language Models"), 0),
        (runs("large language  models"), 0),
        (runs("X (2)"), 0),
        (runs("X"), 0),
        (runs("X"), 0),
    ]
    got = texts(page_titles(entries))
    assert got[:3] == ["Large Language Models", "Large Language Models (2)", "large language models (3)"]
    assert len({t.casefold() for t in got}) == len(got)


def test_a_first_part_without_any_title_gets_one() -> None:
    assert texts(page_titles([((), 0), ((), 1)])) == ["Slide 1", "Slide 1 (2/2)"]


def _deck(*slides: Slide, title_text: str = "Post") -> Deck:
    return Deck(Meta(title=title_text, lang="en"), (), slides)


def test_a_long_list_keeps_its_geometry_and_gets_numbered_titles(ctx: Context) -> None:
    items = tuple(ListItem((Run(f"item {i} " + words(8)),)) for i in range(40))
    slide = Slide(title("Many items"), 2, (BulletList(items),))
    placed = layout_slide(ctx, slide)
    laid = layout_deck(_deck(slide), ctx.theme, ctx.measure)
    pages = laid.pages[1:]
    n = len(placed)
    assert n > 1 and len(pages) == n
    assert [p.title_text for p in pages] == ["Many items"] + [f"Many items ({k}/{n})" for k in range(2, n + 1)]
    for before, after in zip(placed, pages):  # the numbers took the place of "(cont.)": nothing moved
        assert after.title is not None and before.title is not None
        assert after.title.box == before.title.box and after.title.paras[0].size == before.title.paras[0].size
        assert [f.box for f in after.frames[: len(before.frames)]] == [f.box for f in before.frames]


def test_a_slide_without_a_heading_gets_a_hidden_title_above_the_slide(ctx: Context) -> None:
    laid = layout_deck(
        _deck(Slide(title("Intro"), 2, (Paragraph(runs("text")),)), Slide((), 2, (Paragraph(runs("more")),))),
        ctx.theme,
        ctx.measure,
    )
    page = laid.pages[2]
    assert page.title is None and page.title_hidden and page.title_text == "Intro (2/2)"
    hidden = page.hidden_title
    assert hidden is not None and hidden.role == "title" and hidden.box.bottom < 0  # wholly off the slide
    # the body stays where it was without a title, and the page is written with a title placeholder
    body = next(f for f in page.frames if isinstance(f, TextFrame) and f.role == "body")
    assert body.box.y < 40 and page.pptx_layout == "Title Only"  # the body a text box, as before
    assert all(p.title is not None or p.hidden_title is not None for p in laid.pages)


def test_a_numbered_title_that_no_longer_fits_shrinks_or_is_cut_before_its_number(ctx: Context) -> None:
    size = 32.0
    frame = TextFrame(Box(48, 18, 300, size * LINE + 7.2), (Para(runs("Fits on one line"), size, "title"),), "title")
    longer = (Run("A heading much too long for one line of this frame"), Run(" (10/12)"))
    fitted, cut = _fit_in(ctx, frame, longer)
    para = fitted.paras[0]
    assert fitted.box == frame.box
    assert plain(para.runs).endswith("(10/12)") and para.size <= size
    assert cut == ("…" in plain(para.runs)) and (cut or para.size < size)
    short = (Run("Short"), Run(" (2/2)"))  # fits as it is: same box, same size
    assert _fit_in(ctx, frame, short) == (TextFrame(frame.box, (Para(short, size, "title"),), "title"), False)


def _asset(name: str) -> Asset:
    return Asset(name, AssetStatus.OK, Path(f"/tmp/{name}"), 400, 300, "png", source_width=400, source_height=300)


def test_undescribed_pictures_get_a_context_text_never_a_file_name(ctx: Context) -> None:
    described = replace(picture(url="http://x/chart.png"), description="Sales by month")
    undescribed = [picture(url="http://x/a1.png"), picture(url="http://x/b2.png")]
    decorative = replace(picture(url="http://x/rule.png"), decorative=True)
    video = Embed("youtube", "https://www.youtube.com/watch?v=x", "", "", poster_url="p", poster=_asset("p.png"))
    slide = Slide(title("Charts"), 2, (described, *undescribed, decorative, video))
    laid = layout_deck(_deck(slide), ctx.theme, ctx.measure)
    shown = [p for page in laid.pages for p in pictures_in(page.frames)]
    by_url = {p.asset.url: p for p in shown}
    assert by_url["http://x/chart.png"].description == "Sales by month" and not by_url["http://x/chart.png"].context
    assert by_url["http://x/rule.png"].decorative and not by_url["http://x/rule.png"].context
    contexts = sorted(p.context for p in shown if p.context)
    assert contexts[0].startswith("Picture 1 of ") and contexts[0].endswith("(not described yet)")
    assert all('on slide "Charts' in c for c in contexts)
    assert any(c.startswith("Video ") for c in contexts)
    assert not any(".png" in c or "http" in c for c in contexts)
    # what a writer needing one text writes: the description, else the context; decoration none
    assert by_url["http://x/rule.png"].alt == "" and by_url["http://x/chart.png"].alt == "Sales by month"
    embed = next(f for page in laid.pages for f in page.frames if isinstance(f, EmbedFrame))
    assert isinstance(embed.fallback, PictureFrame) and embed.fallback.description == ""


def test_the_logo_is_decoration(tmp_path: Path) -> None:
    theme = load_theme("default")
    ctx = Context(theme, TableMeasurer(), _asset("logo.png"))
    laid = layout_deck(_deck(Slide(title("A"), 2, (Paragraph(runs("x")),))), theme, ctx.measure, _asset("logo.png"))
    logos = [p for page in laid.pages for p in pictures_in(page.frames) if p.asset.url == "logo.png"]
    assert logos and all(p.decorative and not p.description and not p.context for p in logos)


def test_a_described_picture_keeps_its_description_exactly(ctx: Context) -> None:
    said = "  圖一：模型架構 (Figure 1) — «quoted» & <tagged>  "
    laid = layout_deck(_deck(Slide(title("A"), 2, (replace(picture(), description=said),))), ctx.theme, ctx.measure)
    (shown,) = [p for page in laid.pages for p in pictures_in(page.frames)]
    assert shown.description == said


def test_every_page_of_a_deck_has_a_title_and_no_two_alike(ctx: Context) -> None:
    long_text = Paragraph(runs(words(400)))
    deck = _deck(
        Slide((), 2, (Image("http://x/p.png"),)),
        Slide(title("Post"), 2, (long_text,)),
        Slide((), 2, (long_text,)),
        Slide(title("Post"), 2, ()),
        title_text="Post",
    )
    pages: tuple[Page, ...] = layout_deck(deck, ctx.theme, ctx.measure).pages
    names = [p.title_text for p in pages]
    assert all(names) and len({n.casefold() for n in names}) == len(names), names
