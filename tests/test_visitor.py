"""visitor: the one match over frame kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.errors import InternalError
from deckgen.model import (
    Asset,
    AssetStatus,
    Badge,
    Box,
    CodeFrame,
    Embed,
    EmbedFrame,
    Para,
    PictureFrame,
    PlaceholderFrame,
    TableFrame,
    TextFrame,
)
from deckgen.visitor import FrameVisitor

BOX = Box(0, 0, 100, 100)


class _Names(FrameVisitor[str]):
    def text(self, frame: TextFrame) -> str:
        return "text"

    def code(self, frame: CodeFrame) -> str:
        return "code"

    def table(self, frame: TableFrame) -> str:
        return "table"

    def picture(self, frame: PictureFrame) -> str:
        return "picture"

    def placeholder(self, frame: PlaceholderFrame) -> str:
        return "placeholder"


def test_a_visitor_calls_the_method_of_each_kind_and_sees_an_embed_as_its_fallback(tmp_path: Path) -> None:
    names = _Names()
    picture = PictureFrame(BOX, Asset("u", AssetStatus.OK, tmp_path / "p.png", 1, 1, "png"))
    placeholder = PlaceholderFrame(BOX, "u", "missing", 12.0)
    embed = EmbedFrame(BOX, Embed("youtube", "u"), placeholder, Badge(BOX))
    frames = (
        TextFrame(BOX, (Para((), 12.0),)),
        CodeFrame(BOX, (), 12.0),
        TableFrame(BOX, (), 0, (10.0,), (), 12.0),
        picture,
        placeholder,
    )
    assert [names.visit(f) for f in frames] == ["text", "code", "table", "picture", "placeholder"]
    assert names.visit(embed) == "placeholder"


def test_a_frame_of_a_kind_no_visitor_knows_is_an_internal_error() -> None:
    with pytest.raises(InternalError, match="_Names got a str"):
        _Names().visit("not a frame")  # type: ignore[arg-type]
