"""Slide XML for the .pptx writer, written as text: one string per slide, no object model.

python-pptx builds a slide through an lxml object per element and a lookup per property;
for a deck of thousands of runs that is most of a build's time. This module writes the
same PresentationML directly, in the element order the schema (and PowerPoint) uses.
It decides nothing: every position, size and colour comes from the laid-out page and the
theme. Relationships a slide needs (its layout, pictures, links, notes) are collected in
``SlideRels`` and written by the package writer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from typing import Protocol

from deckgen.errors import unknown_kind
from deckgen.measure import break_units, is_wide
from deckgen.model.document import Run
from deckgen.model.laidout import (
    Badge,
    Box,
    Bullet,
    CodeFrame,
    Numbered,
    Page,
    Para,
    PictureFrame,
    PlaceholderFrame,
    Stroke,
    TableFrame,
    TextFrame,
)
from deckgen.theme.schema import Theme
from deckgen.urlpolicy import UrlPolicy
from deckgen.visitor import FrameVisitor

EMU_PER_PT = 12700
ZERO_WIDTH_SPACE = "\u200b"
_DECORATIVE = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
    "</a:ext></a:extLst>"
)
NS = (
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"'
)
HEAD = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # PowerPoint's "Medium Style 2 - Accent 1"


def emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def has_extent(box: Box) -> bool:
    return emu(box.w) > 0 and emu(box.h) > 0


def _lang(text: str) -> str:
    if text.isascii():
        return "en-US"
    return "zh-TW" if any(is_wide(ch) for ch in text) else "en-US"


_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def xml_text(value: str) -> str:
    """``value`` as XML character data: the one place the .pptx's text is escaped."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def xml_attr(value: str) -> str:
    """``value`` as a double-quoted XML attribute (whitespace kept as character references)."""
    return f'"{value.translate(_ATTR)}"'



@dataclass(frozen=True)
class LayoutPlaceholder:
    """A placeholder a slide layout offers: its ``p:ph`` attributes and its name."""

    kind: str  # "title", "body" (subtitle/body/object), "footer", "number", "other"
    ph_attrs: str  # the layout's p:ph attributes, as written there
    name: str


@dataclass(frozen=True)
class LayoutInfo:
    """What the writer needs of one slide layout: its part and its placeholders, in order."""

    target: str  # the layout part, relative to ppt/slides/
    placeholders: tuple[LayoutPlaceholder, ...]

    def first(self, kind: str) -> LayoutPlaceholder | None:
        return next((ph for ph in self.placeholders if ph.kind == kind), None)


class MediaSink(Protocol):
    def target_for(self, path: str, fmt: str) -> str: ...


@dataclass
class SlideRels:
    """The relationships of one slide: rId2... after the layout's rId1."""

    items: list[tuple[str, str, str, bool]] = field(default_factory=list)  # rid, type, target, external
    _by_key: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, rtype: str, target: str, external: bool = False) -> str:
        key = (rtype, target)
        found = self._by_key.get(key)
        if found:
            return found
        rid = f"rId{len(self.items) + 2}"
        self.items.append((rid, rtype, target, external))
        self._by_key[key] = rid
        return rid


RT_IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
RT_LINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"


class SlideWriter(FrameVisitor[None]):
    """One slide's XML from a laid-out page (a new instance per slide)."""

    def __init__(
        self, theme: Theme, layout: LayoutInfo, media: MediaSink, number: int, links: UrlPolicy | None = None
    ) -> None:
        self.theme = theme
        self.links = links or UrlPolicy("")
        self.layout = layout
        self.media = media
        self.number = number
        self.rels = SlideRels()
        self.parts: list[str] = []
        self.next_id = 2
        self._body_frame: TextFrame | None = None  # the page's frame in the body placeholder
        fonts = theme.fonts
        self._east_asian = xml_attr(fonts.east_asian[0])
        self._latin = xml_attr(fonts.latin[0])
        self._mono = xml_attr(fonts.code[0])

    def _id(self) -> int:
        value = self.next_id
        self.next_id += 1
        return value

    # -- the page ---------------------------------------------------------------
    def page(self, page: Page) -> str:
        layout = self.layout
        title_ph = layout.first("title")
        body_ph = layout.first("body")
        body_frame: TextFrame | None = None
        if body_ph is not None:
            body_frame = next(
                (f for f in page.frames if isinstance(f, TextFrame) and f.role in ("body", "subtitle")), None
            )
        # placeholders come first, in the layout's order (as PowerPoint clones them)
        for ph in layout.placeholders:
            if ph is title_ph and page.title is not None:
                self._text_shape(page.title, ph, heading=True)
            elif ph is body_ph and body_frame is not None:
                self._text_shape(body_frame, ph)
        self._body_frame = body_frame
        for frame in page.frames:
            self.visit(frame)
        return (
            f"{HEAD}<p:sld {NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/>"
            "<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>"
            + "".join(self.parts)
            + "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"
        )

    # -- frames ----------------------------------------------------------------
    def text(self, frame: TextFrame) -> None:
        if frame is self._body_frame:
            return  # written into the layout's body placeholder
        if frame.role == "footer":
            self._text_shape(frame, self.layout.first("footer"))
        elif frame.role == "number":
            self._text_shape(frame, self.layout.first("number"), number=True)
        else:
            self._text_shape(frame, None)

    # -- shapes ----------------------------------------------------------------
    @staticmethod
    def _xfrm(box: Box, rot: int = 0) -> str:
        r = f' rot="{rot}"' if rot else ""
        return (
            f'<a:xfrm{r}><a:off x="{emu(box.x)}" y="{emu(box.y)}"/>'
            f'<a:ext cx="{emu(box.w)}" cy="{emu(box.h)}"/></a:xfrm>'
        )

    @staticmethod
    def _fill(hex6: str) -> str:
        return f'<a:solidFill><a:srgbClr val="{hex6.upper()}"/></a:solidFill>'

    @staticmethod
    def _body_pr(insets: tuple[float, float, float, float], anchor: str = "t") -> str:
        left, top, right, bottom = insets
        return (
            f'<a:bodyPr wrap="square" lIns="{emu(left)}" tIns="{emu(top)}" rIns="{emu(right)}" '
            f'bIns="{emu(bottom)}" rtlCol="0" anchor="{anchor}"><a:noAutofit/></a:bodyPr><a:lstStyle/>'
        )

    def _text_shape(
        self, frame: TextFrame, ph: LayoutPlaceholder | None, heading: bool = False, number: bool = False
    ) -> None:
        sid = self._id()
        if ph is not None:
            nv = (
                f'<p:nvSpPr><p:cNvPr id="{sid}" name={xml_attr(ph.name)}/><p:cNvSpPr><a:spLocks noGrp="1"/>'
                f"</p:cNvSpPr><p:nvPr><p:ph{ph.ph_attrs}/></p:nvPr></p:nvSpPr>"
            )
            geom = ""
            fill = self._fill(frame.fill) if frame.fill else ""
        else:
            nv = (
                f'<p:nvSpPr><p:cNvPr id="{sid}" name="TextBox {sid - 1}"/><p:cNvSpPr txBox="1"/>'
                "<p:nvPr/></p:nvSpPr>"
            )
            geom = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            fill = self._fill(frame.fill) if frame.fill else "<a:noFill/>"
        body = self._paras(frame.paras, frame.line_spacing, frame.link_color, number)
        self.parts.append(
            f"<p:sp>{nv}<p:spPr>{self._xfrm(frame.box)}{geom}{fill}</p:spPr>"
            f"<p:txBody>{self._body_pr(frame.insets)}{body}</p:txBody></p:sp>"
        )

    def _paras(
        self, paras: tuple[Para, ...], line_spacing: float, link_color: str | None, number: bool = False
    ) -> str:
        out = []
        for para in paras:
            items = [self._ppr(para, line_spacing)]
            items.extend(self._runs(para.runs, para.size, para.color, link_color, split_links=True, number=number))
            out.append("<a:p>" + "".join(items) + "</a:p>")
        return "".join(out) or "<a:p/>"

    def _runs(
        self,
        runs: tuple[Run, ...] | list[Run],
        size: float,
        color: str | None,
        link_color: str | None,
        split_links: bool = False,
        number: bool = False,
    ) -> list[str]:
        """The runs of one paragraph, written so LibreOffice draws every link word as a link.

        LibreOffice turns each hyperlink run into a field, and a field that starts a line or
        follows another field is drawn in the colour of the text *after* it (PowerPoint never
        writes two hyperlink runs side by side). So a link never touches another link or a
        line start: a word's trailing spaces become a run of their own (link-coloured and
        underlined, not clickable), and where nothing else separates them a zero-width space
        (no link) does. ``number``: the first run is the slide-number field.
        """
        items: list[str] = []
        last_rpr = ""
        after_text = False  # is the previous written run plain text (not a link, not a line start)?

        def put(run: Run, underline: bool = False) -> None:
            nonlocal last_rpr
            rpr = self._rpr(run, size, color, link_color, underline=underline)
            last_rpr = rpr
            if number and not items:
                guid = "{" + str(uuid.uuid4()).upper() + "}"
                items.append(f'<a:fld id="{guid}" type="slidenum">{rpr}<a:t>{xml_text(run.text)}</a:t></a:fld>')
            else:
                items.append(f"<a:r>{rpr}<a:t>{xml_text(run.text)}</a:t></a:r>")

        for run in runs:
            if run.is_break:
                items.append(f"<a:br>{_break_rpr(last_rpr)}</a:br>" if last_rpr else "<a:br/>")
                after_text = False
                continue
            for piece in _link_pieces(run) if split_links else [run]:
                if not piece.link or not self.links.absolute(piece.link):
                    put(replace(piece, link=None) if piece.link else piece)
                    after_text = True
                    continue
                word = piece.text.rstrip(" ")
                if not after_text:
                    put(Run(ZERO_WIDTH_SPACE, color=link_color))
                put(replace(piece, text=word or piece.text))
                after_text = False
                if word and word != piece.text:
                    put(replace(piece, text=piece.text[len(word) :], link=None, color=link_color), True)
                    after_text = True
        return items

    def _ppr(self, para: Para, line_spacing: float) -> str:
        algn = {"center": "ctr", "right": "r"}.get(para.align, "l")
        marl = int(para.indent * EMU_PER_PT)
        spacing = (
            f'<a:lnSpc><a:spcPts val="{int(round(para.size * line_spacing * 100))}"/></a:lnSpc>'
            f'<a:spcBef><a:spcPts val="{int(round(para.space_before * 100))}"/></a:spcBef>'
            '<a:spcAft><a:spcPts val="0"/></a:spcAft>'
        )
        if para.bullet is not None:
            indent = int(-para.hang * EMU_PER_PT)
            # the number in the text's colour, not in that of the first run (a link)
            font = (f'<a:buClr><a:srgbClr val="{para.color.upper()}"/></a:buClr>' if para.color else "") + (
                f"<a:buFont typeface={self._latin}/>"
            )
            match para.bullet:
                case Numbered(n=n):
                    bullet = f'{font}<a:buAutoNum type="arabicPeriod" startAt="{n}"/>'
                case Bullet(char=char):
                    bullet = f"{font}<a:buChar char={xml_attr(char)}/>"
                case _:
                    unknown_kind(para.bullet, "the .pptx writer")
        else:
            indent = 0
            bullet = "<a:buNone/>"
        return f'<a:pPr marL="{marl}" indent="{indent}" algn="{algn}">{spacing}{bullet}</a:pPr>'

    def _rpr(
        self,
        run: Run,
        size: float,
        color: str | None,
        link_color: str | None,
        mono: bool = False,
        underline: bool = False,
    ) -> str:
        if run.link:
            # a site path needs the site's address here (the parser warned when it is not known)
            run = replace(run, link=self.links.absolute(run.link))
        attrs = [
            f'lang="{_lang(run.text)}" altLang="en-US" sz="{int(round(size * 100))}" '
            f'b="{1 if run.bold else 0}" i="{1 if run.italic else 0}"'
        ]
        if run.link or underline:
            attrs.append('u="sng"')
        if run.strike:
            attrs.append('strike="sngStrike"')
        latin = self._mono if (run.code or mono) else self._latin
        use_color = run.color or (link_color if run.link else color)
        fill = self._fill(use_color) if use_color else ""
        link = ""
        if run.link:
            rid = self.rels.add(RT_LINK, run.link, external=True)
            link = f'<a:hlinkClick r:id="{rid}"/>'
        return (
            f"<a:rPr {' '.join(attrs)}>{fill}<a:latin typeface={latin}/><a:ea typeface={self._east_asian}/>"
            f"<a:cs typeface={latin}/>{link}</a:rPr>"
        )

    def code(self, frame: CodeFrame) -> None:
        sid = self._id()
        out = []
        for line in frame.lines:
            items = [self._ppr(Para((), frame.size), frame.line_spacing)]
            runs = line or (Run(" ", code=True),)
            for run in runs:
                if run.is_break:
                    items.append("<a:br/>")
                    continue
                rpr = self._rpr(run, frame.size, frame.color, None, mono=True)
                items.append(f"<a:r>{rpr}<a:t>{xml_text(run.text)}</a:t></a:r>")
            out.append("<a:p>" + "".join(items) + "</a:p>")
        self.parts.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="TextBox {sid - 1}"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr>{self._xfrm(frame.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f"{self._fill_or_none(frame.fill)}</p:spPr><p:txBody>{self._body_pr(frame.insets)}"
            f"{''.join(out) or '<a:p/>'}</p:txBody></p:sp>"
        )

    def _fill_or_none(self, hex6: str | None) -> str:
        return self._fill(hex6) if hex6 else "<a:noFill/>"

    def _line(self, stroke: Stroke | None, tag: str = "ln") -> str:
        if stroke is None:
            return ""
        dash = '<a:prstDash val="dash"/>' if stroke.dash else ""
        return f'<a:{tag} w="{emu(stroke.width)}">{self._fill(stroke.color)}{dash}</a:{tag}>'

    def placeholder(self, frame: PlaceholderFrame) -> None:
        sid = self._id()
        spacing = frame.line_spacing
        first = self._ppr(Para((), frame.size, align="center"), spacing)
        second = self._ppr(Para((), frame.size, align="center", space_before=frame.gap), spacing)
        reason = Run(frame.reason, bold=True)
        link = Run(frame.shown_url or frame.url, link=frame.link or None)
        rpr = self._rpr(reason, frame.size, frame.color, frame.link_color)
        p1 = f"<a:p>{first}<a:r>{rpr}<a:t>{xml_text(reason.text)}</a:t></a:r></a:p>"
        p2 = f"<a:p>{second}{''.join(self._runs([link], frame.size, frame.link_color, frame.link_color))}</a:p>"
        self.parts.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="TextBox {sid - 1}"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr>{self._xfrm(frame.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f"{self._fill_or_none(frame.fill)}{self._line(frame.border)}</p:spPr>"
            f'<p:txBody>{self._body_pr(frame.insets, "ctr")}{p1}{p2}</p:txBody></p:sp>'
        )

    def picture(self, frame: PictureFrame) -> None:
        asset = frame.asset
        assert asset.path is not None
        if not has_extent(frame.box):
            return  # PowerPoint refuses a zero or negative size (the layout never makes one)
        sid = self._id()
        target = self.media.target_for(str(asset.path), asset.fmt or "png")
        rid = self.rels.add(RT_IMAGE, target)
        # with no text alternative: an empty one and PowerPoint's "decorative" mark
        decorative = "" if frame.alt else _DECORATIVE
        click = ""
        link = self.links.absolute(frame.link) if frame.link else None
        if link:
            click = f'<a:hlinkClick r:id="{self.rels.add(RT_LINK, link, external=True)}"/>'
        self.parts.append(
            f'<p:pic><p:nvPicPr><p:cNvPr id="{sid}" name="Picture {sid - 1}" descr={xml_attr(frame.alt)}>{click}'
            f'{decorative}</p:cNvPr><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
            f'<p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
            f'<p:spPr>{self._xfrm(frame.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
        )
        if frame.play_badge is not None:
            self._badge(frame.play_badge, click)

    def _badge(self, badge: Badge, click: str) -> None:
        if has_extent(badge.box):
            bid = self._id()
            self.parts.append(
                f'<p:sp><p:nvSpPr><p:cNvPr id="{bid}" name="Isosceles Triangle {bid - 1}" descr="">{click}'
                f"{_DECORATIVE}</p:cNvPr>"
                f"<p:cNvSpPr/><p:nvPr/></p:nvSpPr><p:spPr>{self._xfrm(badge.box, 5400000)}"
                f'<a:prstGeom prst="triangle"><a:avLst/></a:prstGeom>{self._fill_or_none(badge.fill)}'
                f"{self._line(badge.stroke) or '<a:ln><a:noFill/></a:ln>'}<a:effectLst/></p:spPr>"
                '<p:style><a:lnRef idx="1"><a:schemeClr val="accent1"/></a:lnRef><a:fillRef idx="3">'
                '<a:schemeClr val="accent1"/></a:fillRef><a:effectRef idx="2"><a:schemeClr val="accent1"/>'
                '</a:effectRef><a:fontRef idx="minor"><a:schemeClr val="lt1"/></a:fontRef></p:style>'
                '<p:txBody><a:bodyPr rtlCol="0" anchor="ctr"/><a:lstStyle/><a:p><a:pPr algn="ctr"/></a:p>'
                "</p:txBody></p:sp>"
            )

    def table(self, frame: TableFrame) -> None:
        sid = self._id()
        nrows, ncols = len(frame.rows), len(frame.col_widths)
        # what each grid position holds: an origin cell (with its span), or a covered one
        grid: list[list[tuple[str, object]]] = [[("empty", None)] * ncols for _ in range(nrows)]
        for placed in frame.grid_cells():
            r, c = placed.row, placed.col
            for rr in range(r, placed.last_row + 1):
                for cc in range(c, placed.last_col + 1):
                    grid[rr][cc] = ("h" if rr == r else "v", (r, c))
            grid[r][c] = ("o", (placed.cell, placed.last_row - r + 1, placed.last_col - c + 1))
        border = "".join(self._line(frame.border, tag) for tag in ("lnL", "lnR", "lnT", "lnB"))
        left, top, right, bottom = (emu(v) for v in frame.cell_insets)
        empty_body = "<a:txBody><a:bodyPr/><a:lstStyle/><a:p/></a:txBody><a:tcPr/>"
        rows_xml = []
        for r in range(nrows):
            fill, color, link_color = frame.row_style(r)
            cells = []
            for c in range(ncols):
                what, data = grid[r][c]
                if what == "o" and isinstance(data, tuple):
                    cell, rs, cs = data
                    span = (f' gridSpan="{cs}"' if cs > 1 else "") + (f' rowSpan="{rs}"' if rs > 1 else "")
                    ppr = self._ppr(Para((), frame.size), frame.line_spacing)
                    runs = self._runs(cell.shown_runs, frame.size, color, link_color)
                    para = "<a:p>" + ppr + "".join(runs) + "</a:p>"
                    cells.append(
                        f'<a:tc{span}><a:txBody><a:bodyPr wrap="square"/><a:lstStyle/>{para}</a:txBody>'
                        f'<a:tcPr marL="{left}" marR="{right}" marT="{top}" marB="{bottom}">{border}'
                        f"{self._fill_or_none(fill)}</a:tcPr></a:tc>"
                    )
                elif what == "h":
                    cells.append(f'<a:tc hMerge="1">{empty_body}</a:tc>')
                elif what == "v":
                    # a covered cell below its origin; one right of it too is also horizontally merged
                    origin = data
                    assert isinstance(origin, tuple)
                    h = ' hMerge="1"' if c != origin[1] else ""
                    cells.append(f'<a:tc vMerge="1"{h}>{empty_body}</a:tc>')
                else:
                    cells.append(f"<a:tc>{empty_body}</a:tc>")
            rows_xml.append(f'<a:tr h="{emu(frame.row_heights[r])}">{"".join(cells)}</a:tr>')
        grid_xml = "".join(f'<a:gridCol w="{emu(w)}"/>' for w in frame.col_widths)
        first = ' firstRow="1"' if frame.header_rows > 0 else ""
        box = frame.box
        self.parts.append(
            f'<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="{sid}" name="Table {sid - 1}"/>'
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
            f'</p:nvGraphicFramePr><p:xfrm><a:off x="{emu(box.x)}" y="{emu(box.y)}"/>'
            f'<a:ext cx="{sum(emu(w) for w in frame.col_widths)}" cy="{emu(box.h)}"/></p:xfrm><a:graphic>'
            '<a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/table">'
            f'<a:tbl><a:tblPr{first} bandRow="1"><a:tableStyleId>{_TABLE_STYLE}</a:tableStyleId></a:tblPr>'
            f"<a:tblGrid>{grid_xml}</a:tblGrid>{''.join(rows_xml)}</a:tbl></a:graphicData></a:graphic>"
            "</p:graphicFrame>"
        )


def notes_xml(text: str) -> str:
    """A notes page: the slide image and the notes body, one paragraph per line."""
    paras = "".join(
        f"<a:p><a:r><a:rPr lang=\"{_lang(line)}\" dirty=\"0\"/><a:t>{xml_text(line)}</a:t></a:r></a:p>" if line else "<a:p/>"
        for line in text.split("\n")
    )
    return (
        f"{HEAD}<p:notes {NS}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id=\"1\" name=\"\"/><p:cNvGrpSpPr/>"
        "<p:nvPr/></p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id=\"2\" name=\"Slide Image Placeholder 1\"/>"
        '<p:cNvSpPr><a:spLocks noGrp="1" noRot="1" noChangeAspect="1"/></p:cNvSpPr><p:nvPr><p:ph type="sldImg"/>'
        '</p:nvPr></p:nvSpPr><p:spPr/></p:sp><p:sp><p:nvSpPr><p:cNvPr id="3" name="Notes Placeholder 2"/>'
        '<p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr><p:nvPr><p:ph type="body" idx="1"/></p:nvPr></p:nvSpPr>'
        f"<p:spPr/><p:txBody><a:bodyPr/><a:lstStyle/>{paras}</p:txBody></p:sp></p:spTree></p:cSld>"
        "<p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
    )


def _break_rpr(rpr: str) -> str:
    """The previous run's properties for an ``a:br`` (without its link).

    LibreOffice draws a link run that ends a line in the break's color, not its own.
    """
    if "hlinkClick" not in rpr:
        return rpr
    head, _, rest = rpr.partition("<a:hlinkClick")
    tail = rest.split("/>", 1)[1]
    return head.replace(' u="sng"', "") + tail


def _link_pieces(run: Run) -> list[Run]:
    """A link run cut at its break opportunities (one run per word, per CJK character).

    LibreOffice shows a hyperlink run as one field that never wraps at its spaces; runs of
    one word each wrap like ordinary text there, and look the same in PowerPoint.
    """
    if not run.link:
        return [run]
    return [replace(run, text=unit) for unit in break_units(run.text)]
