"""The post as ``deckgen pull`` sees it: its text (with where each line starts), its deck parsed
and marked as the build marked it (``layout/origins.py``), and every text of that deck — a
:class:`Unit` — with the runs the .pptx shows for it and the stretch of the post it is written in.

A unit's stretch starts on the line its block starts on and ends where the post's block ends
(markdown-it's extent of the outermost block containing that line: a list, a table, an HTML
block); a unit is found in it by aligning its text with the post's characters
(``deckgen.pull.textedit``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from markdown_it.token import Token

from deckgen.diagnostics import Diagnostics
from deckgen.layout.origins import FRONT_TITLE, mark_origins, title_key
from deckgen.model.document import (
    BulletList,
    Deck,
    Heading,
    Paragraph,
    Quote,
    Run,
    Runs,
    Slide,
    Table,
)
from deckgen.pull.slideread import TextRuns, link_target, merge_runs
from deckgen.source import Source, post_from_bytes
from deckgen.source.decode import decode_post
from deckgen.urlpolicy import UrlPolicy

UnitKind = Literal["front-title", "abstract", "title", "heading", "paragraph", "item", "quote", "cell"]


@dataclass(frozen=True)
class Unit:
    key: str
    kind: UnitKind
    runs: TextRuns  # as the .pptx shows them
    line: int  # the post line its block starts on
    slide: int  # its slide's index (-1: the title page's)
    html: bool = False  # written inside an HTML block (escape as HTML, not Markdown)
    level: int = 0  # a list item's nesting level
    ordered: bool = False

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)

    def shown(self, as_title: bool) -> TextRuns:
        """The runs as the deck shows them: a heading is bold in a slide's body, not as a title."""
        if self.kind == "heading" and not as_title:
            return merge_runs([(t, (True, i, s, link)) for t, (_b, i, s, link) in self.runs])
        return self.runs


def deck_runs(runs: Runs, policy: UrlPolicy, bold: bool = False, italic: bool = False) -> TextRuns:
    """Runs as the .pptx writes them, read back: links absolute (a site path the policy cannot
    make one is no link), a heading's text bold, a quote's italic."""
    out: list[tuple[str, tuple[bool, bool, bool, str]]] = []
    for r in runs:
        link = policy.absolute(r.link) if r.link else None
        out.append((r.text, (r.bold or bold, r.italic or italic, r.strike, link_target(link) if link else "")))
    return merge_runs(out)


_LINE = re.compile(r"[^\r\n]*(\r\n|\r|\n)|[^\r\n]+$")


@dataclass
class PostText:
    """The post's text as ``pull`` edits it: decoded, line ends as ``\\n`` (written back as they
    were: each line the post had keeps its own end, a new one takes the post's most common),
    with the offset each line starts at."""

    text: str
    newline: str = "\n"
    bom: bytes = b""
    codec: str = "utf-8"
    starts: list[int] = field(default_factory=list)
    ends: tuple[str, ...] = ()  # each line's own end, when they are not all ``newline``

    def __post_init__(self) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", self.text)]

    @classmethod
    def of(cls, data: bytes, path: Path) -> PostText:
        text = decode_post(data, path)
        ends = [m.group(1) for m in _LINE.finditer(text) if m.group(1)]
        newline = max(("\n", "\r\n", "\r"), key=ends.count) if ends else "\n"
        bom = b""
        codec = "utf-8"
        for mark, name in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
            if data.startswith(mark):
                bom, codec = mark, name
                break
        mixed = tuple(ends) if any(end != newline for end in ends) else ()
        return cls(text.replace("\r\n", "\n").replace("\r", "\n"), newline, bom, codec, ends=mixed)

    def offset(self, line: int) -> int:
        """Where 1-based ``line`` starts (the text's end past its last line)."""
        if line < 1:
            return 0
        return self.starts[line - 1] if line - 1 < len(self.starts) else len(self.text)

    def line_at(self, offset: int) -> int:
        """The 1-based line ``offset`` is on."""
        return bisect.bisect_right(self.starts, offset)

    def restore(self, text: str) -> str:
        """``text`` (this text, edited) with the post's line ends: a line kept from the post (or
        changed in its place) ends as it did, a new line with the post's most common end."""
        if not self.ends:
            return text.replace("\n", self.newline) if self.newline != "\n" else text
        old, new = lines_of(self.text), lines_of(text)
        ends = [self.newline] * len(new)
        head = 0  # the lines both share at the start and at the end keep their ends as they are
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        ops = [("equal", 0, head, 0, head), ("equal", len(old) - tail, len(old), len(new) - tail, len(new))]
        middle = difflib.SequenceMatcher(None, old[head : len(old) - tail], new[head : len(new) - tail], autojunk=len(old) > 2000)
        ops += [(t, i1 + head, i2 + head, j1 + head, j2 + head) for t, i1, i2, j1, j2 in middle.get_opcodes()]
        for tag, i1, i2, j1, j2 in ops:
            if tag in ("equal", "replace"):  # a changed line keeps its end; lines added after it take the common one
                for k in range(min(i2 - i1, j2 - j1)):
                    ends[j1 + k] = self.ends[i1 + k] if i1 + k < len(self.ends) else self.newline
        return "".join(line[:-1] + end if line.endswith("\n") else line for line, end in zip(new, ends))

    def encode(self, text: str) -> bytes:
        return self.bom + self.restore(text).encode(self.codec)


def lines_of(text: str) -> list[str]:
    """``text`` cut after each LF only (a form feed or U+2028 in a line stays in it), as a
    patch counts lines."""
    parts = text.split("\n")
    return [f"{part}\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


@dataclass
class Post:
    """A post parsed as the build parsed it: its text, the marked deck, its units and extents."""

    path: Path
    data: bytes
    text: PostText
    source: Source
    deck: Deck
    policy: UrlPolicy
    units: dict[str, Unit]
    extents: list[tuple[int, int, bool]]  # post lines [first, last) of each outermost block; True: HTML

    def window(self, line: int) -> tuple[int, int]:
        """The offsets of the stretch a block starting on ``line`` is written in."""
        end = self.extent_end(line)
        return self.text.offset(line), self.text.offset(end)

    def extent_end(self, line: int) -> int:
        for first, last, _html in self.extents:
            if first <= line < last:
                return last
        return line + 1

    def in_html(self, line: int) -> bool:
        return any(first <= line < last and html for first, last, html in self.extents)

    def slide_of_line(self, line: int) -> int:
        """The index of the slide whose part starts on ``line`` (-1 none)."""
        for i, slide in enumerate(self.deck.slides):
            if slide.line == line:
                return i
        return -1


def parse_post(path: Path, data: bytes, now: dt.datetime, site: str) -> Post:
    """The post as the build parsed it (the diagnostics said again are not wanted here)."""
    from deckgen.parse import parse_deck
    from deckgen.parse.walker import markdown

    diag = Diagnostics()
    text = PostText.of(data, path)
    source = post_from_bytes(path, data, now, diag)
    policy = UrlPolicy(site)
    deck = mark_origins(parse_deck(source, diag, policy))
    extents: list[tuple[int, int, bool]] = []
    md = markdown()
    tokens: list[Token] = []
    md.block.parse(source.body, md, {}, tokens)  # the blocks' extents: no inline content needed
    for token in tokens:
        if token.level == 0 and token.map and not token.type.endswith("_close"):
            first, last = token.map[0] + source.body_line, token.map[1] + source.body_line
            extents.append((first, last, token.type == "html_block"))
    post = Post(path, data, text, source, deck, policy, {}, extents)
    post.units = {u.key: u for u in _units(post)}
    return post


_TITLE_LINE = re.compile(r"^title\s*:", re.MULTILINE)


def front_title_line(post: PostText, body_line: int) -> int:
    """The line of the front matter's ``title:`` (0: none)."""
    head = post.text[: post.offset(body_line)]
    m = _TITLE_LINE.search(head)
    return post.line_at(m.start()) if m else 0


def _units(post: Post) -> Iterator[Unit]:
    deck, policy = post.deck, post.policy
    line = front_title_line(post.text, post.source.body_line)
    if line and deck.meta.title:
        yield Unit(FRONT_TITLE, "front-title", deck_runs((Run(deck.meta.title),), policy), line, -1)
    for block in deck.abstract:
        if isinstance(block, Paragraph) and block.origin is not None:
            yield Unit(block.origin.key, "abstract", deck_runs(block.runs, policy), block.line, -1, post.in_html(block.line))
    for s, slide in enumerate(deck.slides):
        yield from slide_units(post, s, slide)


def slide_units(post: Post, s: int, slide: Slide) -> Iterator[Unit]:
    """The units of one slide, in the deck's order."""
    policy = post.policy
    if slide.title:
        yield Unit(title_key(slide), "title", deck_runs(slide.title, policy), slide.line, s)
    for block in slide.blocks:
        html = post.in_html(block.line) if hasattr(block, "line") else False
        match block:
            case Paragraph(origin=origin) if origin is not None:
                yield Unit(origin.key, "paragraph", deck_runs(block.runs, policy), block.line, s, html)
            case Heading(origin=origin) if origin is not None:
                yield Unit(origin.key, "heading", deck_runs(block.runs, policy), block.line, s, html)
            case BulletList():
                for item in block.items:
                    if item.origin is not None:
                        runs = deck_runs(item.runs, policy)
                        yield Unit(item.origin.key, "item", runs, block.line, s, html, item.level, item.ordered)
            case Quote():
                for k, paragraph in enumerate(block.paragraphs):
                    if k < len(block.origins):
                        runs = deck_runs(paragraph, policy, italic=True)
                        yield Unit(block.origins[k].key, "quote", runs, block.line, s, html)
            case Table():
                for row in block.rows:
                    for cell in row:
                        if cell.origin is not None:
                            runs = deck_runs(cell.shown_runs, policy)
                            yield Unit(cell.origin.key, "cell", runs, block.line, s, html)


def block_key(key: str) -> str:
    """The key of the block a unit belongs to (``"4.2"`` for ``"4.2.1"``)."""
    parts = key.split(".")
    return ".".join(parts[:2])


__all__ = ["Post", "PostText", "lines_of", "Unit", "UnitKind", "block_key", "deck_runs", "parse_post", "slide_units"]
