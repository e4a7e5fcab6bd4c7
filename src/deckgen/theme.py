"""Themes: one TOML file drives both decks. Load, inherit (``extends``) and validate."""

from __future__ import annotations

import re
import tomllib
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from deckgen.errors import ThemeError

Corner = Literal["top-left", "top-right", "bottom-left", "bottom-right"]
TitleStyle = Literal["band", "plain", "centered"]  # the title slide: a coloured band, plain, centred

# every key a theme may set, with its kind; the defaults live in themes/default.toml
SCHEMA: dict[str, dict[str, str]] = {
    "": {"name": "str", "extends": "str", "description": "str"},
    "colors": {
        k: "color"
        for k in ("background", "text", "heading", "accent", "link", "code_background", "code_text", "muted")
    },
    "fonts": {"latin": "fontlist", "east_asian": "fontlist", "code": "fontlist", "files": "fontfiles"},
    "sizes": {"title": "size", "body": "size", "code": "size", "minimum": "size", "floor": "size"},
    "slide": {"size": "slide_size"},
    "title_slide": {"style": "title_style"},
    "footer": {"text": "str", "slide_numbers": "bool"},
    "logo": {"path": "image", "corner": "corner"},
    "code": {"style": "pygments_style"},
    "pptx": {"template": "template"},
    "html": {"css": "file"},
}
# keys holding file names: relative names are relative to the theme file
FILE_KEYS = (("logo", "path"), ("pptx", "template"), ("html", "css"), ("fonts", "files"))
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2")
_COLOR = re.compile(r"^#?([0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
SLIDE_SIZES = {"16:9": (960.0, 540.0), "4:3": (720.0, 540.0)}
TITLE_STYLES: tuple[TitleStyle, ...] = ("band", "plain", "centered")
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
    files: tuple[FontFile, ...] = ()


@dataclass(frozen=True)
class FontFile:
    """A font file the theme ships for the HTML deck, with the family and style it declares."""

    path: Path
    family: str
    bold: bool = False
    italic: bool = False


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
    title_style: TitleStyle
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


def find_theme(name_or_path: str, cwd: Path | None = None, relative_to: Path | None = None) -> Path:
    """A theme name (``./themes/`` first, then the built-ins) or a path to a .toml file.

    A relative path is taken from ``relative_to`` (the folder of a theme that ``extends`` it),
    else from ``cwd``.
    """
    if not isinstance(name_or_path, str) or not name_or_path.strip():
        raise ThemeError("empty theme name", hint="give a NAME or a path to a .toml file")
    if name_or_path.endswith(".toml") or "/" in name_or_path or "\\" in name_or_path:
        candidate = Path(name_or_path).expanduser()
        if not candidate.is_absolute():
            candidate = (relative_to or cwd or Path.cwd()) / candidate
        if candidate.is_file():
            return candidate
        raise ThemeError("theme file not found", candidate, hint="give a NAME or a path to a .toml file")
    for folder in (local_dir(cwd), builtin_dir()):
        path = folder / f"{name_or_path}.toml"
        if path.is_file():
            return path
    raise ThemeError(f"unknown theme '{name_or_path}'", hint=f"known themes: {', '.join(known_names(cwd))}")


def known_names(cwd: Path | None = None) -> list[str]:
    local = local_dir(cwd)
    names = {p.stem for p in local.glob("*.toml")} if local.is_dir() else set()
    return sorted(names | set(builtin_names()))


def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ThemeError(f"cannot read theme: {exc.strerror}", path) from None
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        raise ThemeError(f"not valid TOML: {exc}", path, int(m.group(1)) if m else None) from None
    except UnicodeDecodeError:
        raise ThemeError("not UTF-8 text", path) from None


def _sections() -> str:
    return ", ".join(f"[{k}]" for k in SCHEMA if k)


def _check_keys(raw: dict[str, Any], path: Path) -> None:
    for key, value in raw.items():
        if key in SCHEMA and key:
            if not isinstance(value, dict):
                raise ThemeError(
                    f"'{key}' must be a section [{key}]", path, hint=f"write [{key}] and its keys"
                )
            for sub in value:
                if sub not in SCHEMA[key]:
                    raise ThemeError(
                        f"unknown key '{sub}' in [{key}]",
                        path,
                        hint=f"valid keys in [{key}]: " + ", ".join(SCHEMA[key]),
                    )
        elif isinstance(value, dict):
            raise ThemeError(f"unknown section [{key}]", path, hint="valid sections: " + _sections())
        elif key not in SCHEMA[""]:
            raise ThemeError(
                f"unknown key '{key}'",
                path,
                hint="valid top-level keys: " + ", ".join(SCHEMA[""]) + "; sections: " + _sections(),
            )


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key].update(value)
        else:
            out[key] = value
    return out


def _absolute(value: Any, folder: Path) -> Any:
    if isinstance(value, str) and value:
        return str((folder / Path(value).expanduser()).resolve())
    if isinstance(value, list):
        return [_absolute(v, folder) for v in value]
    return value


def load_raw(path: Path, cwd: Path | None = None, _seen: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The theme's table with everything it ``extends`` merged underneath.

    ``name`` and ``description`` are the file's own (not inherited); file names are made
    absolute (relative ones are relative to the file that names them).
    """
    path = path.resolve()
    if path in _seen:
        chain = " -> ".join(p.name for p in (*_seen, path))
        raise ThemeError(f"themes extend each other in a circle: {chain}", shown(path))
    raw = _read(shown(path))
    _check_keys(raw, shown(path))
    for section, key in FILE_KEYS:
        if key in raw.get(section, {}):
            raw[section][key] = _absolute(raw[section][key], path.parent)
    builtin_default = (builtin_dir() / "default.toml").resolve()
    parent = raw.get("extends", "" if path == builtin_default else "default")
    if not isinstance(parent, str):
        raise ThemeError("'extends' must be a theme name or a path", shown(path))
    raw.setdefault("name", path.stem)
    raw.setdefault("description", "")
    if parent:
        try:
            parent_path = find_theme(parent, cwd, relative_to=path.parent).resolve()
        except ThemeError as exc:
            raise ThemeError(f"'extends = \"{parent}\"': {exc.bare}", shown(path), hint=exc.hint) from None
        if parent_path == path:  # ./themes/default.toml extending the built-in default
            parent_path = (builtin_dir() / f"{parent}.toml").resolve()
            if not parent_path.is_file():
                raise ThemeError(f"'extends = \"{parent}\"' names this file itself", shown(path))
        base = load_raw(parent_path, cwd, (*_seen, path))
        for own in ("name", "description", "extends"):
            base.pop(own, None)
        raw = _merge(base, raw)
    return raw


def load_theme(
    name_or_path: str = "default", cwd: Path | None = None, confine: tuple[Path, ...] | None = None
) -> Theme:
    """The theme a name or a path gives. With ``confine`` (a theme a post names), the theme
    file and every file it uses (css, logo, fonts, template) must lie in one of those folders,
    after resolving ``..`` and symlinks."""
    path = find_theme(name_or_path, cwd)
    if confine is not None:
        _confined(path, confine, name_or_path)
    raw = load_raw(path, cwd)
    if confine is not None:
        for section, key in FILE_KEYS:
            value = raw.get(section, {}).get(key)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, str) and item:
                    _confined(Path(item), confine, name_or_path)
    return _build(raw, path)


def _confined(file: Path, folders: tuple[Path, ...], name: str) -> None:
    real = file.resolve()
    for folder in folders:
        try:
            if real.is_relative_to(folder.resolve()):
                return
        except (OSError, RuntimeError):
            continue
    raise ThemeError(
        f"the post's theme '{name}' uses {file}, outside the post's folder, the site and the themes",
        hint="move it into the site, or allow its folder with --allow-files DIR",
    )


def shown(path: Path) -> Path:
    """A path as error messages show it: relative to the working folder when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except (ValueError, OSError):
        return path


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


def _build(raw: dict[str, Any], source: Path) -> Theme:
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


FOOTER_FIELDS = ("title", "author", "date")


# ---------------------------------------------------------------------------
# contrast (WCAG 2.x)


def relative_luminance(hex6: str) -> float:
    """WCAG relative luminance of an sRGB color ``RRGGBB``."""
    hex6 = hex6.lstrip("#")

    def channel(c: int) -> float:
        x = c / 255
        return x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex6[i : i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    """WCAG contrast ratio of two colors, from 1 to 21."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@dataclass(frozen=True)
class ContrastPair:
    what: str
    foreground: str
    background: str

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.foreground, self.background)


def contrast_pairs(theme: Theme) -> list[ContrastPair]:
    """Every text color the decks draw, on the background it is drawn on."""
    c = theme.colors
    pairs = [
        ContrastPair("text on background", c.text, c.background),
        ContrastPair("heading on background", c.heading, c.background),
        ContrastPair("link on background", c.link, c.background),
        ContrastPair("muted (footer, numbers) on background", c.muted, c.background),
        ContrastPair("code text on code background", c.code_text, c.code_background),
        ContrastPair("text on code background (table rows, placeholders)", c.text, c.code_background),
        ContrastPair("link on code background", c.link, c.code_background),
        ContrastPair("background on accent (title band, table header)", c.background, c.accent),
    ]
    from pygments.styles import get_style_by_name

    colors = sorted(
        {info["color"].upper() for _, info in get_style_by_name(theme.code_style) if info["color"]}
    )
    pairs += [
        ContrastPair(f"code style '{theme.code_style}' #{col}", col, c.code_background) for col in colors
    ]
    return pairs


def min_contrast(theme: Theme) -> ContrastPair:
    return min(contrast_pairs(theme), key=lambda p: p.ratio)
