"""source/xmlchars.py: what XML cannot carry is dropped where the post is read."""

from __future__ import annotations

from deckgen.source.xmlchars import clean_source, clean_value


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
