"""diagnostics/model.py: diagnostics are data: a code makes them from facts; they survive JSON and pickling."""

from __future__ import annotations

import pickle

import pytest

from deckgen.diagnostics import Diagnostics, as_dict, from_dict
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
