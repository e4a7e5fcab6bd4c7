"""The font files the PDF embeds: the ones the layout measured with.

Latin text: the theme's own font file for its first Latin family when it ships one, else
the file :func:`deckgen.measure.find_font_file` finds for it (the measurer reads the same
file, so the PDF breaks lines where the layout counted them). Code: a monospaced file of
0.6 em advance (the width the layout measures code with). Chinese: a Noto Sans CJK face,
every CJK character 1 em wide, as the layout measures it. The CJK faces are large; they
are cut down to the characters of the deck once and kept in the cache folder.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import BuildError
from deckgen.measure import _FONT_DIRS, find_font_file
from deckgen.theme.schema import Theme

# the face a TrueType collection holds Traditional Chinese in (Noto CJK: JP KR SC TC HK)
_CJK_FILES = (
    ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", 3),
    ("NotoSansCJKtc-Regular.otf", "NotoSansCJKtc-Bold.otf", 0),
    ("NotoSansTC-Regular.otf", "NotoSansTC-Bold.otf", 0),
    ("DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf", 0),
)
_MONO_FILES = (
    ("LiberationMono-Regular.ttf", "LiberationMono-Bold.ttf"),
    ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
)
_SANS_FALLBACK = ("LiberationSans-Regular.ttf", "DejaVuSans.ttf")


@dataclass(frozen=True)
class FontSet:
    """Files for each style: keys "", "B", "I", "BI"."""

    latin: dict[str, Path]
    mono: dict[str, Path]
    cjk: dict[str, tuple[Path, int]]  # file and the face in a collection


def _find(name: str) -> Path | None:
    for folder in _FONT_DIRS:
        if not folder.is_dir():
            continue
        for found in folder.rglob(name):
            return found
    return None


def _styles(regular: Path) -> dict[str, Path]:
    out = {"": regular}
    for style, words in (("B", ("Bold", "bd")), ("I", ("Italic", "i")), ("BI", ("BoldItalic", "bi"))):
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


def font_set(theme: Theme) -> FontSet:
    """The files for a theme, or a BuildError saying which font to install."""
    fonts = theme.fonts
    first = fonts.latin[0].lower() if fonts.latin else ""
    shipped = {(f.bold, f.italic): f.path for f in fonts.files if f.family.lower() == first}
    latin: dict[str, Path] = {}
    if (False, False) in shipped:
        latin[""] = shipped[(False, False)]
        for style, key in (("B", (True, False)), ("I", (False, True)), ("BI", (True, True))):
            if key in shipped:
                latin[style] = shipped[key]
    else:
        path = find_font_file(fonts.latin[0]) if fonts.latin else None
        for name in _SANS_FALLBACK:
            path = path or _find(name)
        if path is None:
            raise BuildError("no Latin font file for the PDF (install fonts-liberation2, or give the theme font files)")
        latin = _styles(path)
    mono: dict[str, Path] = {}
    code_first = fonts.code[0].lower() if fonts.code else ""
    shipped_mono = {(f.bold, f.italic): f.path for f in fonts.files if f.family.lower() == code_first}
    if (False, False) in shipped_mono:
        mono[""] = shipped_mono[(False, False)]
        if (True, False) in shipped_mono:
            mono["B"] = shipped_mono[(True, False)]
    else:
        for regular, bold in _MONO_FILES:
            found = _find(regular)
            if found is not None:
                mono = _styles(found)
                bold_path = found.with_name(bold)
                if bold_path.is_file():
                    mono["B"] = bold_path
                break
    if not mono:
        mono = {"": latin[""]}
    cjk: dict[str, tuple[Path, int]] = {}
    for regular, bold, face in _CJK_FILES:
        found = _find(regular)
        if found is not None:
            cjk[""] = (found, face)
            bold_path = found.with_name(bold)
            cjk["B"] = (bold_path, face) if bold_path.is_file() else (found, face)
            break
    if not cjk:
        raise BuildError("no Chinese font file for the PDF (install fonts-noto-cjk)")
    return FontSet(latin, mono, cjk)


def cjk_subset(path: Path, face: int, chars: str, cache_dir: Path) -> Path:
    """The CJK face cut down to ``chars`` (cached by file, face and characters)."""
    stat = path.stat()
    key = hashlib.sha256(f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{face}|{''.join(sorted(set(chars)))}".encode())
    target = cache_dir / f"cjk-{key.hexdigest()[:24]}.otf"
    if target.is_file():
        return target
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=face, lazy=False)
    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in chars} | {0x20}))
    subsetter.subset(font)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    font.save(str(tmp))
    os.replace(tmp, target)
    return target
