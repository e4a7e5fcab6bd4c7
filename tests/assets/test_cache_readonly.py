"""A cache that cannot be written (issue 22): a shared lab machine, a CI cache restored
read-only, a full quota. Builds read what it holds, fetch what it lacks into a temporary
folder, and say so once (O104); ``cache clear`` and ``cache prune`` say what they could not
remove and exit 1 (E302). The folder is made read-only for real (support/readonly.py: a
tmpfs remounted read-only when the tests run as root), or the cache path runs through a file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from pptx import Presentation

from deckgen.assets.cache import Cache, Hold, sha256
from deckgen.assets.cachetidy import clear, prune
from support.imageserver import ImageServer
from support.readonly import read_only

URL = "https://example.org/a.png"


def _cli(args: list[str], cwd: Path, tmp: Path) -> subprocess.CompletedProcess[str]:
    """``deckgen`` as the user runs it; its temporary folder is ``tmp`` (to see what it leaves)."""
    env = dict(os.environ, TMPDIR=str(tmp), NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    return subprocess.run([sys.executable, "-m", "deckgen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)


def _post(folder: Path, urls: list[str], name: str = "talk.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    slides = [f"## Slide {i}\n\n![picture {i}]({url})\n" for i, url in enumerate(urls)]
    post = folder / name
    post.write_text("---\ntitle: Pictures\n---\n\n" + "\n---\n\n".join(slides), "utf-8")
    return post


def _pictures(pptx: Path) -> int:
    return sum(1 for s in Presentation(str(pptx)).slides for sh in s.shapes if sh.shape_type == 13)


def _cache_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if "[O104]" in line]


def _no_traceback(done: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in done.stderr + done.stdout, done.stderr[-2000:]


def _files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file())


# ---------------------------------------------------------------------------
# the library


def test_a_read_only_cache_is_read_and_writes_spill_into_a_folder_removed_at_close(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    Cache(root).store(URL, b"picture bytes", now=1.0)
    with read_only(root):
        with Cache(root) as cache, Hold(cache) as hold:
            found = cache.lookup(URL)
            assert found is not None and cache.read_blob(found) == b"picture bytes"
            assert hold.keep(cache.blob_path(found.blob)) == cache.blob_path(found.blob)  # nothing to hold it from
            assert cache.unwritable is not None  # the hold tried, and the cache said why
            new = cache.store("https://example.org/b.png", b"other bytes", now=2.0)
            assert cache.lookup("https://example.org/b.png") == new
            spilled = cache.blob_path(new.blob)
            assert not spilled.is_relative_to(root) and spilled.read_bytes() == b"other bytes"
            rendition = cache.store_rendition(sha256(b"other bytes"), "k", b"r", "png", 1, 1, 1, 1)
            assert cache.rendition(sha256(b"other bytes"), "k") == rendition
            assert (cache.work_root() / "x").parent.is_dir()  # where the writers keep their things
        assert not spilled.exists() and not rendition.path.exists()  # the spill went with the cache
        assert Cache(root).lookup("https://example.org/b.png") is None


def test_a_cache_path_through_a_file_spills_too(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("a file where a folder should be")
    with Cache(tmp_path / "file" / "cache") as cache:
        entry = cache.store(URL, b"bytes")
        assert cache.lookup(URL) == entry and isinstance(cache.unwritable, NotADirectoryError)


def test_clear_and_prune_count_what_they_could_not_remove(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    cache = Cache(root)
    cache.store(URL, b"a", now=1.0)
    cache.store_rendition(sha256(b"a"), "k", b"r", "png", 1, 1, 1, 1)
    before = _files(root)
    with read_only(root):
        gone = clear(root)
        assert (gone.entries, gone.files, gone.complete) == (0, 0, False)
        assert gone.left == len(before) == 4 and gone.left_bytes > 0 and gone.reason
        gone = prune(root, older_than=0)
        # the old entry could not go, so its blob and rendition stay with it (not counted again)
        assert (gone.entries, gone.files, gone.complete, gone.left) == (0, 0, False, 1)
    assert _files(root) == before
    gone = clear(root)
    assert (gone.entries, gone.files, gone.left, gone.complete) == (1, 2, 0, True)


# ---------------------------------------------------------------------------
# the command line


def test_builds_on_a_read_only_cache_read_it_fetch_the_rest_and_say_so_once(
    tmp_path: Path, image_server: ImageServer, reveal_source: Path
) -> None:
    cache, tmp = tmp_path / "cache", tmp_path / "tmp"
    tmp.mkdir()
    warm = _post(tmp_path / "posts", [image_server.image_url(f"ro{i}", "png", w=300, h=200) for i in range(2)])
    cold = _post(tmp_path / "posts", [image_server.image_url("ro-cold", "jpg", w=300, h=200)], "cold.md")
    common = ["--out", str(tmp_path / "out"), "--cache-dir", str(cache), "--reveal-js", str(reveal_source)]
    first = _cli(["build", str(warm), *common], tmp_path, tmp)
    assert first.returncode == 0 and "2 downloaded" in first.stdout, first.stderr
    with read_only(cache):
        offline = _cli(["build", str(warm), "--offline", *common], tmp_path, tmp)
        _no_traceback(offline)
        assert offline.returncode == 0 and "images 2 (2 cached, 0 downloaded, 0 failed)" in offline.stdout
        assert len(_cache_lines(offline.stderr)) == 1, offline.stderr
        assert _pictures(tmp_path / "out" / "talk.pptx") == 2
        fetched = _cli(["build", str(cold), "--format", "all", *common], tmp_path, tmp)
        _no_traceback(fetched)
        assert fetched.returncode == 0 and "images 1 (0 cached, 1 downloaded, 0 failed)" in fetched.stdout
        assert len(_cache_lines(fetched.stderr)) == 1 and _pictures(tmp_path / "out" / "cold.pptx") == 1
        course = _cli(["build", str(tmp_path / "posts"), "--force", *common], tmp_path, tmp)  # two posts
        _no_traceback(course)
        assert course.returncode == 0 and len(_cache_lines(course.stderr)) == 1, course.stderr  # once a command
    assert not list(tmp.glob("deckgen-spill-*")), "a spill outlived its build"
    assert Cache(cache).lookup(image_server.image_url("ro-cold", "jpg", w=300, h=200)) is None


def test_a_cache_path_through_a_file_still_builds(tmp_path: Path, image_server: ImageServer, reveal_source: Path) -> None:
    (tmp_path / "file").write_text("not a folder")
    post = _post(tmp_path / "posts", [image_server.image_url("ro-file", "png", w=200, h=100)])
    done = _cli(["build", str(post), "--out", str(tmp_path / "out"), "--cache-dir", str(tmp_path / "file" / "c"),
                 "--reveal-js", str(reveal_source)], tmp_path, tmp_path)
    _no_traceback(done)
    assert done.returncode == 0 and "1 downloaded" in done.stdout and len(_cache_lines(done.stderr)) == 1


def test_cache_clear_and_prune_on_a_read_only_cache_say_what_stays_and_exit_1(tmp_path: Path) -> None:
    root = tmp_path / "cache"
    cache = Cache(root)
    for i in range(3):
        cache.store(f"https://example.org/{i}.png", bytes([i]) * 100, now=1.0)
    before = _files(root)
    with read_only(root):
        # clear tries every file (3 entries, 3 blobs); prune the 3 old entries, which keep their blobs
        for args, left in ((["clear"], 6), (["prune", "--older-than", "0"], 3)):
            done = _cli(["cache", *args, "--cache-dir", str(root)], tmp_path, tmp_path)
            _no_traceback(done)
            assert done.returncode == 1, (args, done.stdout, done.stderr)
            assert "0 entries" in done.stdout
            (line,) = done.stderr.splitlines()
            assert line.startswith("deckgen: error: ") and line.endswith("[E302]") and f"could not remove {left} files" in line
    assert _files(root) == before
    done = _cli(["cache", "clear", "--cache-dir", str(root)], tmp_path, tmp_path)
    assert done.returncode == 0 and "3 entries, 3 files" in done.stdout and not _files(root / "index")
