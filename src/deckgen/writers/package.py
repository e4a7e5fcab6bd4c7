"""The .pptx package: python-pptx's presentation (template, masters, theme) plus our slides.

python-pptx saves the presentation without slides (``master.make_base`` makes that ``Base``);
this module copies that package into the output ZIP and adds the slides, their notes,
relationships and pictures, patching the three parts that list them (``[Content_Types].xml``, ``ppt/presentation.xml`` and its
relationships). Each slide is written to the ZIP as soon as it is made, so memory and time
grow with the deck, not with its square. Pictures are stored (they are compressed already),
XML is deflated.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from lxml import etree

from deckgen import __version__
from deckgen.dates import NO_DATE
from deckgen.model.laidout import LaidDeck, Page
from deckgen.plaintext import shorten
from deckgen.pull.deckmap import (
    CUSTOM_CT,
    CUSTOM_PART,
    CUSTOM_RT,
    DeckMap,
    PageMap,
    custom_xml,
    properties,
)
from deckgen.pull.mapmemo import MapMemo
from deckgen.theme.schema import Theme
from deckgen.urlpolicy import UrlPolicy
from deckgen.writers.ooxml import HEAD, xml_attr, xml_text
from deckgen.writers.slidexml import LayoutInfo, LayoutPlaceholder, SlideWriter
from deckgen.writers.textxml import notes_xml

CORE_PROPERTY_MAX = 255  # python-pptx (and the OOXML schema) limit a core property to this
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_SLIDE_CT = "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"
_NOTES_CT = "application/vnd.openxmlformats-officedocument.presentationml.notesSlide+xml"
_MEDIA_CT = {"png": "image/png", "jpeg": "image/jpeg", "gif": "image/gif"}
_PATCHED = ("[Content_Types].xml", "ppt/presentation.xml", "ppt/_rels/presentation.xml.rels", "_rels/.rels", CUSTOM_PART)


ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # every entry's time: the bytes depend on the deck, not on when it was made


def zip_entry(name: str) -> zipfile.ZipInfo:
    """An entry with a fixed time and the same "made on" system everywhere (zipfile's default
    says Windows on Windows, Unix elsewhere: the bytes would differ between machines)."""
    info = zipfile.ZipInfo(name, ZIP_TIME)
    info.create_system = 3
    return info


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
            self.out.writestr(zip_entry(name), data, zipfile.ZIP_STORED)
            found = "../" + name[len("ppt/") :]
            self.by_digest[digest] = found
        self.by_path[path] = found
        return found


def _rels_xml(items: list[tuple[str, str, str, bool]]) -> str:
    rows = "".join(
        f'<Relationship Id="{rid}" Type="{rtype}" Target={xml_attr(target)}'
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
    if root.find(f"{{{_CT}}}Override[@PartName='/{CUSTOM_PART}']") is None:
        etree.SubElement(root, f"{{{_CT}}}Override", PartName=f"/{CUSTOM_PART}", ContentType=CUSTOM_CT)
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


def _patched_package_rels(data: bytes) -> bytes:
    """The package's relationships with the custom properties' (the map ``deckgen pull`` reads)."""
    root = etree.fromstring(data)
    if not any(el.get("Type") == CUSTOM_RT for el in root):
        used = {el.get("Id") for el in root}
        n = 1
        while f"rId{n}" in used:
            n += 1
        etree.SubElement(root, f"{{{_PR}}}Relationship", Id=f"rId{n}", Type=CUSTOM_RT, Target=CUSTOM_PART)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _map_properties(deck: LaidDeck, pages: list[PageMap]) -> list[tuple[str, str]]:
    source = deck.provenance
    post, sha = (source.post, source.post_sha256) if source is not None else ("", "")
    return properties(post, sha, __version__, DeckMap(tuple(pages), deck.meta.site_url))


BASE_MEMBER = "deckgen/base.json"  # inside a cached base: what the slides need of it


@dataclass(frozen=True)
class Base:
    """The presentation without slides: masters, layouts, theme (python-pptx made it once)."""

    data: bytes  # a .pptx package with no slides
    layouts: dict[str, LayoutInfo]
    notes_target: str  # the notes master, relative to ppt/notesSlides/


LAYOUT_NAMES = ("Title Slide", "Title and Content", "Title Only", "Blank")


def base_to_bytes(base: Base) -> bytes:
    """One file for the cache: the package with its layout notes in one extra member."""
    meta = {
        "notes_target": base.notes_target,
        "layouts": {
            name: {"target": info.target, "placeholders": [[p.kind, p.ph_attrs, p.name] for p in info.placeholders]}
            for name, info in base.layouts.items()
        },
    }
    buffer = io.BytesIO(base.data)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(BASE_MEMBER, json.dumps(meta))
    return buffer.getvalue()


def base_from_bytes(data: bytes) -> Base | None:
    """The cached base, or None if it is not one (damaged, older format)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            meta = json.loads(z.read(BASE_MEMBER))
        layouts = {
            name: LayoutInfo(
                str(info["target"]), tuple(LayoutPlaceholder(str(k), str(a), str(n)) for k, a, n in info["placeholders"])
            )
            for name, info in meta["layouts"].items()
        }
        if set(layouts) != set(LAYOUT_NAMES):
            return None
        return Base(data, layouts, str(meta["notes_target"]))
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError):
        return None


def core_property(text: str, limit: int = CORE_PROPERTY_MAX) -> str:
    """A core-property value within the format's limit (cut with an ellipsis)."""
    return shorten(text, limit)


def core_xml(deck: LaidDeck, when: dt.datetime) -> str:
    meta = deck.meta
    stamp = (when.astimezone(dt.UTC) if when.tzinfo else when).strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = (
        ("dc:title", meta.title),
        ("dc:subject", ", ".join(meta.category)),
        ("dc:creator", ", ".join(meta.authors)),
        ("cp:keywords", ", ".join(meta.tags)),
    )
    body = "".join(f"<{tag}>{xml_text(core_property(value))}</{tag}>" if value else f"<{tag}/>" for tag, value in fields)
    return (
        f"{HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"{body}<cp:lastModifiedBy>deckgen</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>'
    )


def write_package(
    base: Base,
    deck: LaidDeck,
    theme: Theme,
    target: Path | IO[bytes],
    created: dt.datetime = NO_DATE,
    memo: MapMemo | None = None,
) -> None:
    """The base package with the deck's pages as slides, into ``target``; ``created``: the date
    its core properties carry (every ZIP entry has the same fixed time, so the bytes depend
    only on the deck); ``memo``: the slide maps of the last build (:mod:`deckgen.pull.mapmemo`)."""
    # the strings made here are short-lived and hold no cycles: the cyclic collector would
    # only walk the whole laid-out deck again and again (time growing with its square)
    enabled = gc.isenabled()
    gc.disable()
    try:
        _write_package(base, deck, theme, target, created, memo or MapMemo(None))
    finally:
        if enabled:
            gc.enable()


def _write_package(
    base: Base, deck: LaidDeck, theme: Theme, target: Path | IO[bytes], created: dt.datetime, memo: MapMemo
) -> None:
    def put(out: zipfile.ZipFile, name: str, data: bytes | str, stored: bool = False) -> None:
        method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
        out.writestr(zip_entry(name), data, method)

    sink: IO[bytes] | str = str(target) if isinstance(target, Path) else target
    with zipfile.ZipFile(io.BytesIO(base.data)) as zin, zipfile.ZipFile(sink, "w", zipfile.ZIP_DEFLATED) as out:
        names = [n for n in zin.namelist() if n != BASE_MEMBER]
        put(out, "[Content_Types].xml", _patched_content_types(zin.read("[Content_Types].xml"), deck.pages))
        presentation, rels = _patched_presentation(
            zin.read("ppt/presentation.xml"), zin.read("ppt/_rels/presentation.xml.rels"), len(deck.pages)
        )
        for name in names:
            if name == "ppt/presentation.xml":
                put(out, name, presentation)
            elif name == "ppt/_rels/presentation.xml.rels":
                put(out, name, rels)
            elif name == "docProps/core.xml":
                put(out, name, core_xml(deck, created))
            elif name == "_rels/.rels":
                put(out, name, _patched_package_rels(zin.read(name)))
            elif name not in _PATCHED:
                put(out, name, zin.read(name), stored=name.startswith("ppt/media/"))
        media = _Media(out, set(names))
        notes_target = base.notes_target
        links = UrlPolicy(deck.meta.site_url)
        mapped: list[PageMap] = []  # where each slide's texts come from (docProps/custom.xml)
        for i, page in enumerate(deck.pages, 1):
            layout = base.layouts[page.pptx_layout]
            writer = SlideWriter(theme, layout, media, i, links)
            xml = writer.page(page).encode("utf-8")  # once: for the ZIP and the slide map's key
            items = [("rId1", _RT + "slideLayout", layout.target, False), *writer.rels.items]
            notes = notes_xml(page) if page.notes else ""
            targets = {rid: target for rid, _, target, _ in items}
            mapped.append(memo.page(xml, targets, writer.origins, notes, page.source_line, page.title_hidden))
            if page.notes:
                rid = f"rId{len(items) + 1}"
                items.append((rid, _RT + "notesSlide", f"../notesSlides/notesSlide{i}.xml", False))
                put(out, f"ppt/notesSlides/notesSlide{i}.xml", notes)
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
        put(out, CUSTOM_PART, custom_xml(_map_properties(deck, mapped)))
    memo.save()
