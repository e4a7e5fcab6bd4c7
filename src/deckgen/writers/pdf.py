"""The PDF writer: a ``LaidDeck`` into a PDF with fpdf2, one page per slide.

It decides nothing: every box, font size, color and page break comes from the layout (the
colours from its style pass, which leaves no text without one: a missing one is a bug).
Text is real text in the fonts the layout measured with (embedded, subset), broken into
lines by the measurer's own rules (:func:`deckgen.measure.wrap_runs`); links are link
annotations; pictures are the renditions the layout chose. The same drawing serves the
handouts, which place each slide scaled on paper (:mod:`deckgen.writers.handout`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from deckgen.dates import NO_DATE
from deckgen.errors import InternalError
from deckgen.measure import Measurer, is_wide, wrap_runs
from deckgen.model.document import Run
from deckgen.model.laidout import (
    Box,
    CodeFrame,
    LaidDeck,
    Page,
    PictureFrame,
    PlaceholderFrame,
    TableFrame,
    TextFrame,
    mark_text,
)
from deckgen.theme.schema import Theme
from deckgen.urlpolicy import UrlPolicy
from deckgen.visitor import FrameVisitor
from deckgen.writers.pdffonts import FontSet, cjk_subset, font_set

# where a line's baseline sits in its line box, as a fraction of the font size from the box's
# bottom: about the font's descent (Liberation Sans: 0.21 em), where LibreOffice
# places text in an exactly spaced line
DESCENT = 0.2


@dataclass(frozen=True)
class Place:
    """Where a slide is drawn: its top-left corner on the sheet and its scale."""

    x: float = 0.0
    y: float = 0.0
    scale: float = 1.0


def deck_chars(deck: LaidDeck, extra: Iterable[str] = ()) -> str:
    """Every character the PDF may draw (to cut the CJK font down to)."""
    seen: set[str] = set(deck.meta.title) | set(deck.meta.date)
    chars = _Chars()
    for page in deck.pages:
        seen |= set(page.notes)
        if page.title is not None:
            seen |= set(chars.text(page.title))
        for frame in page.frames:
            seen |= set(chars.visit(frame))
    for text in extra:
        seen |= set(text)
    return "".join(sorted(c for c in seen if ord(c) >= 0x20))


class _Chars(FrameVisitor[str]):
    """The text a frame shows."""

    def text(self, frame: TextFrame) -> str:
        return "".join(mark_text(p.bullet) + "".join(r.text for r in p.runs) for p in frame.paras)

    def code(self, frame: CodeFrame) -> str:
        return "".join(r.text for line in frame.lines for r in line)

    def table(self, frame: TableFrame) -> str:
        return "".join(r.text for row in frame.rows for cell in row for r in cell.runs)

    def picture(self, frame: PictureFrame) -> str:
        return ""

    def placeholder(self, frame: PlaceholderFrame) -> str:
        return frame.reason + (frame.shown_url or frame.url)


class PdfWriter(FrameVisitor[None]):
    """Draws laid-out pages; ``write`` makes the slide PDF, the handout module uses ``draw_page``."""

    def __init__(
        self, theme: Theme, measurer: Measurer, cache_dir: Path, fonts: FontSet | None = None, safety: float = 1.0,
        created: dt.datetime = NO_DATE,  # the PDF's CreationDate (and so its /ID): the deck's date, not the clock's
    ) -> None:
        self.theme = theme
        self.created = created
        self.measurer = measurer
        self.cache_dir = cache_dir
        self.fonts = fonts or font_set(theme)
        self.safety = safety
        self.pdf: Any = None
        self._latin_cmap: frozenset[int] = frozenset()
        self._mono_cmap: frozenset[int] = frozenset()
        self._links = UrlPolicy()

    # -- document ---------------------------------------------------------------
    def new_document(self, deck: LaidDeck, chars: str, width: float, height: float) -> Any:
        from fpdf import FPDF

        pdf = FPDF(unit="pt", format=(width, height))
        pdf.set_auto_page_break(False)
        pdf.set_margin(0)
        pdf.set_compression(True)
        meta = deck.meta
        pdf.set_title(meta.title)
        pdf.set_author(", ".join(meta.authors))
        pdf.set_subject(", ".join(meta.category))
        pdf.set_keywords(", ".join(meta.tags))
        pdf.set_creator("deckgen")
        pdf.set_creation_date(self.created)
        self._links = UrlPolicy(meta.site_url)
        pdf.set_lang("zh-TW" if any(is_wide(c) for c in chars) else "en")
        self._wide = "".join(c for c in chars if ord(c) > 0x7E) or "中"
        self._added: set[tuple[str, str]] = set()
        self.pdf = pdf
        # fonts are added when first used (each embedded one costs its subsetting)
        self._latin_cmap = _cmap(self.fonts.latin[""])
        self._mono_cmap = _cmap(self.fonts.mono[""])
        return pdf

    def _use(self, family: str, style: str) -> str:
        """Add the font for (family, style) to the document if it is not there yet; its key."""
        if (family, style) not in self._added:
            f = self.fonts
            if family == "cjk":
                path, face = f.cjk[style]
                fname = cjk_subset(path, face, self._wide, self.cache_dir / "fonts")
            else:
                fname = (f.latin if family == "latin" else f.mono)[style]
            self.pdf.add_font(family, style, str(fname))
            self._added.add((family, style))
        return family

    def write(self, deck: LaidDeck, target: Path | IO[bytes]) -> None:
        pdf = self.new_document(deck, deck_chars(deck), deck.width, deck.height)
        for page in deck.pages:
            pdf.add_page()
            self.draw_page(page, deck.width, deck.height, Place())
        data = bytes(pdf.output())
        if isinstance(target, Path):
            target.write_bytes(data)
        else:
            target.write(data)

    # -- geometry ------------------------------------------------------------------
    def _x(self, x: float) -> float:
        return self.at.x + x * self.at.scale

    def _y(self, y: float) -> float:
        return self.at.y + y * self.at.scale

    def _d(self, d: float) -> float:
        return d * self.at.scale

    def _color(self, hex6: str) -> tuple[int, int, int]:
        return int(hex6[0:2], 16), int(hex6[2:4], 16), int(hex6[4:6], 16)

    def _rect(self, box: Box, fill: str | None, line: str | None = None, width: float = 0.75) -> None:
        pdf = self.pdf
        style = ""
        if fill:
            pdf.set_fill_color(*self._color(fill))
            style += "F"
        if line:
            pdf.set_draw_color(*self._color(line))
            pdf.set_line_width(self._d(width))
            style = "DF" if fill else "D"
        if style:
            pdf.rect(self._x(box.x), self._y(box.y), self._d(box.w), self._d(box.h), style=style)

    # -- pages -------------------------------------------------------------------
    def draw_page(self, page: Page, width: float, height: float, at: Place) -> None:
        self.at = at
        self._rect(Box(0, 0, width, height), page.background)
        if page.title is not None:
            self.text(page.title)
        for frame in page.frames:
            self.visit(frame)

    # -- text ----------------------------------------------------------------------
    def _segments(self, text: str, mono: bool) -> list[tuple[str, bool]]:
        """Cut text where the font changes: (text, in the CJK font)."""
        cmap = self._mono_cmap if mono else self._latin_cmap
        out: list[tuple[str, bool]] = []
        for ch in text:
            cjk = is_wide(ch) or (bool(cmap) and ord(ch) not in cmap and ord(ch) > 0x7E)
            if out and out[-1][1] == cjk:
                out[-1] = (out[-1][0] + ch, cjk)
            else:
                out.append((ch, cjk))
        return out

    def _set_font(self, run: Run, cjk: bool, mono: bool, size: float) -> None:
        style = ("B" if run.bold else "") + ("I" if run.italic else "")
        if cjk:
            family, style = "cjk", ("B" if run.bold else "")
        elif mono:
            family = "mono"
            if style not in self.fonts.mono:
                style = "B" if run.bold and "B" in self.fonts.mono else ""
        else:
            family = "latin"
            if style not in self.fonts.latin:
                style = "B" if run.bold and "B" in self.fonts.latin else ""
        self._use(family, style)
        self.pdf.set_font(family, style, self._d(size))

    def _line_width(self, line: list[Run], size: float, mono: bool) -> float:
        total = 0.0
        for run in line:
            for text, cjk in self._segments(run.text, mono or run.code):
                self._set_font(run, cjk, mono or run.code, size)
                total += self.pdf.get_string_width(text)
        return total

    def _draw_line(
        self,
        line: list[Run],
        x: float,
        baseline: float,
        size: float,
        color: str,
        mono: bool = False,
        link_color: str | None = None,
    ) -> float:
        """Draw one line at sheet coordinates in ``color`` (a run's own colour wins, a link is
        in ``link_color`` when there is one); returns the x after it."""
        pdf = self.pdf
        for run in line:
            use = run.color or (link_color if run.link and link_color else color)
            pdf.set_text_color(*self._color(use))
            start = x
            for text, cjk in self._segments(run.text, mono or run.code):
                self._set_font(run, cjk, mono or run.code, size)
                pdf.text(x, baseline, text)
                x += pdf.get_string_width(text)
            drawn = x - start
            if run.link or run.strike:
                pdf.set_draw_color(*self._color(use))
                pdf.set_line_width(self._d(size) * 0.06)
            if run.link and run.text.strip():
                trail = run.text[len(run.text.rstrip()) :]
                w = drawn - (pdf.get_string_width(trail) if trail else 0.0)  # no underline under end spaces
                under = baseline + self._d(size) * 0.12
                pdf.line(start, under, start + w, under)
                target = self._links.absolute(run.link)  # a site path needs the site's address
                if target:
                    pdf.link(start, baseline - self._d(size) * 0.9, drawn, self._d(size) * 1.1, target)
            if run.strike and run.text.strip():
                mid = baseline - self._d(size) * 0.3
                pdf.line(start, mid, x, mid)
        return x

    def _paragraph_lines(
        self,
        runs: tuple[Run, ...] | list[Run],
        width: float,
        size: float,
        mono: bool,
    ) -> list[list[Run]]:
        return wrap_runs(self.measurer, runs, width, size, mono, safety=self.safety)

    def text(self, frame: TextFrame) -> None:
        if frame.fill:
            self._rect(frame.box, frame.fill)
        left, top, right, _bottom = frame.insets
        y = frame.box.y + top
        inner = frame.box.w - left - right
        for i, para in enumerate(frame.paras):
            if i:
                y += para.space_before
            color = _styled(para.color or frame.color, "a paragraph")
            width = inner - para.indent
            line_h = para.size * frame.line_spacing
            lines = self._paragraph_lines(para.runs, width, para.size, False)
            for n, line in enumerate(lines):
                baseline = y + line_h - DESCENT * para.size
                x0 = frame.box.x + left + para.indent
                if n == 0 and para.bullet is not None:
                    mark = mark_text(para.bullet)
                    self.pdf.set_text_color(*self._color(color))
                    self._set_font(Run(mark), False, False, para.size)
                    self.pdf.text(self._x(x0 - para.hang), self._y(baseline), mark)
                if para.align != "left":
                    trimmed = _rstrip_line(line)
                    w = self._line_width(trimmed, para.size, False) / self.at.scale
                    x0 += (width - w) / (2 if para.align == "center" else 1)
                    line = trimmed
                self._draw_line(line, self._x(x0), self._y(baseline), para.size, color, False, frame.link_color)
                y += line_h

    def code(self, frame: CodeFrame) -> None:
        left, top, right, _bottom = frame.insets
        self._rect(frame.box, frame.fill)
        inner = frame.box.w - left - right
        line_h = frame.size * frame.line_spacing
        y = frame.box.y + top
        color = _styled(frame.color, "a code frame")
        for source_line in frame.lines:
            pieces = self._paragraph_lines(source_line, inner, frame.size, True) if source_line else [[]]
            for line in pieces:
                if y + line_h > frame.box.bottom + 0.5:
                    return  # the layout never overflows a code frame; stop short of it if it did
                baseline = y + line_h - DESCENT * frame.size
                self._draw_line(line, self._x(frame.box.x + left), self._y(baseline), frame.size, color, True)
                y += line_h

    def table(self, frame: TableFrame) -> None:
        left, top, right, _bottom = frame.cell_insets
        border = frame.border
        xs = [frame.box.x]
        for w in frame.col_widths:
            xs.append(xs[-1] + w)
        ys = [frame.box.y]
        for h in frame.row_heights:
            ys.append(ys[-1] + h)
        line_h = frame.size * frame.line_spacing
        for placed in frame.grid_cells():
            r, c = placed.row, placed.col
            fill, color, link_color = frame.row_style(r)
            text = _styled(color, "a table row")
            box = Box(xs[c], ys[r], xs[placed.last_col + 1] - xs[c], ys[placed.last_row + 1] - ys[r])
            if border is not None:
                self._rect(box, fill, border.color, border.width)
            else:
                self._rect(box, fill)
            y = box.y + top
            for line in self._paragraph_lines(placed.cell.shown_runs, box.w - left - right, frame.size, False):
                baseline = y + line_h - DESCENT * frame.size
                self._draw_line(line, self._x(box.x + left), self._y(baseline), frame.size, text, False, link_color)
                y += line_h

    def picture(self, frame: PictureFrame) -> None:
        asset = frame.asset
        if asset.path is None or frame.box.w <= 0 or frame.box.h <= 0:
            return
        pdf = self.pdf
        x, y, w, h = self._x(frame.box.x), self._y(frame.box.y), self._d(frame.box.w), self._d(frame.box.h)
        pdf.image(str(asset.path), x, y, w, h, alt_text=frame.alt or None)
        link = self._links.absolute(frame.link) if frame.link else None
        if link:
            pdf.link(x, y, w, h, link)
        if frame.play_badge is None:
            return
        badge = frame.play_badge.box
        if badge.w > 0 and badge.h > 0:
            stroke = frame.play_badge.stroke
            pdf.set_fill_color(*self._color(_styled(frame.play_badge.fill, "a play badge")))
            if stroke is not None:
                pdf.set_draw_color(*self._color(stroke.color))
                pdf.set_line_width(self._d(stroke.width))
            points = [
                (self._x(badge.x), self._y(badge.y)),
                (self._x(badge.x), self._y(badge.bottom)),
                (self._x(badge.right), self._y(badge.y + badge.h / 2)),
            ]
            pdf.polygon(points, style="DF" if stroke is not None else "F")

    def placeholder(self, frame: PlaceholderFrame) -> None:
        pdf = self.pdf
        border = frame.border
        if border is None:
            self._rect(frame.box, frame.fill)
        else:
            if border.dash:
                pdf.set_dash_pattern(dash=self._d(4 * border.width), gap=self._d(border.width * 8 / 3))
            self._rect(frame.box, frame.fill, border.color, border.width)
            pdf.set_dash_pattern()
        left, top, right, _bottom = frame.insets
        inner = frame.box.w - left - right
        size = frame.size
        line_h = size * frame.line_spacing
        reason = self._paragraph_lines([Run(frame.reason, bold=True)], inner, size, False)
        url = self._paragraph_lines([Run(frame.shown_url or frame.url, link=frame.link or None)], inner, size, False)
        total = (len(reason) + len(url)) * line_h + frame.gap
        y = frame.box.y + max(top, (frame.box.h - total) / 2)
        text, link = _styled(frame.color, "a placeholder"), _styled(frame.link_color, "a placeholder's link")
        for group, color, gap in ((reason, text, 0.0), (url, link, frame.gap)):
            y += gap
            for line in group:
                if y + line_h > frame.box.bottom:
                    return
                line = _rstrip_line(line)
                w = self._line_width(line, size, False) / self.at.scale
                x0 = frame.box.x + left + max(0.0, (inner - w) / 2)
                self._draw_line(line, self._x(x0), self._y(y + line_h - DESCENT * size), size, color, False, color)
                y += line_h


def _styled(color: str | None, what: str) -> str:
    """A colour the style pass set (it sets every one: None here is a bug, not black)."""
    if color is None:
        raise InternalError(f"internal error: {what} reached the PDF writer without a colour", hint="a bug in deckgen")
    return color


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    """The characters a font file has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


def _rstrip_line(line: list[Run]) -> list[Run]:
    if not line:
        return line
    last = line[-1]
    return [*line[:-1], Run(last.text.rstrip(), last.bold, last.italic, last.strike, last.code, last.link, last.color, last.token)]


__all__ = ["PdfWriter", "Place", "deck_chars"]
