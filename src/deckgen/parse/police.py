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
    Deck,
    Embed,
    Heading,
    Image,
    Paragraph,
    Quote,
    Run,
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
        return tuple(
            replace(run, link=self.check(run.link, "link", line)) if run.link is not None else run for run in runs
        )

    def blocks(self, blocks: tuple[Block, ...]) -> tuple[Block, ...]:
        out: list[Block] = []
        for block in blocks:
            out.extend(self.block(block))
        return tuple(out)

    def block(self, block: Block) -> list[Block]:
        line = block.line
        match block:
            case Paragraph() | Heading():
                return [replace(block, runs=self.runs(block.runs, line))]
            case BulletList():
                items = tuple(replace(i, runs=self.runs(i.runs, line)) for i in block.items)
                return [replace(block, items=items)]
            case Quote():
                return [replace(block, paragraphs=tuple(self.runs(p, line) for p in block.paragraphs))]
            case Table():
                rows = tuple(tuple(replace(c, runs=self.runs(c.runs, line)) for c in row) for row in block.rows)
                return [replace(block, rows=rows)]
            case Image():
                url = self.check(block.url, "picture", line)
                link = self.check(block.link, "link", line)
                if url is None:
                    return [Paragraph((Run(block.alt),), line)] if block.alt.strip() else []
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


def police_deck(deck: Deck, policy: UrlPolicy, diag: Diagnostics) -> Deck:
    """``deck`` with every address that ``policy`` refuses dropped (with one warning each), the
    text it carried kept."""
    police = _Police(policy, diag, deck.source)
    slides = tuple(replace(s, title=police.runs(s.title, s.line), blocks=police.blocks(s.blocks)) for s in deck.slides)
    meta = replace(deck.meta, site_url=policy.site_url)
    return replace(deck, meta=meta, abstract=police.blocks(deck.abstract), slides=slides)
