"""cli.py: the command line: exit codes, one-line errors, summaries, folder builds, no half-written
output; --format, --handout and --paper; the picture options (--strict, --offline, --refresh,
--max-size, --timeout) and the ``cache`` command."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pymupdf
import pytest
from pptx import Presentation

from deckgen.assets.cache import Cache
from deckgen.assets.resolve import AssetOptions
from deckgen.cli import main
from deckgen.options import BuildOptions
from support.imageserver import ImageServer

POST = """---
title: Tiny Post
author: Teacher
tags: [test]
---

An abstract.

---
## First
Hello **world**<br>second line
<!-- say hello first -->

---
## Second
* one
* two
"""


def write(path: Path, text: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, "utf-8")
    return path


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DECKGEN_CACHE_DIR=str(cwd / "cache"))
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)


def test_version_and_help(tmp_path: Path) -> None:
    out = run(["--version"], tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("deckgen ")
    out = run(["build", "--help"], tmp_path)
    assert out.returncode == 0
    for option in ("--format", "--out", "--theme", "--offline", "--cache-dir", "--reveal-js", "-q", "-v"):
        assert option in out.stdout


def test_build_writes_both_decks_and_one_summary_line(tmp_path: Path, reveal_source: Path) -> None:
    post = write(tmp_path / "lecture" / "tiny.md", POST)
    out = run(["build", str(post), "--reveal-js", str(reveal_source)], tmp_path)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "build" / "tiny.pptx").is_file()
    assert (tmp_path / "build" / "tiny" / "index.html").is_file()
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    assert "3 slides" in lines[0] and "images 0" in lines[0] and "tiny.pptx" in lines[0]


def test_build_without_a_path_builds_the_lecture_folder(tmp_path: Path, reveal_source: Path) -> None:
    write(tmp_path / "lecture" / "tiny.md", POST)
    out = run(["build", "--format", "pptx", "-q"], tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert (tmp_path / "build" / "tiny.pptx").is_file()
    assert not (tmp_path / "build" / "tiny").exists()


def test_speaker_notes_reach_both_decks(tmp_path: Path, reveal_source: Path) -> None:
    from pptx import Presentation

    post = write(tmp_path / "tiny.md", POST)
    assert main(["build", str(post), "--out", str(tmp_path / "out"), "--reveal-js", str(reveal_source), "-q",
                 "--cache-dir", str(tmp_path / "cache")]) == 0
    prs = Presentation(str(tmp_path / "out" / "tiny.pptx"))
    notes = [s.notes_slide.notes_text_frame.text for s in prs.slides if s.has_notes_slide]
    assert "say hello first" in notes
    html = (tmp_path / "out" / "tiny" / "index.html").read_text("utf-8")
    assert '<aside class="notes"><p>say hello first</p></aside>' in html


@pytest.mark.parametrize(
    ("setup", "args", "place", "code", "names"),
    [
        (lambda d: None, ["build", "missing.md"], "missing.md: ", "E100", "missing.md"),
        (lambda d: (d / "empty").mkdir(), ["build", "empty"], "empty: ", "E100", "empty"),
        (lambda d: write(d / "bad.md", "---\ntitle: [unclosed\n---\nbody\n"), ["build", "bad.md"], "bad.md:2: ", "E103", ""),
        (lambda d: write(d / "latin1.md", "caf\xe9\n".encode("latin-1")), ["build", "latin1.md"], "latin1.md:1: ", "E102", "0xe9"),
        (lambda d: write(d / "binary.md", b"\x89PNG\x00\x00"), ["build", "binary.md"], "binary.md: ", "E102", ""),
        (lambda d: None, ["build", "--format", "docx"], "", "E100", "'docx'"),
        (lambda d: None, ["build", "--handout", "4"], "", None, "invalid choice"),  # argparse's own
        (lambda d: write(d / "deckgen.toml", 'formats = ["pdf", "odp"]\n'), ["build"], "{tmp}/deckgen.toml: ", "E100", "'odp'"),
        (lambda d: write(d / "tiny.md", POST), ["build", "tiny.md", "--theme", "nope"], "", "E201", "'nope'"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(
    tmp_path: Path, setup, args: list[str], place: str, code: str | None, names: str
) -> None:
    setup(tmp_path)
    out = run(args, tmp_path)
    assert out.returncode == 2, out.stderr
    errors = [line for line in out.stderr.splitlines() if line.startswith("deckgen: error:")]
    assert len(errors) == 1, out.stderr
    (error,) = errors
    assert error.startswith("deckgen: error: " + place.format(tmp=tmp_path)), error
    assert code is None or error.endswith(f" [{code}]"), error
    assert names in error
    assert "Traceback" not in out.stderr
    assert not (tmp_path / "build").exists() or not any((tmp_path / "build").iterdir())


def test_verbose_shows_the_traceback(tmp_path: Path) -> None:
    write(tmp_path / "bad.md", "---\ntitle: [unclosed\n---\n")
    out = run(["build", "bad.md", "-v"], tmp_path)
    assert out.returncode == 2 and "Traceback" in out.stderr


@pytest.mark.parametrize(
    ("where", "status", "code"),
    [
        ("a crash in a post's build", 1, "E901"),
        ("an internal error before any build", 1, "E901"),
        ("a post that is not there", 2, "E100"),
    ],
)
def test_quiet_and_verbose_together_still_show_the_traceback(
    where: str,
    status: int,
    code: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``-qv`` is ``-q`` and ``-v``: the traceback shows. (The verbosity of an error reaching
    ``main`` was once found by looking for "-v" among the arguments: ``-qv`` printed none.)"""
    import deckgen.build as build
    import deckgen.parse as parse
    from deckgen.errors import InternalError

    post = write(tmp_path / "tiny.md", POST)
    if where == "a crash in a post's build":

        def crash(*args: object, **kwargs: object) -> None:
            raise RuntimeError("boom")

        monkeypatch.setattr(parse, "parse_deck", crash)
    elif where == "an internal error before any build":

        def bug(*args: object, **kwargs: object) -> None:
            raise InternalError("internal error: find_posts got a boom, a kind it does not know")

        monkeypatch.setattr(build, "find_posts", bug)
    else:
        post = tmp_path / "nope.md"
    args = ["build", str(post), "--offline", "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "c")]
    assert main([*args, "-qv"]) == status
    err = capsys.readouterr().err
    assert "Traceback (most recent call last)" in err, err
    last = err.rstrip("\n").splitlines()[-1]
    assert last.startswith("deckgen: error: ") and last.endswith(f" [{code}]"), last
    assert main([*args, "-q"]) == status
    assert "Traceback" not in capsys.readouterr().err  # -q alone: the one line


def test_a_failed_write_leaves_no_half_written_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import deckgen.writers.pptx as writer

    post = write(tmp_path / "tiny.md", POST)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    (out_dir / "tiny.pptx").write_bytes(b"previous deck")

    def boom(self, deck, target):  # noqa: ANN001
        target.write(b"partial")
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(writer.PptxWriter, "write", boom)
    code = main(["build", str(post), "--out", str(out_dir), "--format", "pptx", "--cache-dir", str(tmp_path / "c")])
    assert code == 1
    assert (out_dir / "tiny.pptx").read_bytes() == b"previous deck"
    assert [p.name for p in out_dir.iterdir()] == ["tiny.pptx"]


def test_a_folder_builds_in_parallel_with_a_course_index_and_a_failing_post_does_not_stop_the_others(
    tmp_path: Path, reveal_source: Path
) -> None:
    for n in range(3):
        write(tmp_path / "posts" / f"2024-0{n + 1}-01-post{n}.md", POST.replace("Tiny Post", f"Post {n}"))
    write(tmp_path / "posts" / "2024-09-09-broken.md", "---\ntitle: [x\n---\n")
    out = run(["build", "posts", "--reveal-js", str(reveal_source), "--jobs", "2"], tmp_path)
    assert out.returncode == 1
    (error,) = [line for line in out.stderr.splitlines() if line.startswith("deckgen: error:")]
    assert error.startswith(f"deckgen: error: {Path('posts') / '2024-09-09-broken.md'}:2: ") and error.endswith(" [E103]")
    assert "course: 3 of 4 posts built" in out.stdout
    index = (tmp_path / "build" / "index.html").read_text("utf-8")
    for n in range(3):
        assert f"Post {n}" in index
        assert (tmp_path / "build" / f"2024-0{n + 1}-01-post{n}.pptx").is_file()
    assert 'href="2024-01-01-post0/index.html"' in index


def test_build_writes_the_pdf_and_a_handout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    post = write(tmp_path / "tiny.md", POST)
    code = main(
        ["build", str(post), "--format", "pdf", "--handout", "6", "--paper", "letter", "--offline", "-q",
         "--cache-dir", str(tmp_path / "cache")]
    )
    assert code == 0
    out = tmp_path / "build"
    assert sorted(p.name for p in out.iterdir()) == [".deckgen", "tiny.handout-6.pdf", "tiny.pdf"]  # (.deckgen: the record)
    slides = pymupdf.open(str(out / "tiny.pdf"))
    handout = pymupdf.open(str(out / "tiny.handout-6.pdf"))
    assert len(handout) == -(-len(slides) // 6)
    assert round(handout[0].rect.width) == 612


def test_the_toml_formats_apply_when_no_format_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "deckgen.toml", 'formats = ["pdf"]\n')
    post = write(tmp_path / "tiny.md", POST)
    assert main(["build", str(post), "--offline", "-q", "--cache-dir", str(tmp_path / "cache")]) == 0
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == [".deckgen", "tiny.pdf"]


# -- pictures: --strict, --offline, --refresh, --max-size, --timeout ------------------------

DAY = 86400.0


@pytest.fixture
def server() -> Iterator[ImageServer]:
    with ImageServer() as srv:
        yield srv


def write_post(folder: Path, urls: list[str], name: str = "demo.md") -> Path:
    """A post with one picture per slide; the picture of slide i is on line 6 + 4 i."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = ["---\ntitle: Pictures\n---\n"]
    for i, url in enumerate(urls):
        parts.append(("---\n" if i else "") + f"## Slide {i + 1}\n![picture {i + 1}]({url})\n\n")
    path = folder / name
    path.write_text("\n".join(parts), "utf-8")
    return path


def image_lines(post: Path) -> list[int]:
    return [n for n, line in enumerate(post.read_text("utf-8").splitlines(), 1) if line.startswith("![")]


def build(post: Path, tmp: Path, *extra: str) -> int:
    return main(
        [
            "build",
            str(post),
            "--format",
            "pptx",
            "--out",
            str(tmp / "out"),
            "--cache-dir",
            str(tmp / "cache"),
            *extra,
        ]
    )


def pictures(pptx: Path) -> list:
    return [sh for s in Presentation(str(pptx)).slides for sh in s.shapes if sh.shape_type == 13]


def test_a_bad_picture_warns_once_and_the_build_succeeds_unless_strict(
    server: ImageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = server.url("fault/html.png")
    post = write_post(tmp_path / "posts", [server.image_url("ok", "jpg"), bad])
    assert build(post, tmp_path) == 0
    err = capsys.readouterr().err
    line = image_lines(post)[1]
    (warning,) = [w for w in err.splitlines() if w.startswith("warning:")]
    assert warning.startswith(f"warning: {post}:{line}: {bad}: ") and warning.endswith(" [P101]")
    assert len(pictures(tmp_path / "out" / "demo.pptx")) == 1

    assert build(post, tmp_path, "--strict") == 1
    captured = capsys.readouterr()
    assert "--strict" in captured.err and captured.err.count("warning:") == 1
    assert (tmp_path / "out" / "demo.pptx").is_file()  # the deck is still written


def test_strict_with_only_good_pictures_succeeds(server: ImageServer, tmp_path: Path) -> None:
    post = write_post(tmp_path / "posts", [server.image_url("fine", "png", alpha=True)])
    assert build(post, tmp_path, "--strict") == 0


def test_max_size_and_timeout_options_reach_the_downloads(
    server: ImageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckgen.assets.fetch import HttpFetcher

    policies = []
    real_init = HttpFetcher.__init__

    def init(self: HttpFetcher, *args: object, **kwargs: object) -> None:
        real_init(self, *args, **kwargs)  # type: ignore[arg-type]
        policies.append(self.policy)

    monkeypatch.setattr(HttpFetcher, "__init__", init)
    post = write_post(
        tmp_path / "posts", [server.image_url("big", "png", w=1200, h=800), server.url("fault/hang.png")]
    )
    assert build(post, tmp_path, "--max-size", "0.5", "--timeout", "1.5", "--strict") == 1
    (policy,) = policies
    assert (policy.total_timeout, policy.max_bytes) == (1.5, 512 * 1024)
    # the hanging server was given up at the 1.5 s deadline: no time was left for a second try
    assert server.hits["/fault/hang.png"] == 1
    warnings = [w for w in capsys.readouterr().err.splitlines() if w.startswith("warning:")]
    assert len(warnings) == 2 and all(w.endswith(" [P101]") for w in warnings)
    assert "larger than the 0.5 MB limit" in warnings[0]
    assert "no answer" in warnings[1]


def test_offline_after_a_build_makes_no_request_and_refresh_revalidates(
    server: ImageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    urls = [server.image_url(f"p{i}", "jpg") for i in range(3)]
    post = write_post(tmp_path / "posts", urls)
    assert build(post, tmp_path) == 0
    assert "3 downloaded" in capsys.readouterr().out
    server.reset_log()

    assert build(post, tmp_path, "--offline", "--strict") == 0
    assert "3 cached" in capsys.readouterr().out
    assert server.requests == []

    assert build(post, tmp_path, "--refresh") == 0
    assert len(server.requests) == 3
    assert all("If-None-Match" in r.headers for r in server.requests)
    assert "3 cached" in capsys.readouterr().out  # every answer was 304
    assert len(pictures(tmp_path / "out" / "demo.pptx")) == 3


def test_offline_with_an_empty_cache_gives_placeholders_without_any_request(
    server: ImageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write_post(tmp_path / "posts", [server.image_url("x", "jpg"), server.image_url("y", "jpg")])
    assert build(post, tmp_path, "--offline") == 0
    captured = capsys.readouterr()
    assert "2 failed" in captured.out and "offline" in captured.out
    warnings = [w for w in captured.err.splitlines() if w.startswith("warning:")]
    assert len(warnings) == 2 and all(w.startswith(f"warning: {post}:") and w.endswith(" [P101]") for w in warnings)
    assert server.requests == []
    assert build(post, tmp_path, "--offline", "--strict") == 1


# -- deckgen cache ----------------------------------------------------------------------


def cache_cli(tmp_path: Path, *args: str) -> int:
    return main(["cache", "--cache-dir", str(tmp_path / "cache"), *args])


def test_cache_info_prune_and_clear(
    server: ImageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cache_cli(tmp_path, "info") == 0
    assert "entries: 0 URLs" in capsys.readouterr().out

    post = write_post(tmp_path / "posts", [server.image_url(f"c{i}", "jpg") for i in range(3)])
    assert build(post, tmp_path) == 0
    capsys.readouterr()
    assert cache_cli(tmp_path, "info") == 0
    out = capsys.readouterr().out
    assert "entries: 3 URLs, 3 files, 3 renditions" in out
    assert re.search(r"size: [\d.]+ [kM]B \((\d+) bytes\)", out)
    assert re.search(rf"oldest: {time.strftime('%Y-%m-%d')} \d\d:\d\d", out)

    assert cache_cli(tmp_path, "prune", "--older-than", "30") == 0
    assert "removed 0 entries" in capsys.readouterr().out

    # one entry was last confirmed 40 days ago, with files just as old
    cache = Cache(tmp_path / "cache")
    old = cache.lookup(server.image_url("c0", "jpg"))
    assert old is not None
    cache.touch(old, now=time.time() - 40 * DAY)
    then = time.time() - 40 * DAY
    for path in (tmp_path / "cache").rglob(f"{old.blob}*"):
        os.utime(path, (then, then))
    assert cache_cli(tmp_path, "prune", "--older-than", "30") == 0
    assert "removed 1 entries and 2 files older than 30 days" in capsys.readouterr().out
    assert cache.info().entries == 2 and cache.lookup(old.url) is None

    assert cache_cli(tmp_path, "clear") == 0
    assert "cleared" in capsys.readouterr().out
    assert cache_cli(tmp_path) == 0  # info is the default action
    assert "entries: 0 URLs, 0 files, 0 renditions" in capsys.readouterr().out


@pytest.mark.parametrize("args", [["prune", "--older-than", "-1"], ["prune"], ["prune", "--older-than", "x"]])
def test_cache_prune_refuses_bad_input(
    tmp_path: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cache_cli(tmp_path, *args) == 2
    assert "error" in capsys.readouterr().err


def test_the_build_and_the_check_take_the_same_picture_options(tmp_path: Path) -> None:
    from deckgen.cli import build_options, make_parser

    flags = [
        "--offline", "--refresh", "--max-age", "5", "--max-size", "7", "--timeout", "9",
        "--site-root", str(tmp_path), "--allow-files", str(tmp_path), "--cache-dir", str(tmp_path / "c"),
    ]
    expected = AssetOptions(
        offline=True,
        refresh=True,
        max_age=5 * DAY,
        max_bytes=7 * 1024 * 1024,
        timeout=9.0,
        site_root=tmp_path,
        allow_files=(tmp_path,),
        cache_dir=tmp_path / "c",
    )
    parser = make_parser()
    for command in ("build", "check", "serve"):
        options = build_options(parser.parse_args([command, *flags]))
        assert options.pictures == expected, command
        assert options.offline is True
    assert BuildOptions(pictures=AssetOptions(workers=3)).pictures.workers == 3
