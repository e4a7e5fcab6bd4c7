"""The PDF writer's drawing surface: geometry, fonts, and a line of text drawn and tagged.

:class:`Canvas` holds one fpdf2 document and its structure tree (:mod:`pdftags`) while the
writer (:mod:`deckgen.writers.pdf`) and the handouts (:mod:`deckgen.writers.handout`) draw
on it. Every painting operation it makes is either content of a structure element
(``draw_line(..., into=elem)``) or inside an artifact (fills, borders, underlines).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from deckgen.dates import NO_DATE
from deckgen.measure import Measurer, font_segments, is_wide, wrap_runs
from deckgen.model import Box, Run
from deckgen.theme import Theme
from deckgen.urlpolicy import UrlPolicy
from deckgen.writers.pdfaccess import ENGLISH, plain, run_language
from deckgen.writers.pdffonts import FontSet, cut_font, font_set
from deckgen.writers.pdftags import Elem, Tagger

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


class Canvas:
    """Drawing on one fpdf2 document at a :class:`Place` (``new_document`` starts one)."""

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
        self.at = Place()
        self.lang = ENGLISH
        self._tags: Tagger | None = None
        self._latin_cmap: frozenset[int] = frozenset()
        self._mono_cmap: frozenset[int] = frozenset()
        self._links = UrlPolicy()
        self._chars = ""
        self._font: tuple[str, str, float] = ("", "", 0.0)
        self._wide = "中"
        self._added: set[tuple[str, str]] = set()
        self._link: tuple[Elem, Elem, str] | None = None  # the open /Link: its container, itself, its target

    @property
    def tags(self) -> Tagger:
        if self._tags is None:
            raise RuntimeError("no document: call new_document first")
        return self._tags

    def start(self, pdf: Any, chars: str, site_url: str, lang: str) -> None:
        """Draw on ``pdf`` from now on (``chars``: every character it will show)."""
        self.pdf = pdf
        self.lang = lang
        self._tags = Tagger(pdf)
        self._links = UrlPolicy(site_url)
        self._chars = chars
        self._font = ("", "", 0.0)
        self._wide = "".join(c for c in chars if ord(c) > 0x7E) or "中"
        self._added = set()
        self._link = None
        # fonts are added when first used (each embedded one costs its subsetting)
        # which of the deck's characters the Latin and code fonts have (read off their cut,
        # which holds exactly those: a few kilobytes instead of the whole font's tables)
        self._latin_cmap = _cmap(self._cut(self.fonts.latin[""]))
        self._mono_cmap = _cmap(self._cut(self.fonts.mono[""]))

    def output(self) -> bytes:
        """The finished document's bytes."""
        self.tags.close()
        for font in self.pdf.fonts.values():
            ttfont = getattr(font, "ttfont", None)
            if ttfont is not None:  # the subset keeps the font's bounding boxes: no walk of every outline
                ttfont.recalcBBoxes = False
        return bytes(self.pdf.output())

    # -- geometry ------------------------------------------------------------------
    def x(self, x: float) -> float:
        return self.at.x + x * self.at.scale

    def y(self, y: float) -> float:
        return self.at.y + y * self.at.scale

    def d(self, d: float) -> float:
        return d * self.at.scale

    @staticmethod
    def rgb(hex6: str) -> tuple[int, int, int]:
        return int(hex6[0:2], 16), int(hex6[2:4], 16), int(hex6[4:6], 16)

    def bbox(self, box: Box) -> str:
        """A box as a PDF rectangle (points, y up) on the sheet."""
        k, h = self.pdf.k, self.pdf.h_pt
        x0, y0 = self.x(box.x) * k, h - self.y(box.bottom) * k
        x1, y1 = self.x(box.right) * k, h - self.y(box.y) * k
        return f"[{x0:.2f} {y0:.2f} {x1:.2f} {y1:.2f}]"

    def rect(self, box: Box, fill: str | None, line: str | None = None, width: float = 0.75) -> None:
        """A filled and/or outlined box: decoration (an artifact)."""
        pdf = self.pdf
        style = ""
        if fill:
            pdf.set_fill_color(*self.rgb(fill))
            style += "F"
        if line:
            pdf.set_draw_color(*self.rgb(line))
            pdf.set_line_width(self.d(width))
            style = "DF" if fill else "D"
        if style:
            with self.tags.artifact():
                pdf.rect(self.x(box.x), self.y(box.y), self.d(box.w), self.d(box.h), style=style)

    # -- fonts ---------------------------------------------------------------------
    def _use(self, family: str, style: str) -> str:
        """Add the font for (family, style) to the document if it is not there yet; its key."""
        if (family, style) not in self._added:
            f = self.fonts
            if family == "cjk":
                path, face = f.cjk[style]
                fname = cut_font(path, face, self._wide, self.cache_dir / "fonts")
            else:
                fname = self._cut((f.latin if family == "latin" else f.mono)[style])
            self.pdf.add_font(family, style, str(fname))
            self._added.add((family, style))
        return family

    def _cut(self, path: Path) -> Path:
        """A Latin or code font cut down to the document's characters (cached)."""
        return cut_font(path, 0, self._chars, self.cache_dir / "fonts")

    def segments(self, text: str, mono: bool) -> list[tuple[str, bool]]:
        """Cut text where the font changes: (text, in the CJK font)."""
        if text.isascii():
            return [(text, False)]  # the Latin and code fonts have every printable ASCII character
        cmap = self._mono_cmap if mono else self._latin_cmap
        return font_segments(text, cmap)

    def set_font(self, run: Run, cjk: bool, mono: bool, size: float) -> None:
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
        key = (family, style, self.d(size))
        if key != self._font:  # fpdf2 writes the same font again otherwise
            self._use(family, style)
            self.pdf.set_font(*key)
            self._font = key

    # -- text ----------------------------------------------------------------------
    def wrap(self, runs: tuple[Run, ...] | list[Run], width: float, size: float, mono: bool) -> list[list[Run]]:
        return wrap_runs(self.measurer, runs, width, size, mono, safety=self.safety)

    def line_width(self, line: list[Run], size: float, mono: bool) -> float:
        total = 0.0
        for run in line:
            for text, cjk in self.segments(plain(run.text), mono or run.code):
                self.set_font(run, cjk, mono or run.code, size)
                total += self.pdf.get_string_width(text)
        return total

    def draw_line(
        self,
        line: list[Run],
        x: float,
        baseline: float,
        size: float,
        color: str,
        into: Elem | None,
        mono: bool = False,
        link_color: str | None = None,
    ) -> float:
        """Draw one line at sheet coordinates in ``color`` (a run's own colour wins, a link is
        in ``link_color`` when there is one), its text the content of ``into`` (None: the
        caller has opened an artifact); returns the x after it.

        A link's text goes into a /Link element (one for the pieces of a link on consecutive
        lines) with its annotation; text in another language than the document's into a
        /Span with its /Lang. Zero-width characters are drawn as nothing, in any font."""
        pdf, tags = self.pdf, self.tags
        for run in line:
            use = run.color or (link_color if run.link and link_color else color)
            pdf.set_text_color(*self.rgb(use))
            parent = into
            if into is not None and run.link:
                if self._link is None or self._link[0] is not into or self._link[2] != run.link:
                    self._link = (into, tags.elem("Link", into), run.link)
                parent = self._link[1]
            elif into is not None:
                self._link = None
            start = x
            piece, lang = plain(run.text), run_language(run, self.lang)
            target = parent
            if parent is not None and lang is not None and piece.strip():
                last = parent.kids[-1] if parent.kids else None
                reuse = isinstance(last, Elem) and last.tag == "Span" and tags.open is last
                target = last if reuse and isinstance(last, Elem) else tags.elem("Span", parent, lang=lang)
            for text, cjk in self.segments(piece, mono or run.code):
                self.set_font(run, cjk, mono or run.code, size)
                if target is not None:
                    tags.mark(target)
                pdf.text(x, baseline, text)
                x += pdf.get_string_width(text)
            drawn = x - start
            if run.link and run.text.strip():
                trail = run.text[len(run.text.rstrip()) :]
                w = drawn - (pdf.get_string_width(trail) if trail else 0.0)  # no underline under end spaces
                with tags.artifact():
                    pdf.set_draw_color(*self.rgb(use))
                    pdf.set_line_width(self.d(size) * 0.06)
                    under = baseline + self.d(size) * 0.12
                    pdf.line(start, under, start + w, under)
                target_url = self._links.absolute(run.link)  # a site path needs the site's address
                if target_url and self._link is not None and into is not None:
                    label = " ".join(plain(run.text).split())
                    contents = label if label == target_url else f"{label} ({target_url})"
                    top = baseline - self.d(size) * 0.9
                    tags.link(self._link[1], start, top, drawn, self.d(size) * 1.1, target_url, contents)
            if run.strike and run.text.strip():
                with tags.artifact():
                    pdf.set_draw_color(*self.rgb(use))
                    pdf.set_line_width(self.d(size) * 0.06)
                    mid = baseline - self.d(size) * 0.3
                    pdf.line(start, mid, x, mid)
        return x


def needs_space(line: list[Run], following: list[Run]) -> bool:
    """A line ending at a hard break (no space after its last word) before a line going on in
    Latin text: an invisible space keeps the two lines' words two words for a reader."""
    text = plain("".join(r.text for r in line))
    nxt = plain("".join(r.text for r in following))
    if not text or not nxt or text[-1].isspace():
        return False
    return not (is_wide(text[-1]) or is_wide(nxt[0]))


def rstrip_line(line: list[Run]) -> list[Run]:
    if not line:
        return line
    last = line[-1]
    return [*line[:-1], Run(last.text.rstrip(), last.bold, last.italic, last.strike, last.code, last.link, last.color, last.token)]


def new_fpdf(width: float, height: float) -> Any:
    """An fpdf2 document of one page size, in points."""
    from fpdf import FPDF

    return FPDF(unit="pt", format=(width, height))


@lru_cache(maxsize=16)
def _cmap(path: Path) -> frozenset[int]:
    """The characters a font file has glyphs for."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap() or ())


__all__ = ["DESCENT", "Canvas", "Place", "needs_space", "new_fpdf", "rstrip_line"]
