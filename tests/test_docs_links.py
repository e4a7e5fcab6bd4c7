"""The documentation's links lead somewhere: README.md and every docs/*.md.

Each page is parsed with markdown-it-py (as GitHub would read it: CommonMark with tables and
strikethrough). Every relative link and picture must name a file or folder that exists, and
every ``#anchor`` (in the page, or ``page.md#anchor``) a heading of the target page, by its
GitHub slug. Web links are checked for their form only: the tests never use the network.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
WEB = ("http", "https")
LINE_ANCHOR = re.compile(r"L\d+(-L\d+)?")  # GitHub's line anchors in a file that is not Markdown


@dataclass(frozen=True)
class Link:
    target: str
    line: int  # 1-based line of the block holding it
    kind: str  # "link" or "picture"


def _parser() -> MarkdownIt:
    return MarkdownIt("commonmark").enable(["table", "strikethrough"])


class _HtmlTargets(HTMLParser):
    """``href`` and ``src`` of raw HTML inside the Markdown (``<a>``, ``<img>``)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is not None and (name, tag) in (("href", "a"), ("src", "img")):
                self.found.append((value, "link" if name == "href" else "picture"))


def _html_links(html: str, line: int) -> list[Link]:
    parser = _HtmlTargets()
    parser.feed(html)
    return [Link(target, line, kind) for target, kind in parser.found]


def links_of(text: str) -> list[Link]:
    """Every link and picture target of a Markdown page."""
    found: list[Link] = []
    for token in _parser().parse(text):
        line = token.map[0] + 1 if token.map else 0
        if token.type == "html_block":
            found.extend(_html_links(token.content, line))
        for child in token.children or []:
            if child.type == "link_open":
                found.append(Link(str(child.attrs.get("href", "")), line, "link"))
            elif child.type == "image":
                found.append(Link(str(child.attrs.get("src", "")), line, "picture"))
            elif child.type == "html_inline":
                found.extend(_html_links(child.content, line))
    return found


def _heading_text(inline: Token) -> str:
    """A heading's text as GitHub renders it: code spans keep their content, markup goes."""
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def slug(text: str) -> str:
    """GitHub's anchor for a heading (github-slugger): lower case, punctuation removed, each
    space a hyphen."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def anchors_of(text: str) -> set[str]:
    """The anchors of a page's headings; a repeated heading gets ``-1``, ``-2``, ... as on GitHub."""
    tokens = _parser().parse(text)
    seen: Counter[str] = Counter()
    anchors: set[str] = set()
    for opening, inline in zip(tokens, tokens[1:]):
        if opening.type != "heading_open":
            continue
        base = slug(_heading_text(inline))
        anchor = base if seen[base] == 0 else f"{base}-{seen[base]}"
        seen[base] += 1
        anchors.add(anchor)
    return anchors


def problems(page: Path, root: Path = ROOT) -> list[str]:
    """What is wrong with the links of ``page``, one line each (empty when nothing is)."""
    text = page.read_text(encoding="utf-8")
    found: list[str] = []
    for link in links_of(text):
        where = f"{page.relative_to(root)}:{link.line}: {link.kind} {link.target!r}"
        parts = urlsplit(link.target)
        if parts.scheme:
            if parts.scheme in WEB:
                if not parts.netloc or any(c.isspace() for c in link.target):
                    found.append(f"{where}: not a well-formed web address")
            elif parts.scheme == "mailto":
                if "@" not in parts.path:
                    found.append(f"{where}: not a mail address")
            else:
                found.append(f"{where}: only http, https and mailto links, or relative ones")
            continue
        if parts.netloc:
            found.append(f"{where}: a host without a scheme")
            continue
        if not parts.path and not parts.fragment:
            found.append(f"{where}: empty target")
            continue
        path = unquote(parts.path)
        if path:
            target = (root / path.lstrip("/")) if path.startswith("/") else (page.parent / path)
            target = target.resolve()
        else:
            target = page
        if not target.exists():
            found.append(f"{where}: no such file")
            continue
        if link.kind == "picture" and not target.is_file():
            found.append(f"{where}: a picture must be a file")
            continue
        if not parts.fragment:
            continue
        anchor = unquote(parts.fragment)
        if target.suffix.lower() == ".md" and target.is_file():
            if anchor not in anchors_of(target.read_text(encoding="utf-8")):
                found.append(f"{where}: no heading with the anchor #{anchor} in {target.name}")
        elif not LINE_ANCHOR.fullmatch(anchor):
            found.append(f"{where}: #{anchor} points into a file that is not Markdown")
    return found


@pytest.mark.parametrize("page", PAGES, ids=[str(p.relative_to(ROOT)) for p in PAGES])
def test_every_link_and_picture_leads_somewhere(page: Path) -> None:
    assert problems(page) == []


def test_the_pages_are_there() -> None:
    assert (ROOT / "docs" / "index.md") in PAGES
    assert len(PAGES) > 2


def test_slugs_are_githubs() -> None:
    text = "# Printing: PDF and handouts\n\n## Writing with `deckgen serve`\n\n## A *b* c\n\n## A b c\n"
    assert anchors_of(text) == {"printing-pdf-and-handouts", "writing-with-deckgen-serve", "a-b-c", "a-b-c-1"}
    assert slug("Where a cold build's CPU goes") == "where-a-cold-builds-cpu-goes"
    assert slug("Dependencies, and why") == "dependencies-and-why"
    assert slug("What a post may contain") == "what-a-post-may-contain"


def test_broken_links_are_found(tmp_path: Path) -> None:
    """The checker is not vacuous: each kind of mistake is reported."""
    (tmp_path / "other.md").write_text("# Other page\n\n## A section\n", encoding="utf-8")
    (tmp_path / "shot.png").write_bytes(b"\x89PNG")
    page = tmp_path / "page.md"
    page.write_text(
        "# Page\n\n"
        "[fine](other.md#a-section) [fine](#page) ![fine](shot.png) [fine](https://example.org/x)\n\n"
        "[gone](missing.md) [bad anchor](other.md#no-such) [bad here](#nowhere)\n\n"
        "![gone](nothing.png) [no host](https:///x) [odd](ftp://example.org/x)\n\n"
        '<img src="absent.png" alt="">\n',
        encoding="utf-8",
    )
    found = problems(page, tmp_path)
    assert len(found) == 7, found
    for target in ("missing.md", "#no-such", "#nowhere", "nothing.png", "https:///x", "absent.png"):
        assert any(target in line for line in found), target
    assert any("only http, https and mailto" in line for line in found)
