"""The library's front door: build one post, or a folder of posts on every core.

Both run the one pipeline (:func:`deckgen.pipeline.run_post`). A folder build runs its posts
in a process pool; a failing post comes back as its error and the others go on; the course
page (``index.html``) lists what was built. Nothing here prints or exits.
"""

from __future__ import annotations

import os
import traceback
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.diagnostics import Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.errors import DeckgenError, InputError, InternalError, Terminated
from deckgen.options import BuildOptions
from deckgen.pipeline import Record, Services, Trace, run_post

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

_NOT_POSTS = ("readme.md", "index.md", "license.md", "changelog.md")


def find_posts(target: Path, diag: Diagnostics | None = None) -> list[Path]:
    """The posts a path names: the file itself, or the Markdown posts in a folder.

    In a folder, a symlinked post that points outside the folder is skipped (reported to
    ``diag``): a folder build reads only the folder's own files."""
    if not target.exists():
        raise InputError("no such file or folder", target, hint="give a post (.md) or a folder of posts")
    if target.is_file():
        return [target]
    posts = []
    root = target.resolve()
    for path in sorted(target.iterdir()):
        if path.suffix.lower() not in (".md", ".markdown") or not path.is_file():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            if diag is not None:
                diag.report(C.SYMLINK_OUTSIDE, path)
            continue
        if path.name.lower() in _NOT_POSTS:
            continue
        posts.append(path)
    if not posts:
        raise InputError("no posts (.md files) in this folder", target, hint="give a folder holding Jekyll posts")
    return posts


def build_post(path: Path, options: BuildOptions, services: Services | None = None) -> Record:
    """Build one post into the requested formats; returns what was read, written and said."""
    return run_post(path, options, services)


def build_one_safely(
    path: Path, options: BuildOptions, services: Services | None = None, trace: Trace | None = None
) -> Record | DeckgenError:
    """For folder builds: a failing post comes back as its error instead of stopping the others.
    A bug (any other exception) comes back as an ``InternalError`` carrying its traceback."""
    try:
        return run_post(path, options, services, trace=trace)
    except DeckgenError as exc:
        return exc
    except Exception as exc:  # a crash in one post must not hide the others
        return internal(exc, path)


def internal(exc: BaseException, path: Path | None = None) -> InternalError:
    """A bug as the one-line error the user sees (``-v`` prints ``details``)."""
    error = InternalError(f"internal error: {type(exc).__name__}: {exc}", path, hint="a bug in deckgen")
    error.details = "".join(traceback.format_exception(exc))
    return error


Result = Record | DeckgenError


def build_posts(
    posts: Sequence[Path],
    options: BuildOptions,
    services: Services | None = None,
    jobs: int = 0,
    done: Callable[[Path, Result], None] | None = None,
) -> list[Result]:
    """Build several posts, ``jobs`` at a time (0: one per core), in processes of their own;
    ``done`` hears of each in the posts' order as soon as it and those before it are done."""
    cores = os.cpu_count() or 1
    jobs = jobs or cores
    results: list[Result] = []
    for post, result in _results(posts, options, services, jobs, cores):
        results.append(result)
        if done is not None:
            done(post, result)
    return results


def _results(
    posts: Sequence[Path], options: BuildOptions, services: Services | None, jobs: int, cores: int
) -> Iterator[tuple[Path, Result]]:
    if len(posts) < 2 or jobs < 2:
        for post in posts:
            yield post, build_one_safely(post, options, services)
        return
    # the posts already share the cores: each draws its pictures on its share of them
    options = replace(options, render_workers=max(1, cores // jobs))
    from concurrent.futures import ProcessPoolExecutor  # a folder's pool only: one post needs none

    with ProcessPoolExecutor(max_workers=min(jobs, len(posts))) as pool:
        futures = [pool.submit(_in_worker, post, options) for post in posts]
        try:
            for post, future in zip(posts, futures):
                try:
                    yield post, future.result()
                except Exception as exc:  # the worker itself died (killed, out of memory)
                    yield post, internal(exc, post)
        except BaseException as exc:  # Ctrl-C, SIGTERM: no post more
            _stop(pool, exc)
            raise


def _in_worker(post: Path, options: BuildOptions) -> Result:
    """One post of a folder build, in a worker process. Ctrl-C or SIGTERM ends the worker once
    the build has removed what it half wrote: the pool must not start the next post."""
    try:
        return build_one_safely(post, options, None)
    except KeyboardInterrupt as exc:
        os._exit(143 if isinstance(exc, Terminated) else 130)


def _stop(pool: ProcessPoolExecutor, exc: BaseException) -> None:
    """Start no more posts; on SIGTERM, which reached this process alone (a Ctrl-C reached
    the workers too), pass it on: each worker's build removes what it half wrote."""
    pool.shutdown(wait=False, cancel_futures=True)
    if isinstance(exc, Terminated):
        import multiprocessing

        for worker in multiprocessing.active_children():
            worker.terminate()


__all__ = ["BuildOptions", "Record", "Services", "build_one_safely", "build_post", "build_posts", "find_posts", "internal"]
