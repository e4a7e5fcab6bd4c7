"""A post's text is untrusted: ``clean_deck`` makes the parsed deck's text safe to measure and
write, the last step of the parse stage (pure).

- In runs (titles, paragraphs, list items, cells, quotes): line separators (``\\r``, ``\\v``,
  ``\\f``, U+001C-U+001E, U+0085, U+2028, U+2029) become hard line breaks, tabs become spaces,
  other control characters are dropped, and words longer than ``LONG_WORD`` get break
  opportunities; a text that cannot be split across pages is cut with an ellipsis past its limit
  (``MAX_*_CHARS``), and the caller hears of each cut.
- Code and speaker notes keep their lines: separators become newlines, controls are dropped, and
  a line longer than ``MAX_CODE_LINE`` is broken into lines that long.
- Every other string of the model (the front matter's values, alt texts, addresses) is put on
  one line (``plaintext.line_text``).

So measurement and the writers never see a character the shaper or XML refuses. Characters XML
cannot carry at all went earlier, where the post was read (``source/xmlchars.py``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, TypeVar, cast

from deckgen.model.document import (
    LINE_BREAK,
    Cell,
    Code,
    Deck,
    Heading,
    ListItem,
    Meta,
    Quote,
    Run,
    Runs,
    Slide,
    runs_head,
)
from deckgen.plaintext import ELLIPSIS, LINE_SEPARATORS, UNSHAPED, line_text

# words longer than this get break opportunities (U+200B): after URL punctuation, and
# every LONG_WORD characters in what is still longer; both decks break only there
LONG_WORD = 24
ZWSP = "\u200b"
_LONG = re.compile(r"[^\s\u200b\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]{" + str(LONG_WORD + 1) + ",}")
_URL_PUNCT = re.compile(r"(?<=[/?&=#.\-_:;,~+%@])(?=.)")
MAX_CODE_LINE = 1000  # a code line longer than this is broken into lines this long
# text that cannot be split across pages is cut (with an ellipsis) past these lengths
MAX_ITEM_CHARS = 1500  # a list item, a paragraph of a quote
MAX_CELL_CHARS = 400  # a table cell
MAX_HEADING_CHARS = 300  # a heading, a slide title


def break_word(word: str) -> str:
    """A long word with break opportunities: after URL punctuation, then every LONG_WORD."""
    pieces = _URL_PUNCT.sub(ZWSP, word).split(ZWSP)
    out: list[str] = []
    for piece in pieces:
        out.extend(piece[i : i + LONG_WORD] for i in range(0, len(piece), LONG_WORD))
    return ZWSP.join(out)


def break_long_words(text: str) -> str:
    return _LONG.sub(lambda m: break_word(m.group(0)), text) if len(text) > LONG_WORD else text


def clean_runs(runs: Runs) -> Runs:
    """Runs a shaper can measure: line separators inside a run become hard breaks, and
    words longer than a line can be get break opportunities."""
    if all(
        r.is_break
        or not (LINE_SEPARATORS.search(r.text) or UNSHAPED.search(r.text) or _LONG.search(r.text))
        for r in runs
    ):
        return runs
    out: list[Run] = []
    for run in runs:
        if run.is_break:
            out.append(run)
            continue
        pieces = LINE_SEPARATORS.split(run.text)
        for i, piece in enumerate(pieces):
            if i:
                out.append(LINE_BREAK)
            piece = break_long_words(UNSHAPED.sub("", piece).replace("\t", " "))
            if piece:
                out.append(replace(run, text=piece))
    return tuple(out)


def cut_runs(runs: Runs, limit: int) -> Runs:
    """``runs`` with at most ``limit`` characters of text, cut with an ellipsis."""
    if sum(len(r.text) for r in runs) <= limit:
        return runs
    out = runs_head(runs, limit)
    while out and out[-1].is_break:
        out.pop()
    if not out:
        return (Run(ELLIPSIS),)
    return (*out[:-1], replace(out[-1], text=out[-1].text + ELLIPSIS))


def _code_text(text: str) -> str:
    text = UNSHAPED.sub("", LINE_SEPARATORS.sub("\n", text))
    if len(text) <= MAX_CODE_LINE or all(len(line) <= MAX_CODE_LINE for line in text.split("\n")):
        return text
    return "\n".join(
        line[i : i + MAX_CODE_LINE] if line else ""
        for line in text.split("\n")
        for i in range(0, max(1, len(line)), MAX_CODE_LINE)
    )


T = TypeVar("T")


@dataclass
class _Cuts:
    """Where ``_clean`` cut text past the limits above: (what, the post's line)."""

    line: int = 0
    found: list[tuple[str, int]] = field(default_factory=list)

    def cut(self, runs: Runs, limit: int, what: str) -> Runs:
        shown = cut_runs(runs, limit)
        if shown is not runs:
            self.found.append((what, self.line))
        return shown


def _clean(value: T, cuts: _Cuts) -> T:
    if isinstance(value, Run):
        return value
    if isinstance(value, tuple):
        if value and all(isinstance(v, Run) for v in value):
            return cast(T, clean_runs(value))
        return cast(T, tuple(_clean(v, cuts) for v in value))
    outer = cuts.line
    line = getattr(value, "line", 0)
    if isinstance(line, int) and line > 0:
        cuts.line = line  # the place of what is inside (a list's items, a table's cells)
    try:
        return _clean_one(value, cuts)
    finally:
        cuts.line = outer


def _clean_one(value: T, cuts: _Cuts) -> T:
    if isinstance(value, ListItem):
        value = replace(value, runs=cuts.cut(clean_runs(value.runs), MAX_ITEM_CHARS, "a list item"))
    elif isinstance(value, Cell):
        value = replace(value, runs=cuts.cut(clean_runs(value.runs), MAX_CELL_CHARS, "a table cell"))
    elif isinstance(value, Heading):
        value = replace(value, runs=cuts.cut(clean_runs(value.runs), MAX_HEADING_CHARS, "a heading"))
    elif isinstance(value, Slide):
        value = replace(value, title=cuts.cut(clean_runs(value.title), MAX_HEADING_CHARS, "a slide title"))
    elif isinstance(value, Quote):
        paras = tuple(cuts.cut(clean_runs(p), MAX_ITEM_CHARS, "a quote") for p in value.paragraphs)
        value = replace(value, paragraphs=paras)
    if is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in fields(value):
            old = getattr(value, f.name)
            if isinstance(old, str):
                new: Any = _code_text(old) if (isinstance(value, Code) and f.name == "text") else line_text(old)
                if f.name == "notes":
                    new = _code_text(old)
            elif isinstance(old, (tuple, Run)) or (is_dataclass(old) and not isinstance(old, type)):
                new = _clean(old, cuts)
            else:
                continue
            if new is not old and new != old:
                changes[f.name] = new
        return replace(value, **changes) if changes else value
    return value


def clean_deck(deck: Deck, cut: Callable[[str, int], None] | None = None) -> Deck:
    """The deck with every text made measurable and writable (see the module's note);
    ``cut(what, line)`` hears of each text cut past its limit (words the decks lose)."""
    cuts = _Cuts()
    cleaned = Deck(
        meta=_clean_meta(deck.meta),
        abstract=_clean(deck.abstract, cuts),
        slides=_clean(deck.slides, cuts),
        source=deck.source,
    )
    if cut is not None:
        for what, line in cuts.found:
            cut(what, line)
    return cleaned


def _clean_meta(meta: Meta) -> Meta:
    return Meta(
        title=line_text(meta.title).strip(),
        authors=tuple(line_text(a) for a in meta.authors),
        date=line_text(meta.date),
        category=tuple(line_text(c) for c in meta.category),
        tags=tuple(line_text(t) for t in meta.tags),
        theme=meta.theme,
        lang=meta.lang,
    )
