"""pull/units.py: the post as pull reads it — its text with its line ends and encoding, its
texts (units) with the runs the deck shows, and the stretch each is written in."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deckgen.pull.units import PostText, lines_of, parse_post

POST = """---
title: Units
---

The abstract.

---
## First
Some *text* with [a link](/about/) here.
- one
- two
  - nested

### A heading
> quoted

| a | b |
|---|---|
| 1 | 2 |

<table><tr><td>html cell</td></tr></table>

<!-- a note -->
"""


@pytest.mark.parametrize(
    ("data", "newline", "bom"),
    [(b"a\nb\n", "\n", b""), (b"a\r\nb\r\n", "\r\n", b""), (b"\xef\xbb\xbfa\nb\n", "\n", b"\xef\xbb\xbf"),
     ("a\nb\n".encode("utf-16"), "\n", "a".encode("utf-16")[:2])],
    ids=["lf", "crlf", "utf-8-bom", "utf-16"],
)
def test_the_text_is_read_with_lf_and_written_back_as_it_was(data: bytes, newline: str, bom: bytes) -> None:
    text = PostText.of(data, Path("p.md"))
    assert text.text == "a\nb\n" and (text.newline, text.bom) == (newline, bom)
    assert text.encode(text.text) == data
    assert (text.offset(1), text.offset(2), text.offset(3), text.offset(9)) == (0, 2, 4, 4)
    assert (text.line_at(0), text.line_at(2), text.line_at(3)) == (1, 2, 2)


def test_every_text_of_the_post_is_a_unit_with_the_runs_the_deck_shows(tmp_path: Path) -> None:
    post = tmp_path / "units.md"
    post.write_text(POST, "utf-8")
    parsed = parse_post(post, post.read_bytes(), dt.datetime(2024, 1, 1), "https://site.org")
    units = parsed.units
    kinds = [(u.key, u.kind) for u in units.values()]
    assert kinds == [
        ("m.title", "front-title"), ("a.0", "abstract"), ("0.t", "title"), ("0.0", "paragraph"),
        ("0.1.0", "item"), ("0.1.1", "item"), ("0.1.2", "item"), ("0.2", "heading"), ("0.3.0", "quote"),
        ("0.4.0", "cell"), ("0.4.1", "cell"), ("0.4.2", "cell"), ("0.4.3", "cell"), ("0.5.0", "cell"),
    ]
    text = units["0.0"]
    assert text.runs[1] == ("text", (False, True, False, "")) and text.runs[3] == ("a link", (False, False, False, "https://site.org/about/"))
    assert units["0.1.2"].level == 1 and units["m.title"].line == 2
    assert units["0.2"].shown(as_title=False)[0][1][0] and not units["0.2"].shown(as_title=True)[0][1][0]
    assert units["0.3.0"].runs[0][1][1]  # a quote is italic
    assert units["0.4.0"].runs[0][1][0]  # a header cell is bold
    assert units["0.5.0"].html and not units["0.4.0"].html
    start, end = parsed.window(units["0.4.0"].line)
    assert parsed.text.text[start:end] == "| a | b |\n|---|---|\n| 1 | 2 |\n"
    assert parsed.deck.slides[0].notes == "a note"


def test_mixed_line_ends_are_kept_line_by_line_and_new_lines_take_the_common_one() -> None:
    data = b"a\r\nb\nc\r\nd\r\ne"  # mostly CRLF, one LF, no end on the last line
    text = PostText.of(data, Path("p.md"))
    assert (text.text, text.newline) == ("a\nb\nc\nd\ne", "\r\n")
    assert text.encode(text.text) == data
    assert text.encode("a\nB\nnew\nc\nd\ne") == b"a\r\nB\nnew\r\nc\r\nd\r\ne"  # B keeps b's LF
    assert text.encode("a\nc\nd\nE") == b"a\r\nc\r\nd\r\nE"
    assert text.encode("a\nb\nc\nd\ne\nf\n") == b"a\r\nb\nc\r\nd\r\ne\r\nf\r\n"  # lines added after the last


def test_lines_are_cut_after_a_line_feed_only() -> None:
    assert lines_of("a\x0cb\u2028c\nd\r\ne") == ["a\x0cb\u2028c\n", "d\r\n", "e"]
    assert lines_of("") == [] and lines_of("x\n") == ["x\n"]
