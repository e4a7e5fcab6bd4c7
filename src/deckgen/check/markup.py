"""Markdown the reader will see raw: unmatched ``**``, links the parser did not take, tags
that are not HTML, Liquid and comments never closed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from markdown_it.token import Token

from deckgen.check.links import link_problem
from deckgen.diagnostics import Code, Diagnostic
from deckgen.diagnostics import codes as C
from deckgen.diagnostics.quoting import quote_short
from deckgen.parse.walker import markdown

_UNPARSED_LINK = re.compile(r"!?\[([^\[\]]*)\]\(((?:[^()\s]|\([^()\s]*\))*)\)?")
_LABEL_AT_END = re.compile(r"!?\[[^\[\]]+\]\s*$")
_STRONG_US = re.compile(r"(?:^|(?<=[\s\W]))__|__(?=[\s\W]|$)")
_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I | re.S)


class _Scanner:
    def __init__(self, path: Path, body_line: int) -> None:
        self.path = path
        self.body_line = body_line
        self.found: list[Diagnostic] = []

    def add(self, line: int, code: Code, **facts: object) -> None:
        self.found.append(code(self.path, line, **facts))

    def link(self, line: int, url: str) -> None:
        problem = link_problem(url)
        if problem is not None:
            self.add(line, problem[0], **problem[1])

    def tokens(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            line = self.body_line + (token.map[0] if token.map else 0)
            if token.type == "inline":
                self.inline(token, line)
            elif token.type == "html_block":
                self.html(token.content, line, block=True)

    def html(self, content: str, line: int, block: bool) -> None:
        for m in _HREF.finditer(content):
            href = next(g for g in m.groups() if g is not None)
            self.link(line + content.count("\n", 0, m.start()), href)
        if block and content.lstrip().startswith("<!--") and "-->" not in content:
            self.add(line, C.COMMENT_UNCLOSED)

    def inline(self, token: Token, line: int) -> None:
        children = list(token.children or ())
        for i, child in enumerate(children):
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                line += 1
            elif kind == "html_inline":
                self.html(child.content, line, block=False)
                line += child.content.count("\n")
            elif kind == "link_open":
                self.link(line, str(child.attrs.get("href") or ""))
            elif kind == "text":
                after = children[i + 1] if i + 1 < len(children) else None
                following = children[i + 2] if i + 2 < len(children) else None
                self.text(child.content, line, after, following)

    def text(self, content: str, line: int, after: Token | None, following: Token | None) -> None:
        if "**" in content:
            self.add(line, C.STRONG_UNMATCHED)
        elif _STRONG_US.search(content):
            self.add(line, C.UNDERSCORE_UNMATCHED)
        if "`" in content:
            self.add(line, C.BACKTICK_UNMATCHED)
        if "<!--" in content:
            self.add(line, C.COMMENT_SHOWN)
        split = (
            _LABEL_AT_END.search(content)
            and after is not None
            and after.type == "softbreak"
            and following is not None
            and following.type == "text"
            and following.content.lstrip().startswith("(")
        )
        if split:
            self.add(line, C.LINK_SPLIT)
        for m in _UNPARSED_LINK.finditer(content):
            target = m.group(2)
            problem = link_problem(target) if target and m.group(0).endswith(")") else None
            if problem is not None and problem[0] is C.LINK_UNSAFE:
                self.add(line, problem[0], **problem[1])
                continue
            what = "picture" if m.group(0).startswith("!") else "link"
            self.add(line, C.LINK_UNPARSED, what=what, text=quote_short(m.group(0)))


# HTML's element names: a tag deckgen drops but a browser shows is no mistake of the post
_HTML_ELEMENTS = set(
    """a abbr acronym address area article aside audio b base bdi bdo big blink blockquote body br
    button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir
    div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6
    head header hgroup hr html i iframe img input ins kbd label legend li link main map mark marquee
    menu meta meter nav nobr noscript object ol optgroup option output p param picture pre progress q
    rp rt ruby s samp script search section select slot small source span strike strong style sub
    summary sup table tbody td template textarea tfoot th thead time title tr track tt u ul var video
    wbr math svg""".split()
)


def check_markup(path: Path, body: str, body_line: int, said: Sequence[Diagnostic]) -> list[Diagnostic]:
    """Raw-markup and link findings of a post's body (Liquid already evaluated); ``said`` is
    what reading and parsing the post reported (a Liquid tag never closed, a dropped tag)."""
    scanner = _Scanner(path, body_line)
    scanner.tokens(markdown().parse(body))
    for found in said:
        if found.code == C.LIQUID_UNCLOSED.code:
            scanner.found.append(found)
        elif found.code == C.UNKNOWN_TAG.code and found.get("tag").lower() not in _HTML_ELEMENTS:
            scanner.add(found.line or 1, C.NOT_HTML_TAG, tag=found.get("tag"))
    return scanner.found


__all__ = ["check_markup"]
