"""pipeline.py: the one pipeline's decisions before any stage runs: the theme a post gets, and a
post too large to build in minutes refused at once, naming the limit and its option."""

from __future__ import annotations

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

    monkeypatch.setattr(pipeline, "read_post", never)
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
