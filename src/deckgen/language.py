"""The languages of a deck's text, decided once so that every writer only translates.

- ``normalize_tag``: a language tag as the post or the site writes it (``zh-TW``, ``en_us``)
  as a BCP 47 tag (``zh-Hant``, ``en-US``), or None when it is none;
- ``detect``: the main language of a text from its letters: Han characters against Latin
  letters, a Han character weighing as much as ``HAN_WEIGHT`` Latin letters (a word either
  way); more Han is ``zh-Hant`` (the variant these courses write), else ``en``;
- ``split_runs``: a paragraph's runs cut where the script changes between Han and Latin, each
  piece with the language of its script where that is not the deck's (``Run.lang``; "" is the
  deck's). Digits, punctuation and spaces belong to the letters before them (at the start, to
  those after). Cuts fall only where a line may break anyway (``measure.break_units``), so
  the pieces wrap exactly as the whole did;
- ``text_runs``: a plain text (speaker notes) as such runs, its lines separated by line breaks.

Pure: no I/O, no third-party imports.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from typing import Literal

from deckgen.measure import break_units
from deckgen.model.document import (
    LINE_BREAK,
    Block,
    BulletList,
    Deck,
    Embed,
    Heading,
    Image,
    Paragraph,
    Quote,
    Run,
    Runs,
    Table,
)

HAN = "zh-Hant"  # the language of Han text in a deck whose own language is written otherwise
LATIN = "en"  # the language of Latin text in a Chinese (or Japanese) deck
DEFAULT = "en"  # a deck with no letters at all
HAN_WEIGHT = 3  # one Han character counts as this many Latin letters when the main language is found
HAN_LANGUAGES = ("zh", "ja")  # languages written (mostly) in Han characters

Script = Literal["han", "latin", ""]

_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# region subtags that name a script variant of Chinese
_ZH_REGION = {"tw": "zh-Hant", "hk": "zh-Hant", "mo": "zh-Hant", "cn": "zh-Hans", "sg": "zh-Hans"}


def normalize_tag(value: object) -> str | None:
    """``value`` as a BCP 47 tag in its usual case (``zh-Hant``, ``en-US``); ``zh-TW``, ``zh-HK``
    and ``zh-MO`` become ``zh-Hant``, ``zh-CN`` and ``zh-SG`` ``zh-Hans``. None when it is no
    language tag (empty, a number, words)."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace("_", "-")
    if not _TAG.fullmatch(text) or len(text) > 35:
        return None
    parts = text.split("-")
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            out.append(part.title())  # a script: Hant
        elif len(part) == 2 and part.isalpha() or len(part) == 3 and part.isdigit():
            out.append(part.upper())  # a region: TW, 419
        else:
            out.append(part.lower())
    if out[0] == "zh" and len(out) == 2 and out[1].lower() in _ZH_REGION:
        return _ZH_REGION[out[1].lower()]
    return "-".join(out)


def primary(tag: str) -> str:
    """The language subtag of a tag: ``zh`` of ``zh-Hant``."""
    return tag.split("-", 1)[0].lower()


def written_in_han(tag: str) -> bool:
    return primary(tag) in HAN_LANGUAGES


@lru_cache(maxsize=4096)
def char_script(ch: str) -> Script:
    """``han`` for a Han character (and Bopomofo), ``latin`` for a Latin letter, else ""."""
    code = ord(ch)
    if (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0xF900 <= code <= 0xFAFF
        or 0x3100 <= code <= 0x312F
        or 0x20000 <= code <= 0x3FFFF
    ):
        return "han"
    if ch.isascii():
        return "latin" if ch.isalpha() else ""
    if ch.isalpha() and unicodedata.name(ch, "").startswith("LATIN"):
        return "latin"
    return ""


def letter_counts(texts: Iterable[str]) -> tuple[int, int]:
    """Han characters and Latin letters in ``texts``."""
    han = latin = 0
    for text in texts:
        if text.isascii():
            latin += sum(1 for ch in text if ch.isalpha())
            continue
        for ch in text:
            match char_script(ch):
                case "han":
                    han += 1
                case "latin":
                    latin += 1
    return han, latin


def _block_texts(block: Block) -> Iterable[str]:
    match block:
        case Paragraph() | Heading():
            yield from (r.text for r in block.runs)
        case BulletList():
            yield from (r.text for item in block.items for r in item.runs)
        case Quote():
            yield from (r.text for para in block.paragraphs for r in para)
        case Table():
            yield from (r.text for row in block.rows for cell in row for r in cell.runs)
        case Image():
            yield block.description
        case Embed():
            yield block.title


def deck_texts(deck: Deck) -> Iterable[str]:
    """The text a deck shows, its language is found from: the title, the slides' titles and
    blocks, pictures' descriptions; not code, not speaker notes."""
    yield deck.meta.title
    for block in deck.abstract:
        yield from _block_texts(block)
    for slide in deck.slides:
        yield from (r.text for r in slide.title)
        for block in slide.blocks:
            yield from _block_texts(block)


def detect(texts: Iterable[str]) -> str:
    """The main language of ``texts``: ``zh-Hant`` when Han characters outweigh Latin letters
    (each weighing ``HAN_WEIGHT`` letters), else ``en``."""
    han, latin = letter_counts(texts)
    if not han and not latin:
        return DEFAULT
    return HAN if han * HAN_WEIGHT > latin else LATIN


def script_language(script: Script, main: str) -> str:
    """The ``Run.lang`` of text in ``script`` in a deck in ``main``: "" when it is the deck's."""
    if script == "han":
        return "" if written_in_han(main) else HAN
    if script == "latin":
        return LATIN if written_in_han(main) else ""
    return ""


def _unit_script(unit: str) -> Script:
    scripts = {char_script(ch) for ch in unit}
    if "han" in scripts:
        return "han"
    if "latin" in scripts:
        return "latin"
    return ""


_FIRST_HAN = "\u3100"  # every character ``char_script`` takes for Han comes at or after this one


def split_runs(runs: Sequence[Run], main: str) -> Runs:
    """The runs of one paragraph (or line), cut at changes between Han and Latin script, every
    piece with its language where it differs from ``main`` (see the module's note). Unchanged:
    the same tuple."""
    runs = tuple(runs)
    if not written_in_han(main) and all(max(r.text, default="") < _FIRST_HAN for r in runs):
        return runs if all(not r.lang for r in runs) else tuple(replace(r, lang="") for r in runs)
    # every break unit of the paragraph, with its run and script
    units: list[tuple[int, str, Script]] = []
    for index, run in enumerate(runs):
        if run.is_break:
            units.append((index, run.text, ""))
            continue
        for unit in break_units(run.text):
            units.append((index, unit, _unit_script(unit)))
    # digits, punctuation and spaces take the script before them (at the start, the one after)
    resolved: list[Script] = []
    last: Script = ""
    for _, _, script in units:
        last = script or last
        resolved.append(last)
    following: Script = ""
    for i in range(len(units) - 1, -1, -1):
        if units[i][2]:
            following = units[i][2]
        if not resolved[i]:
            resolved[i] = following
    # the units of one run in one language make one piece
    out: list[Run] = []
    start = 0
    while start < len(units):
        index = units[start][0]
        run = runs[index]
        if run.is_break:
            out.append(run if not run.lang else replace(run, lang=""))
            start += 1
            continue
        lang = script_language(resolved[start], main)
        end = start + 1
        while end < len(units) and units[end][0] == index and script_language(resolved[end], main) == lang:
            end += 1
        text = "".join(u[1] for u in units[start:end])
        out.append(run if (text, lang) == (run.text, run.lang) else replace(run, text=text, lang=lang))
        start = end
    if len(out) == len(runs) and all(a is b for a, b in zip(out, runs, strict=True)):
        return runs  # unchanged: the same tuple
    return tuple(out)


def text_runs(text: str, main: str) -> Runs:
    """A plain text (speaker notes) as runs with their languages; lines apart by line breaks."""
    out: list[Run] = []
    for number, line in enumerate(text.split("\n")):
        if number:
            out.append(LINE_BREAK)
        if line:
            out.extend(split_runs((Run(line),), main))
    return tuple(out)


__all__ = [
    "DEFAULT", "HAN", "deck_texts", "HAN_LANGUAGES", "HAN_WEIGHT", "LATIN", "Script", "char_script", "detect",
    "letter_counts", "normalize_tag", "primary", "script_language", "split_runs", "text_runs",
    "written_in_han",
]
