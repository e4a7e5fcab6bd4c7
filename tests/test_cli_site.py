"""cli: ``build --site`` and ``--slides-dir``: where the decks go in a Jekyll site, deckgen.toml's
``slides_dir``, what is refused (exit code 2, E105), and the summary line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deckgen.cli import main
from support.sitekit import POSTS, make_site


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_site(tmp_path / "site")
    monkeypatch.chdir(root)
    return root


def build(*args: str, cache: Path) -> int:
    return main(["build", *args, "--format", "pptx", "--offline", "--jobs", "1", "-q", "--cache-dir", str(cache)])


def test_site_writes_the_decks_the_page_and_the_data_file_into_the_site(site: Path, tmp_path: Path) -> None:
    assert build("_posts", "--site", cache=tmp_path / "c") == 0
    assert (site / "slides" / "index.html").is_file()
    assert all((site / "slides" / f"{p.stem}.pptx").is_file() for p in POSTS)
    data = json.loads((site / "_data" / "decks.json").read_text("utf-8"))
    assert sorted(data) == sorted(f"_posts/{p.stem}.md" for p in POSTS)
    assert not (site / "build").exists()


def test_the_slides_folder_comes_from_the_option_else_deckgen_toml(site: Path, tmp_path: Path) -> None:
    (site / "deckgen.toml").write_text('slides_dir = "lectures"\ntitle = "Ignored: the site has one"\n', "utf-8")
    assert build("_posts", "--site", cache=tmp_path / "c") == 0
    assert (site / "lectures" / "index.html").is_file()
    assert json.loads((site / "_data" / "decks.json").read_text("utf-8"))["_posts/2024-02-01-text.md"]["course"] == "/lectures/"
    assert build("_posts", "--slides-dir", "decks/2024", cache=tmp_path / "c") == 0  # implies --site
    assert (site / "decks" / "2024" / "index.html").is_file()
    page = (site / "decks" / "2024" / "index.html").read_text("utf-8")
    assert "<title>Deep Learning 課程</title>" in page


def test_a_single_post_in_a_site_gets_its_page_and_data_too(site: Path, tmp_path: Path) -> None:
    assert build("_posts/2024-02-01-text.md", "--site", cache=tmp_path / "c") == 0
    assert list(json.loads((site / "_data" / "decks.json").read_text("utf-8"))) == ["_posts/2024-02-01-text.md"]
    assert (site / "slides" / "2024-02-01-text.card.webp").is_file()


@pytest.mark.parametrize("args", [["--slides-dir", "_slides"], ["--out", "../elsewhere"], ["--slides-dir", "../up"]])
def test_what_jekyll_would_not_publish_is_bad_usage(
    site: Path, tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert build("_posts", "--site", *args, cache=tmp_path / "c") == 2
    assert "[E105]" in capsys.readouterr().err


def test_posts_outside_a_site_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: A\n---\n\nText.\n", "utf-8")
    monkeypatch.chdir(tmp_path)
    assert build("posts", "--site", cache=tmp_path / "c") == 2
    assert "[E105]" in capsys.readouterr().err
