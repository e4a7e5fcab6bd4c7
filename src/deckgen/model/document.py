"""The document a post parses into: a ``Deck`` of ``Slide``s of blocks (paragraphs, headings,
lists, quotes, code, tables, pictures, embeds) of ``Run``s, and the ``Asset`` the assets stage
finds for each picture. Frozen dataclasses, no third-party imports.
"""

from __future__ import annotations

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
    # the run's language (BCP 47: "zh-Hant", "en") where it is not its deck's (``Meta.lang``);
    # "" is the deck's language. Set by the layout's language pass (``deckgen.language``).
    lang: str = ""

    @property
    def is_break(self) -> bool:
        return self.text == "\n"

    @property
    def style(self) -> tuple[bool, bool, bool, bool, str | None, str | None, str, str]:
        """Everything but the text: two runs of one style may be written as one."""
        return (self.bold, self.italic, self.strike, self.code, self.link, self.color, self.token, self.lang)


LINE_BREAK = Run("\n")
Runs = tuple[Run, ...]


def plain_text(runs: Runs) -> str:
    return "".join(r.text for r in runs)


def unit_text(runs: Runs) -> str:
    """The text ``Origin`` counts in: line breaks as ``\n``, without break opportunities (U+200B)."""
    return "".join(r.text for r in runs).replace("\u200b", "")


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
# Where a text comes from (for ``deckgen pull``)


@dataclass(frozen=True)
class Origin:
    """The post's text a paragraph (or table cell) of the decks shows: the layout marks each
    text of the deck with its ``key`` (``layout/origins.py``: ``"4.2.1"`` the second part of
    block 2 of slide 4 — an item, a cell, a quoted paragraph —, ``"4.t"`` slide 4's title,
    ``"a.0"`` the abstract's first paragraph, ``"m.title"`` the front matter's title). A
    paragraph cut across pages shows ``start`` onwards; ``length`` characters of it are that
    text (-1: all of it), the rest is the layout's (a title's number, `` (2/3)``). Lengths
    count characters of the plain text (a line break one, U+200B none)."""

    key: str
    start: int = 0
    length: int = -1


# ---------------------------------------------------------------------------
# Blocks of a slide


@dataclass(frozen=True)
class Paragraph:
    runs: Runs
    line: int = 0
    origin: Origin | None = None  # set by the layout (``layout/origins.py``)


@dataclass(frozen=True)
class Heading:
    level: int
    runs: Runs
    line: int = 0
    origin: Origin | None = None


@dataclass(frozen=True)
class ListItem:
    runs: Runs
    level: int = 0  # nesting depth, 0 = outermost
    ordered: bool = False
    number: int = 1
    origin: Origin | None = None


@dataclass(frozen=True)
class BulletList:
    items: tuple[ListItem, ...]
    line: int = 0


@dataclass(frozen=True)
class Quote:
    paragraphs: tuple[Runs, ...]
    line: int = 0
    origins: tuple[Origin, ...] = ()  # one per paragraph, set by the layout


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
    origin: Origin | None = None

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


def runs_head(runs: Runs | list[Run], limit: int) -> list[Run]:
    """The runs holding the first ``limit`` characters of ``runs``' text, each kept with its style."""
    out: list[Run] = []
    left = limit
    for r in runs:
        if left <= 0:
            break
        out.append(replace(r, text=r.text[:left]))
        left -= len(r.text)
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
                cell = Cell(cell.runs, span, rowspan, cell.header, cell.origin)
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
    """A picture of the post. ``description`` is what the post says it shows, kept exactly:
    Markdown's ``![description](url)``, ``<img alt>``, else the title (``![](url "title")``,
    ``<img title>``); "" when the post says nothing. ``decorative``: the post marks it as
    decoration on purpose (``<img alt="">``, ``role="presentation"``, ``{: .decorative}``
    after a Markdown picture); nothing else is."""

    url: str
    description: str = ""
    width_hint: WidthHint | None = None  # from <img width>
    link: str | None = None
    line: int = 0
    asset: Asset | None = None
    decorative: bool = False


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
    key: str = ""  # its place in the deck ("4"), set by the layout with its texts' origins


@dataclass(frozen=True)
class Meta:
    title: str = ""
    authors: tuple[str, ...] = ()
    date: str = ""
    category: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    theme: str | None = None
    site_url: str = ""  # the site's address (https://host/baseurl): site paths become full links in .pptx
    deck_url: str = ""  # where the site publishes this deck's HTML (siteaddress.deck_url): the title slide's QR code
    # the deck's main language (BCP 47: "en", "zh-Hant"): the front matter's ``lang``, else the
    # site's ``_config.yml``, else the script most of the text is in (``deckgen.language``)
    lang: str = ""


@dataclass(frozen=True)
class Deck:
    meta: Meta
    abstract: tuple[Block, ...]
    slides: tuple[Slide, ...]
    source: Path | None = None


def content_pictures(deck: Deck) -> list[Image | Embed]:
    """The post's pictures a reader is meant to see, in order: every picture it does not mark
    as decorative, and every video a poster stands for (a picture in the .pptx)."""
    found: list[Image | Embed] = []
    for slide in deck.slides:
        for block in slide.blocks:
            if isinstance(block, Image) and not block.decorative or isinstance(block, Embed) and block.poster_url:
                found.append(block)
    return found


def described(picture: Image | Embed) -> bool:
    """Does the post say what the picture shows (a video: its title)?"""
    return bool((picture.description if isinstance(picture, Image) else picture.title).strip())


__all__ = [
    "Run", "LINE_BREAK", "Runs", "plain_text", "unit_text", "Origin", "AssetStatus", "ShownFormat", "shown_format", "Asset",
    "Paragraph", "Heading", "ListItem", "BulletList", "Quote", "Code", "Cell", "Table", "MAX_COLSPAN",
    "cell_positions", "normalize_spans", "runs_head", "WidthHint", "Image", "EmbedKind", "Embed", "Block", "Slide",
    "Meta", "Deck", "content_pictures", "described",
]
