"""The allocator's settings: set once, harmless anywhere."""

from __future__ import annotations

from deckgen.allocator import tune_allocator


def test_tuning_the_allocator_twice_is_once_and_never_fails() -> None:
    tune_allocator()
    tune_allocator()
    assert tune_allocator.cache_info().hits >= 1
    big = bytearray(8 << 20)  # mapped, and given back when freed
    del big
