"""The .pptx package: python-pptx's presentation (template, masters, theme) plus our slides.

python-pptx saves the presentation without slides; this module copies that package into
the output ZIP and adds the slides, their notes, relationships and pictures, patching the
three parts that list them (``[Content_Types].xml``, ``ppt/presentation.xml`` and its
relationships). Each slide is written to the ZIP as soon as it is made, so memory and time
grow with the deck, not with its square. Pictures are stored (they are compressed already),
XML is deflated.
"""

from __future__ import annotations

import gc
import hashlib
import io
import zipfile
from pathlib import Path
from typing import IO, Any
from xml.sax.saxutils import quoteattr

from lxml import etree

from deckgen.model import LaidDeck, Page, TextFrame
from deckgen.theme import Theme
from deckgen.writers.slidexml import HEAD, LayoutInfo, LayoutPlaceholder, SlideWriter, notes_xml

_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_SLIDE_CT = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
_NOTES_CT = "application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"
_MEDIA_CT = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif"}
_PATCHED = ("[Content_Types].xml", "ppt/presentation.xml", "ppt/_rels/presentation.xml.rels")


class _Media:
    """Pictures written once each (by path, then by content), stored uncompressed."""

    def __init__(self, out: zipfile.ZipFile, taken: set[str]) -> None:
        self.out = out
        self.taken = taken
        self.by_path: dict[str, str] = {}
        self.by_digest: dict[str, str] = {}
        self.count = 0

    def target_for(self, path: str, fmt: str) -> str:
        found = self.by_path.get(path)
        if found:
            return found
        data = Path(path).read_bytes()
        digest = hashlib.sha1(data).hexdigest()
        found = self.by_digest.get(digest)
        if found is None:
            ext = fmt if fmt in _MEDIA_CT else "png"
            while True:
                self.count += 1
                name = f"ppt/media/image{self.count}.{ext}"
                if name not in self.taken:
                    break
            self.taken.add(name)
            self.out.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_STORED)
            found = "../" + name[len("ppt/") :]
            self.by_digest[digest] = found
        self.by_path[path] = found
        return found


def _kind(ph: Any) -> str:  # noqa: ANN401 (python-pptx's placeholder)
    from pptx.enum.shapes import PP_PLACEHOLDER

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
            f" {name}={quoteattr(el.get(name))}" for name in ("type", "orient", "sz", "idx") if el.get(name)
        )
        placeholders.append(LayoutPlaceholder(_kind(ph), attrs, ph.name))
    partname = str(layout.part.partname)
    return LayoutInfo("../" + partname[len("/ppt/") :], tuple(placeholders))


def layout_name(page: Page) -> str:
    if page.kind == "title":
        return "Title Slide"
    if page.title is None:
        return "Blank"
    if any(isinstance(f, TextFrame) and f.role == "body" for f in page.frames):
        return "Title and Content"
    return "Title Only"


def _rels_xml(items: list[tuple[str, str, str, bool]]) -> str:
    rows = "".join(
        f'<Relationship Id="{rid}" Type="{rtype}" Target={quoteattr(target)}'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for rid, rtype, target, external in items
    )
    return f'{HEAD}<Relationships xmlns="{_PR}">{rows}</Relationships>'


def _patched_content_types(data: bytes, pages: tuple[Page, ...]) -> bytes:
    root = etree.fromstring(data)
    defaults = {el.get("Extension") for el in root.findall(f"{{{_CT}}}Default")}
    first_override = root.find(f"{{{_CT}}}Override")
    for ext, ctype in _MEDIA_CT.items():
        if ext not in defaults:
            el = etree.Element(f"{{{_CT}}}Default", Extension=ext, ContentType=ctype)
            if first_override is not None:
                first_override.addprevious(el)
            else:
                root.append(el)
    for i, page in enumerate(pages, 1):
        etree.SubElement(root, f"{{{_CT}}}Override", PartName=f"/ppt/slides/slide{i}.xml", ContentType=_SLIDE_CT)
        if page.notes:
            etree.SubElement(
                root, f"{{{_CT}}}Override", PartName=f"/ppt/notesSlides/notesSlide{i}.xml", ContentType=_NOTES_CT
            )
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _patched_presentation(data: bytes, rels_data: bytes, count: int) -> tuple[bytes, bytes]:
    rels = etree.fromstring(rels_data)
    used = [int(el.get("Id")[3:]) for el in rels if (el.get("Id") or "").startswith("rId") and el.get("Id")[3:].isdigit()]
    next_rid = max(used, default=0) + 1
    root = etree.fromstring(data)
    lst = root.find(f"{{{_P}}}sldIdLst")
    if lst is None:
        lst = etree.Element(f"{{{_P}}}sldIdLst")
        anchor = None
        for tag in ("handoutMasterIdLst", "notesMasterIdLst", "sldMasterIdLst"):
            anchor = root.find(f"{{{_P}}}{tag}")
            if anchor is not None:
                break
        if anchor is not None:
            anchor.addnext(lst)
        else:
            root.insert(0, lst)
    for child in list(lst):
        lst.remove(child)
    for i in range(count):
        rid = f"rId{next_rid + i}"
        etree.SubElement(lst, f"{{{_P}}}sldId", {"id": str(256 + i), f"{{{_R}}}id": rid})
        etree.SubElement(
            rels, f"{{{_PR}}}Relationship", Id=rid, Type=_RT + "slide", Target=f"slides/slide{i + 1}.xml"
        )
    if count == 0:
        root.remove(lst)  # an empty list is not schema-valid

    def dump(el: Any) -> bytes:  # noqa: ANN401
        return etree.tostring(el, xml_declaration=True, encoding="UTF-8", standalone=True)

    return dump(root), dump(rels)


def write_package(prs: Any, deck: LaidDeck, theme: Theme, target: Path | IO[bytes]) -> None:  # noqa: ANN401
    """Save ``prs`` (no slides in it) with the deck's pages as slides into ``target``."""
    # the strings made here are short-lived and hold no cycles: the cyclic collector would
    # only walk the whole laid-out deck again and again (time growing with its square)
    enabled = gc.isenabled()
    gc.disable()
    try:
        _write_package(prs, deck, theme, target)
    finally:
        if enabled:
            gc.enable()


def _write_package(prs: Any, deck: LaidDeck, theme: Theme, target: Path | IO[bytes]) -> None:  # noqa: ANN401
    from deckgen.writers.pptx import find_layout

    notes_target = ""
    if any(page.notes for page in deck.pages):
        notes_part = prs.notes_master.part  # python-pptx makes a default one if the template has none
        notes_target = "../" + str(notes_part.partname)[len("/ppt/") :]
    layouts: dict[str, LayoutInfo] = {}
    for page in deck.pages:
        name = layout_name(page)
        if name not in layouts:
            layouts[name] = layout_info(find_layout(prs, name))
    base = io.BytesIO()
    prs.save(base)
    stamp = (1980, 1, 1, 0, 0, 0)

    def put(out: zipfile.ZipFile, name: str, data: bytes | str, stored: bool = False) -> None:
        method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        out.writestr(zipfile.ZipInfo(name, stamp), data, method)

    sink: IO[bytes] | str = str(target) if isinstance(target, Path) else target
    with zipfile.ZipFile(base) as zin, zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as out:
        names = zin.namelist()
        put(out, "[Content_Types].xml", _patched_content_types(zin.read("[Content_Types].xml"), deck.pages))
        presentation, rels = _patched_presentation(
            zin.read("ppt/presentation.xml"), zin.read("ppt/_rels/presentation.xml.rels"), len(deck.pages)
        )
        for name in names:
            if name == "ppt/presentation.xml":
                put(out, name, presentation)
            elif name == "ppt/_rels/presentation.xml.rels":
                put(out, name, rels)
            elif name not in _PATCHED:
                put(out, name, zin.read(name), stored=name.startswith("ppt/media/"))
        media = _Media(out, set(names))
        for i, page in enumerate(deck.pages, 1):
            layout = layouts[layout_name(page)]
            writer = SlideWriter(theme, layout, media, i)
            xml = writer.page(page)
            items = [("rId1", _RT + "slideLayout", layout.target, False), *writer.rels.items]
            if page.notes:
                rid = f"rId{len(items) + 1}"
                items.append((rid, _RT + "notesSlide", f"../notesSlides/notesSlide{i}.xml", False))
                put(out, f"ppt/notesSlides/notesSlide{i}.xml", notes_xml(page.notes))
                put(
                    out,
                    f"ppt/notesSlides/_rels/notesSlide{i}.xml.rels",
                    _rels_xml(
                        [
                            ("rId1", _RT + "notesMaster", notes_target, False),
                            ("rId2", _RT + "slide", f"../slides/slide{i}.xml", False),
                        ]
                    ),
                )
            put(out, f"ppt/slides/slide{i}.xml", xml)
            put(out, f"ppt/slides/_rels/slide{i}.xml.rels", _rels_xml(items))
