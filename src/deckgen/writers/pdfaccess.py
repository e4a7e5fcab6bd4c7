"""What the tagged PDF tells a screen reader that the laid-out deck does not say yet.

The PDF's structure tree needs a language for the document and for each stretch of text,
a description for each picture, whether a picture is decoration, and a name for each slide
(its outline entry). The model does not carry all of these yet; until it does, each is
decided here, in one small function, and the PDF writer only asks.

TODO(issue 18, model): once ``Meta`` carries the post's language, each ``Run`` its ``lang``,
and each picture its description, ``decorative`` flag and context, take those values here
(or in the writer directly) and delete the guesses below: the writer then decides nothing.
"""

from __future__ import annotations

import re

from deckgen.model import (
    CodeFrame,
    LaidDeck,
    Page,
    PictureFrame,
    PlaceholderFrame,
    TableFrame,
    TextFrame,
    mark_text,
)
from deckgen.theme import Theme
from deckgen.visitor import FrameVisitor

CHINESE = "zh-Hant"  # Traditional Chinese, as the HTML deck marks it
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


# Chinese characters, and the punctuation, Bopomofo and full-width forms Chinese text uses
_HAN_CLASS = "\u3000-\u303f\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0003ffff"
_HAN = re.compile(f"[{_HAN_CLASS}]")
_LATIN = re.compile("[A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f]")


def is_han(ch: str) -> bool:
    """A Chinese character, or the punctuation and full-width forms Chinese text uses."""
    return _HAN.match(ch) is not None


def deck_language(deck: LaidDeck) -> str:
    """The document's language: Chinese when Chinese characters outnumber Latin letters in
    the deck's text, else English (the posts are over 95 % English, with Chinese titles).

    TODO(issue 18, model): take the post's language from ``deck.meta`` once it carries one.
    """
    seen = DeckText()
    texts: list[str] = []
    for page in deck.pages:
        texts.extend(seen.visit(f) for f in page.frames)
        if page.title is not None:
            texts.append(seen.text(page.title))
    text = "".join(texts)
    return CHINESE if len(_HAN.findall(text)) > len(_LATIN.findall(text)) else ENGLISH


def language_spans(text: str, doc_lang: str) -> list[tuple[str, str | None]]:
    """``text`` cut where its language changes: (piece, its language, or None when it is the
    document's). Chinese characters are Chinese; Latin letters are English in a Chinese
    document; spaces, digits and punctuation go with the piece they follow.

    TODO(issue 18, model): take each run's ``lang`` once runs carry one.
    """
    if doc_lang == ENGLISH and _HAN.search(text) is None:
        return [(text, None)]
    if doc_lang == CHINESE and _LATIN.search(text) is None:
        return [(text, None)]
    out: list[tuple[str, str | None]] = []
    for ch in text:
        if _HAN.match(ch):
            lang: str | None = CHINESE
        elif _LATIN.match(ch):
            lang = ENGLISH
        else:
            lang = out[-1][1] if out else None  # neutral: goes with what it follows
        if lang == doc_lang:
            lang = None
        if out and out[-1][1] == lang:
            out[-1] = (out[-1][0] + ch, lang)
        else:
            out.append((ch, lang))
    return out


def plain(text: str) -> str:
    """Text as a reader hears it: without the zero-width break opportunities."""
    return text.translate(_INVISIBLE)


def is_decoration(frame: PictureFrame, theme: Theme) -> bool:
    """A picture that says nothing (the theme's logo on every slide): an artifact.

    TODO(issue 18, model): take the picture's ``decorative`` flag once the model has one.
    """
    return theme.logo is not None and frame.asset.path == theme.logo and frame.link is None


def picture_alt(frame: PictureFrame, title: str, number: int) -> str:
    """A picture's alternative text: its description, else a short true sentence from its
    context (never its file name or address).

    TODO(issue 18, model): take the picture's description and context from the model.
    """
    alt = " ".join(plain(frame.alt).split())
    url = frame.asset.url
    name = url.rstrip("/").rsplit("/", 1)[-1]
    if alt and "://" not in alt and alt not in (url, name, name.rsplit(".", 1)[0]):
        return alt
    what = "Video" if frame.play_badge is not None else "Picture"
    where = f'slide "{title}"' if title else f"slide {number}"
    return f"{what} on {where}, not described yet"


def header_rows(frame: TableFrame) -> int:
    """The rows a reader hears as the column headers: the table's own; for a table written
    without any header cell (raw HTML of ``<td>`` only), its first row, which in the posts
    names the columns (a table without headers is not a data table to a screen reader).

    TODO(issue 18, model): let the parser say whether such a first row is a header.
    """
    if frame.header_rows or any(cell.header for row in frame.rows for cell in row):
        return frame.header_rows
    return 1 if frame.rows else 0


def page_title(page: Page) -> str:
    """A slide's title as plain text ("" when it has none)."""
    if page.title is None:
        return ""
    return " ".join(plain(DeckText().text(page.title)).split())


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
    "CHINESE",
    "DeckText",
    "deck_language",
    "header_rows",
    "is_decoration",
    "language_spans",
    "page_label",
    "page_title",
    "picture_alt",
    "plain",
]
