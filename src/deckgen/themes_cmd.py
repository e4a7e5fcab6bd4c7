"""``deckgen themes``: list the themes, write a new one to edit."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path
from typing import Any

from deckgen.errors import BuildError, InputError
from deckgen.theme.contrast import min_contrast
from deckgen.theme.find import builtin_dir, find_theme, local_dir
from deckgen.theme.load import load_raw, load_theme
from deckgen.theme.schema import FILE_KEYS, SCHEMA, Theme


def list_themes(cwd: Path) -> list[str]:
    """One line per theme: the local ones (``./themes/``) first, then the built-ins.

    A local theme with a built-in's name hides it (and is marked so); a theme that does not
    load is listed as broken with the reason. Each line ends with the font files the theme's
    fonts resolve to on this machine (:func:`font_files`).
    """
    builtins = sorted(builtin_dir().glob("*.toml"))
    same_folder = local_dir(cwd).is_dir() and local_dir(cwd).resolve() == builtin_dir().resolve()
    # in a checkout, ./themes/ *is* the built-in folder: nothing there is a local theme
    local = sorted(local_dir(cwd).glob("*.toml")) if local_dir(cwd).is_dir() and not same_folder else []
    hidden = {p.stem for p in local} & {p.stem for p in builtins}
    lines = []
    for path, where in [(p, "local") for p in local] + [(p, "built-in") for p in builtins]:
        if where == "built-in" and path.stem in hidden:
            continue
        label = f"{path.stem:<16} {where:<9}"
        try:
            theme = load_theme(str(path), cwd)
        except InputError as exc:
            lines.append(f"{label} broken: {exc.bare}" + (f" ({exc.hint})" if exc.hint else ""))
            continue
        worst = min_contrast(theme)
        note = " (hides the built-in one)" if path.stem in hidden else ""
        lines.append(
            f"{label} {theme.slide_size:<5} contrast {worst.ratio:4.1f}:1  {theme.description}{note}"
            f"  [{font_files(theme)}]"
        )
    return lines


def font_files(theme: Theme) -> str:
    """The files the theme's text is measured with and the PDF embeds, on this machine
    (:func:`deckgen.writers.pdffonts.font_set`): Latin, code, Chinese."""
    from deckgen.writers.pdffonts import font_set

    try:
        fonts = font_set(theme)
    except BuildError as exc:
        return f"fonts: {exc.bare}"
    latin = theme.fonts.latin[0] if theme.fonts.latin else "Latin"
    cjk, face = fonts.cjk[""]
    return (
        f"fonts: {latin} -> {fonts.latin['']}, code -> {fonts.mono['']}, "
        f"Chinese -> {cjk}" + (f" (face {face})" if face else "")
    )


# one comment per key, written above it by ``deckgen themes new``
KEY_COMMENTS: dict[str, dict[str, str]] = {
    "": {
        "name": "The theme's name, as shown by 'deckgen themes'.",
        "extends": "The theme this one starts from; keys left out here come from it.",
        "description": "One line shown by 'deckgen themes'.",
    },
    "colors": {
        "background": "Slide background.",
        "text": "Body text (keep a contrast of 4.5:1 or more with the background).",
        "heading": "Slide titles and headings.",
        "accent": "Title-slide band and table header fill (the background color is written on it).",
        "link": "Hyperlinks.",
        "code_background": "Code blocks, picture placeholders and every other table row.",
        "code_text": "Code the highlighting style leaves uncolored.",
        "muted": "Footer, slide numbers, tags and table borders.",
    },
    "fonts": {
        "latin": "Latin text: the first name goes into the .pptx, the list is the HTML font stack.",
        "east_asian": "Chinese, Japanese and Korean text (the .pptx 'East Asian' font).",
        "code": "Code blocks and inline code.",
        "files": "Font files (.ttf, .otf, .woff, .woff2) copied into the HTML deck so it shows "
        "them offline; name their family above. The .pptx needs the font installed.",
    },
    "sizes": {
        "title": "Slide titles, in points on a 13.33 in (16:9) or 10 in (4:3) wide slide.",
        "body": "Body text; it shrinks down to 'minimum' before a slide is split.",
        "code": "Code blocks.",
        "minimum": "The smallest body text before a slide is split into '(cont.)' slides.",
        "floor": "Nothing is ever smaller (footer, numbers, tables); at least 14.",
    },
    "slide": {"size": '"16:9" or "4:3".'},
    "title_slide": {"style": '"band" (title on an accent band), "plain" or "centered".'},
    "footer": {
        "text": 'Footer on content slides; may use {title}, {author} and {date}; "" for none.',
        "slide_numbers": "Slide numbers on content slides: true or false.",
    },
    "logo": {
        "path": 'A PNG, JPEG or GIF file (relative to this file); "" for none.',
        "corner": '"top-left", "top-right", "bottom-left" or "bottom-right".',
    },
    "code": {"style": "A Pygments style name: xcode, friendly, lightbulb, monokai, bw, ..."},
    "pptx": {
        "template": "A .pptx whose slide masters and named layouts (Title Slide, Title and "
        'Content, Title Only, Blank) are used; its slide size must match; "" for none.',
    },
    "html": {"css": 'An extra stylesheet for the reveal.js deck (relative to this file); "" for none.'},
}


def _comment(text: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(text, 92)]


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)  # the shortest form that reads back to the same float; inf and nan are TOML too
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return toml_string(str(value))


_TOML_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\b": "\\b", "\f": "\\f"}


def toml_string(text: str) -> str:
    """``text`` as a TOML basic string: quotes, backslashes and control characters escaped
    (a raw newline or DEL would make the file invalid TOML)."""
    out = []
    for ch in text:
        if ch in _TOML_ESCAPES:
            out.append(_TOML_ESCAPES[ch])
        elif (ord(ch) < 0x20 and ch != "\t") or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _relative(value: object, folder: Path) -> object:
    """File names of the base theme, written relative to the new theme's folder."""
    if isinstance(value, str) and value:
        return Path(os.path.relpath(value, folder)).as_posix()
    if isinstance(value, list):
        return [_relative(v, folder) for v in value]
    return value


def new_theme(name: str, base: str, cwd: Path) -> Path:
    """Write ``themes/NAME.toml`` with every key of ``base`` present and commented."""
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        raise InputError(f"'{name}' is not a usable theme name", hint="use letters, digits, - and _")
    target = local_dir(cwd) / f"{name}.toml"
    if target.exists():
        raise InputError("theme file already exists", target, hint="pick another name or edit it")
    base_path = find_theme(base, cwd)
    load_theme(str(base_path), cwd)  # a broken base is reported as such
    raw = load_raw(base_path, cwd)
    extends = base
    if base.endswith(".toml") or "/" in base or "\\" in base:
        extends = Path(os.path.relpath(base_path.resolve(), target.parent.resolve())).as_posix()
    try:
        data = theme_toml(name, base, extends, raw, target.parent.resolve()).encode("utf-8")
    except UnicodeEncodeError:  # a file name that is not UTF-8 (it came in as surrogates)
        raise InputError(
            "a file name of this theme is not UTF-8 text, so a theme file cannot name it",
            base_path,
            hint="rename it",
        ) from None
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    try:
        load_theme(str(target), cwd)  # what we wrote must load
    except InputError:
        target.unlink()
        raise
    return target


def theme_toml(name: str, base: str, extends: str, raw: dict[str, Any], folder: Path) -> str:
    """The text of a new theme ``name`` made from ``base`` (whose merged table is ``raw``),
    every key with its comment; file names are written relative to ``folder``."""
    # repr() keeps a comment on its line: it escapes newlines and other control characters
    top = {"name": name, "extends": extends, "description": f"Made from {base!r}: describe it here"}
    lines = [
        f"# deckgen theme '{name}', made from {base!r}.",
        "# Every key is here with its comment. Change what you need and delete the rest:",
        "# a key left out comes from the theme named in 'extends'.",
        "",
    ]
    for key in SCHEMA[""]:
        lines.extend(_comment(KEY_COMMENTS[""][key]))
        lines.append(f"{key} = {_toml_value(top[key])}")
    files = {section: key for section, key in FILE_KEYS}
    for section in (s for s in SCHEMA if s):
        lines.append("")
        lines.append(f"[{section}]")
        for key in SCHEMA[section]:
            value = raw.get(section, {}).get(key)
            if files.get(section) == key:
                value = _relative(value, folder)
            lines.extend(_comment(KEY_COMMENTS[section][key]))
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"
