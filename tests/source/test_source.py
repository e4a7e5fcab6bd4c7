"""source/__init__.py: read_post, the package's entry (a post that cannot be read at all)."""

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


def test_a_missing_file_raises_an_input_error(tmp_path: Path) -> None:
    err = error_of(tmp_path / "nope.md")
    assert "no such file" in str(err)
    assert "nope.md" in str(err)


def test_a_folder_raises_an_input_error(tmp_path: Path) -> None:
    err = error_of(tmp_path)
    assert "folder" in str(err)


def test_read_post_has_no_dead_site_baseurl_parameter() -> None:
    # {{ site.baseurl }} is always "" (site paths become links through the URL policy, not here)
    import inspect

    from deckgen.source import evaluate_liquid, read_post

    assert list(inspect.signature(read_post).parameters) == ["path", "now", "diag"]
    assert "site_baseurl" not in inspect.signature(evaluate_liquid).parameters
