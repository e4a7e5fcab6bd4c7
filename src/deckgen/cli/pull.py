"""``deckgen pull DECK.pptx [--post POST.md] [--write]``: the text edits of a deck a teacher
edited in PowerPoint or LibreOffice, as a unified diff of its post (stdout), written into the
post with ``--write``. What does not map back (a moved picture, a new slide, a colour) is listed
on stderr, one line each with its slide, as warnings. Its options are in ``cli/args.py`` with every command's."""

from __future__ import annotations

import argparse
import sys

from deckgen.cli.report import Status, print_diagnostics


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


__all__ = ["run"]
