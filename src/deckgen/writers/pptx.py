"""The PowerPoint writer: a ``LaidDeck`` into an editable .pptx with python-pptx.

It decides nothing: every position, size, font size and page break comes from the
layout. Titles and body text go into the layout's real placeholders, so they stay
editable; links are real hyperlinks; Chinese runs carry ``zh-TW`` and an East Asian font.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from pathlib import Path
from typing import IO, Any

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE, PP_PLACEHOLDER
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml import parse_xml
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationT
from pptx.table import _Cell
from pptx.util import Emu, Pt

from deckgen.measure import break_units, is_wide
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
from deckgen.theme import Theme, relative_luminance
from deckgen.untrusted import core_property
from deckgen.urlpolicy import UrlPolicy

EMU_PER_PT = 12700
ZERO_WIDTH_SPACE = "\u200b"
_SOLID_FILL, _SRGB, _LATIN, _EA, _CS = (
    qn(t) for t in ("a:solidFill", "a:srgbClr", "a:latin", "a:ea", "a:cs")
)


def _emu(points: float) -> Emu:
    return Emu(int(round(points * EMU_PER_PT)))


def _has_extent(box: Box) -> bool:
    """Whether a box is at least one EMU wide and high (python-pptx would write it as is)."""
    return _emu(box.w) > 0 and _emu(box.h) > 0


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
        self._links = UrlPolicy(deck.meta.site_url)
        if t.pptx_template:
            prs = Presentation(str(t.pptx_template))
            _drop_slides(prs)
        else:
            prs = Presentation()
        # masters and layouts drawn for another size (python-pptx's own is 10 in x 7.5 in, many
        # 16:9 templates are 10 in x 5.625 in) are stretched to the deck's size
        _scale_masters(prs, deck.width, deck.height)
        prs.slide_width = _emu(deck.width)
        prs.slide_height = _emu(deck.height)
        if not t.pptx_template:
            # the template's own design wins; without one, the master carries the theme
            apply_theme_to_master(prs, t, _chrome_boxes(deck))
        props = prs.core_properties
        props.title = core_property(deck.meta.title)
        props.author = core_property(", ".join(deck.meta.authors))
        props.keywords = core_property(", ".join(deck.meta.tags))
        props.subject = core_property(", ".join(deck.meta.category))
        for page in deck.pages:
            self._page(prs, page)
        _no_autofit(prs)
        prs.save(str(target) if isinstance(target, Path) else target)

    def _layout(self, prs: PresentationT, name: str):  # type: ignore[no-untyped-def]
        return find_layout(prs, name)

    # -- pages ----------------------------------------------------------------
    def _page(self, prs: PresentationT, page: Page) -> None:
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
        title_ph = _pop_placeholder(placeholders, _TITLE_TYPES)
        sub_ph = _pop_placeholder(placeholders, _BODY_TYPES)
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
                elif frame.role in ("footer", "number"):
                    target = _chrome_placeholder(slide, frame.role)
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
            self._runs(p, para.runs, para.size, para.color, split_links=True)

    def _runs(self, p, runs, size: float, color: str | None, split_links: bool = False) -> None:  # type: ignore[no-untyped-def]
        """The runs of one paragraph, written so LibreOffice draws every link word as a link.

        LibreOffice turns each hyperlink run into a field, and a field that starts a line or
        follows another field is drawn in the colour of the text *after* it (PowerPoint never
        writes two hyperlink runs side by side). So a link never touches another link or a
        line start: a word's trailing spaces become a run of their own (link-coloured and
        underlined, not clickable), and where nothing else separates them a zero-width space
        (no link) does."""
        after_text = False  # is the previous written run plain text (not a link, not a line start)?
        for run in runs:
            if run.is_break:
                _line_break(p)
                after_text = False
                continue
            for piece in _link_pieces(run) if split_links else [run]:
                if not piece.link or not self._links.absolute(piece.link):
                    self._run(p, piece, size, color)
                    after_text = True
                    continue
                word = piece.text.rstrip(" ")
                if not after_text:
                    self._run(p, Run(ZERO_WIDTH_SPACE, color=self.theme.colors.link), size, color)
                self._run(p, replace(piece, text=word or piece.text), size, color)
                after_text = False
                if word and word != piece.text:
                    space = replace(
                        piece, text=piece.text[len(word) :], link=None, color=self.theme.colors.link
                    )
                    self._run(p, space, size, color, underline=True)
                    after_text = True

    def _para_props(self, p, para: Para, line_spacing: float) -> None:  # type: ignore[no-untyped-def]
        p.line_spacing = Pt(para.size * line_spacing)
        p.space_before = Pt(para.space_before)
        p.space_after = Pt(0)
        p.alignment = {"center": PP_ALIGN.CENTER, "right": PP_ALIGN.RIGHT}.get(para.align, PP_ALIGN.LEFT)
        pPr = p._p.get_or_add_pPr()
        for tag in ("a:buNone", "a:buChar", "a:buAutoNum", "a:buFont"):
            for old in pPr.findall(qn(tag)):
                pPr.remove(old)
        # the text starts at marL; a bullet hangs to its left (a negative first-line indent)
        pPr.set("marL", str(int(para.indent * EMU_PER_PT)))
        if para.bullet:
            pPr.set("indent", str(int(-para.hang * EMU_PER_PT)))
            if para.color:
                # the number in the text's colour, not in that of the first run (a link)
                etree.SubElement(etree.SubElement(pPr, qn("a:buClr")), _SRGB).set("val", para.color.upper())
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

    def _run(
        self, p, run: Run, size: float, color: str | None, mono: bool = False, underline: bool = False
    ) -> None:  # type: ignore[no-untyped-def]
        """One run, its properties written as XML directly (python-pptx's setters are slow).

        ``color`` is the paragraph's; None writes no color (the master's text style applies).
        """
        r = p.add_run()
        r.text = run.text
        if run.link:
            # a site path needs the site's address here (the parser warned when it is not known)
            run = replace(run, link=self._links.absolute(run.link))
        if run.link:
            r.hyperlink.address = run.link  # adds the relationship and a:hlinkClick
        rPr = r._r.get_or_add_rPr()
        rPr.set("lang", _lang(run.text))
        rPr.set("altLang", "en-US")
        rPr.set("sz", str(int(round(size * 100))))
        rPr.set("b", "1" if run.bold else "0")
        rPr.set("i", "1" if run.italic else "0")
        if run.strike:
            rPr.set("strike", "sngStrike")
        if run.link or underline:
            rPr.set("u", "sng")
        fonts = self.theme.fonts
        latin = fonts.code[0] if (run.code or mono) else fonts.latin[0]
        use_color = run.color or (self.theme.colors.link if run.link else color)
        # schema order inside a:rPr: solidFill, latin, ea, cs, then hlinkClick
        children = []
        if use_color:
            fill = etree.Element(_SOLID_FILL)
            etree.SubElement(fill, _SRGB).set("val", use_color.upper())
            children.append(fill)
        for tag, face in ((_LATIN, latin), (_EA, fonts.east_asian[0]), (_CS, latin)):
            el = etree.Element(tag)
            el.set("typeface", face)
            children.append(el)
        for index, child in enumerate(children):
            rPr.insert(index, child)

    def _code(self, slide, frame: CodeFrame) -> None:  # type: ignore[no-untyped-def]
        # a text box, not an auto shape: no theme effects, so every renderer draws it as text
        shape = slide.shapes.add_textbox(*self._xywh(frame.box))
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(self.theme.colors.code_background)
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
        # widths and heights straight into the grid: python-pptx's setters re-add every
        # column on each change (quadratic in columns)
        for grid_col, w in zip(table._tbl.tblGrid.gridCol_lst, frame.col_widths):
            grid_col.w = _emu(w)
        gshape.width = Emu(sum(_emu(w) for w in frame.col_widths))
        trs = table._tbl.tr_lst
        for tr, h in zip(trs, frame.row_heights):
            tr.h = _emu(h)
        grid = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in trs]
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
                target = grid[r][c]
                if (last_r, last_c) != (r, c):
                    target.merge(grid[last_r][last_c])
                tf = target.text_frame
                target.margin_left = target.margin_right = _emu(3.6)
                target.margin_top = target.margin_bottom = _emu(3.6)
                tf.word_wrap = True
                p = tf.paragraphs[0]
                self._para_props(p, Para((), frame.size), frame.line_spacing)
                colors = self.theme.colors
                header = cell.header and r < frame.header_rows
                color = colors.background if header else colors.text
                fill = colors.accent if header else (colors.code_background if r % 2 else colors.background)
                target.fill.solid()
                target.fill.fore_color.rgb = _rgb(fill)
                _cell_borders(target, colors.muted)
                runs = [r if r.is_break else replace(r, bold=r.bold or cell.header) for r in cell.runs]
                self._runs(p, runs, frame.size, color)
                c = last_c + 1

    def _picture(self, slide, frame: PictureFrame) -> None:  # type: ignore[no-untyped-def]
        asset = frame.asset
        assert asset.path is not None
        if not _has_extent(frame.box):
            return  # PowerPoint refuses a zero or negative size (the layout never makes one)
        pic = slide.shapes.add_picture(str(asset.path), *self._xywh(frame.box))
        _alt_text(pic._element.nvPicPr.cNvPr, frame.alt)
        link = self._links.absolute(frame.link) if frame.link else None
        if link:
            pic.click_action.hyperlink.address = link
        badge = frame.play_badge
        if badge is not None and _has_extent(badge):
            tri = slide.shapes.add_shape(MSO_SHAPE.ISOSCELES_TRIANGLE, *self._xywh(badge))
            tri.rotation = 90
            tri.fill.solid()
            tri.fill.fore_color.rgb = RGBColor(0xFF, 0xFF, 0xFF)
            tri.line.color.rgb = RGBColor(0xCC, 0x00, 0x00)
            tri.line.width = Pt(3)
            tri.shadow.inherit = False
            _alt_text(tri._element.nvSpPr.cNvPr, "")
            if link:
                tri.click_action.hyperlink.address = link

    def _placeholder(self, slide, frame: PlaceholderFrame) -> None:  # type: ignore[no-untyped-def]
        shape = slide.shapes.add_textbox(*self._xywh(frame.box))
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(self.theme.colors.code_background)
        shape.line.color.rgb = _rgb(self.theme.colors.muted)
        shape.line.width = Pt(1.5)
        shape.line.dash_style = MSO_LINE_DASH_STYLE.DASH
        tf = shape.text_frame
        self._setup_frame(tf, 7.2, MSO_ANCHOR.MIDDLE)
        p = tf.paragraphs[0]
        self._para_props(p, Para((), frame.size, align="center"), 1.2)
        self._run(p, Run(frame.reason, bold=True), frame.size, self.theme.colors.text)
        p2 = tf.add_paragraph()
        self._para_props(p2, Para((), frame.size, align="center", space_before=4), 1.2)
        self._runs(
            p2,
            [Run(frame.shown_url or frame.url, link=frame.link or None)],
            frame.size,
            self.theme.colors.link,
        )


# ---------------------------------------------------------------------------
# the theme on the slide master (colors, fonts, sizes, footer) and the template's layouts

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE)
_BODY_TYPES = (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)


def _pop_placeholder(placeholders: dict, types: tuple) -> Any:  # type: ignore[type-arg]
    for idx, ph in sorted(placeholders.items()):
        if ph.placeholder_format.type in types:
            return placeholders.pop(idx)
    return None


def _layout_kind(layout) -> str:  # type: ignore[no-untyped-def]
    """What a layout offers, from its placeholders: for templates whose names differ."""
    types = {ph.placeholder_format.type for ph in layout.placeholders}
    if PP_PLACEHOLDER.CENTER_TITLE in types and PP_PLACEHOLDER.SUBTITLE in types:
        return "Title Slide"
    has_title = bool(types & set(_TITLE_TYPES))
    bodies = sum(1 for ph in layout.placeholders if ph.placeholder_format.type in _BODY_TYPES)
    if has_title and bodies == 1:
        return "Title and Content"
    if has_title and bodies == 0:
        return "Title Only"
    if not has_title and bodies == 0:
        return "Blank"
    return ""


def find_layout(prs: PresentationT, name: str):  # type: ignore[no-untyped-def]
    """The layout named ``name`` in any master; else one with the same placeholders."""
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    for layout in layouts:
        if layout.name == name:
            return layout
    for layout in layouts:
        if _layout_kind(layout) == name:
            return layout
    fallbacks = {"Title Only": "Title and Content", "Title Slide": "Title and Content", "Blank": "Title Only"}
    if name in fallbacks:
        return find_layout(prs, fallbacks[name])
    return layouts[0]


def _drop_slides(prs: PresentationT) -> None:
    """A template's own sample slides are not part of the deck."""
    id_list = prs.slides._sldIdLst
    for sld_id in list(id_list):
        prs.part.drop_rel(sld_id.rId)
        id_list.remove(sld_id)


def _scale_masters(prs: PresentationT, width: float, height: float) -> None:
    """Stretch every master and layout shape from the presentation's slide size to the deck's."""
    sx = _emu(width) / (prs.slide_width or _emu(width))
    sy = _emu(height) / (prs.slide_height or _emu(height))
    if abs(sx - 1) < 1e-6 and abs(sy - 1) < 1e-6:
        return
    for master in prs.slide_masters:
        for part in (master, *master.slide_layouts):
            for xfrm in part._element.iter(qn("a:xfrm")):
                off, ext = xfrm.find(qn("a:off")), xfrm.find(qn("a:ext"))
                if off is not None:
                    off.set("x", str(int(int(off.get("x")) * sx)))
                    off.set("y", str(int(int(off.get("y")) * sy)))
                if ext is not None:
                    ext.set("cx", str(int(int(ext.get("cx")) * sx)))
                    ext.set("cy", str(int(int(ext.get("cy")) * sy)))


def _chrome_boxes(deck: LaidDeck) -> dict[str, Box]:
    """Where the layout put the footer and the slide number (the same on every content page)."""
    boxes: dict[str, Box] = {}
    for page in deck.pages:
        for frame in page.frames:
            if isinstance(frame, TextFrame) and frame.role in ("footer", "number"):
                boxes.setdefault(frame.role, frame.box)
        if len(boxes) == 2:
            break
    return boxes


def _srgb(parent, hex6: str):  # type: ignore[no-untyped-def]
    fill = etree.SubElement(parent, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", hex6.upper())
    return fill


def _one_step_off(hex6: str) -> str:
    """The same colour with its blue channel one step (of 255) away."""
    blue = int(hex6[4:6], 16)
    return f"{hex6[:4]}{blue + 1 if blue < 255 else blue - 1:02X}".upper()


def _set_color_slot(scheme, slot: str, hex6: str) -> None:  # type: ignore[no-untyped-def]
    el = scheme.find(qn(f"a:{slot}"))
    if el is None:
        el = etree.SubElement(scheme, qn(f"a:{slot}"))
    for child in list(el):
        el.remove(child)
    etree.SubElement(el, qn("a:srgbClr")).set("val", hex6.upper())


def _set_fonts(font_el, latin: str, east_asian: str) -> None:  # type: ignore[no-untyped-def]
    """``a:majorFont``/``a:minorFont``: Latin and East Asian typefaces, and the Traditional Chinese script."""
    font_el.find(qn("a:latin")).set("typeface", latin)
    font_el.find(qn("a:ea")).set("typeface", east_asian)
    for script in font_el.findall(qn("a:font")):
        if script.get("script") == "Hant":
            script.set("typeface", east_asian)


def _theme_element(master):  # type: ignore[no-untyped-def]
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    part = master.part.part_related_by(RT.THEME)
    return part, etree.fromstring(part.blob)


def apply_theme_to_master(prs: PresentationT, theme: Theme, chrome: dict[str, Box]) -> None:
    """Write the theme where PowerPoint looks for it: the theme part of the slide master
    (color scheme, major/minor fonts), the master's background and text styles, and its
    footer and slide-number placeholders. Slides added by hand then match the deck."""
    c, f, s = theme.colors, theme.fonts, theme.sizes
    dark = relative_luminance(c.background) < relative_luminance(c.text)
    for master in prs.slide_masters:
        part, root = _theme_element(master)
        root.set("name", f"deckgen {theme.name}")
        scheme = root.find(f"{{{_A}}}themeElements/{{{_A}}}clrScheme")
        scheme.set("name", f"deckgen {theme.name}")
        # dk1/lt1 stay the dark/light pair; a dark theme maps text to lt1 in the clrMap
        dk1, lt1, dk2, lt2 = (
            (c.background, c.text, c.code_background, c.heading)
            if dark
            else (c.text, c.background, c.heading, c.code_background)
        )
        for slot, value in (
            ("dk1", dk1),
            ("lt1", lt1),
            ("dk2", dk2),
            ("lt2", lt2),
            ("accent1", c.accent),
            ("accent2", c.link),
            ("accent3", c.heading),
            ("accent4", c.muted),
            ("accent5", c.code_text),
            ("accent6", c.accent),
            # LibreOffice draws a link word in the colour of the text after it when the
            # scheme's link colour equals the runs' own: one step apart, they look the same
            ("hlink", _one_step_off(c.link)),
            ("folHlink", _one_step_off(c.link)),
        ):
            _set_color_slot(scheme, slot, value)
        fonts = root.find(f"{{{_A}}}themeElements/{{{_A}}}fontScheme")
        fonts.set("name", f"deckgen {theme.name}")
        _set_fonts(fonts.find(qn("a:majorFont")), f.latin[0], f.east_asian[0])
        _set_fonts(fonts.find(qn("a:minorFont")), f.latin[0], f.east_asian[0])
        part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

        el = master._element
        clr_map = el.find(qn("p:clrMap"))
        if clr_map is not None:
            pairs = (("lt1", "dk1", "lt2", "dk2"), ("dk1", "lt1", "dk2", "lt2"))[dark]
            for attr, value in zip(("bg1", "tx1", "bg2", "tx2"), pairs):
                clr_map.set(attr, value)
        fill = master.background.fill
        fill.solid()
        fill.fore_color.rgb = _rgb(c.background)
        styles = el.find(qn("p:txStyles"))
        if styles is not None:
            _style_levels(styles.find(qn("p:titleStyle")), s.title, c.heading, 0)
            _style_levels(styles.find(qn("p:bodyStyle")), s.body, c.text, 4)
        for ph in master.placeholders:
            kind = ph.placeholder_format.type
            role = {PP_PLACEHOLDER.FOOTER: "footer", PP_PLACEHOLDER.SLIDE_NUMBER: "number"}.get(kind)
            if role is None:
                continue
            box = chrome.get(role)
            if box is not None:
                ph.left, ph.top, ph.width, ph.height = _emu(box.x), _emu(box.y), _emu(box.w), _emu(box.h)
            lst = ph._element.txBody.find(qn("a:lstStyle"))
            lvl = lst.find(qn("a:lvl1pPr")) if lst is not None else None
            if lvl is not None:
                lvl.set("algn", "r" if role == "number" else "l")
                _def_rpr(lvl, s.floor, c.muted)


def _def_rpr(level, size: float, color: str) -> None:  # type: ignore[no-untyped-def]
    d = level.find(qn("a:defRPr"))
    if d is None:
        d = etree.SubElement(level, qn("a:defRPr"))
    d.set("sz", str(int(round(size * 100))))
    for old in d.findall(qn("a:solidFill")):
        d.remove(old)
    d.insert(0, _srgb(etree.Element("x"), color))


def _style_levels(style, size: float, color: str, step: float) -> None:  # type: ignore[no-untyped-def]
    """Master text style: level n at ``size - n * step`` points (never under 14), in ``color``."""
    if style is None:
        return
    for n in range(1, 10):
        level = style.find(qn(f"a:lvl{n}pPr"))
        if level is not None:
            _def_rpr(level, max(14.0, size - (n - 1) * step), color)


def _chrome_placeholder(slide, role: str):  # type: ignore[no-untyped-def]
    """A footer or slide-number placeholder on the slide (PowerPoint's Header & Footer knows it)."""
    kind = "ftr" if role == "footer" else "sldNum"
    wanted = PP_PLACEHOLDER.FOOTER if role == "footer" else PP_PLACEHOLDER.SLIDE_NUMBER
    idx = next(
        (
            ph.placeholder_format.idx
            for ph in slide.slide_layout.placeholders
            if ph.placeholder_format.type == wanted
        ),
        None,
    )
    if idx is None:
        return slide.shapes.add_textbox(0, 0, 0, 0)
    shape_id = slide.shapes._next_shape_id
    name = "Footer Placeholder" if role == "footer" else "Slide Number Placeholder"
    sp = parse_xml(
        f'<p:sp xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:a="{_A}">'
        f'<p:nvSpPr><p:cNvPr id="{shape_id}" name="{name} {shape_id - 1}"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
        f'<p:nvPr><p:ph type="{kind}" sz="quarter" idx="{idx}"/></p:nvPr></p:nvSpPr>'
        "<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/><a:p/></p:txBody></p:sp>"
    )
    slide.shapes._spTree.append(sp)
    return next(sh for sh in slide.shapes if sh._element is sp)


def _cell_borders(cell, color: str, width: float = 0.75) -> None:  # type: ignore[no-untyped-def]
    tc_pr = cell._tc.get_or_add_tcPr()
    for tag in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        for old in tc_pr.findall(qn(tag)):
            tc_pr.remove(old)
    for i, tag in enumerate(("a:lnL", "a:lnR", "a:lnT", "a:lnB")):
        ln = etree.Element(qn(tag))
        ln.set("w", str(int(width * EMU_PER_PT)))
        _srgb(ln, color)
        tc_pr.insert(i, ln)


def _line_break(p) -> None:  # type: ignore[no-untyped-def]
    """``a:br`` carrying the previous run's properties (without its link).

    LibreOffice draws a link run that ends a line in the break's color, not its own.
    """
    p.add_line_break()
    runs = p._p.findall(qn("a:r"))
    if not runs:
        return
    r_pr = runs[-1].find(qn("a:rPr"))
    if r_pr is None:
        return
    copy = etree.fromstring(etree.tostring(r_pr))
    for tag in ("a:hlinkClick", "a:hlinkMouseOver"):
        for el in copy.findall(qn(tag)):
            copy.remove(el)
    copy.attrib.pop("u", None)
    p._p.findall(qn("a:br"))[-1].append(copy)


def _no_autofit(prs: PresentationT) -> None:
    """Drop "shrink text on overflow" from masters and layouts: the layout sized every text
    already, and LibreOffice would otherwise apply the master's autofit to our placeholders."""
    parts = [*prs.slide_masters, *(layout for m in prs.slide_masters for layout in m.slide_layouts)]
    for part in parts:
        for body_pr in part.element.iter(qn("a:bodyPr")):
            for auto in body_pr.findall(qn("a:normAutofit")) + body_pr.findall(qn("a:spAutoFit")):
                body_pr.remove(auto)


_DECORATIVE_EXT = "{C183D7F6-B498-43B3-948B-1728B52AA6E4}"
_DECORATIVE_NS = "http://schemas.microsoft.com/office/drawing/2017/decorative"


def _alt_text(c_nv_pr, alt: str) -> None:  # type: ignore[no-untyped-def]
    """The shape's text alternative; with none, an empty one and PowerPoint's "decorative" mark
    (python-pptx would leave the picture's file name there)."""
    c_nv_pr.set("descr", alt)
    if alt:
        return
    ext_lst = c_nv_pr.find(qn("a:extLst"))
    if ext_lst is None:
        ext_lst = etree.SubElement(c_nv_pr, qn("a:extLst"))
    ext = etree.SubElement(ext_lst, qn("a:ext"))
    ext.set("uri", _DECORATIVE_EXT)
    mark = etree.SubElement(ext, f"{{{_DECORATIVE_NS}}}decorative", nsmap={"adec": _DECORATIVE_NS})
    mark.set("val", "1")


def _link_pieces(run: Run) -> list[Run]:
    """A link run cut at its break opportunities (one run per word, per CJK character).

    LibreOffice shows a hyperlink run as one field that never wraps at its spaces; runs of
    one word each wrap like ordinary text there, and look the same in PowerPoint.
    """
    if not run.link:
        return [run]
    return [replace(run, text=unit) for unit in break_units(run.text)]


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
