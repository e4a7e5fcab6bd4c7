"""The title slide's QR code: the deck's web address as a code in a bottom corner of the
title slide, with the short address in words beside it, so that students in the room open
the slides on their phones (issue 21).

Where the deck is published is the pipeline's (``Meta.deck_url``, from ``siteaddress.deck_url``);
here, only where the code goes and how large it is. The code is 84 pt across without its
quiet zone (2.96 cm on a 13.33 in slide: at least 2.5 cm, readable from the back of a room
on a projected slide); its dark modules end at the text's right margin and at the bottom of
the content area, in the bottom-right corner, or the bottom-left one when the theme's logo
is there. The address beside it is in the footer's size, broken after a ``/`` when it is
long. The style pass gives it its colours (``style.py``).
"""

from __future__ import annotations

from urllib.parse import unquote

from deckgen.layout.context import INSET, LINE, Context
from deckgen.measure import count_lines, text_width
from deckgen.model.document import LINE_BREAK, Run
from deckgen.model.laidout import Align, Box, Para, QrFrame, TextFrame
from deckgen.qr import QUIET_ZONE, qr_code

QR_SIDE = 84.0  # points: the code without its quiet zone (2.96 cm)
LABEL_SHARE = 0.3  # of the slide's width: the widest the address beside the code is
LABEL_GAP = 8.0  # points between the quiet zone and the address's frame


def short_address(url: str) -> str:
    """An address as the slide prints it: without ``https://`` and the closing ``/``, its
    escapes read (``example.org/course/slides/x``)."""
    text = url.split("://", 1)[-1] if "://" in url else url
    return unquote(text.rstrip("/"))


def _address_lines(ctx: Context, text: str, width: float, size: float) -> list[str]:
    """The short address in lines at most ``width`` wide, each broken before a ``/`` (a part
    longer than the line is broken anywhere by every deck, as any long word)."""
    parts = [p for p in text.replace("/", "\n/").split("\n") if p]
    lines: list[str] = []
    for part in parts:
        if lines and text_width(ctx.measure, lines[-1] + part, size) <= width:
            lines[-1] += part
        else:
            lines.append(part)
    return lines


def qr_frame(ctx: Context, address: str) -> QrFrame | None:
    """The title slide's QR code of ``address`` and its label, placed; None without an
    address, when the theme turns it off, or when the address does not fit in a QR code."""
    if not address or not ctx.theme.qr_code:
        return None
    try:
        code = qr_code(address)
    except ValueError:
        return None
    module = QR_SIDE / (code.size - 2 * QUIET_ZONE)
    side = module * code.size
    quiet = module * QUIET_ZONE
    logo = ctx.logo_box()
    on_left = logo is not None and logo.y > ctx.h / 2 and logo.x + logo.w / 2 > ctx.w / 2
    bottom = ctx.h - 36.0 + quiet  # the dark modules end where a content slide's body does
    x = ctx.margin - quiet if on_left else ctx.w - ctx.margin + quiet - side
    box = Box(x, bottom - side, side, side)
    size = ctx.theme.sizes.floor
    most = LABEL_SHARE * ctx.w - 2 * INSET
    lines = _address_lines(ctx, short_address(address), most, size)
    runs: list[Run] = []
    for line in lines:
        if runs:
            runs.append(LINE_BREAK)
        runs.append(Run(line))
    widest = max(text_width(ctx.measure, line, size) for line in lines)
    width = min(most, widest + 1.0) + 2 * INSET
    align: Align = "left" if on_left else "right"
    para = Para(tuple(runs), size, "meta", align=align)
    height = count_lines(ctx.measure, para.runs, width - 2 * INSET, size) * size * LINE + 2 * INSET
    label_x = box.right + LABEL_GAP if on_left else box.x - LABEL_GAP - width
    label_y = bottom - quiet - height + INSET  # its last line ends with the code's dark modules
    label = TextFrame(Box(label_x, label_y, width, height), (para,), "body", LINE)
    return QrFrame(box, address, code.rows, label)


def qr_zone(frame: QrFrame) -> Box:
    """The room the code and its address take together."""
    a, b = frame.box, frame.label.box
    x, y = min(a.x, b.x), min(a.y, b.y)
    return Box(x, y, max(a.right, b.right) - x, max(a.bottom, b.bottom) - y)


__all__ = ["LABEL_GAP", "QR_SIDE", "qr_frame", "qr_zone", "short_address"]
