"""The PDF writer: a ``LaidDeck`` into a tagged PDF (PDF/UA-1) with fpdf2, one page per slide.

It decides nothing: every box, font size, color and page break comes from the layout (the
colours from its style pass, which leaves no text without one: a missing one is a bug).
Text is real text in the fonts the layout measured with (embedded, subset), broken into
lines by the measurer's own rules (:func:`deckgen.measure.wrap_runs`); links are link
annotations; pictures are the renditions the layout chose, passed through undecoded
(:mod:`pdfimages`). The same drawing serves the handouts, which place each slide scaled on
paper (:mod:`deckgen.writers.handout`).

While it draws, it says what each thing is (:mod:`pdftags`), in reading order::

  Document
    Sect (one per slide)
      H1 (the title page's title) | H2 (a slide's title)
      P (body, subtitle, meta), H3 (a heading in a slide), BlockQuote > P
      L (/ListNumbering) > LI > Lbl (the bullet or number) + LBody (a nested L inside it)
      Table > TR > TH (/Scope /Column in header rows, /Row for a body row's header) | TD
      Figure (/Alt, /BBox), inside a Link (with its annotation) when the picture links
      P > Code (a code frame)
      Link (its text and an /OBJR per annotation, each with /Contents)
      Span /Lang (text in another language than the document's)

Artifacts: the page background, fills, borders, underlines, play badges, the theme's logo,
the footer and the slide number (/Pagination). Also: /Lang, the title shown in the window
(DisplayDocTitle), XMP with ``pdfuaid:part`` 1, an outline entry per slide, /Tabs /S. What
the model does not say yet (languages, a picture's description) comes from
:mod:`pdfaccess`.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from deckgen.errors import InternalError
from deckgen.model.document import Run
from deckgen.model.laidout import (
    Box,
    Bullet,
    CodeFrame,
    LaidDeck,
    Page,
    Para,
    PictureFrame,
    PlaceholderFrame,
    TableFrame,
    TextFrame,
    mark_text,
)
from deckgen.visitor import FrameVisitor
from deckgen.writers import pdfimages
from deckgen.writers.pdfaccess import (
    DeckText,
    deck_language,
    header_rows,
    is_decoration,
    page_label,
    page_title,
    picture_alt,
)
from deckgen.writers.pdfcanvas import DESCENT, Canvas, Place, needs_space, new_fpdf, rstrip_line
from deckgen.writers.pdftags import Elem, attrs, xmp

_LIST_NUMBERING = {True: "/Disc", False: "/Decimal"}


def deck_chars(deck: LaidDeck, extra: Iterable[str] = ()) -> str:
    """Every character the PDF may draw (to cut the CJK font down to)."""
    seen: set[str] = set(deck.meta.title) | set(deck.meta.date)
    chars = DeckText()
    for page in deck.pages:
        seen |= set(page.notes)
        if page.title is not None:
            seen |= set(chars.text(page.title))
        for frame in page.frames:
            seen |= set(chars.visit(frame))
    for text in extra:
        seen |= set(text)
    return "".join(sorted(c for c in seen if ord(c) >= 0x20))


class _Lists:
    """The open lists of a text frame: (level, the /L, the /LBody of its last item)."""

    def __init__(self) -> None:
        self.open: list[tuple[int, Elem, Elem | None]] = []
        self.quote: Elem | None = None


class PdfWriter(Canvas, FrameVisitor[None]):
    """Draws laid-out pages; ``write`` makes the slide PDF, the handout module uses ``draw_slide``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._page = Page("content", ())  # the page being drawn, its number and its /Sect
        self._number = 0
        self._sect: Elem | None = None

    # -- document ---------------------------------------------------------------
    def new_document(self, deck: LaidDeck, chars: str, width: float, height: float) -> Any:
        pdf = new_fpdf(width, height)
        from fpdf.prefs import ViewerPreferences

        pdf.set_auto_page_break(False)
        pdf.set_margin(0)
        pdf.set_compression(True)
        meta = deck.meta
        title = meta.title or (page_label(deck.pages[0], 1) if deck.pages else "Slides")
        lang = deck_language(deck)
        pdf.set_title(title)
        pdf.set_author(", ".join(meta.authors))
        pdf.set_subject(", ".join(meta.category))
        pdf.set_keywords(", ".join(meta.tags))
        pdf.set_creator("deckgen")
        pdf.set_creation_date(self.created)  # the deck's date, not the clock's: the same bytes every build
        pdf.set_lang(lang)
        pdf.viewer_preferences = ViewerPreferences(display_doc_title=True)
        pdf.set_xmp_metadata(xmp(title, meta.authors, lang, str(getattr(pdf, "producer", "") or "fpdf2")))
        self.start(pdf, chars, meta.site_url, lang)
        return pdf

    def write(self, deck: LaidDeck, target: Path | IO[bytes]) -> None:
        pdf = self.new_document(deck, deck_chars(deck), deck.width, deck.height)
        for number, page in enumerate(deck.pages, start=1):
            pdf.add_page()
            pdf.start_section(page_label(page, number))  # the slide's outline entry
            self.draw_slide(page, number, deck.width, deck.height, Place())
        data = self.output()
        if isinstance(target, Path):
            target.write_bytes(data)
        else:
            target.write(data)

    # -- pages -------------------------------------------------------------------
    def draw_slide(self, page: Page, number: int, width: float, height: float, at: Place) -> Elem:
        """The page at ``at``, as a /Sect of the structure tree."""
        self.at = at
        self._page, self._number = page, number
        self._sect = self.tags.elem("Sect")
        self.rect(Box(0, 0, width, height), page.background)
        if page.title is not None:
            self.text(page.title)
        elif page.hidden_title is not None:  # a heading for readers and the outline, not drawn
            from fpdf.enums import TextMode

            with self.pdf.local_context(text_mode=TextMode.INVISIBLE):  # where the layout put it: above the page
                self.text(page.hidden_title)
        for frame in page.frames:
            self.visit(frame)
        self.tags.close()
        return self._sect

    # -- text ----------------------------------------------------------------------
    def _para_elem(self, frame: TextFrame, para: Para, lists: _Lists) -> tuple[Elem, Elem]:
        """The elements a paragraph's bullet and text go into (and its list or quote scaffolding)."""
        tags, sect = self.tags, self._sect
        if frame.role == "title" or para.kind == "title":
            heading = tags.elem("H1" if self._page.kind == "title" else "H2", sect)
            return heading, heading
        if para.bullet is not None:
            lists.quote = None
            while lists.open and lists.open[-1][0] > para.level:
                lists.open.pop()
            if not lists.open or lists.open[-1][0] < para.level:
                holder = lists.open[-1][2] if lists.open and lists.open[-1][2] is not None else sect
                numbering = _LIST_NUMBERING[isinstance(para.bullet, Bullet)]
                lists.open.append((para.level, tags.elem("L", holder, attributes=attrs("List", ListNumbering=numbering)), None))
            level, lst, _ = lists.open[-1]
            item = tags.elem("LI", lst)
            label, body = tags.elem("Lbl", item), tags.elem("LBody", item)
            lists.open[-1] = (level, lst, body)
            return label, body
        if lists.open and para.level > 0 and lists.open[-1][2] is not None:  # an item's next paragraph
            p = tags.elem("P", lists.open[-1][2])
            return p, p
        lists.open.clear()
        if para.kind == "heading":
            lists.quote = None
            h = tags.elem("H3", sect)
            return h, h
        if para.kind == "quote":
            if lists.quote is None:
                lists.quote = tags.elem("BlockQuote", sect)
            p = tags.elem("P", lists.quote)
            return p, p
        lists.quote = None
        p = tags.elem("P", sect)
        return p, p

    def text(self, frame: TextFrame) -> None:
        if frame.role in ("footer", "number"):  # the same on every slide: pagination artifacts
            with self.tags.artifact("Pagination", "Footer"):
                self._text(frame, None)
            return
        self._text(frame, _Lists())

    def _text(self, frame: TextFrame, lists: _Lists | None) -> None:
        """Draw a text frame; its paragraphs tagged unless ``lists`` is None (an artifact)."""
        if frame.fill:
            self.rect(frame.box, frame.fill)
        left, top, right, _bottom = frame.insets
        y = frame.box.y + top
        inner = frame.box.w - left - right
        heading: Elem | None = None
        for i, para in enumerate(frame.paras):
            if i:
                y += para.space_before
            color = _styled(para.color or frame.color, "a paragraph")
            width = inner - para.indent
            line_h = para.size * frame.line_spacing
            label: Elem | None = None
            body: Elem | None = None
            if lists is not None:
                if frame.role == "title" and heading is not None:
                    label = body = heading  # a title's paragraphs are one heading
                else:
                    label, body = self._para_elem(frame, para, lists)
                    heading = body if frame.role == "title" else None
            self._link = None
            lines = self.wrap(para.runs, width, para.size, False)
            for n, line in enumerate(lines):
                baseline = y + line_h - DESCENT * para.size
                x0 = frame.box.x + left + para.indent
                if body is not None and n + 1 < len(lines) and needs_space(line, lines[n + 1]):
                    line = [*line, Run(" ")]  # invisible: the words of two lines stay two words
                if n == 0 and para.bullet is not None:
                    mark = mark_text(para.bullet)
                    self.set_font(Run(mark), False, False, para.size)
                    self.pdf.set_text_color(*self.rgb(color))
                    if label is not None:
                        self.tags.mark(label)
                    self.pdf.text(self.x(x0 - para.hang), self.y(baseline), mark)
                if para.align != "left":
                    trimmed = rstrip_line(line)
                    w = self.line_width(trimmed, para.size, False) / self.at.scale
                    x0 += (width - w) / (2 if para.align == "center" else 1)
                    line = trimmed
                self.draw_line(line, self.x(x0), self.y(baseline), para.size, color, body, False, frame.link_color)
                y += line_h
        self.tags.close()

    def code(self, frame: CodeFrame) -> None:
        self.rect(frame.box, frame.fill)
        code = self.tags.elem("Code", self.tags.elem("P", self._sect))
        self._link = None
        left, top, right, _bottom = frame.insets
        inner = frame.box.w - left - right
        line_h = frame.size * frame.line_spacing
        y = frame.box.y + top
        color = _styled(frame.color, "a code frame")
        for source_line in frame.lines:
            pieces = self.wrap(source_line, inner, frame.size, True) if source_line else [[]]
            for n, line in enumerate(pieces):
                if y + line_h > frame.box.bottom + 0.5:
                    break  # the layout never overflows a code frame; stop short of it if it did
                if n + 1 == len(pieces) and line:
                    line = [*line, Run(" ", code=True)]  # invisible: a space between the source lines
                baseline = y + line_h - DESCENT * frame.size
                self.draw_line(line, self.x(frame.box.x + left), self.y(baseline), frame.size, color, code, True)
                y += line_h
        self.tags.close()

    def table(self, frame: TableFrame) -> None:
        tags = self.tags
        left, top, right, _bottom = frame.cell_insets
        xs = [frame.box.x]
        for w in frame.col_widths:
            xs.append(xs[-1] + w)
        ys = [frame.box.y]
        for h in frame.row_heights:
            ys.append(ys[-1] + h)
        line_h = frame.size * frame.line_spacing
        table = tags.elem("Table", self._sect, attributes=attrs("Layout", BBox=self.bbox(frame.box)))
        rows: dict[int, Elem] = {}
        headers = header_rows(frame)
        for placed in frame.grid_cells():
            r, c = placed.row, placed.col
            fill, color, link_color = frame.row_style(r)
            text = _styled(color, "a table row")
            box = Box(xs[c], ys[r], xs[placed.last_col + 1] - xs[c], ys[placed.last_row + 1] - ys[r])
            border = frame.border
            self.rect(box, fill, border.color if border else None, border.width if border else 0.75)
            if r not in rows:
                rows[r] = tags.elem("TR", table)
            spans: dict[str, str] = {}
            if placed.last_row > r:
                spans["RowSpan"] = str(placed.last_row - r + 1)
            if placed.last_col > c:
                spans["ColSpan"] = str(placed.last_col - c + 1)
            if r < headers:
                cell = tags.elem("TH", rows[r], attributes=attrs("Table", Scope="/Column", **spans))
            elif placed.cell.header:
                cell = tags.elem("TH", rows[r], attributes=attrs("Table", Scope="/Row", **spans))
            else:
                cell = tags.elem("TD", rows[r], attributes=attrs("Table", **spans) if spans else None)
            self._link = None
            y = box.y + top
            for line in self.wrap(placed.cell.shown_runs, box.w - left - right, frame.size, False):
                baseline = y + line_h - DESCENT * frame.size
                self.draw_line(line, self.x(box.x + left), self.y(baseline), frame.size, text, cell, False, link_color)
                y += line_h
            tags.close()

    def picture(self, frame: PictureFrame) -> None:
        asset = frame.asset
        if asset.path is None or frame.box.w <= 0 or frame.box.h <= 0:
            return
        tags, pdf = self.tags, self.pdf
        pdfimages.prime(pdf, asset.path, self.cache_dir / "pdf-images")
        x, y, w, h = self.x(frame.box.x), self.y(frame.box.y), self.d(frame.box.w), self.d(frame.box.h)
        if is_decoration(frame):
            with tags.artifact():
                pdf.image(str(asset.path), x, y, w, h)
            return
        link = self._links.absolute(frame.link) if frame.link else None
        holder = tags.elem("Link", self._sect) if link else None
        alt = picture_alt(frame, page_title(self._page), self._number)
        box = attrs("Layout", BBox=self.bbox(frame.box))
        figure = tags.elem("Figure", holder or self._sect, alt=alt, attributes=box)
        tags.mark(figure)
        pdf.image(str(asset.path), x, y, w, h)
        tags.close()
        if link and holder is not None:
            tags.link(holder, x, y, w, h, link, f"{alt} ({link})")
        badge = frame.play_badge.box if frame.play_badge is not None else None
        if frame.play_badge is None or badge is None or badge.w <= 0 or badge.h <= 0:
            return
        stroke = frame.play_badge.stroke
        with tags.artifact():
            pdf.set_fill_color(*self.rgb(_styled(frame.play_badge.fill, "a play badge")))
            if stroke is not None:
                pdf.set_draw_color(*self.rgb(stroke.color))
                pdf.set_line_width(self.d(stroke.width))
            points = [
                (self.x(badge.x), self.y(badge.y)),
                (self.x(badge.x), self.y(badge.bottom)),
                (self.x(badge.right), self.y(badge.y + badge.h / 2)),
            ]
            pdf.polygon(points, style="DF" if stroke is not None else "F")

    def placeholder(self, frame: PlaceholderFrame) -> None:
        pdf, tags = self.pdf, self.tags
        border = frame.border
        if border is None:
            self.rect(frame.box, frame.fill)
        else:
            if border.dash:
                pdf.set_dash_pattern(dash=self.d(4 * border.width), gap=self.d(border.width * 8 / 3))
            self.rect(frame.box, frame.fill, border.color, border.width)
            pdf.set_dash_pattern()
        left, top, right, _bottom = frame.insets
        inner = frame.box.w - left - right
        size = frame.size
        line_h = size * frame.line_spacing
        reason = self.wrap([Run(frame.reason, bold=True)], inner, size, False)
        url = self.wrap([Run(frame.shown_url or frame.url, link=frame.link or None)], inner, size, False)
        total = (len(reason) + len(url)) * line_h + frame.gap
        y = frame.box.y + max(top, (frame.box.h - total) / 2)
        text, link = _styled(frame.color, "a placeholder"), _styled(frame.link_color, "a placeholder's link")
        for group, color, gap in ((reason, text, 0.0), (url, link, frame.gap)):
            y += gap
            para, self._link = tags.elem("P", self._sect), None
            for line in group:
                if y + line_h > frame.box.bottom:
                    break
                line = rstrip_line(line)
                w = self.line_width(line, size, False) / self.at.scale
                x0 = frame.box.x + left + max(0.0, (inner - w) / 2)
                self.draw_line(line, self.x(x0), self.y(y + line_h - DESCENT * size), size, color, para, False, color)
                y += line_h
            tags.close()


def _styled(color: str | None, what: str) -> str:
    """A colour the style pass set (it sets every one: None here is a bug, not black)."""
    if color is None:
        raise InternalError(f"internal error: {what} reached the PDF writer without a colour", hint="a bug in deckgen")
    return color


__all__ = ["DESCENT", "PdfWriter", "Place", "deck_chars"]
