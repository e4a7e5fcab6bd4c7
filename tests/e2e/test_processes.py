"""Real ``deckgen build`` processes on one picture cache: a build killed with SIGKILL
mid-download leaves nothing untrustworthy, two builds at once both succeed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from pptx import Presentation

from deckgen.assets.cache import Cache
from support.imageserver import ImageServer, encode_image


def write_post(folder: Path, urls: list[str], name: str = "demo.md") -> Path:
    """A post with one picture per slide; the picture of slide i is on line 6 + 4 i."""
    folder.mkdir(parents=True, exist_ok=True)
    parts = ["---\ntitle: Pictures\n---\n"]
    for i, url in enumerate(urls):
        parts.append(("---\n" if i else "") + f"## Slide {i + 1}\n![picture {i + 1}]({url})\n\n")
    path = folder / name
    path.write_text("\n".join(parts), "utf-8")
    return path


def pictures(pptx: Path) -> list:
    return [sh for s in Presentation(str(pptx)).slides for sh in s.shapes if sh.shape_type == 13]


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
