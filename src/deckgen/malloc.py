"""The C allocator's settings for a build: big picture buffers go back to the system.

A build decodes pictures of up to 50 MB each, some in threads. glibc, left alone, raises
its mmap threshold after each large free (so later buffers come from a heap that keeps its
freed space) and gives each of a build's dozen threads an arena of its own. Measured on
``../shared/course/`` (36 posts, 2 workers): the largest process peaked at 313 MB; with a
fixed 1 MB threshold and one arena per core (two), at 283 MB, in the same CPU time. Elsewhere than glibc
this does nothing.
"""

from __future__ import annotations

import functools
import os
import sys

_M_MMAP_THRESHOLD = -3  # glibc's mallopt parameters
_M_ARENA_MAX = -8
MMAP_THRESHOLD = 1 << 20  # buffers this large are mapped, and unmapped when freed
ARENAS_PER_CORE = 1  # glibc's own default is 8 per core


_ASKED: list[bool] = []  # the CLI asked for the tuning before a build's first thread


def tune_before_threads() -> None:
    """The CLI's choice for a build: tune the allocator just before the build's first thread
    starts (:func:`threads_starting`), so that a build that starts none (a warm one: every
    picture already drawn) does not even load ``ctypes``."""
    _ASKED.append(True)


def threads_starting() -> None:
    """Called where a build makes a pool of threads: the tuning, if the CLI asked for it."""
    if _ASKED:
        tune_allocator()


@functools.cache
def tune_allocator() -> None:
    """Set once per process (the CLI asks for it, before a build starts its threads: see
    :func:`tune_before_threads`). A library user's process is left as is."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        libc = ctypes.CDLL("libc.so.6")
        libc.mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)
        libc.mallopt(_M_ARENA_MAX, max(2, ARENAS_PER_CORE * (os.cpu_count() or 1)))
    except (OSError, AttributeError):  # not glibc
        pass


def give_back_free_memory() -> None:
    """Return the C heap's free pages to the system (glibc's ``malloc_trim``). A long-lived
    process calls it after a build: three cold builds of a course post with 71 pictures in one
    process left 106, 140 and 150 MB held, 84-86 MB once trimmed. Elsewhere than glibc this
    does nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


__all__ = ["give_back_free_memory", "threads_starting", "tune_allocator", "tune_before_threads"]
