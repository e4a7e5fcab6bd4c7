"""diagnostics/quoting.py: values from outside the prose, quoted short in messages."""

from __future__ import annotations

from deckgen.diagnostics.quoting import error_text, quote_short


def test_a_quote_is_one_line_cut_with_an_ellipsis() -> None:
    assert quote_short("x\ny" + "z" * 100, 10) == "x yzzzzzz…"


def test_an_error_is_quoted_by_its_first_line_cut_short_or_by_its_class() -> None:
    assert error_text(OSError("no route\nto host, and a page of detail")) == "no route"
    assert error_text(ValueError("x" * 100), 10) == "xxxxxxxxx…"
    assert error_text(KeyError()) == "KeyError"
