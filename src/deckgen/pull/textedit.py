"""A text changed in the deck, written back into the post's own characters.

The post's stretch a text is written in is read as *atoms*: a character stands for itself, an
entity (``&amp;``) or escape (``\\*``) for the character it shows, ``<br>`` for a line break, a
line end for the space it shows; a tag, a link's address, a picture, Liquid stand for nothing
any text can match. The unit's text is aligned with the atoms (longest common stretches first),
so each character the deck showed has its place in the post, and the markup around it stays
where it is. A change of the text (characters replaced, added, deleted) is written at those
places; a change of formatting puts markup around the characters (``**``, ``*``, ``~~``, a
link) or takes the markup that says it away. What cannot be written so is refused with the
reason, never guessed; the caller parses the changed post again to check each change.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from deckgen.pull.slideread import PLAIN, Style, TextRuns

NOTHING = "\x01"  # an atom no text matches (a tag, a link's address)


@dataclass(frozen=True)
class Edit:
    """Replace the post's characters [start, end) by ``text``."""

    start: int
    end: int
    text: str


Op = tuple[str, str, str]  # ("replace" | "delete" | "after" | "before", a unit's key, its text then)


@dataclass
class Candidate:
    """One change of the post: ``edits`` of its characters, and what its texts must read once
    they are made (``ops`` on the units; ``notes``: a slide's new notes, by slide index)."""

    what: str
    slide: int  # the deck's slide number
    line: int  # the post's line
    edits: list[Edit]
    ops: list[Op] = field(default_factory=list)
    notes: dict[int, str] = field(default_factory=dict)


class Unmappable(Exception):
    """A change that cannot be written into the post; the message says why."""


@dataclass(frozen=True)
class Atom:
    char: str
    start: int  # offsets in the post
    end: int


_ATOM = re.compile(
    r"(?P<br><br\s*/?>)"
    r"|(?P<hard>(?:  +|\\)\n)"
    r"|(?P<esc>\\[!-/:-@\[-`{-~])"
    r"|(?P<ent>&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)"
    r"|(?P<img>!\[[^\]\n]*\]\([^)\n]*\))"
    r"|(?P<dest>\]\((?:[^()\s]|\([^()\s]*\))*(?:\s+\"[^\"\n]*\")?\))"
    r"|(?P<tag></?[A-Za-z][\w-]*(?:\s[^<>]*)?/?>|<!--.*?-->)"
    r"|(?P<liquid>\{\{.*?\}\}|\{%.*?%\})",
    re.IGNORECASE | re.DOTALL,
)


def atoms(text: str, base: int = 0) -> list[Atom]:
    """The atoms of ``text`` (a stretch of the post starting at offset ``base``)."""
    out: list[Atom] = []
    pos = 0
    for m in _ATOM.finditer(text):
        for i in range(pos, m.start()):
            ch = text[i]
            out.append(Atom(" " if ch == "\n" else ch, base + i, base + i + 1))
        kind = m.lastgroup
        s, e = base + m.start(), base + m.end()
        if kind in ("br", "hard"):
            out.append(Atom("\n", s, e))
        elif kind == "esc":
            out.append(Atom(m.group()[1], s, e))
        elif kind == "ent":
            shown = html.unescape(m.group())
            out.append(Atom(shown if len(shown) == 1 else NOTHING, s, e))
        else:
            out.append(Atom(NOTHING, s, e))
        pos = m.end()
    for i in range(pos, len(text)):
        ch = text[i]
        out.append(Atom(" " if ch == "\n" else ch, base + i, base + i + 1))
    return out


WHOLE_LIMIT = 2_000_000  # characters x atoms up to which the texts are aligned in one go


def align(parts: Sequence[str], found: Sequence[Atom]) -> list[list[int | None]]:
    """For each part (texts written one after another in the stretch), for each of its
    characters, the index of the atom it is, or None where the post has no such character.

    A short stretch is aligned in one go (longest common stretches first); a long one (a table
    of hundreds of cells) part after part, each looked for after the one before."""
    chars = "".join(a.char for a in found)
    joined = "\x00".join(parts)
    if len(joined) * len(chars) <= WHOLE_LIMIT:
        where: list[int | None] = [None] * len(joined)
        for a, b, size in difflib.SequenceMatcher(None, joined, chars, autojunk=False).get_matching_blocks():
            where[a : a + size] = range(b, b + size)
        out: list[list[int | None]] = []
        pos = 0
        for part in parts:
            out.append(where[pos : pos + len(part)])
            pos += len(part) + 1
        return out
    return _align_in_turn(parts, chars)


def _align_in_turn(parts: Sequence[str], chars: str) -> list[list[int | None]]:
    out: list[list[int | None]] = []
    cursor = 0
    for part in parts:
        if not part:
            out.append([])
            continue
        span = max(400, 4 * len(part))
        at = chars.find(part, cursor, cursor + span + len(part))
        if at < 0:
            at = chars.find(part, cursor)
        if at >= 0:
            out.append(list(range(at, at + len(part))))
            cursor = at + len(part)
            continue
        window = chars[cursor : cursor + span + len(part)]
        where: list[int | None] = [None] * len(part)
        for a, b, size in difflib.SequenceMatcher(None, part, window, autojunk=False).get_matching_blocks():
            where[a : a + size] = range(cursor + b, cursor + b + size)
        out.append(where)
        placed = [w for w in where if w is not None]
        if placed:
            cursor = placed[-1] + 1
    return out


# -- writing new text ---------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
_YAML_RISKY = re.compile(r"[:#\"'\\{}\[\]&*!|>%@,`\n]")
_MD_LINE_START = re.compile(r"^(\s*)(?:([#>+-])|(\d+)([.)]))(?=\s|$)")


def escape(text: str, context: str) -> str:
    """Text written as the post shows it literally (``context``: "md" Markdown, "html" in an
    HTML block); a line break as ``<br>``."""
    if context == "html":
        return html.escape(text, quote=False).replace("\n", "<br>")
    if context == "yaml":
        if _YAML_RISKY.search(text):
            raise Unmappable("the front matter's title would need YAML quoting: change it there by hand")
        return text
    out = _MD_SPECIAL.sub(r"\\\1", text)
    out = re.sub(r"&(?=#?\w+;)", "&amp;", out)
    return out.replace("\n", "<br>")


def escape_line_start(text: str) -> str:
    """A new line's text that would otherwise start a list, a heading or a quote."""
    def quoted(m: re.Match[str]) -> str:
        if m.group(2):
            return m.group(1) + "\\" + m.group(2)
        return m.group(1) + m.group(3) + "\\" + m.group(4)  # a digit is no escape: the period is

    return _MD_LINE_START.sub(quoted, text, count=1)


def styled(text: str, style: Style, context: str) -> str:
    """``text`` (already escaped) with the markup that gives it ``style``."""
    bold, italic, strike, link = style
    if context == "yaml":
        raise Unmappable("the front matter's title has no formatting")
    if context == "html":
        if strike:
            text = f"<s>{text}</s>"
        if italic:
            text = f"<em>{text}</em>"
        if bold:
            text = f"<strong>{text}</strong>"
        if link:
            text = f'<a href="{html.escape(link)}">{text}</a>'
        return text
    if strike:
        text = f"~~{text}~~"
    if italic:
        text = f"*{text}*"
    if bold:
        text = f"**{text}**"
    if link:
        text = f"[{text}]({_destination(link)})"
    return text


def _destination(link: str) -> str:
    return f"<{link}>" if re.search(r"[\s()<>]", link) else link


def added_style(style: Style, around: Style) -> Style | None:
    """What ``style`` adds to ``around`` (the markup to write), or None when it takes something away."""
    bold, italic, strike, link = style
    b0, i0, s0, l0 = around
    if (b0 and not bold) or (i0 and not italic) or (s0 and not strike) or (l0 and link != l0):
        return None
    return (bold and not b0, italic and not i0, strike and not s0, link if link and not l0 else "")


def write_runs(runs: Sequence[tuple[str, Style]], around: Style, context: str) -> str:
    """New text in the post's markup, inside text of style ``around``."""
    out = []
    for text, style in _grouped(runs):
        extra = added_style(style, around) if text.strip() else PLAIN
        if extra is None:
            raise Unmappable("new text without formatting the text around it has")
        body = escape(text, context)
        if extra != PLAIN:
            lead = body[: len(body) - len(body.lstrip(" "))]
            trail = body[len(body.rstrip(" ")) :]
            body = lead + styled(body.strip(" "), extra, context) + trail
        out.append(body)
    return "".join(out)


def _grouped(runs: Sequence[tuple[str, Style]]) -> list[tuple[str, Style]]:
    """Runs with blank text joined to the run before it (a space's formatting is not seen)."""
    out: list[tuple[str, Style]] = []
    for text, style in runs:
        if out and (not text.strip() or out[-1][1] == style):
            out[-1] = (out[-1][0] + text, out[-1][1])
        elif out and not out[-1][0].strip():
            out[-1] = (out[-1][0] + text, style)
        else:
            out.append((text, style))
    return out


def chars_of(runs: TextRuns) -> list[tuple[str, Style]]:
    return [(ch, style) for text, style in runs for ch in text]


def runs_of(chars: Sequence[tuple[str, Style]]) -> list[tuple[str, Style]]:
    out: list[tuple[str, Style]] = []
    for ch, style in chars:
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + ch, style)
        else:
            out.append((ch, style))
    return out


__all__ = [
    "Atom", "Candidate", "Edit", "Op", "NOTHING", "Unmappable", "added_style", "align", "atoms", "chars_of", "escape",
    "escape_line_start", "runs_of", "styled", "write_runs",
]
