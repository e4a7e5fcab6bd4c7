"""A .pptx read as PowerPoint's Accessibility Checker reads it (the rules it can judge from the
XML alone): each slide's title (its title placeholder's text), whether the title comes first in
the reading order (the shape tree), every picture's description and decorative mark, the tables'
header rows and the text languages.

    audit(path) -> Audit     (one ``SlideFacts`` per slide)

A development aid and a test helper; it reads the package with the standard library only.
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

NS = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
DECORATIVE = "{http://schemas.microsoft.com/office/drawing/2017/decorative}decorative"
TITLE_TYPES = ("title", "ctrTitle")


@dataclass(frozen=True)
class Picture:
    name: str
    descr: str
    decorative: bool
    kind: str  # "pic" (a picture) or "sp" (a shape: the play badge)


@dataclass
class SlideFacts:
    number: int
    title: str | None  # the title placeholder's text (None: the slide has no title placeholder)
    title_first: bool  # the title placeholder is the first shape of the tree
    title_box: tuple[int, int, int, int] | None  # x, y, cx, cy in EMU
    pictures: list[Picture] = field(default_factory=list)
    tables: int = 0
    tables_with_header: int = 0
    langs: Counter[str] = field(default_factory=Counter)  # lang of every run with text
    title_langs: set[str] = field(default_factory=set)
    notes_langs: Counter[str] = field(default_factory=Counter)

    @property
    def has_title(self) -> bool:
        return bool(self.title and self.title.strip())


@dataclass
class Audit:
    slides: list[SlideFacts]
    width: int
    height: int

    @property
    def missing_titles(self) -> list[int]:
        return [s.number for s in self.slides if not s.has_title]

    @property
    def duplicate_titles(self) -> dict[str, list[int]]:
        seen: dict[str, list[int]] = {}
        for s in self.slides:
            if s.has_title:
                assert s.title is not None
                seen.setdefault(s.title.strip().casefold(), []).append(s.number)
        return {t: n for t, n in seen.items() if len(n) > 1}

    @property
    def title_not_first(self) -> list[int]:
        return [s.number for s in self.slides if s.has_title and not s.title_first]

    def pictures(self) -> list[tuple[int, Picture]]:
        return [(s.number, p) for s in self.slides for p in s.pictures]

    def hidden_titles(self) -> list[int]:
        """Slides whose title sits wholly off the slide."""
        out = []
        for s in self.slides:
            if s.title_box is not None:
                x, y, cx, cy = s.title_box
                if y + cy <= 0 or x + cx <= 0 or y >= self.height or x >= self.width:
                    out.append(s.number)
        return out


def _text(el: ET.Element) -> str:
    paras = []
    for p in el.iter(f"{{{NS['a']}}}p"):
        paras.append("".join(t.text or "" for t in p.iter(f"{{{NS['a']}}}t")))
    return "\n".join(paras)


def _slide_order(z: zipfile.ZipFile) -> list[str]:
    pres = ET.fromstring(z.read("ppt/presentation.xml"))
    rels = ET.fromstring(z.read("ppt/_rels/presentation.xml.rels"))
    target = {r.get("Id"): r.get("Target") for r in rels}
    out = []
    for sld in pres.iter(f"{{{NS['p']}}}sldId"):
        rid = sld.get(f"{{{NS['r']}}}id")
        out.append("ppt/" + str(target[rid]).lstrip("/").removeprefix("ppt/"))
    return out


def _langs(el: ET.Element) -> Counter[str]:
    found: Counter[str] = Counter()
    for r in el.iter(f"{{{NS['a']}}}r"):
        text = "".join(t.text or "" for t in r.iter(f"{{{NS['a']}}}t"))
        rpr = r.find("a:rPr", NS)
        if text.strip() and rpr is not None:
            found[rpr.get("lang", "")] += 1
    return found


def audit(path: Path) -> Audit:
    with zipfile.ZipFile(path) as z:
        pres = ET.fromstring(z.read("ppt/presentation.xml"))
        size = pres.find("p:sldSz", NS)
        width = int(size.get("cx", "0")) if size is not None else 0
        height = int(size.get("cy", "0")) if size is not None else 0
        slides = []
        for number, name in enumerate(_slide_order(z), 1):
            root = ET.fromstring(z.read(name))
            tree = root.find("p:cSld/p:spTree", NS)
            assert tree is not None
            shapes = [el for el in tree if el.tag.split("}")[1] in ("sp", "pic", "graphicFrame", "grpSp", "cxnSp")]
            facts = SlideFacts(number, None, False, None)
            for i, shape in enumerate(shapes):
                ph = shape.find(".//p:nvPr/p:ph", NS)
                kind = shape.tag.split("}")[1]
                if ph is not None and ph.get("type") in TITLE_TYPES and facts.title is None:
                    facts.title = _text(shape)
                    facts.title_first = i == 0
                    off, ext = shape.find(".//a:xfrm/a:off", NS), shape.find(".//a:xfrm/a:ext", NS)
                    if off is not None and ext is not None:
                        facts.title_box = (
                            int(off.get("x", "0")), int(off.get("y", "0")), int(ext.get("cx", "0")), int(ext.get("cy", "0"))
                        )
                    facts.title_langs = set(_langs(shape))
                c_nv = shape.find(".//p:cNvPr", NS)
                decorative = c_nv is not None and c_nv.find(f".//{DECORATIVE}") is not None
                if kind == "pic" and c_nv is not None:
                    facts.pictures.append(Picture(c_nv.get("name", ""), c_nv.get("descr", ""), decorative, "pic"))
                elif kind == "sp" and decorative and c_nv is not None:
                    facts.pictures.append(Picture(c_nv.get("name", ""), c_nv.get("descr", ""), True, "sp"))
                for tbl in shape.iter(f"{{{NS['a']}}}tbl"):
                    facts.tables += 1
                    pr = tbl.find("a:tblPr", NS)
                    if pr is not None and pr.get("firstRow") == "1":
                        facts.tables_with_header += 1
            facts.langs = _langs(tree)
            rels_name = re.sub(r"slides/(slide\d+\.xml)$", r"slides/_rels/\1.rels", name)
            if rels_name in z.namelist():
                rels = ET.fromstring(z.read(rels_name))
                for rel in rels:
                    if str(rel.get("Type", "")).endswith("/notesSlide"):
                        notes = "ppt/notesSlides/" + str(rel.get("Target")).split("/")[-1]
                        facts.notes_langs = _langs(ET.fromstring(z.read(notes)))
            slides.append(facts)
    return Audit(slides, width, height)


def summary(a: Audit) -> dict[str, object]:
    """The figures a report gives: slides, titles missing / duplicated / not first / hidden, pictures."""
    pics = [p for _, p in a.pictures() if p.kind == "pic"]
    return {
        "slides": len(a.slides),
        "missing_titles": len(a.missing_titles),
        "duplicate_titles": sum(len(n) for n in a.duplicate_titles.values()),
        "title_not_first": len(a.title_not_first),
        "hidden_titles": len(a.hidden_titles()),
        "pictures": len(pics),
        "decorative_pictures": sum(p.decorative for p in pics),
        "described_pictures": sum(bool(p.descr) for p in pics),
        "titles_starting_with_zwsp": sum(1 for s in a.slides if s.title and s.title.startswith("\u200b")),
        "titles_with_zwsp": sum(1 for s in a.slides if s.title and "\u200b" in s.title),
    }


__all__ = ["Audit", "Picture", "SlideFacts", "audit", "summary"]
