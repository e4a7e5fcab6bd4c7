"""The assets stage's results put into the model: each picture and video poster gets its
``Asset`` by URL, a whole deck at once or one slide (the build draws a slide's pictures as
soon as all of them are known)."""

from __future__ import annotations

import dataclasses

from deckgen.model.document import Asset, Block, Deck, Embed, Image, Slide


def attach(deck: Deck, assets: dict[str, Asset]) -> Deck:
    return dataclasses.replace(deck, slides=tuple(attach_slide(s, assets) for s in deck.slides))


def attach_slide(slide: Slide, assets: dict[str, Asset]) -> Slide:
    """``slide`` with the assets of its pictures and video posters (by URL) attached."""

    def fill(block: Block) -> Block:
        if isinstance(block, Image):
            return dataclasses.replace(block, asset=assets.get(block.url))
        if isinstance(block, Embed) and block.poster_url:
            return dataclasses.replace(block, poster=assets.get(block.poster_url))
        return block

    return Slide(slide.title, slide.title_level, tuple(fill(b) for b in slide.blocks), slide.notes, slide.line)


def picture_urls(slide: Slide) -> set[str]:
    """The URLs whose assets ``slide`` needs (those the assets stage collects)."""
    return {
        url
        for block in slide.blocks
        if isinstance(block, Image | Embed) and (url := block.url if isinstance(block, Image) else block.poster_url)
    }


__all__ = ["attach", "attach_slide", "picture_urls"]
