"""The in-project fuzzer: posts from a grammar of lecture constructs, built offline in both
formats, must never crash, hang or overflow (issue 14). CI runs a short seeded budget;
``bench/fuzz.py`` runs a long one, and ``bench/bench_limits.py`` how much CPU a post takes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from support.fuzzposts import Harness, build_checked, posts
from support.hangguard import hang_guard

EXAMPLES = int(os.environ.get("DECKGEN_FUZZ_EXAMPLES", "500"))
HANG_GUARD_S = 300.0  # a hang, not a slow post: the slowest of the 500 takes about 7 s of CPU


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory, reveal_source: Path) -> Harness:
    return Harness.make(tmp_path_factory.mktemp("fuzz"), reveal_source)


@settings(
    max_examples=EXAMPLES,
    derandomize=True,  # seeded: CI sees the same posts every run
    deadline=None,  # no speed assertion: only a hang fails (the guard below)
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(text=posts())
def test_no_post_crashes_hangs_or_overflows(text: str, harness: Harness) -> None:
    with hang_guard(HANG_GUARD_S, "a fuzzed post"):
        build_checked(text, harness)
