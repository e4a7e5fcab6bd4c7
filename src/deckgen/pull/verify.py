"""Each change made to the post checked the only sure way: the changed post parsed again must
show exactly what the deck shows, and every other text as before. Changes are tried all at
once; if the post does not read right, one by one, keeping those that do."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from deckgen.errors import DeckgenError
from deckgen.pull.plan import shown_canonical
from deckgen.pull.rewrite import apply_edits
from deckgen.pull.textedit import Candidate, Edit, Unmappable
from deckgen.pull.units import Post, parse_post, slide_units

Reading = tuple[list[list[tuple[str, str]]], list[str]]  # per slide (-1 first) its units (key, text); notes


def reading(post: Post) -> Reading:
    """What the post shows: the title page's texts, then each slide's, and each slide's notes."""
    head = [(u.key, shown_canonical(u)) for u in post.units.values() if u.slide == -1]
    groups = [head]
    for s, slide in enumerate(post.deck.slides):
        groups.append([(u.key, shown_canonical(u)) for u in slide_units(post, s, slide)])
    return groups, [slide.notes for slide in post.deck.slides]


def expected(base: Reading, changes: Sequence[Candidate]) -> tuple[list[list[str]], list[str]]:
    groups = [list(g) for g in base[0]]
    notes = list(base[1])
    for change in changes:
        for kind, key, text in change.ops:
            for g in groups:
                k = next((i for i, (name, _) in enumerate(g) if name == key), None)
                if k is None:
                    continue
                if kind == "replace":
                    g[k] = (key, text)
                elif kind == "delete":
                    g[k] = ("", "\x00deleted")
                elif kind == "after":
                    g.insert(k + 1, ("", text))
                elif kind == "before":
                    g.insert(k, ("", text))
                break
        for s, text in change.notes.items():
            notes[s] = text
    return [[t for _, t in g if t != "\x00deleted"] for g in groups], notes


class Verifier:
    def __init__(self, post: Post, now: dt.datetime, site: str) -> None:
        self.post = post
        self.now = now
        self.site = site
        self.base = reading(post)

    def check(self, changes: Sequence[Candidate]) -> str | None:
        """The post with ``changes`` made, if it reads as the deck does; else None."""
        edits: list[Edit] = sorted((e for c in changes for e in c.edits), key=lambda e: (e.start, e.end))
        for a, b in zip(edits, edits[1:]):
            if b.start < a.end:
                return None
        text = apply_edits(self.post.text.text, edits)
        try:
            again = parse_post(self.post.path, self.post.text.encode(text), self.now, self.site)
        except (DeckgenError, Unmappable):
            return None
        groups, notes = reading(again)
        want_groups, want_notes = expected(self.base, changes)
        if [[t for _, t in g] for g in groups] != want_groups or notes != want_notes:
            return None
        return text

    def accept(self, changes: Sequence[Candidate]) -> tuple[str, list[Candidate], list[Candidate]]:
        """The post with every change that reads right made; the changes made, those refused."""
        if not changes:
            return self.post.text.text, [], []
        text = self.check(changes)
        if text is not None:
            return text, list(changes), []
        kept: list[Candidate] = []
        refused: list[Candidate] = []
        text = self.post.text.text
        for change in changes:
            tried = self.check([*kept, change])
            if tried is None:
                refused.append(change)
            else:
                kept.append(change)
                text = tried
        return text, kept, refused


__all__ = ["Verifier", "expected", "reading"]
