"""A guard against a hang, not a speed check: a block still running after a generous number
of seconds fails the test instead of stalling the suite (what pytest-timeout does, for one
block). How fast the guarded work is belongs to ``bench/bench_limits.py``.

It uses ``SIGALRM``, so it guards only in the main thread on POSIX (where pytest runs the
tests); elsewhere it lets the block run unguarded.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest


@contextmanager
def hang_guard(seconds: float, what: str = "the block") -> Iterator[None]:
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def hung(_signum: int, _frame: object) -> None:
        pytest.fail(f"{what} still ran after {seconds:g} s: a hang (the guard is generous; see bench/bench_limits.py)")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
