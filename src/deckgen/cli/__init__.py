"""The command line: the only place that prints, chooses exit codes and exits.

Exit codes: 0 success (warnings allowed), 1 a build failed, ``check`` found something, or
a warning under ``--strict``; 2 bad usage or bad input; 130 interrupted (Ctrl-C, SIGINT), 143
terminated (SIGTERM). They are chosen in one place, :func:`main`, from what a command returns
(:class:`~.report.Status`) or raises. SIGTERM is handled as Ctrl-C is (``Terminated`` is a
``KeyboardInterrupt``): what was half-written is removed on the way out; ``serve``, which
ends that way, stops cleanly with 0 on either. A bug ends in one line too (``-v``: the traceback).

- ``args``: the parser of every command and option, the library's options read from it;
- ``commands``: the five commands;
- ``report``: what they print, and the exit status.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from collections.abc import Sequence

from deckgen.cli.args import UsageError, build_options, make_parser
from deckgen.cli.commands import COMMANDS
from deckgen.cli.report import Status, print_error, status_of
from deckgen.errors import DeckgenError, Terminated


def _terminate(_signum: int, _frame: object) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second one must not cut the cleanup short
    raise Terminated


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if threading.current_thread() is not threading.main_thread():
        return _main(argv)
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        return _main(argv)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _main(argv: list[str]) -> int:
    parser = make_parser()
    args: argparse.Namespace | None = None
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return Status.USAGE
        if args.command in ("build", "serve"):  # big picture buffers go back to the system
            from deckgen.malloc import tune_allocator, tune_before_threads

            if args.command == "serve":  # before any thread: the server starts some at once
                tune_allocator()
            else:  # before a build's first thread, if it starts any (a warm build does not)
                tune_before_threads()
        return int(COMMANDS[args.command](args))
    except UsageError as exc:
        print(f"deckgen: error: {exc}", file=sys.stderr)
        return Status.USAGE
    except DeckgenError as exc:
        print_error(exc, bool(args is not None and getattr(args, "verbose", False)))
        return status_of(exc)
    except Terminated:
        print("deckgen: terminated", file=sys.stderr)
        return Status.TERMINATED
    except KeyboardInterrupt:
        print("deckgen: interrupted", file=sys.stderr)
        return Status.INTERRUPTED
    except Exception as exc:  # a bug: one line, as for a post's (the traceback with -v)
        from deckgen.build import internal

        print_error(internal(exc), bool(args is not None and getattr(args, "verbose", False)))
        return Status.FAILED


__all__ = ["Status", "Terminated", "build_options", "main", "make_parser"]
