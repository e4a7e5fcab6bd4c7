"""``deckgen pull`` as a whole, on decks edited as PowerPoint saves them (python-pptx): each
scripted edit of the suite (``cases.py``, on the lecture and on the suite's own post) pulls to
exactly its change of the post and nothing else; what does not map is listed with its slide;
several edits at once; writing the post (a backup beside it, line ends and encoding kept)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deckgen.pull.run import pull_deck
from pull.cases import ALL, UNMAPPED, Case, expected
from pull.conftest import Built
from support.deckedit import edit


def deck_of(case: Case, own: Built, lecture: Built) -> Built:
    return own if case.deck == "own" else lecture


@pytest.fixture
def decks(own_deck: Built, request: pytest.FixtureRequest) -> dict[str, Built]:
    found = {"own": own_deck}
    if any(c.deck == "lecture" for c in ALL) and "lecture" in request.node.name:
        found["lecture"] = request.getfixturevalue("lecture_deck")
    return found


def edited(case: Case, built: Built) -> Path:
    """The case's edit made on a copy of the deck, beside it (where the build's record is)."""
    return edit(built.deck, built.out / f"edited-{case}.pptx", case.edit)


@pytest.mark.parametrize("case", ALL, ids=str)
def test_each_edit_pulls_to_its_change_of_the_post_and_nothing_else(case: Case, decks: dict[str, Built]) -> None:
    built = decks[case.deck]
    result = pull_deck(edited(case, built), built.post)
    assert result.findings == ()
    assert result.after == expected(built.text(), case)
    assert len(result.changes) == 1
    assert built.post.read_text("utf-8") == result.before  # nothing written without write=True


@pytest.mark.parametrize("case", UNMAPPED, ids=str)
def test_edits_that_do_not_map_are_listed_with_their_slide_and_change_nothing(case: Case, own_deck: Built) -> None:
    result = pull_deck(edited(case, own_deck), own_deck.post)
    assert result.diff == ""
    assert {(f.code, f.get("slide") or f.get("was")) for f in result.findings} == set(case.listed)
    assert all(f.hint for f in result.findings)  # each says what to do


def test_an_unedited_deck_pulls_to_no_change(own_deck: Built) -> None:
    result = pull_deck(own_deck.deck)  # the post found from the deck (its record beside it)
    assert (result.diff, result.findings, result.post) == ("", (), own_deck.post)


def test_many_edits_at_once_each_where_it_belongs(own_deck: Built) -> None:
    chosen = [c for c in ALL if c.deck == "own" and c.name in ("title", "bullet-added", "table-cell", "note-added",
                                                                "continuation-bullet", "chinese-bullet", "word-bold")]

    def all_of_them(d: object) -> None:
        for case in chosen:
            case.edit(d)  # type: ignore[arg-type]

    result = pull_deck(edit(own_deck.deck, own_deck.out / "edited-many.pptx", all_of_them), own_deck.post)
    want = own_deck.text()
    for case in chosen:
        want = expected(want, case)
    assert result.findings == ()
    assert result.after == want
    assert len(result.changes) == len(chosen)


def test_text_and_layout_changes_together_pull_the_text_and_list_the_rest(own_deck: Built) -> None:
    def both(d: object) -> None:
        d.title(2, "Why we pull")  # type: ignore[attr-defined]
        d.move(3, "Table")  # type: ignore[attr-defined]

    result = pull_deck(edit(own_deck.deck, own_deck.out / "edited-both.pptx", both), own_deck.post)
    assert "+## Why we pull" in result.diff
    assert [(f.code, f.get("slide")) for f in result.findings] == [("D204", "3")]


def test_write_keeps_the_old_post_beside_it_and_writes_the_new_one(own_deck: Built, tmp_path: Path) -> None:
    post = Path(shutil.copy(own_deck.post, tmp_path / own_deck.post.name))
    case = next(c for c in ALL if c.deck == "own" and c.name == "table-cell")
    deck = edit(own_deck.deck, tmp_path / "edited.pptx", case.edit)
    result = pull_deck(deck, post, write=True)
    assert result.written and result.backup is not None
    assert post.read_text("utf-8") == expected(own_deck.text(), case)
    assert result.backup.read_bytes() == own_deck.post.read_bytes()
    assert result.backup.name.startswith(post.name + ".before-pull-") and result.backup.name.endswith("~")
    # pulled once, the deck no longer matches the post: a second pull is refused, in one line
    from deckgen.errors import InputError

    with pytest.raises(InputError) as refused:
        pull_deck(deck, post, write=True)
    assert refused.value.code.code == "D104" and result.backup.name in str(refused.value)  # pulled already
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([post.name, result.backup.name, "edited.pptx"])


def test_write_keeps_crlf_line_ends_and_a_byte_order_mark(own_deck: Built, tmp_path: Path) -> None:
    from support.deckedit import DeckEditor

    out = tmp_path / "build"
    post = tmp_path / own_deck.post.name
    post.write_bytes(b"\xef\xbb\xbf" + own_deck.post.read_bytes().replace(b"\n", b"\r\n"))
    shutil.copy(own_deck.post.parent / "pic.png", tmp_path / "pic.png")
    from pull.conftest import build

    deck = build(post, out, tmp_path / "cache")
    with DeckEditor(deck, deck) as d:
        d.title(2, "Why we pull")
    result = pull_deck(deck, write=True)
    data = post.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n## Why we pull\r\n" in data
    assert data.count(b"\r\n") == own_deck.post.read_bytes().count(b"\n") and b"\n" not in data.replace(b"\r\n", b"")
    assert result.written


def test_write_leaves_a_read_only_post_alone_and_says_so(own_deck: Built, tmp_path: Path) -> None:
    import os

    from deckgen.errors import BuildError

    post = Path(shutil.copy(own_deck.post, tmp_path / own_deck.post.name))
    os.chmod(post, 0o444)
    deck = edit(own_deck.deck, tmp_path / "edited.pptx", lambda d: d.title(2, "Why we pull"))  # type: ignore[attr-defined]
    with pytest.raises(BuildError) as refused:
        pull_deck(deck, post, write=True)
    assert refused.value.code.code == "D105" and refused.value.exit_code == 1
    assert post.read_bytes() == own_deck.post.read_bytes() and os.stat(post).st_mode & 0o777 == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([post.name, "edited.pptx"])  # no backup either
