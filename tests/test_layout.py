"""Layout decisions on hand-built slides, measured with the built-in metric table (pure)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.layout import CONT, Context, layout_deck, layout_slide
from deckgen.measure import TableMeasurer
from deckgen.model import (
    Asset,
    AssetStatus,
    BulletList,
    Cell,
    Code,
    CodeFrame,
    Deck,
    Heading,
    Image,
    ListItem,
    Meta,
    Paragraph,
    PictureFrame,
    PlaceholderFrame,
    Run,
    Slide,
    Table,
    TableFrame,
    TextFrame,
    plain_text,
)
from deckgen.theme import load_theme

W, H = 960.0, 540.0


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(load_theme("default"), TableMeasurer())


def words(n: int, prefix: str = "word") -> str:
    return " ".join(f"{prefix}{i}" for i in range(n))


def picture(w: int = 1600, h: int = 900, hint: str | None = None, url: str = "http://x/p.png") -> Image:
    asset = Asset(url, AssetStatus.OK, Path("/tmp/p.png"), w, h, "png", source_width=w, source_height=h)
    return Image(url, "", hint, None, 1, asset)


def title(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def page_texts(pages) -> str:
    out = []
    for t, frames, _ in pages:
        if t is not None:
            out.extend(plain_text(p.runs) for p in t.paras)
        for f in frames:
            if isinstance(f, TextFrame):
                out.extend(plain_text(p.runs) for p in f.paras)
            elif isinstance(f, CodeFrame):
                out.extend(plain_text(line) for line in f.lines)
            elif isinstance(f, TableFrame):
                out.extend(plain_text(c.runs) for row in f.rows for c in row)
    return " ".join(out)


def inside(box) -> bool:
    return box.x >= 0 and box.y >= 0 and box.right <= W + 0.01 and box.bottom <= H + 0.01


def test_a_short_slide_stays_one_page_at_the_body_size(ctx: Context) -> None:
    pages = layout_slide(ctx, Slide(title("Short"), 2, (Paragraph((Run("Hello world"),)),)))
    assert len(pages) == 1
    frame = pages[0][1][0]
    assert isinstance(frame, TextFrame) and frame.paras[0].size == ctx.theme.sizes.body


def test_a_long_list_splits_between_items_with_continuation_titles(ctx: Context) -> None:
    items = tuple(ListItem((Run(f"item {i} " + words(8)),)) for i in range(40))
    pages = layout_slide(ctx, Slide(title("Many items"), 2, (BulletList(items),)))
    assert len(pages) > 1
    assert plain_text(pages[0][0].paras[0].runs) == "Many items"
    for t, _frames, cont in pages[1:]:
        assert cont and plain_text(t.paras[0].runs) == "Many items" + CONT
    all_text = page_texts(pages)
    for i in range(40):
        assert f"item {i} " in all_text


def test_text_shrinks_but_never_below_the_minimum(ctx: Context) -> None:
    items = tuple(ListItem((Run(words(12)),)) for i in range(60))
    for _t, frames, _ in layout_slide(ctx, Slide(title("T"), 2, (BulletList(items),))):
        for f in frames:
            if isinstance(f, TextFrame) and f.role == "body":
                assert all(p.size >= ctx.theme.sizes.minimum for p in f.paras)


def test_overlong_slides_split_first_at_their_subsections(ctx: Context) -> None:
    blocks = []
    for n in range(3):
        blocks += [Heading(3, title(f"Part {n}")), picture(), Paragraph((Run(words(5)),))]
    pages = layout_slide(ctx, Slide(title("Main"), 2, tuple(blocks)))
    titles = [plain_text(t.paras[0].runs) for t, _, _ in pages]
    # nothing before the first sub-section: it shares the main title's page
    assert titles[0] == "Main"
    assert titles[1:] == ["Part 1", "Part 2"]


def test_a_table_splits_between_rows_repeating_its_header(ctx: Context) -> None:
    header = (Cell(title("Name"), header=True), Cell(title("Value"), header=True))
    rows = (header,) + tuple((Cell(title(f"row {i}")), Cell(title(words(6)))) for i in range(40))
    pages = layout_slide(ctx, Slide(title("Table"), 2, (Table(rows, 1),)))
    assert len(pages) > 1
    for _t, frames, _ in pages:
        tables = [f for f in frames if isinstance(f, TableFrame)]
        assert tables and plain_text(tables[0].rows[0][0].runs) == "Name"
        assert inside(tables[0].box)
        assert sum(tables[0].col_widths) <= W


def test_code_splits_between_lines_and_stays_monospace_at_14pt_or_more(ctx: Context) -> None:
    code = Code("\n".join(f"print({i})" for i in range(80)), "python")
    pages = layout_slide(ctx, Slide(title("Code"), 2, (code,)))
    assert len(pages) > 1
    lines = 0
    for _t, frames, _ in pages:
        for f in frames:
            if isinstance(f, CodeFrame):
                assert f.size >= 14
                assert inside(f.box)
                lines += len(f.lines)
    assert lines == 80


def test_a_lone_picture_gets_at_least_35_percent_of_the_slide(ctx: Context) -> None:
    pages = layout_slide(ctx, Slide(title("Picture"), 2, (picture(),)))
    pic = [f for f in pages[0][1] if isinstance(f, PictureFrame)][0]
    assert pic.box.w * pic.box.h >= 0.35 * W * H
    assert inside(pic.box)
    assert abs(pic.box.w / pic.box.h - 16 / 9) < 0.01


def test_a_small_picture_is_never_enlarged_past_twice_its_pixels(ctx: Context) -> None:
    pages = layout_slide(ctx, Slide(title("Small"), 2, (picture(100, 80),)))
    pic = [f for f in pages[0][1] if isinstance(f, PictureFrame)][0]
    assert pic.box.w <= 2 * 100 * 0.75 + 0.01


def test_width_hints_cap_the_picture_width(ctx: Context) -> None:
    pages = layout_slide(ctx, Slide(title("Hinted"), 2, (picture(hint="50%"),)))
    pic = [f for f in pages[0][1] if isinstance(f, PictureFrame)][0]
    body_w = W - 2 * ctx.margin
    assert pic.box.w <= body_w * 0.5 + 0.01
    pages = layout_slide(ctx, Slide(title("Hinted"), 2, (picture(hint="300"),)))
    pic = [f for f in pages[0][1] if isinstance(f, PictureFrame)][0]
    assert pic.box.w <= 300 * 0.75 + 0.01


def test_a_tall_picture_goes_beside_the_text_a_wide_one_below(ctx: Context) -> None:
    text = Paragraph((Run(words(30)),))
    tall = layout_slide(ctx, Slide(title("Tall"), 2, (text, picture(600, 900))))[0][1]
    t_text = [f for f in tall if isinstance(f, TextFrame)][0]
    t_pic = [f for f in tall if isinstance(f, PictureFrame)][0]
    assert t_pic.box.x >= t_text.box.right  # beside
    wide = layout_slide(ctx, Slide(title("Wide"), 2, (text, picture(1800, 600))))[0][1]
    w_text = [f for f in wide if isinstance(f, TextFrame)][0]
    w_pic = [f for f in wide if isinstance(f, PictureFrame)][0]
    assert w_pic.box.y >= w_text.box.bottom  # below


def test_two_to_four_pictures_form_a_grid_more_go_to_further_pages(ctx: Context) -> None:
    four = layout_slide(ctx, Slide(title("Four"), 2, tuple(picture(url=f"u{i}") for i in range(4))))
    assert len(four) == 1
    boxes = [f.box for f in four[0][1] if isinstance(f, PictureFrame)]
    assert len(boxes) == 4
    for i, a in enumerate(boxes):
        assert inside(a)
        for b in boxes[i + 1 :]:
            assert (
                a.right <= b.x + 0.01
                or b.right <= a.x + 0.01
                or a.bottom <= b.y + 0.01
                or b.bottom <= a.y + 0.01
            )
    nine = layout_slide(ctx, Slide(title("Nine"), 2, tuple(picture(url=f"u{i}") for i in range(9))))
    assert len(nine) >= 3
    assert sum(1 for _t, fr, _ in nine for f in fr if isinstance(f, PictureFrame)) == 9


def test_a_failed_picture_becomes_a_placeholder_with_its_url(ctx: Context) -> None:
    failed = Image(
        "http://x/dead.png",
        "",
        None,
        None,
        3,
        Asset("http://x/dead.png", AssetStatus.FAILED, reason="HTTP 404"),
    )
    frames = layout_slide(ctx, Slide(title("Dead"), 2, (failed,)))[0][1]
    ph = [f for f in frames if isinstance(f, PlaceholderFrame)][0]
    assert ph.url == "http://x/dead.png" and "HTTP 404" in ph.reason


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


@pytest.mark.parametrize("corner", ["top-left", "top-right", "bottom-left", "bottom-right"])
def test_a_wide_logo_never_overlaps_the_title_footer_or_number(corner: str) -> None:
    import dataclasses

    theme = dataclasses.replace(load_theme("default"), logo_corner=corner)
    logo = Asset(
        "logo.png",
        AssetStatus.OK,
        Path("/tmp/logo.png"),
        400,
        100,
        "png",
        source_width=400,
        source_height=100,
    )
    slides = (Slide(title("A long title " + words(12)), 2, (Paragraph((Run(words(20)),)),)),)
    deck = layout_deck(
        Deck(Meta(title="T", authors=("A",)), (Paragraph((Run("abstract"),)),), slides),
        theme,
        TableMeasurer(),
        logo,
    )
    for page in deck.pages:
        boxes = [f.box for f in page.frames if not (isinstance(f, PictureFrame) and f.alt == "logo")]
        if page.title is not None:
            boxes.append(page.title.box)
        logos = [f.box for f in page.frames if isinstance(f, PictureFrame) and f.alt == "logo"]
        assert len(logos) == 1
        lb = logos[0]
        for b in boxes:
            if page.kind == "title" and b is page.title.box:
                continue  # the band spans the slide, below the logo's corner
            assert lb.right <= b.x or b.right <= lb.x or lb.bottom <= b.y or b.bottom <= lb.y, (corner, b)
