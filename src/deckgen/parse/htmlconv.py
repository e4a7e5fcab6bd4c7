"""Raw HTML inside a post (``<br>``, ``<img>``, ``<iframe>``, ``<table>``, ...) into the model.

``HtmlConverter`` is an ``html.parser`` handler that writes into a ``Flow``. It is fed
either a whole HTML block or, piece by piece, the inline HTML of a paragraph; its state
(open links, bold, an open table) carries across the pieces.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from deckgen.diagnostics import Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.model.document import (
    MAX_COLSPAN,
    Block,
    BulletList,
    Code,
    Embed,
    Heading,
    Image,
    ListItem,
)
from deckgen.parse.flow import Flow
from deckgen.parse.htmltable import TableState
from deckgen.parse.htmltags import BLOCK_BREAK, DROP_CONTENT, STYLE_TAGS, TRANSPARENT, WIDTH_ATTRS
from deckgen.parse.media import attr_value, embed_for, img_decorative, leading_int, parse_width, video_title

MAX_ROWSPAN = 65534  # what browsers clip a rowspan to


class _ListState:
    """An open HTML list (with the lists nested in it)."""

    def __init__(self, flow: Flow, line: int) -> None:
        self.flow = flow  # the flow the list stands in; its pending runs are the open item
        self.line = line
        self.levels: list[list[int]] = []  # per nesting level: [ordered, number of the open item]
        self.items: list[ListItem] = []
        self.held: list[Block] = []  # pictures, tables ... inside items: shown after the list


class HtmlConverter(HTMLParser):
    """Feeds HTML into a Flow. ``base_line`` is the post line of the first fed line."""

    def __init__(self, flow: Flow, base_line: int) -> None:
        super().__init__(convert_charrefs=True)
        self.root = flow
        self.base_line = base_line
        self.diag: Diagnostics = flow.diag
        self._tables: list[TableState] = []
        self._cell: Flow | None = None
        self._drop_depth = 0
        self._video: dict[str, str | int] | None = None
        self._list: _ListState | None = None
        self._heading: int = 0
        self._pre: list[str] | None = None  # the text of an open <pre>
        self._pre_lang = ""
        self._pre_line = 0
        self._line_offset = base_line - 1

    # the flow text goes to: the open table cell, else the root
    @property
    def flow(self) -> Flow:
        return self._cell if self._cell is not None else self.root

    def feed_at(self, data: str, line: int) -> None:
        """Feed a fragment that starts on post line ``line``."""
        self._line_offset = line - self.getpos()[0]
        self.feed(data)

    def _line(self) -> int:
        return self.getpos()[0] + self._line_offset

    # -- events -------------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, closed=True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], closed: bool) -> None:
        flow = self.flow
        flow.line = self._line()
        if self._pre is not None:
            # inside <pre> only line breaks and a language (<code class="language-x">) count
            if tag == "br":
                self._pre.append("\n")
            elif tag == "code":
                m = re.search(r"(?:language|lang)-([\w+#-]+)", attr_value(attrs, "class") or "")
                self._pre_lang = m.group(1) if m else self._pre_lang
            return
        if tag in DROP_CONTENT:
            if not closed:
                self._drop_depth += 1
            return
        if tag == "br":
            flow.line_break()
        elif tag in STYLE_TAGS:
            flow.push(STYLE_TAGS[tag])
        elif tag == "a":
            flow.open_link(attr_value(attrs, "href"))
        elif tag == "img":
            src = attr_value(attrs, "src", "data-src")
            if not src:
                self.diag.report(C.IMG_NO_SRC, flow.path, flow.line)
                return
            width = parse_width(attr_value(attrs, *WIDTH_ATTRS))
            alt = attr_value(attrs, "alt")
            description = alt or attr_value(attrs, "title") or ""
            embed = embed_for(src, description, line=flow.line)
            image = Image(src, description, width or None, None, flow.line, decorative=img_decorative(attrs, alt))
            self._add(embed if embed is not None else image)
        elif tag == "iframe":
            src = attr_value(attrs, "src", "data-src") or ""
            embed = embed_for(
                src,
                attr_value(attrs, "title") or "",
                leading_int(attr_value(attrs, *WIDTH_ATTRS)),
                leading_int(attr_value(attrs, "height")),
                flow.line,
                kind_hint="iframe",
            )
            if embed is None:
                self.diag.report(C.IFRAME_NO_SRC, flow.path, flow.line)
            else:
                self._add(embed)
        elif tag == "video" or tag == "audio":
            self._video = {
                "src": attr_value(attrs, "src") or "",
                "poster": attr_value(attrs, "poster") or "",
                "width": leading_int(attr_value(attrs, *WIDTH_ATTRS)),
                "height": leading_int(attr_value(attrs, "height")),
                "line": flow.line,
            }
            if closed:
                self._end_video()
        elif tag == "source":
            src = attr_value(attrs, "src", "srcset") or ""
            if self._video is not None:
                if not self._video["src"]:
                    self._video["src"] = src
            elif src:
                embed = embed_for(src, line=flow.line, kind_hint="video")
                if embed is not None:
                    self._add(embed)
        elif tag == "table":
            self._end_text()
            self._tables.append(TableState(flow.line))
        elif tag == "tr" and self._tables:
            self._close_cell()
            self._tables[-1].rows.append([])
        elif tag in ("td", "th") and self._tables:
            self._close_cell()
            table = self._tables[-1]
            if not table.rows:
                table.rows.append([])
            cell = Flow(self.diag, self.root.path, flow.line)
            table.rows[-1].append(
                (
                    cell,
                    min(MAX_COLSPAN, max(1, leading_int(attr_value(attrs, "colspan")) or 1)),
                    min(MAX_ROWSPAN, max(1, leading_int(attr_value(attrs, "rowspan")) or 1)),
                    tag == "th",
                )
            )
            self._cell = cell
        elif tag in ("ul", "ol"):
            if self._list is None:
                flow.end_paragraph()
                self._list = _ListState(flow, flow.line)
            else:
                self._flush_item()  # the text so far belongs to the item the list is in
            start = leading_int(attr_value(attrs, "start")) if tag == "ol" and attr_value(attrs, "start") else 1
            self._list.levels.append([tag == "ol", start - 1])
        elif tag == "li":
            if self._list is not None and self._list.levels:
                self._flush_item()  # an open <li> before this one ends here
                self._list.levels[-1][1] += 1
        elif re.fullmatch(r"h[1-6]", tag):
            if self._in_list():
                flow.soft_break()
            else:
                flow.end_paragraph()
                self._heading = int(tag[1])
        elif tag == "pre":
            self._end_text()
            self._pre, self._pre_lang, self._pre_line = [], "", flow.line
        elif tag in BLOCK_BREAK:
            self._end_text()
        elif tag in TRANSPARENT or tag in ("tr", "td", "th", "li"):
            pass
        elif self._video is not None:
            # a mistyped <source> inside <video> (seen: <src="...mp4">): take its URL
            m = re.search(r"(?:https?:)?//[^\"'\s>]+", self.get_starttag_text() or "")
            if m and not self._video["src"]:
                self._video["src"] = m.group(0)
        else:
            self.diag.report(C.UNKNOWN_TAG, flow.path, flow.line, tag=tag)

    def handle_endtag(self, tag: str) -> None:
        flow = self.flow
        flow.line = self._line()
        if self._pre is not None:
            if tag == "pre":
                self._end_pre()
            return
        if tag in DROP_CONTENT:
            self._drop_depth = max(0, self._drop_depth - 1)
        elif tag in STYLE_TAGS:
            flow.pop(STYLE_TAGS[tag])
        elif tag == "a":
            flow.close_link()
        elif tag in ("video", "audio"):
            self._end_video()
        elif tag in ("td", "th"):
            self._close_cell()
        elif tag == "table" and self._tables:
            self._close_cell()
            self._emit_table(self._tables.pop())
        elif tag == "li" and self._list is not None:
            self._flush_item()
        elif tag in ("ul", "ol") and self._list is not None:
            self._flush_item()
            if self._list.levels:
                self._list.levels.pop()
            if not self._list.levels:
                self._end_list()
        elif re.fullmatch(r"h[1-6]", tag) and self._heading:
            runs = flow.take_runs()
            if runs:
                flow.add_block(Heading(self._heading, runs, flow.line))
            self._heading = 0
        elif re.fullmatch(r"h[1-6]", tag) and self._in_list():
            flow.soft_break()
        elif tag in BLOCK_BREAK:
            self._end_text()

    def handle_data(self, data: str) -> None:
        if self._drop_depth:
            return
        if self._pre is not None:
            self._pre.append(data)
            return
        if self._video is not None:
            self._video_text(data)
            return
        if self._tables and self._cell is None:
            if data.strip():
                self.diag.report(C.TABLE_STRAY_TEXT, self.root.path, self._line())
                self._tables[-1].stray.append(data)
            return
        self.flow.line = self._line()
        self.flow.text(data, collapse=True)

    def text(self, data: str, line: int) -> None:
        """Text of a Markdown token, which may sit inside an element this converter holds open.

        In a paragraph, ``<video><source src==...></video>`` or ``<script>...</script>`` come
        as inline HTML tokens around *text* tokens (markdown-it does not take the malformed
        tag for HTML): that text belongs to the open element, not to the slide."""
        if self._drop_depth:
            return
        if self._video is not None:
            self._video_text(data)
            return
        flow = self.flow
        flow.line = line
        flow.text(data)

    def _video_text(self, data: str) -> None:
        """Text inside <video>: what browsers without video show, kept as its title; a
        mistyped source tag in it (``<src="...mp4">``, ``<source src==...>``) gives the URL."""
        video = self._video
        assert video is not None

        def take_url(m: re.Match[str]) -> str:
            url = re.search(r"(?:https?:)?//[^\"'\s>]+", m.group(0))
            if url and not video["src"]:
                video["src"] = url.group(0)
            return " "

        data = re.sub(r"<[^<>]*>", take_url, data)
        video["title"] = " ".join((str(video.get("title", "")) + " " + data).split())

    def handle_comment(self, data: str) -> None:
        self.root.note(data)

    # -- helpers ------------------------------------------------------------
    def _in_list(self) -> bool:
        """Is the text now going to an item of an open list (not to a table cell in it)?"""
        return self._list is not None and self.flow is self._list.flow

    def _add(self, block: Block) -> None:
        """A picture, an embed, a table or code: into the flow, or held until an open list ends."""
        flow = self.flow
        if isinstance(block, Image):
            block = flow.linked(block)
        if self._in_list():
            assert self._list is not None
            self._list.held.append(block)
        else:
            flow.add_block(block)

    def _end_text(self) -> None:
        """A block boundary: ends the paragraph, or, inside a list item, the line."""
        if self._in_list():
            self.flow.soft_break()
        else:
            self.flow.end_paragraph()

    def _flush_item(self) -> None:
        lst = self._list
        if lst is None:
            return
        runs = lst.flow.take_runs()
        if not runs:
            return
        if lst.levels:
            ordered, number = lst.levels[-1]
            lst.items.append(ListItem(runs, len(lst.levels) - 1, bool(ordered), max(number, 1)))
        else:
            lst.items.append(ListItem(runs))

    def _end_list(self) -> None:
        lst, self._list = self._list, None
        if lst is None:
            return
        if lst.items:
            lst.flow.add_block(BulletList(tuple(lst.items), lst.line))
        for block in lst.held:
            lst.flow.add_block(block)

    def _end_pre(self) -> None:
        text = "".join(self._pre or ()).strip("\n")
        self._pre = None
        if text.strip():
            self._add(Code(text, self._pre_lang, self._pre_line))

    def _end_video(self) -> None:
        video, self._video = self._video, None
        if not video:
            return
        src = str(video["src"])
        if not src:
            self.diag.report(C.VIDEO_NO_SOURCE, self.root.path, int(video["line"]))
            return
        embed = embed_for(
            src,
            video_title(str(video.get("title", ""))),
            int(video["width"]),
            int(video["height"]),
            int(video["line"]),
            kind_hint="video",
        )
        if embed is not None:
            if video["poster"]:
                embed = Embed(
                    embed.kind,
                    embed.url,
                    embed.embed_url,
                    embed.title,
                    embed.width,
                    embed.height,
                    str(video["poster"]),
                    embed.line,
                )
            self._add(embed)

    def _close_cell(self) -> None:
        if self._cell is not None:
            self._cell.end_paragraph()
            self._cell = None

    def _emit_table(self, state: TableState) -> None:
        table, extracted = state.blocks()
        if table is not None:
            self._add(table)
        for block in extracted:
            self._add(block)
        for data in state.stray:
            self.flow.text(data, collapse=True)
        if state.stray:
            self._end_text()

    def close(self) -> None:
        super().close()
        while self._tables:
            self._close_cell()
            self._emit_table(self._tables.pop())
        if self._video is not None:
            self._end_video()
        if self._pre is not None:
            self._end_pre()
        if self._list is not None:
            self._flush_item()
            self._end_list()
