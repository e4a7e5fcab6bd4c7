"""parse/cleandeck.py: a deck's text made measurable (line separators, controls, long words, cut runs)."""

from __future__ import annotations

from deckgen.model import LINE_BREAK, Run
from deckgen.parse.cleandeck import ZWSP, break_word, clean_runs, cut_runs


def test_line_separators_become_breaks_and_controls_go() -> None:
    runs = clean_runs((Run("a\u2028b\x85c\x01d", bold=True),))
    assert runs == (Run("a", bold=True), LINE_BREAK, Run("b", bold=True), LINE_BREAK, Run("cd", bold=True))
    plain = (Run("nothing to do"),)
    assert clean_runs(plain) is plain


def test_long_words_break_at_url_punctuation_then_every_24_characters() -> None:
    assert break_word("https://example.org/a/b") == f"https:{ZWSP}/{ZWSP}/{ZWSP}example.{ZWSP}org/{ZWSP}a/{ZWSP}b"
    pieces = break_word("x" * 60).split(ZWSP)
    assert [len(p) for p in pieces] == [24, 24, 12]
    assert clean_runs((Run("short words stay"),)) == (Run("short words stay"),)


def test_runs_are_cut_with_an_ellipsis() -> None:
    assert cut_runs((Run("abc"), Run("def")), 4) == (Run("abc"), Run("d…"))
