"""Layout decisions on hand-built slides, measured with the built-in metric table (pure)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import deckgen.layout.geometry as geometry_module
import deckgen.layout.page as page_module
import deckgen.layout.paginate as paginate_module
import deckgen.layout.text as text_module
from deckgen.layout import CONT, Context, fits, layout_deck, layout_slide, play_badge, width_hint
from deckgen.measure import TableMeasurer, text_width
from deckgen.model import (
    Asset,
    AssetStatus,
    Bullet,
    BulletList,
    Cell,
    Code,
    CodeFrame,
    Deck,
    Embed,
    EmbedFrame,
    Heading,
    Image,
    ListItem,
    Meta,
    Numbered,
    Paragraph,
    PictureFrame,
    PlaceholderFrame,
    Quote,
    Run,
    Slide,
    Table,
    TableFrame,
    TextFrame,
    plain_text,
)
from deckgen.parse.htmlconv import parse_width
from deckgen.theme import load_theme

W, H = 960.0, 540.0


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(load_theme("default"), TableMeasurer())


def words(n: int, prefix: str = "word") -> str:
    return " ".join(f"{prefix}{i}" for i in range(n))


def picture(w: int = 1600, h: int = 900, hint: str | None = None, url: str = "http://x/p.png") -> Image:
    asset = Asset(url, AssetStatus.OK, Path("/tmp/p.png"), w, h, "png", source_width=w, source_height=h)
    return Image(url, "", parse_width(hint), None, 1, asset)


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


# ---------------------------------------------------------------------------
# picture widths: only positive numbers and percentages count


@pytest.mark.parametrize(
    "hint", ["-50", "0", "0%", "-10%", "abc", "", "  ", "nan", "inf", "50%%", "1e3", "px", "%"]
)
def test_a_width_hint_that_is_not_a_positive_size_is_ignored(ctx: Context, hint: str) -> None:
    assert width_hint(parse_width(hint), 864.0) is None
    plain = layout_slide(ctx, Slide(title("Hint"), 2, (picture(),)))[0][1]
    hinted = layout_slide(ctx, Slide(title("Hint"), 2, (picture(hint=hint),)))[0][1]
    assert [f.box for f in hinted] == [f.box for f in plain]


@pytest.mark.parametrize(
    ("hint", "cap"), [("50%", 432.0), (" 25 % ", 216.0), ("600", 450.0), ("600px", 450.0), ("80.5PX", 60.375)]
)
def test_positive_numbers_and_percentages_cap_the_width(ctx: Context, hint: str, cap: float) -> None:
    assert width_hint(parse_width(hint), 864.0) == pytest.approx(cap)
    (pic,) = [f for f in layout_slide(ctx, Slide(title("Hint"), 2, (picture(hint=hint),)))[0][1]]
    assert isinstance(pic, PictureFrame)
    assert 0 < pic.box.w <= cap + 0.01 and pic.box.h > 0 and inside(pic.box)


@pytest.mark.parametrize("hint", ["-50", "0", "abc", "50%", "600px", "-1%", "0.0001", "100000", "1000%"])
@pytest.mark.parametrize("size", [(1600, 900), (1, 1), (0, 0), (5000, 10)])
def test_no_picture_box_is_ever_empty_or_off_the_slide(
    ctx: Context, hint: str, size: tuple[int, int]
) -> None:
    blocks = (Paragraph((Run(words(20)),)), picture(*size, hint=hint), picture(*size, hint=hint, url="u2"))
    for _t, frames, _ in layout_slide(ctx, Slide(title("Pictures"), 2, blocks)):
        for f in frames:
            assert f.box.w > 0 and f.box.h > 0, f
            assert inside(f.box), f


def test_a_picture_with_a_giant_code_line_stays_on_the_slide(ctx: Context) -> None:
    # the forced page (nothing fits) still keeps its picture inside the slide
    blocks = (Code("\n".join("x" * 300 for _ in range(40))), picture())
    for _t, frames, _ in layout_slide(ctx, Slide(title("Forced"), 2, blocks)):
        for f in frames:
            if isinstance(f, PictureFrame):
                assert f.box.w > 0 and f.box.h > 0 and inside(f.box)


# ---------------------------------------------------------------------------
# what the writers only copy: indents, bullets, colors, the play badge


def test_list_paragraphs_carry_their_indent_bullet_hang_and_color(ctx: Context) -> None:
    items = (
        ListItem(title("one")),
        ListItem(title("two"), level=1),
        ListItem(title("three"), ordered=True, number=3),
    )
    blocks = (Heading(4, title("Head")), BulletList(items), Quote((title("quoted"),)))
    (frame,) = layout_slide(ctx, Slide(title("Paras"), 2, blocks))[0][1]
    assert isinstance(frame, TextFrame)
    head, one, two, three, quote = frame.paras
    size = ctx.theme.sizes.body
    c = ctx.theme.colors
    assert (head.indent, head.hang, head.color) == (0.0, 0.0, c.heading)
    assert (one.bullet, one.indent, one.hang, one.color) == (
        Bullet("•"),
        1.1 * size,
        pytest.approx(0.9 * size),
        c.text,
    )
    assert (two.bullet, two.indent) == (Bullet("–"), pytest.approx(2 * 1.1 * size))
    # a number's column fits the label and a gap; the text moves right by what it needs beyond 0.9 em
    label = text_width(ctx.measure, "3.", size)
    assert three.bullet == Numbered(3) and three.hang == pytest.approx(max(0.9 * size, label + 0.3 * size))
    assert three.indent == pytest.approx(1.1 * size + three.hang - 0.9 * size)
    assert quote.indent == pytest.approx(1.1 * size) and quote.hang == 0.0 and quote.color == c.text


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
    for role in ("footer", "number"):
        if role in by_role:
            assert by_role[role].paras[0].color == c.muted
    sub = [f for f in title_page.frames if isinstance(f, TextFrame) and f.role == "subtitle"][0]
    assert [p.color for p in sub.paras] == [c.text, c.muted]


def test_a_video_poster_gets_a_centred_square_play_badge(ctx: Context) -> None:
    poster = Asset(
        "http://x/t.jpg",
        AssetStatus.OK,
        Path("/tmp/t.jpg"),
        480,
        360,
        "jpeg",
        source_width=480,
        source_height=360,
    )
    embed = Embed(
        "youtube", "https://youtu.be/x", "https://www.youtube.com/embed/x", "A video", poster=poster
    )
    (frame,) = layout_slide(ctx, Slide(title("Video"), 2, (embed,)))[0][1]
    assert isinstance(frame, EmbedFrame) and isinstance(frame.fallback, PictureFrame)
    assert frame.fallback.play_badge is not None
    badge = frame.fallback.play_badge.box
    assert badge == frame.play.box == play_badge(frame.box)
    assert badge.w == badge.h == pytest.approx(0.22 * min(frame.box.w, frame.box.h))
    assert badge.x + badge.w / 2 == pytest.approx(frame.box.x + frame.box.w / 2)
    assert badge.y + badge.h / 2 == pytest.approx(frame.box.y + frame.box.h / 2)
    # without a poster: a placeholder in the .pptx, still a play button in the HTML deck
    bare = Embed("iframe", "https://x.org/page", "https://x.org/page", "A page")
    (frame,) = layout_slide(ctx, Slide(title("Page"), 2, (bare,)))[0][1]
    assert isinstance(frame, EmbedFrame) and isinstance(frame.fallback, PlaceholderFrame)
    assert frame.play.box.w <= play_badge(frame.box).w  # beside the placeholder's text (test_layout_style)


# ---------------------------------------------------------------------------
# page breaking stays near-linear (a guard on the algorithm, not on the clock)


def _long_list(n: int) -> BulletList:
    return BulletList(tuple(ListItem((Run(f"item {i} " + words(6)),)) for i in range(n)))


def _count_calls(monkeypatch: pytest.MonkeyPatch, name: str, *modules) -> list[int]:  # type: ignore[no-untyped-def]
    calls = [0]
    real = getattr(modules[0], name)

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real(*args, **kwargs)

    for module in modules:
        monkeypatch.setattr(module, name, counting)
    return calls


@pytest.mark.parametrize("block", [_long_list, lambda n: Code("\n".join(f"x = {i}" for i in range(n)))])
def test_splitting_a_400_part_block_plans_o_n_log_n_pages_not_o_n_cubed(
    monkeypatch: pytest.MonkeyPatch, block
) -> None:  # type: ignore[no-untyped-def]
    ctx = Context(load_theme("default"), TableMeasurer())
    counts = {}
    for n in (100, 400):
        plans = _count_calls(monkeypatch, "plan_page", page_module)
        measured = _count_calls(monkeypatch, "count_lines", text_module, geometry_module, page_module)
        text_module._spec_lines.cache_clear()
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
    for block in (_long_list(70), paragraphs, table, Code("\n".join(f"y = {i}" for i in range(90)))):
        for current in ([], [Paragraph(title(words(40)))]):
            parts = paginate_module._parts(block)
            for smallest in (1, 3):
                scan = None
                for k in range(parts - 1, smallest - 1, -1):
                    split = paginate_module._split_block(block, k)
                    if split and fits(ctx, title("T"), current + [split[0]]):
                        scan = split
                        break
                found = paginate_module._largest_head(ctx, title("T"), current, block, smallest)
                assert found == scan, (type(block).__name__, len(current), smallest)


def test_a_numbered_lists_column_is_as_wide_as_its_widest_label(ctx: Context) -> None:
    items = tuple(ListItem(title(f"item {n}"), ordered=True, number=n) for n in (9, 10, 100))
    (frame,) = layout_slide(ctx, Slide(title("Numbers"), 2, (BulletList(items),)))[0][1]
    assert isinstance(frame, TextFrame)
    size = frame.paras[0].size
    widest = text_width(ctx.measure, "100.", size)
    assert [p.hang for p in frame.paras] == pytest.approx([widest + 0.3 * size] * 3)  # one column for all
    assert len({p.indent for p in frame.paras}) == 1
