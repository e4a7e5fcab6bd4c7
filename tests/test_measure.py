"""measure.py: text measurement and wrapping."""

from __future__ import annotations

import pytest

from deckgen.measure import (
    PillowMeasurer,
    TableMeasurer,
    _count_lines,
    break_units,
    count_lines,
    find_font_file,
    text_width,
    wrap_runs,
)
from deckgen.model import LINE_BREAK, Run


def test_cjk_characters_are_one_em_wide() -> None:
    m = TableMeasurer()
    assert text_width(m, "大型語言模型", 20) == pytest.approx(6 * 20 * 1.04)


def test_latin_widths_follow_the_arial_metrics_and_bold_is_wider() -> None:
    m = TableMeasurer()
    assert text_width(m, "i", 100) < text_width(m, "m", 100)
    assert text_width(m, "Hello", 24, bold=True) > text_width(m, "Hello", 24)
    assert text_width(m, "abc", 10, mono=True) == pytest.approx(3 * 6 * 1.04)


def test_the_pillow_measurer_agrees_with_the_table_on_a_metric_compatible_font() -> None:
    path = find_font_file("Liberation Sans")
    if path is None:
        pytest.skip("Liberation Sans is not installed")
    pillow = PillowMeasurer(path)
    table = TableMeasurer()
    text = "The quick brown fox jumps over the lazy dog 0123456789"
    assert text_width(pillow, text, 24) == pytest.approx(text_width(table, text, 24), rel=0.01)


def test_lines_wrap_at_spaces_and_hard_breaks() -> None:
    m = TableMeasurer()
    runs = (Run("word " * 40),)
    one = text_width(m, "word ", 20)
    assert count_lines(m, runs, one * 10.5, 20) == 4
    assert count_lines(m, (Run("a"), LINE_BREAK, Run("b"), LINE_BREAK, Run("c")), 500, 20) == 3


def test_chinese_wraps_between_any_two_characters() -> None:
    m = TableMeasurer()
    runs = (Run("字" * 30),)
    assert count_lines(m, runs, 20 * 1.04 * 10 + 1, 20) == 3


def test_a_word_longer_than_the_line_breaks_anywhere() -> None:
    m = TableMeasurer()
    url = "https://example.org/" + "x" * 200
    assert count_lines(m, (Run(url),), 300, 20) >= 6


def test_break_units_end_after_spaces_and_around_each_cjk_character() -> None:
    assert break_units("one two  three") == ["one ", "two  ", "three"]
    assert break_units("AI 模型ok") == ["AI ", "模", "型", "ok"]


def test_count_lines_is_memoized_and_takes_lists_as_well_as_tuples() -> None:
    m = TableMeasurer()
    runs = [Run("memo " * 30, bold=True)]
    before = _count_lines.cache_info()
    first = count_lines(m, runs, 200.0, 20)
    assert count_lines(m, tuple(runs), 200.0, 20) == first
    after = _count_lines.cache_info()
    assert after.misses == before.misses + 1 and after.hits == before.hits + 1


def test_wrap_runs_agrees_with_count_lines() -> None:
    m = TableMeasurer()
    runs = (Run("A fairly long sentence with 中文字 mixed in, and "), Run("a link", link="https://x.org/"), Run("\n"), Run("x" * 90))
    for width in (80.0, 200.0, 400.0, 900.0):
        assert len(wrap_runs(m, runs, width, 24)) == count_lines(m, runs, width, 24)
