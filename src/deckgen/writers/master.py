"""The slide master with python-pptx: the template (or python-pptx's own), the theme on it.

python-pptx is good at this part (opening a template, its layouts, its theme part); the
result is a package without slides (``package.Base``, with what the slides need of its
layouts) that the .pptx writer caches and reuses. The dependency runs one way: this module
uses the package writer's ``Base``; the package writer never opens python-pptx.
"""

from __future__ import annotations

import io
from typing import Any

from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import PP_PLACEHOLDER
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationT
from pptx.util import Emu

from deckgen.model.laidout import Box, LaidDeck
from deckgen.theme.contrast import relative_luminance
from deckgen.theme.schema import Theme
from deckgen.writers.ooxml import EMU_PER_PT, xml_attr
from deckgen.writers.package import LAYOUT_NAMES, Base
from deckgen.writers.slidexml import LayoutInfo, LayoutPlaceholder


def _emu(points: float) -> Emu:
    return Emu(int(round(points * EMU_PER_PT)))


def _rgb(hex6: str) -> RGBColor:
    return RGBColor.from_string(hex6.upper())


def make_base(theme: Theme, deck: LaidDeck, chrome: dict[str, Box]) -> Base:
    """The presentation without slides: the template (or python-pptx's own), sized to the
    deck, the theme on its master, its notes master; saved once, reused for every deck."""
    if theme.pptx_template:
        prs = Presentation(str(theme.pptx_template))
        _drop_slides(prs)
    else:
        prs = Presentation()
    # masters and layouts drawn for another size (python-pptx's own is 10 in x 7.5 in, many
    # 16:9 templates are 10 in x 5.625 in) are stretched to the deck's size
    _scale_masters(prs, deck.width, deck.height)
    prs.slide_width = _emu(deck.width)
    prs.slide_height = _emu(deck.height)
    if not theme.pptx_template:
        # the template's own design wins; without one, the master carries the theme
        apply_theme_to_master(prs, theme, chrome)
    _no_autofit(prs)
    return base_from(prs)


def base_from(prs: Any) -> Base:  # noqa: ANN401 (a python-pptx Presentation without slides)
    """The package the slides are added to, and what they need of it: each layout's part and
    placeholders, the notes master."""
    notes_part = prs.notes_master.part  # python-pptx makes a default one if the template has none
    notes_target = "../" + str(notes_part.partname)[len("/ppt/") :]
    layouts = {name: layout_info(find_layout(prs, name)) for name in LAYOUT_NAMES}
    buffer = io.BytesIO()
    prs.save(buffer)
    return Base(buffer.getvalue(), layouts, notes_target)


def _kind(ph: Any) -> str:  # noqa: ANN401 (python-pptx's placeholder)
    kind = ph.placeholder_format.type
    if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE):
        return "title"
    if kind in (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT):
        return "body"
    if kind == PP_PLACEHOLDER.FOOTER:
        return "footer"
    if kind == PP_PLACEHOLDER.SLIDE_NUMBER:
        return "number"
    return "other"


def layout_info(layout: Any) -> LayoutInfo:  # noqa: ANN401
    """A layout's part and placeholders, read once per deck (not once per slide)."""
    placeholders = []
    for ph in layout.placeholders:
        el = ph._element.ph
        attrs = "".join(
            f" {name}={xml_attr(el.get(name))}" for name in ("type", "orient", "sz", "idx") if el.get(name)
        )
        placeholders.append(LayoutPlaceholder(_kind(ph), attrs, ph.name))
    partname = str(layout.part.partname)
    return LayoutInfo("../" + partname[len("/ppt/") :], tuple(placeholders))


# ---------------------------------------------------------------------------
# the theme on the slide master (colors, fonts, sizes, footer) and the template's layouts

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_TITLE_TYPES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE)
_BODY_TYPES = (PP_PLACEHOLDER.SUBTITLE, PP_PLACEHOLDER.BODY, PP_PLACEHOLDER.OBJECT)


def _pop_placeholder(placeholders: dict, types: tuple) -> Any:
    for idx, ph in sorted(placeholders.items()):
        if ph.placeholder_format.type in types:
            return placeholders.pop(idx)
    return None


def _layout_kind(layout) -> str:
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


def find_layout(prs: PresentationT, name: str):
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


def _srgb(parent, hex6: str):
    fill = etree.SubElement(parent, qn("a:solidFill"))
    etree.SubElement(fill, qn("a:srgbClr")).set("val", hex6.upper())
    return fill


def _one_step_off(hex6: str) -> str:
    """The same colour with its blue channel one step (of 255) away."""
    blue = int(hex6[4:6], 16)
    return f"{hex6[:4]}{blue + 1 if blue < 255 else blue - 1:02X}".upper()


def _set_color_slot(scheme, slot: str, hex6: str) -> None:
    el = scheme.find(qn(f"a:{slot}"))
    if el is None:
        el = etree.SubElement(scheme, qn(f"a:{slot}"))
    for child in list(el):
        el.remove(child)
    etree.SubElement(el, qn("a:srgbClr")).set("val", hex6.upper())


def _set_fonts(font_el, latin: str, east_asian: str) -> None:
    """``a:majorFont``/``a:minorFont``: Latin and East Asian typefaces, and the Traditional Chinese script."""
    font_el.find(qn("a:latin")).set("typeface", latin)
    font_el.find(qn("a:ea")).set("typeface", east_asian)
    for script in font_el.findall(qn("a:font")):
        if script.get("script") == "Hant":
            script.set("typeface", east_asian)


def _theme_element(master):
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


def _def_rpr(level, size: float, color: str) -> None:
    d = level.find(qn("a:defRPr"))
    if d is None:
        d = etree.SubElement(level, qn("a:defRPr"))
    d.set("sz", str(int(round(size * 100))))
    for old in d.findall(qn("a:solidFill")):
        d.remove(old)
    d.insert(0, _srgb(etree.Element("x"), color))


def _style_levels(style, size: float, color: str, step: float) -> None:
    """Master text style: level n at ``size - n * step`` points (never under 14), in ``color``."""
    if style is None:
        return
    for n in range(1, 10):
        level = style.find(qn(f"a:lvl{n}pPr"))
        if level is not None:
            _def_rpr(level, max(14.0, size - (n - 1) * step), color)


def _no_autofit(prs: PresentationT) -> None:
    """Drop "shrink text on overflow" from masters and layouts: the layout sized every text
    already, and LibreOffice would otherwise apply the master's autofit to our placeholders."""
    parts = [*prs.slide_masters, *(layout for m in prs.slide_masters for layout in m.slide_layouts)]
    for part in parts:
        for body_pr in part.element.iter(qn("a:bodyPr")):
            for auto in body_pr.findall(qn("a:normAutofit")) + body_pr.findall(qn("a:spAutoFit")):
                body_pr.remove(auto)


