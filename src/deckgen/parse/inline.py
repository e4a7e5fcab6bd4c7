"""The inline content of a heading, paragraph or table cell into a ``Flow``: text and its
emphasis, inline code, links (mended where a reader still sees one that markdown-it left as
text), pictures and embeds, and raw HTML through the ``HtmlConverter``."""

from __future__ import annotations

import re
from urllib.parse import unquote

from markdown_it.token import Token
from markdown_it.tree import SyntaxTreeNode

from deckgen.diagnostics import codes as C
from deckgen.diagnostics.quoting import quote_short
from deckgen.model.document import Image
from deckgen.parse.flow import Flow
from deckgen.parse.htmlconv import HtmlConverter
from deckgen.parse.media import IAL, VIDEO_EXTENSIONS, embed_for, ial_decorative, url_path

_STYLE = {"strong": "bold", "em": "italic", "s": "strike"}
# text markdown-it leaves alone that a reader still takes for a link or an embed
_IMAGE_OPENER = re.compile(r"!\[[^\[\]]*\]\($")  # "![](" right before an <iframe>
_LABEL_AT_END = re.compile(r"\[([^\[\]]+)\]$")  # "[label]" at the end of a line ...
_URL_AT_START = re.compile(r"\(\s*((?:https?://|mailto:)[^\s()]+)\s*\)")  # ... "(url)" on the next
_SPACED_LINK = re.compile(r"\[([^\[\]]+)\]\(([^()\n]*\s[^()\n]*)\)")  # "[label](target with spaces)"
_ABSOLUTE_URL = re.compile(r"\s*(?:https?://|mailto:)", re.I)


def _is_iframe(html: str) -> bool:
    return html.lstrip().lower().startswith("<iframe")


class InlineWalker:
    """The inline half of the Markdown walker (``walker._Walker`` adds the blocks): the runs of
    one token of inline content into a flow."""

    def __init__(self, flow: Flow, body_line: int) -> None:
        self.flow = flow
        self.body_line = body_line
        self.html = HtmlConverter(flow, flow.line)

    def line_of(self, node: SyntaxTreeNode | Token) -> int:
        return (node.map[0] + self.body_line) if node.map else self.flow.line

    def inline_of(self, node: SyntaxTreeNode, flow: Flow) -> None:
        """The inline content of a heading, paragraph or table cell."""
        for child in node.children:
            if child.type == "inline" and child.token is not None:
                self.inline(child.token, flow)

    def converter(self, flow: Flow, line: int) -> HtmlConverter:
        """What the raw HTML of an inline run goes through: the walker's own for its flow."""
        return self.html if flow is self.flow else HtmlConverter(flow, line)

    def inline(self, token: Token, flow: Flow) -> None:
        line = self.line_of(token)
        flow.line = line
        html = self.converter(flow, line)
        children = list(token.children or ())
        close_paren = False  # drop the ")" left by ![](<iframe ...>)
        video_links: list[tuple[str, int]] = []  # links to .mp4/.webm also play as videos
        i = 0
        while i < len(children):
            child = children[i]
            kind = child.type
            flow = html.flow  # an HTML table cell left open by an HTML block gets the text
            if kind == "text":
                content = child.content
                if close_paren and content.lstrip().startswith(")"):
                    content = content.lstrip()[1:]
                close_paren = False
                after = children[i + 1] if i + 1 < len(children) else None
                opener = _IMAGE_OPENER.search(content)
                if opener and after is not None and after.type == "html_inline" and _is_iframe(after.content):
                    # ![](<iframe ...></iframe>): markdown-it sees text, HTML, text; the iframe wins
                    content = content[: opener.start()]
                    close_paren = True
                label = _LABEL_AT_END.search(content)
                target = _URL_AT_START.match(children[i + 2].content) if i + 2 < len(children) else None
                if label and target and after is not None and after.type == "softbreak":
                    # "[label]" and "(url)" on two lines: Jekyll shows both raw; the author meant a link
                    self.text(content[: label.start()], html, flow, line)
                    flow.open_link(target.group(1).strip())
                    self.text(label.group(1), html, flow, line)
                    flow.close_link()
                    line += 1
                    rest = children[i + 2].content[target.end() :]
                    children[i + 2] = Token("text", "", 0, content=rest)
                    i += 2
                    continue
                self.text(content, html, flow, line)
            elif kind == "softbreak":
                line += 1
                flow.line = line
                html.text(" ", line)
            elif kind == "hardbreak":
                line += 1
                flow.line = line
                flow.line_break()
            elif kind.endswith("_open") and kind[:-5] in _STYLE:
                flow.push(_STYLE[kind[:-5]])
            elif kind.endswith("_close") and kind[:-6] in _STYLE:
                flow.pop(_STYLE[kind[:-6]])
            elif kind == "code_inline":
                flow.push("code")
                html.text(child.content, line)
                flow.pop("code")
                line += child.content.count("\n")
            elif kind == "link_open":
                href = str(child.attrs.get("href") or "")
                flow.open_link(href)
                if url_path(href).lower().endswith(VIDEO_EXTENSIONS):
                    video_links.append((href, line))
            elif kind == "link_close":
                flow.close_link()
            elif kind == "image":
                after = children[i + 1] if i + 1 < len(children) else None
                ial = IAL.match(after.content) if after is not None and after.type == "text" else None
                if after is not None and ial is not None:
                    # ![](x.png){: .decorative}: kramdown's attribute list, applied by the site, never shown
                    children[i + 1] = Token("text", "", 0, content=after.content[ial.end() :])
                self.image(child, flow, line, decorative=ial is not None and ial_decorative(ial.group(1)))
            elif kind == "html_inline":
                html.feed_at(child.content, line)
                line += child.content.count("\n")
            i += 1
        if html is not self.html:
            html.close()
        for href, at in video_links:
            embed = embed_for(href, line=at, kind_hint="video")
            if embed is not None:
                flow.add_block(embed)

    def text(self, content: str, html: HtmlConverter, flow: Flow, line: int) -> None:
        """A text token; a link markdown-it refused because its target has spaces is mended."""
        pos = 0
        for m in _SPACED_LINK.finditer(content):
            html.text(content[pos : m.start()], line)
            label, target = m.group(1), m.group(2).strip()
            if _ABSOLUTE_URL.match(target):
                flow.open_link(target.replace(" ", "%20"))
                html.text(label, line)
                flow.close_link()
            else:
                flow.diag.report(
                    C.LINK_NOT_URL,
                    flow.path,
                    line,
                    target=quote_short(target),
                )
                html.text(label, line)
            pos = m.end()
        html.text(content[pos:], line)

    def image(self, token: Token, flow: Flow, line: int, decorative: bool = False) -> None:
        src = str(token.attrs.get("src") or "")
        alt = "".join(c.content for c in token.children or () if c.type in ("text", "code_inline"))
        if not alt.strip():
            alt = str(token.attrs.get("title") or "")  # ![](url "title")
        raw = unquote(src)
        if "iframe" in raw.lower()[:12]:
            # ![](<iframe ... src="...">): the author pasted an embed where a picture goes
            m = re.search(r"src\s*=\s*[\"']?([^\"'\s>]+)", raw)
            embed = embed_for(m.group(1), alt, line=line, kind_hint="iframe") if m else None
            if embed is not None:
                flow.add_block(embed)
            else:
                flow.diag.report(C.EMBED_NO_SRC, flow.path, line)
            return
        embed = embed_for(src, alt, line=line)
        if embed is not None:
            flow.add_block(embed)
            return
        if not src.strip():
            flow.diag.report(C.IMAGE_NO_URL, flow.path, line)
            if alt:
                flow.text(alt)
            return
        flow.add_image(Image(src, alt, None, None, line, decorative=decorative))
