"""pull/rewrite.py: one text's change written into the post's own characters, the markup around
it kept; formatting put on and taken off; what cannot be written refused."""

from __future__ import annotations

import pytest

from deckgen.pull.rewrite import Rewriter, apply_edits, sorted_edits
from deckgen.pull.slideread import PLAIN, Style, TextRuns
from deckgen.pull.textedit import Edit, Unmappable, align, atoms

B: Style = (True, False, False, "")
IT: Style = (False, True, False, "")
BI: Style = (True, True, False, "")
URL = "https://arxiv.org/abs/1"
L: Style = (False, False, False, URL)

LECTURE = "[A Survey of LLMs](https://arxiv.org/abs/1)<br>\n*Since the introduction of Transformer in 2017.*<br>\n"
SHOWN: TextRuns = (("A Survey of LLMs", L), ("\n", PLAIN), ("Since the introduction of Transformer in 2017.", IT))


def rewrite(src: str, old: TextRuns, new: TextRuns, context: str = "md") -> str:
    found = atoms(src)
    (where,) = align(["".join(t for t, _ in old)], found)
    return apply_edits(src, Rewriter(old, where, found, src, context).edits(new))


@pytest.mark.parametrize(
    ("new", "want"),
    [
        ((("A Study of LLMs", L), ("\n", PLAIN), SHOWN[2]), LECTURE.replace("Survey", "Study")),
        ((SHOWN[0], ("\n", PLAIN), ("Since the introduction of ", IT), ("Transformer", BI), (" in 2017.", IT)),
         LECTURE.replace("Transformer", "**Transformer**")),
        ((SHOWN[0], (" (2023)", PLAIN), ("\n", PLAIN), SHOWN[2]), LECTURE.replace(")<br>", ") (2023)<br>", 1)),
        ((SHOWN[0], ("\n", PLAIN), ("Ever since the introduction of Transformer in 2017.", IT)),
         LECTURE.replace("*Since", "*Ever since")),
        ((("A Survey of LLMs", (False, False, False, "https://arxiv.org/abs/2")), ("\n", PLAIN), SHOWN[2]),
         LECTURE.replace("abs/1)", "abs/2)")),
    ],
    ids=["link-text", "bold-in-italic", "after-a-link", "after-a-break", "link-address"],
)
def test_a_change_is_written_where_the_post_has_the_text(new: TextRuns, want: str) -> None:
    assert rewrite(LECTURE, SHOWN, new) == want


def test_bold_taken_off_takes_its_markup_away_and_a_deleted_bold_word_its_markup_too() -> None:
    src = "- one **two** three\n"
    old = (("one ", PLAIN), ("two", B), (" three", PLAIN))
    assert rewrite(src, old, (("one two three", PLAIN),)) == "- one two three\n"
    assert rewrite(src, old, (("one three", PLAIN),)) == "- one three\n"
    html = "<li>one <b>two</b> three</li>"
    assert rewrite(html, old, (("one two three", PLAIN),), "html") == "<li>one two three</li>"


def test_a_link_taken_off_leaves_its_text() -> None:
    src = "see [the site](https://x.org) now\n"
    old = (("see ", PLAIN), ("the site", (False, False, False, "https://x.org")), (" now", PLAIN))
    assert rewrite(src, old, (("see the site now", PLAIN),)) == "see the site now\n"


def test_entities_escapes_and_cells_stay_as_the_post_writes_them() -> None:
    assert rewrite("Tom &amp; Jerry\n", (("Tom & Jerry", PLAIN),), (("Tom & Jerry!", PLAIN),)) == "Tom &amp; Jerry!\n"
    assert rewrite("| a | b & c |\n", (("b & c", PLAIN),), (("b and c", PLAIN),)) == "| a | b and c |\n"
    assert rewrite("2 \\* 3\n", (("2 * 3", PLAIN),), (("2 * 4", PLAIN),)) == "2 \\* 4\n"
    assert rewrite("x `code` y\n", (("x code y", PLAIN),), (("x codes y", PLAIN),)) == "x `codes` y\n"
    assert rewrite("| a |\n", (("a", PLAIN),), (("a|b *c*", PLAIN),)) == "| a\\|b \\*c\\* |\n"


def test_what_the_post_does_not_write_as_the_deck_shows_it_is_refused() -> None:
    src = "Updated {{ site.time }}.\n"
    with pytest.raises(Unmappable):
        rewrite(src, (("Updated December 07.", PLAIN),), (("Updated December 08.", PLAIN),))
    with pytest.raises(Unmappable):  # bold taken off a heading: no markup says it
        rewrite("## Title\n", (("Title", B),), (("Title", PLAIN),))


def test_overlapping_edits_are_refused_and_touching_ones_kept_in_order() -> None:
    assert sorted_edits([Edit(5, 5, "b"), Edit(2, 5, "a"), Edit(5, 7, "c")]) == [Edit(2, 5, "a"), Edit(5, 5, "b"), Edit(5, 7, "c")]
    with pytest.raises(Unmappable):
        sorted_edits([Edit(2, 6, "a"), Edit(5, 7, "b")])
