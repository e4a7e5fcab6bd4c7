"""Text measurement: how wide a string is, and how many lines a paragraph wraps to.

Widths come from real font metrics. ``TableMeasurer`` carries a built-in table of
per-character advance widths for Arial-compatible sans fonts (read off Liberation Sans,
which is metric-compatible with Arial), regular and bold, in 1/1000 em; CJK and other
full-width characters are 1 em; code is 0.6 em per character. ``PillowMeasurer`` reads
the theme's own font file with Pillow when one can be found. Both are pure after start-up.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from deckgen.model.document import Run

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

# advance widths of the printable ASCII characters (32..126) in 1/1000 em: for each row of
# 16 characters (from " "), the regular widths, then the bold ones
_ASCII_WIDTHS = """
 278  278  355  556  556  889  667  191  333  333  389  584  278  333  278  278
 278  333  474  556  556  889  722  238  333  333  389  584  278  333  278  278
 556  556  556  556  556  556  556  556  556  556  278  278  584  584  584  556
 556  556  556  556  556  556  556  556  556  556  333  333  584  584  584  611
1015  667  667  722  722  667  611  778  722  278  500  667  556  833  722  778
 975  722  722  722  722  667  611  778  722  278  556  722  611  833  722  778
 667  778  722  667  611  722  667  944  667  667  611  278  278  278  469  556
 667  778  722  667  611  722  667  944  667  667  611  333  278  333  584  556
 333  556  556  500  556  556  278  556  556  222  222  500  222  833  556  556
 333  556  611  556  611  556  333  611  611  278  278  556  278  889  611  611
 556  556  333  500  278  556  500  722  500  500  500  334  260  334  584
 611  611  389  556  333  611  556  778  556  556  500  389  280  389  584
"""


def _split_widths(table: str) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """The regular and the bold widths of :data:`_ASCII_WIDTHS`, each in character order."""
    rows = [tuple(int(v) for v in line.split()) for line in table.strip().splitlines()]
    return tuple(v for row in rows[0::2] for v in row), tuple(v for row in rows[1::2] for v in row)


_REGULAR, _BOLD = _split_widths(_ASCII_WIDTHS)
_OTHER_NARROW = 0.60  # Latin letters with accents, Greek, Cyrillic, symbols: a safe average
MONO_ADVANCE = 0.60
# measured widths are raised by this much: renderers differ in kerning and hinting
SAFETY = 1.04


class Measurer(Protocol):
    def char_em(self, ch: str, bold: bool, mono: bool) -> float: ...

    def __hash__(self) -> int: ...  # measurements are memoized per measurer


def is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def font_segments(text: str, cmap: frozenset[int]) -> list[tuple[str, bool]]:
    """``text`` cut where the font changes, as the PDF and the course cards draw it: (a piece,
    drawn in the CJK font?). Wide characters, and characters past ASCII that the Latin font
    (``cmap``, its code points; empty: not known) lacks, take the CJK font."""
    out: list[tuple[str, bool]] = []
    for ch in text:
        cjk = is_wide(ch) or (bool(cmap) and ord(ch) not in cmap and ord(ch) > 0x7E)
        if out and out[-1][1] == cjk:
            out[-1] = (out[-1][0] + ch, cjk)
        else:
            out.append((ch, cjk))
    return out


class TableMeasurer:
    """Measures with the built-in metric table: deterministic on every machine."""

    def char_em(self, ch: str, bold: bool, mono: bool) -> float:
        return _table_em(ch, bold, mono)


@lru_cache(maxsize=65536)
def _table_em(ch: str, bold: bool, mono: bool) -> float:
    if unicodedata.category(ch) == "Cf":
        return 0.0  # a format character (U+200B, a soft hyphen...) is drawn as nothing
    if is_wide(ch):
        return 1.0
    if mono:
        return MONO_ADVANCE
    code = ord(ch)
    if 32 <= code <= 126:
        return (_BOLD if bold else _REGULAR)[code - 32] / 1000
    if unicodedata.combining(ch) or unicodedata.category(ch) == "Mn":
        return 0.0
    return _OTHER_NARROW + (0.04 if bold else 0.0)


class PillowMeasurer:
    """Measures Latin text with a font file through Pillow; wide characters stay 1 em.

    With a ``memo`` folder, widths measured by earlier builds come from there
    (:mod:`deckgen.widthmemo`), and Pillow and the fonts are loaded only for a character
    never measured before; :func:`remember_widths` keeps the new ones."""

    def __init__(self, regular: Path, bold: Path | None = None, memo: Path | None = None) -> None:
        from deckgen.widthmemo import WidthMemo

        self._files = {False: regular, True: bold or regular}
        self._fonts: dict[bool, FreeTypeFont] = {}
        self._cache: dict[tuple[str, bool], float] = {}
        self._memo = WidthMemo.open(memo, regular, bold or regular)
        if not self._memo.old:  # nothing remembered: a font that cannot be read is found now
            self._load()

    def _load(self) -> dict[bool, FreeTypeFont]:
        if not self._fonts:
            from PIL import ImageFont

            self._fonts = {bold: ImageFont.truetype(str(path), 1000) for bold, path in self._files.items()}
        return self._fonts

    def char_em(self, ch: str, bold: bool, mono: bool) -> float:
        if mono or is_wide(ch):
            return _table_em(ch, bold, mono)
        key = (ch, bold)
        value = self._cache.get(key)
        if value is None:
            value = self._cache[key] = self._measure(ch, bold)
        return value

    def _measure(self, ch: str, bold: bool) -> float:
        if unicodedata.category(ch) == "Cf":  # no width in any font, with a glyph or without
            return 0.0
        value = self._memo.get(ch, bold)
        if value is not None:
            return value
        try:
            value = self._load()[bold].getlength(ch) / 1000
        except (RuntimeError, ValueError, UnicodeError):  # a character the shaper refuses
            value = _table_em(ch, bold, False)
        except OSError:  # the file gone since the memo was read: nothing is remembered of it
            return _table_em(ch, bold, False)
        self._memo.put(ch, bold, value)
        return value

    def remember(self) -> None:
        """Keep the widths measured in this process for the next builds."""
        self._memo.save()


def remember_widths(m: Measurer) -> None:
    """Keep a measurer's new widths in its memo (:mod:`deckgen.widthmemo`), if it has one."""
    if isinstance(m, PillowMeasurer):
        m.remember()


# the folders fonts are installed in: fontconfig's usual ones on Linux, then macOS's and Windows'
FONT_DIRS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path.home() / ".local" / "share" / "fonts",
    Path.home() / ".fonts",
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
    Path("C:/Windows/Fonts"),
)
# the files that stand for a family, best first: its own file, then a metric-compatible one
_FILE_NAMES = {
    "arial": ("arial.ttf", "Arial.ttf", "LiberationSans-Regular.ttf"),
    "liberation sans": ("LiberationSans-Regular.ttf",),
    "calibri": ("calibri.ttf", "Carlito-Regular.ttf"),
    "carlito": ("Carlito-Regular.ttf",),
    "dejavu sans": ("DejaVuSans.ttf",),
    "helvetica": ("LiberationSans-Regular.ttf",),
}
# when the theme's first Latin family is none of those: a sans serif of Arial's widths, else DejaVu
SANS_FALLBACK = ("LiberationSans-Regular.ttf", "DejaVuSans.ttf")
_FONT_SUFFIXES = (".ttf", ".otf", ".ttc")


@lru_cache(maxsize=8)
def _font_index(dirs: tuple[Path, ...]) -> dict[str, tuple[Path, ...]]:
    """Every font file under ``dirs`` by its file name (one walk of the folders per process)."""
    found: dict[str, list[Path]] = {}
    for folder in dirs:
        if not folder.is_dir():
            continue
        for root, _subdirs, files in os.walk(folder):
            for name in files:
                if name.lower().endswith(_FONT_SUFFIXES):
                    found.setdefault(name, []).append(Path(root) / name)
    return {name: tuple(paths) for name, paths in found.items()}


@lru_cache(maxsize=64)
def _preference(path: Path) -> tuple[int, float, str]:
    """Sort key among copies of one font file: most glyphs, then the latest revision, then the path."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(str(path), lazy=True, fontNumber=0) as font:
            return -int(font["maxp"].numGlyphs), -float(font["head"].fontRevision), str(path)
    except Exception:  # noqa: BLE001 - an unreadable copy comes last
        return 0, 0.0, str(path)


def resolve_font_file(file_names: Sequence[str], dirs: Sequence[Path] | None = None) -> Path | None:
    """The installed file for the first of ``file_names`` that is installed at all.

    Where one name is installed more than once (Debian's ``fonts-liberation``, Liberation
    Sans 1.x with 668 glyphs and no U+200B, beside ``fonts-liberation2``'s 2.x with 2,327),
    the copy with the most glyphs wins, then the latest revision, then the first path in
    sort order: the same file on every machine that has it, whatever else is installed and
    in whatever order the folders list it (fontconfig, and so LibreOffice, picks the same).
    The measurer and the PDF writer both find their fonts here (in :data:`FONT_DIRS` unless
    ``dirs`` are given).
    """
    index = _font_index(tuple(FONT_DIRS if dirs is None else dirs))
    for name in file_names:
        copies = index.get(name)
        if copies:
            return copies[0] if len(copies) == 1 else min(copies, key=_preference)
    return None


def find_font_file(name: str, dirs: Sequence[Path] | None = None) -> Path | None:
    """A font file for a family name (a family we know the files of, installed), or None."""
    wanted = _FILE_NAMES.get(name.lower())
    return resolve_font_file(wanted, dirs) if wanted else None


_STYLE_WORDS = (("B", ("Bold", "bd")), ("I", ("Italic", "i")), ("BI", ("BoldItalic", "bi")))


def style_files(regular: Path) -> dict[str, Path]:
    """The regular file and its installed siblings by style ("", "B", "I", "BI"), named as
    Liberation (``-Regular`` / ``-Bold``), Windows' Arial (``arialbd.ttf``) or DejaVu
    (``DejaVuSans-Bold.ttf``) name them."""
    out = {"": regular}
    for style, words in _STYLE_WORDS:
        for word in words:
            if "Regular" in regular.name:
                candidate = regular.with_name(regular.name.replace("Regular", word))
            elif regular.stem.lower() == "arial":
                candidate = regular.with_name(f"arial{word}.ttf")
            else:
                candidate = regular.with_name(f"{regular.stem}-{word}{regular.suffix}")
            if candidate.is_file():
                out[style] = candidate
                break
    return out


ShippedFont = tuple[Path, str, bool, bool]  # a theme's font file: path, family, bold, italic


def latin_font_files(latin_fonts: Sequence[str], shipped: Sequence[ShippedFont] = ()) -> dict[str, Path]:
    """The files of a theme's Latin text by style ("" regular, "B", "I", "BI"), as both the
    measurer and the PDF use them: the theme's own files for its first Latin family, else
    the installed file for that family (:func:`find_font_file`), else Liberation Sans or
    DejaVu Sans; empty when there is none."""
    first = latin_fonts[0].lower() if latin_fonts else ""
    own = {(bold, italic): path for path, family, bold, italic in shipped if family.lower() == first}
    if (False, False) in own:
        styles = {"": own[(False, False)]}
        for style, key in (("B", (True, False)), ("I", (False, True)), ("BI", (True, True))):
            if key in own:
                styles[style] = own[key]
        return styles
    path = find_font_file(latin_fonts[0]) if latin_fonts else None
    path = path or resolve_font_file(SANS_FALLBACK)
    return style_files(path) if path is not None else {}


@lru_cache(maxsize=16)
def measurer_for(
    latin_fonts: tuple[str, ...], files: tuple[tuple[Path, str, bool], ...] = (), memo: Path | None = None
) -> Measurer:
    """The theme's measurer: Pillow on the files of :func:`latin_font_files` (the ones the PDF
    embeds), else the built-in table; ``memo``: a folder where widths are remembered between
    builds (:mod:`deckgen.widthmemo`)."""
    if not latin_fonts:
        return TableMeasurer()
    styles = latin_font_files(latin_fonts, tuple((path, family, bold, False) for path, family, bold in files))
    if styles:
        try:
            return PillowMeasurer(styles[""], styles.get("B"), memo)
        except OSError:
            pass
    return TableMeasurer()


# ---------------------------------------------------------------------------
# wrapping

# a unit ends after spaces or a zero-width space (a break opportunity the model placed)
_UNIT = re.compile(r"[^\s\u200b\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]*[\s\u200b]*|.", re.S)


def text_width(m: Measurer, text: str, size: float, bold: bool = False, mono: bool = False) -> float:
    return sum(m.char_em(ch, bold, mono) for ch in text) * size * SAFETY


@lru_cache(maxsize=1 << 16)
def _unit_ems(m: Measurer, unit: str, bold: bool, mono: bool) -> tuple[float, float]:
    """A break unit's width in ems, with and without its trailing spaces (memoized: words repeat)."""
    core = unit.rstrip()
    em_core = sum(m.char_em(ch, bold, mono) for ch in core)
    return em_core + sum(m.char_em(ch, bold, mono) for ch in unit[len(core) :]), em_core


def break_units(text: str) -> list[str]:
    """Break opportunities: after spaces and U+200B, around every CJK character."""
    return [u for u in _UNIT.findall(text) if u]


def count_lines(m: Measurer, runs: Sequence[Run], width: float, size: float, mono_all: bool = False) -> int:
    """Lines a paragraph takes at ``size`` in a column ``width`` points wide.

    Memoized on (measurer, runs, width, size): the layout asks the same question many
    times while it searches for page breaks and font sizes (runs are hashable tuples).
    """
    return _count_lines(m, tuple(runs), width, size, mono_all)


@lru_cache(maxsize=1 << 16)
def _count_lines(m: Measurer, runs: tuple[Run, ...], width: float, size: float, mono_all: bool) -> int:
    if width <= size:
        width = size
    lines = 1
    x = 0.0
    for run in runs:
        if run.is_break:
            lines += 1
            x = 0.0
            continue
        mono = mono_all or run.code
        for unit in break_units(run.text):
            em_full, em_core = _unit_ems(m, unit, run.bold, mono)
            w_full = em_full * size * SAFETY
            w_core = em_core * size * SAFETY
            if x + w_core <= width:
                x += w_full
                continue
            if x > 0:
                lines += 1
                x = 0.0
            if w_core <= width:
                x = w_full
                continue
            # a word longer than the line breaks anywhere (as PowerPoint and the CSS do)
            for ch in unit:
                cw = text_width(m, ch, size, run.bold, mono)
                if x + cw > width and x > 0:
                    lines += 1
                    x = 0.0
                x += cw
    return lines


def wrap_runs(
    m: Measurer,
    runs: Sequence[Run],
    width: float,
    size: float,
    mono_all: bool = False,
    safety: float = SAFETY,
) -> list[list[Run]]:
    """The lines of a paragraph, each a list of pieces of its runs, broken by the rules
    :func:`count_lines` counts with (after spaces, around CJK characters, long words
    anywhere). ``safety`` scales the widths: :data:`SAFETY` gives exactly the lines the
    layout counted; 1.0 the lines of a renderer that draws the font's own advances."""
    if width <= size:
        width = size
    lines: list[list[Run]] = [[]]
    x = 0.0

    def add(run: Run, text: str) -> None:
        line = lines[-1]
        if line and line[-1].style == run.style:
            line[-1] = Run(line[-1].text + text, *run.style)
        else:
            line.append(Run(text, *run.style))  # every field but the text: its language too

    def width_of(text: str, bold: bool, mono: bool) -> float:
        return sum(m.char_em(ch, bold, mono) for ch in text) * size * safety

    for run in runs:
        if run.is_break:
            lines.append([])
            x = 0.0
            continue
        mono = mono_all or run.code
        for unit in break_units(run.text):
            em_full, em_core = _unit_ems(m, unit, run.bold, mono)  # memoized: words repeat
            w_full = em_full * size * safety
            w_core = em_core * size * safety
            if x + w_core <= width:
                add(run, unit)
                x += w_full
                continue
            if x > 0:
                lines.append([])
                x = 0.0
            if w_core <= width:
                add(run, unit)
                x = w_full
                continue
            for ch in unit:
                cw = width_of(ch, run.bold, mono)
                if x + cw > width and x > 0:
                    lines.append([])
                    x = 0.0
                add(run, ch)
                x += cw
    return lines
