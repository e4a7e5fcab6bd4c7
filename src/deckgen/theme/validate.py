"""A theme's values checked and turned into a ``Theme``: colours, font lists and font files,
sizes and their order, files (a picture, a .pptx template of the right shape, a stylesheet),
Pygments styles, the footer's placeholders. A wrong value is a ``ThemeError`` that says where
and what to write instead."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from deckgen.errors import ThemeError
from deckgen.theme.find import shown
from deckgen.theme.schema import (
    CORNERS,
    FONT_SUFFIXES,
    FOOTER_FIELDS,
    SCHEMA,
    SLIDE_SIZES,
    TITLE_STYLES,
    Colors,
    FontFile,
    Fonts,
    Sizes,
    Theme,
)

_COLOR = re.compile(r"^#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")


def _file(value: Any, where: str, path: Path) -> Path | None:
    if not isinstance(value, str):
        raise ThemeError(f"'{where}' must be a file name (text)", path)
    if not value:
        return None
    file = Path(value)
    if not file.is_file():
        raise ThemeError(
            f"'{where}': file not found: {shown(file)}",
            path,
            hint="a relative name is relative to the theme file",
        )
    return file


def _font_file(file: Path, where: str, path: Path) -> FontFile:
    if file.suffix.lower() not in FONT_SUFFIXES:
        raise ThemeError(
            f"'{where}': {file.name} is not a font file", path, hint="use .ttf, .otf, .woff or .woff2"
        )
    try:
        from PIL import ImageFont

        family, style = ImageFont.truetype(str(file), 12).getname()
    except (OSError, ValueError):
        raise ThemeError(
            f"'{where}': cannot read the font {shown(file)}", path, hint="use a .ttf, .otf or .woff file"
        ) from None
    style = (style or "").lower()
    return FontFile(file, family or file.stem, "bold" in style, "italic" in style or "oblique" in style)


def _template(file: Path, where: str, path: Path) -> tuple[float, float]:
    """The slide size (points) of a .pptx template; a broken file is an error."""
    try:
        with zipfile.ZipFile(file) as archive:
            xml = archive.read("ppt/presentation.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        raise ThemeError(f"'{where}': {shown(file)} is not a PowerPoint (.pptx) file", path) from None
    m = re.search(r"<p:sldSz\b[^>]*?\bcx=\"(\d+)\"[^>]*?\bcy=\"(\d+)\"", xml)
    if not m:
        return (0.0, 0.0)
    return int(m.group(1)) / 12700, int(m.group(2)) / 12700


def _value(raw: dict[str, Any], section: str, key: str, path: Path) -> Any:
    table = raw if section == "" else raw.get(section, {})
    if key not in table:
        raise ThemeError(f"missing key '{section + '.' if section else ''}{key}'", path)
    value = table[key]
    kind = SCHEMA[section][key]
    where = f"{section}.{key}" if section else key
    if kind == "color":
        if not isinstance(value, str) or not _COLOR.match(value):
            raise ThemeError(
                f"'{where}' = {value!r} is not a color", path, hint='write "#RRGGBB", e.g. "#1F2933"'
            )
        hex_ = value.lstrip("#").upper()
        return "".join(ch * 2 for ch in hex_) if len(hex_) == 3 else hex_
    if kind == "fontlist":
        if isinstance(value, str):
            value = [value]
        if (
            not isinstance(value, list)
            or not value
            or not all(isinstance(v, str) and v.strip() for v in value)
        ):
            raise ThemeError(f"'{where}' must be a font name or a list of font names", path)
        return tuple(v.strip() for v in value)
    if kind == "fontfiles":
        if isinstance(value, str):
            value = [value] if value else []
        if not isinstance(value, list):
            raise ThemeError(f"'{where}' must be a list of font files", path)
        found = [_file(v, where, path) for v in value]
        return tuple(_font_file(f, where, path) for f in found if f is not None)
    if kind == "size":
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 8 <= value <= 120:
            raise ThemeError(f"'{where}' = {value!r} is not a size in points (8 to 120)", path)
        return float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ThemeError(f"'{where}' = {value!r} must be true or false", path)
        return value
    if kind == "slide_size":
        if value not in SLIDE_SIZES:
            raise ThemeError(f"'{where}' = {value!r} is not a slide size", path, hint='use "16:9" or "4:3"')
        return value
    if kind == "title_style":
        if value not in TITLE_STYLES:
            raise ThemeError(f"'{where}' = {value!r} is unknown", path, hint="use " + ", ".join(TITLE_STYLES))
        return value
    if kind == "corner":
        if value not in CORNERS:
            raise ThemeError(f"'{where}' = {value!r} is not a corner", path, hint="use " + ", ".join(CORNERS))
        return value
    if kind in ("file", "image", "template"):
        file = _file(value, where, path)
        if file is None:
            return None
        if kind == "image":
            _check_image(file, where, path)
        if kind == "template":
            _template(file, where, path)
        return file
    if kind == "pygments_style":
        from pygments.styles import STYLE_MAP, get_all_styles

        # the built-in names first: listing the plugins scans every installed package
        if value not in STYLE_MAP and value not in set(get_all_styles()):
            raise ThemeError(
                f"'{where}' = {value!r} is not a Pygments style",
                path,
                hint="e.g. xcode, friendly, lightbulb, monokai, bw",
            )
        return value
    if not isinstance(value, str):
        raise ThemeError(f"'{where}' must be text", path)
    return value


def _check_image(file: Path, where: str, path: Path) -> None:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            fmt = (image.format or "").upper()
    except (OSError, UnidentifiedImageError):
        raise ThemeError(
            f"'{where}': {shown(file)} is not a picture", path, hint="use a PNG, JPEG or GIF file"
        ) from None
    if fmt not in ("PNG", "JPEG", "GIF"):
        raise ThemeError(
            f"'{where}': {shown(file)} is {fmt or 'an unknown format'}",
            path,
            hint="use a PNG, JPEG or GIF file",
        )


def build_theme(raw: dict[str, Any], source: Path) -> Theme:
    path = shown(source)

    def v(section: str, key: str) -> Any:
        return _value(raw, section, key, path)

    theme = Theme(
        name=v("", "name") if "name" in raw else source.stem,
        description=v("", "description") if "description" in raw else "",
        colors=Colors(*(v("colors", k) for k in SCHEMA["colors"])),
        fonts=Fonts(*(v("fonts", k) for k in SCHEMA["fonts"])),
        sizes=Sizes(*(v("sizes", k) for k in SCHEMA["sizes"])),
        slide_size=v("slide", "size"),
        title_style=v("title_slide", "style"),
        footer=v("footer", "text"),
        slide_numbers=v("footer", "slide_numbers"),
        logo=v("logo", "path"),
        logo_corner=v("logo", "corner"),
        code_style=v("code", "style"),
        pptx_template=v("pptx", "template"),
        css=v("html", "css"),
        source=source,
    )
    s = theme.sizes
    if s.floor < 14 or s.minimum < s.floor or s.body < s.minimum or s.title < s.body:
        raise ThemeError(
            f"sizes must satisfy 14 <= floor <= minimum <= body <= title (here floor {s.floor:g}, "
            f"minimum {s.minimum:g}, body {s.body:g}, title {s.title:g})",
            path,
        )
    if s.code < s.floor:
        raise ThemeError(f"sizes.code ({s.code:g}) must be at least sizes.floor ({s.floor:g})", path)
    unknown = re.findall(r"\{([^{}]*)\}", theme.footer)
    bad = [u for u in unknown if u not in FOOTER_FIELDS]
    if bad:
        raise ThemeError(
            f"'footer.text' has an unknown placeholder {{{bad[0]}}}",
            path,
            hint="use " + ", ".join(f"{{{f}}}" for f in FOOTER_FIELDS),
        )
    if theme.pptx_template is not None:
        w, h = _template(theme.pptx_template, "pptx.template", path)
        want_w, want_h = SLIDE_SIZES[theme.slide_size]
        if w and h and abs(w / h - want_w / want_h) > 0.02:
            shape = (
                "4:3"
                if abs(w / h - 4 / 3) < 0.02
                else ("16:9" if abs(w / h - 16 / 9) < 0.02 else f"{w / h:.2f}:1")
            )
            raise ThemeError(
                f"'pptx.template' has {shape} slides but slide.size is \"{theme.slide_size}\"",
                path,
                hint=f'set slide.size = "{shape}" or use a {theme.slide_size} template'
                if shape in SLIDE_SIZES
                else "use a 16:9 or 4:3 template",
            )
    return theme
