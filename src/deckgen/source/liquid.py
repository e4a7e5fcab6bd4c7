"""The Liquid a lecture post uses, evaluated by hand: ``{{ page.x }}``, ``{{ site.time | date: f }}``,
``{% raw %}``, ``{% comment %}`` and ``{% highlight %}``; anything else is removed with a warning."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from deckgen.diagnostics import Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.diagnostics.quoting import quote_short

# an output or a tag; neither runs over the start of another one (an unclosed "{{")
_LIQUID = re.compile(r"\{\{((?:(?!\{[{%]).)*?)\}\}|\{%-?\s*(\w*)((?:(?!\{[{%]).)*?)-?%\}", re.S)
_RAW_BLOCK = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_COMMENT_BLOCK = re.compile(r"\{%-?\s*comment\s*-?%\}.*?\{%-?\s*endcomment\s*-?%\}", re.S)
_UNTERMINATED = re.compile(r"\{[{%][^\n]*")


def _strftime(value: dt.datetime, fmt: str) -> str:
    try:
        return value.strftime(fmt)
    except ValueError:
        return value.isoformat()


def evaluate_liquid(
    body: str,
    front: dict[str, Any],
    now: dt.datetime,
    diag: Diagnostics,
    path: Path,
    first_line: int,
) -> str:
    """Evaluate the Liquid a lecture post uses; drop (with a warning) what deckgen cannot.

    Every replacement keeps the line count of what it replaces, so the lines the later
    stages report stay the lines of the post."""
    raws: list[str] = []

    def keep_raw(m: re.Match[str]) -> str:
        # the placeholder holds as many newlines as the raw block, so lines stay right
        raws.append(m.group(1))
        return f"\x00RAW{len(raws) - 1}:" + "\n" * m.group(0).count("\n") + "\x00"

    body = _RAW_BLOCK.sub(keep_raw, body)
    # a comment is not output: drop it silently, keep its lines
    body = _COMMENT_BLOCK.sub(lambda m: "\n" * m.group(0).count("\n"), body)

    def line_of(pos: int) -> int:
        return first_line + body.count("\n", 0, pos)

    def replace(m: re.Match[str]) -> str:
        newlines = "\n" * m.group(0).count("\n")
        if m.group(1) is not None:
            value = _output(m.group(1).strip().strip("-").strip(), front, now)
            if value is not None:
                return value + newlines
            diag.report(
                C.LIQUID_UNSUPPORTED, path, line_of(m.start()), what="Liquid", text=quote_short(m.group(0))
            )
            return newlines
        name = m.group(2)
        if name == "highlight":
            # {% highlight python %} ... {% endhighlight %}: a code block, as Jekyll renders it
            lang = (m.group(3).split() or [""])[0]
            return f"```{lang}" + newlines
        if name == "endhighlight":
            return "```" + newlines
        diag.report(
            C.LIQUID_UNSUPPORTED, path, line_of(m.start()), what="Liquid tag", text=quote_short(m.group(0))
        )
        return newlines

    body = _LIQUID.sub(replace, body)

    def unterminated(m: re.Match[str]) -> str:
        diag.report(C.LIQUID_UNCLOSED, path, line_of(m.start()), text=quote_short(m.group(0)))
        return ""

    body = _UNTERMINATED.sub(unterminated, body)
    return re.sub(r"\x00RAW(\d+):\n*\x00", lambda m: raws[int(m.group(1))], body)


def _output(expr: str, front: dict[str, Any], now: dt.datetime) -> str | None:
    parts = [p.strip() for p in _split_filters(expr)]
    head, filters = parts[0], parts[1:]
    value: Any
    if head == "site.time":
        value = now
    elif head == "site.baseurl" or head == "site.url":
        value = ""  # site paths stay relative; the URL policy makes them full links (--site-url)
    elif head.startswith("page."):
        key = head[5:]
        if key not in front and key != "date":
            return None
        value = front.get(key, "")
    elif head.startswith(("'", '"')) and head.endswith(head[0]) and len(head) >= 2:
        value = head[1:-1]
    else:
        return None
    for flt in filters:
        name, _, arg = flt.partition(":")
        name, arg = name.strip(), arg.strip().strip("'\"")
        if name == "date":
            moment = _as_moment(value, now)
            if moment is None:
                return None
            value = _strftime(moment, arg)
        elif name in ("relative_url", "absolute_url", "strip", "escape"):
            value = str(value).strip()
        elif name == "upcase":
            value = str(value).upper()
        elif name == "downcase":
            value = str(value).lower()
        else:
            return None
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return str(value)


def _as_moment(value: Any, now: dt.datetime) -> dt.datetime | None:
    """A datetime for Liquid's ``date`` filter: a date, a datetime, "now" or an ISO-like string."""
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time())
    if not isinstance(value, str):
        return None
    text = value.strip()
    if text.lower() in ("now", "today"):
        return now
    m = re.match(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}(?::\d{2})?))?", text)
    if not m:
        return None
    try:
        return dt.datetime.fromisoformat(m.group(1) + (" " + m.group(2).zfill(5) if m.group(2) else ""))
    except ValueError:
        return None


def _split_filters(expr: str) -> list[str]:
    out, buf, quote = [], "", ""
    for ch in expr:
        if quote:
            buf += ch
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
            buf += ch
        elif ch == "|":
            out.append(buf)
            buf = ""
        else:
            buf += ch
    out.append(buf)
    return out
