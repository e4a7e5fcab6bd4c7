"""Which decks a build writes: --format lists, `all`, deckgen.toml's formats; --handout and --paper."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest

from deckgen.cli import main
from deckgen.errors import InputError
from deckgen.options import ALL_FORMATS, FORMATS, config_formats, parse_formats
from test_cli import POST, write


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
    write(tmp_path / "deckgen.toml", 'formats = ["pptx", "pdf"]\n')
    assert config_formats(tmp_path) == ("pptx", "pdf")


def test_build_writes_the_pdf_and_a_handout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    post = write(tmp_path / "tiny.md", POST)
    code = main(
        ["build", str(post), "--format", "pdf", "--handout", "6", "--paper", "letter", "--offline", "-q",
         "--cache-dir", str(tmp_path / "cache")]
    )
    assert code == 0
    out = tmp_path / "build"
    assert sorted(p.name for p in out.iterdir()) == [".deckgen", "tiny.handout-6.pdf", "tiny.pdf"]  # (.deckgen: the record)
    slides = pymupdf.open(str(out / "tiny.pdf"))
    handout = pymupdf.open(str(out / "tiny.handout-6.pdf"))
    assert len(handout) == -(-len(slides) // 6)
    assert round(handout[0].rect.width) == 612


def test_the_toml_formats_apply_when_no_format_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "deckgen.toml", 'formats = ["pdf"]\n')
    post = write(tmp_path / "tiny.md", POST)
    assert main(["build", str(post), "--offline", "-q", "--cache-dir", str(tmp_path / "cache")]) == 0
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [".deckgen", "tiny.pdf"]
