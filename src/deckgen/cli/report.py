"""What the commands print, and the exit status they return: errors, warnings and notes on
stderr, a build's summary line on stdout."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from enum import IntEnum

from deckgen.diagnostics import Diagnostic, Severity, ignored
from deckgen.diagnostics import render as R
from deckgen.diagnostics.quoting import shown
from deckgen.errors import DeckgenError


class Status(IntEnum):
    OK = 0
    FAILED = 1  # a build failed, check found something, a warning under --strict
    USAGE = 2  # bad usage or bad input
    INTERRUPTED = 130  # 128 + SIGINT
    TERMINATED = 143  # 128 + SIGTERM


def status_of(error: DeckgenError) -> Status:
    return Status.USAGE if error.exit_code == Status.USAGE else Status.FAILED


def print_error(error: DeckgenError, verbose: bool, post: object = None) -> None:
    """One line; a folder build names the post in front of an error placed elsewhere (its
    output folder, say), so that each failed post's line says which it is."""
    if verbose:
        import traceback

        print(error.details or "".join(traceback.format_exception(error)), file=sys.stderr, end="")
    found = error.diagnostic
    whose = f"{shown(str(post))}: " if post is not None and found.file != shown(str(post)) else ""
    print(f"deckgen: error: {whose}{R.line(found)}", file=sys.stderr)


def print_diagnostics(found: Sequence[Diagnostic], verbose: bool) -> None:
    """Warnings (grouped unless -v) and, with -v, notes, on stderr."""
    warnings = [d for d in found if d.severity in (Severity.WARNING, Severity.ERROR)]
    for text in R.lines(warnings, verbose):
        print(f"warning: {text}", file=sys.stderr)
    if verbose:
        for d in found:
            if d.severity in (Severity.INFO, Severity.HINT):
                print(f"note: {R.line(d)}", file=sys.stderr)


def print_result(result: object, args: argparse.Namespace, post: object = None) -> None:
    from deckgen.pipeline import Record

    if isinstance(result, DeckgenError):
        print_error(result, args.verbose, post)
        return
    assert isinstance(result, Record)
    ignore: frozenset[str] = getattr(args, "ignored", frozenset())
    print_diagnostics([d for d in result.diagnostics if not ignored(d, ignore)], args.verbose)
    if args.quiet:
        return
    if result.up_to_date:
        print(f"{shown(str(result.source))}: up to date{edited_note(result.edited)}")
        return
    print(summary_line(result))


def edited_note(edited: Sequence[object]) -> str:
    """What an up-to-date line adds when decks were edited since deckgen wrote them (left alone)."""
    if not edited:
        return ""
    return f" (edited since deckgen wrote it, left as it is: {', '.join(str(p) for p in edited)})"


def summary_line(result: object) -> str:
    from deckgen.pipeline import Record

    assert isinstance(result, Record)
    s = result.images
    outs = ", ".join(shown(str(p)) for p in result.outputs)
    extra = ""
    if s.failed and result.offline:
        extra = " [offline: images not in the cache are placeholders]"
    elif s.failed:
        extra = " [unavailable images are placeholders]"
    if result.reveal_origin == "cdn-link":
        extra += " [the HTML deck needs the internet for reveal.js]"
    return (
        f"{shown(str(result.source))}: {result.pages} slides, images {s.total} "
        f"({s.cached} cached, {s.downloaded} downloaded, {s.failed} failed) -> {outs} "
        f"in {result.seconds:.1f} s{extra}"
    )
