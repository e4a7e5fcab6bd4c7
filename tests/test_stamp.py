"""Incremental folder builds: an unchanged post writes nothing, a changed input rebuilds it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
from pathlib import Path

import pytest

from deckgen.assets.fetch import FetchResult
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Services, build_post
from deckgen.cli import main
from deckgen.stamp import read_stamp
from support.imageserver import encode_image

URL = "https://pictures.example/a.png"
POST = f"""---
title: Stamped
---

---
## One
Some text.

![a picture]({URL})
"""


class Web:
    """A fake web: the picture at URL, which the test can change."""

    def __init__(self) -> None:
        self.body = encode_image("one", "png", 64, 36)
        self.asked = 0

    def __call__(self, url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        self.asked += 1
        return FetchResult(200, self.body)


def options(tmp_path: Path, **extra: object) -> BuildOptions:
    """The folder build's options; an extra named like a picture option goes to the pictures."""
    picture_names = {f.name for f in dataclasses.fields(AssetOptions)}
    pictures: dict[str, object] = {"cache_dir": tmp_path / "cache"}
    pictures.update({k: v for k, v in extra.items() if k in picture_names})
    base: dict[str, object] = dict(
        formats=("pptx",),
        out_dir=tmp_path / "out",
        incremental=True,
        now=dt.datetime(2026, 1, 2),
        cwd=tmp_path,
    )
    base.update({k: v for k, v in extra.items() if k not in picture_names})
    return BuildOptions(**base, pictures=AssetOptions(**pictures))  # type: ignore[arg-type]


def written(out: Path) -> dict[str, int]:
    """Every file under ``out`` with its modification time (ns)."""
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def test_an_unchanged_post_is_up_to_date_and_nothing_is_written(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(POST, "utf-8")
    web = Web()
    first = build_post(post, options(tmp_path), Services(fetcher=web))
    assert not first.up_to_date and first.outputs[0].is_file()
    stamp = read_stamp(tmp_path / "out", post)
    assert stamp is not None and stamp.pages == first.pages and stamp.title == "Stamped"
    before = written(tmp_path / "out")
    again = build_post(post, options(tmp_path), Services(fetcher=web))
    assert again.up_to_date and again.pages == first.pages and again.outputs == first.outputs
    assert written(tmp_path / "out") == before


def test_a_post_whose_picture_failed_is_up_to_date_while_the_failure_is_remembered(tmp_path: Path) -> None:
    from deckgen.assets.fetch import FetchError

    asked: list[str] = []

    def dead(url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        asked.append(url)
        raise FetchError("host not found (offline?)")

    post = tmp_path / "post.md"
    post.write_text(POST, "utf-8")
    first = build_post(post, options(tmp_path), Services(fetcher=dead))
    assert not first.up_to_date and len(asked) == 1
    before = written(tmp_path / "out")
    again = build_post(post, options(tmp_path), Services(fetcher=dead))
    assert again.up_to_date and len(asked) == 1  # nobody asked, nothing written
    assert written(tmp_path / "out") == before
    # the failure is still said, once: the up-to-date build's own words, not the stamp's as well
    assert [(w.code, w.line, w.get("url")) for w in first.warnings] == [("P101", 9, URL)]
    assert [(w.code, w.line, w.get("url")) for w in again.warnings] == [("P101", 9, URL)]
    assert again.warnings[0].get("cause") == "remembered"


def test_an_up_to_date_build_says_what_the_writing_said(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # reveal.js neither given nor cached, offline: the HTML deck links the CDN (said by the writer)
    monkeypatch.delenv("DECKGEN_REVEAL_JS", raising=False)
    post = tmp_path / "post.md"
    post.write_text(POST.replace(f"![a picture]({URL})", "<ve>odd</ve>"), "utf-8")
    html = options(tmp_path, formats=("html",), offline=True)
    first = build_post(post, html)
    again = build_post(post, html)
    assert not first.up_to_date and again.up_to_date
    assert sorted(w.code for w in first.warnings) == ["M108", "R101"]
    assert sorted(w.code for w in again.warnings) == ["M108", "R101"]  # each once
    stamp = read_stamp(tmp_path / "out", post)
    assert stamp is not None and [d.code for d in stamp.diagnostics] == ["R101"]


def test_an_edited_post_a_changed_option_or_force_rebuild_it(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(POST, "utf-8")
    web = Web()
    build_post(post, options(tmp_path), Services(fetcher=web))
    post.write_text(POST.replace("Some text.", "Other text."), "utf-8")
    assert not build_post(post, options(tmp_path), Services(fetcher=web)).up_to_date
    assert build_post(post, options(tmp_path), Services(fetcher=web)).up_to_date
    assert not build_post(post, options(tmp_path, force=True), Services(fetcher=web)).up_to_date
    assert not build_post(post, options(tmp_path, theme="high-contrast"), Services(fetcher=web)).up_to_date
    assert not build_post(post, options(tmp_path, formats=("pptx", "html"), offline=True)).up_to_date


def test_a_missing_output_is_written_again(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(POST, "utf-8")
    first = build_post(post, options(tmp_path), Services(fetcher=Web()))
    first.outputs[0].unlink()
    again = build_post(post, options(tmp_path), Services(fetcher=Web()))
    assert not again.up_to_date and again.outputs[0].is_file()


def test_a_picture_changed_at_its_url_found_on_revalidation_rebuilds_the_post(tmp_path: Path) -> None:
    post = tmp_path / "post.md"
    post.write_text(POST, "utf-8")
    web = Web()
    build_post(post, options(tmp_path), Services(fetcher=web))
    # a fresh cache entry is trusted: no request, nothing to rebuild
    assert build_post(post, options(tmp_path), Services(fetcher=web)).up_to_date
    assert web.asked == 1
    web.body = encode_image("two", "png", 96, 54)
    later = options(tmp_path, max_age=0.001)
    os.utime(tmp_path / "post.md")  # (the post's bytes, not its time, count)
    result = build_post(post, later, Services(fetcher=web))
    assert web.asked == 2 and not result.up_to_date


def test_a_folder_rebuild_writes_only_the_index_and_the_edited_post(
    tmp_path: Path, reveal_source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    for n in range(2):
        (posts / f"2024-01-0{n + 1}-p{n}.md").write_text(POST.replace(URL, f"p{n}.png"), "utf-8")
    out = tmp_path / "out"
    args = ["build", str(posts), "--out", str(out), "--reveal-js", str(reveal_source), "--jobs", "1",
            "--cache-dir", str(tmp_path / "cache"), "--offline"]
    assert main(args) == 0
    before = written(out)
    capsys.readouterr()
    assert main(args) == 0
    text = capsys.readouterr().out
    assert text.count(": up to date") == 2 and "(2 up to date)" in text
    after = written(out)
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == set()  # the course page too is as it was: not written again

    (posts / "2024-01-02-p1.md").write_text(POST.replace("Some text.", "Edited."), "utf-8")
    assert main(args) == 0
    text = capsys.readouterr().out
    assert text.count(": up to date") == 1 and "2024-01-01-p0.md: up to date" in text
    again = written(out)
    changed = {name.split("/")[0] for name in again if again[name] != after.get(name)}
    assert changed == {"2024-01-02-p1.pptx", "2024-01-02-p1", ".deckgen"}  # its card: the same
    assert main([*args, "--force"]) == 0
    assert ": up to date" not in capsys.readouterr().out
