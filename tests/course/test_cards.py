"""course/cards.py: each deck's card, drawn by the build that writes the deck: the title slide
through the PDF writer and PDFium, the deck's first picture in the room under the title
slide's text, and the record a later build reads when the decks are current."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from deckgen.assets.resolve import AssetOptions
from deckgen.course import cards
from deckgen.course.cards import (
    CARD_WIDTH,
    Card,
    card_current,
    card_page,
    first_picture,
    post_date,
    read_card,
)
from deckgen.diagnostics import codes as C
from deckgen.model.document import Asset, AssetStatus, Meta
from deckgen.model.laidout import Box, LaidDeck, Page, PictureFrame, TextFrame
from deckgen.options import BuildOptions
from deckgen.pipeline import run_post
from support.sitekit import POSTS, RED, make_site


def options(tmp_path: Path, **kw: object) -> BuildOptions:
    pictures = AssetOptions(offline=True, cache_dir=tmp_path / "cache")
    return BuildOptions(out_dir=tmp_path / "out", formats=("pptx",), course_card=True, pictures=pictures, **kw)  # type: ignore[arg-type]


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path / "site")


# ---------------------------------------------------------------------------
# the decision, on hand-made pages


def picture(url: str, box: Box, w: int = 400, h: int = 300, ok: bool = True) -> PictureFrame:
    status = AssetStatus.OK if ok else AssetStatus.FAILED
    return PictureFrame(box, Asset(url, status, Path("/x.png") if ok else None, w, h, "png"))


def deck(title_frames: tuple, *pages: Page) -> LaidDeck:
    title = Page("title", title_frames, TextFrame(Box(0, 100, 960, 96), ()))
    return LaidDeck(Meta(title="T"), (title, *pages), 960.0, 540.0)


def test_the_first_picture_passes_over_the_logo_failed_pictures_and_icons() -> None:
    logo = picture("logo.png", Box(880, 10, 60, 40))
    icon = picture("icon.png", Box(10, 10, 40, 40))
    failed = picture("gone.png", Box(100, 100, 500, 300), ok=False)
    photo = picture("photo.png", Box(100, 100, 500, 300))
    laid = deck((logo,), Page("content", (logo, icon, failed)), Page("content", (logo, photo)))
    assert first_picture(laid) == photo
    assert first_picture(deck((logo,), Page("content", (logo, icon)))) is None


def test_the_picture_goes_right_aligned_into_the_room_under_the_text() -> None:
    text = TextFrame(Box(48, 230, 864, 60), ())
    photo = picture("photo.png", Box(100, 100, 500, 300), w=400, h=300)
    page = card_page(deck((text,), Page("content", (photo,))))
    assert page is not None
    inset = page.frames[-1]
    assert isinstance(inset, PictureFrame) and inset.asset == photo.asset
    box = inset.box
    assert box.y >= 290 and box.y + box.h <= 540  # under the text, on the slide
    assert box.x + box.w == pytest.approx(960 - 0.04 * 960)  # right-aligned
    assert box.w / box.h == pytest.approx(400 / 300)  # its own shape


def test_no_room_under_the_text_leaves_the_title_slide_as_it_is() -> None:
    text = TextFrame(Box(48, 230, 864, 250), ())
    photo = picture("photo.png", Box(100, 100, 500, 300))
    laid = deck((text,), Page("content", (photo,)))
    assert card_page(laid) == laid.pages[0]
    assert card_page(replace(laid, pages=())) is None


def test_a_card_shows_the_front_matters_date_else_the_posts_name() -> None:
    assert post_date("2024-05-06 10:00:00 +0800", Path("2023-01-01-x.md")) == "2024-05-06"
    assert post_date("", Path("2023-01-01-x.md")) == "2023-01-01"
    assert post_date("next monday", Path("notes.md")) == ""
    assert post_date("2024-02-30", Path("2024-13-01-x.md")) == ""


# ---------------------------------------------------------------------------
# drawn by the build


def test_a_build_draws_the_title_slide_with_the_first_picture_and_records_the_card(site: Path, tmp_path: Path) -> None:
    post = site / "_posts" / f"{POSTS[0].stem}.md"
    record = run_post(post, options(tmp_path))
    out = tmp_path / "out"
    card = read_card(out, post)
    assert card == Card("2024-03-01", ("vision", "ai"), f"{post.stem}.card.webp")
    assert record.warnings == ()
    with Image.open(out / card.picture) as image:
        assert image.format == "WEBP" and image.size == (CARD_WIDTH, CARD_WIDTH * 9 // 16)
        rgb = image.convert("RGB")
        # the picture, in the lower right; the theme's band (its accent) across the top third
        lower_right = rgb.getpixel((int(CARD_WIDTH * 0.85), int(image.height * 0.8)))
        assert all(abs(a - b) < 40 for a, b in zip(lower_right, RED))
        band = rgb.getpixel((CARD_WIDTH - 8, int(image.height * 0.27)))
        assert all(abs(a - b) < 40 for a, b in zip(band, (0x15, 0x65, 0xC0)))


def test_a_deck_without_pictures_has_its_title_slide_alone(site: Path, tmp_path: Path) -> None:
    post = site / "_posts" / f"{POSTS[2].stem}.md"
    run_post(post, options(tmp_path))
    card = read_card(tmp_path / "out", post)
    assert card is not None and card.picture
    with Image.open(tmp_path / "out" / card.picture) as image:
        lower_right = image.convert("RGB").getpixel((int(CARD_WIDTH * 0.85), int(image.height * 0.8)))
    assert lower_right == pytest.approx((255, 255, 255), abs=8)


def test_a_card_that_cannot_be_drawn_is_said_and_the_decks_stand(
    site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kw: object) -> bytes:
        raise ValueError("no pixels today")

    monkeypatch.setattr(cards, "draw_card", broken)
    post = site / "_posts" / f"{POSTS[0].stem}.md"
    record = run_post(post, options(tmp_path))
    assert [d.code for d in record.warnings] == [C.CARD_NOT_DRAWN.code]
    assert dict(record.warnings[0].facts)["reason"] == "ValueError: no pixels today"
    assert (tmp_path / "out" / f"{post.stem}.pptx").is_file()
    assert read_card(tmp_path / "out", post) == Card("2024-03-01", ("vision", "ai"), "")
    assert card_current(tmp_path / "out", post)  # said once: not drawn again until the post changes


def test_decks_found_current_without_their_card_are_built_again(site: Path, tmp_path: Path) -> None:
    post = site / "_posts" / f"{POSTS[0].stem}.md"
    opts = options(tmp_path, incremental=True)
    run_post(post, opts)
    assert run_post(post, opts).up_to_date
    card = read_card(tmp_path / "out", post)
    assert card is not None
    (tmp_path / "out" / card.picture).unlink()  # deleted, or a folder built before cards
    assert not card_current(tmp_path / "out", post)
    again = run_post(post, opts)
    assert not again.up_to_date and (tmp_path / "out" / card.picture).is_file()
    assert run_post(post, opts).up_to_date
    # without cards asked for (a build of one post), a missing card changes nothing
    (tmp_path / "out" / card.picture).unlink()
    assert run_post(post, replace(opts, course_card=False)).up_to_date


def test_an_unreadable_card_record_is_no_card(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    path = cards.card_json(tmp_path, post)
    path.parent.mkdir(parents=True)
    for text in ("{", "[]", json.dumps({"picture": "../../etc/passwd"})):
        path.write_text(text, "utf-8")
        card = read_card(tmp_path, post)
        assert card is None or card.picture == ""


def test_draw_card_is_a_webp_of_the_asked_width(site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, object] = {}
    real = cards.draw_card

    def spy(*args: object, **kw: object) -> bytes:
        data = real(*args, width=320)  # type: ignore[arg-type]
        seen["data"] = data
        return data

    monkeypatch.setattr(cards, "draw_card", spy)
    run_post(site / "_posts" / f"{POSTS[1].stem}.md", options(tmp_path))
    with Image.open(io.BytesIO(seen["data"])) as image:  # type: ignore[arg-type]
        assert image.size == (320, 180)


def test_the_card_leaves_the_qr_code_out(site: Path, tmp_path: Path) -> None:
    """The course page is on the site already, and a code on a card that size reads badly."""
    from support.writerkit import qr

    code = qr()
    laid = deck((TextFrame(Box(48, 230, 864, 50), ()), code))
    assert code in laid.pages[0].frames
    shown = card_page(laid)
    assert shown is not None and code not in shown.frames and len(shown.frames) == 1
    post = site / "_posts" / f"{POSTS[2].stem}.md"
    record = run_post(post, options(tmp_path, site_url="https://example.org/course"))
    assert record.warnings == ()
    with zipfile.ZipFile(tmp_path / "out" / f"{post.stem}.pptx") as pptx:
        assert b'name="QR code"' in pptx.read("ppt/slides/slide1.xml")  # the deck has it
    card = read_card(tmp_path / "out", post)
    assert card is not None and card.picture
    with Image.open(tmp_path / "out" / card.picture) as image:
        rgb = image.convert("RGB")
        scale = image.width / 960
        corner = rgb.crop((int(780 * scale), int(400 * scale), int(930 * scale), int(520 * scale)))
        assert corner.getextrema() == ((255, 255), (255, 255), (255, 255))  # white: no code
