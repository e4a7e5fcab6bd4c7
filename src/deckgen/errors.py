"""The one exception root of deckgen. The library raises these; only the CLI prints them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Never, NoReturn


class DeckgenError(Exception):
    """Anything deckgen reports to the user as one line."""

    exit_code = 1

    def __init__(
        self, message: str, path: Path | str | None = None, line: int | None = None, hint: str = ""
    ) -> None:
        self.path = path
        self.line = line
        self.hint = hint
        self.bare = message
        text = where(path, line) + message
        if hint:
            text += f" ({hint})"
        super().__init__(text)


class InputError(DeckgenError):
    """The user's input (a post, a folder, an option) is not usable: exit code 2."""

    exit_code = 2


class ThemeError(InputError):
    """A theme file is invalid."""


class BuildError(DeckgenError):
    """A build could not be finished (writing output failed, ...): exit code 1."""

    exit_code = 1


class InternalError(BuildError):
    """A bug in deckgen itself: a value of a kind the code was not written for."""


def unknown_kind(value: Never, where: str) -> NoReturn:
    """The ``case _:`` of an exhaustive ``match``: to mypy an ``assert_never`` (``value`` must
    be ``Never``, so a kind no case takes is a type error); at run time, a value of a kind the
    code does not know (a bug) is an ``InternalError`` naming it, not a bare AssertionError."""
    kind = type(value).__name__
    raise InternalError(f"internal error: {where} got a {kind}, a kind it does not know", hint="a bug in deckgen")


@dataclass
class Diagnostics:
    """An append-only sink for warnings and notes, handed to the stages that can warn.

    Each message is one line ``file:line: what`` so that a user can act on it.
    """

    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def warn(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        self.warnings.append(where(path, line) + message)

    def note(self, message: str, path: Path | str | None = None, line: int | None = None) -> None:
        self.notes.append(where(path, line) + message)


def where(path: Path | str | None, line: int | None = None) -> str:
    """The ``file:line: `` (or ``file: ``) that starts every message about a place in a post."""
    if path is None:
        return ""
    return f"{path}:{line}: " if line else f"{path}: "
