"""Values and exceptions as a message or a placeholder may show them: on one line, short (a
post's value or a library's error can be paragraphs long), and with every character a deck
cannot hold or a terminal must not receive written out as ``repr`` writes it (``shown``).

``shown`` is the boundary for text from outside the post's prose: a path or an address after
percent-decoding (``%00`` is a NUL), a file name, a library's message. The prose itself was
cleaned where it was read (``source/xmlchars.py``: such characters are dropped, with a warning);
an outside value cannot lose characters (it would name another file), so it is shown escaped.
Every diagnostic's facts pass it (``Code.__call__``), and so does every reason a picture could
not be had, which both its warning and its placeholder on the slide show."""

from __future__ import annotations

import re

from deckgen.plaintext import line_text, shorten

# C0 and C1 controls, DEL, the line and paragraph separators, U+FFFE/U+FFFF and lone
# surrogates: a superset of what XML 1.0 cannot carry (source/xmlchars.py), plus what a
# terminal would act on (ESC, CSI) or break a line at
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufffe\uffff\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    return repr(m.group())[1:-1]  # '\x00', '\x1b', '\t', '\u2028', '\ud800'


def shown(text: str) -> str:
    """``text`` with each character a deck cannot hold or a terminal must not receive raw
    written as ``repr`` writes it (``\\x00``, ``\\x0b``, ``\\ufffe``); the rest unchanged."""
    return _UNSHOWABLE.sub(_escape, text)


def quote_short(text: str, limit: int = 60) -> str:
    """A value as an error message may show it: one line, at most ``limit`` characters."""
    return shorten(" ".join(line_text(str(text)).split()), limit)


def error_text(exc: BaseException, limit: int = 60) -> str:
    """An exception as a message may quote it: the first line of what it says, at most
    ``limit`` characters (library errors can be paragraphs long), else the name of its class."""
    lines = str(exc).splitlines()
    return shorten(shown(lines[0]), limit) if lines and lines[0] else type(exc).__name__
