"""One text's change (the deck's text before and after) as edits of the post's characters; see
:mod:`deckgen.pull.textedit` for how the post's characters are found."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from deckgen.pull.slideread import PLAIN, Style, TextRuns
from deckgen.pull.textedit import (
    NOTHING,
    Atom,
    Edit,
    Unmappable,
    chars_of,
    runs_of,
    styled,
    write_runs,
)

_CLOSERS = "*_~`"
_PAIRS = {  # what takes a style away: (before, after) markup written around the text
    "bold": (("**", "**"), ("__", "__"), ("<b>", "</b>"), ("<strong>", "</strong>")),
    "italic": (("*", "*"), ("_", "_"), ("<i>", "</i>"), ("<em>", "</em>")),
    "strike": (("~~", "~~"), ("~", "~"), ("<s>", "</s>"), ("<del>", "</del>"), ("<strike>", "</strike>")),
}


class Rewriter:
    """The edits for one text: ``old``/``new`` its runs in the deck, ``where`` the atom each
    of ``old``'s characters is (None: not in the post), ``found`` the atoms of its stretch."""

    def __init__(
        self, old: TextRuns, where: Sequence[int | None], found: Sequence[Atom], post: str, context: str
    ) -> None:
        self.old = chars_of(old)
        self.where = list(where)
        self.found = found
        self.post = post
        self.context = context

    # -- the whole change ---------------------------------------------------------
    def edits(self, new: TextRuns) -> list[Edit]:
        oc, nc = self.old, chars_of(new)
        otext, ntext = "".join(c for c, _ in oc), "".join(c for c, _ in nc)
        out: list[Edit] = []
        restyled: list[tuple[int, Style, Style]] = []
        matcher = difflib.SequenceMatcher(None, otext, ntext, autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                for k in range(i2 - i1):
                    ch, before = oc[i1 + k]
                    after = nc[j1 + k][1]
                    if before != after and not ch.isspace():
                        restyled.append((i1 + k, before, after))
                continue
            fresh = runs_of(nc[j1:j2])
            if i1 == i2:
                out.append(self._insert(i1, fresh))
            else:
                out.extend(self._replace(i1, i2, fresh))
        out.extend(self._restyle(restyled))
        return sorted_edits(out)

    # -- text ---------------------------------------------------------------------
    def _atom(self, i: int) -> int:
        a = self.where[i] if 0 <= i < len(self.where) else None
        if a is None:
            raise Unmappable("the post does not write this text as the deck shows it (Liquid, or cut by the layout)")
        return a

    def _insert(self, i: int, fresh: list[tuple[str, Style]]) -> Edit:
        style = next((s for t, s in fresh if t.strip()), None)
        left = self.where[i - 1] if i > 0 else None
        right = self.where[i] if i < len(self.where) else None
        lstyle = self.old[i - 1][1] if left is not None else None
        rstyle = self.old[i][1] if right is not None else None
        if left is not None and right is not None and self.found[left].char == "\n" and style in (None, rstyle):
            at = self.found[right].start  # after a line break: at the start of the next line
            return Edit(at, at, write_runs(fresh, rstyle or PLAIN, self.context))
        if left is not None and (style is None or style == lstyle):
            return Edit(self.found[left].end, self.found[left].end, write_runs(fresh, lstyle or PLAIN, self.context))
        if right is not None and (style == rstyle or (left is None and style is None)):
            at = self.found[right].start
            return Edit(at, at, write_runs(fresh, rstyle or PLAIN, self.context))
        if left is not None and right is None:
            at = self._after_closers(left)  # after the markup that ends the text: its formatting stops there
            return Edit(at, at, write_runs(fresh, PLAIN if at != self.found[left].end else lstyle or PLAIN, self.context))
        if left is not None:
            at = self.found[left].end
            return Edit(at, at, write_runs(fresh, lstyle or PLAIN, self.context))
        if right is not None:
            at = self.found[right].start
            return Edit(at, at, write_runs(fresh, rstyle or PLAIN, self.context))
        raise Unmappable("the text around it is not the post's as the deck shows it (Liquid, or cut by the layout)")

    def _after_closers(self, a: int) -> int:
        """The end of the markup right after atom ``a`` that closes its formatting."""
        taken = {w for w in self.where if w is not None}
        end = self.found[a].end
        k = a + 1
        while k < len(self.found) and k not in taken:
            atom = self.found[k]
            text = self.post[atom.start : atom.end]
            if atom.char in _CLOSERS or (atom.char == NOTHING and (text.startswith("](") or text.startswith("</"))):
                end = atom.end
                k += 1
                continue
            break
        return end

    def _stretches(self, i1: int, i2: int) -> list[tuple[int, int]]:
        """The old characters [i1, i2) cut where markup stands between them in the post."""
        out: list[tuple[int, int]] = []
        start = i1
        for i in range(i1 + 1, i2 + 1):
            if i == i2 or self._atom(i) != self._atom(i - 1) + 1:
                out.append((start, i))
                start = i
        return out

    def _replace(self, i1: int, i2: int, fresh: list[tuple[str, Style]]) -> list[Edit]:
        stretches = self._stretches(i1, i2)
        style = next((s for t, s in fresh if t.strip()), None)
        home = next((k for k, (a, _b) in enumerate(stretches) if self.old[a][1] == style), 0)
        out = []
        for k, (a, b) in enumerate(stretches):
            first, last = self.found[self._atom(a)], self.found[self._atom(b - 1)]
            if k == home and fresh:
                out.append(Edit(first.start, last.end, write_runs(fresh, self.old[a][1], self.context)))
            else:
                start, end = self._enclosed(first.start, last.end, a, b)
                out.append(Edit(start, end, ""))
        return out

    def _enclosed(self, start: int, end: int, a: int, b: int) -> tuple[int, int]:
        """A stretch deleted whole takes the markup that encloses only it along."""
        style = self.old[a][1]
        if all(self.old[i][1] == style for i in range(a, b)):
            whole_before = a == 0 or self.old[a - 1][1] != style
            whole_after = b >= len(self.old) or self.old[b][1] != style
            if whole_before and whole_after:
                for name, on in (("bold", style[0]), ("italic", style[1]), ("strike", style[2])):
                    if on:
                        pair = self._pair(start, end, name)
                        if pair:
                            start, end = start - len(pair[0]), end + len(pair[1])
                if style[3]:
                    found = self._link_around(start, end)
                    if found:
                        start, end = found
        return start, end

    # -- formatting ----------------------------------------------------------------
    def _pair(self, start: int, end: int, name: str) -> tuple[str, str] | None:
        for before, after in _PAIRS[name]:
            if self.post[max(0, start - len(before)) : start].lower() == before and self.post[end : end + len(after)].lower() == after:
                if name == "italic" and (self.post[start - 2 : start] in ("**", "__") and self.post[end : end + 2] in ("**", "__")):
                    if self.post[start - 3 : start] not in ("***", "___"):
                        continue  # a bold pair, not an italic one
                return before, after
        return None

    def _link_around(self, start: int, end: int) -> tuple[int, int] | None:
        """The whole ``[text](address)`` around ``[start, end)`` (its text), if it is one."""
        if self.post[start - 1 : start] != "[":
            return None
        dest = next((a for a in self.found if a.start == end and a.char == NOTHING), None)
        if dest is None or not self.post[dest.start : dest.end].startswith("]("):
            return None
        return start - 1, dest.end

    def _restyle(self, changed: list[tuple[int, Style, Style]]) -> list[Edit]:
        out: list[Edit] = []
        for group in _ranges(changed, self.old):
            i_s, i_e, before, after = group
            for i in range(i_s, i_e):
                if self._atom(i + 1) != self._atom(i) + 1:
                    raise Unmappable("formatting changed across the post's markup")
            start, end = self.found[self._atom(i_s)].start, self.found[self._atom(i_e)].end
            out.extend(self._style_edits(start, end, before, after))
        return out

    def _style_edits(self, start: int, end: int, before: Style, after: Style) -> list[Edit]:
        out: list[Edit] = []
        added = (after[0] and not before[0], after[1] and not before[1], after[2] and not before[2], "")
        inner, outer = start, end
        for k, name in enumerate(("bold", "italic", "strike")):
            if before[k] and not after[k]:
                pair = self._pair(inner, outer, name)
                if pair is None:
                    raise Unmappable(f"{name} taken off text the post does not mark {name} on its own")
                out.append(Edit(inner - len(pair[0]), inner, ""))
                out.append(Edit(outer, outer + len(pair[1]), ""))
                inner, outer = inner - len(pair[0]), outer + len(pair[1])
        if before[3] != after[3]:
            if before[3]:
                found = self._link_around(start, end)
                if found is None:
                    raise Unmappable("a link changed that the post does not write as [text](address)")
                s0, e0 = found
                if after[3]:
                    dest_start = end + 2
                    out.append(Edit(dest_start, e0 - 1, _dest(after[3])))
                else:
                    out.append(Edit(s0, s0 + 1, ""))
                    out.append(Edit(end, e0, ""))
            else:
                added = (added[0], added[1], added[2], after[3])
        if added != PLAIN:
            marked = styled("\x00", added, self.context)
            head, tail = marked.split("\x00")
            out.append(Edit(start, start, head))
            out.append(Edit(end, end, tail))
        return out


def _dest(link: str) -> str:
    return styled("x", (False, False, False, link), "md")[len("[x](") : -1]


def _ranges(changed: list[tuple[int, Style, Style]], old: list[tuple[str, Style]]) -> list[tuple[int, int, Style, Style]]:
    """Changed characters grouped: one change over a stretch (blanks between them included)."""
    out: list[tuple[int, int, Style, Style]] = []
    for i, before, after in changed:
        if out:
            s, e, b0, a0 = out[-1]
            if (b0, a0) == (before, after) and all(old[k][0].isspace() for k in range(e + 1, i)):
                out[-1] = (s, i, b0, a0)
                continue
        out.append((i, i, before, after))
    return out


def sorted_edits(edits: list[Edit]) -> list[Edit]:
    """Edits in the post's order; overlapping ones are refused."""
    ordered = sorted(enumerate(edits), key=lambda ie: (ie[1].start, ie[1].end, ie[0]))
    out: list[Edit] = []
    for _, e in ordered:
        if out and e.start < out[-1].end:
            raise Unmappable("changes that overlap in the post")
        out.append(e)
    return out


def apply_edits(text: str, edits: Sequence[Edit]) -> str:
    """``text`` with ``edits`` (sorted, not overlapping) made."""
    out = []
    pos = 0
    for e in edits:
        out.append(text[pos : e.start])
        out.append(e.text)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


__all__ = ["Rewriter", "apply_edits", "sorted_edits"]
