"""The HTML deck's small pieces: escaping, runs, inline styles, languages and pictures' alternative text.

Every text of the HTML deck is escaped here (:func:`esc`). The language of the page and of each
run, and the alternative text of each picture, come from the model and are written through one
function each (:func:`page_lang`, :func:`run_lang`, :func:`picture_alt`).
"""

from __future__ import annotations

import html

from deckgen.model import Badge, Box, LaidDeck, PictureFrame, Run, Runs, Stroke

#: The page's language when a deck has none (a deck built without the model's language pass).
DEFAULT_LANG = "en"


def esc(text: str) -> str:
    return html.escape(text, quote=True)


# -- languages and alternative text (issue 18) ---------------------------------------------------


def page_lang(deck: LaidDeck) -> str:
    """The language tag of the page (``<html lang>``): the post's main language, as the model says."""
    return deck.meta.lang or DEFAULT_LANG


def run_lang(run: Run) -> str | None:
    """The language tag of one run, or None when it is the page's (the model's ``Run.lang``)."""
    return run.lang or None


def lang_attr(tag: str | None, inherited: str) -> str:
    """`` lang="..."`` for text in ``tag`` inside text in ``inherited`` (nothing when they are one)."""
    return f' lang="{esc(tag)}"' if tag and tag != inherited else ""


def picture_alt(frame: PictureFrame) -> str:
    """A picture's alternative text, as the layout gave it: its description, else the text around
    it; "" only for a decorative picture."""
    return frame.alt


def link_name(frame: PictureFrame, alt: str) -> str:
    """The accessible name of a picture's link when its alternative text is empty: the address
    it leads to (what a screen reader would read anyway), so the link is never nameless."""
    return "" if alt or not frame.link else frame.link


# -- text -----------------------------------------------------------------------------------------


def text(value: str) -> str:
    """Escaped text; the layout's zero-width break opportunities become ``<wbr>``."""
    return esc(value).replace("\u200b", "<wbr>")


def span(run: Run) -> str:
    """One run of code: a highlighter token's class, or its own colour and weight."""
    out = text(run.text)
    if run.token:
        return f'<span class="{esc(run.token)}">{out}</span>'
    styles = []
    if run.color:
        styles.append(f"color:#{run.color}")
    if run.bold:
        styles.append("font-weight:bold")
    if run.italic:
        styles.append("font-style:italic")
    return f'<span style="{";".join(styles)}">{out}</span>' if styles else out


def runs(items: Runs, link_color: str | None = None, lang: str = DEFAULT_LANG) -> str:
    """Runs of text; ``lang`` is the language they are in (a run in another carries its own)."""
    out = []
    for run in items:
        if run.is_break:
            out.append("<br>")
            continue
        piece = text(run.text)
        if run.code:
            piece = f"<code>{piece}</code>"
        if run.bold:
            piece = f"<strong>{piece}</strong>"
        if run.italic:
            piece = f"<em>{piece}</em>"
        if run.strike:
            piece = f"<s>{piece}</s>"
        own = lang_attr(run_lang(run), lang)
        if run.color or own:
            color = f' style="color:#{run.color}"' if run.color else ""
            piece = f"<span{own}{color}>{piece}</span>"
        if run.link:
            color = f' style="color:#{link_color}"' if link_color and not run.color else ""
            piece = f'<a href="{esc(run.link)}" target="_blank" rel="noopener"{color}>{piece}</a>'
        out.append(piece)
    return "".join(out)


# -- inline styles --------------------------------------------------------------------------------


def pos(box: Box, height: bool = True) -> str:
    h = f"height:{box.h:.2f}px;" if height else ""
    return f"left:{box.x:.2f}px;top:{box.y:.2f}px;width:{box.w:.2f}px;{h}"


def padding(insets: tuple[float, float, float, float]) -> str:
    left, top, right, bottom = insets
    return f"padding:{top:g}px {right:g}px {bottom:g}px {left:g}px;"


def colors(fill: str | None, color: str | None) -> str:
    return (f"background:#{fill};" if fill else "") + (f"color:#{color};" if color else "")


def border(stroke: Stroke | None) -> str:
    if stroke is None:
        return "0"
    return f"{stroke.width:g}px {'dashed' if stroke.dash else 'solid'} #{stroke.color}"


def badge_svg(badge: Badge) -> str:
    """The play badge: a triangle pointing right, filling the badge's box (as in the .pptx)."""
    w, h = badge.box.w, badge.box.h
    stroke = (
        f' stroke="#{badge.stroke.color}" stroke-width="{badge.stroke.width:g}" stroke-linejoin="miter"'
        if badge.stroke
        else ""
    )
    return (
        f'<svg width="{w:.2f}" height="{h:.2f}" viewBox="0 0 {w:.2f} {h:.2f}" aria-hidden="true">'
        f'<polygon points="0,0 0,{h:.2f} {w:.2f},{h / 2:.2f}" fill="#{badge.fill}"{stroke}/></svg>'
    )
