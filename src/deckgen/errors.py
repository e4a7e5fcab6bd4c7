"""The one exception root of deckgen. The library raises these; only the CLI prints them.

Each error is a diagnostic that stops its post (or the command): it carries a stable code
(:mod:`deckgen.diagnostics.codes`, ``E1xx`` input, ``E2xx`` themes, ``E3xx`` outputs,
``E9xx`` bugs) and renders through the same code as every warning.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar, Never, NoReturn

from deckgen.diagnostics import Code, Diagnostic
from deckgen.diagnostics import codes as C
from deckgen.diagnostics.render import where


class DeckgenError(Exception):
    """Anything deckgen reports to the user as one line."""

    exit_code: ClassVar[int] = 1
    default_code: ClassVar[Code] = C.BUILD_FAILED

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        hint: str = "",
        code: Code | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.hint = hint
        self.bare = message
        self.code = code or self.default_code
        text = where(None if path is None else str(path), line) + message
        if hint:
            text += f" ({hint})"
        super().__init__(text)

    @property
    def diagnostic(self) -> Diagnostic:
        return self.code(self.path, self.line, message=self.bare, hint=self.hint)

    details: str = ""  # a bug's traceback, for -v

    def __reduce__(self) -> tuple[object, ...]:  # survives a process pool: place, hint, code, details
        return type(self), (self.bare, self.path, self.line, self.hint, self.code), {"details": self.details}


class InputError(DeckgenError):
    """The user's input (a post, a folder, an option) is not usable: exit code 2."""

    exit_code = 2
    default_code = C.INPUT_ERROR


class ThemeError(InputError):
    """A theme file is invalid."""

    default_code = C.THEME_INVALID


class BuildError(DeckgenError):
    """A build could not be finished (writing output failed, ...): exit code 1."""

    exit_code = 1
    default_code = C.BUILD_FAILED


class InternalError(BuildError):
    """A bug in deckgen itself: a value of a kind the code was not written for."""

    default_code = C.INTERNAL_ERROR


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is (the command line's handler), as Ctrl-C raises
    ``KeyboardInterrupt``: every ``finally`` that removes a half-written file runs alike."""


def unknown_kind(value: Never, where: str) -> NoReturn:
    """The ``case _:`` of an exhaustive ``match``: to mypy an ``assert_never`` (``value`` must
    be ``Never``, so a kind no case takes is a type error); at run time, a value of a kind the
    code does not know (a bug) is an ``InternalError`` naming it, not a bare AssertionError."""
    kind = type(value).__name__
    raise InternalError(
        f"internal error: {where} got a {kind}, a kind it does not know", hint="a bug in deckgen"
    )
