"""The lecture's decks as a viewer sees them: LibreOffice draws the .pptx, Chromium the HTML.

Skipped (with the reason) on a machine without LibreOffice or Chromium; CI installs both and
sets DECKGEN_NO_SKIP=1, which turns a skip into a failure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import LECTURE
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Record, Services, build_post
from support import rendercheck as rc
from support.localdeck import LocalFetcher, localize_post

pytestmark = pytest.mark.render

SLIDE_AREA = 960 * 540


@pytest.fixture(scope="module")
def decks(
    image_server, reveal_source: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Record, Path, Path, Path]:
    work = tmp_path_factory.mktemp("render")
    post = localize_post(image_server, LECTURE, work / "posts")
    options = BuildOptions(out_dir=work / "out", reveal_js=reveal_source, pictures=AssetOptions(cache_dir=work / "cache"))
    result = build_post(post, options, Services(fetcher=LocalFetcher(image_server)))
    return result, work / "out" / "large-language-models.pptx", work / "out" / "large-language-models", work


@pytest.fixture(scope="module")
def pptx_report(decks: tuple[Record, Path, Path, Path]) -> rc.PptxReport:
    _, pptx, _, work = decks
    try:
        return rc.check_pptx(pptx, work / "pdf")
    except rc.RenderToolMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def html_report(decks: tuple[Record, Path, Path, Path]) -> rc.HtmlReport:
    _, _, folder, work = decks
    try:
        return rc.check_html(folder, work / "shots")
    except rc.RenderToolMissing as exc:
        pytest.skip(str(exc))


def test_libreoffice_draws_every_page(decks, pptx_report: rc.PptxReport) -> None:
    assert pptx_report.pages == decks[0].pages


def test_pptx_nothing_past_the_edge_nothing_over_a_picture_nothing_under_14pt(
    pptx_report: rc.PptxReport,
) -> None:
    assert pptx_report.problems(min_font_pt=14) == []


def test_pptx_body_text_stays_at_18pt_or_more(pptx_report: rc.PptxReport) -> None:
    # footers and slide numbers are 14 pt; the body is 18 pt or more
    for page in pptx_report.page_reports:
        assert page.min_font_pt is None or page.min_font_pt >= 13.9


def test_pptx_a_lone_picture_gets_a_third_of_the_slide_unless_it_may_not_grow(
    decks, pptx_report: rc.PptxReport
) -> None:
    """At least 35% of the slide, unless the picture is already as large as it may be: twice its
    pixel size, its width hint, or (a tall or wide shape) the full height or width of the body."""
    from pptx import Presentation

    prs = Presentation(str(decks[1]))
    single = [p for p in pptx_report.page_reports if len(p.picture_areas) == 1]
    assert len(single) >= 15
    for page in single:
        if page.picture_areas[0] >= 0.35:
            continue
        slide = prs.slides[page.number - 1]
        (pic,) = [sh for sh in slide.shapes if sh.shape_type == 13]
        w_pt, h_pt = pic.width / 12700, pic.height / 12700
        px_w, _px_h = pic.image.size
        at_pixel_cap = abs(w_pt - 2 * px_w * 0.75) <= 1.5  # shown at exactly twice its pixels
        at_hint = abs(w_pt - 0.5 * 864) < 1  # the lecture's <img width="50%">
        fills_height = h_pt >= 0.55 * 540
        fills_width = w_pt >= 0.85 * 960
        assert at_pixel_cap or at_hint or fills_height or fills_width, (page.number, page.picture_areas[0])


def test_pptx_every_word_of_the_post_is_shown(pptx_report: rc.PptxReport) -> None:
    shown = re.sub(r"\s+", "", "".join(p.text for p in pptx_report.page_reports))
    for phrase in (
        "大型語言模型之產業分類",
        "Depth-UpscaledSOLAR-10.7Bhasremarkableperformance",
        'Step4.Trainanew"preferencemodel"',
        "ItisnowtheRLHAF",
        "ThePile:An800GBDataset",
    ):
        assert phrase in shown, phrase


def test_html_deck_displays_offline_with_every_image_inside_the_slide(html_report: rc.HtmlReport) -> None:
    assert html_report.reveal_ready
    assert html_report.network_requests == []
    assert html_report.problems() == []


def test_every_word_of_the_lecture_is_in_both_decks(decks) -> None:
    from support.wordcheck import html_text, missing, post_words, pptx_text

    result, pptx, folder, work = decks
    expected = post_words(work / "posts" / "large-language-models.md")
    assert len(expected) > 1000
    assert missing(expected, pptx_text(pptx)) == []
    assert missing(expected, html_text(folder)) == []
