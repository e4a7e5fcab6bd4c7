"""Values and exceptions as a message may quote them: on one line, and short (a post's value or
a library's error can be paragraphs long)."""

from __future__ import annotations

from deckgen.plaintext import line_text, shorten


def quote_short(text: str, limit: int = 60) -> str:
    """A value as an error message may show it: one line, at most ``limit`` characters."""
    return shorten(" ".join(line_text(str(text)).split()), limit)


def error_text(exc: BaseException, limit: int = 60) -> str:
    """An exception as a message may quote it: the first line of what it says, at most
    ``limit`` characters (library errors can be paragraphs long), else the name of its class."""
    lines = str(exc).splitlines()
    return shorten(lines[0], limit) if lines and lines[0] else type(exc).__name__
