"""check/links.py: a link a reader cannot follow, and what it most likely meant."""

from __future__ import annotations

import pytest

from deckgen.check import link_problem
from deckgen.diagnostics import codes as C


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("ttps://x.org", C.LINK_SCHEME_TYPO),
        ("htps://x.org", C.LINK_SCHEME_TYPO),
        ("http:/x.org", C.LINK_NO_SLASHES),
        ("https//x.org", C.LINK_NO_COLON),
        ("www.x.org/a", C.LINK_NO_SCHEME),
        ("github.com/a/b", C.LINK_NO_SCHEME),
        ("", C.LINK_EMPTY),
        ("javascript:alert(1)", C.LINK_UNSAFE),
        ("chrome-extension://abc/x.pdf", C.LINK_UNSAFE),
        ("/x\\y", C.LINK_NOT_KEPT),
    ],
)
def test_link_rules(url: str, code: C.Code) -> None:
    problem = link_problem(url)
    assert problem is not None and problem[0] is code
    code("p.md", 1, **problem[1])  # the facts are those its message needs
    if url:
        assert problem[1]["url"] == url


@pytest.mark.parametrize(
    "url",
    ["https://x.org", "http://x.org/a?b", "mailto:a@b.org", "/2024/01/x.html", "#top", "page.html", "../a/"],
)
def test_good_links(url: str) -> None:
    assert link_problem(url) is None
