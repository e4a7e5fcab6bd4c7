"""An unchanged course built again (issue 21): nothing is written, no post is parsed (the quick
look, ``deckgen.quick``), and the command says and exits exactly as the full way does; a post
whose remembered picture failure was forgotten is asked for again."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from deckgen import parse
from deckgen import quick as quick_look
from deckgen.cli import main
from deckgen.model.document import Deck
from deckgen.source import Source
from support.imageserver import ImageServer, encode_image

TIMES = re.compile(r"\b\d+\.\d+ s\b")


def course(folder: Path, server: ImageServer) -> Path:
    posts = folder / "posts"
    posts.mkdir(parents=True)
    (posts / "local.png").write_bytes(encode_image("local", "png", 40, 30))
    bodies = [
        f"## Pictures\n\n![a remote one]({server.image_url('unchanged-a', 'png')})\n\n---\n\n## Local\n\n![](local.png)\n",
        f"## A failure\n\n![gone]({server.url('fault/404.png')})\n\nAn [empty link]().\n",
        "## Text only\n\n- one\n- two\n",
    ]
    for n, body in enumerate(bodies):
        (posts / f"2026-01-0{n + 1}-p{n}.md").write_text(f"---\ntitle: Post {n}\n---\n\n{body}", "utf-8")
    return posts


def written(out: Path) -> dict[str, int]:
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def said(capsys: pytest.CaptureFixture[str], code: int) -> tuple[int, str, str]:
    got = capsys.readouterr()
    return code, TIMES.sub("T s", got.out), TIMES.sub("T s", got.err)


def test_an_unchanged_course_is_not_parsed_writes_nothing_and_says_what_the_full_way_says(
    tmp_path: Path, image_server: ImageServer, reveal_source: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    posts, out = course(tmp_path, image_server), tmp_path / "out"
    args = ["build", str(posts), "--out", str(out), "--reveal-js", str(reveal_source), "--jobs", "1",
            "--cache-dir", str(tmp_path / "cache")]
    main(args)
    capsys.readouterr()
    before = written(out)
    parses: list[object] = []
    real = parse.parse_deck  # (the pipeline imports the parser when it parses)
    monkeypatch.setattr(parse, "parse_deck", lambda *a, **k: parses.append(a) or real(*a, **k))
    for verbose in ([], ["-v"]):
        with monkeypatch.context() as patch:
            patch.setattr(quick_look, "look", lambda *a, **k: None)  # the pipeline imports it when it looks
            full = said(capsys, main([*args, *verbose]))
        assert len(parses) == 3
        parses.clear()
        quick = said(capsys, main([*args, *verbose]))
        assert parses == []  # no post parsed
        assert quick == full  # exit code, every line of stdout and stderr, the grouped summary too
        assert written(out) == before  # nothing written: the decks, the course page, the records
    assert quick[1].count(": up to date") == 3 and "(3 up to date)" in quick[1]
    assert "P101" in quick[2] and "L101" in quick[2]
    # in worker processes, as a folder build runs by default
    in_pool = ["2" if a == "1" else a for a in args]
    assert said(capsys, main(in_pool)) == quick
    assert written(out) == before


def test_a_forgotten_failure_and_an_edited_post_take_the_full_way(
    tmp_path: Path, image_server: ImageServer, reveal_source: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    posts, out, cache = course(tmp_path, image_server), tmp_path / "out", tmp_path / "cache"
    args = ["build", str(posts), "--out", str(out), "--reveal-js", str(reveal_source), "--jobs", "1",
            "--cache-dir", str(cache), "-q"]
    main(args)
    image_server.reset_log()
    parsed: list[str] = []
    real = parse.parse_deck

    def counted(source: Source, *args: Any, **kwargs: Any) -> Deck:
        parsed.append(source.path.name)
        return real(source, *args, **kwargs)

    monkeypatch.setattr(parse, "parse_deck", counted)
    main(args)
    assert parsed == [] and image_server.hits["/fault/404.png"] == 0  # remembered: not asked
    for failure in (cache / "failures").rglob("*.json"):
        failure.unlink()  # forgotten (its time is up, or the cache was cleared)
    (posts / "2026-01-03-p2.md").write_text("---\ntitle: Post 2\n---\n\n## Edited\n", "utf-8")
    capsys.readouterr()
    main([*args[:-1]])
    assert parsed == ["2026-01-02-p1.md", "2026-01-03-p2.md"]
    assert image_server.hits["/fault/404.png"] == 1  # asked again
    text = capsys.readouterr().out
    assert "2026-01-01-p0.md: up to date" in text and "p1.md: up to date" in text  # failed again: the same deck
    assert "p2.md: up to date" not in text
