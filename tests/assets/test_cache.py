"""The on-disk cache: what it trusts, atomic writes, renditions, info, clear, prune."""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

import pytest

from deckgen.assets.cache import (
    STALE_TMP_SECONDS,
    Cache,
    CorruptBlob,
    atomic_write,
    default_cache_dir,
    sha256,
)

DAY = 86400.0
URL = "https://example.org/a.png"


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def _age_tree(folder: Path, seconds: float) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            _age(path, seconds)


def test_a_stored_url_is_found_with_its_validators(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    stored = cache.store(URL, b"picture bytes", '"v1"', "Tue, 14 Nov 2023 22:13:20 GMT", now=1000.0)
    found = cache.lookup(URL)
    assert found == stored
    assert (found.blob, found.size, found.etag, found.fetched_at) == (
        sha256(b"picture bytes"),
        13,
        '"v1"',
        1000.0,
    )
    assert cache.read_blob(found) == b"picture bytes"
    assert cache.lookup("https://example.org/other.png") is None


def test_same_bytes_under_two_urls_share_one_blob(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store(URL, b"same")
    cache.store("https://mirror.example/a.png", b"same")
    assert cache.info().blobs == 1 and cache.info().entries == 2


def test_touch_records_a_revalidation(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    entry = cache.store(URL, b"x", '"v1"', now=10.0)
    fresh = cache.touch(entry, '"v2"', "", now=20.0)
    assert cache.lookup(URL) == fresh
    assert (fresh.etag, fresh.fetched_at, fresh.blob) == ('"v2"', 20.0, entry.blob)


def test_an_entry_whose_blob_is_missing_or_torn_is_not_trusted(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    entry = cache.store(URL, b"0123456789")
    blob = cache.blob_path(entry.blob)
    blob.write_bytes(b"01234")  # a torn blob (what a non-atomic write could leave)
    assert cache.lookup(URL) is None
    blob.unlink()
    assert cache.lookup(URL) is None


def test_a_torn_or_foreign_index_file_is_not_trusted(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store(URL, b"abc")
    index = next((tmp_path / "index").rglob("*.json"))
    index.write_text('{"url": "https://example.org/a.png", "blob": ')
    assert cache.lookup(URL) is None
    index.write_text(json.dumps({"url": "https://elsewhere/", "blob": sha256(b"abc"), "size": 3}))
    assert cache.lookup(URL) is None
    index.write_text(json.dumps({"url": URL, "blob": sha256(b"abc"), "size": 3, "fetched_at": "soon"}))
    assert cache.lookup(URL) is None


def test_a_blob_whose_bytes_do_not_match_its_name_is_refused_and_removed(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    entry = cache.store(URL, b"good bytes")
    cache.blob_path(entry.blob).write_bytes(b"evil bytes")  # same size, other content
    with pytest.raises(CorruptBlob):
        cache.read_blob(entry)
    assert not cache.blob_path(entry.blob).exists()


def test_atomic_write_leaves_the_old_file_or_the_new_one_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "sub" / "file"
    atomic_write(target, b"old")

    class Boom(Exception):
        pass

    def failing_replace(src: str, dst: str) -> None:
        raise Boom  # as if the process died just before the rename

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(Boom):
        atomic_write(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["file"]


def test_leftover_temporary_files_are_never_read(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    entry = cache.store(URL, b"abc")
    # what a build killed mid-write leaves: a temporary next to the real files
    (cache.blob_path(entry.blob).parent / ".tmp-x1").write_bytes(b"ab")
    (tmp_path / "index" / ".tmp-x2").parent.mkdir(exist_ok=True)
    (tmp_path / "index" / ".tmp-x2").write_bytes(b"{")
    assert cache.lookup(URL) == entry
    info = cache.info()
    assert (info.entries, info.blobs) == (1, 1)


def test_many_threads_storing_the_same_url_leave_one_whole_entry(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    bodies = [bytes([i]) * 5000 for i in range(8)]
    threads = [threading.Thread(target=cache.store, args=(URL, body)) for body in bodies for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entry = cache.lookup(URL)
    assert entry is not None and cache.read_blob(entry) in bodies
    assert not list(tmp_path.rglob(".tmp-*"))


def test_a_rendition_is_found_by_source_hash_and_key(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    stored = cache.store_rendition("ab" * 32, "r2-2560x1440", b"jpeg bytes", "jpeg", 800, 450, 1600, 900)
    assert stored.path.suffix == ".jpg" and stored.path.read_bytes() == b"jpeg bytes"
    assert cache.rendition("ab" * 32, "r2-2560x1440") == stored
    assert cache.rendition("ab" * 32, "r2-1280x720") is None
    assert cache.rendition("cd" * 32, "r2-2560x1440") is None


def test_a_rendition_without_its_metadata_or_with_a_torn_picture_is_not_trusted(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    stored = cache.store_rendition("ab" * 32, "k", b"0123456789", "png", 10, 10, 10, 10)
    stored.path.write_bytes(b"01234")
    assert cache.rendition("ab" * 32, "k") is None
    stored.path.with_name(stored.path.stem + ".json").unlink()
    stored.path.write_bytes(b"0123456789")
    assert cache.rendition("ab" * 32, "k") is None


def test_info_counts_entries_bytes_and_the_oldest(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    assert cache.info().entries == 0 and cache.info().oldest is None
    cache.store(URL, b"a" * 100, now=5000.0)
    cache.store("https://example.org/b.png", b"b" * 50, now=3000.0)
    cache.store_rendition(sha256(b"a" * 100), "k", b"r" * 10, "png", 1, 1, 1, 1)
    info = cache.info()
    assert (info.entries, info.blobs, info.renditions, info.oldest) == (2, 2, 1, 3000.0)
    assert info.bytes >= 160


def test_clear_removes_every_image(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store(URL, b"a")
    cache.store_rendition(sha256(b"a"), "k", b"r", "png", 1, 1, 1, 1)
    gone = cache.clear()
    assert gone.entries == 1 and gone.files == 2
    assert cache.info().entries == 0 and cache.info().bytes == 0
    assert cache.lookup(URL) is None


def test_prune_drops_old_entries_with_their_files_and_keeps_the_rest(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    now = time.time()
    old = cache.store("https://example.org/old.png", b"old", now=now - 40 * DAY)
    new = cache.store("https://example.org/new.png", b"new", now=now - 1 * DAY)
    shared = cache.store("https://example.org/shared-old.png", b"new", now=now - 40 * DAY)
    for digest in (old.blob, new.blob):
        cache.store_rendition(digest, "k", b"r" + digest.encode(), "png", 1, 1, 1, 1)
    _age_tree(tmp_path, 40 * DAY)  # the files are as old as the oldest download

    gone = cache.prune(30 * DAY, now=now)

    assert gone.entries == 2  # old.png and shared-old.png
    assert cache.lookup("https://example.org/old.png") is None
    assert cache.lookup("https://example.org/shared-old.png") is None
    assert cache.lookup("https://example.org/new.png") == new
    assert not cache.blob_path(old.blob).exists()
    assert cache.blob_path(shared.blob).exists()  # still used by new.png
    assert cache.rendition(old.blob, "k") is None
    assert cache.rendition(new.blob, "k") is not None
    assert gone.files == 2 and gone.bytes > 0


@pytest.mark.parametrize("folder", ["pptx-maps", "font-widths"])
def test_the_memos_go_with_clear_and_when_old_with_prune(tmp_path: Path, folder: str) -> None:
    """The slide maps' memo and the fonts' widths."""
    cache = Cache(tmp_path)
    memos = tmp_path / folder
    memos.mkdir()
    old, young = memos / "old.json", memos / "young.json"
    old.write_text("{}")
    young.write_text("{}")
    _age(old, 40 * DAY)
    cache.prune(30 * DAY)
    assert not old.exists() and young.exists()
    cache.clear()
    assert not young.exists()


def test_prune_keeps_young_files_no_entry_names_yet(tmp_path: Path) -> None:
    """A running build writes the blob before the entry; a local picture's rendition has none."""
    cache = Cache(tmp_path)
    blob = cache.blob_path(sha256(b"in flight"))
    atomic_write(blob, b"in flight")
    local = cache.store_rendition(sha256(b"local file"), "k", b"r", "png", 1, 1, 1, 1)
    cache.prune(30 * DAY)
    assert blob.exists() and cache.rendition(sha256(b"local file"), "k") == local
    _age_tree(tmp_path, 31 * DAY)
    cache.prune(30 * DAY)
    assert not blob.exists() and cache.rendition(sha256(b"local file"), "k") is None


def test_prune_removes_abandoned_temporary_files_but_not_fresh_ones(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    folder = tmp_path / "blobs" / "ab"
    folder.mkdir(parents=True)
    abandoned, working = folder / ".tmp-dead", folder / ".tmp-busy"
    abandoned.write_bytes(b"x")
    working.write_bytes(b"y")
    _age(abandoned, STALE_TMP_SECONDS + 60)
    cache.prune(30 * DAY)
    assert not abandoned.exists() and working.exists()


def test_prune_removes_damaged_index_files(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store(URL, b"a")
    index = next((tmp_path / "index").rglob("*.json"))
    index.write_text("not json")
    assert cache.prune(30 * DAY).entries == 1
    assert not index.exists()


def test_prune_zero_days_empties_the_index(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.store(URL, b"a", now=time.time() - 5)
    assert cache.prune(0).entries == 1
    assert cache.info().entries == 0


def test_the_cache_folder_follows_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DECKGEN_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"


def test_a_builds_held_files_outlive_clear_and_prune_and_stale_holds_go(tmp_path: Path) -> None:
    from deckgen.assets.cache import STALE_TMP_SECONDS, Hold

    cache = Cache(tmp_path)
    entry = cache.store("http://h/a.png", b"picture bytes", now=1.0)
    with Hold(tmp_path) as hold:
        held = hold.keep(cache.blob_path(entry.blob))
        cache.clear()
        assert held.read_bytes() == b"picture bytes" and cache.lookup("http://h/a.png") is None
        cache.store("http://h/a.png", b"picture bytes", now=1.0)
        cache.prune(older_than=0, now=10.0)
        assert held.read_bytes() == b"picture bytes"
        assert hold.keep(cache.blob_path(entry.blob)) == held  # kept once, found again
    assert not held.exists()
    killed = Hold(tmp_path)  # a build killed with -9 never closes its hold
    old = time.time() - STALE_TMP_SECONDS - 10
    os.utime(killed.dir, (old, old))
    cache.prune(older_than=1e9)
    assert not killed.dir.exists()


def test_a_folder_a_clear_removed_meanwhile_is_made_again_not_taken_for_a_read_only_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import deckgen.assets.cache as cache_module

    real, calls = cache_module.atomic_write, []

    def racing(path: Path, data: bytes) -> None:  # the first write finds its folder gone
        calls.append(path)
        if len(calls) == 1:
            raise FileNotFoundError(2, "No such file or directory")
        real(path, data)

    monkeypatch.setattr(cache_module, "atomic_write", racing)
    cache = Cache(tmp_path)
    cache.store(URL, b"bytes")
    assert cache.unwritable is None and len(calls) >= 2
    assert cache.lookup(URL) is not None
