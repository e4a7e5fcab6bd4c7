"""The command line around images: --strict, --offline, --refresh, --max-size, --timeout, the
``cache`` subcommand, a build killed with SIGKILL mid-download, two builds on one cache."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.assets.cache import Cache
from deckgen.cli import main
from support.imageserver import ImageServer, encode_image

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
    server: ImageServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    post = write_post(
        tmp_path / "posts", [server.image_url("big", "png", w=1200, h=800), server.url("fault/hang.png")]
    )
    started = time.monotonic()
    assert build(post, tmp_path, "--max-size", "0.5", "--timeout", "1.5", "--strict") == 1
    assert time.monotonic() - started < 1.5 + 3
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


# -- real processes ------------------------------------------------------------------------


def cli_process(post: Path, out: Path, cache: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "deckgen", "build", str(post), "--format", "pptx"]
    command += ["--out", str(out), "--cache-dir", str(cache), *extra]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def trusted_entries(cache_dir: Path) -> dict[str, bytes]:
    """Every URL the cache would use, with its bytes (which must hash to the blob's name)."""
    cache = Cache(cache_dir)
    found = {}
    for index in (cache_dir / "index").rglob("*.json"):
        if index.name.startswith(".tmp-"):
            continue
        url = json.loads(index.read_text())["url"]
        entry = cache.lookup(url)
        if entry is not None:
            found[url] = cache.read_blob(entry)  # raises CorruptBlob if damaged
    return found


def test_a_build_killed_mid_download_leaves_nothing_untrustworthy(tmp_path: Path) -> None:
    with ImageServer() as server:
        slow = server.url("fault/slow.png?chunks=8&interval=0.25")  # about 2 s
        good = [server.image_url(f"k{i}", "png", w=320, h=180) for i in range(3)]
        post = write_post(tmp_path / "posts", [*good, slow])
        cache_dir = tmp_path / "cache"
        proc = cli_process(post, tmp_path / "out1", cache_dir)
        deadline = time.monotonic() + 30
        while server.hits["/fault/slow.png"] == 0 and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.02)
        time.sleep(0.4)  # well into the trickle
        assert proc.poll() is None, "the build ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.communicate(timeout=10)
        assert proc.returncode == -signal.SIGKILL

        survivors = trusted_entries(cache_dir)
        assert slow not in survivors  # the body never arrived whole: no entry names it
        for url, body in survivors.items():
            name = url.rsplit("/", 1)[1].split(".")[0]
            assert body == encode_image(name, "png", 320, 180)

        # what a crash mid-write could leave besides: a temporary file, a torn blob
        (cache_dir / "blobs").mkdir(exist_ok=True)
        (cache_dir / "blobs" / ".tmp-killed").write_bytes(b"\x89PNG half")
        if survivors:
            victim = Cache(cache_dir).lookup(next(iter(survivors)))
            assert victim is not None
            Cache(cache_dir).blob_path(victim.blob).write_bytes(b"\x89PNG torn")

        server.reset_log()
        again = cli_process(post, tmp_path / "out2", cache_dir, "--strict")
        out, err = again.communicate(timeout=60)
        assert again.returncode == 0, err
        assert "0 failed" in out
        assert len(pictures(tmp_path / "out2" / "demo.pptx")) == 4
        assert set(trusted_entries(cache_dir)) == {*good, slow}
        assert server.hits["/fault/slow.png"] == 1  # fetched again, the torn entries too
        assert server.hits.total() == 4 - len(survivors) + (1 if survivors else 0)


def test_two_builds_at_once_on_one_cache_both_succeed(tmp_path: Path) -> None:
    with ImageServer(delay=0.2) as server:
        urls = [server.image_url(f"twin{i}", "jpg", w=640, h=360) for i in range(6)]
        urls.append(server.image_url("twin-svg", "svg"))
        post = write_post(tmp_path / "posts", urls)
        cache_dir = tmp_path / "cache"
        procs = [cli_process(post, tmp_path / f"out{i}", cache_dir, "--strict") for i in range(2)]
        for i, proc in enumerate(procs):
            out, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err
            assert "0 failed" in out
            assert len(pictures(tmp_path / f"out{i}" / "demo.pptx")) == 7
    assert set(trusted_entries(cache_dir)) == set(urls)
    assert Cache(cache_dir).info().renditions == 7
    assert not list(cache_dir.rglob(".tmp-*"))
