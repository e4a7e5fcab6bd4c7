"""Assets put into the model by URL: a whole deck, or one slide."""

from __future__ import annotations

from deckgen.assets.attach import attach, attach_slide, picture_urls
from deckgen.model import Asset, AssetStatus, Deck, Embed, Image, Meta, Paragraph, Run, Slide


def test_pictures_and_posters_get_their_assets_by_url() -> None:
    slide = Slide(
        blocks=(
            Image("http://x/a.png", line=3),
            Embed("youtube", "https://www.youtube.com/watch?v=v", poster_url="http://x/v.jpg", line=4),
            Paragraph((Run("text"),)),
        ),
        line=2,
    )
    assert picture_urls(slide) == {"http://x/a.png", "http://x/v.jpg"}
    known = {"http://x/a.png": Asset("http://x/a.png", AssetStatus.OK, width=4, height=3)}
    one = attach_slide(slide, known)
    image, embed = one.blocks[0], one.blocks[1]
    assert isinstance(image, Image) and image.asset == known["http://x/a.png"]
    assert isinstance(embed, Embed) and embed.poster is None  # not known yet
    deck = attach(Deck(Meta(title="t"), (), (slide,)), known)
    assert deck.slides == (one,)
