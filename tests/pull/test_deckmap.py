"""pull/deckmap.py: the map a .pptx carries (custom properties) — its text form, its pieces,
its XML — and what the .pptx writer puts in it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from deckgen.model.document import Meta, Origin, Run
from deckgen.model.laidout import Box, LaidDeck, Page, Para, Provenance, TextFrame
from deckgen.pull.deckmap import (
    CHUNK,
    CUSTOM_PART,
    DeckMap,
    Entry,
    PageMap,
    ShapeMap,
    canonical,
    custom_xml,
    decode,
    encode,
    map_of,
    para_digest,
    properties,
    read_properties,
)
from deckgen.pull.slideread import PLAIN

LINK = (False, False, False, "https://x.org/")


def test_the_text_form_sees_text_and_formatting_but_not_a_spaces_formatting() -> None:
    one_link = (("A link", LINK),)
    per_word = (("A", LINK), (" ", PLAIN), ("link", LINK))
    assert canonical(one_link) == canonical(per_word)
    assert para_digest(one_link) == para_digest(per_word)
    assert para_digest((("A link", PLAIN),)) != para_digest(one_link)
    assert para_digest((("bold", (True, False, False, "")),)) != para_digest((("bold", PLAIN),))
    assert para_digest((("two words", PLAIN),)) != para_digest((("two  words", PLAIN),))


def sample(pages: int = 40) -> DeckMap:
    shapes = (
        ShapeMap("t", "sp", (480, 180, 8640, 504), ("0B3C6E",), (Entry("3.t", "1a2b3c4d", 0, 7, " (2/3)"),)),
        ShapeMap("b", "sp", (480, 784, 8640, 1800), ("1F2933", "0B57D0"),
                 tuple(Entry(f"3.1.{k}", f"{k:08x}") for k in range(12))),
        ShapeMap("=Table 3", "tbl", (480, 3000, 8640, 900), (), (Entry("3.2.0", "ffffffff"), Entry("", "00000000")), (2, 1)),
    )
    return DeckMap(tuple(PageMap(10 * i, shapes, "cafebabe" if i % 3 else "", i == 2) for i in range(pages)), "https://s.org")


def test_the_map_goes_into_pieces_office_keeps_and_comes_back_whole() -> None:
    m = sample()
    pieces = encode(m)
    assert len(pieces) > 1 and all(len(p) <= CHUNK for p in pieces)
    assert decode(pieces) == m
    assert encode(m) == pieces  # the same map, the same text: no time, no randomness


def test_a_damaged_or_missing_map_is_a_value_error() -> None:
    pieces = encode(sample(3))
    with pytest.raises(ValueError, match="damaged"):
        decode([pieces[0][:-8] + "AAAAAAAA"])
    with pytest.raises(ValueError, match="damaged"):
        decode(["not base64 at all!"])
    with pytest.raises(ValueError, match="no map"):
        map_of({"deckgen.post": "x.md"})


def test_the_properties_part_is_valid_and_reads_back_by_name(xsd_folder: Path) -> None:
    from lxml import etree

    from support.ooxml import schema

    props = properties("_posts/2024-09-02-x.md", "ab" * 32, "9.9", sample(5))
    data = custom_xml(props)
    assert schema("shared-documentPropertiesCustom.xsd", xsd_folder).validate(etree.fromstring(data))
    back = read_properties(data)
    assert back == dict(props)
    assert map_of(back) == sample(5)


def test_the_pptx_carries_the_post_its_digest_deckgens_version_and_the_map(tmp_path: Path) -> None:
    from deckgen import __version__
    from deckgen.layout.style import style_deck
    from deckgen.measure import TableMeasurer
    from deckgen.theme import load_theme
    from deckgen.writers.pptx import PptxWriter

    theme = load_theme("default")
    title = TextFrame(Box(48, 20, 860, 60), (Para((Run("Why pull"),), 36.0, "title", origin=Origin("0.t", 0, 8)),), "title")
    body = TextFrame(
        Box(48, 100, 860, 200),
        (Para((Run("one"),), 24.0, origin=Origin("0.1.0")), Para((Run("two"),), 24.0, origin=Origin("0.1.1"))),
    )
    page = Page("content", (body,), title, "A note.", 12, "Title and Content")
    laid = LaidDeck(Meta(title="T"), (page,), 960, 540, provenance=Provenance("_posts/x.md", "ab" * 32))
    styled = style_deck(laid, theme, TableMeasurer())
    out = [tmp_path / "a.pptx", tmp_path / "b.pptx"]
    for path in out:
        PptxWriter(theme).write(styled, path)
    assert out[0].read_bytes() == out[1].read_bytes()
    with zipfile.ZipFile(out[0]) as z:
        props = read_properties(z.read(CUSTOM_PART))
        assert "custom-properties" in z.read("_rels/.rels").decode()
        assert "/docProps/custom.xml" in z.read("[Content_Types].xml").decode()
    assert (props["deckgen.post"], props["deckgen.post-sha256"], props["deckgen.version"]) == ("_posts/x.md", "ab" * 32, __version__)
    (mapped,) = map_of(props).pages
    assert mapped.line == 12 and mapped.notes and not mapped.hidden_title
    by_slot = {s.slot: s for s in mapped.shapes}
    assert [(e.key, e.length, e.tail) for e in by_slot["t"].entries] == [("0.t", 8, "")]
    assert [e.key for e in by_slot["b"].entries] == ["0.1.0", "0.1.1"]
