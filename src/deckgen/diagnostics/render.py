"""Diagnostics as people and programs read them: the edge of the library.

* :func:`line` — one line for a terminal: ``file:line: message (hint) [CODE]``;
* :func:`grouped` — many of one kind in one file (33 pictures "host not found") as one line
  with a count, in the place of the first; grouped by code and reason, never by wording;
* :func:`to_json` — the data, for ``check --output-format json`` and the serve page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from deckgen.diagnostics import codes
from deckgen.diagnostics.model import Diagnostic, as_dict

GROUP_FROM = 3  # this many of one kind in one file or more are grouped
SHOWN = 3  # addresses named in a grouped line

# the kinds worth grouping: the fact that tells occurrences apart, and what a group is called
_GROUPS = {
    codes.PICTURE_UNAVAILABLE.code: ("url", "reason", "pictures unavailable"),
    codes.URL_DROPPED.code: ("url", "", "addresses dropped"),
    codes.SITE_PATH_NO_LINK.code: ("url", "", "site paths without a link in the .pptx"),
}


def where(file: str | None, line: int | None) -> str:
    """The ``file:line: `` (or ``file: ``) that starts every message about a place."""
    if file is None:
        return ""
    return f"{file}:{line}: " if line else f"{file}: "


def line(found: Diagnostic, kind: bool = False, code: bool = True) -> str:
    """One line: ``file:line: [kind: ]message (hint) [CODE]``."""
    label = f"{found.kind}: " if kind else ""
    hint = f" ({found.hint})" if found.hint else ""
    tag = f" [{found.code}]" if code else ""
    return f"{where(found.file, found.line)}{label}{found.message}{hint}{tag}"


def unplaced(found: Diagnostic) -> str:
    """An error's ``file:line: message: hint``, as the serve page shows it over the deck."""
    hint = f": {found.hint}" if found.hint else ""
    return f"{where(found.file, found.line)}{found.message}{hint}"


@dataclass(frozen=True)
class Group:
    """Several diagnostics of one code and one reason in one file, shown as one line."""

    members: tuple[Diagnostic, ...]
    label: str

    def __str__(self) -> str:
        first = self.members[0]
        urls = [d.get("url") for d in self.members]
        more = " ..." if len(urls) > SHOWN else ""
        reason = first.get("reason")
        said = f": {reason}" if reason else ""
        return (
            f"{where(first.file, None)}{len(urls)} {self.label}{said}: {', '.join(urls[:SHOWN])}{more} "
            f"(-v lists all) [{first.code}]"
        )


def grouped(found: Sequence[Diagnostic], verbose: bool = False) -> list[Diagnostic | Group]:
    """What to print: each diagnostic alone with ``verbose``, else many of a kind as a group."""
    if verbose:
        return list(found)
    members: dict[tuple[str | None, str, str], list[Diagnostic]] = {}
    for d in found:
        if d.code in _GROUPS:
            members.setdefault(_key(d), []).append(d)
    out: list[Diagnostic | Group] = []
    done: set[tuple[str | None, str, str]] = set()
    for d in found:
        key = _key(d) if d.code in _GROUPS else None
        if key is None or len(members[key]) < GROUP_FROM:
            out.append(d)
        elif key not in done:
            done.add(key)
            out.append(Group(tuple(members[key]), _GROUPS[d.code][2]))
    return out


def _key(d: Diagnostic) -> tuple[str | None, str, str]:
    _, by, _ = _GROUPS[d.code]
    return d.file, d.code, d.get(by) if by else ""


def lines(found: Sequence[Diagnostic], verbose: bool = False) -> list[str]:
    return [str(item) if isinstance(item, Group) else line(item) for item in grouped(found, verbose)]


def to_json(found: Iterable[Diagnostic]) -> str:
    return json.dumps([as_dict(d) for d in found], ensure_ascii=False, indent=1)
