"""``deckgen pull DECK.pptx [--post POST.md] [--write]``: the text edits of a deck a teacher
edited in PowerPoint or LibreOffice, as a unified diff of its post (stdout), written into the
post with ``--write``. What does not map back (a moved picture, a new slide, a colour) is listed
on stderr, one line each with its slide, as warnings."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from deckgen.cli.report import Status, print_diagnostics


def add_parser(sub: argparse._SubParsersAction, verbosity: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "pull",
        parents=[verbosity],
        help="bring a deck's text edits (PowerPoint, LibreOffice) back into its post",
        description="Read a .pptx deckgen built and a teacher edited, and print its text edits as a "
        "unified diff of the post it was made from; --write applies them (the old post is kept "
        "beside it as NAME.before-pull-TIME~). Edits the post cannot hold (a moved picture, a new "
        "slide, a colour) are listed with their slide numbers, never guessed. Exit code 0: done, 1: the post "
        "could not be written (read-only, disk full), "
        "2: bad input (not a deckgen .pptx, the post missing or changed since the build).",
    )
    p.add_argument("deck", type=Path, metavar="DECK.pptx", help="the edited deck")
    p.add_argument(
        "--post", type=Path, metavar="POST.md",
        help="the post the deck was built from (default: the one the deck names, found beside the deck's folder)",
    )
    p.add_argument("--write", action="store_true", help="write the edits into the post (default: print them)")


def run(args: argparse.Namespace) -> Status:
    from deckgen.pull.run import pull_deck

    result = pull_deck(args.deck, args.post, args.write)
    if result.diff and not args.write:
        sys.stdout.write(result.diff)
        sys.stdout.flush()
    print_diagnostics(list(result.findings), True)
    if args.quiet:
        return Status.OK
    count = len(result.changes)
    unmapped = len(result.findings)
    listed = f"; {unmapped} not carried over (listed above)" if unmapped else ""
    if not result.diff:
        print(f"{result.deck}: no text edits to bring into {result.post}{listed}", file=sys.stderr)
    elif args.write:
        print(
            f"{result.post}: {count} edit{'s' if count != 1 else ''} from {result.deck} written "
            f"(the old post kept as {result.backup}){listed}"
        )
    else:
        print(
            f"{result.deck}: {count} edit{'s' if count != 1 else ''} for {result.post} (above; --write applies them){listed}",
            file=sys.stderr,
        )
    return Status.OK


__all__ = ["add_parser", "run"]
