"""Diagnostics are data: a code makes them from facts; they survive JSON and pickling."""

from __future__ import annotations

import pickle

import pytest

from deckgen.diagnostics import Diagnostics, Severity, as_dict, from_dict
from deckgen.diagnostics import codes as C


def test_a_code_fills_its_templates_from_the_facts() -> None:
    d = C.LINK_NO_SCHEME("p.md", 4, url="www.x.org")
    assert d.code == "L205" and d.name == "link-no-scheme" and d.kind == "link"
    assert d.message == "'www.x.org' has no scheme, so it points inside the site"
    assert d.hint == "write https://www.x.org"
    assert d.get("url") == "www.x.org" and d.file == "p.md" and d.line == 4


def test_a_missing_fact_is_a_bug_caught_at_once() -> None:
    with pytest.raises(TypeError, match="L205"):
        C.LINK_NO_SCHEME("p.md", 4)


def test_the_sink_sorts_by_severity() -> None:
    diag = Diagnostics()
    diag.report(C.EMPTY_SLIDE, "p.md", 2)
    diag.report(C.UNKNOWN_TAG, "p.md", 3, tag="x")
    assert [d.code for d in diag.warnings] == ["M108"]
    assert [d.code for d in diag.notes] == ["M101"]
    assert diag.codes() == ["M101", "M108"]


def test_round_trips_through_json_data_and_pickle() -> None:
    d = C.PICTURE_UNAVAILABLE("p.md", 7, url="https://a/b.png", reason="HTTP 404", cause="fetch")
    assert from_dict(as_dict(d)) == d
    assert pickle.loads(pickle.dumps(d)) == d
    with pytest.raises(ValueError):
        from_dict({"code": "X"})


def test_codes_are_unique_and_well_formed() -> None:
    assert len({c.code for c in C.ALL}) == len(C.ALL) == len({c.name for c in C.ALL})
    for c in C.ALL:
        assert c.code[0] in "ESMLPTIRAO" and c.code[1:].isdigit(), c
        assert c.example and c.fix, c
        assert isinstance(c.severity, Severity)


def test_every_code_makes_a_diagnostic_from_its_facts() -> None:
    # a template is a format string: a brace meant as text must be doubled (S103's hint was not)
    for c in C.ALL:
        d = c("p.md", 1, **dict.fromkeys(c.fields(), "FACT"))
        assert (d.code, d.name, d.severity) == (c.code, c.name, c.severity)
        if c.fields():
            assert "FACT" in d.message + d.hint, c
    assert C.LIQUID_UNCLOSED("p.md", 4, text="{{ x").hint == "close it with }} or %}"
