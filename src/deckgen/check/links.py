"""Link targets a reader cannot follow, and what the author most likely meant."""

from __future__ import annotations

import re

from deckgen.diagnostics import Code
from deckgen.diagnostics import codes as C
from deckgen.diagnostics.quoting import quote_short
from deckgen.urlpolicy import UrlPolicy

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_TLDS = "com|org|net|edu|gov|io|tw|cn|jp|uk|de|ai|dev|co|me|info|app|ly|gl|be|us|hk"
_BARE_HOST = re.compile(rf"^(?:www\.|[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})(?:[/:?#]|$))", re.I)
_MISSING_COLON = re.compile(r"^(https?)//", re.I)


def _allowed_link(url: str) -> bool:
    """Does the decks' URL policy keep this link? (http, https, mailto, a site path.)"""
    return UrlPolicy().check(url, "link") is not None


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


LinkProblem = tuple[Code, dict[str, str]]


def link_problem(url: str) -> LinkProblem | None:
    """The code and facts of what is wrong with a link target a reader cannot follow, or None."""
    text = url.strip()
    short = quote_short(text)
    if not text:
        return C.LINK_EMPTY, {}
    m = _SCHEME.match(text)
    scheme = m.group(1).lower() if m else ""
    if scheme in ("http", "https") and not re.match(r"^https?://[^/]", text, re.I):
        return C.LINK_NO_SLASHES, {"url": short, "scheme": scheme}
    if scheme and scheme not in ("http", "https") and _distance(scheme, "https") <= 2 and len(scheme) >= 3:
        return C.LINK_SCHEME_TYPO, {"url": short}
    if not scheme and _MISSING_COLON.match(text):
        return C.LINK_NO_COLON, {"url": short}
    if not scheme and _BARE_HOST.match(text):
        return C.LINK_NO_SCHEME, {"url": short}
    if _allowed_link(text) or text.startswith("#") or (not scheme and not text.startswith("/")):
        # a fragment or a page next to the post: the site resolves it
        return None
    if scheme:
        return C.LINK_UNSAFE, {"url": short}
    return C.LINK_NOT_KEPT, {"url": short}


__all__ = ["LinkProblem", "link_problem"]
