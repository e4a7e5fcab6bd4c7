"""A web address as a QR code: the square grid of dark and light modules a writer draws.

Pure, and nothing is drawn here: the layout will place the code (the title slide's link to the
published deck, issue 21), the writers draw its dark modules as they draw any shape.
:meth:`QrCode.dark_runs` gives them as horizontal runs, so a writer draws a few dozen
rectangles or one path, not a thousand squares (LibreOffice leaves hairline gaps between
touching shapes, and a phone's camera then fails to read the code).

The code is made by segno (BSD-3-Clause, pure Python, no dependencies, kept up to date, the
whole of ISO/IEC 18004): the smallest version that holds the text at error correction ``L``,
raised to a better level when that fits in the same version (``boost_error``); a short deck
address is version 3 or 4 (29 or 33 modules), readable on a projected slide at 2 cm.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

ErrorLevel = Literal["L", "M", "Q", "H"]
_LEVELS: dict[str, ErrorLevel] = {"L": "L", "M": "M", "Q": "Q", "H": "H"}
QUIET_ZONE = 4  # modules of light border the standard asks for around the code


@dataclass(frozen=True)
class QrCode:
    text: str
    version: int  # 1 to 40: the code is 17 + 4 * version modules wide, without its border
    error: ErrorLevel  # the error correction level it was made with
    rows: tuple[tuple[bool, ...], ...]  # each row, left to right, True for dark; the border included

    @property
    def size(self) -> int:
        """Modules across (and down), the border included."""
        return len(self.rows)

    def dark_runs(self) -> Iterator[tuple[int, int, int]]:
        """Each run of dark modules in a row: (row, first column, length), top to bottom."""
        return module_runs(self.rows, True)


def module_runs(rows: Sequence[Sequence[bool]], dark: bool = True) -> Iterator[tuple[int, int, int]]:
    """Each run of dark (``dark``) or light modules in a row of ``rows``: (row, first column,
    length), top to bottom, left to right."""
    for y, row in enumerate(rows):
        x = 0
        while x < len(row):
            if row[x] == dark:
                start = x
                while x < len(row) and row[x] == dark:
                    x += 1
                yield y, start, x - start
            else:
                x += 1


def qr_code(text: str, error: ErrorLevel = "L", border: int = QUIET_ZONE) -> QrCode:
    """The QR code of ``text`` (a full QR code, never a Micro QR code, which phones do not read);
    raises ``ValueError`` when the text does not fit in the largest code."""
    import segno

    if not text:
        raise ValueError("a QR code needs a text")
    if border < 0:
        raise ValueError("the border cannot be negative")
    code = segno.make(text, error=error.lower(), micro=False, boost_error=True)
    rows = tuple(tuple(bool(module) for module in row) for row in code.matrix_iter(scale=1, border=border))
    return QrCode(text, int(code.version), _LEVELS.get(str(code.error).upper(), error), rows)


__all__ = ["QUIET_ZONE", "ErrorLevel", "QrCode", "module_runs", "qr_code"]
