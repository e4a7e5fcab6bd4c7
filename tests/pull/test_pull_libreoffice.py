"""``deckgen pull`` after LibreOffice saved the deck: every scripted edit of the suite, made as
PowerPoint saves it and then opened and saved by LibreOffice (its runs cut and merged, colours
lower-cased, ids and placeholder names renumbered), pulls to the same change of the post; what
does not map is listed alike; an unedited deck saved by LibreOffice pulls to nothing.
Render tests: LibreOffice is required under CI (DECKGEN_NO_SKIP=1)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from deckgen.pull.run import pull_deck
from pull.cases import ALL, UNMAPPED, Case, expected
from pull.conftest import Built
from support.deckedit import edit, libreoffice_round_trip, soffice

pytestmark = [pytest.mark.render, pytest.mark.slow]


@pytest.fixture(scope="module")
def saved_by_libreoffice(own_deck: Built, lecture_deck: Built, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every case's edited deck, and both decks unedited, as LibreOffice saved them, put back
    beside the deck they were made from (where the build's record is)."""
    if soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    staged = tmp_path_factory.mktemp("pull-lo-in")
    decks = {"own": own_deck, "lecture": lecture_deck}
    made: dict[str, Path] = {}
    for case in (*ALL, *UNMAPPED):
        made[str(case)] = edit(decks[case.deck].deck, staged / f"{case}.pptx", case.edit)
    for name, built in decks.items():
        made[f"{name}-unedited"] = Path(shutil.copy(built.deck, staged / f"{name}-unedited.pptx"))
    saved = libreoffice_round_trip(list(made.values()), tmp_path_factory.mktemp("pull-lo-out"))
    out: dict[str, Path] = {}
    for name, path in zip(made, saved):
        home = decks[name.split("-", 1)[0]].out
        out[name] = Path(shutil.move(path, home / f"libreoffice-{path.name}"))
    return out


@pytest.mark.parametrize("case", ALL, ids=str)
def test_each_edit_saved_by_libreoffice_pulls_to_the_same_change(
    case: Case, saved_by_libreoffice: dict[str, Path], own_deck: Built, lecture_deck: Built
) -> None:
    built = own_deck if case.deck == "own" else lecture_deck
    result = pull_deck(saved_by_libreoffice[str(case)], built.post)
    assert result.findings == ()
    assert result.after == expected(built.text(), case)


@pytest.mark.parametrize("case", UNMAPPED, ids=str)
def test_what_does_not_map_is_listed_alike_after_libreoffice(
    case: Case, saved_by_libreoffice: dict[str, Path], own_deck: Built
) -> None:
    result = pull_deck(saved_by_libreoffice[str(case)], own_deck.post)
    assert result.diff == ""
    assert {(f.code, f.get("slide") or f.get("was")) for f in result.findings} == set(case.listed)


@pytest.mark.parametrize("name", ["own", "lecture"])
def test_an_unedited_deck_saved_by_libreoffice_pulls_to_nothing(
    name: str, saved_by_libreoffice: dict[str, Path], own_deck: Built, lecture_deck: Built
) -> None:
    built = own_deck if name == "own" else lecture_deck
    result = pull_deck(saved_by_libreoffice[f"{name}-unedited"])  # the post found from the record beside it
    assert (result.diff, result.findings, result.post) == ("", (), built.post)


def _uno_python() -> str | None:
    """A Python that has LibreOffice's UNO bridge (python3-uno): the system's, not the suite's."""
    import subprocess

    for exe in ("/usr/bin/python3", shutil.which("python3") or ""):
        if exe and subprocess.run([exe, "-c", "import uno"], capture_output=True, timeout=60).returncode == 0:
            return exe
    return None


def test_edits_typed_in_impress_pull_to_their_changes(own_deck: Built, tmp_path: Path) -> None:
    """Impress itself, through UNO: a title retyped in part, a bullet reworded, a word made bold,
    Enter and a new bullet, a table cell, Chinese text, notes typed on a slide without them."""
    import socket
    import subprocess

    from conftest import ROOT

    python = _uno_python()
    if soffice() is None or python is None:
        pytest.skip("LibreOffice with its Python bridge (python3-uno) is not installed")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    deck = own_deck.out / "impress-edited.pptx"
    script = ROOT / "tests" / "support" / "impress_edit.py"
    subprocess.run([python, str(script), str(own_deck.deck), str(deck), str(port), str(tmp_path / "profile")],
                   check=True, timeout=600, capture_output=True, start_new_session=True)
    result = pull_deck(deck)
    want = own_deck.text()
    for old, new in (
        ("## Why pull\n", "## Why we pull\n"),
        ("- A typo fixed the night before class\n", "- A **typo** fixed the morning before class\n- A picture described\n"),
        ("| Beta | 84.0 |", "| Beta | 84.5 |"),
        ("資料的收集", "資料的整理"),
        ("A slide that has no speaker notes.\n", "A slide that has no speaker notes.\n\n<!-- Mention the record in .deckgen. -->\n"),
    ):
        assert want.count(old) == 1
        want = want.replace(old, new)
    assert result.findings == ()
    assert result.after == want
