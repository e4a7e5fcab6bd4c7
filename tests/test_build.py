"""build.py: the library's build entry points (finding the posts of a folder)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.build import find_posts
from deckgen.diagnostics import Diagnostics
from deckgen.errors import InputError


def test_a_folder_yields_its_posts_but_not_its_readme(tmp_path: Path) -> None:
    for name in ("2024-01-01-a.md", "b.markdown", "README.md", "index.md", "c.txt"):
        (tmp_path / name).write_text("x", "utf-8")
    assert [p.name for p in find_posts(tmp_path)] == ["2024-01-01-a.md", "b.markdown"]


def test_a_missing_path_and_an_empty_folder_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        find_posts(tmp_path / "nope.md")
    with pytest.raises(InputError, match="no posts"):
        find_posts(tmp_path)


def test_a_symlinked_post_leaving_the_folder_is_skipped_with_a_warning(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "a.md").write_text("## a\n", "utf-8")
    (site / "inside.md").symlink_to(site / "a.md")
    secret = tmp_path / "secret.md"
    secret.write_text("## secret\n", "utf-8")
    (site / "b.md").symlink_to(secret)
    said = Diagnostics()
    posts = find_posts(site, said)
    assert [p.name for p in posts] == ["a.md", "inside.md"]
    assert [(w.code, w.file) for w in said.warnings] == [("I101", str(site / "b.md"))]
