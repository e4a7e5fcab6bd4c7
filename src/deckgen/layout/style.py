"""The layout's last pass (``layout_deck`` calls it once, at the end): every style decision put into the laid-out frames.

The geometry passes place the frames, each with its role and its paragraphs' kinds, and no
colour; this pass gives each one the colours, fills, borders, insets and badges the writers
then write as they are (a writer chooses no colour or size of its own). Every colour a deck
shows is decided here: each paragraph's text colour (by its kind and its frame's role), the
title band, each page's background, the colours a handout adds around its slides, and each
code token's (the Pygments style's colour for its class, ``highlight.token_colors``). Pages
get the PowerPoint slide layout they are written on. One design for each thing in every
deck: one play badge (a white triangle with a red outline, as the .pptx has always drawn
it), one placeholder (a dashed 1.5 pt border, the URL 4 pt below its reason), one table
(header rows filled with the accent, body rows striped; a header cell in a body row is bold
only).

Only this module and the theme package (``theme/``) read the theme's colours, apart from the two writers that
carry the theme itself into their format (the .pptx slide master, the HTML deck's
stylesheet); ``tests/layout/test_style.py`` keeps it so.
"""

from __future__ import annotations

from dataclasses import replace

from deckgen.errors import unknown_kind
from deckgen.layout.context import CELL_INSET, CODE_INSET  # the insets the geometry measured with
from deckgen.measure import Measurer, count_lines
from deckgen.model.document import Run
from deckgen.model.laidout import (
    Badge,
    Box,
    CodeFrame,
    EmbedFrame,
    Frame,
    FrameRole,
    HandoutStyle,
    LaidDeck,
    Page,
    Para,
    ParaKind,
    PictureFrame,
    PlaceholderFrame,
    PptxLayout,
    QrFrame,
    Stroke,
    TableFrame,
    TextFrame,
)
from deckgen.theme.contrast import contrast_ratio, relative_luminance
from deckgen.theme.schema import Theme
from deckgen.visitor import FrameVisitor

TABLE_BORDER = 0.75  # points: a table's cell borders
PLACEHOLDER_INSET = 7.2
PLACEHOLDER_BORDER = 1.5  # points, dashed
PLACEHOLDER_GAP = 4.0  # points between a placeholder's reason and its URL
PLACEHOLDER_SPACING = 1.2  # line height, a multiple of the font size
BADGE_FILL = "FFFFFF"
BADGE_STROKE = Stroke("CC0000", 3.0)
BADGE_MIN = 12.0  # points: the smallest play badge beside a placeholder's text
HANDOUT_FRAME = "999999"  # the line around each slide on a handout
HANDOUT_RULE = "BBBBBB"  # a handout's ruled lines for notes
QR_LIGHT = "FFFFFF"  # a QR code's light modules on a dark page
QR_DARK = "000000"  # its dark modules on a light page whose text colour is too faint for a camera
QR_CONTRAST = 4.5  # the least contrast of a QR code's dark and light


def style_deck(deck: LaidDeck, theme: Theme, measure: Measurer) -> LaidDeck:
    """The deck with every frame's style filled in, every page's background and PowerPoint
    layout, and its handout's colours."""
    styler = _Styler(theme, measure)
    return replace(deck, pages=tuple(styler.page(p) for p in deck.pages), handout=handout_style(theme))


def handout_style(theme: Theme) -> HandoutStyle:
    """The colours a handout adds around its slides: grey frames and rules, the notes in the
    text colour, the margins' title, date and page number muted."""
    c = theme.colors
    return HandoutStyle(frame=HANDOUT_FRAME, rule=HANDOUT_RULE, notes=c.text, margin=c.muted)


def para_color(theme: Theme, kind: ParaKind, role: FrameRole) -> str:
    """A paragraph's text colour (``RRGGBB``) by its kind and its frame's role."""
    c = theme.colors
    if role == "title" or kind in ("heading", "title"):
        return c.heading
    if kind == "meta" or role in ("footer", "number"):
        return c.muted
    return c.text


def pptx_layout(page: Page) -> PptxLayout:
    """The PowerPoint layout a page is written on (its placeholders hold the title and body)."""
    if page.kind == "title":
        return "Title Slide"
    if page.title is None:
        # a hidden title needs the title placeholder; the body stays a text box, as without one
        return "Blank" if page.hidden_title is None else "Title Only"
    if any(isinstance(f, TextFrame) and f.role == "body" for f in page.frames):
        return "Title and Content"
    return "Title Only"


class _Styler(FrameVisitor[Frame]):
    def __init__(self, theme: Theme, measure: Measurer) -> None:
        self.theme = theme
        self.measure = measure
        self.colors = theme.colors

    def page(self, page: Page) -> Page:
        title = self.text(page.title) if page.title is not None else None
        if title is not None and page.kind == "title" and self.theme.title_style == "band":
            title = self.band(title)
        hidden = self.text(page.hidden_title) if page.hidden_title is not None else None
        frames = tuple(self.visit(f) for f in page.frames)
        styled = replace(page, title=title, hidden_title=hidden, frames=frames, background=self.colors.background)
        return replace(styled, pptx_layout=pptx_layout(styled))

    def band(self, frame: TextFrame) -> TextFrame:
        """The title page's title on a band of the accent, in the background's colour."""
        on_band = self.colors.background
        paras = tuple(
            replace(p, runs=tuple(r if r.is_break else replace(r, color=on_band) for r in p.runs))
            for p in frame.paras
        )
        return replace(frame, paras=paras, fill=self.colors.accent)

    def text(self, frame: TextFrame) -> TextFrame:
        color = self.colors.heading if frame.role == "title" else self.colors.text
        paras = tuple(self.para(p, frame.role) for p in frame.paras)
        return replace(frame, paras=paras, color=color, link_color=self.colors.link)

    def para(self, para: Para, role: FrameRole) -> Para:
        return replace(para, color=para_color(self.theme, para.kind, role))

    def code(self, frame: CodeFrame) -> CodeFrame:
        """The code's fill and text colour, each token in the code style's colour for its class."""
        from deckgen.highlight import token_colors  # Pygments: only a deck with code loads it

        c = self.colors
        tokens = token_colors(self.theme.code_style)
        lines = tuple(tuple(replace(r, color=tokens.get(r.token)) for r in line) for line in frame.lines)
        return replace(frame, lines=lines, insets=(CODE_INSET,) * 4, fill=c.code_background, color=c.code_text)

    def table(self, frame: TableFrame) -> TableFrame:
        c = self.colors
        fills: list[str | None] = []
        texts: list[str | None] = []
        links: list[str | None] = []
        for r in range(len(frame.rows)):
            if r < frame.header_rows:
                fills.append(c.accent)
                texts.append(c.background)
                links.append(c.background)  # a link in a header reads on the accent
            else:
                fills.append(c.code_background if r % 2 else c.background)
                texts.append(c.text)
                links.append(c.link)
        return replace(
            frame,
            cell_insets=(CELL_INSET,) * 4,
            border=Stroke(c.muted, TABLE_BORDER),
            row_fills=tuple(fills),
            row_colors=tuple(texts),
            row_link_colors=tuple(links),
        )

    def badge(self, box: Box) -> Badge:
        return Badge(box, BADGE_FILL, BADGE_STROKE)

    def picture(self, frame: PictureFrame) -> PictureFrame:
        if frame.play_badge is None:
            return frame
        return replace(frame, play_badge=self.badge(frame.play_badge.box))

    def placeholder(self, frame: PlaceholderFrame) -> PlaceholderFrame:
        c = self.colors
        return replace(
            frame,
            insets=(PLACEHOLDER_INSET,) * 4,
            fill=c.code_background,
            border=Stroke(c.muted, PLACEHOLDER_BORDER, dash=True),
            color=c.text,
            link_color=c.link,
            gap=PLACEHOLDER_GAP,
            line_spacing=PLACEHOLDER_SPACING,
        )

    def qr(self, frame: QrFrame) -> QrFrame:
        """A QR code reads dark on light. On a light page its dark modules are painted in the
        text colour (black when that is too faint); on a dark page its light modules and
        quiet zone are painted white, and the page's own colour is the code's dark."""
        from deckgen.qr import module_runs  # a deck without a code does not load it

        c = self.colors
        label = self.text(frame.label)
        if relative_luminance(c.background) >= relative_luminance(c.text):
            dark = c.text if contrast_ratio(c.text, c.background) >= QR_CONTRAST else QR_DARK
            return replace(frame, label=label, runs=tuple(module_runs(frame.modules, True)), color=dark)
        return replace(frame, label=label, runs=tuple(module_runs(frame.modules, False)), color=QR_LIGHT)

    def embed(self, frame: EmbedFrame) -> EmbedFrame:
        fallback = frame.fallback
        match fallback:
            case PictureFrame():
                styled: PictureFrame | PlaceholderFrame = self.picture(fallback)
                play = frame.play.box
            case PlaceholderFrame():
                styled = self.placeholder(fallback)
                play = self.beside_text(styled, frame.play.box)
            case _:
                unknown_kind(fallback, "the style pass")
        return replace(frame, fallback=styled, play=self.badge(play))

    def text_height(self, frame: PlaceholderFrame) -> float:
        """The height of a placeholder's reason and URL, as both decks wrap them."""
        left, _top, right, _bottom = frame.insets
        width = max(1.0, frame.box.w - left - right)
        line = frame.size * frame.line_spacing
        reason = count_lines(self.measure, (Run(frame.reason, bold=True),), width, frame.size)
        url = count_lines(self.measure, (Run(frame.shown_url or frame.url),), width, frame.size)
        return (reason + url) * line + frame.gap

    def beside_text(self, frame: PlaceholderFrame, play: Box) -> Box:
        """Where a play button sits on a placeholder without covering its text: centred in the
        space above the (vertically centred) text, as large as it fits up to ``play``'s side."""
        box = frame.box
        _left, top, _right, bottom = frame.insets
        free = (box.h - top - bottom - self.text_height(frame)) / 2  # above the text, inside the insets
        side = min(play.w, free - 4.0)
        if side >= BADGE_MIN:
            return Box(box.x + (box.w - side) / 2, box.y + top + (free - side) / 2, side, side)
        # no room above the text: a small badge in the top left corner, on the border
        side = BADGE_MIN
        return Box(box.x + 2.0, box.y + 2.0, side, side)
