"""The command line: the only place that prints, chooses exit codes and exits.

Exit codes: 0 success (warnings allowed), 1 a build failed, ``check`` found something, or
a warning under ``--strict``; 2 bad usage or bad input. They are chosen in one place,
:func:`main`, from what a command returns (:class:`~.report.Status`) or raises.

- ``args``: the parser of every command and option, the library's options read from it;
- ``commands``: the five commands;
- ``report``: what they print, and the exit status.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from deckgen.cli.args import UsageError, build_options, make_parser
from deckgen.cli.commands import COMMANDS
from deckgen.cli.report import Status, print_error, status_of
from deckgen.errors import DeckgenError


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    args: argparse.Namespace | None = None
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return Status.USAGE
        if args.command in ("build", "serve"):
            from deckgen.malloc import tune_allocator

            tune_allocator()  # before any thread: big picture buffers go back to the system
        return int(COMMANDS[args.command](args))
    except UsageError as exc:
        print(f"deckgen: error: {exc}", file=sys.stderr)
        return Status.USAGE
    except DeckgenError as exc:
        print_error(exc, bool(args is not None and getattr(args, "verbose", False)))
        return status_of(exc)
    except KeyboardInterrupt:
        print("deckgen: interrupted", file=sys.stderr)
        return Status.INTERRUPTED


__all__ = ["Status", "build_options", "main", "make_parser"]
