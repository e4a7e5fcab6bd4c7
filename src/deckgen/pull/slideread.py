"""A slide's shapes as ``deckgen pull`` compares them: read from its XML the same way when the
.pptx is written (to record what deckgen wrote) and when an edited deck is read back.

What a shape is to the comparison: its slot (the title placeholder, the body placeholder, or
an ordinary shape by its name: placeholder names and shape ids do not survive LibreOffice,
ordinary shapes' names do), its box, the colours it uses, and its text: one
:class:`TextPara` per paragraph (a table: per cell, its paragraphs joined by line breaks), each
a tuple of runs of one :data:`Style` (bold, italic, struck, link address). What LibreOffice
changes when it saves is read away here: U+200B is dropped, runs split or merged alike read the
same, a link written one word per run reads as one link (spaces' formatting is not compared),
colours are upper-cased, slide-number fields are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import unquote

from lxml import etree

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ZWSP = "\u200b"

# bold, italic, struck through, link address ("" none)
Style = tuple[bool, bool, bool, str]
PLAIN: Style = (False, False, False, "")
TextRuns = tuple[tuple[str, Style], ...]
ShapeKind = Literal["sp", "pic", "tbl", "other"]
Slot = str  # "t" the title placeholder, "b" the body placeholder, "footer", "number", else "=" + the shape's name
TITLE, BODY = "t", "b"
_SKIPPED_PH = {"dt", "hdr", "sldImg"}  # a date, a header, a notes page's picture of its slide
_CHROME_PH = {"ftr": "footer", "sldNum": "number"}  # the theme's footer and slide number: slots of their own
_TITLE_PH = {"title", "ctrTitle"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)


def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


_R_ = _q(A, "r")
_BR = _q(A, "br")
_FLD = _q(A, "fld")
_T = _q(A, "t")
_RPR = _q(A, "rPr")
_PPR = _q(A, "pPr")
_HLINK = _q(A, "hlinkClick")
_SRGB = _q(A, "srgbClr")
_FILL = _q(A, "solidFill")
_SPPR = _q(P, "spPr")
_TCPR = _q(A, "tcPr")


@dataclass(frozen=True)
class TextPara:
    """One paragraph as read: its runs (merged by style, U+200B dropped), whether it has a
    bullet or number, and its indent level (``marL`` in EMU, or ``lvl``)."""

    runs: TextRuns
    bullet: bool = False
    indent: int = 0

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


@dataclass(frozen=True)
class Shape:
    kind: ShapeKind
    slot: Slot | None  # None: a placeholder deckgen fills itself (footer, number)
    name: str
    box: tuple[int, int, int, int] | None  # EMU: x, y, width, height
    paras: tuple[TextPara, ...] = ()  # a text shape's paragraphs
    cells: tuple[TextPara, ...] = ()  # a table's cells that are not covered by a span, in row order
    grid: tuple[int, int] = (0, 0)  # a table's rows and columns
    colours: frozenset[str] = frozenset()
    hidden: bool = False
    descr: str = ""


def merge_runs(runs: list[tuple[str, Style]]) -> TextRuns:
    """Runs of one style joined, empty ones and U+200B dropped."""
    out: list[tuple[str, Style]] = []
    for text, style in runs:
        text = text.replace(ZWSP, "")
        if not text:
            continue
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        else:
            out.append((text, style))
    return tuple(out)


def link_target(target: str) -> str:
    """A link address as compared (LibreOffice may quote characters PowerPoint leaves as they are)."""
    return unquote(target).strip()


def _truthy(value: str | None) -> bool:
    return value in ("1", "true", "on")


def _style(rpr: etree._Element | None, rels: Mapping[str, str]) -> Style:
    if rpr is None:
        return PLAIN
    link = ""
    click = rpr.find(_HLINK)
    if click is not None:
        rid = click.get(_q(R, "id")) or ""
        link = link_target(rels.get(rid, "")) if rid else ""
    strike = rpr.get("strike")
    return (_truthy(rpr.get("b")), _truthy(rpr.get("i")), bool(strike) and strike != "noStrike", link)


def read_para(p: etree._Element, rels: Mapping[str, str]) -> TextPara:
    runs: list[tuple[str, Style]] = []
    for child in p:
        tag = child.tag
        if tag == _R_:
            t = child.find(_T)
            runs.append(((t.text or "") if t is not None else "", _style(child.find(_RPR), rels)))
        elif tag == _BR:
            runs.append(("\n", PLAIN))
        # a:fld (the slide number, a date) is the application's text, not the post's
    ppr = p.find(_PPR)
    bullet = False
    indent = 0
    if ppr is not None:
        bullet = ppr.find(_q(A, "buChar")) is not None or ppr.find(_q(A, "buAutoNum")) is not None
        indent = int(ppr.get("marL") or 0) or int(ppr.get("lvl") or 0)
    return TextPara(merge_runs(runs), bullet, indent)


def _colours(el: etree._Element) -> frozenset[str]:
    """The colours a shape shows: its fill and line, its cells' fills, its text runs' (not what
    an application adds for an empty paragraph's end or a list style, nor a shadow's)."""
    found: set[str] = set()
    for colour in el.iter(_SRGB):  # each colour's fill, in a holder or one level below it (a line's)
        fill = colour.getparent()
        if fill is None or fill.tag != _FILL:
            continue
        above = fill.getparent()
        for holder in (above, above.getparent() if above is not None else None):
            if holder is not None and _is_holder(holder, el):
                if value := colour.get("val"):
                    found.add(value.upper())
                break
    return frozenset(found)


def _is_holder(holder: etree._Element, shape: etree._Element) -> bool:
    """The shape's own properties, a table cell's, or a text run's."""
    tag = holder.tag
    if tag == _SPPR:
        return holder.getparent() is shape
    if tag == _RPR:
        run = holder.getparent()
        return run is not None and run.tag == _R_
    return tag == _TCPR


def _box(xfrm: etree._Element | None) -> tuple[int, int, int, int] | None:
    if xfrm is None:
        return None
    off, ext = xfrm.find(_q(A, "off")), xfrm.find(_q(A, "ext"))
    if off is None or ext is None:
        return None
    try:
        return (int(off.get("x", 0)), int(off.get("y", 0)), int(ext.get("cx", 0)), int(ext.get("cy", 0)))
    except ValueError:
        return None


def _slot(el: etree._Element, name: str) -> Slot | None:
    ph = el.find(f"./*/{_q(P, 'nvPr')}/{_q(P, 'ph')}")
    if ph is None:
        return "=" + name
    kind = ph.get("type") or "body"
    if kind in _SKIPPED_PH:
        return None
    if kind in _CHROME_PH:
        return _CHROME_PH[kind]
    if kind in _TITLE_PH:
        return TITLE
    return BODY  # body, subTitle, obj, a bare <p:ph idx="1"/>


def _table(frame: etree._Element, rels: Mapping[str, str]) -> tuple[tuple[TextPara, ...], tuple[int, int]]:
    cells: list[TextPara] = []
    rows = frame.findall(f".//{_q(A, 'tr')}")
    cols = 0
    for tr in rows:
        tcs = tr.findall(_q(A, "tc"))
        cols = max(cols, len(tcs))
        for tc in tcs:
            if _truthy(tc.get("hMerge")) or _truthy(tc.get("vMerge")):
                continue
            paras = [read_para(p, rels) for p in tc.iterfind(f"./{_q(A, 'txBody')}/{_q(A, 'p')}")]
            runs: list[tuple[str, Style]] = []
            for i, para in enumerate(paras):
                if i:
                    runs.append(("\n", PLAIN))
                runs.extend(para.runs)
            cells.append(TextPara(merge_runs(runs)))
    return tuple(cells), (len(rows), cols)


def _shapes(tree: etree._Element, rels: Mapping[str, str]) -> Iterator[Shape]:
    for el in tree:
        tag = etree.QName(el).localname if isinstance(el.tag, str) else ""
        if tag == "grpSp":  # shapes a teacher grouped: each still counts
            yield from _shapes(el, rels)
            continue
        if tag not in ("sp", "pic", "graphicFrame", "cxnSp"):
            continue
        cnv = el.find(f"./*/{_q(P, 'cNvPr')}")
        name = (cnv.get("name") or "") if cnv is not None else ""
        hidden = cnv is not None and _truthy(cnv.get("hidden"))
        descr = (cnv.get("descr") or "") if cnv is not None else ""
        slot = _slot(el, name)
        if tag == "graphicFrame":
            box = _box(el.find(_q(P, "xfrm")))
            if el.find(f".//{_q(A, 'tbl')}") is not None:
                cells, grid = _table(el, rels)
                yield Shape("tbl", slot, name, box, (), cells, grid, _colours(el), hidden, descr)
            else:
                yield Shape("other", slot, name, box, colours=_colours(el), hidden=hidden, descr=descr)
            continue
        box = _box(el.find(f"./{_q(P, 'spPr')}/{_q(A, 'xfrm')}"))
        if tag == "pic":
            yield Shape("pic", slot, name, box, colours=_colours(el), hidden=hidden, descr=descr)
            continue
        body = el.find(_q(P, "txBody"))
        paras = tuple(read_para(p, rels) for p in body.iterfind(_q(A, "p"))) if body is not None else ()
        kind: ShapeKind = "sp" if tag == "sp" else "other"
        yield Shape(kind, slot, name, box, paras, colours=_colours(el), hidden=hidden, descr=descr)


def read_slide(xml: bytes | str, rels: Mapping[str, str]) -> list[Shape]:
    """The shapes of a slide's XML, in the order of its shape tree; ``rels`` maps the slide's
    relationship ids to their targets (its links)."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    root = etree.fromstring(data, _PARSER)
    tree = root.find(f"./{_q(P, 'cSld')}/{_q(P, 'spTree')}")
    return list(_shapes(tree, rels)) if tree is not None else []


def read_notes(xml: bytes | str) -> str:
    """The text of a notes page's notes placeholder: its paragraphs, one per line."""
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    root = etree.fromstring(data, _PARSER)
    for sp in root.iter(_q(P, "sp")):
        ph = sp.find(f"./*/{_q(P, 'nvPr')}/{_q(P, 'ph')}")
        if ph is not None and ph.get("type") == "body":
            body = sp.find(_q(P, "txBody"))
            if body is None:
                return ""
            lines = [read_para(p, {}).text for p in body.iterfind(_q(A, "p"))]
            return "\n".join(lines).strip("\n")
    return ""


__all__ = [
    "BODY", "PLAIN", "TITLE", "Shape", "ShapeKind", "Slot", "Style", "TextPara", "TextRuns",
    "link_target", "merge_runs", "read_notes", "read_para", "read_slide",
]
