"""The layout's last pass: every style decision made in the model, one design per thing."""

from __future__ import annotations

import ast
import dataclasses
import re
from pathlib import Path

import pytest

import deckgen
from deckgen.highlight import token_colors
from deckgen.layout import Context, layout_deck, layout_slide, place_deck, play_badge
from deckgen.layout import style as layout_style
from deckgen.layout.style import (
    BADGE_FILL,
    BADGE_STROKE,
    HANDOUT_FRAME,
    HANDOUT_RULE,
    pptx_layout,
    style_deck,
)
from deckgen.measure import TableMeasurer, count_lines
from deckgen.model import (
    LINE_BREAK,
    Asset,
    AssetStatus,
    Box,
    BulletList,
    Cell,
    Code,
    CodeFrame,
    Deck,
    Embed,
    EmbedFrame,
    HandoutStyle,
    Heading,
    Image,
    LaidDeck,
    ListItem,
    Meta,
    Page,
    Para,
    Paragraph,
    PictureFrame,
    PlaceholderFrame,
    Quote,
    Run,
    Slide,
    Stroke,
    Table,
    TableFrame,
    TextFrame,
)
from deckgen.theme import load_theme
from support.layoutkit import picture

THEME = load_theme("default")
C = THEME.colors


def styled(*frames: object, title: TextFrame | None = None) -> Page:
    deck = LaidDeck(Meta(), (Page("content", tuple(frames), title),), 960.0, 540.0)  # type: ignore[arg-type]
    return style_deck(deck, THEME, TableMeasurer()).pages[0]


def test_code_tables_and_placeholders_get_their_fills_colours_borders_and_insets() -> None:
    code = CodeFrame(Box(0, 0, 100, 40), ((Run("x"),),), 18.0)
    rows = ((Cell((Run("h"),), header=True),), (Cell((Run("a"),)),), (Cell((Run("b"),), header=True),))
    table = TableFrame(Box(0, 50, 100, 90), rows, 1, (100.0,), (30.0, 30.0, 30.0), 18.0)
    ph = PlaceholderFrame(Box(0, 150, 300, 100), "http://x/a.png", "gone", 16.0)
    page = styled(code, table, ph)
    code, table, ph = page.frames  # type: ignore[assignment]
    assert (code.fill, code.color, code.insets) == (C.code_background, C.code_text, (7.2,) * 4)
    assert table.border == Stroke(C.muted, 0.75) and table.cell_insets == (3.6,) * 4
    # the header row on the accent; body rows striped; a header cell in a body row is only bold
    assert table.row_fills == (C.accent, C.code_background, C.background)
    assert table.row_colors == (C.background, C.text, C.text)
    assert table.row_link_colors == (C.background, C.link, C.link)
    assert ph.border == Stroke(C.muted, 1.5, dash=True) and ph.fill == C.code_background
    assert (ph.gap, ph.insets, ph.color, ph.link_color) == (4.0, (7.2,) * 4, C.text, C.link)


def test_each_page_carries_its_powerpoint_layout() -> None:
    title = TextFrame(Box(0, 0, 10, 10), (Para((Run("T"),), 30.0),), "title")
    body = TextFrame(Box(0, 20, 10, 10), (Para((Run("b"),), 20.0),), "body")
    assert pptx_layout(Page("title", (), title)) == "Title Slide"
    assert pptx_layout(Page("content", (body,), None)) == "Blank"
    assert pptx_layout(Page("content", (body,), title)) == "Title and Content"
    assert pptx_layout(Page("content", (), title)) == "Title Only"
    assert styled(body, title=title).pptx_layout == "Title and Content"
    laid = layout_deck(Deck(Meta(title="Deck"), (), (Slide((Run("S"),), 2, ()),)), THEME, TableMeasurer())
    assert [p.pptx_layout for p in laid.pages] == ["Title Slide", "Title Only"]


def test_one_badge_design_on_posters_and_play_buttons() -> None:
    ctx = Context(THEME, TableMeasurer())
    bare = Embed("iframe", "https://x.org/page", "https://x.org/page", "A page")
    (frame,) = layout_slide(ctx, Slide((Run("P"),), 2, (bare,)))[0].frames
    assert isinstance(frame, EmbedFrame)
    (styled_frame,) = styled(frame).frames
    assert isinstance(styled_frame, EmbedFrame)
    assert (styled_frame.play.fill, styled_frame.play.stroke) == ("FFFFFF", Stroke("CC0000", 3.0))


def test_the_play_button_on_a_placeholder_covers_none_of_its_text() -> None:
    """It sat in the middle of the box, on the placeholder's title and URL."""
    ctx = Context(THEME, TableMeasurer())
    bare = Embed("youtube", "https://youtu.be/abc", "https://www.youtube.com/embed/abc", "A talk on transformers")
    (frame,) = layout_slide(ctx, Slide((Run("Video"),), 2, (bare,)))[0].frames
    assert isinstance(frame, EmbedFrame)
    (frame,) = styled(frame).frames  # type: ignore[assignment]
    assert isinstance(frame, EmbedFrame) and isinstance(frame.fallback, PlaceholderFrame)
    ph, play = frame.fallback, frame.play.box
    left, top, right, bottom = ph.insets
    width = ph.box.w - left - right
    lines = count_lines(TableMeasurer(), (Run(ph.reason, bold=True),), width, ph.size) + count_lines(
        TableMeasurer(), (Run(ph.shown_url),), width, ph.size
    )
    text_h = lines * ph.size * ph.line_spacing + ph.gap
    text_top = ph.box.y + (ph.box.h - text_h) / 2
    assert play.bottom <= text_top  # above the (vertically centred) text
    assert ph.box.y <= play.y and play.right <= ph.box.right  # inside the placeholder
    assert play.w == play.h and play.w >= layout_style.BADGE_MIN
    assert play.w <= play_badge(frame.box).w


def test_a_placeholder_too_short_for_a_badge_above_its_text_gets_a_small_one_in_its_corner() -> None:
    ph = PlaceholderFrame(Box(100, 100, 300, 50), "https://x.org/v", "Video", 16.0, "https://x.org/v")
    frame = EmbedFrame(ph.box, Embed("iframe", "https://x.org/v"), ph, layout_style.Badge(play_badge(ph.box)))
    (out,) = styled(frame).frames
    assert isinstance(out, EmbedFrame)
    assert out.play.box == Box(102.0, 102.0, layout_style.BADGE_MIN, layout_style.BADGE_MIN)


def test_text_frames_get_their_text_and_link_colours() -> None:
    title = TextFrame(Box(0, 0, 10, 10), (Para((Run("T"),), 30.0),), "title")
    body = TextFrame(Box(0, 20, 10, 10), (Para((Run("b"),), 20.0),), "body")
    page = styled(body, title=title)
    assert page.title is not None and (page.title.color, page.title.link_color) == (C.heading, C.link)
    (frame,) = page.frames
    assert isinstance(frame, TextFrame) and (frame.color, frame.link_color) == (C.text, C.link)




# ---------------------------------------------------------------------------
# every colour is the style pass's


def small_deck() -> Deck:
    """A deck with every kind of text and frame: title page (authors, tags, abstract), headings,
    lists, a quote, links, a table, code, a picture, a missing picture, videos."""
    poster = picture(480, 270).asset
    link = Run("a link", link="https://example.org/")
    gone = Asset("https://x.org/gone.png", AssetStatus.FAILED, reason="404")
    text = (
        Heading(3, (Run("A heading"),)),
        Paragraph((Run("Some "), Run("bold", bold=True), Run(" and "), link, LINE_BREAK, Run("中文"))),
        BulletList((ListItem((Run("one"),)), ListItem((Run("two"),), 1), ListItem((Run("n"),), ordered=True))),
        Quote(((Run("quoted"),),)),
    )
    table = Table(((Cell((Run("head"),), header=True),), (Cell((link,)),), (Cell((Run("row"),)),)), 1)
    code = Code("def f(x):\n    return x  # done\n", "python")
    youtube = Embed("youtube", "https://youtu.be/a", "https://www.youtube.com/embed/a", "On a poster", poster=poster)
    iframe = Embed("iframe", "https://x.org/page", "https://x.org/page", "A page")
    slides = (
        Slide((Run("Text"),), 2, text, "Notes for the handout."),
        Slide((Run("Table and code"),), 2, (table, code)),
        Slide((Run("Pictures"),), 2, (picture(), Image(gone.url, "gone", asset=gone))),
        Slide((Run("Videos"),), 2, (youtube, iframe)),
        Slide((Run("Section only"),), 2, ()),
    )
    meta = Meta(title="Colours", authors=("A. Author",), date="2026-01-02", tags=("style",))
    return Deck(meta, (Paragraph((Run("The abstract."),)),), slides)


HEX6 = re.compile(r"[0-9A-F]{6}")  # the theme's colours are upper case, a Pygments style's may not be


def colours_in(value: object) -> list[tuple[str, str]]:
    """Every colour (an ``RRGGBB`` string) anywhere in a laid-out value, with the field holding it."""
    found: list[tuple[str, str]] = []
    if isinstance(value, tuple):
        for item in value:
            found += colours_in(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if isinstance(item, str) and HEX6.fullmatch(item.upper()):
                found.append((f"{type(value).__name__}.{f.name}", item))
            elif f.name not in ("asset", "poster"):  # pictures' files: no colour of the deck's
                found += colours_in(item)
    return found


def shown_text_colours(page: Page) -> list[tuple[str, str | None]]:
    """Each piece of text a page shows, with the colour it is drawn in (a run's own, a link's,
    else its paragraph's, row's or frame's)."""
    out: list[tuple[str, str | None]] = []

    def runs(rs: tuple[Run, ...], color: str | None, link: str | None) -> None:
        out.extend((r.text, r.color or (link if r.link else color)) for r in rs if r.text.strip() and not r.is_break)

    frames = [*page.frames, *((page.title,) if page.title else ())]
    frames += [f.fallback for f in page.frames if isinstance(f, EmbedFrame)]
    for frame in frames:
        if isinstance(frame, TextFrame):
            for para in frame.paras:
                runs(para.runs, para.color, frame.link_color)
        elif isinstance(frame, CodeFrame):
            for line in frame.lines:
                runs(line, frame.color, None)
        elif isinstance(frame, TableFrame):
            for r, row in enumerate(frame.rows):
                _fill, color, link = frame.row_style(r)
                for cell in row:
                    runs(cell.shown_runs, color, link)
        elif isinstance(frame, PlaceholderFrame):
            out += [(frame.reason, frame.color), (frame.shown_url or frame.url, frame.link_color)]
    return out


@pytest.mark.parametrize("name", ["default", "dark", "high-contrast"])
def test_before_the_style_pass_no_frame_has_a_colour_after_it_every_text_has_one(name: str) -> None:
    theme = load_theme(name)
    placed = place_deck(small_deck(), theme, TableMeasurer())
    assert colours_in(placed) == []  # positions, sizes, roles and kinds only
    laid = style_deck(placed, theme, TableMeasurer())
    assert laid == layout_deck(small_deck(), theme, TableMeasurer())
    kinds = {type(f).__name__ for p in laid.pages for f in p.frames}
    assert kinds >= {"TextFrame", "CodeFrame", "TableFrame", "PictureFrame", "EmbedFrame", "PlaceholderFrame"}
    c = theme.colors
    assert laid.handout == HandoutStyle("999999", "BBBBBB", c.text, c.muted)
    for page in laid.pages:
        assert page.background == c.background
        shown = shown_text_colours(page)
        assert shown and all(color is not None for _, color in shown), shown
        for frame in page.frames:
            match frame:
                case TextFrame():
                    assert frame.color and frame.link_color and all(p.color for p in frame.paras)
                case CodeFrame():
                    assert (frame.fill, frame.color) == (c.code_background, c.code_text)
                case TableFrame():
                    assert len(frame.row_fills) == len(frame.row_colors) == len(frame.row_link_colors) == len(frame.rows)
                    assert frame.border is not None and all(frame.row_fills)
                case PictureFrame():
                    assert frame.play_badge is None or frame.play_badge.fill
                case EmbedFrame():
                    assert frame.play.fill and frame.play.stroke is not None
    # the only colours that are not the theme's: the code style's, the play badge, the handout's greys
    theme_colours = set(dataclasses.asdict(c).values()) | set(token_colors(theme.code_style).values())
    others = {v for _, v in colours_in(laid)} - theme_colours
    assert others <= {BADGE_FILL, BADGE_STROKE.color, HANDOUT_FRAME, HANDOUT_RULE}


def test_code_tokens_get_the_code_styles_colours_from_the_style_pass() -> None:
    laid = layout_deck(small_deck(), THEME, TableMeasurer())
    (code,) = [f for p in laid.pages for f in p.frames if isinstance(f, CodeFrame)]
    tokens = token_colors(THEME.code_style)
    runs = [r for line in code.lines for r in line]
    assert {r.token for r in runs} >= {"k", "nf", "c1"}  # a keyword, a function's name, a comment
    assert all(r.color == tokens.get(r.token) for r in runs)
    keyword = next(r for r in runs if r.token == "k")
    assert keyword.color == tokens["k"] and keyword.color != code.color


def test_paragraphs_are_coloured_by_their_kind_and_their_frames_role() -> None:
    c = THEME.colors
    laid = layout_deck(small_deck(), THEME, TableMeasurer())
    title_page, text_page = laid.pages[0], laid.pages[1]
    by_role = {f.role: f for f in text_page.frames if isinstance(f, TextFrame)}
    assert text_page.title is not None and [p.color for p in text_page.title.paras] == [c.heading]
    assert [(p.kind, p.color) for p in by_role["body"].paras] == [("heading", c.heading)] + [
        (kind, c.text) for kind in ("body", "body", "body", "body", "quote")
    ]
    assert by_role["footer"].paras[0].color == by_role["number"].paras[0].color == c.muted
    (subtitle,) = [f for f in title_page.frames if isinstance(f, TextFrame)]
    assert [(p.kind, p.color) for p in subtitle.paras] == [("subtitle", c.text), ("meta", c.muted), ("body", c.text)]
    for role, kind in (("title", "body"), ("body", "title"), ("footer", "body"), ("number", "body"), ("body", "meta")):
        expected = c.heading if "title" in (role, kind) else c.muted
        assert layout_style.para_color(THEME, kind, role) == expected  # type: ignore[arg-type]


def test_the_title_band_is_the_style_passs_and_other_title_slides_have_none(tmp_path: Path) -> None:
    c = THEME.colors
    assert THEME.title_style == "band"
    band = layout_deck(small_deck(), THEME, TableMeasurer()).pages[0].title
    assert band is not None and band.fill == c.accent and band.paras[0].color == c.heading
    assert {r.color for r in band.paras[0].runs} == {c.background}  # the title reads on the accent
    (tmp_path / "centered.toml").write_text('extends = "default"\n[title_slide]\nstyle = "centered"\n', "utf-8")
    centered = load_theme(str(tmp_path / "centered.toml"))
    title = layout_deck(small_deck(), centered, TableMeasurer()).pages[0].title
    assert title is not None and title.fill is None and {r.color for r in title.paras[0].runs} == {None}
    assert title.paras[0].color == c.heading


# the proxy for "every colour is decided in the style pass": no module of deckgen but the style
# pass and the theme names a colour or reads the theme's colours, except where a writer carries
# the theme itself into its format, and two pages that are no deck
COLOUR_READERS = {
    "deckgen/theme/validate.py": "_value",  # validates the colours
    "deckgen/theme/contrast.py": "contrast_pairs",  # the contrast of the text colours
    "deckgen/layout/style.py": "*",  # decides every colour of the laid-out deck
    "deckgen/writers/master.py": "apply_theme_to_master",  # the theme on the .pptx slide master
    # the theme as the HTML deck's stylesheet (theme.css); one colour there is the writer's own,
    # the black behind a live embed (.dg-embed), which no frame of the model shows
    "deckgen/writers/html.py": "theme_css",
    "deckgen/course.py": "write_course_index",  # a folder build's index page: no deck, no theme
    "deckgen/serve.py": "reload_script",  # the live preview's box for a failed build: no deck
}
# "#rgb", "#rrggbb" (CSS) anywhere in a string, or a whole string "RRGGBB" (the model's form)
HEX_COLOUR = re.compile(r"(?<![\w&])#(?:[0-9A-Fa-f]{8}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})(?!\w)|^[0-9A-F]{6}$")


def _colour_uses(tree: ast.AST) -> list[tuple[int, str, str]]:
    """(line, enclosing top-level function or class, what) for each colour literal and each
    read of a theme's ``colors``."""
    found: list[tuple[int, str, str]] = []
    for top in ast.iter_child_nodes(tree):
        owner = getattr(top, "name", "")
        for node in ast.walk(top):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and HEX_COLOUR.search(node.value):
                found.append((node.lineno, owner, f"colour literal {node.value[:40]!r}"))
            elif isinstance(node, ast.Attribute) and node.attr == "colors":
                found.append((node.lineno, owner, "reads .colors"))
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "getattr"
                and any(isinstance(a, ast.Constant) and a.value == "colors" for a in node.args)
            ):
                found.append((node.lineno, owner, "reads getattr(..., 'colors')"))
    return found


def test_only_the_style_pass_and_the_theme_decide_colours() -> None:
    src = Path(deckgen.__file__).parent
    offenders = []
    allowed_seen = set()
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src.parent).as_posix()
        for line, owner, what in _colour_uses(ast.parse(path.read_text("utf-8"))):
            allowed = COLOUR_READERS.get(rel)
            if allowed == "*" or allowed == owner:
                allowed_seen.add(rel)
                continue
            offenders.append(f"{rel}:{line} ({owner or 'module'}): {what}")
    assert offenders == [], "colours decided outside layout/style.py:\n" + "\n".join(offenders)
    assert allowed_seen == set(COLOUR_READERS)  # every exception is still needed


def test_the_colour_check_finds_literals_and_theme_reads() -> None:
    code = (
        'x = "1F2933"\n'
        "def f(t):\n"
        '    return t.colors.text, "#fff", f"border:1px solid #CCC;color:#{t}", getattr(t, "colors")\n'
        'y = ("#{fill}", "decade", "&#123;", "Issue #12345", "ABCDEFG")\n'
    )
    found = sorted((line, owner, what.split(" ")[0]) for line, owner, what in _colour_uses(ast.parse(code)))
    assert found == [(1, "", "colour"), (3, "f", "colour"), (3, "f", "colour"), (3, "f", "reads"), (3, "f", "reads")]
