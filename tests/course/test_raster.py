"""course/raster.py: the title slide drawn into pixels for its card looks as the PDF writer
draws the same slide (PyMuPDF renders the PDF): the same text where the PDF has it, the band,
the picture."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pymupdf
import pytest
from PIL import Image, ImageChops, ImageFilter

from deckgen.assets.resolve import AssetOptions
from deckgen.course import cards
from deckgen.course.raster import CardPainter
from deckgen.options import BuildOptions
from deckgen.pipeline import run_post
from deckgen.writers.pdf import PdfWriter
from support.sitekit import POSTS, SitePost, make_site

WIDTH = 640


def differing(a: Image.Image, b: Image.Image) -> float:
    """The share of pixels more than a quarter of the range apart in brightness, both blurred
    a little first: antialiasing and hinting apart, what is drawn where."""
    blurred = [im.convert("L").filter(ImageFilter.GaussianBlur(2)) for im in (a, b)]
    hist = ImageChops.difference(*blurred).histogram()
    return sum(hist[64:]) / sum(hist)


@pytest.mark.parametrize(
    "post",
    [POSTS[0], POSTS[1], SitePost("2024-04-01-long", "A title long enough to need " * 3, "2024-04-01", ("a",) * 30, True)],
    ids=["picture", "chinese", "long"],
)
def test_the_card_is_the_slide_the_pdf_writer_draws(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, post: SitePost
) -> None:
    site = make_site(tmp_path / "site", (post,))
    pictures: dict[str, Image.Image] = {}

    def both(laid, theme, measurer, width=WIDTH):  # type: ignore[no-untyped-def]
        page = cards.card_page(laid)
        pictures["painted"] = CardPainter(theme, measurer).draw(laid, page, width)
        pdf = io.BytesIO()
        PdfWriter(theme, measurer, tmp_path / "cache").write(replace(laid, pages=(page,)), pdf)
        with pymupdf.open(stream=pdf.getvalue(), filetype="pdf") as doc:
            zoom = width / laid.width
            pix = doc[0].get_pixmap(matrix=pymupdf.Matrix(zoom, zoom))
            pictures["pdf"] = Image.frombytes("RGB", (pix.width, pix.height), pix.samples)
        return b""

    monkeypatch.setattr(cards, "draw_card", both)
    options = BuildOptions(
        out_dir=tmp_path / "out", formats=("pptx",), course_card=True,
        pictures=AssetOptions(offline=True, cache_dir=tmp_path / "cache"),
    )
    run_post(site / "_posts" / f"{post.stem}.md", options)
    painted, pdf = pictures["painted"], pictures["pdf"]
    assert painted.size == pdf.size == (WIDTH, WIDTH * 9 // 16)
    assert differing(painted, pdf) < 0.003  # the same slide (a line broken elsewhere: 0.7 %)
    blank = Image.new("RGB", painted.size, "white")
    assert differing(painted, blank) > 0.05  # a slide, not an empty picture
