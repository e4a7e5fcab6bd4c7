"""check/accessibility.py and ``--ignore``: one finding per picture without a description (its
line, the fix in the post's own syntax), videos without a title, parts without a heading (a
note), link texts that are bare addresses (a hint); a build says it in one line; an existing
course can leave them all out and sees exactly what it saw before."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from deckgen.assets.resolve import AssetOptions
from deckgen.check import check_post
from deckgen.cli import main
from deckgen.options import BuildOptions

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("DECKGEN_SHARED", ROOT.parent / "shared"))

POST = """---
title: Pictures
lang: Chinese please
---

Intro text of the post.

---
## Described
![a bar chart of sales by month](chart.png)
<img src="photo.png" alt="the lab">
![](titled.png "a title describes it too")

---
## Not described
![](plain.png)
<img src="plain2.png" width="50%">

---
## Decoration
![](rule.png){: .decorative}
<img src="line.png" alt="">

---
![](after.png "described, but this part has no heading")

---
## Video
<iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe>
<iframe src="https://www.youtube.com/embed/abcdefghijl" title="A talk"></iframe>

---
## Links
See <https://arxiv.org/abs/2302.13971> and [https://example.org/x](https://example.org/x),
but [the LLaMA paper](https://arxiv.org/abs/2302.13971) says where it leads.
"""


@pytest.fixture
def post(tmp_path: Path) -> Path:
    path = tmp_path / "site" / "_posts" / "2024-01-02-pictures.md"
    path.parent.mkdir(parents=True)
    path.write_text(POST, "utf-8")
    from PIL import Image as PILImage

    for name in ("chart", "photo", "titled", "plain", "plain2", "rule", "line", "after"):
        PILImage.new("RGB", (40, 30), "teal").save(path.parent / f"{name}.png")
    return path


def _offline(tmp_path: Path) -> BuildOptions:
    return BuildOptions(out_dir=tmp_path / "out", pictures=AssetOptions(offline=True, cache_dir=tmp_path / "cache"))


def _line(text: str) -> int:
    return next(i for i, line in enumerate(POST.split("\n"), 1) if text in line)


def test_one_finding_per_undescribed_picture_on_its_line_with_the_fix(post: Path, tmp_path: Path) -> None:
    found = [f for f in check_post(post, _offline(tmp_path)) if f.kind == "accessibility"]
    by_code: dict[str, list] = {}
    for f in found:
        by_code.setdefault(f.code, []).append(f)
    pictures = by_code["A201"]
    assert [(f.line, f.severity.value) for f in pictures] == [(_line("plain.png"), "warning"), (_line("plain2.png"), "warning")]
    assert "![what the picture shows]" in pictures[0].hint and ".decorative" in pictures[0].hint
    assert 'alt="what the picture shows"' in pictures[1].hint  # the post's own syntax: HTML
    assert all(f.file == str(post) and f.get("url") for f in pictures)
    (video,) = by_code["A202"]
    assert video.line == _line("abcdefghijk") and "title=" in video.hint
    (part,) = by_code["A203"]
    assert part.line == _line("after.png") and part.severity.value == "info" and part.get("title") == "Decoration"
    links = by_code["A204"]
    assert [(f.line, f.get("url"), f.severity.value) for f in links] == [
        (_line("<https://arxiv.org"), "https://arxiv.org/abs/2302.13971", "hint"),
        (_line("<https://arxiv.org"), "https://example.org/x", "hint"),
    ]


def test_a_lang_that_is_no_language_tag_is_a_front_matter_finding(post: Path, tmp_path: Path) -> None:
    (lang,) = [f for f in check_post(post, _offline(tmp_path)) if f.code == "S203"]
    assert lang.kind == "front-matter" and lang.line == 3 and lang.get("value") == "Chinese please"


def test_ignore_leaves_out_kinds_codes_and_names(post: Path, tmp_path: Path) -> None:
    options = _offline(tmp_path)
    every = check_post(post, options)
    assert not [f for f in check_post(post, options, ignore=frozenset({"accessibility"})) if f.kind == "accessibility"]
    codes = {f.code for f in check_post(post, options, ignore=frozenset({"A201", "link-text-address"}))}
    assert "A201" not in codes and "A204" not in codes and {"A202", "A203", "S203"} <= codes
    assert {f.code for f in every} >= {"A201", "A202", "A203", "A204", "S203"}


def test_the_command_line_ignores_and_says_so_in_json(post: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    base = ["check", str(post), "--offline", "--cache-dir", str(tmp_path / "cache")]
    assert main([*base, "--output-format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert sum(1 for d in data if d["code"] == "A201" and d["kind"] == "accessibility") == 2
    assert main([*base, "--ignore", "accessibility,S203"]) == 0
    assert capsys.readouterr().out == ""
    assert main([*base, "--ignore", "a201", "--ignore", "A202,front-matter"]) == 0  # codes in any case, repeatable
    out = capsys.readouterr().out
    assert "[A203]" in out and "[A204]" in out and "[A201]" not in out
    assert main([*base, "--ignore", "nothing-known"]) == 2


def test_a_build_says_it_in_one_line_and_strict_honours_ignore(post: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    base = ["build", str(post), "--offline", "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "cache")]
    base += ["--format", "pptx"]
    assert main(base) == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "[A101]" in line]
    # 8 pictures the post means to be seen (6 + the poster of each video), 3 of them undescribed
    assert lines == [f"warning: {post}: 3 of 8 pictures have no description (deckgen check lists them) [A101]"]
    # offline, the videos' posters are unavailable: --strict fails on that and on A101 until both are ignored
    assert main([*base, "--strict"]) == 1
    capsys.readouterr()
    assert main([*base, "--strict", "--ignore", "picture"]) == 1
    capsys.readouterr()
    assert main([*base, "--strict", "--ignore", "picture,A101"]) == 0
    assert "[A101]" not in capsys.readouterr().err


def _course_check(*extra: str) -> list[str]:
    import subprocess
    import sys

    course = SHARED / "course"
    proc = subprocess.run(
        [sys.executable, "-m", "deckgen", "check", str(course), "--offline", *extra],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "DECKGEN_CACHE_DIR": os.environ.get("DECKGEN_CACHE_DIR", "/nonexistent-cache")},
    )
    return proc.stdout.splitlines()


@pytest.mark.slow
def test_on_the_course_accessibility_adds_one_finding_per_undescribed_picture_and_ignoring_it_changes_nothing() -> None:
    if not (SHARED / "course").is_dir():
        pytest.skip(f"no course at {SHARED / 'course'} (set DECKGEN_SHARED)")
    import datetime as dt

    from deckgen.diagnostics import Diagnostics
    from deckgen.model.document import content_pictures, described
    from deckgen.parse import parse_deck
    from deckgen.source import read_post

    every = _course_check()
    ignored = _course_check("--ignore", "accessibility")
    assert ignored == [line for line in every if ": accessibility: " not in line]
    assert len(ignored) == 24  # the course's 24 findings (docs/usage.md), as before accessibility was checked
    undescribed = 0
    for path in sorted((SHARED / "course").glob("2*.md")):
        diag = Diagnostics()
        deck = parse_deck(read_post(path, dt.datetime(2026, 1, 1), diag), diag)
        undescribed += sum(1 for p in content_pictures(deck) if not described(p))
    assert sum(1 for line in every if line.endswith(("[A201]", "[A202]"))) == undescribed > 1000
