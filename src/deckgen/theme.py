"""Themes: one TOML file drives both decks. Load, inherit (``extends``) and validate."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from deckgen.errors import ThemeError

Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]

# every key a theme may set, with its kind; the defaults live in themes/default.toml
SCHEMA: dict[str, dict[str, str]] = {
    "": {"name": "str", "extends": "str", "description": "str"},
    "colors": {
        k: "color"
        for k in ("background", "text", "heading", "accent", "link", "code_background", "code_text", "muted")
    },
    "fonts": {"latin": "fontlist", "east_asian": "fontlist", "code": "fontlist"},
    "sizes": {"title": "size", "body": "size", "code": "size", "minimum": "size", "floor": "size"},
    "slide": {"size": "slide_size"},
    "title_slide": {"style": "title_style"},
    "footer": {"text": "str", "slide_numbers": "bool"},
    "logo": {"path": "file", "corner": "corner"},
    "code": {"style": "pygments_style"},
    "pptx": {"template": "file"},
    "html": {"css": "file"},
}
_COLOR = re.compile(r"^#?[0-9A-Fa-f]{6}$")
SLIDE_SIZES = {"16:9": (960.0, 540.0), "4:3": (720.0, 540.0)}
TITLE_STYLES = ("band", "plain", "centered")
CORNERS = ("top-left", "top-right", "bottom-left", "bottom-right")


@dataclass(frozen=True)
class Colors:
    background: str
    text: str
    heading: str
    accent: str
    link: str
    code_background: str
    code_text: str
    muted: str


@dataclass(frozen=True)
class Fonts:
    latin: tuple[str, ...]
    east_asian: tuple[str, ...]
    code: tuple[str, ...]


@dataclass(frozen=True)
class Sizes:
    title: float
    body: float
    code: float
    minimum: float
    floor: float


@dataclass(frozen=True)
class Theme:
    name: str
    description: str
    colors: Colors
    fonts: Fonts
    sizes: Sizes
    slide_size: str
    title_style: str
    footer: str
    slide_numbers: bool
    logo: Path | None
    logo_corner: Corner
    code_style: str
    pptx_template: Path | None
    css: Path | None
    source: Path | None = None

    @property
    def width(self) -> float:
        return SLIDE_SIZES[self.slide_size][0]

    @property
    def height(self) -> float:
        return SLIDE_SIZES[self.slide_size][1]


def builtin_dir() -> Path:
    """The built-in themes: inside the installed package, or ``themes/`` of a checkout."""
    packaged = Path(__file__).parent / "themes"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "themes"


def builtin_names() -> list[str]:
    return sorted(p.stem for p in builtin_dir().glob("*.toml"))


def local_dir(cwd: Path | None = None) -> Path:
    return (cwd or Path.cwd()) / "themes"


def find_theme(name_or_path: str, cwd: Path | None = None) -> Path:
    """A theme name (``./themes/`` first, then the built-ins) or a path to a .toml file."""
    candidate = Path(name_or_path).expanduser()
    if candidate.suffix == ".toml" or "/" in name_or_path or "\\" in name_or_path:
        if candidate.is_file():
            return candidate
        raise ThemeError("theme file not found", candidate, hint="give a NAME or a path to a .toml file")
    for folder in (local_dir(cwd), builtin_dir()):
        path = folder / f"{name_or_path}.toml"
        if path.is_file():
            return path
    known = ", ".join(sorted(set(builtin_names()) | {p.stem for p in local_dir(cwd).glob("*.toml")}))
    raise ThemeError(f"unknown theme '{name_or_path}'", hint=f"known themes: {known}")


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ThemeError(f"cannot read theme: {exc.strerror}", path) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ThemeError(f"not valid TOML: {exc}", path, int(m.group(1)) if m else None) from None


def _check_keys(raw: dict[str, Any], path: Path) -> None:
    for key, value in raw.items():
        if isinstance(value, dict):
            if key not in SCHEMA or key == "":
                raise ThemeError(
                    f"unknown section [{key}]",
                    path,
                    hint="valid sections: " + ", ".join(k for k in SCHEMA if k),
                )
            for sub in value:
                if sub not in SCHEMA[key]:
                    raise ThemeError(
                        f"unknown key '{key}.{sub}'",
                        path,
                        hint=f"valid keys in [{key}]: " + ", ".join(SCHEMA[key]),
                    )
        elif key not in SCHEMA[""]:
            raise ThemeError(
                f"unknown key '{key}'",
                path,
                hint="valid top-level keys: "
                + ", ".join(SCHEMA[""])
                + "; sections: "
                + ", ".join(k for k in SCHEMA if k),
            )


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def load_raw(path: Path, cwd: Path | None = None, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The theme's table with everything it ``extends`` merged underneath."""
    path = path.resolve()
    if path in _seen:
        raise ThemeError("themes extend each other in a circle", path)
    raw = _read(path)
    _check_keys(raw, path)
    # relative file paths in a theme are relative to the theme file
    for section, key in (("logo", "path"), ("pptx", "template"), ("html", "css")):
        value = raw.get(section, {}).get(key)
        if isinstance(value, str) and value:
            raw[section][key] = str((path.parent / value).resolve())
    builtin_default = (builtin_dir() / "default.toml").resolve()
    parent = str(raw.get("extends") or ("" if path == builtin_default else "default"))
    if parent:
        parent_path = find_theme(parent, cwd).resolve()
        if parent_path == path:  # ./themes/default.toml extending the built-in default
            parent_path = (builtin_dir() / f"{parent}.toml").resolve()
        raw = _merge(load_raw(parent_path, cwd, (*_seen, path)), raw)
    return raw


def load_theme(name_or_path: str = "default", cwd: Path | None = None) -> Theme:
    path = find_theme(name_or_path, cwd)
    raw = load_raw(path, cwd)
    return _build(raw, path)


def _value(raw: dict[str, Any], section: str, key: str, path: Path) -> Any:
    table = raw if section == "" else raw.get(section, {})
    if key not in table:
        raise ThemeError(f"missing key '{section + '.' if section else ''}{key}'", path)
    value = table[key]
    kind = SCHEMA[section][key]
    where = f"{section}.{key}" if section else key
    if kind == "color":
        if not isinstance(value, str) or not _COLOR.match(value):
            raise ThemeError(f"'{where}' = {value!r} is not a color", path, hint='write "#RRGGBB"')
        return value.lstrip("#").upper()
    if kind == "fontlist":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
            raise ThemeError(f"'{where}' must be a font name or a list of font names", path)
        return tuple(value)
    if kind == "size":
        if not isinstance(value, (int, float)) or isinstance(value, bool) or not 8 <= value <= 120:
            raise ThemeError(f"'{where}' = {value!r} is not a size in points (8 to 120)", path)
        return float(value)
    if kind == "bool":
        if not isinstance(value, bool):
            raise ThemeError(f"'{where}' must be true or false", path)
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
    if kind == "file":
        if not isinstance(value, str):
            raise ThemeError(f"'{where}' must be a path", path)
        if not value:
            return None
        file = Path(value)
        if not file.is_file():
            raise ThemeError(f"'{where}': file not found: {file}", path)
        return file
    if kind == "pygments_style":
        from pygments.styles import get_all_styles

        if value not in set(get_all_styles()):
            raise ThemeError(
                f"'{where}' = {value!r} is not a Pygments style",
                path,
                hint="e.g. friendly, monokai, bw, default",
            )
        return value
    if not isinstance(value, str):
        raise ThemeError(f"'{where}' must be text", path)
    return value


def _build(raw: dict[str, Any], path: Path) -> Theme:
    def v(section: str, key: str) -> Any:
        return _value(raw, section, key, path)

    theme = Theme(
        name=str(raw.get("name") or path.stem),
        description=str(raw.get("description", "")),
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
        source=path,
    )
    s = theme.sizes
    if s.floor < 14 or s.minimum < s.floor or s.body < s.minimum or s.title < s.body:
        raise ThemeError("sizes must satisfy 14 <= floor <= minimum <= body <= title", path)
    if s.code < s.floor:
        raise ThemeError("sizes.code must be at least sizes.floor", path)
    return theme
