"""options.py: which decks a build writes (--format lists, `all`, deckgen.toml's formats)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.errors import InputError
from deckgen.options import ALL_FORMATS, FORMATS, config_formats, parse_formats


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("pdf", ("pdf",)),
        ("pptx,pdf", ("pptx", "pdf")),
        (" PPTX , html ", ("pptx", "html")),
        ("all", ALL_FORMATS),
        (["html", "pdf", "html"], ("html", "pdf")),
    ],
)
def test_formats_are_a_name_a_list_or_all(value: object, expected: tuple[str, ...]) -> None:
    assert parse_formats(value) == expected


@pytest.mark.parametrize("value", ["docx", "", [], 3, ["pptx", "odp"]])
def test_unknown_formats_are_refused(value: object) -> None:
    with pytest.raises(InputError):
        parse_formats(value)


def test_deckgen_toml_may_change_the_default(tmp_path: Path) -> None:
    assert config_formats(tmp_path) == FORMATS == ("pptx", "html")
    (tmp_path / "deckgen.toml").write_text('formats = ["pptx", "pdf"]\n', "utf-8")
    assert config_formats(tmp_path) == ("pptx", "pdf")
