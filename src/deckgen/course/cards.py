"""A deck's card on the course page: a picture of its title slide, and what the page shows of it.

A folder build draws the card of each post it writes (``BuildOptions.course_card``), from the
laid-out deck, while it has it: the course page of a later build whose posts are all up to date
only reads the cards. The card holds what the stamp does not: the date, the tags, the
picture's file.

The picture is the title slide as the decks show it, drawn into pixels without a browser or
PowerPoint (:mod:`deckgen.course.raster`). Title slides look alike (a band, a title, a date),
so when the deck has a picture and the title slide leaves room under its text, the card shows
the deck's first picture there (:func:`card_page` decides where; the painter only draws it).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

from deckgen.diagnostics import Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.errors import BuildError
from deckgen.fileio import atomic_write
from deckgen.measure import Measurer
from deckgen.model.laidout import Box, LaidDeck, Page, PictureFrame, QrFrame, pictures_in
from deckgen.stamp import STAMP_DIR
from deckgen.theme.schema import Theme

CARD_WIDTH = 640  # pixels; the page shows it at most about 400 CSS px wide (sharp at 1.5x)
CARD_SUFFIX = ".card.webp"
CARD_QUALITY = 80  # WebP (method 2: 12 ms for 640 px): text stays crisp, about 10 kB a card
_MARGIN = 0.04  # of the slide's width: the inset's distance from the edges and from the text
_ROOM = 0.15  # of the slide's height: the least room under the text that takes an inset
_SMALLEST = 0.04  # of the slide's area: pictures smaller than this (icons, badges) are passed over
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Card:
    """What the course page shows of a deck besides its stamp: its date, tags and picture."""

    date: str = ""  # YYYY-MM-DD, "" when the post has none
    tags: tuple[str, ...] = ()  # its categories and tags
    picture: str = ""  # the picture's file name in the output folder ("" when none was drawn)


def card_dir(out_dir: Path) -> Path:
    return out_dir / STAMP_DIR / "cards"


def card_json(out_dir: Path, post: Path) -> Path:
    return card_dir(out_dir) / f"{post.stem}.json"


def picture_name(post: Path) -> str:
    return f"{post.stem}{CARD_SUFFIX}"


def post_date(date: str, post: Path) -> str:
    """The date a card shows: the front matter's, else the one a Jekyll post's name starts with."""
    for text in (date.strip()[:10], post.name[:10]):
        if _DATE.fullmatch(text):
            try:
                return dt.date.fromisoformat(text).isoformat()
            except ValueError:
                continue
    return ""


# ---------------------------------------------------------------------------
# the decision (pure)


def first_picture(laid: LaidDeck) -> PictureFrame | None:
    """The deck's first picture after its title slide worth showing on a card: drawn, not the
    theme's logo (which is on the title slide too) and not an icon."""
    if not laid.pages:
        return None
    on_title = {frame.asset.url for frame in pictures_in(laid.pages[0].frames)}
    area = laid.width * laid.height
    for page in laid.pages[1:]:
        for frame in pictures_in(page.frames):
            asset = frame.asset
            if not asset.ok or not asset.rendered or asset.url in on_title or not asset.width or not asset.height:
                continue
            if frame.box.w * frame.box.h >= _SMALLEST * area:
                return frame
    return None


def card_page(laid: LaidDeck) -> Page | None:
    """The title slide as the card shows it: with the deck's first picture in the room under
    its text, right-aligned, when there is room (at least 15 % of the slide's height); without
    the deck's QR code, which no one would scan from a card that size."""
    if not laid.pages:
        return None
    first = laid.pages[0]  # without its QR code: the page holding the card is on the site already
    title = replace(first, frames=tuple(f for f in first.frames if not isinstance(f, QrFrame)))
    picture = first_picture(laid)
    if picture is None:
        return title
    margin = _MARGIN * laid.width
    boxes = [frame.box for frame in title.frames] + ([title.title.box] if title.title is not None else [])
    top = max((b.y + b.h for b in boxes), default=0.0) + margin
    room = laid.height - margin - top
    if room < _ROOM * laid.height:
        return title
    aspect = picture.asset.width / picture.asset.height
    h = room
    w = h * aspect
    if w > laid.width / 2 - margin:  # a wide picture: as wide as half the slide
        w = laid.width / 2 - margin
        h = w / aspect
    box = Box(laid.width - margin - w, top + (room - h) / 2, w, h)
    inset = PictureFrame(box, picture.asset, None, picture.alt)
    return replace(title, frames=(*title.frames, inset))


# ---------------------------------------------------------------------------
# drawing and the record


def draw_card(laid: LaidDeck, theme: Theme, measurer: Measurer, width: int = CARD_WIDTH) -> bytes:
    """The card's picture (WebP), ``width`` pixels wide: the card page drawn by
    :class:`~deckgen.course.raster.CardPainter`. Raises what Pillow raises (OSError, ValueError)."""
    from deckgen.course.raster import CardPainter

    page = card_page(laid)
    if page is None:
        raise ValueError("a deck without pages has no card")
    image = CardPainter(theme, measurer).draw(laid, page, width)
    out = io.BytesIO()
    image.save(out, "WEBP", quality=CARD_QUALITY, method=2)
    return out.getvalue()


def make_card(
    laid: LaidDeck, theme: Theme, measurer: Measurer, post: Path, out_dir: Path, diag: Diagnostics
) -> Card:
    """Draw and write the card of the deck just built. A picture that cannot be drawn is said
    (``O120``) and the card has none: the decks stand. Raises ``BuildError`` when the card cannot
    be written."""
    meta = laid.meta
    card = Card(post_date(meta.date, post), tuple(dict.fromkeys((*meta.category, *meta.tags))))
    picture: bytes | None = None
    try:
        picture = draw_card(laid, theme, measurer)
        card = replace(card, picture=picture_name(post))
    except Exception as exc:  # an extra of the course page: its failure must not fail the decks
        diag.report(C.CARD_NOT_DRAWN, post, reason=f"{type(exc).__name__}: {exc}")
    try:
        write_card(out_dir, post, card, picture)
    except OSError as exc:
        raise BuildError(f"cannot write the course page's card: {exc.strerror or exc}", exc.filename or out_dir) from None
    return card


def write_card(out_dir: Path, post: Path, card: Card, picture: bytes | None) -> None:
    """The card's picture (when there is one) beside the decks, then its record. Raises OSError."""
    if picture is not None:
        _put(out_dir / card.picture, picture)
    data = {"date": card.date, "tags": list(card.tags), "picture": card.picture}
    _put(card_json(out_dir, post), json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _put(path: Path, data: bytes) -> None:
    """Write ``data`` whole, unless the file holds it already (a site's files keep their times)."""
    try:
        if path.read_bytes() == data:
            return
    except OSError:
        pass
    atomic_write(path, data)


def _record(out_dir: Path, post: Path) -> Card | None:
    """The card record as written (its picture file may be gone)."""
    try:
        data = json.loads(card_json(out_dir, post).read_text("utf-8"))
        picture = str(data.get("picture") or "")
        return Card(str(data.get("date") or ""), tuple(str(t) for t in data.get("tags") or ()), picture)
    except (OSError, ValueError, TypeError, AttributeError):
        return None


def _picture_there(out_dir: Path, card: Card) -> bool:
    return Path(card.picture).name == card.picture and (out_dir / card.picture).is_file()


def read_card(out_dir: Path, post: Path) -> Card | None:
    """The card a build wrote for ``post`` (None when there is none, or it is unreadable);
    its picture is "" when the file is gone."""
    card = _record(out_dir, post)
    if card is not None and card.picture and not _picture_there(out_dir, card):
        return replace(card, picture="")
    return card


def card_current(out_dir: Path, post: Path) -> bool:
    """Whether the card of ``post`` is all there: a build that finds the decks current but
    not the card builds the post again (a folder built by an older deckgen, a picture deleted)."""
    card = _record(out_dir, post)
    return card is not None and (not card.picture or _picture_there(out_dir, card))


__all__ = [
    "CARD_SUFFIX",
    "CARD_WIDTH",
    "Card",
    "card_current",
    "card_json",
    "card_page",
    "draw_card",
    "first_picture",
    "make_card",
    "picture_name",
    "post_date",
    "read_card",
    "write_card",
]
