"""The URL policy, applied once to everything a parsed post gave (the parse stage's last step).

Every address of the deck (links, pictures, embeds, posters) is asked of ``UrlPolicy`` once;
a refused one is dropped with one warning ``file:line: URL: why``, the text it carried kept
(an image's alt text, an embed's title, a link's words).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from deckgen.errors import Diagnostics
from deckgen.model import (
    Block,
    BulletList,
    Cell,
    Deck,
    Embed,
    Heading,
    Image,
    ListItem,
    Paragraph,
    Quote,
    Run,
    Slide,
    Table,
)
from deckgen.urlpolicy import DROPPED, UrlKind, UrlPolicy, is_site_path, shown_url


class _Police:
    def __init__(self, policy: UrlPolicy, diag: Diagnostics, path: Path | None) -> None:
        self.policy = policy
        self.diag = diag
        self.path = path
        self._said: set[tuple[int, str]] = set()

    def check(self, url: str | None, kind: UrlKind, line: int) -> str | None:
        if url is None:
            return None
        ok = self.policy.check(url, kind)
        if ok is None:
            self.say(line, f"{shown_url(url)}: {DROPPED}")
        elif kind == "link" and is_site_path(ok) and not self.policy.site_url:
            self.say(
                line,
                f"{shown_url(ok)}: a site path, kept in the HTML deck; the .pptx has no link "
                "(give --site-url, or url in the site's _config.yml)",
            )
        return ok

    def say(self, line: int, message: str) -> None:
        if (line, message) not in self._said:
            self._said.add((line, message))
            self.diag.warn(message, self.path, line)

    def runs(self, runs: tuple[Run, ...], line: int) -> tuple[Run, ...]:
        if not any(r.link for r in runs):
            return runs
        out = []
        for run in runs:
            if run.link is not None:
                link = self.check(run.link, "link", line)
                if link != run.link:
                    run = Run(
                        run.text, run.bold, run.italic, run.strike, run.code, link, run.color, run.token
                    )
            out.append(run)
        return tuple(out)

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in blocks:
            out.extend(self.block(block))
        return tuple(out)

    def block(self, block: Block) -> list[Block]:
        line = block.line
        if isinstance(block, Paragraph):
            return [Paragraph(self.runs(block.runs, line), line)]
        if isinstance(block, Heading):
            return [Heading(block.level, self.runs(block.runs, line), line)]
        if isinstance(block, BulletList):
            items = tuple(
                ListItem(self.runs(i.runs, line), i.level, i.ordered, i.number) for i in block.items
            )
            return [BulletList(items, line)]
        if isinstance(block, Quote):
            return [Quote(tuple(self.runs(p, line) for p in block.paragraphs), line)]
        if isinstance(block, Table):
            rows = tuple(
                tuple(Cell(self.runs(c.runs, line), c.colspan, c.rowspan, c.header) for c in row)
                for row in block.rows
            )
            return [Table(rows, block.header_rows, line)]
        if isinstance(block, Image):
            url = self.check(block.url, "picture", line)
            link = self.check(block.link, "link", line)
            if url is None:
                return [Paragraph((Run(block.alt),), line)] if block.alt.strip() else []
            return [Image(url, block.alt, block.width_hint, link, line, block.asset)]
        if isinstance(block, Embed):
            kind: UrlKind = "video" if block.kind == "video" else "embed"
            live = block.embed_url or block.url
            embed_url = self.check(live, kind, line)
            url = embed_url if block.url == live else self.check(block.url, kind, line)
            if embed_url is None or url is None:
                return [Paragraph((Run(block.title),), line)] if block.title.strip() else []
            poster = self.check(block.poster_url, "picture", line) if block.poster_url else ""
            return [
                Embed(block.kind, url, embed_url, block.title, block.width, block.height, poster or "", line)
            ]
        return [block]


def police_deck(deck: Deck, policy: UrlPolicy, diag: Diagnostics) -> Deck:
    """``deck`` with every address that ``policy`` refuses dropped (with one warning each), the
    text it carried kept."""
    police = _Police(policy, diag, deck.source)
    slides = tuple(
        Slide(police.runs(s.title, s.line), s.title_level, police.blocks(s.blocks), s.notes, s.line)
        for s in deck.slides
    )
    meta = replace(deck.meta, site_url=policy.site_url)
    return Deck(meta, police.blocks(deck.abstract), slides, deck.source)
