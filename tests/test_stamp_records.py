"""The stamp as the record of a build: its files and kept copies read back, an older stamp,
and the day counted only for a post that shows it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, build_post
from deckgen.stamp import (
    STAMP_VERSION,
    FileRecord,
    Kept,
    Quick,
    Stamp,
    read_stamp,
    stamp_path,
    uses_clock,
    write_stamp,
)

POST = "---\ntitle: Days\n---\n\n## One\nSome text.\n"


def test_a_stamp_reads_back_with_its_records(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    stamp = Stamp(
        "d", "Title 中文", 3, ("p.pptx", "p/index.html"), (),
        {"p.pptx": FileRecord("a" * 64, 10, 123), "p/index.html": FileRecord("b" * 64, 20, 456)},
        (Kept("p.edited-20261207-104512.pptx", "p.pptx", "edited", "c" * 64, "a" * 64, "e" * 64, "2026-12-07T10:50:00"),),
        "/posts/p.md", "e" * 64, "2024-03-05T00:00:00+00:00", "2026-12-07T10:45:00",
    )
    write_stamp(tmp_path, post, stamp)
    back = read_stamp(tmp_path, post)
    assert back is not None and back.version == STAMP_VERSION and back.recorded_ns > 0
    assert dataclasses.replace(back, recorded_ns=0) == stamp
    data = json.loads(stamp_path(tmp_path, post).read_text("utf-8"))
    assert list(data["files"]) == sorted(data["files"])  # one order, whatever the build's


def test_a_stamp_reads_back_with_what_the_quick_look_compares(tmp_path: Path) -> None:
    from deckgen.diagnostics import codes as C

    post = tmp_path / "p.md"
    said = (C.PICTURES_UNDESCRIBED(post, None, count=2, total=3), C.URL_DROPPED(post, 7, url="javascript:x"))
    quick = Quick("k" * 64, (("https://x.test/a.png", 9, False), ("b.png", 12, True)), "a" * 64, said)
    stamp = Stamp("d", "T", 1, ("p.pptx",), (), {"p.pptx": FileRecord("a" * 64, 1, 2)}, quick=quick)
    write_stamp(tmp_path, post, stamp)
    back = read_stamp(tmp_path, post)
    assert back is not None and back.version == STAMP_VERSION == 4
    assert back.quick == quick  # the diagnostics too: compared with a build's, they must be equal


def test_a_stamp_without_quick_or_with_a_damaged_one_reads_without_it(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    path = stamp_path(tmp_path, post)
    path.parent.mkdir()
    base = {"version": 3, "digest": "d", "title": "T", "pages": 1, "outputs": ["p.pptx"], "files": {}}
    path.write_text(json.dumps(base), "utf-8")
    old = read_stamp(tmp_path, post)
    assert old is not None and old.version == 3 and old.quick is None and old.digest == "d"
    for damaged in ({"key": "k"}, {"key": "k", "assets": "a", "pictures": [["u", "x", False]]}, []):
        path.write_text(json.dumps({**base, "version": 4, "quick": damaged}), "utf-8")
        read = read_stamp(tmp_path, post)
        assert read is not None and read.quick is None and read.digest == "d"  # the slow way, not no stamp


def test_an_older_stamp_reads_without_records_and_a_damaged_one_not_at_all(tmp_path: Path) -> None:
    post = tmp_path / "p.md"
    path = stamp_path(tmp_path, post)
    path.parent.mkdir()
    path.write_text(json.dumps({"digest": "d", "title": "T", "pages": 1, "outputs": ["p.pptx"]}), "utf-8")
    old = read_stamp(tmp_path, post)
    assert old is not None and old.version == 2 and not old.files and old.outputs == ("p.pptx",)
    path.write_text(json.dumps({"digest": "d", "title": "T", "pages": 1, "outputs": [], "files": {"x": 1}}), "utf-8")
    assert read_stamp(tmp_path, post) is None


@pytest.mark.parametrize(
    ("text", "shows"),
    [
        ("{{ site.time }}", True),
        ("{{ site.time | date: '%Y' }}", True),
        ("{{ 'now' | date: '%Y' }}", True),
        ('{{ "Today" | date: "%Y" }}', True),
        ("{{ page.date | date: '%Y' }}", False),
        ("plain text, no time now", False),
    ],
)
def test_a_post_shows_the_clock_only_through_liquid(text: str, shows: bool) -> None:
    assert uses_clock(text.encode("utf-8")) is shows


@pytest.mark.parametrize("liquid", ["", "Built {{ site.time }}."])
def test_only_a_post_that_shows_the_time_is_rebuilt_the_next_day(tmp_path: Path, liquid: str) -> None:
    post = tmp_path / "p.md"
    post.write_text(POST + liquid + "\n", "utf-8")
    base = BuildOptions(
        formats=("pptx",), out_dir=tmp_path / "out", incremental=True, cwd=tmp_path,
        pictures=AssetOptions(offline=True, cache_dir=tmp_path / "cache"),
    )
    build_post(post, dataclasses.replace(base, now=dt.datetime(2026, 1, 2, 9)))
    later = build_post(post, dataclasses.replace(base, now=dt.datetime(2026, 1, 3, 9)))
    assert later.up_to_date is (not liquid)
    epoch = dt.datetime(2024, 9, 1, tzinfo=dt.UTC)
    build_post(post, dataclasses.replace(base, now=dt.datetime(2026, 1, 3, 9), source_date=epoch))
    pinned = build_post(post, dataclasses.replace(base, now=dt.datetime(2026, 1, 4, 9), source_date=epoch))
    assert pinned.up_to_date  # SOURCE_DATE_EPOCH: the same time every day
