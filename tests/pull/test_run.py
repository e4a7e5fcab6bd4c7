"""pull/run.py: the post a deck names is found (the build's record, the folders above, --post),
one that changed since is refused, the backup's name never takes an existing file's."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from deckgen.errors import InputError
from deckgen.pull.run import backup_name, locate_post, pull_deck
from pull.conftest import Built

PROPS = {"deckgen.post": "_posts/2024-09-02-edits.md"}


def test_the_post_is_found_by_the_record_beside_the_deck_or_in_a_folder_above(own_deck: Built, tmp_path: Path) -> None:
    assert locate_post(own_deck.deck, PROPS, None) == own_deck.post  # the build's record
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    post = Path(shutil.copy(own_deck.post, site / "_posts" / own_deck.post.name))
    deck = site / "decks" / "2026" / "x.pptx"
    deck.parent.mkdir(parents=True)
    deck.write_bytes(b"")
    assert locate_post(deck, PROPS, None) == post  # no record: _posts/... under a folder above
    given = tmp_path / "old.md"
    given.write_text("x", "utf-8")
    assert locate_post(deck, PROPS, given) == given


@pytest.mark.parametrize("props", [PROPS, {}, {"deckgen.post": "../../etc/passwd"}, {"deckgen.post": "/etc/passwd"}])
def test_a_post_not_found_or_named_oddly_is_an_error_naming_post(props: dict[str, str], tmp_path: Path) -> None:
    deck = tmp_path / "deck.pptx"
    with pytest.raises(InputError) as refused:
        locate_post(deck, props, None)
    assert refused.value.code.code == "D103" and "--post" in str(refused.value)
    with pytest.raises(InputError) as missing:
        locate_post(deck, PROPS, tmp_path / "nope.md")
    assert missing.value.code.code == "D103"


def test_a_post_changed_since_the_deck_was_built_is_refused_in_one_line(own_deck: Built, tmp_path: Path) -> None:
    post = Path(shutil.copy(own_deck.post, tmp_path / own_deck.post.name))
    post.write_text(post.read_text("utf-8") + "\nA line added after the build.\n", "utf-8")
    with pytest.raises(InputError) as refused:
        pull_deck(own_deck.deck, post)
    assert refused.value.code.code == "D104"
    assert "pull before you edit the post" in str(refused.value) and "\n" not in str(refused.value)


def test_a_backup_never_takes_the_name_of_a_file_there(tmp_path: Path) -> None:
    post = tmp_path / "x.md"
    first = backup_name(post, 1_700_000_000)
    first.write_text("", "utf-8")
    second = backup_name(post, 1_700_000_000)
    assert first != second and first.name.startswith("x.md.before-pull-") and second.name.endswith("~")
    assert not os.path.lexists(second)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_the_diff_is_a_patch_of_the_post_a_last_line_without_its_end_too(newline: str) -> None:
    from deckgen.pull.run import unified_diff

    nl = newline
    before, after = f"one{nl}two{nl}last", f"one{nl}TWO{nl}last words"
    diff = unified_diff(before, after, "p.md")
    assert diff.startswith("--- a/p.md\n+++ b/p.md\n@@ -1,3 +1,3 @@\n")
    assert diff.endswith(f" one{nl}-two{nl}-last\n\\ No newline at end of file\n+TWO{nl}+last words\n\\ No newline at end of file\n")
    assert unified_diff(before, before, "p.md") == ""


def test_a_diff_of_a_long_post_keeps_its_blank_lines_unchanged_and_splits_far_changes_into_hunks() -> None:
    from deckgen.pull.run import unified_diff

    before = "".join(f"line {i}\n\n" for i in range(300)) + "last\n\n"  # blank lines everywhere: difflib's "popular" ones
    after = before.replace("line 5\n", "line five\n").replace("last\n", "the last\n")
    diff = unified_diff(before, after, "p.md")
    hunks = [line for line in diff.splitlines() if line.startswith("@@")]
    assert hunks == ["@@ -8,7 +8,7 @@", "@@ -598,5 +598,5 @@"]
    assert [line for line in diff.splitlines() if line[:1] in "+-"] == [
        "--- a/p.md", "+++ b/p.md", "-line 5", "+line five", "-last", "+the last"
    ]


def test_a_deck_with_the_title_slides_qr_code_pulls_to_nothing_and_its_edited_address_is_not_carried(tmp_path: Path) -> None:
    """The QR code and the address beside it are deckgen's own (the site's address), not the post's."""
    from pptx import Presentation

    from deckgen.cli import main

    post = tmp_path / "2024-08-03-cnn.md"
    post.write_text("---\ntitle: Networks\nauthor: Ada\n---\nWhat a convolution sees.\n\n---\n## One\n\nSome text.\n", "utf-8")
    args = ["build", str(post), "--out", str(tmp_path / "out"), "--format", "pptx", "--offline", "-q"]
    assert main([*args, "--cache-dir", str(tmp_path / "c"), "--site-url", "https://example.org/course"]) == 0
    deck = tmp_path / "out" / f"{post.stem}.pptx"
    assert "QR code" in [shape.name for shape in Presentation(str(deck)).slides[0].shapes]
    result = pull_deck(deck, post)
    assert result.diff == "" and result.findings == ()
    edited = Presentation(str(deck))
    (label,) = [s for s in edited.slides[0].shapes if s.name != "QR code" and "example.org/course" in s.text_frame.text]
    label.text_frame.paragraphs[0].runs[0].text = "example.org/elsewhere"
    edited.save(str(tmp_path / "edited.pptx"))
    result = pull_deck(tmp_path / "edited.pptx", post)
    assert result.diff == "" and [f.code for f in result.findings] == ["D209"]
