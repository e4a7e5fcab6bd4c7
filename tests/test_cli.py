"""The command line: exit codes, one-line errors, summaries, folder builds, no half-written output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deckgen.cli import main

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
