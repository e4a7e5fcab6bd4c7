"""What a problem is, as data: a code, a severity, a place, a message, a hint and its facts.

Every stage reports through a :class:`Diagnostics` sink; nothing here renders for a
terminal (see :mod:`deckgen.diagnostics.render`). A :class:`Code` is the stable identity of
one kind of problem (``P101``, ``picture-unavailable``); calling it with a place and the
facts of one occurrence makes a :class:`Diagnostic`. Programs decide from the code and the
facts, never from the message's wording.
"""

from __future__ import annotations

import string
from collections.abc import Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Literal, cast, get_args

from deckgen.diagnostics.quoting import shown  # the boundary: no fact reaches a terminal or a deck raw

# what ``deckgen check`` calls a finding's kind; build-time problems have their own
Kind = Literal[
    "markup", "link", "picture", "front-matter", "accessibility", "source", "layout", "output", "input", "edit"
]


class Severity(StrEnum):
    ERROR = "error"  # nothing was built (or this post was not)
    WARNING = "warning"  # built, but the deck shows something other than the post meant
    INFO = "info"  # worth knowing (a note); shown with -v, and by check
    HINT = "hint"  # a suggestion; shown by check


@dataclass(frozen=True)
class Diagnostic:
    """One occurrence of a problem. ``data`` holds its facts as text (the URL, the reason...)."""

    code: str
    name: str
    severity: Severity
    kind: Kind
    message: str
    file: str | None = None
    line: int | None = None
    hint: str = ""
    data: tuple[tuple[str, str], ...] = ()

    def get(self, key: str, default: str = "") -> str:
        for name, value in self.data:
            if name == key:
                return value
        return default

    @property
    def facts(self) -> dict[str, str]:
        return dict(self.data)

    def at(self, file: Path | str | None, line: int | None = None) -> Diagnostic:
        """The same problem placed in a file (an error raised before its place was known)."""
        from dataclasses import replace

        return replace(self, file=None if file is None else shown(str(file)), line=line if line else None)


@dataclass(frozen=True)
class Code:
    """A kind of problem: its stable code and name, how bad it is, its message and hint
    templates (``{name}`` fields filled from an occurrence's facts) and an example for the docs."""

    code: str
    name: str
    severity: Severity
    kind: Kind
    template: str
    hint: str = ""
    example: str = ""  # a line of a post (or a situation) that gives it, for the docs
    fix: str = ""  # what to do, at more length than the hint, for the docs

    def fields(self) -> set[str]:
        found = set()
        for text in (self.template, self.hint):
            found |= {name for _, name, _, _ in string.Formatter().parse(text) if name}
        return found

    def __call__(
        self, file: Path | str | None = None, line: int | None = None, /, **facts: object
    ) -> Diagnostic:
        data = {key: "" if value is None else shown(str(value)) for key, value in facts.items()}
        missing = self.fields() - data.keys()
        if missing:
            raise TypeError(f"{self.code} needs {sorted(missing)}")
        return Diagnostic(
            self.code,
            self.name,
            self.severity,
            self.kind,
            self.template.format_map(data),
            None if file is None else shown(str(file)),
            line if line else None,
            self.hint.format_map(data),
            tuple(data.items()),
        )


@dataclass
class Diagnostics:
    """An append-only sink the stages report into. Thread-unsafe by design: a stage that works
    on threads gathers its diagnostics per task and adds them in the post's order."""

    items: list[Diagnostic] = field(default_factory=list)

    def report(
        self, code: Code, file: Path | str | None = None, line: int | None = None, /, **facts: object
    ) -> Diagnostic:
        found = code(file, line, **facts)
        self.items.append(found)
        return found

    def add(self, *found: Diagnostic) -> None:
        self.items.extend(found)

    def extend(self, found: Iterable[Diagnostic]) -> None:
        self.items.extend(found)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def of(self, *severities: Severity) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.items if d.severity in severities)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return self.of(Severity.WARNING, Severity.ERROR)

    @property
    def notes(self) -> tuple[Diagnostic, ...]:
        return self.of(Severity.INFO, Severity.HINT)

    def codes(self) -> list[str]:
        return [d.code for d in self.items]


def ignored(found: Diagnostic, ignore: Collection[str]) -> bool:
    """Is ``found`` left out by ``ignore``: kinds (``accessibility``), codes (``A201``) or names
    (``picture-no-description``), as ``--ignore`` takes them?"""
    return bool(ignore) and (found.kind in ignore or found.code in ignore or found.name in ignore)


def as_dict(found: Diagnostic) -> dict[str, object]:
    """A diagnostic as JSON data (``check --output-format json``, the stamp, the serve page)."""
    return {
        "file": found.file,
        "line": found.line,
        "code": found.code,
        "name": found.name,
        "severity": found.severity.value,
        "kind": found.kind,
        "message": found.message,
        "hint": found.hint,
        "data": dict(found.data),
    }


def from_dict(data: Mapping[str, object]) -> Diagnostic:
    """The inverse of :func:`as_dict` (a stamp read back); raises ``ValueError`` on bad data."""
    try:
        facts = data.get("data") or {}
        assert isinstance(facts, dict)
        line = data.get("line")
        kind = str(data["kind"])
        if kind not in get_args(Kind):
            raise ValueError(f"unknown kind {kind!r}")
        return Diagnostic(
            str(data["code"]),
            str(data["name"]),
            Severity(str(data["severity"])),
            cast(Kind, kind),
            str(data["message"]),
            None if data.get("file") is None else str(data["file"]),
            int(line) if isinstance(line, int | str) and str(line).isdigit() else None,
            str(data.get("hint") or ""),
            tuple((str(k), str(v)) for k, v in facts.items()),
        )
    except (KeyError, AssertionError, TypeError) as exc:
        raise ValueError(f"not a diagnostic: {exc}") from None
