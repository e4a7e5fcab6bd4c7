"""The schema check (support/ooxml.py) finds what breaks ECMA-376, so a clean report means
something: an element out of place, a value out of range, a part whose root is not what its
content type promises, a content type nothing maps; mc:AlternateContent is left out."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from deckgen.model import Para, Run
from deckgen.writers.pptx import PptxWriter
from support.ooxml import validate_pptx
from support.writerkit import THEME, body, deck_of

SLIDE = "ppt/slides/slide1.xml"


@pytest.fixture
def pptx(tmp_path: Path) -> Path:
    out = tmp_path / "deck.pptx"
    PptxWriter(THEME).write(deck_of(body(Para((Run("text"),), 24.0))), out)
    return out


def rewrite(pptx: Path, name: str, change: object) -> Path:
    """A copy of the package with one part changed (``change``: bytes -> bytes)."""
    out = pptx.with_name("changed.pptx")
    with zipfile.ZipFile(pptx) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, change(data) if info.filename == name else data)  # type: ignore[operator]
    return out


def test_a_deck_as_written_is_valid(pptx: Path, xsd_folder: Path) -> None:
    report = validate_pptx(pptx, xsd_folder)
    assert report.errors == {} and SLIDE in report.valid


@pytest.mark.parametrize(
    ("old", "new", "said"),
    [
        (b"<a:latin ", b"<a:bogus/><a:latin ", "bogus': This element is not expected"),
        (b'sz="2400"', b'sz="99999999"', "greater than the maximum value allowed"),
        (b"<p:sld ", b"<p:sldLayout ", "promises"),
    ],
    ids=["an element out of place", "a value out of range", "the wrong root"],
)
def test_a_part_that_breaks_the_schema_is_an_error(
    pptx: Path, xsd_folder: Path, old: bytes, new: bytes, said: str
) -> None:
    def change(data: bytes) -> bytes:
        assert old in data
        data = data.replace(old, new, 1)
        return data.replace(b"</p:sld>", b"</p:sldLayout>") if old == b"<p:sld " else data

    report = validate_pptx(rewrite(pptx, SLIDE, change), xsd_folder)
    assert list(report.errors) == [SLIDE] and said in report.errors[SLIDE][0]


def test_alternate_content_is_left_out_and_an_unknown_content_type_is_an_error(pptx: Path, xsd_folder: Path) -> None:
    mc = b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="p14"><p:later/></mc:Choice></mc:AlternateContent>'
    report = validate_pptx(rewrite(pptx, SLIDE, lambda d: d.replace(b"</p:spTree>", b"</p:spTree>" + mc)), xsd_folder)
    assert report.errors == {}
    unknown = rewrite(pptx, "[Content_Types].xml", lambda d: d.replace(b"presentationml.slide+xml", b"presentationml.slidex+xml"))
    report = validate_pptx(unknown, xsd_folder)
    assert list(report.errors) == [SLIDE] and "no schema mapped" in report.errors[SLIDE][0]
