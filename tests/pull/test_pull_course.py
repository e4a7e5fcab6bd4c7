"""Pulling an unedited deck gives no change at all: every post of the course
(``../shared/course``, or ``$DECKGEN_SHARED/course``) built offline, each deck pulled back.
Built again with the same cache, every deck's map comes from the memo
(:mod:`deckgen.pull.mapmemo`) and is byte for byte the one read back from the slides.
Skipped when the course is not there, except under CI (DECKGEN_NO_SKIP=1)."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT
from deckgen.pull import slideread
from deckgen.pull.deckmap import CUSTOM_PART
from deckgen.pull.run import pull_deck

SHARED = Path(os.environ.get("DECKGEN_SHARED", ROOT.parent / "shared"))
COURSE = SHARED / "course"

pytestmark = pytest.mark.slow


def test_every_unedited_course_deck_pulls_to_no_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    posts = sorted(COURSE.glob("*.md")) if COURSE.is_dir() else []
    if not posts:
        pytest.skip(f"no course at {COURSE} (set DECKGEN_SHARED)")
    from deckgen.cli import main

    out = tmp_path / "out"
    args = ["build", str(COURSE), "--out", str(out), "--offline", "--format", "pptx", "--cache-dir", str(tmp_path / "cache"), "-q"]
    assert main(args) == 0
    decks = sorted(out.glob("*.pptx"))
    assert len(decks) >= 30
    for deck in decks:
        result = pull_deck(deck)  # the post found from the record beside the deck
        assert result.post.resolve() == (COURSE / f"{deck.stem}.md").resolve()
        assert (result.diff, result.findings) == ("", ()), deck.name
    # again, with the maps remembered: not one slide read back, the same maps
    read_back = []
    monkeypatch.setattr(slideread, "read_slide", lambda xml, rels: read_back.append(1) or [])
    again = tmp_path / "again"
    assert main([*args[:2], "--out", str(again), *args[4:]]) == 0
    assert read_back == []
    for deck in decks:
        with zipfile.ZipFile(deck) as first, zipfile.ZipFile(again / deck.name) as second:
            assert second.read(CUSTOM_PART) == first.read(CUSTOM_PART), deck.name
