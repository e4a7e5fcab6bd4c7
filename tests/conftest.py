"""Shared pytest fixtures for the deckgen test suite."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

_TESTS_DIR = str(Path(__file__).resolve().parent)
if _TESTS_DIR not in sys.path:  # make `from imageserver import ...` work from any rootdir
    sys.path.insert(0, _TESTS_DIR)

if TYPE_CHECKING:
    from imageserver import ImageServer


@pytest.fixture(scope="session")
def image_server() -> Iterator[ImageServer]:
    """A started local ImageServer (127.0.0.1) shared by the whole session.

    Tests that change ``delay`` must restore it; use ``reset_log()`` before counting hits.
    """
    from imageserver import ImageServer

    with ImageServer() as server:
        yield server
