"""What a theme holds: the ``Theme`` and its parts (colours, fonts, sizes), and ``SCHEMA``, every
key a theme file may set with its kind."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

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
SLIDE_SIZES = {"16:9": (960.0, 540.0), "4:3": (720.0, 540.0)}
TITLE_STYLES: tuple[TitleStyle, ...] = ("band", "plain", "centered")
FOOTER_FIELDS = ("title", "author", "date")  # the placeholders footer.text may hold
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
