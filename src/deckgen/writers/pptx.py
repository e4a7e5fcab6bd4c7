"""The PowerPoint writer: a ``LaidDeck`` into an editable .pptx with python-pptx.

It decides nothing: every position, size, font size and page break comes from the
layout. Titles and body text go into the layout's real placeholders, so they stay
editable; links are real hyperlinks; Chinese runs carry ``zh-TW`` and an East Asian font.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import IO

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Pt

from deckgen.measure import _units, is_wide
from deckgen.model import (
    Box,
    CodeFrame,
    EmbedFrame,
    Frame,
    LaidDeck,
    Page,
    Para,
    PictureFrame,
    PlaceholderFrame,
    Run,
    TableFrame,
    TextFrame,
)
from deckgen.theme import Theme

EMU_PER_PT = 12700


def _emu(points: float) -> Emu:
    return Emu(int(round(points * EMU_PER_PT)))


def _rgb(hex6: str) -> RGBColor:
    return RGBColor.from_string(hex6.upper())


def _lang(text: str) -> str:
    return "zh-TW" if any(is_wide(ch) for ch in text) else "en-US"


class PptxWriter:
    def __init__(self, theme: Theme, inset: float = 3.6) -> None:
        self.theme = theme
        self.inset = inset

    # -- entry point ----------------------------------------------------------
    def write(self, deck: LaidDeck, target: Path | IO[bytes]) -> None:
        """Write the deck to a path or a binary file object."""
        t = self.theme
        prs = Presentation(str(t.pptx_template)) if t.pptx_template else Presentation()
        prs.slide_width = _emu(deck.width)
        prs.slide_height = _emu(deck.height)
        if not t.pptx_template:
            fill = prs.slide_master.background.fill
            fill.solid()
            fill.fore_color.rgb = _rgb(t.colors.background)
        props = prs.core_properties
        props.title = deck.meta.title
        props.author = ", ".join(deck.meta.authors)
        props.keywords = ", ".join(deck.meta.tags)
        props.subject = ", ".join(deck.meta.category)
        for page in deck.pages:
            self._page(prs, page)
        prs.save(str(target) if isinstance(target, Path) else target)

    def _layout(self, prs: Presentation, name: str):  # type: ignore[no-untyped-def]
        for layout in prs.slide_layouts:
            if layout.name == name:
                return layout
        return prs.slide_layouts[6 if name == "Blank" else 1]

    # -- pages ----------------------------------------------------------------
    def _page(self, prs: Presentation, page: Page) -> None:
        body_frames = [f for f in page.frames if isinstance(f, TextFrame) and f.role == "body"]
        if page.kind == "title":
            layout_name = "Title Slide"
        elif page.title is None:
            layout_name = "Blank"
        elif body_frames:
            layout_name = "Title and Content"
        else:
            layout_name = "Title Only"
        slide = prs.slides.add_slide(self._layout(prs, layout_name))
        placeholders = {ph.placeholder_format.idx: ph for ph in slide.placeholders}
        title_ph = placeholders.pop(0, None)
        sub_ph = placeholders.pop(1, None)
        if page.title is not None and title_ph is not None:
            self._place(title_ph, page.title.box)
            self._fill_text(title_ph.text_frame, page.title, heading=True)
            if page.title.fill:
                title_ph.fill.solid()
                title_ph.fill.fore_color.rgb = _rgb(page.title.fill)
        elif title_ph is not None:
            title_ph._element.getparent().remove(title_ph._element)
        first_body = True
        for frame in page.frames:
            if isinstance(frame, TextFrame):
                target = None
                if sub_ph is not None and first_body and frame.role in ("body", "subtitle"):
                    target, sub_ph = sub_ph, None
                    first_body = False
                    self._place(target, frame.box)
                else:
                    target = slide.shapes.add_textbox(*self._xywh(frame.box))
                self._fill_text(target.text_frame, frame)
                if frame.role == "number":
                    runs = target.text_frame.paragraphs[0].runs
                    if runs:
                        slide_number_field(runs[0]._r)
            elif isinstance(frame, CodeFrame):
                self._code(slide, frame)
            elif isinstance(frame, TableFrame):
                self._table(slide, frame)
            elif isinstance(frame, PictureFrame):
                self._picture(slide, frame)
            elif isinstance(frame, PlaceholderFrame):
                self._placeholder(slide, frame)
            elif isinstance(frame, EmbedFrame):
                fb = frame.fallback
                if isinstance(fb, PictureFrame):
                    self._picture(slide, fb)
                else:
                    self._placeholder(slide, fb)
        for ph in placeholders.values():
            ph._element.getparent().remove(ph._element)
        if sub_ph is not None:
            sub_ph._element.getparent().remove(sub_ph._element)
        if page.notes:
            slide.notes_slide.notes_text_frame.text = page.notes

    # -- helpers ---------------------------------------------------------------
    def _xywh(self, box: Box) -> tuple[Emu, Emu, Emu, Emu]:
        return _emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h)

    def _place(self, shape, box: Box) -> None:  # type: ignore[no-untyped-def]
        shape.left, shape.top, shape.width, shape.height = self._xywh(box)

    def _setup_frame(self, tf, inset: float, anchor=MSO_ANCHOR.TOP) -> None:  # type: ignore[no-untyped-def]
        tf.word_wrap = True
        tf.auto_size = MSO_AUTO_SIZE.NONE
        tf.margin_left = tf.margin_right = tf.margin_top = tf.margin_bottom = _emu(inset)
        tf.vertical_anchor = anchor

    def _fill_text(self, tf, frame: TextFrame, heading: bool = False) -> None:  # type: ignore[no-untyped-def]
        self._setup_frame(tf, self.inset)
        left, top, right, bottom = frame.insets
        tf.margin_left, tf.margin_top, tf.margin_right, tf.margin_bottom = (
            _emu(left),
            _emu(top),
            _emu(right),
            _emu(bottom),
        )
        for i, para in enumerate(frame.paras):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            if i == 0:
                for r in list(p.runs):
                    r._r.getparent().remove(r._r)
            self._para_props(p, para, frame.line_spacing)
            color = self._para_color(para, frame)
            for run in para.runs:
                if run.is_break:
                    p.add_line_break()
                else:
                    for piece in _link_pieces(run):
                        self._run(p, piece, para.size, color)

    def _para_color(self, para: Para, frame: TextFrame) -> str:
        c = self.theme.colors
        if frame.role == "title" or para.kind in ("heading", "title"):
            return c.heading
        if para.kind in ("meta",) or frame.role in ("footer", "number"):
            return c.muted
        return c.text

    def _para_props(self, p, para: Para, line_spacing: float) -> None:  # type: ignore[no-untyped-def]
        p.line_spacing = Pt(para.size * line_spacing)
        p.space_before = Pt(para.space_before)
        p.space_after = Pt(0)
        p.alignment = PP_ALIGN.CENTER if para.align == "center" else PP_ALIGN.LEFT
        pPr = p._p.get_or_add_pPr()
        for tag in ("a:buNone", "a:buChar", "a:buAutoNum", "a:buFont"):
            for old in pPr.findall(qn(tag)):
                pPr.remove(old)
        indent = para.level * 1.1 * (para.size if para.kind != "heading" else para.size - 4)
        if para.bullet:
            pPr.set("marL", str(int(indent * EMU_PER_PT)))
            pPr.set("indent", str(int(-0.9 * para.size * EMU_PER_PT)))
            bu_font = etree.SubElement(pPr, qn("a:buFont"))
            bu_font.set("typeface", self.theme.fonts.latin[0])
            bu = etree.SubElement(pPr, qn("a:buChar"))
            bu.set("char", para.bullet if not para.bullet[0].isdigit() else "•")
            if para.bullet[0].isdigit():
                pPr.remove(bu)
                num = etree.SubElement(pPr, qn("a:buAutoNum"))
                num.set("type", "arabicPeriod")
                num.set("startAt", para.bullet.rstrip("."))
        else:
            pPr.set("marL", str(int(indent * EMU_PER_PT)))
            pPr.set("indent", "0")
            etree.SubElement(pPr, qn("a:buNone"))
        # keep the schema order: lnSpc, spcBef, spcAft, bu* come in that order
        order = [
            qn(t)
            for t in (
                "a:lnSpc",
                "a:spcBef",
                "a:spcAft",
                "a:buClrTx",
                "a:buClr",
                "a:buSzTx",
                "a:buSzPct",
                "a:buSzPts",
                "a:buFontTx",
                "a:buFont",
                "a:buNone",
                "a:buAutoNum",
                "a:buChar",
                "a:buBlip",
                "a:tabLst",
                "a:defRPr",
                "a:extLst",
            )
        ]
        children = sorted(pPr, key=lambda el: order.index(el.tag) if el.tag in order else len(order))
        for child in children:
            pPr.append(child)

    def _run(self, p, run: Run, size: float, color: str, mono: bool = False) -> None:  # type: ignore[no-untyped-def]
        r = p.add_run()
        r.text = run.text
        font = r.font
        font.size = Pt(size)
        font.bold = run.bold
        font.italic = run.italic
        rPr = r._r.get_or_add_rPr()
        rPr.set("lang", _lang(run.text))
        rPr.set("altLang", "en-US")
        if run.strike:
            rPr.set("strike", "sngStrike")
        fonts = self.theme.fonts
        latin = fonts.code[0] if (run.code or mono) else fonts.latin[0]
        use_color = run.color or (self.theme.colors.link if run.link else color)
        font.color.rgb = _rgb(use_color)
        if run.link:
            r.hyperlink.address = run.link
            font.underline = True
        for tag in ("a:latin", "a:ea", "a:cs"):
            for old in rPr.findall(qn(tag)):
                rPr.remove(old)
        for tag, face in (("a:latin", latin), ("a:ea", fonts.east_asian[0]), ("a:cs", latin)):
            el = etree.SubElement(rPr, qn(tag))
            el.set("typeface", face)
        # schema order inside rPr: ln, fill, effect, highlight, uLnTx.., latin, ea, cs, sym, hlinkClick
        order = [
            qn(t)
            for t in (
                "a:ln",
                "a:noFill",
                "a:solidFill",
                "a:gradFill",
                "a:blipFill",
                "a:pattFill",
                "a:grpFill",
                "a:effectLst",
                "a:effectDag",
                "a:highlight",
                "a:uLnTx",
                "a:uLn",
                "a:uFillTx",
                "a:uFill",
                "a:latin",
                "a:ea",
                "a:cs",
                "a:sym",
                "a:hlinkClick",
                "a:hlinkMouseOver",
                "a:rtl",
                "a:extLst",
            )
        ]
        for child in sorted(rPr, key=lambda el: order.index(el.tag) if el.tag in order else len(order)):
            rPr.append(child)

    def _code(self, slide, frame: CodeFrame) -> None:  # type: ignore[no-untyped-def]
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *self._xywh(frame.box))
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(self.theme.colors.code_background)
        shape.line.fill.background()
        shape.shadow.inherit = False
        tf = shape.text_frame
        self._setup_frame(tf, 7.2)
        for i, line in enumerate(frame.lines):
            p = tf.paragraphs[0] if i == 0 else tf.add_paragraph()
            self._para_props(p, Para((), frame.size), frame.line_spacing)
            if not line:
                self._run(p, Run(" ", code=True), frame.size, self.theme.colors.code_text, mono=True)
            for run in line:
                self._run(p, run, frame.size, self.theme.colors.code_text, mono=True)

    def _table(self, slide, frame: TableFrame) -> None:  # type: ignore[no-untyped-def]
        nrows = len(frame.rows)
        ncols = len(frame.col_widths)
        gshape = slide.shapes.add_table(nrows, ncols, *self._xywh(frame.box))
        table = gshape.table
        table.first_row = frame.header_rows > 0
        table.horz_banding = True
        for c, w in enumerate(frame.col_widths):
            table.columns[c].width = _emu(w)
        for r, h in enumerate(frame.row_heights):
            table.rows[r].height = _emu(h)
        taken = [[False] * ncols for _ in range(nrows)]
        for r, row in enumerate(frame.rows):
            c = 0
            for cell in row:
                while c < ncols and taken[r][c]:
                    c += 1
                if c >= ncols:
                    break
                last_r = min(nrows - 1, r + cell.rowspan - 1)
                last_c = min(ncols - 1, c + cell.colspan - 1)
                for rr in range(r, last_r + 1):
                    for cc in range(c, last_c + 1):
                        taken[rr][cc] = True
                target = table.cell(r, c)
                if (last_r, last_c) != (r, c):
                    target.merge(table.cell(last_r, last_c))
                tf = target.text_frame
                target.margin_left = target.margin_right = _emu(3.6)
                target.margin_top = target.margin_bottom = _emu(3.6)
                tf.word_wrap = True
                p = tf.paragraphs[0]
                self._para_props(p, Para((), frame.size), frame.line_spacing)
                color = "FFFFFF" if cell.header and r < frame.header_rows else self.theme.colors.text
                for run in cell.runs:
                    if run.is_break:
                        p.add_line_break()
                    else:
                        self._run(
                            p,
                            Run(
                                run.text,
                                run.bold or cell.header,
                                run.italic,
                                run.strike,
                                run.code,
                                run.link,
                                run.color,
                            ),
                            frame.size,
                            color,
                        )
                c = last_c + 1

    def _picture(self, slide, frame: PictureFrame) -> None:  # type: ignore[no-untyped-def]
        asset = frame.asset
        assert asset.path is not None
        pic = slide.shapes.add_picture(str(asset.path), *self._xywh(frame.box))
        left, top, right, bottom = frame.crop
        if any(frame.crop):
            pic.crop_left, pic.crop_top, pic.crop_right, pic.crop_bottom = left, top, right, bottom
        if frame.alt:
            pic._element.nvPicPr.cNvPr.set("descr", frame.alt)
        if frame.link:
            pic.click_action.hyperlink.address = frame.link
        if frame.play_badge:
            side = min(frame.box.w, frame.box.h) * 0.22
            badge = Box(
                frame.box.x + (frame.box.w - side) / 2, frame.box.y + (frame.box.h - side) / 2, side, side
            )
            tri = slide.shapes.add_shape(MSO_SHAPE.ISOSCELES_TRIANGLE, *self._xywh(badge))
            tri.rotation = 90
            tri.fill.solid()
            tri.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            tri.line.color.rgb = RGBColor(0xCC, 0x00, 0x00)
            tri.line.width = Pt(3)
            tri.shadow.inherit = False
            if frame.link:
                tri.click_action.hyperlink.address = frame.link

    def _placeholder(self, slide, frame: PlaceholderFrame) -> None:  # type: ignore[no-untyped-def]
        shape = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, *self._xywh(frame.box))
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(self.theme.colors.code_background)
        shape.line.color.rgb = _rgb(self.theme.colors.muted)
        shape.line.width = Pt(1.5)
        shape.line.dash_style = 4  # dash
        shape.shadow.inherit = False
        tf = shape.text_frame
        self._setup_frame(tf, 7.2, MSO_ANCHOR.MIDDLE)
        p = tf.paragraphs[0]
        self._para_props(p, Para((), frame.size, align="center"), 1.2)
        self._run(p, Run(frame.reason, bold=True), frame.size, self.theme.colors.text)
        p2 = tf.add_paragraph()
        self._para_props(p2, Para((), frame.size, align="center", space_before=4), 1.2)
        self._run(p2, Run(frame.shown_url or frame.url, link=frame.url), frame.size, self.theme.colors.link)


def _link_pieces(run: Run) -> list[Run]:
    """A link run cut at its break opportunities (one run per word, per CJK character).

    LibreOffice shows a hyperlink run as one field that never wraps at its spaces; runs of
    one word each wrap like ordinary text there, and look the same in PowerPoint.
    """
    if not run.link:
        return [run]
    return [replace(run, text=unit) for unit in _units(run.text)]


def slide_number_field(run_element) -> None:  # type: ignore[no-untyped-def]
    """Turn a run into a slide-number field (PowerPoint renumbers it when slides move)."""
    fld = etree.Element(qn("a:fld"))
    fld.set("id", "{" + str(uuid.uuid4()).upper() + "}")
    fld.set("type", "slidenum")
    for child in list(run_element):
        fld.append(child)
    run_element.addprevious(fld)
    run_element.getparent().remove(run_element)


__all__ = ["PptxWriter", "Frame"]
