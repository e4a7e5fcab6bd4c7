"""The URL policy, applied once to everything a parsed post gave (the parse stage's last step).

Every address of the deck (links, pictures, embeds, posters) is asked of ``UrlPolicy`` once;
a refused one is dropped with one warning ``file:line: URL: why``, the text it carried kept
(an image's alt text, an embed's title, a link's words).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from deckgen.diagnostics import Code, Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.model.document import (
    Block,
    BulletList,
    Deck,
    Embed,
    Heading,
    Image,
    ListItem,
    Paragraph,
    Quote,
    Run,
    Table,
)
from deckgen.urlpolicy import UrlKind, UrlPolicy, is_site_path, shown_url

_LOOK_AHEAD = 400  # lines after a block's first line searched for the address a warning names


class _Police:
    def __init__(
        self, policy: UrlPolicy, diag: Diagnostics, path: Path | None, body: str = "", body_line: int = 1
    ) -> None:
        self.policy = policy
        self.diag = diag
        self.path = path
        self._said: set[tuple[int, str, str]] = set()
        self._lines = body.split("\n") if body else []
        self._body_line = body_line

    def line_of(self, url: str, line: int) -> int:
        """The post's line that holds ``url``, at or after its block's ``line`` (a paragraph's
        link may sit several lines below where the paragraph starts); else ``line``."""
        start = max(0, line - self._body_line)
        wanted = {url, unquote(url)}
        for index in range(start, min(len(self._lines), start + _LOOK_AHEAD)):
            if any(w and w in self._lines[index] for w in wanted):
                return self._body_line + index
        return line

    def check(self, url: str | None, kind: UrlKind, line: int) -> str | None:
        if url is None:
            return None
        ok = self.policy.check(url, kind)
        if ok is None:
            self.say(self.line_of(url, line), C.URL_DROPPED, shown_url(url))
        elif kind == "link" and is_site_path(ok) and not self.policy.site_url:
            self.say(self.line_of(url, line), C.SITE_PATH_NO_LINK, shown_url(ok))
        return ok

    def say(self, line: int, code: Code, url: str) -> None:
        if (line, code.code, url) not in self._said:
            self._said.add((line, code.code, url))
            self.diag.report(code, self.path, line, url=url)

    def runs(self, runs: tuple[Run, ...], line: int) -> tuple[Run, ...]:
        if not any(r.link for r in runs):
            return runs
        out = tuple(self._run(run, line) for run in runs)
        return runs if all(a is b for a, b in zip(out, runs, strict=True)) else out

    def _item(self, item: ListItem, line: int) -> ListItem:
        runs = self.runs(item.runs, line)
        return item if runs is item.runs else replace(item, runs=runs)

    def _run(self, run: Run, line: int) -> Run:
        if run.link is None:
            return run
        link = self.check(run.link, "link", line)
        return run if link == run.link else replace(run, link=link)

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in blocks:
            out.extend(self.block(block))
        return tuple(out)

    def block(self, block: Block) -> list[Block]:
        line = block.line
        match block:
            case Paragraph() | Heading():
                runs = self.runs(block.runs, line)
                return [block if runs is block.runs else replace(block, runs=runs)]
            case BulletList():
                items = tuple(self._item(i, line) for i in block.items)
                return [block if all(a is b for a, b in zip(items, block.items, strict=True)) else replace(block, items=items)]
            case Quote():
                return [replace(block, paragraphs=tuple(self.runs(p, line) for p in block.paragraphs))]
            case Table():
                rows = tuple(tuple(replace(c, runs=self.runs(c.runs, line)) for c in row) for row in block.rows)
                return [replace(block, rows=rows)]
            case Image():
                url = self.check(block.url, "picture", line)
                link = self.check(block.link, "link", line)
                if url is None:
                    return [Paragraph((Run(block.description),), line)] if block.description.strip() else []
                return [replace(block, url=url, link=link)]
            case Embed():
                kind: UrlKind = "video" if block.kind == "video" else "embed"
                live = block.embed_url or block.url
                embed_url = self.check(live, kind, line)
                url = embed_url if block.url == live else self.check(block.url, kind, line)
                if embed_url is None or url is None:
                    return [Paragraph((Run(block.title),), line)] if block.title.strip() else []
                poster = self.check(block.poster_url, "picture", line) if block.poster_url else ""
                return [replace(block, url=url, embed_url=embed_url, poster_url=poster or "")]
        return [block]


def police_deck(deck: Deck, policy: UrlPolicy, diag: Diagnostics, body: str = "", body_line: int = 1) -> Deck:
    """``deck`` with every address that ``policy`` refuses dropped (with one warning each), the
    text it carried kept. ``body`` (the post's text from ``body_line`` on) lets each warning
    name the line the address is written on."""
    police = _Police(policy, diag, deck.source, body, body_line)
    slides = tuple(replace(s, title=police.runs(s.title, s.line), blocks=police.blocks(s.blocks)) for s in deck.slides)
    meta = replace(deck.meta, site_url=policy.site_url)
    return replace(deck, meta=meta, abstract=police.blocks(deck.abstract), slides=slides)
