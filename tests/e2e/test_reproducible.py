"""Reproducible outputs: the same inputs give the same bytes (.pptx, the HTML deck's every
file, PDF, handout), compared as bytes, nothing normalised; with SOURCE_DATE_EPOCH, on
different days too. Builds run in this process and in fresh ones (another hash seed), with a
warm cache and a cold one (every picture drawn again)."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import LECTURE, ROOT
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Services, build_post
from support.localdeck import LocalFetcher, localize_post

DAY1 = dt.datetime(2026, 12, 7, 10, 45)
DAY2 = dt.datetime(2027, 3, 1, 8, 0)
EPOCH = 1_725_179_400  # 2024-09-01 08:30:00 UTC
POST = """---
title: Same bytes
date: 2024-03-05
---

## A slide {n}
Built {{{{ site.time }}}}, 中文 text.

---
## Another
- one
- two

<!-- a note -->
"""
DRIVER = """
import datetime as dt, sys
from pathlib import Path
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, build_post
post, out, cache, reveal, now = sys.argv[1:6]
options = BuildOptions(formats=("pptx", "html", "pdf"), handout=2, out_dir=Path(out), reveal_js=Path(reveal),
    now=dt.datetime.fromisoformat(now), pictures=AssetOptions(offline=True, cache_dir=Path(cache)))
build_post(Path(post), options)
"""


def files_of(out: Path) -> dict[str, bytes]:
    """Every output file's bytes (the record in .deckgen/ holds times: not an output)."""
    return {
        p.relative_to(out).as_posix(): p.read_bytes()
        for p in sorted(out.rglob("*"))
        if p.is_file() and ".deckgen" not in p.relative_to(out).parts
    }


def assert_same(a: Path, b: Path) -> None:
    left, right = files_of(a), files_of(b)
    assert left.keys() == right.keys()
    differ = [name for name in left if left[name] != right[name]]
    assert not differ, f"not the same bytes: {differ}"


def options(out: Path, cache: Path, reveal: Path, now: dt.datetime, **extra: object) -> BuildOptions:
    return BuildOptions(
        formats=("pptx", "html", "pdf"),
        handout=2,
        out_dir=out,
        reveal_js=reveal,
        now=now,
        pictures=AssetOptions(cache_dir=cache, offline=bool(extra.pop("offline", False))),
        **extra,  # type: ignore[arg-type]
    )


def in_fresh_process(post: Path, out: Path, cache: Path, reveal: Path, now: dt.datetime, seed: str) -> None:
    environ = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "-c", DRIVER, str(post), str(out), str(cache), str(reveal), now.isoformat()],
        env=environ, check=True, timeout=300,
    )


@dataclass(frozen=True)
class Lecture:
    post: Path  # the lecture, its pictures on the local server
    out: Path  # built once, cold
    cache: Path  # warm now


@pytest.fixture(scope="module")
def lecture(image_server, reveal_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Lecture:  # type: ignore[no-untyped-def]
    work = tmp_path_factory.mktemp("reproducible")
    post = localize_post(image_server, LECTURE, work / "posts")
    opts = options(work / "a", work / "cache-a", reveal_source, DAY1)
    first = build_post(post, opts, Services(fetcher=LocalFetcher(image_server)))
    assert {p.suffix for p in first.outputs} == {".html", ".pptx", ".pdf"} and len(first.outputs) == 4
    return Lecture(post, work / "a", work / "cache-a")


@pytest.mark.slow
def test_the_lecture_twice_gives_the_same_bytes(lecture: Lecture, image_server, reveal_source: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    # a cold cache: every picture downloaded and drawn again, the .pptx base and the CJK font made again
    fresh = options(tmp_path / "b", tmp_path / "cache-b", reveal_source, DAY1)
    build_post(lecture.post, fresh, Services(fetcher=LocalFetcher(image_server)))
    assert_same(lecture.out, tmp_path / "b")
    # another process, another hash seed (set and dict orders)
    in_fresh_process(lecture.post, tmp_path / "c", lecture.cache, reveal_source, DAY1, "12345")
    assert_same(lecture.out, tmp_path / "c")


@pytest.mark.slow
def test_with_source_date_epoch_the_lecture_is_the_same_on_another_day(lecture: Lecture, reveal_source: Path, tmp_path: Path) -> None:
    post, cache = lecture.post, lecture.cache
    stamp = dt.datetime.fromtimestamp(EPOCH, dt.UTC)
    build_post(post, options(tmp_path / "d1", cache, reveal_source, DAY1, offline=True, source_date=stamp))
    build_post(post, options(tmp_path / "d2", cache, reveal_source, DAY2, offline=True, source_date=stamp))
    assert_same(tmp_path / "d1", tmp_path / "d2")
    # the command, today, in another process: SOURCE_DATE_EPOCH read from the environment
    command = [sys.executable, "-m", "deckgen", "build", str(post), "--out", str(tmp_path / "d3"), "--format", "all",
               "--handout", "2", "--offline", "--cache-dir", str(cache), "--reveal-js", str(reveal_source), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "SOURCE_DATE_EPOCH": str(EPOCH), "PYTHONHASHSEED": "0"}
    subprocess.run(command, env=env, check=True, timeout=300, cwd=tmp_path)
    assert_same(tmp_path / "d1", tmp_path / "d3")
    # without it, the lecture's "last updated {{ site.time }}" is the day of the build, by design
    build_post(post, options(tmp_path / "n2", cache, reveal_source, DAY2, offline=True))
    page = (tmp_path / "n2" / post.stem / "index.html").read_text("utf-8")
    assert "March 01, 2027" in page
    assert "September 01, 2024" in (tmp_path / "d1" / post.stem / "index.html").read_text("utf-8")


def core_dates(pptx: Path) -> set[str]:
    with zipfile.ZipFile(pptx) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
        times = {info.date_time for info in z.infolist()}
    assert times == {(1980, 1, 1, 0, 0, 0)}  # every entry's time is the same fixed one
    return set(re.findall(r"<dcterms:(?:created|modified)[^>]*>([^<]*)<", core))


def pdf_dates(pdf: Path) -> set[str]:
    return {m.decode() for m in re.findall(rb"/CreationDate \(D:(\d{14})", pdf.read_bytes())}


def test_a_post_built_twice_by_the_command_gives_the_same_bytes_and_carries_its_date(
    tmp_path: Path, reveal_source: Path
) -> None:
    post = tmp_path / "2024-03-05-same.md"
    # without {{ site.time }}: the build's clock is an input of its own (SOURCE_DATE_EPOCH fixes
    # it, the next test), and two builds under load may straddle a minute
    post.write_text(POST.format(n=1).replace("Built {{ site.time }}, ", ""), "utf-8")
    assert "site.time" not in post.read_text("utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("SOURCE_DATE_EPOCH", None)
    for n, seed in enumerate(("1", "2")):
        args = [sys.executable, "-m", "deckgen", "build", str(post), "--out", str(tmp_path / f"o{n}"), "--format", "all",
                "--handout", "2", "--offline", "--cache-dir", str(tmp_path / f"cache{n}"), "--reveal-js", str(reveal_source), "-q"]
        subprocess.run(args, env={**env, "PYTHONHASHSEED": seed}, check=True, timeout=120)
    assert_same(tmp_path / "o0", tmp_path / "o1")
    assert core_dates(tmp_path / "o0" / f"{post.stem}.pptx") == {"2024-03-05T00:00:00Z"}  # the post's date
    assert pdf_dates(tmp_path / "o0" / f"{post.stem}.pdf") == {"20240305000000"}
    assert pdf_dates(tmp_path / "o0" / f"{post.stem}.handout-2.pdf") == {"20240305000000"}


def test_source_date_epoch_dates_the_decks_and_drives_site_time(tmp_path: Path, reveal_source: Path) -> None:
    post = tmp_path / "same.md"  # no date at all
    post.write_text(POST.format(n=2).replace("date: 2024-03-05\n", ""), "utf-8")
    out = tmp_path / "out"

    def build(now: dt.datetime, source_date: dt.datetime | None) -> dict[str, bytes]:
        shutil.rmtree(out, ignore_errors=True)
        opts = options(out, tmp_path / "cache", reveal_source, now, offline=True, source_date=source_date)
        build_post(post, opts)
        return files_of(out)

    stamp = dt.datetime.fromtimestamp(EPOCH, dt.UTC)
    on_day1, on_day2 = build(DAY1, stamp), build(DAY2, stamp)
    assert on_day1 == on_day2
    assert core_dates(out / "same.pptx") == {"2024-09-01T08:30:00Z"}
    assert pdf_dates(out / "same.pdf") == {"20240901083000"}
    assert b"Built 2024-09-01 08:30" in on_day1["same/index.html"]
    undated = build(DAY1, None)
    assert core_dates(out / "same.pptx") == {"1980-01-01T00:00:00Z"}  # no date anywhere: a fixed one
    assert b"Built 2026-12-07 10:45" in undated["same/index.html"]  # the clock, by design
    assert build(DAY2, None)["same/index.html"] != undated["same/index.html"]


def test_a_malformed_source_date_epoch_stops_the_command(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from deckgen.cli import main

    post = tmp_path / "p.md"
    post.write_text(POST.format(n=3), "utf-8")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "last tuesday")
    assert main(["build", str(post), "--out", str(tmp_path / "out"), "--offline", "--format", "pptx"]) == 2
    assert "SOURCE_DATE_EPOCH" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
