"""The untrusted-text boundary: what a post's text may hold once it reaches layout."""

from __future__ import annotations

from deckgen.diagnostics.quoting import error_text, quote_short
from deckgen.model import LINE_BREAK, Cell, Run, normalize_spans
from deckgen.parse.cleandeck import ZWSP, break_word, clean_runs, cut_runs
from deckgen.source.xmlchars import clean_source, clean_value
from deckgen.writers.package import core_property


def test_xml_invalid_characters_are_dropped_and_the_first_is_located() -> None:
    assert clean_source("ok") == ("ok", None)
    text, first = clean_source("a\n\x00b\x0b\ufffe\uffffc\ud800")
    assert text == "a\nbc\ufffd"
    assert first == 2
    assert clean_source("tab\tand\nnewline") == ("tab\tand\nnewline", None)


def test_front_matter_values_are_cleaned_all_the_way_down() -> None:
    value, changed = clean_value({"title": "a\x00", "tags": ["x", "\uffff"], "n": 3})
    assert changed and value == {"title": "a", "tags": ["x", ""], "n": 3}
    assert clean_value({"title": "fine"}) == ({"title": "fine"}, False)


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


def test_core_properties_and_quotes_are_cut_with_an_ellipsis() -> None:
    assert core_property("a" * 255) == "a" * 255
    assert core_property("a" * 300) == "a" * 254 + "…"
    assert quote_short("x\ny" + "z" * 100, 10) == "x yzzzzzz…"
    assert cut_runs((Run("abc"), Run("def")), 4) == (Run("abc"), Run("d…"))


def test_table_spans_are_clipped_and_overlaps_resolved() -> None:
    rows = (
        (Cell((Run("a"),), rowspan=10), Cell((Run("b"),))),
        (Cell((Run("c"),), colspan=4),),
    )
    assert normalize_spans(rows) == (
        (Cell((Run("a"),), rowspan=2), Cell((Run("b"),))),
        (Cell((Run("c"),), colspan=1),),
    )
    wide = ((Cell((Run("x"),), colspan=400),), (Cell(()), Cell(())))
    assert [c.colspan for c in normalize_spans(wide)[0]] == [2]


def test_an_error_is_quoted_by_its_first_line_cut_short_or_by_its_class() -> None:
    assert error_text(OSError("no route\nto host, and a page of detail")) == "no route"
    assert error_text(ValueError("x" * 100), 10) == "xxxxxxxxx…"
    assert error_text(KeyError()) == "KeyError"
