"""The title page, each content page's chrome (footer, number, logo) and the whole deck."""

from __future__ import annotations

from dataclasses import replace

from deckgen.language import DEFAULT
from deckgen.layout.context import INSET, LINE, Context
from deckgen.layout.languages import with_languages
from deckgen.layout.origins import FRONT_TITLE, mark_origins
from deckgen.layout.paginate import layout_slide
from deckgen.layout.style import style_deck
from deckgen.layout.text import fit_lines, fit_title
from deckgen.layout.titles import name_pages
from deckgen.measure import Measurer, count_lines
from deckgen.model.document import LINE_BREAK, Asset, Deck, Origin, Paragraph, Run, Runs, Slide
from deckgen.model.laidout import (
    Align,
    Box,
    Frame,
    LaidDeck,
    Page,
    Para,
    PictureFrame,
    QrFrame,
    TextFrame,
    pictures_in,
)
from deckgen.plaintext import shorten
from deckgen.theme.schema import Theme


def _title_page(ctx: Context, deck: Deck) -> Page:
    meta = deck.meta
    t = ctx.theme
    m = ctx.margin
    width = ctx.w - 2 * m
    frames: list[Frame] = []
    align: Align = "center" if t.title_style == "centered" else "left"
    title_runs: Runs = (Run(meta.title),)
    shown, size, title_h = fit_title(ctx.measure, title_runs, width, t.sizes.title + 8, t.sizes.title)
    # the front matter's title, unless cut to fit
    title_origin = Origin(FRONT_TITLE) if shown is title_runs and meta.title else None
    title_runs = shown
    band_top = ctx.h * 0.22
    if t.title_style == "band":
        pad = 18.0
        title = TextFrame(
            Box(0, band_top - pad, ctx.w, title_h + 2 * pad),
            (Para(title_runs, size, "title", origin=title_origin),),
            "title",
            LINE,
            (m + INSET, pad + INSET, m + INSET, pad + INSET),  # the style pass fills the band
        )
    else:
        title = TextFrame(
            Box(m, band_top, width, title_h),
            (Para(title_runs, size, "title", align=align, origin=title_origin),),
            "title",
            LINE,
        )
    y = band_top + title_h + 36
    sub_parts = [", ".join(meta.authors)] if meta.authors else []
    if meta.date:
        sub_parts.append(meta.date.split(" ")[0])
    subtitle_paras: list[Para] = []
    sub_size = t.sizes.body
    if sub_parts:
        sub_runs = fit_lines(ctx.measure, (Run(" · ".join(sub_parts)),), width - 2 * INSET, sub_size, 2)
        subtitle_paras.append(Para(sub_runs, sub_size, "subtitle", align=align))
    tags = [*meta.category, *meta.tags]
    if tags:
        tag_size = max(t.sizes.floor, sub_size - 4)
        subtitle_paras.append(
            Para(
                fit_lines(ctx.measure, (Run(" · ".join(tags)),), width - 2 * INSET, tag_size, 2),
                max(t.sizes.floor, sub_size - 4),
                "meta",
                space_before=4,
                align=align,
            )
        )
    abstract_runs: list[Run] = []
    for block in deck.abstract:
        if isinstance(block, Paragraph):
            if abstract_runs:
                abstract_runs.append(LINE_BREAK)
            abstract_runs.extend(block.runs)
    if abstract_runs:
        texts = [b for b in deck.abstract if isinstance(b, Paragraph)]
        origin = texts[0].origin if len(texts) == 1 else None  # several joined: the layout's paragraph
        subtitle_paras.append(
            Para(tuple(abstract_runs), sub_size, "body", space_before=12, align=align, origin=origin)
        )
    qr, zone = _qr_code(ctx, meta.deck_url)
    if zone is not None and zone.y < title.box.bottom + 8:
        qr = zone = None  # a title that tall leaves no room for the code
    if subtitle_paras:
        room = ctx.beside_logo(Box(m, y, width, ctx.body_bottom() - y))
        subtitle, _ = _subtitle(ctx, tuple(subtitle_paras), room)
        if zone is not None and subtitle.box.bottom > zone.y - 8:
            # the code's corner is in the way: the text above it, else beside it, whichever keeps it larger
            above = _subtitle(ctx, tuple(subtitle_paras), replace(room, h=max(0.0, zone.y - 8 - y)))
            right = zone.x > ctx.w / 2
            left = room.x if right else max(room.x, zone.right + 8)
            width = (min(room.right, zone.x - 8) if right else room.right) - left
            beside = _subtitle(ctx, tuple(subtitle_paras), replace(room, x=left, w=max(40.0, width)))
            # the one that fits, else the larger text, else the one that cuts less
            subtitle = max(above, beside, key=lambda made: (made[1] <= 1, made[0].paras[0].size, -made[1]))[0]
        frames.append(subtitle)
    if qr is not None:
        frames.append(qr)
    logo = ctx.logo_box()
    if logo is not None and ctx.logo is not None:
        frames.append(PictureFrame(logo, ctx.logo, None, decorative=True))  # the theme's decoration
    return Page("title", tuple(frames), title)


def _qr_code(ctx: Context, address: str) -> tuple[QrFrame | None, Box | None]:
    """The title slide's QR code of the deck's address and the zone it keeps clear (None, None:
    none). ``layout.qrcode`` and ``qr`` are loaded only for a deck with an address."""
    if not address:
        return None, None
    from deckgen.layout.qrcode import qr_frame, qr_zone

    qr = qr_frame(ctx, address)
    return qr, (qr_zone(qr) if qr is not None else None)


def _subtitle(ctx: Context, paras: tuple[Para, ...], room: Box) -> tuple[TextFrame, float]:
    """The title slide's subtitle (authors, date, tags, abstract) in ``room``: smaller in 2 pt
    steps until it fits, not below the floor (then its frame is cut to the room); and the
    height it needs, as a share of the room's (over 1: it does not fit)."""
    floor = ctx.theme.sizes.floor
    while True:
        height = 2 * INSET + sum(
            count_lines(ctx.measure, p.runs, room.w - 2 * INSET, p.size) * p.size * LINE + p.space_before for p in paras
        )
        if height <= room.h or paras[-1].size <= floor:
            break
        paras = tuple(replace(p, size=max(floor, p.size - 2)) for p in paras)
    return TextFrame(Box(room.x, room.y, room.w, min(height, room.h)), paras, "subtitle", LINE), height / max(room.h, 1.0)


def _chrome(ctx: Context, number: int, meta_title: str, authors: str, date: str) -> list[Frame]:
    """Footer text, slide number and logo of a content page."""
    t = ctx.theme
    frames: list[Frame] = []
    y = ctx.h - 30.0
    size = t.sizes.floor
    if t.footer:
        text = t.footer.replace("{title}", meta_title).replace("{author}", authors).replace("{date}", date)
        if text.strip():
            box = ctx.beside_logo(Box(ctx.margin, y, ctx.w * 0.7, size * LINE + 2 * INSET))
            para = Para((Run(text),), size, "meta")
            frames.append(TextFrame(box, (para,), "footer", LINE))
    if t.slide_numbers:
        box = Box(ctx.w - ctx.margin - 60, y, 60, size * LINE + 2 * INSET)
        logo = ctx.logo_box()
        if logo is not None and ctx.beside_logo(box) != box and logo.x > ctx.w / 2:
            box = Box(logo.x - 8 - 60, y, 60, box.h)  # the logo took the corner: the number stands beside it
        frames.append(
            TextFrame(
                box,
                (Para((Run(str(number)),), size, "meta", align="right"),),
                "number",
                LINE,
            )
        )
    logo = ctx.logo_box()
    if logo is not None and ctx.logo is not None:
        frames.append(PictureFrame(logo, ctx.logo, None, decorative=True))  # the theme's decoration
    return frames


def slide_pictures(ctx: Context, slide: Slide) -> list[PictureFrame]:
    """The picture frames the pages of one source slide hold, as ``layout_deck`` will place
    them (a slide's layout depends on nothing outside it): known before the rest of the
    deck's pictures are, so they can be drawn while the others still download."""
    return [frame for placed in layout_slide(ctx, slide) for frame in pictures_in(placed.frames)]


def layout_deck(deck: Deck, theme: Theme, measure: Measurer, logo: Asset | None = None) -> LaidDeck:
    """The laid-out deck the writers get: its pages placed, then styled."""
    return style_deck(place_deck(deck, theme, measure, logo), theme, measure)


def place_deck(deck: Deck, theme: Theme, measure: Measurer, logo: Asset | None = None) -> LaidDeck:
    """Every page and frame in place (positions, sizes, font sizes, page breaks, each frame's
    role and each paragraph's kind), before the style pass gives them their colours."""
    ctx = Context(theme, measure, logo)
    deck = mark_origins(deck)  # where each text comes from (for deckgen pull)
    # each page with the title of the part of the post it shows and its place among its pages
    entries: list[tuple[Page, Runs, int]] = [(_title_page(ctx, deck), (Run(deck.meta.title),), 0)]
    authors = ", ".join(deck.meta.authors)
    footer_title = shorten(deck.meta.title, 60)
    for slide in deck.slides:
        for i, placed in enumerate(layout_slide(ctx, slide)):
            chrome = _chrome(ctx, len(entries) + 1, footer_title, authors, deck.meta.date)
            notes = slide.notes if i == 0 else ""
            page = Page("content", placed.frames + tuple(chrome), placed.title, notes, slide.line, cut=placed.cut)
            entries.append((page, placed.base, placed.part))
    pages = with_languages(name_pages(ctx, entries), deck.meta.lang or DEFAULT)
    return LaidDeck(deck.meta, tuple(pages), ctx.w, ctx.h)
