"""The one ``match`` over the kinds of laid-out frames, for everything that walks them.

A pass over frames (the layout's style pass, each writer, the PDF's character set) is a
``FrameVisitor``: one method per frame kind, and ``visit`` calls the one for a frame's kind.
Adding a kind to ``model.Frame`` is then a type error in every visitor until it handles it,
and a frame of a kind no code knows (a bug) raises ``InternalError``, not AssertionError.
"""

from __future__ import annotations

from typing import Protocol, TypeVar

from deckgen.errors import unknown_kind
from deckgen.model.laidout import (
    CodeFrame,
    EmbedFrame,
    Frame,
    PictureFrame,
    PlaceholderFrame,
    TableFrame,
    TextFrame,
)

R = TypeVar("R", covariant=True)


class FrameVisitor(Protocol[R]):
    """A subclass names a method for each kind (mypy: it cannot be made while one is missing)."""

    def text(self, frame: TextFrame) -> R: ...
    def code(self, frame: CodeFrame) -> R: ...
    def table(self, frame: TableFrame) -> R: ...
    def picture(self, frame: PictureFrame) -> R: ...
    def placeholder(self, frame: PlaceholderFrame) -> R: ...

    def embed(self, frame: EmbedFrame) -> R:
        """An embed is its fallback, unless the visitor has more to say (the HTML deck's player)."""
        return self.visit(frame.fallback)

    def visit(self, frame: Frame) -> R:
        if isinstance(frame, EmbedFrame):  # the one kind that holds another (its fallback)
            return self.embed(frame)
        match frame:
            case TextFrame():
                return self.text(frame)
            case CodeFrame():
                return self.code(frame)
            case TableFrame():
                return self.table(frame)
            case PictureFrame():
                return self.picture(frame)
            case PlaceholderFrame():
                return self.placeholder(frame)
            case _:
                unknown_kind(frame, type(self).__name__)
