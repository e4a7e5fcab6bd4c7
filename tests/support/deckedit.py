"""Edits a teacher makes to a deck, made with python-pptx (which saves as PowerPoint does: the
XML as it is, the package rewritten), for ``deckgen pull``'s tests.

Each edit works as typing would: text replaced inside the run that holds it (its formatting
kept), a paragraph added by copying the one it follows (PowerPoint's Enter), a word made bold
by cutting its run in three. Slides are numbered from 1, as PowerPoint shows them.
"""

from __future__ import annotations

import copy
import os
import shutil
import signal
import subprocess
import tempfile
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
    # across runs (a link written one word per run, a zero-width space between): the text the
    # selection covers goes, the new text takes the place of its first character
    chars = [(r, k) for r, t in runs for k, ch in enumerate(t) if ch != ZWSP]
    joined = "".join(t[k] for r, t in runs for k in range(len(t)) if t[k] != ZWSP)
    start = joined.find(old)
    if start < 0:
        raise LookupError(old)
    covered: dict[int, set[int]] = {}
    for r, k in chars[start : start + len(old)]:
        covered.setdefault(id(r), set()).add(k)
    first = True
    for r, t in runs:
        if id(r) not in covered:
            continue
        gone = covered[id(r)]
        lo = min(gone)
        text = "".join(ch for k, ch in enumerate(t) if k not in gone or k < lo)
        kept = [ch for k, ch in enumerate(t) if k not in gone]
        head = "".join(kept[: sum(1 for k in range(lo) if k not in gone)])
        tail = "".join(kept[len(head) :])
        text = head + (new if first else "") + tail
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
        self._format(number, word, "b")

    def italic(self, number: int, word: str) -> None:
        """``word`` selected and made italic (its run cut in three)."""
        self._format(number, word, "i")

    def _format(self, number: int, word: str, attr: str) -> None:
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
                        clone.find(q(A, "rPr")).set(attr, "1")
                    made.append(clone)
                for clone in reversed(made):
                    r.addnext(clone)
                r.getparent().remove(r)
                return
        raise LookupError(word)

    def relink(self, number: int, text: str, address: str) -> None:
        """The link of the paragraph holding ``text`` given another address (Edit Hyperlink):
        each of its runs' relationships points there."""
        slide = self.slide(number)
        p = find_para(slide, text)
        ids = {link.get(q(R, "id")) for link in p.iter(q(A, "hlinkClick"))} - {None}
        if not ids:
            raise LookupError(text)
        for rid in ids:
            slide.part.rels[rid]._target = address  # type: ignore[attr-defined]

    def unbold(self, number: int, word: str) -> None:
        """The bold run holding ``word`` made plain (selected, Ctrl+B)."""
        p = find_para(self.slide(number), word)
        for r, t in _runs_text(p):
            if word in t:
                r.find(q(A, "rPr")).set("b", "0")
                return
        raise LookupError(word)

    def notes(self, number: int, text: str, append: bool = False) -> None:
        frame = self.slide(number).notes_slide.notes_text_frame  # type: ignore[attr-defined]
        frame.text = (frame.text + "\n" + text) if append and frame.text else text

    # -- what does not map ---------------------------------------------------------
    def move(self, number: int, name_or_title: str, dx_pt: float = 72) -> None:
        """The shape whose name starts with ``name_or_title`` (or whose text holds it) dragged right."""
        for shape in self.slide(number).shapes:  # type: ignore[attr-defined]
            if shape.name.startswith(name_or_title) or (shape.has_text_frame and name_or_title in shape.text_frame.text):
                shape.left = Emu(shape.left + int(dx_pt * 12700))
                return
        raise LookupError(name_or_title)

    def resize(self, number: int, name: str, factor: float = 1.5) -> None:
        """The shape whose name starts with ``name`` made bigger by a corner handle."""
        for shape in self.slide(number).shapes:  # type: ignore[attr-defined]
            if shape.name.startswith(name):
                shape.width, shape.height = Emu(int(shape.width * factor)), Emu(int(shape.height * factor))
                return
        raise LookupError(name)

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

    def move_slide(self, number: int, to: int) -> None:
        """Slide ``number`` dragged to place ``to`` in the slide sorter."""
        lst = self.prs.slides._sldIdLst  # type: ignore[attr-defined]
        sld = list(lst)[number - 1]
        lst.remove(sld)
        lst.insert(to - 1, sld)

    def new_picture(self, number: int, image: Path | None = None) -> None:
        """A picture pasted onto the slide (a small PNG of its own when none is given)."""
        import io

        from PIL import Image

        if image is None:
            data = io.BytesIO()
            Image.new("RGB", (40, 30), "orange").save(data, "PNG")
            data.seek(0)
            self.slide(number).shapes.add_picture(data, Emu(914400), Emu(914400))  # type: ignore[attr-defined]
        else:
            self.slide(number).shapes.add_picture(str(image), Emu(914400), Emu(914400))  # type: ignore[attr-defined]


def edit(src: Path, dst: Path, change: Callable[[DeckEditor], None]) -> Path:
    with DeckEditor(src, dst) as editor:
        change(editor)
    return dst


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def libreoffice_round_trip(decks: Sequence[Path], out: Path, timeout: float = 900) -> list[Path]:
    """Each deck opened and saved as .pptx by LibreOffice (one run for all, a profile of its
    own): what a teacher's deck is once LibreOffice Impress saved it."""
    exe = soffice()
    assert exe is not None, "LibreOffice is not installed"
    out.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.mkdtemp(prefix="deckgen-lo-"))
    command = [
        exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
        "--convert-to", "pptx", "--outdir", str(out), *map(str, decks),
    ]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        raise
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    made = [out / d.name for d in decks]
    missing = [p.name for p in made if not p.is_file()]
    assert not missing, f"LibreOffice wrote no {missing}"
    return made


__all__ = ["DeckEditor", "edit", "find_para", "libreoffice_round_trip", "para_text", "replace_in_para", "soffice"]
