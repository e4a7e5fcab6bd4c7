"""Themes: one TOML file drives every deck.

- ``schema``: what a theme holds (``Theme``, ``SCHEMA``);
- ``find``: where themes are (built-in, ``./themes/``, a path);
- ``load``: read, inherit (``extends``) and confine a theme (entry ``load_theme``);
- ``validate``: its values checked and turned into a ``Theme``;
- ``contrast``: the WCAG contrast of its text colours.
"""

from deckgen.theme.contrast import (
    ContrastPair,
    contrast_pairs,
    contrast_ratio,
    min_contrast,
    relative_luminance,
)
from deckgen.theme.find import builtin_dir, builtin_names, find_theme, known_names, local_dir, shown
from deckgen.theme.load import load_raw, load_theme
from deckgen.theme.schema import SCHEMA, Colors, FontFile, Fonts, Sizes, Theme

__all__ = [
    "SCHEMA",
    "Colors",
    "ContrastPair",
    "FontFile",
    "Fonts",
    "Sizes",
    "Theme",
    "builtin_dir",
    "builtin_names",
    "contrast_pairs",
    "contrast_ratio",
    "find_theme",
    "known_names",
    "load_raw",
    "load_theme",
    "local_dir",
    "min_contrast",
    "relative_luminance",
    "shown",
]
