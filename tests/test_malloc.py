"""The allocator's settings: set once, harmless anywhere; free memory given back."""

from __future__ import annotations

import sys

import pytest

from deckgen.malloc import give_back_free_memory, tune_allocator


def test_tuning_the_allocator_twice_is_once_and_never_fails() -> None:
    tune_allocator()
    tune_allocator()
    assert tune_allocator.cache_info().hits >= 1
    big = bytearray(8 << 20)  # mapped, and given back when freed
    del big


def test_free_memory_goes_back_to_the_system_after_a_build() -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("glibc only")

    def resident() -> int:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * 4096

    blocks = [bytearray(b"x" * 200_000) for _ in range(400)]  # 80 MB in small heap blocks
    del blocks[:-1]  # the heap's top block stays in use: freed pages below it are kept
    before = resident()
    give_back_free_memory()
    assert resident() < before - 40 * 2**20


def test_a_build_tunes_the_allocator_only_when_its_first_thread_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    from deckgen import malloc

    calls: list[int] = []
    monkeypatch.setattr(malloc, "tune_allocator", lambda: calls.append(1))
    monkeypatch.setattr(malloc, "_ASKED", [])
    malloc.threads_starting()  # not asked (a library user's process): left as is
    assert calls == []
    malloc.tune_before_threads()  # what the CLI asks for a build
    assert calls == []  # nothing yet: a warm build starts no thread
    malloc.threads_starting()
    assert calls == [1]
