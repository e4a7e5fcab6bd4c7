"""What the tagged PDF tells a screen reader, read from the laid-out deck.

The PDF's structure tree needs a language for the document and for each stretch of text,
a description for each picture, whether a picture is decoration, and a name for each slide
(its outline entry). The layout decided all of them (``Meta.lang``, ``Run.lang``,
``PictureFrame.alt``/``decorative``, ``Page.title_text``); each is read here, in one small
function, and the PDF writer only asks.
"""

from __future__ import annotations

from deckgen.model import (
    CodeFrame,
    LaidDeck,
    Page,
    PictureFrame,
    PlaceholderFrame,
    QrFrame,
    Run,
    TableFrame,
    TextFrame,
    mark_text,
)
from deckgen.visitor import FrameVisitor

ENGLISH = "en"
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)


class DeckText(FrameVisitor[str]):
    """The text a frame shows (for the fonts' character set and the language guess)."""

    def text(self, frame: TextFrame) -> str:
        return "".join(mark_text(p.bullet) + "".join(r.text for r in p.runs) for p in frame.paras)

    def code(self, frame: CodeFrame) -> str:
        return "".join(r.text for line in frame.lines for r in line)

    def table(self, frame: TableFrame) -> str:
        return "".join(r.text for row in frame.rows for cell in row for r in cell.runs)

    def picture(self, frame: PictureFrame) -> str:
        return ""

    def placeholder(self, frame: PlaceholderFrame) -> str:
        return frame.reason + (frame.shown_url or frame.url)

    def qr(self, frame: QrFrame) -> str:
        return self.text(frame.label)


def deck_language(deck: LaidDeck) -> str:
    """The document's language: the post's (``Meta.lang``, decided by the parser); English
    for a deck laid out without one, as the HTML deck says."""
    return deck.meta.lang or ENGLISH


def run_language(run: Run, doc_lang: str) -> str | None:
    """A run's language when it is not the document's (the layout's ``Run.lang``), else None."""
    return run.lang if run.lang and run.lang != doc_lang else None


def plain(text: str) -> str:
    """Text as a reader hears it: without the zero-width break opportunities."""
    return text.translate(_INVISIBLE)


def is_decoration(frame: PictureFrame) -> bool:
    """A picture that says nothing (the theme's logo on every slide, a picture the post marks
    so): an artifact, as the layout decided."""
    return frame.decorative


def picture_alt(frame: PictureFrame, title: str, number: int) -> str:
    """A picture's alternative text: the layout's (its description, else a short true text from
    its context); a sentence naming its slide only for a frame laid out without one."""
    alt = " ".join(plain(frame.alt).split())
    if alt:
        return alt
    what = "Video" if frame.play_badge is not None else "Picture"
    where = f'slide "{title}"' if title else f"slide {number}"
    return f"{what} on {where}, not described yet"


def header_rows(frame: TableFrame) -> int:
    """The rows a reader hears as the column headers: the table's own; for a table written
    without any header cell (raw HTML of ``<td>`` only), its first row, which in the posts
    names the columns (a table without headers is not a data table to a screen reader).
"""
    if frame.header_rows or any(cell.header for row in frame.rows for cell in row):
        return frame.header_rows
    return 1 if frame.rows else 0


def page_title(page: Page) -> str:
    """A slide's title as plain text, shown or hidden ("" when it has none)."""
    return " ".join(plain(page.title_text).split())


def page_label(page: Page, number: int) -> str:
    """A slide's name in the outline: its title, else its first line of text, else its number."""
    seen = DeckText()
    title = page_title(page)
    if title:
        return title
    for frame in page.frames:
        if isinstance(frame, TextFrame) and frame.role not in ("footer", "number"):
            text = " ".join(plain(seen.text(frame)).split())
            if text:
                return text if len(text) <= 80 else text[:79] + "…"
    return f"Slide {number}"


__all__ = [
    "DeckText",
    "deck_language",
    "header_rows",
    "is_decoration",
    "page_label",
    "page_title",
    "picture_alt",
    "plain",
    "run_language",
]
