"""pull/textedit.py: the post's characters as atoms, a text aligned with them, new text written
in the post's markup."""

from __future__ import annotations

import pytest

from deckgen.pull.slideread import PLAIN
from deckgen.pull.textedit import (
    NOTHING,
    Unmappable,
    added_style,
    align,
    atoms,
    escape,
    escape_line_start,
    styled,
    write_runs,
)

BOLD = (True, False, False, "")
ITALIC = (False, True, False, "")


def test_atoms_show_what_the_post_shows() -> None:
    src = "a &amp; b \\* c<br>\nd  \ne [x](http://u) ![p](q.png) <b>f</b> {{ page.x }}"
    found = atoms(src, 100)
    shown = "".join(a.char for a in found)
    assert shown.startswith("a & b * c\n d\ne [x" + NOTHING + " " + NOTHING + " " + NOTHING + "f" + NOTHING)
    assert shown.endswith(NOTHING)
    amp = next(a for a in found if a.char == "&")
    assert src[amp.start - 100 : amp.end - 100] == "&amp;"
    br = next(a for a in found if a.char == "\n")
    assert src[br.start - 100 : br.end - 100] == "<br>"


def test_texts_written_one_after_another_find_their_own_characters() -> None:
    src = "| 1 | 1 | 10 |"
    where = align(["1", "1", "10"], atoms(src))
    offsets = [[w for w in part] for part in where]
    assert offsets == [[2], [6], [10, 11]]


def test_a_character_the_post_does_not_have_is_none() -> None:
    (where,) = align(["Hello World"], atoms("Hello {{ site.name }}"))
    assert where[:6] == [0, 1, 2, 3, 4, 5] and where[6:] == [None] * 5


def test_new_text_is_escaped_for_where_it_goes() -> None:
    assert escape("a*b_c [d] <e> `f` ~g~ | &amp;", "md") == "a\\*b\\_c \\[d\\] \\<e\\> \\`f\\` \\~g\\~ \\| &amp;amp;"
    assert escape("x\ny", "md") == "x<br>y"
    assert escape("<b> & </b>", "html") == "&lt;b&gt; &amp; &lt;/b&gt;"
    assert escape("Plain title", "yaml") == "Plain title"
    with pytest.raises(Unmappable):
        escape("Title: with a colon", "yaml")
    assert escape_line_start("# not a heading") == "\\# not a heading"
    assert escape_line_start("1. not a list") == "1\\. not a list"
    assert escape_line_start("plain") == "plain"


def test_new_formatting_is_written_as_markup_and_taking_some_away_is_refused() -> None:
    assert styled("x", (True, True, False, "http://u/a b"), "md") == "[***x***](<http://u/a b>)"
    assert styled("x", (True, False, True, ""), "html") == "<strong><s>x</s></strong>"
    assert write_runs([("plain ", PLAIN), ("strong", BOLD), (" end", PLAIN)], PLAIN, "md") == "plain **strong** end"
    assert write_runs([("more", BOLD)], BOLD, "md") == "more"  # inside bold text already
    assert added_style(BOLD, ITALIC) is None
    with pytest.raises(Unmappable):
        write_runs([("not bold", PLAIN)], BOLD, "md")
