"""cli/pull.py: ``deckgen pull`` prints the post's diff (stdout), lists what does not map
(stderr, with slides), writes with --write, and says what is wrong with bad input in one line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deckgen.cli import main
from pull.conftest import Built
from support.deckedit import edit


def test_the_diff_goes_to_stdout_and_what_does_not_map_to_stderr(
    own_deck: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    def change(d: object) -> None:
        d.title(2, "Why we pull")  # type: ignore[attr-defined]
        d.colour(2, "typo")  # type: ignore[attr-defined]

    deck = edit(own_deck.deck, own_deck.out / "cli-edited.pptx", change)
    assert main(["pull", str(deck)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("--- a/2024-09-02-edits.md\n+++ b/2024-09-02-edits.md\n") and "+## Why we pull\n" in out
    assert "slide 2" in err and "[D207]" in err and "--write applies them" in err


def test_write_says_where_the_old_post_is(own_deck: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    post = Path(shutil.copy(own_deck.post, tmp_path / own_deck.post.name))
    deck = edit(own_deck.deck, tmp_path / "d.pptx", lambda d: d.title(2, "Why we pull"))  # type: ignore[attr-defined]
    assert main(["pull", str(deck), "--post", str(post), "--write"]) == 0
    out, _ = capsys.readouterr()
    assert "1 edit" in out and ".before-pull-" in out
    assert "## Why we pull\n" in post.read_text("utf-8")


def test_an_unedited_deck_says_there_is_nothing(own_deck: Built, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["pull", str(own_deck.deck)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and "no text edits" in err


def test_bad_input_is_one_line_and_exit_code_2(own_deck: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = tmp_path / "x.pptx"
    text.write_text("no", "utf-8")
    (tmp_path / "changed").mkdir()
    changed = tmp_path / "changed" / own_deck.post.name
    changed.write_text(own_deck.text() + "\nmore\n", "utf-8")
    (tmp_path / "elsewhere").mkdir()
    moved = Path(shutil.copy(own_deck.deck, tmp_path / "elsewhere" / "moved.pptx"))
    for args, code in (
        ([str(text)], "D101"),
        ([str(tmp_path / "missing.pptx")], "D101"),
        ([str(moved)], "D103"),
        ([str(own_deck.deck), "--post", str(tmp_path / "nope.md")], "D103"),
        ([str(own_deck.deck), "--post", str(changed)], "D104"),
    ):
        assert main(["pull", *args]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and err.startswith("deckgen: error: ") and f"[{code}]" in err
        assert "Traceback" not in err


def test_a_read_only_post_is_not_written_one_line_and_exit_code_1(
    own_deck: Built, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os

    post = Path(shutil.copy(own_deck.post, tmp_path / own_deck.post.name))
    os.chmod(post, 0o444)
    deck = edit(own_deck.deck, tmp_path / "d.pptx", lambda d: d.title(2, "Why we pull"))  # type: ignore[attr-defined]
    assert main(["pull", str(deck), "--post", str(post), "--write"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "[D105]" in err and "Traceback" not in err
    assert post.read_bytes() == own_deck.post.read_bytes()
