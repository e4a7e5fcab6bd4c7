"""Stricter checks of a tagged PDF than ``pdfua check`` makes (pikepdf and PyMuPDF).

``pdfua`` 0.1.3 implements 16 of PDF/UA-1's 106 machine-checkable rules, and skips one of
them (UA-14-001, empty headings) when a heading holds more than one piece of content. This
reads the whole file back:

* the catalog: /MarkInfo /Marked, /Lang, /ViewerPreferences /DisplayDocTitle, the info's
  /Title, XMP with ``dc:title`` and ``pdfuaid:part`` 1;
* every painting operator of every page inside a marked-content sequence (one with an
  MCID, or an /Artifact), none nested in another, no tagged content inside an artifact;
* every MCID owned by exactly one structure element, and the /ParentTree agreeing;
* every link annotation with /Contents and a /StructParent whose element is a /Link
  holding an /OBJR to it, /Tabs /S on its page;
* figures with /Alt, TH with /Scope, headings not empty, fonts embedded;
* the outline: one entry per slide.
"""

from __future__ import annotations

import collections
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf
import pymupdf

PAINT = {"Tj", "TJ", "'", '"', "Do", "f", "F", "f*", "B", "B*", "b", "b*", "S", "s", "sh"}
HEADINGS = {"/H", "/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}


@dataclass
class Tagged:
    problems: list[str] = field(default_factory=list)
    roles: collections.Counter[str] = field(default_factory=collections.Counter)
    langs: collections.Counter[str] = field(default_factory=collections.Counter)
    alts: list[str] = field(default_factory=list)
    outline: list[tuple[int, str, int]] = field(default_factory=list)  # level, title, page
    annotations: int = 0
    lang: str = ""


def _kids(node: pikepdf.Object) -> list[pikepdf.Object]:
    kids = node.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, pikepdf.Array) else [kids]


def check_tagged(path: Path) -> Tagged:  # noqa: C901 - one pass over the file, as a reader makes it
    out = Tagged()
    bad = out.problems
    pdf = pikepdf.open(str(path))
    root = pdf.Root
    if not (root.get("/MarkInfo") and root.MarkInfo.get("/Marked") is True):
        bad.append("MarkInfo /Marked not true")
    out.lang = str(root.get("/Lang", ""))
    if not out.lang:
        bad.append("no /Lang")
    prefs = root.get("/ViewerPreferences")
    if not (prefs and prefs.get("/DisplayDocTitle") is True):
        bad.append("DisplayDocTitle not true")
    info = pdf.trailer.get("/Info")
    if not (info and str(info.get("/Title", ""))):
        bad.append("no /Title in the info")
    meta = str(pdf.open_metadata()) if root.get("/Metadata") is not None else ""
    if "pdfuaid:part>1<" not in meta.replace(" ", "") and 'pdfuaid:part="1"' not in meta:
        bad.append("no pdfuaid:part 1 in XMP")
    if "dc:title" not in meta:
        bad.append("no dc:title in XMP")
    tree = root.get("/StructTreeRoot")
    if tree is None:
        bad.append("no StructTreeRoot")
        return out

    page_index = {p.objgen: i for i, p in enumerate(pdf.pages)}
    owner: dict[tuple[int, int], pikepdf.Object] = {}  # (page, mcid) -> element
    objr: dict[tuple[int, int], pikepdf.Object] = {}  # annotation -> element

    def own(key: tuple[int, int], node: pikepdf.Object) -> None:
        if key in owner:
            bad.append(f"MCID {key} owned twice")
        owner[key] = node

    def walk(node: pikepdf.Object, page: int | None, depth: int = 0) -> None:
        if depth > 60:
            bad.append("structure too deep")
            return
        role = str(node.get("/S"))
        out.roles[role] += 1
        if "/Lang" in node:
            out.langs[f"{role} {node.Lang}"] += 1
        if "/Pg" in node:
            page = page_index[node.Pg.objgen]
        content = False
        for kid in _kids(node):
            content = True
            if isinstance(kid, pikepdf.Dictionary):
                kind = kid.get("/Type")
                if kind == "/MCR":
                    own((page_index[kid.Pg.objgen] if "/Pg" in kid else page, int(kid.MCID)), node)  # type: ignore[arg-type]
                elif kind == "/OBJR":
                    objr[kid.Obj.objgen] = node
                else:
                    walk(kid, page, depth + 1)
            else:
                if page is None:
                    bad.append(f"MCID {int(kid)} of {role} with no /Pg")
                own((page, int(kid)), node)  # type: ignore[arg-type]
        if role == "/Figure":
            alt = str(node.get("/Alt", "")).strip()
            out.alts.append(alt)
            if not alt:
                bad.append("Figure without /Alt")
        if role == "/TH" and (node.get("/A") is None or "/Scope" not in node.A):
            bad.append("TH without /Scope")
        if role in HEADINGS and not content:
            bad.append(f"empty {role}")

    for kid in _kids(tree):
        walk(kid, None)

    nums: dict[int, pikepdf.Object] = {}

    def read_tree(node: pikepdf.Object) -> None:
        if "/Nums" in node:
            arr = list(node.Nums)
            for i in range(0, len(arr), 2):
                nums[int(arr[i])] = arr[i + 1]
        for kid in node.get("/Kids", []):
            read_tree(kid)

    read_tree(tree.ParentTree)
    if nums and int(tree.get("/ParentTreeNextKey", 0)) <= max(nums):
        bad.append("ParentTreeNextKey too small")

    seen: set[tuple[int, int]] = set()
    for i, page in enumerate(pdf.pages):
        stack: list[str] = []  # "mcid" | "artifact" | "other"
        for inst in pikepdf.parse_content_stream(page):
            if isinstance(inst, pikepdf.ContentStreamInlineImage):
                if not stack:
                    bad.append(f"page {i + 1}: inline image outside marked content")
                continue
            op = str(inst.operator)
            if op in ("BDC", "BMC"):
                tag = str(inst.operands[0])
                props = inst.operands[1] if op == "BDC" else None
                if tag == "/Artifact":
                    if "mcid" in stack:
                        bad.append(f"page {i + 1}: artifact inside tagged content")
                    stack.append("artifact")
                elif isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    if "mcid" in stack or "artifact" in stack:
                        bad.append(f"page {i + 1}: MCID inside marked content")
                    mcid = int(props.MCID)
                    seen.add((i, mcid))
                    elem = owner.get((i, mcid))
                    parents = page.obj.get("/StructParents")
                    arr = nums.get(int(parents)) if parents is not None else None
                    if elem is None:
                        bad.append(f"page {i + 1}: MCID {mcid} not in the structure tree")
                    elif arr is None or mcid >= len(arr) or arr[mcid].objgen != elem.objgen:
                        bad.append(f"page {i + 1}: parent tree disagrees for MCID {mcid}")
                    stack.append("mcid")
                else:
                    stack.append("other")
            elif op == "EMC":
                if stack:
                    stack.pop()
                else:
                    bad.append(f"page {i + 1}: EMC without BDC")
            elif op in PAINT and (not stack or set(stack) == {"other"}):
                bad.append(f"page {i + 1}: {op} outside marked content")
        if stack:
            bad.append(f"page {i + 1}: marked content left open")
        annots = page.obj.get("/Annots")
        if annots:
            if page.obj.get("/Tabs") != "/S":
                bad.append(f"page {i + 1}: annotations but no /Tabs /S")
            for a in annots:
                out.annotations += 1
                if a.get("/Subtype") != "/Link":
                    continue
                if not str(a.get("/Contents", "")).strip():
                    bad.append(f"page {i + 1}: link without /Contents")
                parent = a.get("/StructParent")
                elem = nums.get(int(parent)) if parent is not None else None
                if elem is None or str(elem.get("/S")) != "/Link":
                    bad.append(f"page {i + 1}: link annotation without a /Link element")
                elif a.objgen not in objr or objr[a.objgen].objgen != elem.objgen:
                    bad.append(f"page {i + 1}: link annotation without its OBJR")
        for name, font in (page.Resources.get("/Font") or {}).items():
            desc = font.get("/FontDescriptor")
            if desc is None and "/DescendantFonts" in font:
                desc = font.DescendantFonts[0].get("/FontDescriptor")
            if desc is None or not any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                bad.append(f"page {i + 1}: font {name} not embedded")
    if set(owner) - seen:
        bad.append(f"{len(set(owner) - seen)} MCIDs in the tree but not in the content")
    with pymupdf.open(str(path)) as doc:
        out.outline = [(level, title, page) for level, title, page, *_ in doc.get_toc(simple=False)]
    return out
