"""The laid-out deck the layout produces: ``LaidDeck`` of ``Page``s of placed frames (text,
code, pictures, placeholders, embeds, tables, the title slide's QR code), each with its box, sizes and the style pass's
colours, which the writers translate without deciding anything. Frozen dataclasses, no
third-party imports.

All geometry is in points (1/72 inch). A 16:9 slide is 960 x 540 pt (13.33 x 7.5 in);
the reveal.js deck uses the same numbers as CSS pixels, so both decks share one geometry.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from deckgen.model.document import Asset, Cell, Embed, Meta, Origin, Runs


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
    origin: Origin | None = None  # the post's text it shows (None: the layout's own, a footer)


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
    lines: tuple[Runs, ...]  # one source line each, highlighted; every deck wraps it to the box, as the layout measured
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
    """A picture in its box. What it is for people who cannot see it, decided by the layout:

    - ``description``: the post's own words for it (``Image.description``; a video poster's is
      the video's title), kept exactly; "" when the post gives none;
    - ``decorative``: decoration, for a screen reader to skip: a picture the post marks so,
      and the theme's own (the logo);
    - ``context``: for a picture neither described nor decorative, a short true text from
      where it stands (``Picture on slide "TITLE" (not described yet)``), for the writers whose
      format reads an empty text as "decorative" (HTML ``alt``, PDF ``/Alt``). Never a file
      name or an address. The .pptx leaves its ``descr`` empty instead, so PowerPoint's
      Accessibility Checker lists the picture and offers to draft a description.
    """

    box: Box
    asset: Asset
    link: str | None = None
    description: str = ""
    play_badge: Badge | None = None  # a video's poster: the play symbol drawn on it
    decorative: bool = False
    context: str = ""

    @property
    def alt(self) -> str:
        """The one text a format that needs a non-empty one writes ("" only for decoration):
        the description, else the context text."""
        return "" if self.decorative else (self.description or self.context)


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
class QrFrame:
    """A QR code of the deck's web address (the title slide's), with the address in words.

    ``box`` is the code's square, its quiet zone included; ``modules`` its grid, row by row,
    True for a dark module (the quiet zone included: ``box.w / len(modules)`` points a module).
    ``label`` is the short address beside it (a plain text frame). The style pass chooses what
    is painted: ``runs`` of modules (row, first column, length) filled in ``color`` over the
    page. On a light page those are the dark modules in the text colour; on a dark page, the
    light modules in white, so that the page's colour is the code's dark (phones read dark on
    light). Each writer draws the runs as one shape (one path), never a shape per module."""

    box: Box
    address: str
    modules: tuple[tuple[bool, ...], ...]
    label: TextFrame
    runs: tuple[tuple[int, int, int], ...] = ()  # set by the style pass
    color: str | None = None  # the runs' colour, set by the style pass

    @property
    def module(self) -> float:
        """One module's side, in points."""
        return self.box.w / max(1, len(self.modules))

    @property
    def alt(self) -> str:
        """What it is for those who cannot see it (every format's alternative text)."""
        return f"QR code: {self.address}"


@dataclass(frozen=True)
class GridCell:
    """A table cell on its frame's grid: the first and last row and column it covers."""

    cell: Cell
    row: int
    col: int
    last_row: int
    last_col: int


Frame = TextFrame | CodeFrame | PictureFrame | PlaceholderFrame | EmbedFrame | TableFrame | QrFrame
PageKind = Literal["title", "content"]
PptxLayout = Literal["Title Slide", "Title and Content", "Title Only", "Blank"]


@dataclass(frozen=True)
class Page:
    """``background``: the slide's colour (the style pass's; the .pptx and HTML decks show it
    through the theme on their master and stylesheet, the PDF draws it).

    Every page has a title, unique in its deck (see ``layout/titles.py``): ``title``, shown, or
    ``hidden_title`` when the post shows no heading there (a part without one takes the title of
    the slide it continues). A hidden title is for screen readers and outlines only: the .pptx
    puts it in the slide's title placeholder, placed off the slide (its ``box``, above the top
    edge), as PowerPoint suggests; HTML and PDF decks keep it out of sight. At most one of the
    two is set (neither only on a deck laid out without the titles pass).

    ``lang`` is the deck's main language (``Meta.lang``), so a writer working page by page
    knows what a run without its own ``lang`` is in; ``notes_runs`` are ``notes`` as runs with
    their languages (lines separated by line-break runs)."""

    kind: PageKind
    frames: tuple[Frame, ...]
    title: TextFrame | None = None
    notes: str = ""
    source_line: int = 0
    pptx_layout: PptxLayout = "Blank"  # the PowerPoint slide layout the page is written on
    cut: bool = False  # some of its text did not fit even at the smallest size and was cut (…)
    background: str | None = None
    hidden_title: TextFrame | None = None
    lang: str = ""
    notes_runs: Runs = ()

    @property
    def title_hidden(self) -> bool:
        return self.title is None and self.hidden_title is not None

    @property
    def any_title(self) -> TextFrame | None:
        """The page's title frame, shown or hidden."""
        return self.title if self.title is not None else self.hidden_title

    @property
    def title_text(self) -> str:
        """The title as plain text (its lines joined by spaces), shown or hidden; "" without one."""
        frame = self.any_title
        if frame is None:
            return ""
        return " ".join("".join(" " if r.is_break else r.text for r in p.runs) for p in frame.paras).strip()


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
class Provenance:
    """The post a deck is made from, as the .pptx records it for ``deckgen pull``: its folder
    and file name (``_posts/2024-09-01-x.md``: no machine's path, so the bytes do not depend on
    where the post lies) and the SHA-256 of its bytes."""

    post: str
    post_sha256: str


@dataclass(frozen=True)
class LaidDeck:
    meta: Meta
    pages: tuple[Page, ...]
    width: float
    height: float
    handout: HandoutStyle | None = None  # set by the style pass
    provenance: Provenance | None = None  # set by the pipeline (a deck laid out alone has none)


__all__ = [
    "Box", "ParaKind", "Align", "FrameRole", "Insets", "Bullet", "Numbered", "ListMark", "list_mark",
    "mark_text", "Stroke", "Para", "TextFrame", "CodeFrame", "Badge", "PictureFrame", "PlaceholderFrame",
    "EmbedFrame", "TableFrame", "QrFrame", "GridCell", "Frame", "PageKind", "PptxLayout", "Page", "pictures_in",
    "HandoutStyle", "Provenance", "LaidDeck",
]
