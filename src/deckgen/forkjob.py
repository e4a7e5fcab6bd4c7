"""Work done beside the build on the machine's other core: a forked child runs a function while
the parent goes on, and hands back its result (or its exception) when the parent asks.

Used for the paper decks (the PDF and the handout), which take as long as the .pptx and the HTML
deck together and need nothing those make, so a one-post build writes them at once on two
cores; without paper decks, for the HTML deck beside the .pptx. The child is a fork: it has the laid-out deck without copying or pickling it, and it
ends with ``os._exit`` (never the parent's ``atexit`` or ``finally``). Forking is only safe in
a process with one thread, and only pays off with a second core and outside a pool of workers
(a folder build's workers already use every core): :func:`may_fork` says when.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import Generic, TypeVar, cast

from deckgen.errors import BuildError

T = TypeVar("T")


def may_fork() -> bool:
    """A child may run beside this process: fork exists, a second core, one thread, no pool."""
    return (
        hasattr(os, "fork")
        and (len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1) > 1
        and threading.active_count() == 1
        and not _in_a_pool()
    )


def _in_a_pool() -> bool:
    """Is this process a worker of a process pool? (Such a worker imported multiprocessing: a
    process that never did is none, and need not pay for the import.)"""
    pool = sys.modules.get("multiprocessing")
    return pool is not None and pool.parent_process() is not None


def _die_with(parent: int) -> None:
    """End this child when its parent is killed (SIGKILL leaves no time to stop it): Linux's
    parent-death signal; elsewhere the child finishes alone and the next build sweeps its file."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)


class ForkJob(Generic[T]):
    """``work()`` running in a forked child; :meth:`result` waits for it."""

    def __init__(self, work: Callable[[], T]) -> None:
        import pickle  # the job's answer: a build that forks none does not import it

        read, write = os.pipe()
        parent = os.getpid()
        pid = os.fork()
        if pid == 0:  # the child: run, send, and leave without unwinding the parent's stack
            status = 0
            try:
                os.close(read)
                _die_with(parent)
                # Ctrl-C and SIGTERM raise here as in the parent: the half-written file is removed
                try:
                    answer = pickle.dumps((True, work()))
                except BaseException as exc:  # noqa: BLE001 - every failure goes to the parent
                    try:
                        answer = pickle.dumps((False, exc))
                    except Exception:  # noqa: BLE001 - an exception that does not pickle
                        answer = pickle.dumps((False, BuildError(f"{type(exc).__name__}: {exc}")))
                with os.fdopen(write, "wb") as pipe:
                    pipe.write(answer)
            except BaseException:  # noqa: BLE001 - nothing may escape into the parent's code
                status = 1
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._read = pid, read
        self._done = False

    def result(self) -> T:
        """The child's result; its exception raised here; a child that died is a BuildError."""
        with os.fdopen(self._read, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(self._pid, 0)
        self._done = True
        import pickle

        if not data:
            how = f"signal {-os.waitstatus_to_exitcode(status)}" if os.WIFSIGNALED(status) else "no answer"
            raise BuildError(f"the process writing decks beside this one stopped ({how})")
        ok, value = pickle.loads(data)
        if not ok:
            raise value
        return cast(T, value)

    def abandon(self) -> T | None:
        """Wait for a child whose result is no longer wanted (the parent failed meanwhile): its
        result, for the parent to clean up, or None."""
        if self._done:
            return None
        try:
            os.kill(self._pid, signal.SIGTERM)  # it stops where it is and removes its temporary
        except ProcessLookupError:
            pass
        try:
            return self.result()
        except BaseException:  # noqa: BLE001 - the parent's own failure is the one reported
            return None


__all__ = ["ForkJob", "may_fork"]
