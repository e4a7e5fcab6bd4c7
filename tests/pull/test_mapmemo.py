"""pull/mapmemo.py: a slide's map remembered by what it is made from is the map read back
from its XML; only changed slides are read back; a damaged memo is an empty one."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from deckgen.model.document import Origin
from deckgen.pull import mapmemo, slideread
from deckgen.pull.deckmap import CUSTOM_PART
from deckgen.pull.mapmemo import MapMemo, memo_path, slide_key

from .conftest import OWN, POSTS, build


def custom(deck: Path) -> bytes:
    with zipfile.ZipFile(deck) as z:
        return z.read(CUSTOM_PART)


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = slideread.read_slide

    def counting(xml, rels):  # type: ignore[no-untyped-def]
        calls[0] += 1
        return real(xml, rels)

    monkeypatch.setattr(slideread, "read_slide", counting)  # the memo imports it when a slide is read back
    return calls


def own_post(folder: Path) -> Path:
    posts = folder / "_posts"
    posts.mkdir(parents=True)
    shutil.copy(POSTS / "pic.png", posts / "pic.png")
    return Path(shutil.copy(OWN, posts / OWN.name))


def test_a_deck_built_again_reads_back_no_slide_and_carries_the_same_map(tmp_path: Path, counted: list[int]) -> None:
    post = own_post(tmp_path)
    first = build(post, tmp_path / "a", tmp_path / "cache")
    slides = counted[0]
    assert slides > 5
    again = build(post, tmp_path / "b", tmp_path / "cache")
    assert counted[0] == slides  # every slide's map was remembered
    assert custom(again) == custom(first)
    assert again.read_bytes() == first.read_bytes()


def test_only_the_changed_slide_is_read_back(tmp_path: Path, counted: list[int]) -> None:
    post = own_post(tmp_path)
    build(post, tmp_path / "a", tmp_path / "cache")
    before = counted[0]
    text = post.read_text("utf-8")
    post.write_text(text.replace("# ", "# Changed: ", 1) if "# " in text else text + "\n\nOne more line.\n", "utf-8")
    warm = build(post, tmp_path / "b", tmp_path / "cache")
    read_again = counted[0] - before
    assert 1 <= read_again < before
    cold = build(post, tmp_path / "c", tmp_path / "other-cache")  # everything read back
    assert custom(warm) == custom(cold)


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"v": 1, "pages": {"x": [1, 2]}}', b'{"v": 99, "pages": {}}'])
def test_a_damaged_memo_is_an_empty_one(tmp_path: Path, damage: bytes) -> None:
    post = own_post(tmp_path)
    first = build(post, tmp_path / "a", tmp_path / "cache")
    (memo,) = (tmp_path / "cache" / "pptx-maps").glob("*.json")
    memo.write_bytes(damage)
    again = build(post, tmp_path / "b", tmp_path / "cache")
    assert custom(again) == custom(first)
    assert memo.read_bytes() != damage  # written anew


def test_damaged_entries_under_a_good_key_are_read_back(tmp_path: Path) -> None:
    memo = MapMemo(None)
    key = slide_key(b"<x/>", {}, [None], "", 3, False)
    memo.old[key] = [1, 2]  # not a map
    found = memo.page(b'<p:sld xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>', {}, [], "", 3, False)
    assert found.line == 3 and memo.read_back == 1


def test_the_key_sees_every_input() -> None:
    origin = [(Origin("4.1", 0, -1),)]
    base = slide_key(b"<a/>", {"rId2": "https://x.org/"}, origin, "notes", 4, False)
    assert base == slide_key(b"<a/>", {"rId2": "https://x.org/"}, [(Origin("4.1", 0, -1),)], "notes", 4, False)
    others = {
        slide_key(b"<b/>", {"rId2": "https://x.org/"}, origin, "notes", 4, False),
        slide_key(b"<a/>", {"rId2": "https://y.org/"}, origin, "notes", 4, False),
        slide_key(b"<a/>", {"rId2": "https://x.org/"}, [(Origin("4.1", 0, 3),)], "notes", 4, False),
        slide_key(b"<a/>", {"rId2": "https://x.org/"}, [(Origin("4.2", 0, -1),)], "notes", 4, False),
        slide_key(b"<a/>", {"rId2": "https://x.org/"}, [None], "notes", 4, False),
        slide_key(b"<a/>", {"rId2": "https://x.org/"}, origin, "other notes", 4, False),
        slide_key(b"<a/>", {"rId2": "https://x.org/"}, origin, "notes", 5, False),
        slide_key(b"<a/>", {"rId2": "https://x.org/"}, origin, "notes", 4, True),
    }
    assert base not in others and len(others) == 8


def test_the_key_changes_with_the_reading_code(monkeypatch: pytest.MonkeyPatch) -> None:
    before = slide_key(b"<a/>", {}, [], "", 1, False)
    monkeypatch.setattr(mapmemo, "_code_key", lambda: b"another reader")
    assert slide_key(b"<a/>", {}, [], "", 1, False) != before


def test_no_folder_or_no_post_keeps_nothing(tmp_path: Path) -> None:
    assert memo_path(None, "_posts/x.md") is None
    assert memo_path(tmp_path, "") is None
    assert memo_path(tmp_path, "_posts/x.md") != memo_path(tmp_path, "_posts/y.md")
