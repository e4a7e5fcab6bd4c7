"""The layout tests' shared context: the default theme, the built-in metric table."""

from __future__ import annotations

import pytest

from deckgen.layout import Context
from deckgen.measure import TableMeasurer
from deckgen.theme import load_theme


@pytest.fixture(scope="module")
def ctx() -> Context:
    return Context(load_theme("default"), TableMeasurer())
