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
from typing import Any

from deckgen.errors import BuildError
from deckgen.measure import latin_font_files, resolve_font_file, style_files
from deckgen.theme.schema import Theme

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


def cut_font(path: Path, face: int, chars: str, cache_dir: Path) -> Path:
    """The font (``face`` of a collection) cut down to ``chars``, kept in ``cache_dir``
    (keyed by the file, its face and the characters): fpdf2 then reads, and subsets again
    at output, a font of a deck's hundred glyphs instead of thousands (Noto CJK's 65,535).
    Advances are kept as they are, so text measures the same. PostScript (CFF) outlines
    become TrueType ones (:func:`_to_truetype`): fpdf2 subsets those in a third of the time."""
    stat = path.stat()
    key = hashlib.sha256(f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{face}|{''.join(sorted(set(chars)))}".encode())
    target = cache_dir / f"font-{key.hexdigest()[:24]}.ttf"
    if target.is_file():
        return target
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=face, lazy=False, recalcTimestamp=False)  # no clock in the bytes
    font.flavor = None  # a theme's WOFF file becomes a plain TrueType/OpenType one
    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.glyph_names = False  # fpdf2 reads a font faster without them (post format 3)
    options.name_IDs = ["*"]
    # what a PDF of horizontal, unshaped text never reads (fpdf2 drops the layout tables at
    # output itself, after reading them), and FontForge's time stamp (fontTools cannot cut it)
    options.drop_tables += ["FFTM", "BASE", "GDEF", "GPOS", "GSUB", "JSTF", "MATH", "kern", "vhea", "vmtx", "VORG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in chars} | {0x20}))
    subsetter.subset(font)
    if "CFF " in font:
        _to_truetype(font)
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    font.save(str(tmp))
    os.replace(tmp, target)
    return target


def _to_truetype(font: Any) -> None:
    """Replace a font's PostScript (CFF) outlines by TrueType ones, in place: each cubic curve
    becomes quadratic ones within 1 unit of the em's 1,000 (0.1 %, invisible at any size)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    tolerance = font["head"].unitsPerEm / 1000
    for name in order:
        pen = TTGlyphPen(None)
        glyphs[name].draw(Cu2QuPen(pen, tolerance, reverse_direction=True))  # PostScript turns the other way
        glyf[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    for table in ("CFF ", "VORG"):
        if table in font:
            del font[table]
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(order)
    for field in (
        "maxPoints maxContours maxCompositePoints maxCompositeContours maxTwilightPoints maxStorage "
        "maxFunctionDefs maxInstructionDefs maxStackElements maxSizeOfInstructions maxComponentElements "
        "maxComponentDepth"
    ).split():
        setattr(maxp, field, 0)
    maxp.maxZones = 1
    font["maxp"] = maxp  # its counts are made again when the font is saved
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 3.0  # no glyph names, as in the cut TrueType fonts
    font.sfntVersion = "\0\1\0\0"
