"""``deckgen themes``: list the themes, write a new one to edit."""

from __future__ import annotations

import re
from pathlib import Path

from deckgen.errors import InputError
from deckgen.theme import builtin_dir, find_theme, load_raw, load_theme, local_dir


def list_themes(cwd: Path) -> list[str]:
    lines = []
    seen = set()
    for folder, where in ((local_dir(cwd), "local"), (builtin_dir(), "built-in")):
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            if path.stem in seen:
                continue
            seen.add(path.stem)
            try:
                theme = load_theme(str(path), cwd)
                lines.append(f"{path.stem:<16} {where:<9} {theme.slide_size:<5} {theme.description}")
            except InputError as exc:
                lines.append(f"{path.stem:<16} {where:<9} broken: {exc}")
    return lines


_COMMENTS = {
    "colors": 'Colors as "#RRGGBB".',
    "fonts": "Font names; the first is written into the .pptx, all of them form the HTML font stack.",
    "sizes": "Font sizes in points on a 13.33 in wide slide; body text shrinks down to 'minimum' "
    "before a slide is split; nothing goes under 'floor' (at least 14).",
    "slide": 'size: "16:9" or "4:3".',
    "title_slide": 'style: "band" (title on a colored band), "plain" or "centered".',
    "footer": "text may use {title}, {author} and {date}; slide_numbers: true or false.",
    "logo": "path: a PNG/JPEG/GIF file (relative to this file); corner: top-left, top-right, "
    "bottom-left or bottom-right.",
    "code": "style: a Pygments style name (friendly, monokai, bw, ...).",
    "pptx": "template: a .pptx whose masters and named layouts are used (relative to this file).",
    "html": "css: an extra stylesheet for the reveal.js deck (relative to this file).",
}


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"{value:g}"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    text = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def new_theme(name: str, base: str, cwd: Path) -> Path:
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]*", name):
        raise InputError(f"'{name}' is not a usable theme name", hint="use letters, digits, - and _")
    target = local_dir(cwd) / f"{name}.toml"
    if target.exists():
        raise InputError("theme file already exists", target, hint="pick another name or edit it")
    raw = load_raw(find_theme(base, cwd), cwd)
    lines = [
        f"# deckgen theme '{name}', made from '{base}'. Every key is here; delete the ones",
        "# you do not change: they then come from the theme named in 'extends'.",
        f'name = "{name}"',
        f'extends = "{base}"',
        f"description = {_toml_value(raw.get('description', ''))}",
        "",
    ]
    for section, comment in _COMMENTS.items():
        lines.append(f"# {comment}")
        lines.append(f"[{section}]")
        for key, value in raw.get(section, {}).items():
            if section in ("logo", "pptx", "html") and key in ("path", "template", "css"):
                value = ""
            lines.append(f"{key} = {_toml_value(value)}")
        lines.append("")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text("\n".join(lines), "utf-8")
    load_theme(str(target), cwd)  # what we wrote must load
    return target
