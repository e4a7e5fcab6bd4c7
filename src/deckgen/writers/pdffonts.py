"""The font files the PDF embeds: the ones the layout measured with.

Every file is found by :func:`deckgen.measure.resolve_font_file`, the one resolver the
measurer uses too, so the PDF breaks lines where the layout counted them and picks the same
file on every machine that has it. Latin text: :func:`deckgen.measure.latin_font_files`
(the theme's own files for its first Latin family, else the installed file for it). Code: a
monospaced file of 0.6 em advance (the width the layout measures code with). Chinese: a Noto
Sans CJK face, every CJK character 1 em wide, as the layout measures it. The CJK faces are
large; they are cut down to the characters of the deck once and kept in the cache folder.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from deckgen.errors import BuildError
from deckgen.measure import latin_font_files, resolve_font_file, style_files
from deckgen.theme import Theme

# the face a TrueType collection holds Traditional Chinese in (Noto CJK: JP KR SC TC HK)
_CJK_FILES = (
    ("NotoSansCJK-Regular.ttc", "NotoSansCJK-Bold.ttc", 3),
    ("NotoSansCJKtc-Regular.otf", "NotoSansCJKtc-Bold.otf", 0),
    ("NotoSansTC-Regular.otf", "NotoSansTC-Bold.otf", 0),
    ("DroidSansFallbackFull.ttf", "DroidSansFallbackFull.ttf", 0),
)
_MONO_FILES = ("LiberationMono-Regular.ttf", "DejaVuSansMono.ttf")


@dataclass(frozen=True)
class FontSet:
    """Files for each style: keys "", "B", "I", "BI"."""

    latin: dict[str, Path]
    mono: dict[str, Path]
    cjk: dict[str, tuple[Path, int]]  # file and the face in a collection


def font_set(theme: Theme) -> FontSet:
    """The files for a theme, or a BuildError saying which font to install."""
    fonts = theme.fonts
    shipped = tuple((f.path, f.family, f.bold, f.italic) for f in fonts.files)
    latin = latin_font_files(fonts.latin, shipped)
    if not latin:
        raise BuildError("no Latin font file for the PDF (install fonts-liberation2, or give the theme font files)")
    mono = latin_font_files(fonts.code[:1], shipped) if fonts.code and _ships(fonts.code[0], shipped) else {}
    if not mono:
        found = resolve_font_file(_MONO_FILES)
        mono = style_files(found) if found is not None else {"": latin[""]}
    cjk: dict[str, tuple[Path, int]] = {}
    for regular, bold, face in _CJK_FILES:
        found = resolve_font_file((regular,))
        if found is not None:
            cjk[""] = (found, face)
            bold_path = found.with_name(bold)
            cjk["B"] = (bold_path, face) if bold_path.is_file() else (found, face)
            break
    if not cjk:
        raise BuildError("no Chinese font file for the PDF (install fonts-noto-cjk)")
    return FontSet(latin, mono, cjk)


def _ships(family: str, shipped: tuple[tuple[Path, str, bool, bool], ...]) -> bool:
    return any(f.lower() == family.lower() and not bold and not italic for _p, f, bold, italic in shipped)


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
