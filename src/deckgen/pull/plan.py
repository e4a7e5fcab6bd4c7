"""The deck's changes as changes of the post: each a :class:`Candidate` with its edits of the
post's characters and what the post must show once they are made (checked by parsing it again,
``deckgen.pull.verify``). A change that cannot be written is reported, never guessed."""

from __future__ import annotations

import re
from collections import defaultdict

from deckgen.diagnostics import Diagnostic
from deckgen.diagnostics import codes as C
from deckgen.layout.origins import FRONT_TITLE
from deckgen.pull.deckmap import DeckMap, Entry, canonical, digest
from deckgen.pull.match import Changes, Insertion, PartChange
from deckgen.pull.rewrite import Rewriter
from deckgen.pull.slideread import PLAIN, TextRuns, merge_runs
from deckgen.pull.textedit import (
    Atom,
    Candidate,
    Edit,
    Unmappable,
    align,
    atoms,
    escape_line_start,
    write_runs,
)
from deckgen.pull.units import Post, Unit, block_key

_MARKER = re.compile(r"^(\s*)([-*+]|(\d{1,9})([.)]))([ \t]+)")


def slice_runs(runs: TextRuns, start: int, end: int | None = None) -> TextRuns:
    out: list[tuple[str, tuple[bool, bool, bool, str]]] = []
    pos = 0
    for text, style in runs:
        a, b = pos, pos + len(text)
        lo, hi = max(a, start), min(b, end if end is not None else b)
        if lo < hi:
            out.append((text[lo - a : hi - a], style))
        pos = b
    return tuple(out)


def shown_canonical(unit: Unit, runs: TextRuns | None = None) -> str:
    """What verification compares: a unit's runs as a slide's body shows them (a heading bold)."""
    if runs is None:
        return canonical(unit.shown(False))
    if unit.kind == "heading":
        runs = merge_runs([(t, (True, i, s, link)) for t, (_b, i, s, link) in runs])
    return canonical(runs)


class Planner:
    def __init__(self, post: Post, deck_map: DeckMap) -> None:
        self.post = post
        self.map = deck_map
        self.findings: list[Diagnostic] = []
        self._aligned: dict[str, tuple[list[Atom], dict[str, list[int | None]]]] = {}
        self.parts: dict[str, list[Entry]] = defaultdict(list)
        for page in deck_map.pages:
            for shape in page.shapes:
                for e in shape.entries:
                    if e.key:
                        self.parts[e.key].append(e)

    def refuse(self, slide: int, what: str, why: str, line: int | None = None) -> None:
        self.findings.append(
            C.PULL_TEXT_UNMAPPED(self.post.path, line, slide=slide, what=what, why=why,
                                 todo="make the change in the post by hand")
        )

    # -- where a unit is in the post -------------------------------------------------
    def aligned(self, unit: Unit) -> tuple[list[Atom], list[int | None]]:
        group = block_key(unit.key)
        if group not in self._aligned:
            members = [u for u in self.post.units.values() if block_key(u.key) == group]
            start, end = self.post.window(unit.line)
            found = atoms(self.post.text.text[start:end], start)
            where = align([u.text for u in members], found)
            self._aligned[group] = (found, {u.key: w for u, w in zip(members, where)})
        found, by_key = self._aligned[group]
        return found, by_key[unit.key]

    def old_text(self, entry: Entry) -> str | None:
        """An entry's text as deckgen wrote it, from the post (None: the post has no such text)."""
        unit = self.post.units.get(entry.key)
        if unit is None:
            return None
        text = unit.text
        end = entry.start + entry.length if entry.length >= 0 else None
        return text[entry.start : end] + entry.tail

    # -- the plan ----------------------------------------------------------------------
    def plan(self, changes: Changes) -> list[Candidate]:
        out: list[Candidate] = []
        by_key: dict[str, list[PartChange]] = defaultdict(list)
        for change in changes.parts:
            by_key[change.entry.key].append(change)
        for key, found in by_key.items():
            try:
                out.append(self.unit_change(key, found))
            except Unmappable as exc:
                unit = self.post.units.get(key)
                self.refuse(found[0].slide, _describe(unit), str(exc), unit.line if unit else None)
        for insertion in changes.inserted:
            try:
                out.append(self.insertion(insertion))
            except Unmappable as exc:
                self.refuse(insertion.slide, "a new paragraph", str(exc))
        from deckgen.pull.notes import notes_change

        for notes in changes.notes:
            try:
                out.append(notes_change(self.post, notes))
            except Unmappable as exc:
                self.refuse(notes.slide, "the notes", str(exc))
        return out

    def unit_change(self, key: str, changed: list[PartChange]) -> Candidate:
        unit = self.post.units.get(key)
        if unit is None:
            raise Unmappable("the post has no such text (was it built by another deckgen?)")
        as_title = changed[0].as_title
        old = unit.shown(as_title)
        text = "".join(t for t, _ in old)
        news = {id(c.entry): c for c in changed}
        # the parts of the text the deck shows, each where it starts; a title shown on every page
        # of its part (``X``, ``X (2/3)``) is one part shown several times
        ranges: dict[tuple[int, int], list[Entry]] = {}
        for e in self.parts.get(key, [c.entry for c in changed]):
            end = e.start + e.length if e.length >= 0 else len(text)
            ranges.setdefault((e.start, end), []).append(e)
        pieces: list[tuple[str, tuple[bool, bool, bool, str]]] = []
        pos = 0
        deleted = 0
        for (start, end), shown_as in sorted(ranges.items()):
            shown = slice_runs(old, start, end)
            versions: list[TextRuns | None] = []
            for e in shown_as:
                if digest(canonical(merge_runs([*shown, (e.tail, PLAIN)]))) != e.digest:
                    raise Unmappable("the deck does not show the post's text as it is (cut to fit, or another deckgen)")
                change = news.get(id(e))
                if change is not None:
                    versions.append(None if change.runs is None else _without_tail(change.runs, e.tail))
            pieces.extend(slice_runs(old, pos, start))
            distinct = {None if v is None else canonical(v) for v in versions}
            if len(distinct) > 1:
                raise Unmappable("it is changed differently on the slides that show it")
            if not versions:
                pieces.extend(shown)
            elif versions[0] is None:
                deleted += 1
            else:
                pieces.extend(versions[0])
            pos = max(pos, end)
        pieces.extend(slice_runs(old, pos))
        parts = list(ranges)
        line = unit.line
        slide = changed[0].slide
        if deleted == len(parts) and unit.kind not in ("cell",):
            return self.deletion(unit, slide)
        new = merge_runs(pieces)
        if unit.kind in ("title", "front-title") and not "".join(t for t, _ in new).strip():
            raise Unmappable("a title cannot be empty")
        found, where = self.aligned(unit)
        context = _context(unit, self.post)
        edits = Rewriter(old, where, found, self.post.text.text, context).edits(new)
        return Candidate(f"{_describe(unit)} changed", slide, line, edits, [("replace", key, shown_canonical(unit, new))])

    # -- structure -------------------------------------------------------------------
    def _lines(self, unit: Unit) -> tuple[int, int]:
        """The lines [first, last] the unit's text is written on."""
        found, where = self.aligned(unit)
        placed = [w for w in where if w is not None]
        if not placed:
            raise Unmappable("its text is not in the post as the deck shows it")
        line_at = self.post.text.line_at
        return line_at(found[placed[0]].start), line_at(found[placed[-1]].end - 1)

    def _own_lines(self, unit: Unit) -> tuple[int, int]:
        """A list item's lines: from its first to the next item's first (or its block's end)."""
        first, last = self._lines(unit)
        members = [u for u in self.post.units.values() if block_key(u.key) == block_key(unit.key)]
        k = members.index(unit)
        if k + 1 < len(members):
            try:
                following, _ = self._lines(members[k + 1])
            except Unmappable:
                following = last + 1
            if following > first:
                return first, following - 1
        return first, last

    def deletion(self, unit: Unit, slide: int) -> Candidate:
        if unit.kind in ("title", "front-title"):
            raise Unmappable("a title cannot be deleted")
        text = self.post.text
        first, last = self._own_lines(unit) if unit.kind == "item" else self._lines(unit)
        lines = text.text[text.offset(first) : text.offset(last + 1)]
        if unit.kind == "item" and not _MARKER.match(lines):
            raise Unmappable("the item shares its line with others")
        if unit.kind != "item" and not _only(lines, unit.text):
            raise Unmappable("its lines hold more than this text")
        start, end = text.offset(first), text.offset(last + 1)
        if unit.kind != "item" and _blank(text, first - 1) and _blank(text, last + 1):
            end = text.offset(last + 2)  # the blank line after it goes too
        return Candidate(f"{_describe(unit)} deleted", slide, unit.line, [Edit(start, end, "")], [("delete", unit.key, "")])

    def insertion(self, ins: Insertion) -> Candidate:
        text = self.post.text
        after = self.post.units.get(ins.after) if ins.after else None
        before = self.post.units.get(ins.before) if ins.before else None
        anchor = after or before
        if anchor is None:
            raise Unmappable("no text of the post next to it")
        context = _context(anchor, self.post)
        body = write_runs(ins.runs, PLAIN, context)
        canon = canonical(ins.runs)
        if anchor.kind == "item":
            first, last = self._own_lines(anchor)
            line = text.text[text.offset(first) : text.offset(first + 1)]
            m = _MARKER.match(line)
            if m is None:
                raise Unmappable("the list is not written as Markdown items")
            indent, marker, number, sep, space = m.groups()
            if number:
                marker = f"{int(number) + (1 if after else 0)}{sep}"
            if ins.deeper and after is not None:
                indent += " " * (len(m.group(2)) + len(space))
            new_line = f"{indent}{marker}{space}{escape_line_start(body)}\n"
            at = text.offset(last + 1) if after is not None else text.offset(first)
            op = ("after", ins.after, canon) if after is not None else ("before", ins.before, canon)
            return Candidate("a new list item", ins.slide, first, [Edit(at, at, new_line)], [op])
        if anchor.kind in ("title", "front-title", "cell"):
            raise Unmappable("no new paragraph can go there")
        first, last = self._lines(anchor)
        lead = "- " if ins.bullet else ""
        block = lead + (escape_line_start(body) if not lead else body)
        if after is not None:
            at = text.offset(last + 1)
            tail = "\n" if not _blank(text, last + 1) and last + 1 <= len(text.starts) else ""
            edit = Edit(at, at, f"\n{block}\n{tail}")
            op = ("after", ins.after, canon)
        else:
            at = text.offset(first)
            edit = Edit(at, at, f"{block}\n\n")
            op = ("before", ins.before, canon)
        return Candidate("a new paragraph", ins.slide, first, [edit], [op])


def _without_tail(runs: TextRuns, tail: str) -> TextRuns:
    if not tail:
        return runs
    text = "".join(t for t, _ in runs)
    if not text.endswith(tail):
        if text.rstrip().endswith(tail.strip()):
            return slice_runs(runs, 0, len(text.rstrip()) - len(tail.strip()))
        raise Unmappable(f"the title's '{tail.strip()}' is deckgen's numbering; it was changed")
    return slice_runs(runs, 0, len(text) - len(tail))


def _blank(text: object, line: int) -> bool:
    from deckgen.pull.units import PostText

    assert isinstance(text, PostText)
    if line < 1 or line > len(text.starts):
        return True
    return not text.text[text.offset(line) : text.offset(line + 1)].strip()


_MARKUP = re.compile(r"<br\s*/?>|[*_~`#>|\\\s]|^\s*(?:[-+]|\d+[.)])\s", re.MULTILINE | re.IGNORECASE)


def _only(lines: str, text: str) -> bool:
    """Do ``lines`` hold nothing but ``text`` and markup?"""
    rest = lines
    for word in text.split():
        at = rest.find(word)
        if at < 0:
            return False
        rest = rest[:at] + rest[at + len(word) :]
    rest = re.sub(r"\]\([^)]*\)|\[", "", rest)
    return not _MARKUP.sub("", rest).strip()


def _context(unit: Unit, post: Post) -> str:
    if unit.key == FRONT_TITLE:
        return "yaml"
    return "html" if unit.html else "md"


def _describe(unit: Unit | None) -> str:
    if unit is None:
        return "a text"
    return {
        "front-title": "the deck's title", "abstract": "the introduction", "title": "the title",
        "heading": "a heading", "paragraph": "a paragraph", "item": "a list item", "quote": "a quoted paragraph",
        "cell": "a table cell",
    }[unit.kind]


__all__ = ["Planner", "shown_canonical", "slice_runs"]
