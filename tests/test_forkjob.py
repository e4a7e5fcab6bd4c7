"""forkjob.py: work on the other core, its result or its exception handed back."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from deckgen.errors import BuildError
from deckgen.forkjob import ForkJob, may_fork


def test_the_child_s_result_comes_back() -> None:
    job = ForkJob(lambda: [os.getpid(), "done"])
    pid, word = job.result()
    assert pid != os.getpid() and word == "done"
    assert job.abandon() is None  # nothing left to wait for


def test_the_child_s_exception_is_raised_in_the_parent() -> None:
    def fail() -> None:
        raise BuildError("the paper decks failed")

    with pytest.raises(BuildError, match="paper decks failed"):
        ForkJob(fail).result()


def test_a_child_that_dies_is_a_build_error() -> None:
    job = ForkJob(lambda: os.kill(os.getpid(), 9))
    with pytest.raises(BuildError) as caught:
        job.result()
    assert "signal 9" in str(caught.value)


def test_an_abandoned_child_is_stopped_and_cleans_up(tmp_path: Path) -> None:
    from deckgen.errors import Terminated

    mark = tmp_path / "half-written"

    def slow() -> str:
        import signal

        def stop(*_: object) -> None:
            raise Terminated()

        signal.signal(signal.SIGTERM, stop)  # as the command line sets it
        mark.write_text("x")
        try:
            time.sleep(30)
        finally:
            mark.unlink()
        return "never"

    job = ForkJob(slow)
    deadline = time.monotonic() + 10
    while not mark.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    assert job.abandon() is None
    assert time.monotonic() - started < 10 and not mark.exists()


def test_may_fork_is_false_with_a_second_thread() -> None:
    import threading

    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not may_fork()
    finally:
        stop.set()
        worker.join()
