"""The library's build entry points: finding posts, choosing the theme, writing atomically."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.build import BuildOptions, find_posts
from deckgen.errors import InputError
from deckgen.outputs import atomic_dir as _atomic_dir
from deckgen.pipeline import choose_theme


def test_a_folder_yields_its_posts_but_not_its_readme(tmp_path: Path) -> None:
    for name in ("2024-01-01-a.md", "b.markdown", "README.md", "index.md", "c.txt"):
        (tmp_path / name).write_text("x", "utf-8")
    assert [p.name for p in find_posts(tmp_path)] == ["2024-01-01-a.md", "b.markdown"]


def test_a_missing_path_and_an_empty_folder_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        find_posts(tmp_path / "nope.md")
    with pytest.raises(InputError, match="no posts"):
        find_posts(tmp_path)


def test_the_theme_comes_from_the_option_then_the_post_then_deckgen_toml(tmp_path: Path) -> None:
    (tmp_path / "deckgen.toml").write_text('theme = "dark"\n', "utf-8")
    options = BuildOptions(cwd=tmp_path)
    assert choose_theme(options, None).name == "dark"
    assert choose_theme(options, "high-contrast").name == "high-contrast"
    assert choose_theme(BuildOptions(cwd=tmp_path, theme="default"), "high-contrast").name == "default"
    assert choose_theme(BuildOptions(cwd=tmp_path / "elsewhere"), None).name == "default"


def test_a_folder_output_is_swapped_in_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "deck"
    target.mkdir()
    (target / "index.html").write_text("old", "utf-8")

    def broken(folder: Path) -> None:
        (folder / "index.html").write_text("half", "utf-8")
        raise RuntimeError("stopped half-way")

    with pytest.raises(RuntimeError):
        _atomic_dir(target, broken)
    assert (target / "index.html").read_text("utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck"]
    _atomic_dir(target, lambda folder: (folder / "index.html").write_text("new", "utf-8"))
    assert (target / "index.html").read_text("utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["deck"]
