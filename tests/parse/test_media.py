"""media: what an address or an HTML attribute says (YouTube ids, video files, iframes, widths)."""

from __future__ import annotations

import pytest

from deckgen.model import Embed, WidthHint
from deckgen.parse.media import attr_value, embed_for, leading_int, parse_width, youtube_id

VID = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "start"),
    [
        (f"https://www.youtube.com/embed/{VID}", 0),
        (f"https://www.youtube.com/embed/{VID}?si=abc&start=30", 30),
        (f"https://www.youtube-nocookie.com/embed/{VID}", 0),
        (f"https://youtu.be/{VID}", 0),
        (f"https://youtu.be/{VID}?t=42", 42),
        (f"https://youtu.be/{VID}?si=xyz&t=1m30s", 90),
        (f"https://www.youtube.com/watch?v={VID}", 0),
        (f"https://www.youtube.com/watch?v={VID}&t=1h2m3s", 3723),
        (f"https://m.youtube.com/watch?feature=share&v={VID}&t=90s", 90),
        (f"https://www.youtube.com/shorts/{VID}", 0),
        (f"//www.youtube.com/embed/{VID}", 0),
        (f"https://www.youtube.com/v/{VID}", 0),
    ],
)
def test_a_youtube_url_in_every_form_gives_the_video_id_and_start(url: str, start: int) -> None:
    assert youtube_id(url) == (VID, start)


@pytest.mark.parametrize(
    "url", ["https://vimeo.com/1234567", "https://www.youtube.com/", "https://x.org/a.png", ""]
)
def test_other_urls_are_no_youtube_video(url: str) -> None:
    assert youtube_id(url) is None


def test_a_youtube_embed_links_the_watch_page_embeds_the_player_and_shows_the_thumbnail() -> None:
    embed = embed_for(f"https://youtu.be/{VID}?t=42", "Title", 640, 360, 7)
    assert embed == Embed(
        "youtube",
        f"https://www.youtube.com/watch?v={VID}&t=42s",
        f"https://www.youtube.com/embed/{VID}?start=42",
        "Title",
        640,
        360,
        f"https://img.youtube.com/vi/{VID}/hqdefault.jpg",
        7,
    )


@pytest.mark.parametrize("url", ["https://x.org/a.mp4", "https://x.org/b.webm", "https://x.org/c.MP4?x=1"])
def test_a_video_file_url_is_a_video_embed(url: str) -> None:
    embed = embed_for(url)
    assert embed is not None
    assert (embed.kind, embed.url, embed.embed_url) == ("video", url, url)


def test_a_picture_url_is_no_embed_unless_it_is_an_iframe() -> None:
    assert embed_for("https://x.org/a.png") is None
    embed = embed_for("https://maps.example.org/x", kind_hint="iframe")
    assert embed is not None and embed.kind == "iframe"


@pytest.mark.parametrize(
    ("given", "kept"),
    [("50%", WidthHint(50, "%")), ("600px", WidthHint(600)), (None, None), ("-5", None), ("1e3", None)],
)
def test_a_width_is_a_positive_number_of_pixels_or_percent(given: str | None, kept: WidthHint | None) -> None:
    assert parse_width(given) == kept


def test_attributes_are_read_as_browsers_forgive_them() -> None:
    attrs: list[tuple[str, str | None]] = [("SRC", "==a.png"), ("alt", None), ("width", " 40px")]
    assert attr_value(attrs, "src") == "a.png"
    assert attr_value(attrs, "alt") == ""
    assert attr_value(attrs, "data-src", "width") == "40px"
    assert attr_value(attrs, "title") is None
    assert (leading_int(" 40px"), leading_int("x"), leading_int(None)) == (40, 0, 0)
