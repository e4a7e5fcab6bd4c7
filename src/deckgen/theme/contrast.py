"""Contrast (WCAG 2.x): every text colour a theme's decks draw, on the background it is drawn
on, and the lowest ratio of them (``deckgen themes`` lists it)."""

from __future__ import annotations

from dataclasses import dataclass

from deckgen.theme.schema import Theme


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
