"""pipeline.py: the one pipeline's decisions before any stage runs: the theme a post gets, and a
post too large to build in minutes refused at once, naming the limit and its option."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

import deckgen.pipeline as pipeline
from deckgen.cli import main
from deckgen.options import BuildOptions
from deckgen.pipeline import choose_theme


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_a_post_over_the_size_limit_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """At once: from its size on disk, before a byte of it is read (how long the refusal takes:
    ``bench/bench_limits.py``)."""
    post = tmp_path / "huge.md"
    post.write_text("---\ntitle: Huge\n---\n" + "## Slide\n\ntext\n\n---\n\n" * 60_000, "utf-8")

    def never(*args: object) -> None:
        raise AssertionError("the post was read")

    monkeypatch.setattr(pipeline, "post_from_bytes", never)
    monkeypatch.setattr(Path, "read_bytes", never)
    code = main(["build", str(post), "--out", str(tmp_path / "out"), "--offline", "--cache-dir", str(tmp_path / "c")])
    assert code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith(f"deckgen: error: {post}: ") and err[0].endswith(" [E104]")
    assert "1.2 MB" in err[0] and "--max-post-size" in err[0]  # the size, the limit's option
    assert not (tmp_path / "out" / "huge.pptx").exists()


def test_the_limit_can_be_raised(tmp_path: Path) -> None:
    post = tmp_path / "big.md"
    padding = "x" * 1_100_000  # a front-matter key nothing reads: size without work
    post.write_text(f"---\ntitle: Big\npadding: {padding}\n---\n" + "## Slide\n\ntext\n\n---\n\n" * 10, "utf-8")
    out = tmp_path / "out"
    args = ["build", str(post), "--out", str(out), "--offline", "--format", "pptx", "--cache-dir", str(tmp_path / "c")]
    assert main([*args, "-q"]) == 2
    assert main([*args, "-q", "--max-post-size", "2"]) == 0 and (out / "big.pptx").is_file()


def test_lookup_order_option_then_front_matter_then_config_then_default(tmp_path: Path) -> None:
    def chosen(option: str | None, front: str | None) -> str:
        return choose_theme(BuildOptions(theme=option, cwd=tmp_path), front).name

    assert chosen(None, None) == "default"
    write(tmp_path / "deckgen.toml", 'theme = "dark"\n')
    assert choose_theme(BuildOptions(cwd=tmp_path / "elsewhere"), None).name == "default"  # only the working folder's
    assert chosen(None, None) == "dark"
    assert chosen(None, "high-contrast") == "high-contrast"
    assert chosen("default", "high-contrast") == "default"
    path = write(tmp_path / "elsewhere" / "mine.toml", 'name = "mine"\n')
    assert chosen(str(path), "dark") == "mine"
    assert chosen("elsewhere/mine.toml", None) == "mine"  # relative to the working folder


def test_the_deck_knows_where_the_site_publishes_it_and_the_stamp_does_too(tmp_path: Path) -> None:
    """``Meta.deck_url`` (the title slide's QR code): --site-url, else url + baseurl of the
    site's _config.yml, and the deck's folder in the site; deckgen.toml's ``slides_dir`` for
    an output folder outside the site."""
    from deckgen.assets.resolve import AssetOptions
    from deckgen.stamp import digest_of

    site = tmp_path / "site"
    write(site / "_config.yml", "url: https://x.org\nbaseurl: /c\n")
    post = write(site / "_posts" / "2024-01-01-a.md", "---\ntitle: A\n---\n## S\n\ntext\n")
    pictures = AssetOptions(offline=True, cache_dir=tmp_path / "cache")

    def deck_url(**options: object) -> str:
        record = pipeline.run_post(post, BuildOptions(pictures=pictures, cwd=tmp_path, **options), until="assets")  # type: ignore[arg-type]
        assert record.deck is not None
        return record.deck.meta.deck_url

    assert deck_url(out_dir=site / "slides") == "https://x.org/c/slides/2024-01-01-a/"
    assert deck_url(out_dir=site / "slides", site_url="https://example.org/course/") == "https://example.org/course/slides/2024-01-01-a/"
    write(tmp_path / "deckgen.toml", 'slides_dir = "decks"\n')
    assert deck_url(out_dir=tmp_path / "build") == "https://x.org/c/decks/2024-01-01-a/"
    write(site / "_config.yml", "title: no address\n")
    assert deck_url(out_dir=site / "slides") == ""
    # the address is in what the stamp hashes: a deck built for another address is built again
    record = pipeline.run_post(post, BuildOptions(pictures=pictures, cwd=tmp_path, out_dir=site / "slides"), until="assets")
    assert record.deck is not None
    theme = choose_theme(BuildOptions(), None)
    options = BuildOptions(pictures=pictures)
    moved = replace(record.deck, meta=replace(record.deck.meta, deck_url="https://x.org/other/"))
    assert digest_of(post, theme, options, record.deck) != digest_of(post, theme, options, moved)
