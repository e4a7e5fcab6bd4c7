"""Speaker notes changed in the deck, written back into the post's HTML comments.

A slide's notes are its part's comments (``<!-- ... -->``), each stripped, joined by a blank
line; the change is written into the comments' own characters, and notes a part did not have
become a new comment at its end (before the ``---`` that ends it)."""

from __future__ import annotations

import difflib
import re

from deckgen.pull.match import NotesChange
from deckgen.pull.textedit import Candidate, Edit, Unmappable
from deckgen.pull.units import Post

_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_HR = re.compile(r"^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$")


def _escape(text: str) -> str:
    return text.replace("-->", "-- >")


def _region(post: Post, s: int) -> tuple[int, int]:
    slides = post.deck.slides
    start = post.text.offset(slides[s].line)
    end = post.text.offset(slides[s + 1].line) if s + 1 < len(slides) else len(post.text.text)
    return start, end


def _end_of_content(post: Post, start: int, end: int, last: bool) -> int:
    """Where a part's content ends: after its last line that is neither blank nor the ``---``
    closing it."""
    text = post.text
    line = text.line_at(max(start, end - 1))
    first = text.line_at(start)
    seen_hr = last
    while line >= first:
        content = text.text[text.offset(line) : text.offset(line + 1)].strip("\n")
        if content.strip() and (seen_hr or not _HR.match(content)):
            return text.offset(line + 1)
        if _HR.match(content):
            seen_hr = True
        line -= 1
    return start


def _before(where: list[int | None], i: int) -> int | None:
    """The post offset of the last character before ``i`` that has one."""
    return next((w for w in reversed(where[:i]) if w is not None), None)


def notes_change(post: Post, change: NotesChange) -> Candidate:
    if change.line == 0:
        raise Unmappable("the title page's notes have no place in the post")
    s = post.slide_of_line(change.line)
    if s < 0:
        raise Unmappable("its part of the post was not found")
    slide = post.deck.slides[s]
    start, end = _region(post, s)
    text = post.text.text
    pieces: list[tuple[str, int]] = []
    for m in _COMMENT.finditer(text, start, end):
        body = m.group(1)
        if body.strip():
            pieces.append((body.strip(), m.start(1) + len(body) - len(body.lstrip())))
    old = "\n\n".join(p for p, _ in pieces)
    if old != slide.notes:
        raise Unmappable("its notes are not all written as comments (<!-- -->) in its part of the post")
    new = change.notes.replace("\u200b", "").strip()
    what = "the notes changed" if old else "notes added"
    if not pieces:
        if not new:
            raise Unmappable("nothing to write")
        at = _end_of_content(post, start, end, s + 1 == len(post.deck.slides))
        edit = Edit(at, at, f"\n<!-- {_escape(new)} -->\n")
        return Candidate(what, change.slide, slide.line, [edit], notes={s: new})
    where: list[int | None] = []
    for k, (piece, at) in enumerate(pieces):
        if k:
            where.extend([None, None])
        where.extend(range(at, at + len(piece)))
    edits: list[Edit] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            continue
        fresh = _escape(new[j1:j2])
        if i1 == i2:
            prev = _before(where, i1)
            if prev is not None:
                edits.append(Edit(prev + 1, prev + 1, fresh))
            else:
                following = next(w for w in where if w is not None)
                edits.append(Edit(following, following, fresh))
            continue
        placed = [w for w in where[i1:i2] if w is not None]
        if not placed:  # only the blank line between two comments: the text goes into the first
            prev = _before(where, i1)
            assert prev is not None  # a blank line between two comments follows one
            edits.append(Edit(prev + 1, prev + 1, fresh))
            continue
        runs: list[list[int]] = []
        for w in placed:
            if runs and w == runs[-1][-1] + 1:
                runs[-1].append(w)
            else:
                runs.append([w])
        for k, run in enumerate(runs):
            edits.append(Edit(run[0], run[-1] + 1, fresh if k == 0 else ""))
    edits.sort(key=lambda e: (e.start, e.end))
    return Candidate(what, change.slide, slide.line, edits, notes={s: new})


__all__ = ["notes_change"]
