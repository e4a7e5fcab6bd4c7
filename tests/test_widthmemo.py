"""widthmemo.py: fonts' widths remembered between builds, the same as measured."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from deckgen.measure import PillowMeasurer, find_font_file, remember_widths, style_files
from deckgen.widthmemo import MEMO_VERSION, WidthMemo, memo_path

TEXT = "The quick brown fox jumps over the lazy dog, 0123456789! ÀéüßŁ ΩЖ “quotes” — ‘ — …\u200b\u00ad"


def _fonts() -> tuple[Path, Path]:
    regular = find_font_file("Liberation Sans")
    if regular is None:
        pytest.skip("Liberation Sans is not installed")
    return regular, style_files(regular).get("B", regular)


def _widths(m: PillowMeasurer) -> list[float]:
    return [m.char_em(ch, bold, False) for bold in (False, True) for ch in TEXT]


def test_remembered_widths_are_the_measured_ones_and_need_no_font(tmp_path: Path) -> None:
    regular, bold = _fonts()
    measured = PillowMeasurer(regular, bold)  # no memo: Pillow for every character
    first = PillowMeasurer(regular, bold, tmp_path)
    assert _widths(first) == _widths(measured)
    remember_widths(first)
    again = PillowMeasurer(regular, bold, tmp_path)
    assert again._fonts == {}  # the fonts are not loaded...
    assert _widths(again) == _widths(measured)  # ...and every width is the same, bit for bit
    assert again._fonts == {}
    assert again._memo.new == {}  # nothing new to keep


def test_a_character_new_to_the_memo_is_measured_and_kept(tmp_path: Path) -> None:
    regular, bold = _fonts()
    first = PillowMeasurer(regular, bold, tmp_path)
    first.char_em("a", False, False)
    remember_widths(first)
    second = PillowMeasurer(regular, bold, tmp_path)
    assert second.char_em("W", True, False) == PillowMeasurer(regular, bold).char_em("W", True, False)
    assert second._fonts != {}  # loaded for it
    remember_widths(second)
    path = memo_path(tmp_path, regular, bold)
    assert path is not None
    kept = json.loads(path.read_text("utf-8"))
    assert kept["v"] == MEMO_VERSION
    assert set(kept["widths"]) == {"0a", "1W"}


def test_a_damaged_memo_is_an_empty_one(tmp_path: Path) -> None:
    regular, bold = _fonts()
    path = memo_path(tmp_path, regular, bold)
    assert path is not None
    for junk in (b"{not json", b"[]", json.dumps({"v": MEMO_VERSION + 1, "widths": {"0a": 9.0}}).encode()):
        path.write_bytes(junk)
        m = PillowMeasurer(regular, bold, tmp_path)
        assert m.char_em("a", False, False) == PillowMeasurer(regular, bold).char_em("a", False, False)


def test_a_font_file_changed_has_a_memo_of_its_own(tmp_path: Path) -> None:
    regular, bold = _fonts()
    copy = tmp_path / "fonts" / regular.name
    copy.parent.mkdir()
    copy.write_bytes(regular.read_bytes())
    before = memo_path(tmp_path, copy, copy)
    st = copy.stat()
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    assert memo_path(tmp_path, copy, copy) != before
    assert memo_path(tmp_path, tmp_path / "gone.ttf", copy) is None  # a file not seen: no memo


def test_a_memo_that_cannot_be_written_is_only_not_kept(tmp_path: Path) -> None:
    regular, bold = _fonts()
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", "utf-8")
    m = PillowMeasurer(regular, bold, blocked)
    width = m.char_em("x", False, False)
    remember_widths(m)  # says nothing, raises nothing
    assert PillowMeasurer(regular, bold, blocked).char_em("x", False, False) == width


def test_the_memo_keeps_what_it_read_and_what_was_added() -> None:
    memo = WidthMemo(None, {"0a": 0.5})
    memo.put("b", True, 0.25)
    assert (memo.get("a", False), memo.get("b", True), memo.get("a", True)) == (0.5, 0.25, None)
    memo.save()  # no file: nothing to do
