"""Flow: collects inline runs and finished blocks while a converter walks its input.

Both the Markdown token walker (``parse``) and the raw-HTML converter (``htmlconv``)
write into a ``Flow``; neither builds runs by hand. A Flow belongs to one container
(a slide, a table cell, a list item).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from deckgen.diagnostics import Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.model.document import LINE_BREAK, Block, BulletList, Heading, Image, Paragraph, Quote, Run, Runs
from deckgen.urlpolicy import UrlPolicy, shown_url

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_BLANKS = re.compile(r"[ \t]{2,}")


def clean_text(text: str) -> str:
    """Remove zero-width characters that would only confuse wrapping and searching."""
    return text.translate(_INVISIBLE)


def merge_runs(runs: list[Run]) -> Runs:
    """Join neighbouring runs of equal style; drop empty ones."""
    out: list[Run] = []
    for run in runs:
        if not run.text:
            continue
        if out and not run.is_break and not out[-1].is_break and out[-1].style == run.style:
            prev = out.pop()
            run = Run(
                prev.text + run.text, prev.bold, prev.italic, prev.strike, prev.code, prev.link, prev.color
            )
        out.append(run)
    return tuple(out)


def trim_runs(runs: Runs) -> Runs:
    """Strip line breaks and blanks from both ends, and blanks around inner line breaks."""
    items = list(runs)
    while items and (items[0].is_break or not items[0].text.strip()):
        items.pop(0)
    while items and (items[-1].is_break or not items[-1].text.strip()):
        items.pop()
    if not items:
        return ()
    out: list[Run] = []
    for i, run in enumerate(items):
        text = run.text
        if not run.is_break and not run.code:
            if i == 0 or items[i - 1].is_break:
                text = text.lstrip()
            if i == len(items) - 1 or items[i + 1].is_break:
                text = text.rstrip()
        if text:
            out.append(
                run
                if text == run.text
                else Run(text, run.bold, run.italic, run.strike, run.code, run.link, run.color)
            )
    # at most two line breaks in a row (one blank line): more is a spacing device on
    # the web, not content
    final: list[Run] = []
    for run in out:
        if run.is_break and len(final) >= 2 and final[-1].is_break and final[-2].is_break:
            continue
        final.append(run)
    return merge_runs(final)


def blocks_to_runs(blocks: list[Block]) -> tuple[Runs, list[Block]]:
    """Put blocks into a container that holds only text (a table cell, a list item).

    Returns the text, blocks joined by line breaks (list items and quoted paragraphs one
    per line), and the blocks that are no text (pictures, embeds, code, tables), which the
    caller shows after the container."""
    parts: list[Run] = []
    apart: list[Block] = []

    def line(runs: Runs) -> None:
        if parts:
            parts.append(LINE_BREAK)
        parts.extend(runs)

    for block in blocks:
        if isinstance(block, (Paragraph, Heading)):
            line(block.runs)
        elif isinstance(block, BulletList):
            for item in block.items:
                mark = f"{item.number}. " if item.ordered else ("◦ " if item.level else "• ")
                line((Run(mark), *item.runs))
        elif isinstance(block, Quote):
            for para in block.paragraphs:
                line(para)
        else:
            apart.append(block)
    return trim_runs(tuple(parts)), apart


LINKS = UrlPolicy()  # which links are refused does not depend on the site's address
_VIEWER_PREFIX = re.compile(r"^chrome-extension://[a-z]{32}/(https?://.+)$")


def usable_link(href: str | None) -> str | None:
    """A link a viewer can open: empty targets are none; a PDF-viewer extension's wrapper
    (``chrome-extension://<id>/https://...``) gives way to the address it wraps."""
    if not href or not href.strip():
        return None
    href = href.strip()
    m = _VIEWER_PREFIX.match(href)
    return m.group(1) if m else href


class Flow:
    """Accumulates runs (with a style stack) and blocks for one container."""

    def __init__(self, diag: Diagnostics, path: Path | None, line: int) -> None:
        self.diag = diag
        self.path = path
        self.line = line
        self.blocks: list[Block] = []
        self.notes: list[str] = []
        self._runs: list[Run] = []
        self._depth = {"bold": 0, "italic": 0, "strike": 0, "code": 0}
        self._links: list[str | None] = []
        self._para_line = line

    # -- inline -------------------------------------------------------------
    def text(self, text: str, collapse: bool = False) -> None:
        text = clean_text(text)
        if collapse:
            text = _SPACES.sub(" ", text)
        if not self._depth["code"]:
            # as a browser shows it: one space for a run of spaces, also across pieces
            text = _BLANKS.sub(" ", text)
            last = self._runs[-1] if self._runs else None
            if text.startswith(" ") and last is not None and not last.code and last.text.endswith(" "):
                text = text[1:]
        if not text:
            return
        if not self._runs:
            self._para_line = self.line
        link = next((h for h in reversed(self._links) if h is not None), None)
        self._runs.append(
            Run(
                text,
                bold=self._depth["bold"] > 0,
                italic=self._depth["italic"] > 0,
                strike=self._depth["strike"] > 0,
                code=self._depth["code"] > 0,
                link=link,
            )
        )

    def line_break(self) -> None:
        self._runs.append(LINE_BREAK)

    def soft_break(self) -> None:
        """A line break, unless the text is empty or already ends a line."""
        if self._runs and not self._runs[-1].is_break:
            self._runs.append(LINE_BREAK)

    def push(self, style: str) -> None:
        self._depth[style] += 1

    def pop(self, style: str) -> None:
        if self._depth[style] > 0:
            self._depth[style] -= 1

    def open_link(self, href: str | None) -> None:
        if href is not None and not href.strip():
            # an empty target: no link, said as the URL policy says it of any refused address
            self.diag.report(C.URL_DROPPED, self.path, self.line, url='""')
        link = usable_link(href)
        if link is not None and LINKS.check(link, "link") is None:
            # refused here, where its line is known (the parser's pass would name the paragraph's)
            self.diag.report(C.URL_DROPPED, self.path, self.line, url=shown_url(link))
            link = None
        self._links.append(link)

    def close_link(self) -> None:
        if self._links:
            self._links.pop()

    @property
    def in_link(self) -> str | None:
        return next((h for h in reversed(self._links) if h is not None), None)

    # -- blocks -------------------------------------------------------------
    def end_paragraph(self) -> None:
        runs = trim_runs(tuple(self._runs))
        self._runs = []
        if runs:
            self.blocks.append(Paragraph(runs, self._para_line))

    def take_runs(self) -> Runs:
        """Return (and forget) the runs gathered so far, without making a paragraph."""
        runs = trim_runs(tuple(self._runs))
        self._runs = []
        return runs

    def add_block(self, block: Block) -> None:
        self.end_paragraph()
        self.blocks.append(block)

    def linked(self, image: Image) -> Image:
        """``image`` with the link it stands in, if it has none of its own."""
        if image.link is None and self.in_link:
            return replace(image, link=self.in_link)
        return image

    def add_image(self, image: Image) -> None:
        """Images interrupt the text: the paragraph so far ends, the picture follows."""
        self.add_block(self.linked(image))

    def note(self, text: str) -> None:
        text = text.strip()
        if text:
            self.notes.append(text)

    def finish(self) -> list[Block]:
        self.end_paragraph()
        return self.blocks
