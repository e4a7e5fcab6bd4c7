"""Pictures: their size limits, width hints, grids, placeholders and play badges."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.layout import Context, layout_slide, play_badge, width_hint
from deckgen.model import (
    Asset,
    AssetStatus,
    Embed,
    EmbedFrame,
    Image,
    Paragraph,
    PictureFrame,
    PlaceholderFrame,
    Run,
    Slide,
)
from deckgen.parse.media import parse_width
from support.layoutkit import H, W, inside, picture, title, words


def test_a_lone_picture_gets_at_least_35_percent_of_the_slide(ctx: Context) -> None:
    pages = layout_slide(ctx, Slide(title("Picture"), 2, (picture(),)))
    pic = [f for f in pages[0].frames if isinstance(f, PictureFrame)][0]
    assert pic.box.w * pic.box.h >= 0.35 * W * H
    assert inside(pic.box)
    assert abs(pic.box.w / pic.box.h - 16 / 9) < 0.01


def test_a_small_picture_is_never_enlarged_past_twice_its_pixels(ctx: Context) -> None:
    pages = layout_slide(ctx, Slide(title("Small"), 2, (picture(100, 80),)))
    pic = [f for f in pages[0].frames if isinstance(f, PictureFrame)][0]
    assert pic.box.w <= 2 * 100 * 0.75 + 0.01


def test_width_hints_cap_the_picture_width(ctx: Context) -> None:
    pages = layout_slide(ctx, Slide(title("Hinted"), 2, (picture(hint="50%"),)))
    pic = [f for f in pages[0].frames if isinstance(f, PictureFrame)][0]
    body_w = W - 2 * ctx.margin
    assert pic.box.w <= body_w * 0.5 + 0.01
    pages = layout_slide(ctx, Slide(title("Hinted"), 2, (picture(hint="300"),)))
    pic = [f for f in pages[0].frames if isinstance(f, PictureFrame)][0]
    assert pic.box.w <= 300 * 0.75 + 0.01


def test_two_to_four_pictures_form_a_grid_more_go_to_further_pages(ctx: Context) -> None:
    four = layout_slide(ctx, Slide(title("Four"), 2, tuple(picture(url=f"u{i}") for i in range(4))))
    assert len(four) == 1
    boxes = [f.box for f in four[0].frames if isinstance(f, PictureFrame)]
    assert len(boxes) == 4
    for i, a in enumerate(boxes):
        assert inside(a)
        for b in boxes[i + 1 :]:
            assert (
                a.right <= b.x + 0.01
                or b.right <= a.x + 0.01
                or a.bottom <= b.y + 0.01
                or b.bottom <= a.y + 0.01
            )
    nine = layout_slide(ctx, Slide(title("Nine"), 2, tuple(picture(url=f"u{i}") for i in range(9))))
    assert len(nine) >= 3
    assert sum(1 for p in nine for f in p.frames if isinstance(f, PictureFrame)) == 9


def test_a_failed_picture_becomes_a_placeholder_with_its_url(ctx: Context) -> None:
    failed = Image(
        "http://x/dead.png",
        "",
        None,
        None,
        3,
        Asset("http://x/dead.png", AssetStatus.FAILED, reason="HTTP 404"),
    )
    frames = layout_slide(ctx, Slide(title("Dead"), 2, (failed,)))[0].frames
    ph = [f for f in frames if isinstance(f, PlaceholderFrame)][0]
    assert ph.url == "http://x/dead.png" and "HTTP 404" in ph.reason


@pytest.mark.parametrize(
    "hint", ["-50", "0", "0%", "-10%", "abc", "", "  ", "nan", "inf", "50%%", "1e3", "px", "%"]
)
def test_a_width_hint_that_is_not_a_positive_size_is_ignored(ctx: Context, hint: str) -> None:
    assert width_hint(parse_width(hint), 864.0) is None
    plain = layout_slide(ctx, Slide(title("Hint"), 2, (picture(),)))[0].frames
    hinted = layout_slide(ctx, Slide(title("Hint"), 2, (picture(hint=hint),)))[0].frames
    assert [f.box for f in hinted] == [f.box for f in plain]


@pytest.mark.parametrize(
    ("hint", "cap"), [("50%", 432.0), (" 25 % ", 216.0), ("600", 450.0), ("600px", 450.0), ("80.5PX", 60.375)]
)
def test_positive_numbers_and_percentages_cap_the_width(ctx: Context, hint: str, cap: float) -> None:
    assert width_hint(parse_width(hint), 864.0) == pytest.approx(cap)
    (pic,) = [f for f in layout_slide(ctx, Slide(title("Hint"), 2, (picture(hint=hint),)))[0].frames]
    assert isinstance(pic, PictureFrame)
    assert 0 < pic.box.w <= cap + 0.01 and pic.box.h > 0 and inside(pic.box)


@pytest.mark.parametrize("hint", ["-50", "0", "abc", "50%", "600px", "-1%", "0.0001", "100000", "1000%"])
@pytest.mark.parametrize("size", [(1600, 900), (1, 1), (0, 0), (5000, 10)])
def test_no_picture_box_is_ever_empty_or_off_the_slide(
    ctx: Context, hint: str, size: tuple[int, int]
) -> None:
    blocks = (Paragraph((Run(words(20)),)), picture(*size, hint=hint), picture(*size, hint=hint, url="u2"))
    for frames in [p.frames for p in layout_slide(ctx, Slide(title("Pictures"), 2, blocks))]:
        for f in frames:
            assert f.box.w > 0 and f.box.h > 0, f
            assert inside(f.box), f


def test_a_video_poster_gets_a_centred_square_play_badge(ctx: Context) -> None:
    poster = Asset(
        "http://x/t.jpg",
        AssetStatus.OK,
        Path("/tmp/t.jpg"),
        480,
        360,
        "jpeg",
        source_width=480,
        source_height=360,
    )
    embed = Embed(
        "youtube", "https://youtu.be/x", "https://www.youtube.com/embed/x", "A video", poster=poster
    )
    (frame,) = layout_slide(ctx, Slide(title("Video"), 2, (embed,)))[0].frames
    assert isinstance(frame, EmbedFrame) and isinstance(frame.fallback, PictureFrame)
    assert frame.fallback.play_badge is not None
    badge = frame.fallback.play_badge.box
    assert badge == frame.play.box == play_badge(frame.box)
    assert badge.w == badge.h == pytest.approx(0.22 * min(frame.box.w, frame.box.h))
    assert badge.x + badge.w / 2 == pytest.approx(frame.box.x + frame.box.w / 2)
    assert badge.y + badge.h / 2 == pytest.approx(frame.box.y + frame.box.h / 2)
    # without a poster: a placeholder in the .pptx, still a play button in the HTML deck
    bare = Embed("iframe", "https://x.org/page", "https://x.org/page", "A page")
    (frame,) = layout_slide(ctx, Slide(title("Page"), 2, (bare,)))[0].frames
    assert isinstance(frame, EmbedFrame) and isinstance(frame.fallback, PlaceholderFrame)
    assert frame.play.box.w <= play_badge(frame.box).w  # beside the placeholder's text (tests/layout/test_style.py)
