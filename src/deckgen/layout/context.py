"""The layout's context (theme, measurer, logo) and the constants every part shares."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from deckgen.measure import Measurer
from deckgen.model.document import Asset
from deckgen.model.laidout import Box
from deckgen.theme.schema import Theme

LINE = 1.2  # line height as a multiple of the font size, in both decks
INSET = 3.6  # text frame inner margin (points), as written into the .pptx and the CSS
CELL_INSET = 3.6
CODE_INSET = 7.2
GAP = 14.0
PX = 0.75  # one CSS pixel in points
CONT = " (cont.)"
SINGLE_MIN_SHARE = 0.35  # of the slide area, for a lone picture
GRID_MIN_SHARE = 0.12  # of the slide area, per picture when several share a page
PLACEHOLDER_SIZE = (432.0, 150.0)

T = TypeVar("T")


class Memo:
    """The layout's memo tables: answers it asks again and again while it searches page
    breaks and text sizes (the lines of a paragraph at a width, a cell's widths, the line
    groups of a paragraph). Each ``Context`` owns one, so a build starts with empty tables
    and nothing outlives it; a table that grows past ``limit`` entries starts over."""

    def __init__(self, limit: int = 1 << 16) -> None:
        self.limit = limit
        self.tables: dict[str, dict[Hashable, Any]] = {}

    def get(self, table: str, key: Hashable, make: Callable[[], T]) -> T:
        """The remembered answer for ``key`` in ``table``, made (and kept) the first time."""
        entries = self.tables.setdefault(table, {})
        try:
            return entries[key]
        except KeyError:
            pass
        if len(entries) >= self.limit:
            entries.clear()
        value = entries[key] = make()
        return value

    def __len__(self) -> int:
        return sum(len(t) for t in self.tables.values())


@dataclass(frozen=True)
class Context:
    theme: Theme
    measure: Measurer
    logo: Asset | None = None
    memo: Memo = field(default_factory=Memo, compare=False, repr=False)

    @property
    def w(self) -> float:
        return self.theme.width

    @property
    def h(self) -> float:
        return self.theme.height

    @property
    def margin(self) -> float:
        return 0.05 * self.w

    @property
    def has_footer(self) -> bool:
        return bool(self.theme.footer) or self.theme.slide_numbers

    def logo_box(self) -> Box | None:
        """Where the theme's logo sits (36 pt high, in its corner), or None."""
        if self.logo is None or not self.logo.ok:
            return None
        h = 36.0
        w = h * self.logo.width / max(1, self.logo.height)
        corner = self.theme.logo_corner
        x = self.w - w - 10 if corner.endswith("right") else 10.0
        y = 6.0 if corner.startswith("top") else self.h - h - 4
        return Box(x, y, w, h)

    def beside_logo(self, box: Box) -> Box:
        """``box`` shortened on the logo's side so that the two never overlap."""
        logo = self.logo_box()
        if logo is None or logo.bottom <= box.y or logo.y >= box.bottom:
            return box
        gap = 8.0
        if logo.x + logo.w / 2 > self.w / 2:  # logo on the right
            right = min(box.right, logo.x - gap)
            return Box(box.x, box.y, max(40.0, right - box.x), box.h)
        left = max(box.x, logo.right + gap)
        return Box(left, box.y, max(40.0, box.right - left), box.h)

    def body_bottom(self) -> float:
        return self.h - (36.0 if self.has_footer else 20.0)


