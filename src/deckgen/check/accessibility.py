"""What people who cannot see the slides miss, found in the parsed post: pictures without a
description (one finding each, with the fix in the syntax the post used), videos without a
title, parts of the post without a heading (their slides' titles are hidden), and links whose
text is a bare address (a screen reader spells it out)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from deckgen.diagnostics import Diagnostic
from deckgen.diagnostics import codes as C
from deckgen.diagnostics.quoting import quote_short
from deckgen.model.document import (
    Block,
    BulletList,
    Deck,
    Embed,
    Heading,
    Image,
    Paragraph,
    Quote,
    Runs,
    Table,
    content_pictures,
    described,
)

_ADDRESS = re.compile(r"(?:https?://|www\.)\S+", re.I)
_HTML_IMG = re.compile(r"<img\b", re.I)
_MARKDOWN_IMG = re.compile(r"!\[")


def check_accessibility(path: Path, deck: Deck, text: str) -> list[Diagnostic]:
    """The accessibility findings of a post; ``text`` is the post as read (its lines tell
    Markdown pictures from HTML ones, so the fix is written in the post's own syntax)."""
    lines = text.split("\n")
    found: list[Diagnostic] = []
    for picture in content_pictures(deck):
        if described(picture):
            continue
        url = quote_short(picture.url)
        if isinstance(picture, Image):
            found.append(C.PICTURE_NO_DESCRIPTION(path, picture.line, url=url, fix=_image_fix(lines, picture)))
        else:
            found.append(C.VIDEO_NO_TITLE(path, picture.line, url=url, fix=_video_fix(lines, picture)))
    before = deck.meta.title
    for slide in deck.slides:
        if slide.title:
            before = _plain(slide.title)
        else:
            found.append(C.PART_NO_HEADING(path, slide.line, title=quote_short(before)))
    for line, runs in _runs(deck):
        for shown in _link_texts(runs):
            if _ADDRESS.fullmatch(shown):
                found.append(C.LINK_TEXT_ADDRESS(path, line, url=quote_short(shown)))
    return found


def _line(lines: list[str], number: int) -> str:
    return lines[number - 1] if 0 < number <= len(lines) else ""


def _image_fix(lines: list[str], image: Image) -> str:
    written = _line(lines, image.line)
    if _HTML_IMG.search(written) and not _MARKDOWN_IMG.search(written):
        return 'add alt="what the picture shows" to the <img>, or alt="" if it is only decoration'
    return "write ![what the picture shows](...), or add {: .decorative} after it if it is only decoration"


def _video_fix(lines: list[str], embed: Embed) -> str:
    if "<" in _line(lines, embed.line):
        return 'give it a title="what the video is"'
    return "write ![what the video is](...)"


def _plain(runs: Runs) -> str:
    return " ".join("".join(r.text for r in runs).replace("\u200b", "").split())


def _block_runs(block: Block) -> Iterator[Runs]:
    match block:
        case Paragraph() | Heading():
            yield block.runs
        case BulletList():
            yield from (item.runs for item in block.items)
        case Quote():
            yield from block.paragraphs
        case Table():
            yield from (cell.runs for row in block.rows for cell in row)


def _runs(deck: Deck) -> Iterator[tuple[int, Runs]]:
    for slide in deck.slides:
        yield slide.line, slide.title
        for block in slide.blocks:
            line = block.line or slide.line
            for runs in _block_runs(block):
                yield line, runs


def _link_texts(runs: Runs) -> Iterator[str]:
    """The text of each link (neighbouring runs of one target are one link)."""
    target: str | None = None
    pieces: list[str] = []
    for run in (*runs, None):
        link = run.link if run is not None and not run.is_break else None
        if link != target:
            if target is not None:
                yield " ".join("".join(pieces).replace("\u200b", "").split())
            target, pieces = link, []
        if run is not None and link is not None:
            pieces.append(run.text)


__all__ = ["check_accessibility"]
