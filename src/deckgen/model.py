"""The slide model shared by every stage: frozen dataclasses, no third-party imports.

Two layers live here:

* the *document* a post parses into (``Deck`` of ``Slide`` of blocks of ``Run``), and
* the *laid-out* deck the layout produces (``Page`` of placed ``Frame`` objects), which
  the writers translate without deciding anything.

All geometry is in points (1/72 inch). A 16:9 slide is 960 x 540 pt (13.33 x 7.5 in);
the reveal.js deck uses the same numbers as CSS pixels, so both decks share one geometry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Literal

# ---------------------------------------------------------------------------
# Inline content


@dataclass(frozen=True)
class Run:
    """A stretch of text with one formatting. ``text == "\\n"`` is a hard line break."""

    text: str
    bold: bool = False
    italic: bool = False
    strike: bool = False
    code: bool = False
    link: str | None = None
    color: str | None = None  # "RRGGBB", the style pass's (a code token's, a title's on its band); wins over its paragraph's
    token: str = ""  # the code highlighter's class for this run ("k", "nf", ...)

    @property
    def is_break(self) -> bool:
        return self.text == "\n"

    @property
    def style(self) -> tuple[bool, bool, bool, bool, str | None, str | None, str]:
        """Everything but the text: two runs of one style may be written as one."""
        return (self.bold, self.italic, self.strike, self.code, self.link, self.color, self.token)


LINE_BREAK = Run("\n")
Runs = tuple[Run, ...]


def plain_text(runs: Runs) -> str:
    return "".join(r.text for r in runs)


# ---------------------------------------------------------------------------
# Assets (filled in by the assets stage)


class AssetStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"


ShownFormat = Literal["png", "jpeg", "gif", ""]  # a picture both decks show as it is ("" none yet)


def shown_format(name: str) -> ShownFormat:
    """``name`` (a lower-case format name) if both decks show it as it is, else ``""``."""
    match name:
        case "png" | "jpeg" | "gif":
            return name
    return ""


@dataclass(frozen=True)
class Asset:
    """What the assets stage found for one image URL.

    Before the layout, ``path`` is the original (held for the build) and ``width``/``height``
    its size as shown, learnt from its header; ``rendered`` is False. After the layout the
    renditions stage replaces it with the picture drawn for its box (``rendered``): a file
    PowerPoint and browsers can show, in ``fmt``."""

    url: str
    status: AssetStatus
    path: Path | None = None
    width: int = 0  # pixels of ``path`` as shown
    height: int = 0
    fmt: ShownFormat = ""  # of a rendered ``path``
    reason: str = ""  # why it failed
    source_width: int = 0  # pixels of the original picture (for the 2x upscale limit)
    source_height: int = 0
    from_cache: bool = False
    digest: str = ""  # SHA-256 of the original's bytes ("" for files not from the assets stage)
    source_fmt: str = ""  # the original's format: png, jpeg, gif, webp, svg...
    source_bytes: int = 0  # the original's file size
    frames: int = 1  # more than one: an animation
    line: int = 0  # the post's line that first uses the picture
    rendered: bool = True  # ``path`` is ready for the writers

    @property
    def ok(self) -> bool:
        return self.status is AssetStatus.OK and self.path is not None


# ---------------------------------------------------------------------------
# Blocks of a slide


@dataclass(frozen=True)
class Paragraph:
    runs: Runs
    line: int = 0


@dataclass(frozen=True)
class Heading:
    level: int
    runs: Runs
    line: int = 0


@dataclass(frozen=True)
class ListItem:
    runs: Runs
    level: int = 0  # nesting depth, 0 = outermost
    ordered: bool = False
    number: int = 1


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]
    line: int = 0


@dataclass(frozen=True)
class Quote:
    paragraphs: tuple[Runs, ...]
    line: int = 0


@dataclass(frozen=True)
class Code:
    text: str
    lang: str = ""
    line: int = 0


@dataclass(frozen=True)
class Cell:
    runs: Runs
    colspan: int = 1
    rowspan: int = 1
    header: bool = False

    @property
    def shown_runs(self) -> Runs:
        """The runs as every deck writes them: a header cell's text is bold."""
        if not self.header:
            return self.runs
        return tuple(r if r.is_break else replace(r, bold=True) for r in self.runs)


@dataclass(frozen=True)
class Table:
    """Rows of cells; the parser normalizes the spans (``normalize_spans``), so the cells
    tile a grid of ``columns`` columns without overlapping."""

    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int = 0
    line: int = 0

    @property
    def columns(self) -> int:
        return max((c + cell.colspan for r, c, cell in cell_positions(self.rows)), default=0)


MAX_COLSPAN = 1000  # what browsers clip a colspan to


def cell_positions(rows: tuple[tuple[Cell, ...], ...]) -> list[tuple[int, int, Cell]]:
    """(row, column, cell) of every cell, placed as a browser places them: each cell takes
    the first column of its row that no cell above (through its rowspan) already took."""
    taken: list[set[int]] = [set() for _ in rows]
    out = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while c in taken[r]:
                c += 1
            out.append((r, c, cell))
            span = min(cell.colspan, MAX_COLSPAN)
            for rr in range(r, min(len(rows), r + max(1, cell.rowspan))):
                taken[rr].update(range(c, c + span))
            c += span
    return out


def normalize_spans(rows: tuple[tuple[Cell, ...], ...]) -> tuple[tuple[Cell, ...], ...]:
    """The rows with every span inside the table and no two cells overlapping.

    A rowspan stops at the last row; a colspan stops before a column a cell above already
    took (the earlier cell keeps it, as a browser draws it) and at the last column any cell
    starts in (empty columns collapse, as in a browser)."""
    nrows = len(rows)
    taken: list[set[int]] = [set() for _ in rows]
    placed: list[list[tuple[int, Cell, int, int]]] = [[] for _ in rows]
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while c in taken[r]:
                c += 1
            rowspan = max(1, min(cell.rowspan, nrows - r))
            span = 1
            limit = max(1, min(cell.colspan, MAX_COLSPAN))
            while span < limit and c + span not in taken[r]:
                span += 1
            for rr in range(r, r + rowspan):
                taken[rr].update(range(c, c + span))
            placed[r].append((c, cell, span, rowspan))
            c += span
    width = max((c + 1 for row in placed for c, _, _, _ in row), default=0)
    out: list[tuple[Cell, ...]] = []
    for placed_row in placed:
        cells: list[Cell] = []
        for c, cell, span, rowspan in placed_row:
            span = min(span, width - c)
            if (span, rowspan) != (cell.colspan, cell.rowspan):
                cell = Cell(cell.runs, span, rowspan, cell.header)
            cells.append(cell)
        out.append(tuple(cells))
    return tuple(out)


@dataclass(frozen=True)
class WidthHint:
    """How wide the author asked a picture to be (``<img width>``), parsed once by the parser:
    ``value`` pixels, or ``value`` percent of the body width; always positive and finite."""

    value: float
    unit: Literal["px", "%"] = "px"


@dataclass(frozen=True)
class Image:
    url: str
    alt: str = ""
    width_hint: WidthHint | None = None  # from <img width>
    link: str | None = None
    line: int = 0
    asset: Asset | None = None


EmbedKind = Literal["youtube", "iframe", "video"]


@dataclass(frozen=True)
class Embed:
    kind: EmbedKind
    url: str  # the page a viewer should open (the video on YouTube, the iframe src, the video file)
    embed_url: str = ""  # what the HTML deck embeds
    title: str = ""
    width: int = 0
    height: int = 0
    poster_url: str = ""  # a picture standing for it (YouTube thumbnail)
    line: int = 0
    poster: Asset | None = None


Block = Paragraph | Heading | BulletList | Quote | Code | Table | Image | Embed


@dataclass(frozen=True)
class Slide:
    title: Runs = ()
    title_level: int = 2
    blocks: tuple[Block, ...] = ()
    notes: str = ""
    line: int = 0  # 1-based line of the slide's first line in the post


@dataclass(frozen=True)
class Meta:
    title: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    category: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    theme: str | None = None
    site_url: str = ""  # the site's address (https://host/baseurl): site paths become full links in .pptx


@dataclass(frozen=True)
class Deck:
    meta: Meta
    abstract: tuple[Block, ...]
    slides: tuple[Slide, ...]
    source: Path | None = None


# ---------------------------------------------------------------------------
# Laid-out deck (output of layout, input of the writers)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h


ParaKind = Literal["body", "heading", "quote", "subtitle", "meta", "title"]
Align = Literal["left", "center", "right"]
FrameRole = Literal["title", "body", "subtitle", "footer", "number"]
Insets = tuple[float, float, float, float]  # left, top, right, bottom (points)


@dataclass(frozen=True)
class Bullet:
    """A list item's bullet character."""

    char: str = "\u2022"


@dataclass(frozen=True)
class Numbered:
    """An ordered list item's number (written ``n.``)."""

    n: int

    @property
    def label(self) -> str:
        return f"{self.n}."


ListMark = Bullet | Numbered


def list_mark(label: str) -> ListMark | None:
    """The mark for a list label as the layout measures it: "" none, "3." a number, else a bullet."""
    if not label:
        return None
    if label[0].isdigit():
        return Numbered(int(label.rstrip(".")))
    return Bullet(label)


def mark_text(mark: ListMark | None) -> str:
    """The mark as printed: the bullet character, or the number with its period."""
    match mark:
        case None:
            return ""
        case Bullet():
            return mark.char
        case Numbered():
            return mark.label


@dataclass(frozen=True)
class Stroke:
    """A border line: its colour (``RRGGBB``), width in points, solid or dashed."""

    color: str
    width: float
    dash: bool = False


@dataclass(frozen=True)
class Para:
    """One paragraph of a text frame, ready to write.

    ``indent`` is the left margin of the text (points, from the frame's inner edge); with a
    bullet, the bullet hangs ``hang`` points to the left of the text, inside that margin
    (the first line starts at ``indent - hang``). ``color`` is the text color (``RRGGBB``;
    a run's own color or a link's wins), set by the style pass (None only before it).
    """

    runs: Runs
    size: float  # font size in points
    kind: ParaKind = "body"
    level: int = 0
    bullet: ListMark | None = None
    space_before: float = 0.0  # points
    align: Align = "left"
    indent: float = 0.0  # points
    hang: float = 0.0  # points
    color: str | None = None  # "RRGGBB"


# Style fields (fills, colours, insets, borders) are filled in by the layout's last pass
# (``deckgen.layout.style``); before it a frame carries no colour, after it every text has
# one, and the writers write them as they are.


@dataclass(frozen=True)
class TextFrame:
    box: Box
    paras: tuple[Para, ...]
    role: FrameRole = "body"
    line_spacing: float = 1.2  # multiple of the font size, written as exact points
    insets: Insets = (3.6, 3.6, 3.6, 3.6)
    fill: str | None = None  # background color RRGGBB
    color: str | None = None  # the text colour of paragraphs without their own
    link_color: str | None = None


@dataclass(frozen=True)
class CodeFrame:
    box: Box
    lines: tuple[Runs, ...]  # already highlighted, already wrapped
    size: float
    lang: str = ""
    line_spacing: float = 1.2
    insets: Insets = (7.2, 7.2, 7.2, 7.2)
    fill: str | None = None
    color: str | None = None  # the text colour of runs the highlighter left uncoloured


@dataclass(frozen=True)
class Badge:
    """The play symbol on a video: a triangle pointing right, filling ``box``."""

    box: Box
    fill: str | None = None  # set by the style pass
    stroke: Stroke | None = None


@dataclass(frozen=True)
class PictureFrame:
    box: Box
    asset: Asset
    link: str | None = None
    alt: str = ""
    play_badge: Badge | None = None  # a video's poster: the play symbol drawn on it


@dataclass(frozen=True)
class PlaceholderFrame:
    """A box standing for a picture that could not be had: its reason, then its URL."""

    box: Box
    url: str
    reason: str
    size: float
    shown_url: str = ""  # the URL as printed in the box (long ones shortened)
    link: str = ""  # where the printed URL links to ("" when it is no web address)
    insets: Insets = (7.2, 7.2, 7.2, 7.2)
    fill: str | None = None
    border: Stroke | None = None
    color: str | None = None  # the reason's colour
    link_color: str | None = None  # the URL's colour
    gap: float = 0.0  # points between the reason and the URL
    line_spacing: float = 1.2


@dataclass(frozen=True)
class EmbedFrame:
    """A live embed in the HTML deck; the .pptx shows ``fallback`` instead.

    ``play`` is the HTML deck's play button (slide coordinates), which loads the live player
    when clicked; a poster fallback draws the same badge in the same place, a placeholder
    fallback none (the button sits where it covers none of the placeholder's text).
    """

    box: Box
    embed: Embed
    fallback: PictureFrame | PlaceholderFrame
    play: Badge


@dataclass(frozen=True)
class TableFrame:
    """``row_fills``/``row_colors``/``row_link_colors``: each row's background, text and link
    colour (a header row's, or a body row's stripe); a header cell in a body row is bold only."""

    box: Box
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int
    col_widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    size: float
    line_spacing: float = 1.2
    cell_insets: Insets = (3.6, 3.6, 3.6, 3.6)
    border: Stroke | None = None
    row_fills: tuple[str | None, ...] = ()
    row_colors: tuple[str | None, ...] = ()
    row_link_colors: tuple[str | None, ...] = ()

    def grid_cells(self) -> list[GridCell]:
        """Each cell where it sits on the grid, in row order. A cell takes the first column of
        its row not covered by a cell spanning down from above; its span is cut at the grid's
        edges; a cell finding no column free in its row is not shown."""
        nrows, ncols = min(len(self.rows), len(self.row_heights)), len(self.col_widths)
        covered = [[False] * ncols for _ in range(nrows)]
        out: list[GridCell] = []
        for r, row in enumerate(self.rows[:nrows]):
            c = 0
            for cell in row:
                while c < ncols and covered[r][c]:
                    c += 1
                if c >= ncols:
                    break
                placed = GridCell(cell, r, c, min(nrows - 1, r + cell.rowspan - 1), min(ncols - 1, c + cell.colspan - 1))
                for rr in range(r, placed.last_row + 1):
                    covered[rr][c : placed.last_col + 1] = [True] * (placed.last_col + 1 - c)
                out.append(placed)
                c = placed.last_col + 1
        return out

    def row_style(self, r: int) -> tuple[str | None, str | None, str | None]:
        """Row ``r``'s fill, text colour and link colour (None: the writer's default, nothing)."""

        def at(values: tuple[str | None, ...]) -> str | None:
            return values[r] if r < len(values) else None

        return at(self.row_fills), at(self.row_colors), at(self.row_link_colors)


@dataclass(frozen=True)
class GridCell:
    """A table cell on its frame's grid: the first and last row and column it covers."""

    cell: Cell
    row: int
    col: int
    last_row: int
    last_col: int


Frame = TextFrame | CodeFrame | PictureFrame | PlaceholderFrame | EmbedFrame | TableFrame
PageKind = Literal["title", "content"]
PptxLayout = Literal["Title Slide", "Title and Content", "Title Only", "Blank"]


@dataclass(frozen=True)
class Page:
    """``background``: the slide's colour (the style pass's; the .pptx and HTML decks show it
    through the theme on their master and stylesheet, the PDF draws it)."""

    kind: PageKind
    frames: tuple[Frame, ...]
    title: TextFrame | None = None
    notes: str = ""
    source_line: int = 0
    pptx_layout: PptxLayout = "Blank"  # the PowerPoint slide layout the page is written on
    cut: bool = False  # some of its text did not fit even at the smallest size and was cut (…)
    background: str | None = None


def pictures_in(frames: Iterable[Frame]) -> list[PictureFrame]:
    """The pictures among ``frames``: picture frames, and an embed's picture fallback."""
    found: list[PictureFrame] = []
    for frame in frames:
        if isinstance(frame, EmbedFrame):
            frame = frame.fallback
        if isinstance(frame, PictureFrame):
            found.append(frame)
    return found


@dataclass(frozen=True)
class HandoutStyle:
    """The colours of what a handout adds around its slides (``RRGGBB``)."""

    frame: str  # the line around each slide
    rule: str  # the ruled lines for notes
    notes: str  # the notes' text
    margin: str  # the title, date and page number in the margins


@dataclass(frozen=True)
class LaidDeck:
    meta: Meta
    pages: tuple[Page, ...]
    width: float
    height: float
    handout: HandoutStyle | None = None  # set by the style pass
