"""What the tagged PDF reads from the laid-out deck: languages, descriptions, decoration, names."""

from __future__ import annotations

from pathlib import Path

from deckgen.model import (
    Asset,
    AssetStatus,
    Badge,
    Box,
    Cell,
    LaidDeck,
    Meta,
    Page,
    Para,
    PictureFrame,
    Run,
    TableFrame,
    TextFrame,
)
from deckgen.writers.pdfaccess import (
    deck_language,
    header_rows,
    is_decoration,
    page_label,
    picture_alt,
    plain,
    run_language,
)


def text_page(*texts: str, title: str | None = None) -> Page:
    head = TextFrame(Box(0, 0, 100, 20), (Para((Run(title),), 30, "title"),), "title") if title else None
    frames = tuple(TextFrame(Box(0, 30, 100, 20), (Para((Run(t),), 20),)) for t in texts)
    return Page("content", frames, head)


def deck(*pages: Page, lang: str = "") -> LaidDeck:
    return LaidDeck(Meta(title="t", lang=lang), pages, 960, 540)


def picture(description: str = "", context: str = "", video: bool = False, decorative: bool = False) -> PictureFrame:
    asset = Asset("https://example.org/img/cat.png", AssetStatus.OK, Path("/tmp/cat.png"), 10, 10, "png")
    badge = Badge(Box(0, 0, 10, 10)) if video else None
    return PictureFrame(Box(0, 0, 10, 10), asset, description=description, play_badge=badge, decorative=decorative,
                        context=context)


def test_the_document_s_language_is_the_post_s_english_for_a_deck_without_one() -> None:
    page = text_page("Large language models are large.", title="大型語言模型的時間軸")
    assert deck_language(deck(page, lang="zh-Hant")) == "zh-Hant"
    assert deck_language(deck(page, lang="en")) == "en"
    assert deck_language(deck(page)) == "en"


def test_a_run_is_marked_only_where_its_language_is_not_the_document_s() -> None:
    assert run_language(Run("大型模型", lang="zh-Hant"), "en") == "zh-Hant"
    assert run_language(Run("大型模型", lang="zh-Hant"), "zh-Hant") is None
    assert run_language(Run("models"), "zh-Hant") is None  # "": the deck's language


def test_a_picture_s_alt_is_the_layout_s_a_sentence_naming_its_slide_only_without_one() -> None:
    assert picture_alt(picture("A cat on a mat", "Cats"), "Cats", 3) == "A cat on a mat"
    assert picture_alt(picture(context="Picture beside: cats sleep"), "Cats", 3) == "Picture beside: cats sleep"
    assert picture_alt(picture(context="  \u200b "), "Cats", 3) == 'Picture on slide "Cats", not described yet'
    assert picture_alt(picture(), "", 7) == "Picture on slide 7, not described yet"
    assert picture_alt(picture(video=True), "Talks", 2) == 'Video on slide "Talks", not described yet'


def test_decoration_is_what_the_layout_marked_so() -> None:
    assert is_decoration(picture(decorative=True))
    assert not is_decoration(picture("A cat"))


def test_a_table_without_header_cells_reads_its_first_row_as_the_header() -> None:
    rows = ((Cell((Run("a"),)), Cell((Run("b"),))), (Cell((Run("1"),)), Cell((Run("2"),))))
    table = TableFrame(Box(0, 0, 10, 10), rows, 0, (5.0, 5.0), (5.0, 5.0), 14)
    assert header_rows(table) == 1
    assert header_rows(TableFrame(Box(0, 0, 10, 10), rows, 2, (5.0, 5.0), (5.0, 5.0), 14)) == 2
    with_row_header = ((Cell((Run("a"),), header=True), Cell((Run("b"),))),)
    assert header_rows(TableFrame(Box(0, 0, 10, 10), with_row_header, 0, (5.0, 5.0), (5.0,), 14)) == 0


def test_a_slide_is_named_by_its_title_else_its_first_text_else_its_number() -> None:
    assert page_label(text_page("body", title="The\u200b title"), 1) == "The title"
    assert page_label(text_page("First line of text"), 2) == "First line of text"
    assert page_label(text_page("x" * 200), 2) == "x" * 79 + "…"
    assert page_label(Page("content", ()), 9) == "Slide 9"
    assert plain("a\u200bb\u00adc") == "abc"
