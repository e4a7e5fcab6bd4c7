"""layout/qrcode.py and the title page around it: the deck's address as a QR code in a bottom
corner of the title slide, 2.5 cm or more, its address in words beside it, overlapping
nothing; none without the site's address or with the theme's key off."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image as PILImage

from deckgen.layout import Context, layout_deck
from deckgen.layout.qrcode import QR_SIDE, qr_frame, qr_zone, short_address
from deckgen.measure import TableMeasurer
from deckgen.model import (
    Asset,
    AssetStatus,
    Box,
    Deck,
    Meta,
    Page,
    Paragraph,
    PictureFrame,
    QrFrame,
    Run,
    TextFrame,
)
from deckgen.qr import QUIET_ZONE, qr_code
from deckgen.theme import load_theme
from support.layoutkit import inside, words

ADDRESS = "https://example.org/course/slides/2024-08-03-CNN/"
CM = 72 / 2.54  # points in a centimetre


def overlap(a: Box, b: Box) -> bool:
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def title_page(ctx: Context, meta: Meta, abstract: str = "") -> Page:
    paras = (Paragraph((Run(abstract),)),) if abstract else ()
    return layout_deck(Deck(meta, paras, ()), ctx.theme, ctx.measure).pages[0]


def qr_of(page: Page) -> QrFrame | None:
    found = [f for f in page.frames if isinstance(f, QrFrame)]
    assert len(found) <= 1
    return found[0] if found else None


def test_the_short_address_leaves_out_the_scheme_and_the_closing_slash() -> None:
    assert short_address(ADDRESS) == "example.org/course/slides/2024-08-03-CNN"
    assert short_address("http://example.org/a%20b/") == "example.org/a b"


def test_the_code_is_at_least_2_5_cm_in_the_bottom_right_corner(ctx: Context) -> None:
    frame = qr_frame(ctx, ADDRESS)
    assert frame is not None and frame.address == ADDRESS and frame.alt == f"QR code: {ADDRESS}"
    assert frame.modules == qr_code(ADDRESS).rows
    n = len(frame.modules)
    assert frame.box.w == frame.box.h == pytest.approx(frame.module * n)
    dark = frame.module * (n - 2 * QUIET_ZONE)  # the code without its quiet zone
    assert dark == pytest.approx(QR_SIDE) and dark >= 2.5 * CM
    quiet = frame.module * QUIET_ZONE
    # its dark modules end at the text's right margin and the content's bottom
    assert frame.box.right - quiet == pytest.approx(ctx.w - ctx.margin)
    assert frame.box.bottom - quiet == pytest.approx(ctx.h - 36)
    assert inside(frame.box) and inside(frame.label.box)
    # the address beside it, left of the quiet zone, right-aligned, in the footer's size
    label = frame.label
    assert label.box.right < frame.box.x and not overlap(label.box, frame.box)
    (para,) = label.paras
    assert para.align == "right" and para.kind == "meta" and para.size == ctx.theme.sizes.floor
    assert "".join(r.text for r in para.runs if not r.is_break) == short_address(ADDRESS)


def test_a_long_address_is_broken_before_a_slash(ctx: Context) -> None:
    address = "https://teacher.example.org/courses/2024/machine-learning/slides/2024-08-03-convolutional-networks/"
    frame = qr_frame(ctx, address)
    assert frame is not None
    runs = frame.label.paras[0].runs
    lines = [r.text for r in runs if not r.is_break]
    assert len(lines) >= 2 and all(line.startswith("/") for line in lines[1:])
    assert "".join(lines) == short_address(address)
    assert frame.label.box.w <= 0.3 * ctx.w + 1 and frame.label.box.x > ctx.w / 2


def test_no_code_without_an_address_or_with_the_themes_key_off(ctx: Context, tmp_path: Path) -> None:
    assert qr_frame(ctx, "") is None
    assert qr_of(title_page(ctx, Meta(title="T", authors=("A",)))) is None
    off = tmp_path / "off.toml"
    off.write_text('extends = "default"\n[title_slide]\nqr_code = false\n', "utf-8")
    quiet = Context(load_theme(str(off)), TableMeasurer())
    assert quiet.theme.qr_code is False and load_theme("default").qr_code is True
    assert qr_frame(quiet, ADDRESS) is None
    assert qr_of(title_page(quiet, Meta(title="T", authors=("A",), deck_url=ADDRESS))) is None


def test_an_address_too_long_for_any_code_gives_none(ctx: Context) -> None:
    assert qr_frame(ctx, "https://example.org/" + "x" * 8000) is None


@pytest.mark.parametrize("abstract", ["", words(30), words(120), words(400)])
@pytest.mark.parametrize("theme", ["default", "high-contrast"])
def test_on_the_title_page_it_overlaps_nothing(theme: str, abstract: str) -> None:
    ctx = Context(load_theme(theme), TableMeasurer())
    meta = Meta(title="A title " + words(6), authors=("Ada", "Grace"), date="2024-08-03", tags=("cnn", "vision"), deck_url=ADDRESS)
    page = title_page(ctx, meta, abstract)
    qr = qr_of(page)
    assert qr is not None and qr.runs and qr.color is not None  # styled
    zone = qr_zone(qr)
    assert page.title is not None and not overlap(page.title.box, zone)
    others = [f for f in page.frames if not isinstance(f, QrFrame)]
    assert others and all(not overlap(f.box, zone) for f in others)
    for frame in page.frames:
        assert inside(frame.box)


def test_an_abstract_reaching_the_code_goes_beside_it_when_that_keeps_it_larger(ctx: Context) -> None:
    meta = Meta(title="T", authors=("A",), deck_url=ADDRESS)
    without = title_page(ctx, replace(meta, deck_url=""), words(60))
    page = title_page(ctx, meta, words(60))
    qr = qr_of(page)
    assert qr is not None
    zone = qr_zone(qr)
    (alone,) = [f for f in without.frames if isinstance(f, TextFrame)]
    (beside,) = [f for f in page.frames if isinstance(f, TextFrame)]
    assert alone.box.bottom > zone.y and alone.paras[0].size == 24  # it would reach the code
    assert beside.box.right <= zone.x - 8 and beside.box.bottom <= ctx.h - 36
    assert beside.paras[0].size >= 20  # above the code, 16


def test_with_the_logo_in_the_bottom_right_corner_the_code_takes_the_left_one(tmp_path: Path) -> None:
    logo_file = tmp_path / "logo.png"
    PILImage.new("RGB", (200, 100), "red").save(logo_file)
    theme = tmp_path / "logo.toml"
    theme.write_text(f'extends = "default"\n[logo]\npath = "{logo_file.name}"\ncorner = "bottom-right"\n', "utf-8")
    logo = Asset("logo.png", AssetStatus.OK, logo_file, 200, 100, "png")
    ctx = Context(load_theme(str(theme)), TableMeasurer(), logo)
    frame = qr_frame(ctx, ADDRESS)
    assert frame is not None
    assert frame.box.x + frame.module * QUIET_ZONE == pytest.approx(ctx.margin)
    assert frame.label.box.x > frame.box.right and frame.label.paras[0].align == "left"
    page = layout_deck(Deck(Meta(title="T", authors=("A",), deck_url=ADDRESS), (), ()), ctx.theme, ctx.measure, logo).pages[0]
    qr = qr_of(page)
    logos = [f for f in page.frames if isinstance(f, PictureFrame)]
    assert qr is not None and logos and not overlap(qr_zone(qr), logos[0].box)
