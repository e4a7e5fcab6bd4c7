"""The lecture's decks as a viewer sees them: LibreOffice draws the .pptx, Chromium the HTML.

Skipped (with the reason) on a machine without LibreOffice or Chromium; CI installs both and
sets DECKGEN_NO_SKIP=1, which turns a skip into a failure.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import deckgen.pipeline as pipeline
from conftest import LECTURE
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Record, Services, build_post
from deckgen.model import LaidDeck, TextFrame
from deckgen.theme import load_theme
from support import rendercheck as rc
from support.localdeck import LocalFetcher, localize_post

pytestmark = pytest.mark.render

SLIDE_AREA = 960 * 540


@pytest.fixture(scope="module")
def decks(
    image_server, reveal_source: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Record, Path, Path, Path, LaidDeck]:
    """The lecture built: its record, the .pptx, the HTML deck's folder, the work folder and
    the laid-out deck the writers wrote."""
    work = tmp_path_factory.mktemp("render")
    post = localize_post(image_server, LECTURE, work / "posts")
    options = BuildOptions(out_dir=work / "out", reveal_js=reveal_source, pictures=AssetOptions(cache_dir=work / "cache"))
    laid: list[LaidDeck] = []
    write = pipeline.write_outputs

    def keep(deck: LaidDeck, *args, **kwargs):  # type: ignore[no-untyped-def]
        laid.append(deck)
        return write(deck, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pipeline, "write_outputs", keep)
        result = build_post(post, options, Services(fetcher=LocalFetcher(image_server)))
    out = work / "out"
    return result, out / "large-language-models.pptx", out / "large-language-models", work, laid[0]


@pytest.fixture(scope="module")
def pptx_report(decks: tuple[Record, Path, Path, Path, LaidDeck]) -> rc.PptxReport:
    _, pptx, _, work, _ = decks
    try:
        return rc.check_pptx(pptx, work / "pdf")
    except rc.RenderToolMissing as exc:
        pytest.skip(str(exc))


@pytest.fixture(scope="module")
def html_report(decks: tuple[Record, Path, Path, Path, LaidDeck]) -> rc.HtmlReport:
    _, _, folder, work, _ = decks
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


def test_pptx_body_text_stays_at_18pt_or_more(decks, pptx_report: rc.PptxReport) -> None:  # noqa: ANN001
    """The body (a slide's paragraphs and lists) is drawn at the theme's minimum, 18 pt, or
    more; only footers, slide numbers, code and tables may go down to the 14 pt floor (the
    test above). Each span LibreOffice draws inside a body frame the layout placed is checked."""
    laid: LaidDeck = decks[4]
    minimum = load_theme(decks[0].theme or "default").sizes.minimum
    assert minimum == 18
    checked = 0
    for report, page in zip(pptx_report.page_reports, laid.pages, strict=True):
        scale = report.width / laid.width  # PDF points per slide point
        bodies = [f.box for f in page.frames if isinstance(f, TextFrame) and f.role == "body"]
        for span in report.spans:
            x = (span.bbox[0] + span.bbox[2]) / 2 / scale
            y = (span.bbox[1] + span.bbox[3]) / 2 / scale
            if any(b.x <= x <= b.right and b.y <= y <= b.bottom for b in bodies):
                assert span.size / scale >= minimum - 0.1, (report.number, span.text, span.size / scale)
                checked += 1
    assert checked >= 300  # the lecture's body text, not a handful of spans


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

    result, pptx, folder, work, _ = decks
    expected = post_words(work / "posts" / "large-language-models.md")
    assert len(expected) > 1000
    assert missing(expected, pptx_text(pptx)) == []
    assert missing(expected, html_text(folder)) == []
