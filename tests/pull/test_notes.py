"""pull/notes.py: notes changed in the deck written into the part's comments; notes a part did
not have become a comment at its end; notes the post does not hold as comments are refused."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deckgen.pull.match import NotesChange
from deckgen.pull.notes import notes_change
from deckgen.pull.rewrite import apply_edits
from deckgen.pull.textedit import Unmappable
from deckgen.pull.units import parse_post

POST = """---
title: Notes
---

---
## One
Text.
<!-- first note -->

More text.

<!--
  second note,
  on two lines
-->

---
## Two
No notes here.

---
## Three
```html
<!-- in code, not a note -->
```
<!-- the real note -->
"""


def change(tmp_path: Path, slide: int, notes: str) -> str:
    post = tmp_path / "notes.md"
    post.write_text(POST, "utf-8")
    parsed = parse_post(post, post.read_bytes(), dt.datetime(2024, 1, 1), "")
    found = notes_change(parsed, NotesChange(parsed.deck.slides[slide].line, notes, slide + 2))
    return apply_edits(parsed.text.text, found.edits)


def test_a_change_goes_into_the_comment_that_holds_it(tmp_path: Path) -> None:
    out = change(tmp_path, 0, "first note, changed\n\nsecond note,\non two lines")
    assert "<!-- first note, changed -->" in out and "second note,\n  on two lines" not in out
    out = change(tmp_path, 0, "first note\n\nsecond note,\non three lines")
    assert "  second note,\non three lines\n-->" in out


def test_notes_where_there_were_none_are_a_new_comment_before_the_parts_end(tmp_path: Path) -> None:
    out = change(tmp_path, 1, "Say hello.")
    assert "No notes here.\n\n<!-- Say hello. -->\n\n---\n## Three" in out


def test_notes_the_post_does_not_hold_as_comments_alone_are_refused(tmp_path: Path) -> None:
    with pytest.raises(Unmappable):
        change(tmp_path, 2, "the real note, changed")
