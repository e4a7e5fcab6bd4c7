"""The edited deck matched with the map it carries: which slide was which, which shape, which
paragraph; what changed in the text (for the post) and what changed that the post cannot say
(listed, with the slide's number and what to do).

Slides are matched by their texts (no mark on a slide survives LibreOffice): the map's pages
and the deck's slides are aligned in order, each pair scored by the paragraphs they share.
Shapes are matched by slot (the title and body placeholders, ordinary shapes by name), and
paragraphs by their digests, in order: the same, changed, deleted or new.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from deckgen.diagnostics import Diagnostic
from deckgen.diagnostics import codes as C
from deckgen.pull.deckmap import DeckMap, Entry, PageMap, ShapeMap, notes_digest, para_digest, tenths
from deckgen.pull.deckread import DeckSlide, ReadDeck
from deckgen.pull.slideread import TITLE, Shape, TextPara, TextRuns

MOVE_TOLERANCE = 20  # tenths of a point: LibreOffice rounds positions to 1/100 mm
COLOUR_TOLERANCE = 2  # per channel: LibreOffice shifts a link's colour by one


@dataclass(frozen=True)
class PartChange:
    """A paragraph (or cell) the map knows, changed (``runs``) or deleted (None)."""

    entry: Entry
    runs: TextRuns | None
    as_title: bool
    slide: int  # the deck's slide number


@dataclass(frozen=True)
class Insertion:
    """A paragraph the map does not know, between the post's texts ``after`` and ``before``."""

    after: str
    before: str
    runs: TextRuns
    bullet: bool
    deeper: bool  # indented more than the paragraph before it
    slide: int


@dataclass(frozen=True)
class NotesChange:
    line: int  # the first line of the post's part the slide shows (0: the title page)
    notes: str
    slide: int


@dataclass
class Changes:
    parts: list[PartChange] = field(default_factory=list)
    inserted: list[Insertion] = field(default_factory=list)
    notes: list[NotesChange] = field(default_factory=list)
    findings: list[Diagnostic] = field(default_factory=list)


def _page_digests(page: PageMap) -> Counter[str]:
    return Counter(e.digest for s in page.shapes for e in s.entries)


def _slide_digests(slide: DeckSlide) -> Counter[str]:
    return Counter(para_digest(p) for s in slide.shapes if s.slot for p in (s.cells if s.kind == "tbl" else s.paras))


def _similarity(a: Counter[str], b: Counter[str]) -> float:
    common = sum((a & b).values())
    return common / max(sum(a.values()), sum(b.values()), 1)


def align_slides(m: DeckMap, slides: Sequence[DeckSlide]) -> list[tuple[int | None, int | None]]:
    """Pairs (page index, slide index); None on one side: a page deleted, a slide added."""
    pages = [_page_digests(p) for p in m.pages]
    found = [_slide_digests(s) for s in slides]
    n, k = len(pages), len(found)
    if n == k and all(pages[i] == found[i] for i in range(n)):
        return [(i, i) for i in range(n)]
    score = [[_similarity(pages[i], found[j]) for j in range(k)] for i in range(n)]

    def pair(i: int, j: int) -> float:
        return score[i][j] if score[i][j] >= 0.3 else -0.5

    best = [[0.0] * (k + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        best[i][k] = best[i + 1][k] - 0.3
    for j in range(k - 1, -1, -1):
        best[n][j] = best[n][j + 1] - 0.3
    for i in range(n - 1, -1, -1):
        for j in range(k - 1, -1, -1):
            best[i][j] = max(best[i + 1][j + 1] + pair(i, j), best[i + 1][j] - 0.3, best[i][j + 1] - 0.3)
    out: list[tuple[int | None, int | None]] = []
    i = j = 0
    while i < n or j < k:
        if i < n and j < k and abs(best[i][j] - (best[i + 1][j + 1] + pair(i, j))) < 1e-9:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif i < n and (j == k or abs(best[i][j] - (best[i + 1][j] - 0.3)) < 1e-9):
            out.append((i, None))
            i += 1
        else:
            out.append((None, j))
            j += 1
    return out


def _rgb(hex6: str) -> tuple[int, int, int] | None:
    try:
        return int(hex6[0:2], 16), int(hex6[2:4], 16), int(hex6[4:6], 16)
    except ValueError:
        return None


def _new_colours(shape: Shape, known: set[str]) -> list[str]:
    rgbs = [c for c in (_rgb(k) for k in known) if c is not None]
    out = []
    for colour in sorted(shape.colours):
        rgb = _rgb(colour)
        if rgb is None or colour in known:
            continue
        if not any(all(abs(x - y) <= COLOUR_TOLERANCE for x, y in zip(rgb, k)) for k in rgbs):
            out.append(colour)
    return out


def _what(shape: ShapeMap | Shape) -> str:
    kind = shape.kind
    slot = shape.slot or ""
    if slot == TITLE:
        return "the title"
    if slot == "b":
        return "the text"
    if slot in ("footer", "number"):
        return f"the {'slide number' if slot == 'number' else 'footer'}"
    name = slot[1:] if slot.startswith("=") else getattr(shape, "name", "")
    label = {"pic": "picture", "tbl": "table", "sp": "text box"}.get(kind, "shape")
    return f"{label} '{name}'"


class Matcher:
    def __init__(
        self, deck: ReadDeck, titles: dict[int, str], text_of: Callable[[Entry], str | None]
    ) -> None:
        self.deck = deck
        self.path = deck.path
        self.titles = titles  # a page's title as deckgen wrote it, by page index
        self.text_of = text_of  # an entry's text as deckgen wrote it (from the post), None unknown
        self.out = Changes()

    def report(self, code: object, **facts: object) -> None:
        self.out.findings.append(code(self.path, None, **facts))  # type: ignore[operator]

    def run(self) -> Changes:
        m, slides = self.deck.map, self.deck.slides
        pairs = align_slides(m, slides)
        lost = [i for i, j in pairs if j is None and i is not None]
        added = [j for i, j in pairs if i is None and j is not None]
        moved: list[tuple[int, int]] = []
        for i in list(lost):  # a slide moved elsewhere reads as deleted and added: pair them again
            page = _page_digests(m.pages[i])
            scored = [(_similarity(page, _slide_digests(slides[j])), j) for j in added]
            best = max(scored, default=(0.0, -1))
            if best[0] >= 0.6:
                moved.append((i, best[1]))
                lost.remove(i)
                added.remove(best[1])
        for i, j in moved:
            self.report(C.PULL_SLIDE_MOVED, slide=slides[j].number, was=i + 1, title=self.titles.get(i, ""),
                        todo=f"move its part in the post (line {m.pages[i].line})" if m.pages[i].line else "")
        for i in lost:
            line = m.pages[i].line
            self.report(C.PULL_SLIDE_DELETED, was=i + 1, title=self.titles.get(i, ""),
                        todo=f"delete its part from the post (from line {line}) if that is what you meant" if line else
                        "the title page is the post's front matter")
        for j in added:
            title = next((p.text for s in slides[j].shapes if s.slot == TITLE for p in s.paras if p.text), "untitled")
            self.report(C.PULL_SLIDE_ADDED, slide=slides[j].number, title=title,
                        todo="write it into the post as a new part: ---, then its heading and text")
        for i, j in sorted([(i, j) for i, j in pairs if i is not None and j is not None] + moved):
            self.slide(m.pages[i], slides[j])
        return self.out

    # -- one slide ---------------------------------------------------------------
    def slide(self, page: PageMap, slide: DeckSlide) -> None:
        number = slide.number
        deck_shapes: dict[str, Shape] = {}
        extra: list[Shape] = []
        for shape in slide.shapes:
            if shape.slot is None:
                continue
            if shape.slot in deck_shapes:
                extra.append(shape)
            else:
                deck_shapes[shape.slot] = shape
        known = {c for s in page.shapes for c in s.colours}
        for mapped in page.shapes:
            found = deck_shapes.pop(mapped.slot) if mapped.slot in deck_shapes else None
            if found is None:
                self.report(C.PULL_SHAPE_DELETED, slide=number, what=_what(mapped), todo=self._delete_todo(mapped))
                continue
            shape = found
            hidden = mapped.slot == TITLE and page.hidden_title
            if not hidden:
                self._geometry(number, mapped, shape)
            colours = _new_colours(shape, known)
            if colours:
                self.report(C.PULL_COLOUR_CHANGED, slide=number, what=_what(mapped), colour=", ".join(colours),
                            todo="emphasise in the post (**bold**) or change the theme's colours")
            if mapped.kind == "tbl":
                self._table(number, mapped, shape)
            elif mapped.entries or shape.paras:
                self._text(number, mapped, shape, hidden)
        for shape in [*deck_shapes.values(), *extra]:
            if shape.kind == "pic":
                todo = "add it to the post: `![what it shows](picture.png)`"
            elif any(p.text.strip() for p in shape.paras) or shape.cells:
                todo = "write its text into the post where it belongs"
            else:
                todo = "shapes drawn on a slide are not the post's: draw them in a picture, or leave them out"
            what = {"pic": "picture", "tbl": "table", "sp": "text box"}.get(shape.kind, "shape")
            self.report(C.PULL_SHAPE_ADDED, slide=number, what=what, name=shape.name, todo=todo)
        if notes_digest(slide.notes) != page.notes:
            self.out.notes.append(NotesChange(page.line, slide.notes, number))

    def _delete_todo(self, mapped: ShapeMap) -> str:
        keys = [e.key for e in mapped.entries if e.key]
        if keys:
            return "delete its text from the post if that is what you meant"
        if mapped.kind == "pic":
            return "delete the picture from the post if that is what you meant"
        return "nothing to carry over: deckgen puts it there"

    def _geometry(self, number: int, mapped: ShapeMap, shape: Shape) -> None:
        x, y, w, h = tenths(shape.box)
        x0, y0, w0, h0 = mapped.box
        moved = abs(x - x0) > MOVE_TOLERANCE or abs(y - y0) > MOVE_TOLERANCE
        resized = abs(w - w0) > MOVE_TOLERANCE or (abs(h - h0) > MOVE_TOLERANCE and mapped.kind != "tbl")
        if moved or resized:
            how = "moved and resized" if moved and resized else "moved" if moved else "resized"
            todo = "nothing to carry over: the layout places it; a picture's size: <img width> in the post"
            self.report(C.PULL_SHAPE_MOVED, slide=number, what=_what(mapped), how=how, todo=todo)

    def _table(self, number: int, mapped: ShapeMap, shape: Shape) -> None:
        if shape.grid != mapped.grid or len(shape.cells) != len(mapped.entries):
            self.report(C.PULL_TEXT_UNMAPPED, slide=number, what=_what(mapped),
                        why="rows or columns were added or deleted", todo="change the table in the post by hand")
            return
        for entry, cell in zip(mapped.entries, shape.cells):
            if para_digest(cell) != entry.digest:
                self._changed(number, entry, cell.runs, False, mapped)

    def _changed(self, number: int, entry: Entry, runs: TextRuns | None, as_title: bool, mapped: ShapeMap) -> None:
        if not entry.key:
            chrome = mapped.slot in ("footer", "number")
            why = "the theme writes it on every slide" if chrome else "deckgen wrote this text itself (not from the post's body)"
            todo = "change the theme's footer" if chrome else "change the post's front matter or the theme, not the deck"
            self.report(C.PULL_TEXT_UNMAPPED, slide=number, what=_what(mapped), why=why, todo=todo)
            return
        self.out.parts.append(PartChange(entry, runs, as_title, number))

    def _text(self, number: int, mapped: ShapeMap, shape: Shape, hidden: bool) -> None:
        entries = mapped.entries
        paras = shape.paras
        as_title = mapped.slot == TITLE
        old = [e.digest for e in entries]
        new = [para_digest(p) for p in paras]
        if old == new:
            return
        if hidden:
            self.report(C.PULL_TEXT_UNMAPPED, slide=number, what="the hidden title", todo="give the part a heading (## ...) in the post",
                        why="the post has no heading here (the title is the slide's before, for screen readers)")
            return
        if mapped.kind == "sp" and mapped.slot.startswith("=") and not any(e.key for e in entries):
            if any(para_digest(p) != d for p, d in zip(paras, old)) or len(paras) != len(old):
                self.report(C.PULL_TEXT_UNMAPPED, slide=number, what=_what(mapped),
                            why="its text is code or a picture's placeholder, not the post's prose",
                            todo="change it in the post by hand")
            return
        ops = difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes()
        for tag, i1, i2, j1, j2 in ops:
            if tag == "equal":
                continue
            pairs = _pair(entries[i1:i2], paras[j1:j2], self.text_of) if tag == "replace" else []
            paired_e = {id(e) for e, _ in pairs}
            paired_p = {id(p) for _, p in pairs}
            for e, p in pairs:
                self._changed(number, e, p.runs, as_title, mapped)
            for e in entries[i1:i2]:
                if id(e) not in paired_e:
                    self._changed(number, e, None, as_title, mapped)
            before = entries[i1 - 1] if i1 > 0 else None
            previous = paras[j1 - 1] if j1 > 0 else None
            for p in paras[j1:j2]:
                if id(p) in paired_p:
                    before = next(e for e, q in pairs if q is p)
                    previous = p
                    continue
                if not p.text.strip():
                    continue  # an empty paragraph: nothing the post can hold
                if as_title:
                    self.report(C.PULL_TEXT_UNMAPPED, slide=number, what="the title", why="a title is one paragraph",
                                todo="write the title on one line in the post")
                    continue
                after_key = before.key if before is not None else ""
                next_key = entries[i2].key if i2 < len(entries) else ""
                deeper = previous is not None and p.indent > previous.indent
                self.out.inserted.append(Insertion(after_key, next_key, p.runs, p.bullet, deeper, number))


def _pair(
    entries: Sequence[Entry], paras: Sequence[TextPara], text_of: Callable[[Entry], str | None]
) -> list[tuple[Entry, TextPara]]:
    """Changed paragraphs paired with what they were: in order when the counts agree, else each
    new paragraph with the most alike old one after the last paired (the rest deleted or new)."""
    if len(entries) == len(paras):
        return list(zip(entries, paras))
    pairs: list[tuple[Entry, TextPara]] = []
    start = 0
    for p in paras:
        best: tuple[float, int] | None = None
        for k in range(start, len(entries)):
            old = text_of(entries[k])
            if old is None:
                continue
            ratio = difflib.SequenceMatcher(None, old, p.text, autojunk=False).ratio()
            if ratio >= 0.5 and (best is None or ratio > best[0]):
                best = (ratio, k)
        if best is not None:
            pairs.append((entries[best[1]], p))
            start = best[1] + 1
    return pairs


__all__ = ["Changes", "Insertion", "Matcher", "NotesChange", "PartChange", "align_slides"]
