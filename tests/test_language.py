"""The languages of a deck's text (deckgen.language): tags, the main language, runs cut where
the script changes, without moving a line break."""

from __future__ import annotations

import pytest

from deckgen.language import detect, normalize_tag, split_runs, text_runs
from deckgen.measure import TableMeasurer, count_lines
from deckgen.model import LINE_BREAK, Run


@pytest.mark.parametrize(
    ("given", "tag"),
    [
        ("zh-TW", "zh-Hant"),
        ("zh_tw", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-CN", "zh-Hans"),
        ("zh-hant", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant-TW"),
        ("EN", "en"),
        ("en-us", "en-US"),
        ("es-419", "es-419"),
        (" ja ", "ja"),
    ],
)
def test_a_language_tag_is_written_as_bcp_47(given: str, tag: str) -> None:
    assert normalize_tag(given) == tag


@pytest.mark.parametrize("given", ["", "Chinese language", "123", "e", "zh--TW", None, 3, ["en"]])
def test_what_is_no_language_tag_is_none(given: object) -> None:
    assert normalize_tag(given) is None


def test_the_main_language_weighs_a_han_character_as_three_latin_letters() -> None:
    english_with_chinese_titles = ["大型語言模型的時間軸", "A survey of large language models and their uses " * 5]
    assert detect(english_with_chinese_titles) == "en"
    assert detect(["我們使用 Transformer 模型來做 NLP 的研究與教學"]) == "zh-Hant"
    assert detect(["", "1234 !?"]) == "en"  # no letters at all


def test_han_text_in_an_english_deck_is_zh_hant_and_punctuation_joins_its_neighbours() -> None:
    runs = split_runs((Run("大型語言模型(>10B)的時間軸"),), "en")
    assert [(r.text, r.lang) for r in runs] == [("大型語言模型", "zh-Hant"), ("(>10B)", ""), ("的時間軸", "zh-Hant")]


def test_latin_text_in_a_chinese_deck_is_en() -> None:
    runs = split_runs((Run("我們使用 Transformer 模型，GPT-4 很好。"),), "zh-Hant")
    assert [(r.text, r.lang) for r in runs] == [
        ("我們使用 ", ""),
        ("Transformer ", "en"),
        ("模型，", ""),
        ("GPT-4 ", "en"),
        ("很好。", ""),
    ]


def test_a_run_keeps_its_style_and_a_run_of_digits_takes_the_language_before_it() -> None:
    runs = split_runs((Run("Hello "), Run("世界", bold=True, link="https://x.org"), Run(" (2/3)")), "en")
    assert [(r.text, r.lang, r.bold, r.link) for r in runs] == [
        ("Hello ", "", False, None),
        ("世界", "zh-Hant", True, "https://x.org"),
        (" (2/3)", "zh-Hant", False, None),
    ]


def test_text_in_the_deck_language_is_left_as_it_is() -> None:
    runs = (Run("Only English here, "), Run("bold", bold=True), LINE_BREAK, Run("and more."))
    assert split_runs(runs, "en") is runs
    chinese = (Run("全是中文。"),)
    assert split_runs(chinese, "zh-Hant") is chinese


@pytest.mark.parametrize("width", [40.0, 90.0, 160.0, 300.0])
def test_cutting_runs_by_language_moves_no_line_break(width: float) -> None:
    text = "在 2023 年 Meta 發表了 LLaMA 系列模型 (7B–65B)，它們是 open-source 的 foundation models。" * 3
    whole = (Run(text),)
    cut = split_runs(whole, "en")
    assert len(cut) > 3
    m = TableMeasurer()
    assert count_lines(m, cut, width, 12.0) == count_lines(m, whole, width, 12.0)


def test_notes_become_runs_with_their_languages_lines_apart() -> None:
    runs = text_runs("第一行 line one\n\nsecond", "en")
    assert [(r.text, r.lang) for r in runs] == [
        ("第一行 ", "zh-Hant"),
        ("line one", ""),
        ("\n", ""),
        ("\n", ""),
        ("second", ""),
    ]
