"""Warnings as the CLI shows them: many of one kind become one line with a count.

``file:line: URL: reason`` lines that share their reason (offline: every picture "host not
found") are summed up as ``file: 33 pictures unavailable: reason: url1, url2, url3 ...
(-v lists all)``, in the place of the first of them. Pure text in, text out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from deckgen.urlpolicy import DROPPED

GROUP_FROM = 3  # this many lines of one kind or more are grouped
SHOWN = 3  # addresses named in a grouped line
_LINE = re.compile(r"^(?P<file>.*?):(?P<line>\d+): (?P<url>[^\s]+): (?P<reason>.+)$")


def _key(line: str) -> tuple[str, str, str] | None:
    m = _LINE.match(line)
    if m is None or not re.search(r"[/:.]", m.group("url")):
        return None
    return m.group("file"), m.group("reason"), m.group("url")


def group_warnings(lines: Sequence[str], verbose: bool = False) -> list[str]:
    """The lines to print: each line as is with ``verbose``, else repeated kinds grouped."""
    if verbose:
        return list(lines)
    counts: dict[tuple[str, str], list[str]] = {}
    for line in lines:
        key = _key(line)
        if key is not None:
            counts.setdefault(key[:2], []).append(key[2])
    out: list[str] = []
    done: set[tuple[str, str]] = set()
    for line in lines:
        key = _key(line)
        group = key[:2] if key is not None else None
        if group is None or len(counts[group]) < GROUP_FROM:
            out.append(line)
            continue
        if group in done:
            continue
        done.add(group)
        file, reason = group
        urls = counts[group]
        what = "addresses dropped" if reason == DROPPED else "pictures unavailable"
        if reason == DROPPED:
            reason = "not a safe link"
        more = " ..." if len(urls) > SHOWN else ""
        out.append(f"{file}: {len(urls)} {what}: {reason}: {', '.join(urls[:SHOWN])}{more} (-v lists all)")
    return out


__all__ = ["group_warnings"]
