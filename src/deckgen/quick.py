"""The quick look: a post whose decks are current, found so before it is parsed.

In a folder build most posts are unchanged, and parsing each one (markdown-it, the URL policy,
its pictures looked up) only to find its stamp's digest unchanged was most of the time of an
unchanged course. So the stamp also keeps (``stamp.Quick``) the key of everything the parse
reads (``stamp.quick_key``: the post's bytes, the theme, the options, the site's address and
language...), the pictures the deck asked for, what each resolved to, and what the parse said.

A build whose key is the stamp's asks the resolver once more for each of those pictures, without
a server (``AssetResolver.resolve_quick``: a cached copy still fresh, a local file read again, a
failure still remembered). When every one resolves to what it did, the deck the parse would give
is the one of the stamp and so is its digest: the post is current, and the run says what the full
way says of a current post (the parse's diagnostics, the pictures', the writing's again).

Anything else takes the full way, which decides as it always did: another key (the post, the
theme, an option, the site's ``_config.yml`` changed), a picture that needs a server (a copy to
revalidate, a failure no longer remembered, ``--refresh``, a cache cleared or pruned), one that
resolves otherwise (a local picture changed, another copy cached), outputs missing, a course card
to draw, ``--force``, a build that is not incremental, a stamp without ``quick``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from deckgen.assets.resolve import AssetStats, local_paths
from deckgen.assets.resolver import AssetResolver, Job, Resolved
from deckgen.diagnostics import Diagnostics
from deckgen.edits import Guard
from deckgen.options import BuildOptions
from deckgen.outputs import sweep_leftovers
from deckgen.stamp import Quick, Stamp, assets_digest, outputs_present, read_stamp


@dataclass(frozen=True)
class Current:
    """The decks are current: what the full way would have found on its way there."""

    old: Stamp
    quick: Quick
    outcomes: tuple[Resolved, ...]  # each picture, in the post's order
    stats: AssetStats
    local: tuple[Path, ...]  # the local files the pictures name (read, for ``serve``)
    edited: tuple[Path, ...]  # outputs edited since written (left alone)

    def say(self, diag: Diagnostics) -> None:
        """What the full way says of a current post: the parse's, the pictures', the writing's again."""
        diag.extend(self.quick.said)
        for outcome in self.outcomes:
            diag.extend(outcome.diagnostics)
        said = set(diag)
        diag.extend(d for d in self.old.diagnostics if d not in said)


def look(
    path: Path,
    options: BuildOptions,
    key: str,
    resolver_of: Callable[[], AssetResolver],
    diag: Diagnostics,
    before: float,
) -> Current | None:
    """The post's decks, when a look without parsing finds them current; else None (the full way).
    ``resolver_of`` gives the resolver of the pictures (made only when the stamp's key is ``key``);
    ``before``: when the build started (what builds that died left before it is swept away)."""
    if options.force or not options.incremental:
        return None
    old = read_stamp(options.out_dir, path)
    if old is None or old.quick is None or old.quick.key != key or not old.digest:
        return None
    sweep_leftovers(path, options.out_dir, before)  # as the full way does before it looks
    if not outputs_present(options.out_dir, old):
        return None
    if options.course_card:
        from deckgen.course.cards import card_current

        if not card_current(options.out_dir, path):
            return None
    jobs = [Job(url, line, poster) for url, line, poster in old.quick.pictures]
    resolver = resolver_of()
    outcomes: list[Resolved] = []
    for job in jobs:
        outcome = resolver.resolve_quick(job)
        if outcome is None:  # it needs a server
            return None
        outcomes.append(outcome)
    if assets_digest(o.asset for o in outcomes) != old.quick.assets:
        return None
    edited = Guard(options.out_dir, old, diag, options.discard_edits).edited()
    return Current(old, old.quick, tuple(outcomes), _stats(outcomes), tuple(local_paths(resolver, jobs)), edited)


def _stats(outcomes: list[Resolved]) -> AssetStats:
    """As the assets stage counts them."""
    counts = {"cached": 0, "downloaded": 0, "failed": 0}
    for outcome in outcomes:
        counts[outcome.how] += 1
    missing = sum(o.offline_missing for o in outcomes)
    return AssetStats(len(outcomes), counts["cached"], counts["downloaded"], counts["failed"], missing)


__all__ = ["Current", "look"]
