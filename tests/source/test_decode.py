"""source/decode.py: a post's bytes into text (UTF-8, a byte order mark, what is not text) through read_post."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deckgen.diagnostics import Diagnostics
from deckgen.errors import InputError
from deckgen.source import read_post

NOW = dt.datetime(2024, 5, 6, 7, 8, 9)


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_post(path, NOW, Diagnostics())
    return info.value


def test_windows_line_endings_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes("\ufeff---\r\ntitle: T\r\n---\r\nline\r\n".encode())
    src = read_post(path, NOW, Diagnostics())
    assert src.meta.title == "T"
    assert src.body == "line\n"


def test_a_file_that_is_not_utf8_raises_an_input_error_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes(b"---\ntitle: T\n---\ncaf\xe9\n")
    err = error_of(path)
    assert "UTF-8" in str(err)
    assert err.line == 4
    assert err.exit_code == 2


def test_a_binary_file_raises_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "picture.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    err = error_of(path)
    assert "not a text file" in str(err)
    assert str(path) in str(err)
