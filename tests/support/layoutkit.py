"""Helpers shared by the layout tests: hand-built blocks and checks on boxes."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.model import (
    Asset,
    AssetStatus,
    BulletList,
    CodeFrame,
    Image,
    ListItem,
    Run,
    TableFrame,
    TextFrame,
    plain_text,
)
from deckgen.parse.media import parse_width

W, H = 960.0, 540.0


def words(n: int, prefix: str = "word") -> str:
    return " ".join(f"{prefix}{i}" for i in range(n))


def picture(w: int = 1600, h: int = 900, hint: str | None = None, url: str = "http://x/p.png") -> Image:
    asset = Asset(url, AssetStatus.OK, Path("/tmp/p.png"), w, h, "png", source_width=w, source_height=h)
    return Image(url, "", parse_width(hint), None, 1, asset)


def title(text: str) -> tuple[Run, ...]:
    return (Run(text),)


def page_texts(pages) -> str:
    out = []
    for t, frames in [(p.title, p.frames) for p in pages]:
        if t is not None:
            out.extend(plain_text(p.runs) for p in t.paras)
        for f in frames:
            if isinstance(f, TextFrame):
                out.extend(plain_text(p.runs) for p in f.paras)
            elif isinstance(f, CodeFrame):
                out.extend(plain_text(line) for line in f.lines)
            elif isinstance(f, TableFrame):
                out.extend(plain_text(c.runs) for row in f.rows for c in row)
    return " ".join(out)


def inside(box) -> bool:
    return box.x >= 0 and box.y >= 0 and box.right <= W + 0.01 and box.bottom <= H + 0.01


def _long_list(n: int) -> BulletList:
    return BulletList(tuple(ListItem((Run(f"item {i} " + words(6)),)) for i in range(n)))


def _count_calls(monkeypatch: pytest.MonkeyPatch, name: str, *modules) -> list[int]:  # type: ignore[no-untyped-def]
    calls = [0]
    real = getattr(modules[0], name)

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real(*args, **kwargs)

    for module in modules:
        monkeypatch.setattr(module, name, counting)
    return calls
