"""Slide XML for the .pptx writer, written as text: one string per slide, no object model.

python-pptx builds a slide through an lxml object per element and a lookup per property;
for a deck of thousands of runs that is most of a build's time. This module writes the
same PresentationML directly, in the element order the schema (and PowerPoint) uses.
It decides nothing: every position, size and colour comes from the laid-out page and the
theme. Relationships a slide needs (its layout, pictures, links, notes) are collected in
``SlideRels`` (``ooxml``) and written by the package writer; the text of the shapes is
``textxml``'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from deckgen.model.document import Origin, Run
from deckgen.model.laidout import (
    Badge,
    Box,
    CodeFrame,
    Page,
    Para,
    PictureFrame,
    PlaceholderFrame,
    QrFrame,
    Stroke,
    TableFrame,
    TextFrame,
)
from deckgen.theme.schema import Theme
from deckgen.urlpolicy import UrlPolicy
from deckgen.visitor import FrameVisitor
from deckgen.writers.ooxml import (
    HEAD,
    NS,
    RT_IMAGE,
    RT_LINK,
    SlideRels,
    emu,
    has_extent,
    solid_fill,
    xml_attr,
    xml_text,
)
from deckgen.writers.textxml import TextXml

_DECORATIVE = (
    '<a:extLst><a:ext uri="{C183D7F6-B498-43B3-948B-1728B52AA6E4}">'
    '<adec:decorative xmlns:adec="http://schemas.microsoft.com/office/drawing/2017/decorative" val="1"/>'
    "</a:ext></a:extLst>"
)
_TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # PowerPoint's "Medium Style 2 - Accent 1"


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
        # per shape written, in order: the origins of its paragraphs (a table: of its cells in
        # row order), None for a shape without the post's text (the deck's map, for deckgen pull)
        self.origins: list[tuple[Origin | None, ...] | None] = []
        self.next_id = 2
        self._body_frame: TextFrame | None = None  # the page's frame in the body placeholder
        self.textxml = TextXml(theme, self.links, self.rels)

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
        self.textxml.lang = page.lang
        title = page.any_title  # shown, or hidden: placed off the slide by the layout
        # placeholders come first, in the layout's order (as PowerPoint clones them); the title
        # is the first shape of the tree, so it comes first in the reading order
        for ph in layout.placeholders:
            if ph is title_ph and title is not None:
                self._text_shape(title, ph, heading=True)
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
            fill = solid_fill(frame.fill) if frame.fill else ""
        else:
            nv = (
                f'<p:nvSpPr><p:cNvPr id="{sid}" name="TextBox {sid - 1}"/><p:cNvSpPr txBox="1"/>'
                "<p:nvPr/></p:nvSpPr>"
            )
            geom = '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            fill = solid_fill(frame.fill) if frame.fill else "<a:noFill/>"
        body = self.textxml.paras(frame.paras, frame.line_spacing, frame.link_color, number, title=heading)
        self.origins.append(tuple(p.origin for p in frame.paras))
        self.parts.append(
            f"<p:sp>{nv}<p:spPr>{self._xfrm(frame.box)}{geom}{fill}</p:spPr>"
            f"<p:txBody>{self.textxml.body_pr(frame.insets)}{body}</p:txBody></p:sp>"
        )

    def code(self, frame: CodeFrame) -> None:
        sid = self._id()
        out = []
        for line in frame.lines:
            items = [self.textxml.ppr(Para((), frame.size), frame.line_spacing)]
            runs = line or (Run(" ", code=True),)
            for run in runs:
                if run.is_break:
                    items.append("<a:br/>")
                    continue
                rpr = self.textxml.rpr(run, run.link, run.color, frame.size, frame.color, None, mono=True)
                items.append(f"<a:r>{rpr}<a:t>{xml_text(run.text)}</a:t></a:r>")
            out.append("<a:p>" + "".join(items) + "</a:p>")
        self.origins.append(None)
        self.parts.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="TextBox {sid - 1}"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr>{self._xfrm(frame.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f"{self._fill_or_none(frame.fill)}</p:spPr><p:txBody>{self.textxml.body_pr(frame.insets)}"
            f"{''.join(out) or '<a:p/>'}</p:txBody></p:sp>"
        )

    def _fill_or_none(self, hex6: str | None) -> str:
        return solid_fill(hex6) if hex6 else "<a:noFill/>"

    def _line(self, stroke: Stroke | None, tag: str = "ln") -> str:
        if stroke is None:
            return ""
        dash = '<a:prstDash val="dash"/>' if stroke.dash else ""
        return f'<a:{tag} w="{emu(stroke.width)}">{solid_fill(stroke.color)}{dash}</a:{tag}>'

    def placeholder(self, frame: PlaceholderFrame) -> None:
        sid = self._id()
        spacing = frame.line_spacing
        first = self.textxml.ppr(Para((), frame.size, align="center"), spacing)
        second = self.textxml.ppr(Para((), frame.size, align="center", space_before=frame.gap), spacing)
        reason = Run(frame.reason, bold=True)
        link = Run(frame.shown_url or frame.url, link=frame.link or None)
        rpr = self.textxml.rpr(reason, reason.link, reason.color, frame.size, frame.color, frame.link_color)
        p1 = f"<a:p>{first}<a:r>{rpr}<a:t>{xml_text(reason.text)}</a:t></a:r></a:p>"
        p2 = f"<a:p>{second}{''.join(self.textxml.runs([link], frame.size, frame.link_color, frame.link_color))}</a:p>"
        self.origins.append(None)
        self.parts.append(
            f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="TextBox {sid - 1}"/><p:cNvSpPr txBox="1"/><p:nvPr/>'
            f'</p:nvSpPr><p:spPr>{self._xfrm(frame.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f"{self._fill_or_none(frame.fill)}{self._line(frame.border)}</p:spPr>"
            f'<p:txBody>{self.textxml.body_pr(frame.insets, "ctr")}{p1}{p2}</p:txBody></p:sp>'
        )

    def qr(self, frame: QrFrame) -> None:
        """The code as ONE freeform shape, a rectangle in its path for each run of modules
        (LibreOffice draws hairline gaps between touching shapes, and a camera then fails to
        read the code); no ``p:style`` (the theme's shadow), and its address as alt text. The
        address in words beside it is a text box."""
        if frame.runs and frame.color and has_extent(frame.box):
            sid = self._id()
            n = len(frame.modules)
            path = "".join(
                f'<a:moveTo><a:pt x="{x}" y="{y}"/></a:moveTo><a:lnTo><a:pt x="{x + w}" y="{y}"/></a:lnTo>'
                f'<a:lnTo><a:pt x="{x + w}" y="{y + 1}"/></a:lnTo><a:lnTo><a:pt x="{x}" y="{y + 1}"/></a:lnTo><a:close/>'
                for y, x, w in frame.runs
            )
            self.origins.append(None)  # no text of the post
            self.parts.append(
                f'<p:sp><p:nvSpPr><p:cNvPr id="{sid}" name="QR code" descr={xml_attr(frame.alt)}/><p:cNvSpPr/><p:nvPr/>'
                f"</p:nvSpPr><p:spPr>{self._xfrm(frame.box)}<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/>"
                f'<a:rect l="l" t="t" r="r" b="b"/><a:pathLst><a:path w="{n}" h="{n}" stroke="0">{path}</a:path>'
                f"</a:pathLst></a:custGeom>{solid_fill(frame.color)}<a:ln><a:noFill/></a:ln></p:spPr></p:sp>"
            )
        self._text_shape(frame.label, None)

    def picture(self, frame: PictureFrame) -> None:
        asset = frame.asset
        assert asset.path is not None
        if not has_extent(frame.box):
            return  # PowerPoint refuses a zero or negative size (the layout never makes one)
        sid = self._id()
        target = self.media.target_for(str(asset.path), asset.fmt or "png")
        rid = self.rels.add(RT_IMAGE, target)
        # the post's description as it is; none: an empty one, which PowerPoint's Accessibility
        # Checker lists as missing (and offers to draft); decoration carries PowerPoint's mark
        decorative = _DECORATIVE if frame.decorative else ""
        click = ""
        link = self.links.absolute(frame.link) if frame.link else None
        if link:
            click = f'<a:hlinkClick r:id="{self.rels.add(RT_LINK, link, external=True)}"/>'
        self.parts.append(
            f'<p:pic><p:nvPicPr><p:cNvPr id="{sid}" name="Picture {sid - 1}" descr={xml_attr("" if frame.decorative else frame.description)}>{click}'
            f'{decorative}</p:cNvPr><p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
            f'<p:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill>'
            f'<p:spPr>{self._xfrm(frame.box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>'
        )
        self.origins.append(None)
        if frame.play_badge is not None:
            self._badge(frame.play_badge, click)

    def _badge(self, badge: Badge, click: str) -> None:
        if has_extent(badge.box):
            bid = self._id()
            self.origins.append(None)
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
        origins: list[Origin | None] = []  # each cell a span does not cover, in row order
        for r in range(nrows):
            fill, color, link_color = frame.row_style(r)
            cells = []
            for c in range(ncols):
                what, data = grid[r][c]
                if what == "o" and isinstance(data, tuple):
                    cell, rs, cs = data
                    origins.append(cell.origin)
                    span = (f' gridSpan="{cs}"' if cs > 1 else "") + (f' rowSpan="{rs}"' if rs > 1 else "")
                    ppr = self.textxml.ppr(Para((), frame.size), frame.line_spacing)
                    runs = self.textxml.runs(cell.shown_runs, frame.size, color, link_color)
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
                    origins.append(None)
                    cells.append(f"<a:tc>{empty_body}</a:tc>")
            rows_xml.append(f'<a:tr h="{emu(frame.row_heights[r])}">{"".join(cells)}</a:tr>')
        grid_xml = "".join(f'<a:gridCol w="{emu(w)}"/>' for w in frame.col_widths)
        first = ' firstRow="1"' if frame.header_rows > 0 else ""
        box = frame.box
        self.origins.append(tuple(origins))
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
