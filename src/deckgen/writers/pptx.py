"""The PowerPoint writer: a ``LaidDeck`` into an editable .pptx.

It decides nothing: every position, size, font size, colour, inset and page break, and
each page's slide layout, comes from the layout. Three parts: ``master`` (python-pptx)
opens the template and carries the theme onto its slide master, once per theme and slide
size, and the result is cached;
``slidexml`` writes each slide as XML text; ``package`` packs both into the .pptx. Titles
and body text go into the layout's real placeholders, so they stay editable; links are
real hyperlinks; Chinese runs carry ``zh-TW`` and an East Asian font.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import IO

from deckgen import __version__
from deckgen.dates import NO_DATE
from deckgen.model.laidout import Box, LaidDeck, TextFrame
from deckgen.pull.mapmemo import MapMemo, memo_path
from deckgen.theme.schema import Theme
from deckgen.writers.ooxml import EMU_PER_PT
from deckgen.writers.package import Base, base_from_bytes, base_to_bytes, write_package

BASE_VERSION = 1  # raise when the base package changes shape

__all__ = ["EMU_PER_PT", "PptxWriter", "chrome_boxes"]


class PptxWriter:
    """``base_cache``: a folder for the packages without slides (one per theme and size);
    ``map_cache``: a folder for each post's slide maps (:mod:`deckgen.pull.mapmemo`)."""

    def __init__(
        self,
        theme: Theme,
        base_cache: Path | None = None,
        created: dt.datetime = NO_DATE,
        map_cache: Path | None = None,
    ) -> None:
        self.theme = theme
        self.base_cache = base_cache
        self.map_cache = map_cache
        self.created = created  # the date the core properties carry (the deck's, never the clock's)

    def write(self, deck: LaidDeck, target: Path | IO[bytes]) -> None:
        """Write the deck to a path or a binary file object."""
        post = deck.provenance.post if deck.provenance is not None else ""
        memo = MapMemo(memo_path(self.map_cache, post))
        write_package(self._base(deck), deck, self.theme, target, self.created, memo)

    def _base(self, deck: LaidDeck) -> Base:
        chrome = chrome_boxes(deck)
        path = None
        if self.base_cache is not None:
            path = self.base_cache / f"{_base_key(self.theme, deck, chrome)}.pptx"
            try:
                found = base_from_bytes(path.read_bytes())
            except OSError:
                found = None
            if found is not None:
                return found
        from deckgen.writers.master import make_base

        base = make_base(self.theme, deck, chrome)
        if path is not None:
            from deckgen.fileio import atomic_write

            try:
                atomic_write(path, base_to_bytes(base))
            except OSError:
                pass  # only a shortcut: the next build makes it again
        return base


def chrome_boxes(deck: LaidDeck) -> dict[str, Box]:
    """Where the layout put the footer and the slide number (the same on every content page)."""
    boxes: dict[str, Box] = {}
    for page in deck.pages:
        for frame in page.frames:
            if isinstance(frame, TextFrame) and frame.role in ("footer", "number"):
                boxes.setdefault(frame.role, frame.box)
        if len(boxes) == 2:
            break
    return boxes


def _base_key(theme: Theme, deck: LaidDeck, chrome: dict[str, Box]) -> str:
    h = hashlib.sha256()
    h.update(f"{__version__}|{BASE_VERSION}|{theme!r}|{deck.width}|{deck.height}|{sorted(chrome.items())}".encode())
    if theme.pptx_template is not None:
        try:
            h.update(theme.pptx_template.read_bytes())
        except OSError:
            h.update(b"missing")
    return h.hexdigest()[:32]
