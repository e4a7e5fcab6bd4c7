"""Diagnostics as the terminal shows them: one line each, many of a kind grouped."""

from __future__ import annotations

import json

from deckgen.diagnostics import codes as C
from deckgen.diagnostics import render as R


def _unavailable(i: int, reason: str = "host not found (offline?)"):
    return C.PICTURE_UNAVAILABLE("p.md", i, url=f"https://h{i}.example/x.png", reason=reason, cause="fetch")


def test_a_line_has_place_message_hint_and_code() -> None:
    found = C.UNKNOWN_TAG("p.md", 9, tag="ve")
    assert R.line(found) == "p.md:9: unknown HTML tag <ve> dropped, its text kept [M108]"
    hinted = C.BAD_DATE("p.md", 3, value="x")
    assert R.line(hinted, kind=True).startswith("p.md:3: front-matter: date 'x' is not a date (write it")
    assert R.line(hinted).endswith(") [S202]")


def test_many_pictures_failing_alike_become_one_group_with_a_count() -> None:
    found = [_unavailable(i) for i in range(33)]
    found.insert(5, C.UNKNOWN_TAG("p.md", 9, tag="ve"))
    out = R.grouped(found)
    assert len(out) == 2
    group, tag = out
    assert isinstance(group, R.Group) and len(group.members) == 33
    assert tag.code == "M108"
    assert str(group).startswith("p.md: 33 pictures unavailable: host not found (offline?): https://h0.example/x.png, ")
    assert str(group).endswith("... (-v lists all) [P101]")
    assert R.grouped(found, verbose=True) == found


def test_groups_are_by_code_and_reason_never_by_wording() -> None:
    two = [_unavailable(1, "HTTP 404"), _unavailable(2, "HTTP 404")]
    assert R.grouped(two) == two  # fewer than three stay as they are
    mixed = [_unavailable(i, "HTTP 404") for i in range(3)] + [_unavailable(i, "HTTP 500") for i in range(3, 5)]
    out = R.grouped(mixed)
    assert isinstance(out[0], R.Group) and len(out) == 3
    dropped = [C.URL_DROPPED("p.md", i, url=f"javascript:alert({i})") for i in range(4)]
    (group,) = R.grouped(dropped)
    assert str(group).startswith("p.md: 4 addresses dropped: javascript:alert(0), ")


def test_json_carries_code_severity_and_facts() -> None:
    (item,) = json.loads(R.to_json([_unavailable(3)]))
    assert item["code"] == "P101" and item["name"] == "picture-unavailable"
    assert item["severity"] == "warning" and item["kind"] == "picture" and item["line"] == 3
    assert item["data"]["url"] == "https://h3.example/x.png" and item["data"]["cause"] == "fetch"


def test_an_error_unplaced_reads_as_the_serve_page_shows_it() -> None:
    found = C.FRONT_MATTER_INVALID("p.md", 3, message="broken YAML front matter: x", hint="fix the YAML")
    assert R.unplaced(found) == "p.md:3: broken YAML front matter: x: fix the YAML"


def test_a_place_is_file_and_line_or_just_the_file() -> None:
    assert R.where("p.md", 4) == "p.md:4: "
    assert R.where("p.md", None) == "p.md: "
    assert R.where(None, 4) == ""
    assert R.line(C.EMPTY_SLIDE("p.md")) == "p.md: empty slide skipped [M101]"
    assert R.line(C.EMPTY_SLIDE()) == "empty slide skipped [M101]"
