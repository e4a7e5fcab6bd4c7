"""Front-matter mistakes: no title, a date that is not a date, a ``lang`` that is no language."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from deckgen.diagnostics import Diagnostic
from deckgen.diagnostics import codes as C
from deckgen.diagnostics.quoting import quote_short
from deckgen.language import normalize_tag

_DATE_KEY = re.compile(r"^date\s*:", re.M)
_LANG_KEY = re.compile(r"^lang\s*:", re.M)


def check_front(path: Path, front: dict[str, object], text: str) -> list[Diagnostic]:
    """Findings of the front matter; ``text`` is the post as read (for the lines of keys)."""
    found: list[Diagnostic] = []
    title = front.get("title")
    if title is None or not str(title).strip():
        found.append(C.NO_TITLE(path, 1))
    if "date" in front and not _is_date(front["date"]):
        found.append(C.BAD_DATE(path, _key_line(text, _DATE_KEY), value=quote_short(str(front["date"]))))
    if front.get("lang") is not None and normalize_tag(front["lang"]) is None:
        found.append(C.LANG_INVALID(path, _key_line(text, _LANG_KEY), value=quote_short(str(front["lang"]))))
    return found


def _key_line(text: str, key: re.Pattern[str]) -> int:
    """The line of a front-matter key (1 when it cannot be found)."""
    end = text.find("\n---", 1)
    m = key.search(text, 0, end if end > 0 else len(text))
    return text.count("\n", 0, m.start()) + 1 if m else 1


def _is_date(value: object) -> bool:
    if isinstance(value, dt.date):
        return True
    m = re.fullmatch(
        r"\s*(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?\s*",
        str(value),
    )
    if not m:
        return False
    try:
        dt.date.fromisoformat(m.group(1))
        if m.group(2):
            dt.time.fromisoformat(m.group(2).zfill(5) if len(m.group(2)) < 5 else m.group(2).zfill(8))
    except ValueError:
        return False
    return True


__all__ = ["check_front"]
