"""Why a picture could not be had: the failures the assets stage tells apart, and how a
warning names them (``failure_cause`` for programs: ``check`` chooses its hint by it; ``failure_reason``
for people)."""

from __future__ import annotations

from deckgen.assets.cache import CorruptBlob
from deckgen.assets.fetch import FetchError
from deckgen.assets.images import ImageDataError, NotAPicture
from deckgen.diagnostics.quoting import error_text, shown


class Offline(FetchError):
    pass


class Remembered(FetchError):
    """A URL that failed in a build a moment ago: not asked for again so soon. The slide's
    placeholder gives the reason as it was; only the warning says it is remembered."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"{reason} ({REMEMBERED})")
        self.reason = reason


class LocalMissing(FetchError):
    pass


class Outside(FetchError):
    pass


class NeedsNetwork(Exception):
    """Raised on the quick pass: this picture cannot be had without asking a server."""


REMEMBERED = "failed a moment ago, not asked again yet; --refresh tries now"


def failure_cause(exc: BaseException) -> str:
    """What kind of failure, for programs (``check`` chooses its hint by it)."""
    match exc:
        case Offline():
            return "offline"
        case Remembered():
            return "remembered"
        case NotAPicture():
            return "not-a-picture"
        case ImageDataError():
            return "damaged"
        case LocalMissing():
            return "local-missing"
        case Outside():
            return "outside"
        case _:
            return "fetch"


def failure_reason(exc: BaseException) -> str:
    """Why, for people: the warning's reason and the placeholder's text on the slide, so a path
    or a library's message is ``shown`` (a ``%00`` in a picture's address is a NUL once decoded)."""
    if isinstance(exc, FileNotFoundError) and exc.filename:
        return shown(f"file not found: {exc.filename}")
    if isinstance(exc, OSError) and not isinstance(exc, CorruptBlob) and exc.strerror:
        where = f": {exc.filename}" if exc.filename else ""
        return shown(f"{exc.strerror}{where}")
    return shown(str(exc)) or type(exc).__name__


def crash_reason(exc: BaseException) -> str:
    """A bug met on one picture, as its reason (the build goes on without the picture)."""
    return f"could not be processed ({type(exc).__name__}: {error_text(exc, 80)})"
