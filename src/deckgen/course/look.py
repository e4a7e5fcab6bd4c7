"""The course page's colours and fonts, from the deck theme (the one place they are decided).

The page is drawn the way the decks' title slides are: the title on a band of the theme's
accent in its background colour (as the style pass draws the title slide's band), text,
headings, links and quieter text in the theme's colours on its background: pairs the theme's
contrast check (``deckgen themes``) already holds to.
"""

from __future__ import annotations

from dataclasses import dataclass

from deckgen.theme.schema import Theme

CJK_FALLBACK = "Noto Sans CJK TC"  # as the HTML deck's font stack ends


@dataclass(frozen=True)
class Look:
    background: str  # "#RRGGBB"
    text: str
    heading: str
    accent: str  # the band behind the page's title
    on_accent: str  # the title on the band
    link: str
    muted: str  # dates, sizes, tags
    rule: str  # card borders (decoration: no text on it)
    font: str  # a CSS font-family list


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def font_stack(names: tuple[str, ...], generic: str) -> str:
    """A CSS ``font-family`` value: the names quoted, in order, then the generic family."""
    return ", ".join(f'"{_css_string(n)}"' for n in dict.fromkeys(names)) + f", {generic}"


def course_look(theme: Theme) -> Look:
    c = theme.colors
    return Look(
        background=f"#{c.background}",
        text=f"#{c.text}",
        heading=f"#{c.heading}",
        accent=f"#{c.accent}",
        on_accent=f"#{c.background}",
        link=f"#{c.link}",
        muted=f"#{c.muted}",
        rule=f"#{c.muted}",
        font=font_stack((*theme.fonts.latin, *theme.fonts.east_asian, CJK_FALLBACK), "sans-serif"),
    )


__all__ = ["Look", "course_look", "font_stack"]
