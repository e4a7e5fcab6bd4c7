"""Is every word of a post still in its decks? (used by the tests and by bench/word_check.py)

    python bench/word_check.py POST.md DECK.pptx [DECKDIR]

The post's words come from an independent rendering (markdown-it to HTML, tags stripped,
pictures and embeds ignored); the deck's from every text frame, table and note of the .pptx
and, when given, the text of the HTML deck. Prints the words missing from each.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from markdown_it import MarkdownIt
from pptx import Presentation

from deckgen.diagnostics import Diagnostics
from deckgen.source import read_post

WORD = re.compile(r"[A-Za-z0-9]+|[\u4e00-\u9fff]")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:  # noqa: ANN001
        if tag in ("script", "style", "video", "audio", "aside"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "video", "audio", "aside"):
            self._skip = max(0, self._skip - 1)

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)

    def handle_comment(self, data: str) -> None:
        self.parts.append(data)  # comments are speaker notes


def words_of(text: str) -> list[str]:
    return WORD.findall(text.replace("\u200b", ""))


def post_words(post: Path) -> list[str]:
    src = read_post(post, dt.datetime.now(), Diagnostics())
    md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser = _Text()
    # a kramdown attribute list after a picture (``![](x.png){: .decorative}``): the site never shows it
    parser.feed(md.render(re.sub(r"(!\[[^\]\n]*\]\([^)\n]*\))\{:[^{}\n]*\}", r"\1", src.body)))
    meta = src.meta
    text = " ".join(parser.parts) + " " + meta.title + " " + " ".join(meta.authors)
    # a URL the reference rendering shows as text (an image or link markdown-it leaves raw
    # inside an HTML block) is a picture or a link in the decks: its parts are not words
    return words_of(re.sub(r"(?:https?|chrome-extension)://\S+", " ", text))


def slide_texts(prs: Any, notes: bool = False) -> list[str]:
    """The text of every text box and table cell of a presentation (and its notes)."""
    parts = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(c.text for row in shape.table.rows for c in row.cells)
        if notes and slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
    return parts


def pptx_text(path: Path) -> str:
    return " ".join(slide_texts(Presentation(str(path)), notes=True))


def html_text(folder: Path) -> str:
    parser = _Text()
    parser._skip = 0
    text = (folder / "index.html").read_text("utf-8")
    text = re.sub(r"<aside class=\"notes\">(.*?)</aside>", r"<p>\1</p>", text, flags=re.S)
    parser.feed(text)
    return " ".join(parser.parts)


def missing(expected: list[str], text: str) -> list[str]:
    """Words not found in the deck's text (searched with all whitespace removed, so that a
    word split into differently formatted runs, like **H**ue, still counts)."""
    squashed = re.sub(r"[\s\u200b]+", "", text)  # break opportunities are not characters
    return sorted({w for w in expected if w not in squashed})


def main() -> int:
    post, deck = Path(sys.argv[1]), Path(sys.argv[2])
    expected = post_words(post)
    miss = missing(expected, pptx_text(deck))
    print(f"{post.name}: {len(expected)} words; missing from the .pptx: {len(miss)} {miss[:30]}")
    if len(sys.argv) > 3:
        miss_html = missing(expected, html_text(Path(sys.argv[3])))
        print(f"{post.name}: missing from the HTML deck: {len(miss_html)} {miss_html[:30]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
