"""pull/deckread.py: a deck read back, and the one-line errors for what is no deck deckgen wrote."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from deckgen.errors import InputError
from deckgen.pull.deckread import read_deck
from pull.conftest import Built


def code_of(path: Path) -> str:
    with pytest.raises(InputError) as refused:
        read_deck(path)
    assert "\n" not in str(refused.value)
    return refused.value.code.code


def test_the_deck_is_read_slide_by_slide_with_its_notes_and_map(own_deck: Built) -> None:
    deck = read_deck(own_deck.deck)
    assert len(deck.slides) == len(deck.map.pages) == 12
    assert [s.number for s in deck.slides] == list(range(1, 13))
    assert deck.slides[1].notes == "Ask who has edited a deck before."
    assert deck.properties["deckgen.post"] == "_posts/2024-09-02-edits.md"


def test_what_is_no_pptx_is_refused_in_one_line(tmp_path: Path) -> None:
    text = tmp_path / "notes.pptx"
    text.write_text("not a zip", "utf-8")
    assert code_of(text) == "D101"
    assert code_of(tmp_path / "missing.pptx") == "D101"
    assert code_of(tmp_path) == "D101"
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert code_of(other) == "D101"


def test_a_deck_deckgen_did_not_write_or_whose_map_is_damaged_is_refused(own_deck: Built, tmp_path: Path) -> None:
    def copy_without(name: str, replace: bytes | None = None) -> Path:
        target = tmp_path / f"without-{name.replace('/', '-')}.pptx"
        with zipfile.ZipFile(own_deck.deck) as src, zipfile.ZipFile(target, "w") as out:
            for info in src.infolist():
                if info.filename != name:
                    out.writestr(info, src.read(info))
                elif replace is not None:
                    out.writestr(info, replace)
        return target

    assert code_of(copy_without("docProps/custom.xml")) == "D102"
    with zipfile.ZipFile(own_deck.deck) as z:
        damaged = z.read("docProps/custom.xml").replace(b"deckgen.map.000\"><vt:lpwstr>", b"deckgen.map.000\"><vt:lpwstr>AA")
    assert code_of(copy_without("docProps/custom.xml", damaged)) == "D102"
    assert code_of(copy_without("ppt/presentation.xml")) == "D101"


def test_a_deck_a_newer_deckgen_wrote_is_refused_not_misread(own_deck: Built, tmp_path: Path) -> None:
    import dataclasses

    from deckgen.pull.deckmap import MAP_VERSION, custom_xml, map_of, properties, read_properties

    target = tmp_path / "newer.pptx"
    with zipfile.ZipFile(own_deck.deck) as src, zipfile.ZipFile(target, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "docProps/custom.xml":
                props = read_properties(data)
                newer = dataclasses.replace(map_of(props), version=MAP_VERSION + 1)
                data = custom_xml(properties(props["deckgen.post"], props["deckgen.post-sha256"], "99.0", newer))
            out.writestr(name, data)
    assert code_of(target) == "D102"
