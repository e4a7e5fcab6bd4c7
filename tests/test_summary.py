"""Grouping of repeated warnings for the CLI."""

from __future__ import annotations

from deckgen.summary import group_warnings


def test_many_pictures_failing_alike_become_one_line_with_a_count() -> None:
    lines = [f"p.md:{i}: https://h{i}.example/x.png: host not found (offline?)" for i in range(33)]
    lines.insert(5, "p.md:9: unknown HTML tag <ve> dropped, its text kept")
    out = group_warnings(lines)
    assert out == [
        "p.md: 33 pictures unavailable: host not found (offline?): https://h0.example/x.png, "
        "https://h1.example/x.png, https://h2.example/x.png ... (-v lists all)",
        "p.md:9: unknown HTML tag <ve> dropped, its text kept",
    ]
    assert group_warnings(lines, verbose=True) == lines


def test_two_alike_stay_as_they_are_and_dropped_links_are_named_as_links() -> None:
    two = ["p.md:1: https://a.org/x.png: HTTP 404", "p.md:2: https://a.org/y.png: HTTP 404"]
    assert group_warnings(two) == two
    dropped = [f"p.md:{i}: javascript:alert({i}): not a safe link, dropped" for i in range(4)]
    (line,) = group_warnings(dropped)
    assert line.startswith("p.md: 4 addresses dropped: not a safe link: javascript:alert(0), ")
