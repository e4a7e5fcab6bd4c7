"""Markdown (markdown-it-py tokens) into the document model: a ``Deck`` of ``Slide``s.

Slides split only on thematic breaks at nesting level 0 (as marpit does), so a ``---``
inside a list, a quote or a code block never splits. Setext headings are off: a ``---``
right under a line of text is a slide break, not an underline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from deckgen.diagnostics import Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.language import deck_texts, detect
from deckgen.model.document import (
    Block,
    BulletList,
    Cell,
    Code,
    Deck,
    Heading,
    ListItem,
    Paragraph,
    Quote,
    Run,
    Slide,
    Table,
)
from deckgen.parse.addresses import police_deck
from deckgen.parse.cleandeck import clean_deck
from deckgen.parse.flow import Flow, blocks_to_runs
from deckgen.parse.htmlconv import HtmlConverter
from deckgen.parse.inline import InlineWalker
from deckgen.source import Source
from deckgen.urlpolicy import UrlPolicy

ABSTRACT_MAX_CHARS = 600


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True})
    md.enable(["table", "strikethrough"])
    md.disable("lheading")
    return md


def split_slides(tokens: Sequence[Token]) -> list[list[Token]]:
    """Cut the token stream at level-0 ``hr`` tokens; chunk 0 is what precedes the first."""
    chunks: list[list[Token]] = [[]]
    for token in tokens:
        if token.type == "hr" and token.level == 0:
            chunks.append([])
        else:
            chunks[-1].append(token)
    return chunks


def parse_deck(src: Source, diag: Diagnostics, policy: UrlPolicy | None = None, site_lang: str = "") -> Deck:
    """The post as a deck; every address in it has passed ``policy`` (see ``urlpolicy``). Its
    language (``Meta.lang``): the front matter's ``lang``, else ``site_lang`` (the site's
    ``_config.yml``), else the script most of its text is written in."""
    deck = _parse_deck(src, diag)
    if not deck.meta.lang:
        deck = replace(deck, meta=replace(deck.meta, lang=site_lang or detect(deck_texts(deck))))
    return police_deck(deck, policy or UrlPolicy(), diag, src.body, src.body_line)


def _parse_deck(src: Source, diag: Diagnostics) -> Deck:
    tokens = markdown().parse(src.body)
    # line of each hr, to number the slides even when a chunk is empty
    hr_lines = [t.map[0] for t in tokens if t.type == "hr" and t.level == 0 and t.map]
    chunks = split_slides(tokens)
    slides: list[Slide] = []
    abstract: tuple[Block, ...] = ()
    for index, chunk in enumerate(chunks):
        start = (hr_lines[index - 1] + 1) if index > 0 and index - 1 < len(hr_lines) else 0
        line = src.body_line + start
        flow = Flow(diag, src.path, line)
        _Walker(flow, src.body_line).walk(_tree(chunk))
        blocks = flow.finish()
        if index == 0 and _is_abstract(blocks):
            abstract = tuple(blocks)
            continue
        title: tuple[Run, ...] = ()
        level = 2
        if blocks and isinstance(blocks[0], Heading) and blocks[0].level <= 3:
            title, level = blocks[0].runs, blocks[0].level
            blocks = blocks[1:]
        notes = "\n\n".join(flow.notes)
        if not title and not blocks:
            if notes:
                if slides:
                    prev = slides[-1]
                    slides[-1] = Slide(
                        prev.title,
                        prev.title_level,
                        prev.blocks,
                        (prev.notes + "\n\n" + notes).strip(),
                        prev.line,
                    )
            elif index > 0:
                diag.report(C.EMPTY_SLIDE, src.path, line)
            continue
        first_line = chunk[0].map[0] + src.body_line if chunk and chunk[0].map else line
        slides.append(Slide(title, level, tuple(blocks), notes, first_line))
    description = src.front.get("description") or src.front.get("excerpt")
    if not abstract and isinstance(description, str) and description.strip():
        # no text before the first slide: the post's front-matter description stands in
        abstract = (Paragraph((Run(" ".join(description.split())),), src.body_line),)
    # the one place the model's text is made measurable and writable (see cleandeck.py)
    def cut(what: str, at: int) -> None:
        diag.report(C.TEXT_CUT, src.path, at or None, what=what)

    return clean_deck(Deck(meta=src.meta, abstract=abstract, slides=tuple(slides), source=src.path), cut)


def _is_abstract(blocks: list[Block]) -> bool:
    if not blocks:
        return True
    if not all(isinstance(b, Paragraph) for b in blocks):
        return False
    return sum(len(r.text) for b in blocks if isinstance(b, Paragraph) for r in b.runs) <= ABSTRACT_MAX_CHARS


_TAG = re.compile(r"<(/?)([a-zA-Z][\w-]*)[^>]*?(/?)>")
_VOID = {
    "br",
    "img",
    "hr",
    "source",
    "input",
    "meta",
    "link",
    "wbr",
    "col",
    "param",
    "track",
    "embed",
    "area",
    "base",
}


# a line that starts with a tag or a comment (an autolink "<https://...>" is Markdown)
_HTML_LINE = re.compile(r"\s*<(?:/?[a-zA-Z][\w-]*(?:[\s/>]|$)|!--)")


def split_html_block(content: str) -> tuple[str, str, int]:
    """Cut an HTML block where its tags are all closed and a non-HTML line follows.

    Returns (HTML part, Markdown part, line offset of the Markdown part)."""
    lines = content.split("\n")
    depth = 0
    in_comment = False
    for index, line in enumerate(lines):
        rest = line
        if in_comment:
            if "-->" not in rest:
                continue
            rest = rest.split("-->", 1)[1]
            in_comment = False
        if "<!--" in rest and "-->" not in rest.split("<!--", 1)[1]:
            in_comment = True
            continue
        for closing, name, self_closing in _TAG.findall(rest):
            name = name.lower()
            if name in _VOID or self_closing:
                continue
            depth += -1 if closing else 1
        depth = max(depth, 0)
        following = lines[index + 1] if index + 1 < len(lines) else ""
        if depth == 0 and following.strip() and not _HTML_LINE.match(following):
            return "\n".join(lines[: index + 1]) + "\n", "\n".join(lines[index + 1 :]), index + 1
    return content, "", 0


class _Walker(InlineWalker):
    """Walks a syntax tree (markdown-it's ``SyntaxTreeNode``) into a Flow: one method per node kind
    (the inline content of each: ``InlineWalker``)."""

    def walk(self, nodes: Sequence[SyntaxTreeNode]) -> None:
        for node in nodes:
            self.flow.line = self.line_of(node)
            self.node(node)
        self.html.close()

    def node(self, node: SyntaxTreeNode) -> None:
        match node.type:
            case "heading":
                self.heading(node)
            case "paragraph":
                self.paragraph(node)
            case "bullet_list" | "ordered_list":
                self.bullet_list(node)
            case "blockquote":
                self.blockquote(node)
            case "fence" | "code_block":
                self.code(node)
            case "table":
                self.table(node)
            case "html_block":
                self.html_block(node)
            case _:  # hr inside a container, ...: nothing to show
                pass

    def heading(self, node: SyntaxTreeNode) -> None:
        self.flow.end_paragraph()
        self.inline_of(node, self.flow)
        runs = self.flow.take_runs()
        if runs:
            self.flow.add_block(Heading(int(node.tag[1]), runs, self.line_of(node)))

    def paragraph(self, node: SyntaxTreeNode) -> None:
        self.flow.end_paragraph()
        self.inline_of(node, self.flow)
        self.flow.end_paragraph()

    def bullet_list(self, node: SyntaxTreeNode) -> None:
        items: list[ListItem] = []
        extracted: list[Block] = []
        self.list_items(node, 0, items, extracted)
        if items:
            self.flow.add_block(BulletList(tuple(items), self.line_of(node)))
        for block in extracted:
            self.flow.add_block(block)

    def blockquote(self, node: SyntaxTreeNode) -> None:
        line = self.line_of(node)
        sub = Flow(self.flow.diag, self.flow.path, line)
        _Walker(sub, self.body_line).walk(node.children)
        paragraphs: list[tuple[Run, ...]] = []
        others: list[Block] = []
        for block in sub.finish():
            if isinstance(block, (Paragraph, Heading)):
                paragraphs.append(block.runs)
            elif isinstance(block, BulletList):
                paragraphs.extend((Run("• "), *item.runs) for item in block.items)
            else:
                others.append(block)
        self.flow.notes.extend(sub.notes)
        if paragraphs:
            self.flow.add_block(Quote(tuple(paragraphs), line))
        for block in others:
            self.flow.add_block(block)

    def code(self, node: SyntaxTreeNode) -> None:
        self.flow.add_block(_code(node, self.line_of(node)))

    def table(self, node: SyntaxTreeNode) -> None:
        line = self.line_of(node)
        rows: list[tuple[Cell, ...]] = []
        header_rows = 0
        extracted: list[Block] = []
        for section in node.children:  # thead, tbody
            for tr in section.children:
                rows.append(tuple(self.cell(cell, line, extracted) for cell in tr.children))
                if section.type == "thead":
                    header_rows += 1
        if extracted:
            # pictures leave their cells and follow the table; rows left empty go too, and
            # a table that only put pictures side by side leaves just the pictures
            kept = [(r, k < header_rows) for k, r in enumerate(rows) if any(c.runs for c in r)]
            rows = [r for r, _ in kept]
            header_rows = sum(1 for _, head in kept if head)
        if any(c.runs for r in rows for c in r):
            self.flow.add_block(Table(tuple(rows), header_rows, line))
        for block in extracted:
            self.flow.add_block(block)

    def cell(self, node: SyntaxTreeNode, line: int, extracted: list[Block]) -> Cell:
        sub = Flow(self.flow.diag, self.flow.path, self.line_of(node) if node.map else line)
        self.inline_of(node, sub)
        return Cell(self._sub_runs(sub, extracted), header=node.type == "th")

    def html_block(self, node: SyntaxTreeNode) -> None:
        self.flow.end_paragraph()
        html_part, markdown_part, offset = split_html_block(node.content)
        self.html.feed_at(html_part, self.line_of(node))
        self.flow.end_paragraph()
        if markdown_part.strip():
            # Markdown lines glued under an HTML line: Jekyll renders them as Markdown
            sub = _Walker(self.flow, self.line_of(node) + offset)
            sub.walk(_tree(markdown().parse(markdown_part)))

    # -- lists ----------------------------------------------------------------
    def list_items(
        self, node: SyntaxTreeNode, level: int, items: list[ListItem], extracted: list[Block]
    ) -> None:
        """The items of a list (and of the lists nested in it, one level deeper) into ``items``;
        what an item holds that a bullet cannot (code, tables, pictures) into ``extracted``."""
        ordered = node.type == "ordered_list"
        number = int(node.attrs.get("start") or 1) if ordered else 1
        for item in node.children:
            sub = Flow(self.flow.diag, self.flow.path, self.line_of(item))
            walker = _ItemWalker(self, sub, level, extracted)
            walker.walk(item.children)
            runs = self._sub_runs(sub, extracted)
            if runs:
                items.append(ListItem(runs, level, ordered, number))
            number += 1
            items.extend(walker.nested)

    def _sub_runs(self, flow: Flow, extracted: list[Block]) -> tuple[Run, ...]:
        """Runs of a container flow: text blocks joined by breaks, other blocks set aside."""
        runs, apart = blocks_to_runs(flow.finish())
        extracted.extend(apart)
        self.flow.notes.extend(flow.notes)
        return runs

class _ItemWalker(_Walker):
    """The blocks of one list item: its paragraphs (and headings) become the item's text, a
    nested list more items one level deeper; anything else is set aside to follow the list.
    Notes go to the flow of the walker that met the list (``outer``)."""

    def __init__(self, outer: _Walker, flow: Flow, level: int, extracted: list[Block]) -> None:
        super().__init__(flow, outer.body_line)
        self.outer = outer
        self.level = level
        self.extracted = extracted
        self.nested: list[ListItem] = []

    def converter(self, flow: Flow, line: int) -> HtmlConverter:
        return HtmlConverter(flow, line)  # each paragraph of an item has its own

    def heading(self, node: SyntaxTreeNode) -> None:
        self.paragraph(node)

    def bullet_list(self, node: SyntaxTreeNode) -> None:
        self.outer.list_items(node, self.level + 1, self.nested, self.extracted)

    def blockquote(self, node: SyntaxTreeNode) -> None:
        self.apart(node)

    def table(self, node: SyntaxTreeNode) -> None:
        self.apart(node)

    def code(self, node: SyntaxTreeNode) -> None:
        self.extracted.append(_code(node, self.line_of(node)))

    def apart(self, node: SyntaxTreeNode) -> None:
        inner = Flow(self.flow.diag, self.flow.path, self.line_of(node))
        _Walker(inner, self.body_line).walk([node])
        self.extracted.extend(inner.finish())

    def html_block(self, node: SyntaxTreeNode) -> None:
        inner = Flow(self.flow.diag, self.flow.path, self.line_of(node))
        _Walker(inner, self.body_line).walk([node])
        for block in inner.finish():
            if isinstance(block, Paragraph):
                self.flow.add_block(block)
            else:
                self.extracted.append(block)
        self.outer.flow.notes.extend(inner.notes)

    def _sub_runs(self, flow: Flow, extracted: list[Block]) -> tuple[Run, ...]:
        return self.outer._sub_runs(flow, extracted)


def _code(node: SyntaxTreeNode, line: int) -> Code:
    info = node.info.strip()
    return Code(node.content.rstrip("\n"), info.split()[0] if info else "", line)


def _tree(tokens: Sequence[Token]) -> list[SyntaxTreeNode]:
    return SyntaxTreeNode(list(tokens)).children
