"""What the tagged PDF says that the model does not say yet: languages, descriptions, names."""

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
from deckgen.theme import load_theme
from deckgen.writers.pdfaccess import (
    deck_language,
    header_rows,
    is_decoration,
    language_spans,
    page_label,
    picture_alt,
    plain,
)


def text_page(*texts: str, title: str | None = None) -> Page:
    head = TextFrame(Box(0, 0, 100, 20), (Para((Run(title),), 30, "title"),), "title") if title else None
    frames = tuple(TextFrame(Box(0, 30, 100, 20), (Para((Run(t),), 20),)) for t in texts)
    return Page("content", frames, head)


def deck(*pages: Page) -> LaidDeck:
    return LaidDeck(Meta(title="t"), pages, 960, 540)


def picture(url: str = "https://example.org/img/cat.png", alt: str = "", video: bool = False) -> PictureFrame:
    asset = Asset(url, AssetStatus.OK, Path("/tmp/cat.png"), 10, 10, "png")
    badge = Badge(Box(0, 0, 10, 10)) if video else None
    return PictureFrame(Box(0, 0, 10, 10), asset, alt=alt, play_badge=badge)


def test_the_document_is_english_unless_chinese_characters_outnumber_latin_letters() -> None:
    english = deck(text_page("Large language models are large.", title="大型語言模型的時間軸"))
    assert deck_language(english) == "en"
    chinese = deck(text_page("大型語言模型是很大的語言模型，用於生成文字 GPT-4", title="語言模型"))
    assert deck_language(chinese) == "zh-Hant"


def test_a_span_takes_the_language_of_its_script_neutral_characters_go_with_what_they_follow() -> None:
    assert language_spans("Only English, 2024.", "en") == [("Only English, 2024.", None)]
    assert language_spans("Large 大型模型 models", "en") == [("Large ", None), ("大型模型 ", "zh-Hant"), ("models", None)]
    assert language_spans("大型 GPT 模型。", "zh-Hant") == [("大型 ", None), ("GPT ", "en"), ("模型。", None)]
    assert language_spans("（全形）", "en") == [("（全形）", "zh-Hant")]


def test_a_picture_s_alt_is_its_description_else_its_context_never_its_file_name_or_address() -> None:
    assert picture_alt(picture(alt="A cat on a mat"), "Cats", 3) == "A cat on a mat"
    for alt in ("", "cat.png", "cat", "https://example.org/img/cat.png", "  \u200b "):
        assert picture_alt(picture(alt=alt), "Cats", 3) == 'Picture on slide "Cats", not described yet'
    assert picture_alt(picture(), "", 7) == "Picture on slide 7, not described yet"
    assert picture_alt(picture(video=True), "Talks", 2) == 'Video on slide "Talks", not described yet'


def test_only_the_theme_s_logo_is_decoration() -> None:
    theme = load_theme("default")
    logo = Path("/tmp/logo.png")
    from dataclasses import replace

    with_logo = replace(theme, logo=logo)
    frame = PictureFrame(Box(0, 0, 10, 10), Asset(str(logo), AssetStatus.OK, logo, 10, 10, "png"), None, "logo")
    assert is_decoration(frame, with_logo)
    assert not is_decoration(frame, theme)
    assert not is_decoration(picture(), with_logo)


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
