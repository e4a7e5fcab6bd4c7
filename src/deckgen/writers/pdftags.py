"""The PDF's structure tree (tagged PDF, PDF/UA-1), built by the writer while it draws.

fpdf2 2.8 has only a flat structure tree of its own (every marked sequence a /Figure under
/Document). :class:`Tagger` replaces it: it installs itself as ``pdf.struct_builder``, the
object fpdf2's output stage asks ``empty()`` and iterates for the objects to write (the
first one the /StructTreeRoot); fpdf2 then writes /StructTreeRoot and /MarkInfo
<< /Marked true >> into the catalog itself.

* ``elem(tag, parent)`` makes a structure element (a child of the /Document by default);
* ``mark(elem)`` makes the page content drawn next a marked-content sequence
  ``/Tag <</MCID n>> BDC ... EMC`` of ``elem`` (opened lazily: the runs of one element on one
  line share one sequence; ``close()`` ends it);
* ``artifact()`` wraps decoration in ``/Artifact <<...>> BDC ... EMC``;
* ``link(elem, ...)`` adds a URI link annotation with /Contents and /StructParent, an /OBJR
  to it in ``elem`` (a /Link) and /Tabs /S on its page.

At output the /ParentTree maps each page's /StructParents key to its elements by MCID, and
each annotation's /StructParent key to its /Link element.

This relies on fpdf2 internals (``FPDF.struct_builder``, ``FPDF._out``, the fields a
``PDFPage`` and a ``PDFAnnotation`` write); ``pyproject.toml`` pins fpdf2 to the versions
they were read from, and ``tests/writers/test_pdf_tags.py`` fails loudly when they change.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from typing import Any
from xml.sax.saxutils import escape


class _NumpyLeftOut(MetaPathFinder):
    """Makes ``import numpy`` fail in one thread (the one importing fpdf2), and in no other."""

    def __init__(self) -> None:
        self.thread = threading.get_ident()

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> ModuleSpec | None:
        if fullname == "numpy" and threading.get_ident() == self.thread:
            raise ModuleNotFoundError("left out of fpdf2 by deckgen", name=fullname)
        return None


def _import_fpdf() -> None:
    """fpdf2 imports numpy when it is installed, only to decode pictures faster; deckgen never
    has it decode one (:mod:`pdfimages`), and importing numpy costs 0.2 s of each print. So
    fpdf2 is imported without it, unless numpy is loaded already (other threads may import
    numpy meanwhile as usual; fpdf2 works without it)."""
    if "fpdf" in sys.modules or "numpy" in sys.modules:
        return
    finder = _NumpyLeftOut()
    sys.meta_path.insert(0, finder)
    try:
        import fpdf  # noqa: F401
    finally:
        sys.meta_path.remove(finder)


_import_fpdf()

from fpdf.actions import URIAction  # noqa: E402
from fpdf.annotations import PDFAnnotation  # noqa: E402
from fpdf.syntax import Name, PDFObject, PDFString  # noqa: E402


def pdf_text(value: str) -> str:
    """A text string in PDF syntax."""
    return str(PDFString(value).serialize())


class _Obj(PDFObject):
    """A PDF object whose dictionary ``entries()`` makes when it is written."""

    def entries(self) -> dict[str, str]:
        raise NotImplementedError

    def serialize(self, obj_dict: Any = None, _security_handler: Any = None) -> str:
        body = "\n".join(f"{k} {v}" for k, v in self.entries().items())
        return f"{self.id} 0 obj\n<<\n{body}\n>>\nendobj"


@dataclass(frozen=True)
class _Mcid:
    page: Any  # fpdf2's PDFPage
    mcid: int


@dataclass(frozen=True)
class _Objr:
    annot: PDFAnnotation
    page: Any


class Elem(_Obj):
    """A structure element: /S its type, /K its kids (elements, marked content, annotations)."""

    def __init__(self, tag: str, parent: PDFObject, entries: dict[str, str]) -> None:
        super().__init__()
        self.tag = tag
        self.parent = parent
        self.kids: list[Elem | _Mcid | _Objr] = []
        self.page: Any = None  # the page of its first content
        self.extra = entries

    def entries(self) -> dict[str, str]:
        out = {"/Type": "/StructElem", "/S": f"/{self.tag}", "/P": self.parent.ref}
        if self.page is not None:
            out["/Pg"] = self.page.ref
        kids: list[str] = []
        for kid in self.kids:
            match kid:
                case Elem():
                    kids.append(kid.ref)
                case _Objr():
                    kids.append(f"<</Type /OBJR /Obj {kid.annot.ref} /Pg {kid.page.ref}>>")
                case _Mcid() if kid.page is self.page:
                    kids.append(str(kid.mcid))
                case _Mcid():
                    kids.append(f"<</Type /MCR /Pg {kid.page.ref} /MCID {kid.mcid}>>")
        if kids:
            out["/K"] = kids[0] if len(kids) == 1 else "[" + " ".join(kids) + "]"
        out.update(self.extra)
        return out


class _Root(_Obj):
    def __init__(self, tagger: Tagger) -> None:
        super().__init__()
        self.tagger = tagger

    def entries(self) -> dict[str, str]:
        t = self.tagger
        return {
            "/Type": "/StructTreeRoot",
            "/K": t.document.ref,
            "/ParentTree": t.parent_tree.ref,
            "/ParentTreeNextKey": str(t.next_key),
        }


class _ParentTree(_Obj):
    def __init__(self, tagger: Tagger) -> None:
        super().__init__()
        self.tagger = tagger

    def entries(self) -> dict[str, str]:
        nums: list[str] = []
        for key in sorted(self.tagger.parents):
            value = self.tagger.parents[key]
            if isinstance(value, list):
                nums.append(f"{key} [{' '.join(e.ref for e in value)}]")
            else:
                nums.append(f"{key} {value.ref}")
        return {"/Nums": "[" + "\n".join(nums) + "]"}


class _Artifact:
    """The context of :meth:`Tagger.artifact` (a class: it is entered for every fill and line)."""

    __slots__ = ("tagger", "props", "outer")

    def __init__(self, tagger: Tagger, kind: str, subtype: str | None) -> None:
        self.tagger = tagger
        self.props = f"/Type /{kind}" + (f" /Subtype /{subtype}" if subtype else "")
        self.outer = False

    def __enter__(self) -> None:
        t = self.tagger
        self.outer = not t.in_artifact
        if self.outer:
            t.close()
            t.pdf._out(f"/Artifact <<{self.props}>> BDC")
        t.in_artifact += 1

    def __exit__(self, *exc: object) -> None:
        t = self.tagger
        t.in_artifact -= 1
        if self.outer:
            t.pdf._out("EMC")


class _Link(PDFAnnotation):
    """A URI link annotation, written directly (fpdf2's generic writer introspects every field
    of every annotation; a deck has a hundred links), as fpdf2 writes one, plus /StructParent."""

    def __init__(self, x: float, y: float, w: float, h: float, uri: str, contents: str, key: int) -> None:
        super().__init__("Link", x=x, y=y, width=w, height=h, action=URIAction(uri), contents=contents)
        self.uri = uri
        self.text = contents
        self.struct_parent = key

    def serialize(self, obj_dict: Any = None, _security_handler: Any = None) -> str:
        return (
            f"{self.id} 0 obj\n<<\n/Type /Annot\n/Subtype /Link\n/Rect {self.rect}\n/Border [0 0 0]\n/F 4\n"
            f"/Contents {pdf_text(self.text)}\n/A <</S /URI /URI {pdf_text(self.uri)}>>\n"
            f"/StructParent {self.struct_parent}\n>>\nendobj"
        )


class _NoFlatTree:
    """What fpdf2's output stage reads of its own builder's /Document (nothing to fix up)."""

    k: tuple[()] = ()


def attrs(owner: str, **values: str) -> str:
    """An attribute dictionary, e.g. ``attrs("Table", Scope="/Column")``."""
    return "<</O /" + owner + "".join(f" /{k} {v}" for k, v in values.items()) + ">>"


class Tagger:
    """The structure tree of one fpdf2 document (see the module's description)."""

    def __init__(self, pdf: Any) -> None:
        self.pdf = pdf
        self.root = _Root(self)
        self.parent_tree = _ParentTree(self)
        self.document = Elem("Document", self.root, {})
        self.elems: list[Elem] = [self.document]
        self.parents: dict[int, list[Elem] | Elem] = {}  # key -> elements by MCID, or a link
        self.next_key = 0
        self._page_key: dict[int, int] = {}  # fpdf2 page number -> its /StructParents key
        self.open: Elem | None = None  # the element of the marked sequence now open
        self.in_artifact = 0
        self.doc_struct_elem = _NoFlatTree()
        pdf.struct_builder = self
        pdf._set_min_pdf_version("1.7")

    # -- what fpdf2's output stage asks --------------------------------------------
    def empty(self) -> bool:
        return False

    def __iter__(self) -> Iterator[PDFObject]:
        self.close()
        yield self.root
        yield self.parent_tree
        yield from self.elems

    # -- elements ------------------------------------------------------------------
    def elem(
        self,
        tag: str,
        parent: Elem | None = None,
        *,
        alt: str | None = None,
        lang: str | None = None,
        attributes: str | None = None,
    ) -> Elem:
        """A new element, the last child of ``parent`` (of the /Document when None), with
        its /Alt, /Lang and attribute dictionary (:func:`attrs`) when given."""
        parent = parent or self.document
        entries: dict[str, str] = {}
        if alt is not None:
            entries["/Alt"] = pdf_text(alt)
        if lang is not None:
            entries["/Lang"] = pdf_text(lang)
        if attributes is not None:
            entries["/A"] = attributes
        e = Elem(tag, parent, entries)
        parent.kids.append(e)
        self.elems.append(e)
        return e

    # -- page content --------------------------------------------------------------
    def _page(self) -> Any:
        return self.pdf.pages[self.pdf.page]

    def _key(self) -> int:
        n = self.pdf.page
        if n not in self._page_key:
            self._page_key[n] = self.next_key
            self.parents[self.next_key] = []
            self._page().struct_parents = self.next_key  # fpdf2 writes it as /StructParents
            self.next_key += 1
        return self._page_key[n]

    def mark(self, elem: Elem) -> None:
        """The content drawn next belongs to ``elem`` (a sequence opens unless one is open for it)."""
        if self.in_artifact:
            raise RuntimeError("tagged content inside an artifact")
        if self.open is elem:
            return
        self.close()
        mcids = self.parents[self._key()]
        assert isinstance(mcids, list)
        mcid = len(mcids)
        mcids.append(elem)
        page = self._page()
        node: Any = elem
        while isinstance(node, Elem) and node.page is None:  # containers get the first page too
            node.page = page
            node = node.parent
        elem.kids.append(_Mcid(page, mcid))
        self.pdf._out(f"/{elem.tag} <</MCID {mcid}>> BDC")
        self.open = elem

    def close(self) -> None:
        if self.open is not None:
            self.pdf._out("EMC")
            self.open = None

    def artifact(self, kind: str = "Layout", subtype: str | None = None) -> _Artifact:
        """Decoration: ``with tags.artifact(): ...`` wraps what is drawn in /Artifact marked
        content (never inside a tagged sequence; nested artifacts say nothing more)."""
        return _Artifact(self, kind, subtype)

    # -- annotations ---------------------------------------------------------------
    def link(self, elem: Elem, x: float, y: float, w: float, h: float, uri: str, contents: str) -> PDFAnnotation:
        """A URI link annotation over (x, y, w, h) (fpdf2 units, y down) belonging to ``elem``."""
        pdf = self.pdf
        key = self.next_key
        self.next_key += 1
        annot = _Link(x * pdf.k, pdf.h_pt - y * pdf.k, w * pdf.k, h * pdf.k, uri, contents, key)
        self.parents[key] = elem
        page = self._page()
        page.add_annotation(annot)
        page.tabs = Name("S")  # tab order follows the structure (PDF/UA 7.18.3)
        elem.kids.append(_Objr(annot, page))
        if elem.page is None:
            elem.page = page
        return annot


_XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{title}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq>{creators}</rdf:Seq></dc:creator>
   <dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language>
   <xmp:CreatorTool>deckgen</xmp:CreatorTool>
   <pdf:Producer>{producer}</pdf:Producer>
   <pdfuaid:part>1</pdfuaid:part>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>"""


def xmp(title: str, authors: tuple[str, ...], lang: str, producer: str) -> str:
    """The XMP metadata of a PDF/UA-1 document: its title, authors, language, and the
    PDF/UA identification (``pdfuaid:part`` 1)."""
    creators = "".join(f"<rdf:li>{escape(a)}</rdf:li>" for a in authors)
    return _XMP.format(title=escape(title), creators=creators, lang=escape(lang), producer=escape(producer))


__all__ = ["Elem", "Tagger", "attrs", "pdf_text", "xmp"]
