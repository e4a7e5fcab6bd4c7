"""Plain text every stage shares: which characters end a line or have no glyph, a text on one
line (``line_text``) and a text cut to a length with an ellipsis (``shorten``)."""

from __future__ import annotations

import re

# what ends a line for a reader (str.splitlines' set, less what Markdown already turned into lines)
LINE_SEPARATORS = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# controls no font shapes (C0, DEL, C1) and the non-characters XML refuses
UNSHAPED = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")
ELLIPSIS = "…"


def line_text(text: str) -> str:
    """One line of plain text: line separators and tabs become spaces, other controls go."""
    return UNSHAPED.sub("", LINE_SEPARATORS.sub(" ", text).replace("\t", " "))


def shorten(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + ELLIPSIS
