"""The in-project fuzzer: posts from a grammar of lecture constructs, built offline in both
formats, must never crash, hang or overflow (issue 14). CI runs a short seeded budget;
``bench/fuzz.py`` runs a long one."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from support.fuzzposts import Harness, build_checked, posts

EXAMPLES = int(os.environ.get("DECKGEN_FUZZ_EXAMPLES", "500"))


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory, reveal_source: Path) -> Harness:
    return Harness.make(tmp_path_factory.mktemp("fuzz"), reveal_source)


@settings(
    max_examples=EXAMPLES,
    derandomize=True,  # seeded: CI sees the same posts every run
    deadline=None,  # timing is checked below, in CPU seconds, against the 10 s a post may take
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(text=posts())
def test_no_post_crashes_hangs_or_overflows(text: str, harness: Harness) -> None:
    seconds = build_checked(text, harness)
    assert seconds < 10, f"a post took {seconds:.1f} s of CPU"
