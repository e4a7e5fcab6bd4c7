"""Edits a teacher makes to a deck, made with python-pptx (which saves as PowerPoint does: the
XML as it is, the package rewritten), for ``deckgen pull``'s tests.

Each edit works as typing would: text replaced inside the run that holds it (its formatting
kept), a paragraph added by copying the one it follows (PowerPoint's Enter), a word made bold
by cutting its run in three. Slides are numbered from 1, as PowerPoint shows them.
"""

from __future__ import annotations

import copy
import subprocess
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from lxml import etree
from pptx import Presentation
from pptx.util import Emu

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
P = "http://schemas.openxmlformats.org/presentationml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ZWSP = "\u200b"


def q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def run_text(r: etree._Element) -> str:
    """A run's text (its ``a:t``; python-pptx's run class makes ``itertext`` say it twice)."""
    t = r.find(q(A, "t"))
    return (t.text or "") if t is not None else ""


def para_text(p: etree._Element) -> str:
    out = []
    for el in p:
        if el.tag == q(A, "r"):
            out.append(run_text(el))
        elif el.tag == q(A, "br"):
            out.append("\n")
    return "".join(out).replace(ZWSP, "")


def paragraphs(slide: object) -> Iterator[etree._Element]:
    tree = slide.shapes._spTree  # type: ignore[attr-defined]
    yield from tree.iter(q(A, "p"))


def find_para(slide: object, text: str) -> etree._Element:
    for p in paragraphs(slide):
        if text in para_text(p):
            return p
    raise LookupError(f"no paragraph with {text!r}")


def _runs_text(p: etree._Element) -> list[tuple[etree._Element, str]]:
    return [(r, run_text(r)) for r in p.iter(q(A, "r"))]


def replace_in_para(p: etree._Element, old: str, new: str) -> None:
    """``old`` replaced by ``new`` in a paragraph: inside one run when one run holds it, else the
    text of the runs it spans goes into the first of them (typing over a selection)."""
    runs = _runs_text(p)
    for r, t in runs:
        if old in t:
            r.find(q(A, "t")).text = t.replace(old, new, 1)
            return
    # across runs (a link written one word per run): find the span in the joined text
    joined = "".join(t for _, t in runs)
    start = joined.find(old)
    if start < 0:
        raise LookupError(old)
    end = start + len(old)
    pos = 0
    first = True
    for r, t in runs:
        a, b = pos, pos + len(t)
        pos = b
        if b <= start or a >= end:
            continue
        lo, hi = max(a, start) - a, min(b, end) - a
        text = t[:lo] + (new if first else "") + t[hi:]
        first = False
        r.find(q(A, "t")).text = text


class DeckEditor:
    """Open a deck, edit it, save it (``with DeckEditor(src, dst) as d: d.title(3, "x")``)."""

    def __init__(self, src: Path, dst: Path) -> None:
        self.prs = Presentation(str(src))
        self.dst = dst

    def __enter__(self) -> DeckEditor:
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.prs.save(str(self.dst))

    def slide(self, number: int) -> object:
        return self.prs.slides[number - 1]

    # -- text ---------------------------------------------------------------------
    def title(self, number: int, text: str) -> None:
        """The title retyped: its first run's formatting, the new text."""
        shape = self.slide(number).shapes.title  # type: ignore[attr-defined]
        p = shape.text_frame.paragraphs[0]._p
        runs = list(p.iter(q(A, "r")))
        runs[0].find(q(A, "t")).text = text
        for r in runs[1:]:
            r.getparent().remove(r)

    def replace(self, number: int, old: str, new: str) -> None:
        replace_in_para(find_para(self.slide(number), old), old, new)

    def add_after(self, number: int, after: str, text: str) -> None:
        """Enter at the end of the paragraph holding ``after``, then ``text`` typed."""
        p = find_para(self.slide(number), after)
        new = copy.deepcopy(p)
        runs = list(new.iter(q(A, "r")))
        keep = next((r for r in runs if run_text(r).strip(ZWSP).strip()), runs[0])
        for child in list(new):
            if child.tag != q(A, "pPr"):
                new.remove(child)
        rpr = keep.find(q(A, "rPr"))
        if rpr is not None:
            for link in rpr.findall(q(A, "hlinkClick")):
                rpr.remove(link)
            rpr.attrib.pop("u", None)
        keep.find(q(A, "t")).text = text
        new.append(keep)
        p.addnext(new)

    def delete(self, number: int, text: str) -> None:
        p = find_para(self.slide(number), text)
        p.getparent().remove(p)

    def bold(self, number: int, word: str) -> None:
        """``word`` selected and made bold (its run cut in three)."""
        p = find_para(self.slide(number), word)
        for r, t in _runs_text(p):
            if word in t:
                i = t.index(word)
                pieces = [t[:i], word, t[i + len(word) :]]
                made = []
                for k, piece in enumerate(pieces):
                    if not piece:
                        continue
                    clone = copy.deepcopy(r)
                    clone.find(q(A, "t")).text = piece
                    if k == 1:
                        clone.find(q(A, "rPr")).set("b", "1")
                    made.append(clone)
                for clone in reversed(made):
                    r.addnext(clone)
                r.getparent().remove(r)
                return
        raise LookupError(word)

    def notes(self, number: int, text: str, append: bool = False) -> None:
        frame = self.slide(number).notes_slide.notes_text_frame  # type: ignore[attr-defined]
        frame.text = (frame.text + "\n" + text) if append and frame.text else text

    # -- what does not map ---------------------------------------------------------
    def move(self, number: int, name_or_title: str, dx_pt: float = 72) -> None:
        for shape in self.slide(number).shapes:  # type: ignore[attr-defined]
            if shape.name == name_or_title or (shape.has_text_frame and name_or_title in shape.text_frame.text):
                shape.left = Emu(shape.left + int(dx_pt * 12700))
                return
        raise LookupError(name_or_title)

    def colour(self, number: int, word: str, rgb: str = "FF0000") -> None:
        p = find_para(self.slide(number), word)
        for r, t in _runs_text(p):
            if word in t:
                rpr = r.find(q(A, "rPr"))
                for fill in rpr.findall(q(A, "solidFill")):
                    rpr.remove(fill)
                fill = etree.SubElement(rpr, q(A, "solidFill"))
                etree.SubElement(fill, q(A, "srgbClr"), val=rgb)
                rpr.insert(0, fill)
                return
        raise LookupError(word)

    def new_slide(self, title: str) -> None:
        layout = self.prs.slide_layouts.get_by_name("Title Only") or self.prs.slide_layouts[0]
        slide = self.prs.slides.add_slide(layout)
        if slide.shapes.title is not None:
            slide.shapes.title.text = title

    def delete_slide(self, number: int) -> None:
        lst = self.prs.slides._sldIdLst  # type: ignore[attr-defined]
        sld = list(lst)[number - 1]
        self.prs.part.drop_rel(sld.get(q(R, "id")))
        lst.remove(sld)

    def new_picture(self, number: int, image: Path) -> None:
        self.slide(number).shapes.add_picture(str(image), Emu(914400), Emu(914400))  # type: ignore[attr-defined]


def edit(src: Path, dst: Path, change: Callable[[DeckEditor], None]) -> Path:
    with DeckEditor(src, dst) as editor:
        change(editor)
    return dst


def libreoffice_round_trip(decks: Sequence[Path], out: Path, profile: Path) -> list[Path]:
    """Each deck opened and saved as .pptx by LibreOffice (one run for all): what a teacher's
    deck is after LibreOffice Impress saved it."""
    out.mkdir(parents=True, exist_ok=True)
    command = [
        "soffice", f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--norestore",
        "--convert-to", "pptx", "--outdir", str(out), *map(str, decks),
    ]
    subprocess.run(command, check=True, timeout=600, capture_output=True)
    return [out / d.name for d in decks]


__all__ = ["DeckEditor", "edit", "find_para", "libreoffice_round_trip", "para_text", "replace_in_para"]
