"""Handouts: slides placed on A4 or Letter sheets, with their notes, lines or in a grid.

``compose`` decides the sheet (pure: where each slide goes, its notes' lines, the ruled
lines, the margin texts); their colours are the laid-out deck's (``LaidDeck.handout``, from
the layout's style pass). ``write_handout`` draws it with the PDF writer's own slide
drawing, so a slide on a handout is the slide of the PDF, scaled.

* 1 a sheet: the slide across the top, its notes under it (ruled lines when it has none);
* 2 a sheet: each slide on the left, its notes beside it (ruled lines when it has none);
* 3 a sheet: each slide on the left, ruled lines beside it for the student's notes;
* 6 a sheet: a grid of two columns and three rows.

The post's title and date stand in the top margin, ``page n of m`` in the bottom one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO

from deckgen.errors import InternalError
from deckgen.language import split_runs
from deckgen.measure import Measurer, wrap_runs
from deckgen.model.document import Run, Runs
from deckgen.model.laidout import Box, HandoutStyle, LaidDeck, Page
from deckgen.writers.pdf import DESCENT, PdfWriter, Place, deck_chars
from deckgen.writers.pdfaccess import page_label

PAPER_SIZES = {"a4": (595.28, 841.89), "letter": (612.0, 792.0)}
MARGIN = 42.0
HEADER = 10.0  # size of the margin texts
NOTES = 11.0  # size of the notes
GAP = 18.0
LINE = 1.3
RULE_STEP = 22.0  # ruled lines' distance


@dataclass(frozen=True)
class NoteLine:
    text: str
    x: float
    baseline: float
    size: float
    runs: Runs = ()  # the text cut where its language changes (``Run.lang``), as the PDF tags it


@dataclass(frozen=True)
class Slot:
    page: Page
    box: Box  # where the slide goes on the sheet (its aspect is the deck's)
    notes: tuple[NoteLine, ...] = ()
    rules: tuple[tuple[float, float, float], ...] = ()  # (x0, x1, y) ruled lines


@dataclass(frozen=True)
class Sheet:
    slots: tuple[Slot, ...]
    number: int


@dataclass(frozen=True)
class Handout:
    width: float
    height: float
    sheets: tuple[Sheet, ...]
    title: str
    date: str
    style: HandoutStyle


def _notes_lines(m: Measurer, text: str, box: Box, lang: str) -> tuple[NoteLine, ...]:
    """The notes wrapped into ``box``; smaller type when long, cut with … when still too long."""
    if not text.strip():
        return ()
    runs: list[Run] = []
    for i, para in enumerate(text.strip().split("\n")):
        if i:
            runs.append(Run("\n"))
        if para:
            runs.append(Run(para))
    size = NOTES
    while True:
        lines = wrap_runs(m, runs, box.w, size)
        fits = int(box.h // (size * LINE))
        if len(lines) <= fits or size <= 8:
            break
        size -= 1
    texts = ["".join(r.text for r in line).rstrip() for line in lines]
    if len(texts) > fits:
        texts = texts[: max(fits, 1)]
        texts[-1] = texts[-1][: max(0, len(texts[-1]) - 1)] + "…"
    return tuple(  # each line's runs with their languages where not the document's (``lang``)
        NoteLine(t, box.x, box.y + (i + 1) * size * LINE - DESCENT * size, size, split_runs((Run(t),), lang))
        for i, t in enumerate(texts)
    )


def compose(deck: LaidDeck, per_sheet: int, paper: str, m: Measurer) -> Handout:
    if deck.handout is None:
        raise InternalError("internal error: a handout of a deck the style pass has not seen", hint="a bug in deckgen")
    width, height = PAPER_SIZES[paper]
    aspect = deck.height / deck.width
    top, bottom = MARGIN + HEADER * 2, height - MARGIN - HEADER * 2
    inner_w = width - 2 * MARGIN
    room_h = bottom - top
    boxes: list[tuple[Box, Box | None, bool]] = []  # slide box, notes/lines box, ruled lines
    if per_sheet == 1:
        slide = Box(MARGIN, top, inner_w, inner_w * aspect)
        boxes.append((slide, Box(MARGIN, slide.bottom + GAP, inner_w, bottom - slide.bottom - GAP), False))
    elif per_sheet in (2, 3):
        cell_h = (room_h - GAP * (per_sheet - 1)) / per_sheet
        slide_w = min(inner_w * 0.56, cell_h / aspect)
        for i in range(per_sheet):
            y = top + i * (cell_h + GAP)
            slide = Box(MARGIN, y, slide_w, slide_w * aspect)
            beside = Box(MARGIN + slide_w + GAP, y, inner_w - slide_w - GAP, cell_h if per_sheet == 2 else slide.h)
            boxes.append((slide, beside, per_sheet == 3))
    else:
        cols, rows = 2, 3
        cell_w = (inner_w - GAP) / cols
        cell_h = (room_h - GAP * (rows - 1)) / rows
        slide_w = min(cell_w, cell_h / aspect)
        for r in range(rows):
            for c in range(cols):
                x = MARGIN + c * (cell_w + GAP) + (cell_w - slide_w) / 2
                y = top + r * (cell_h + GAP) + (cell_h - slide_w * aspect) / 2
                boxes.append((Box(x, y, slide_w, slide_w * aspect), None, False))
    sheets: list[Sheet] = []
    pages = deck.pages
    for start in range(0, len(pages), per_sheet):
        slots = []
        for page, (slide, side, ruled) in zip(pages[start : start + per_sheet], boxes):
            notes: tuple[NoteLine, ...] = ()
            rules: tuple[tuple[float, float, float], ...] = ()
            if side is not None and not ruled:
                notes = _notes_lines(m, page.notes, side, deck.meta.lang)
            if side is not None and not notes:  # lines for the student's own notes
                count = int(side.h // RULE_STEP)
                rules = tuple((side.x, side.right, side.y + (k + 1) * RULE_STEP) for k in range(count))
            slots.append(Slot(page, slide, notes, rules))
        sheets.append(Sheet(tuple(slots), len(sheets) + 1))
    return Handout(width, height, tuple(sheets), deck.meta.title, deck.meta.date.split(" ")[0], deck.handout)


def write_handout(writer: PdfWriter, deck: LaidDeck, per_sheet: int, paper: str, target: IO[bytes]) -> None:
    """The handout, tagged as the slides are: a /Sect per slide placed on a sheet (its
    outline entry pointing at it), its notes a /P in it; the margin texts, the frames around
    the slides and the ruled lines are artifacts."""
    handout = compose(deck, per_sheet, paper, writer.measurer)
    pdf = writer.new_document(deck, deck_chars(deck, ("page of0123456789…",)), handout.width, handout.height)
    tags = writer.tags
    style = handout.style
    muted = style.margin
    total = len(handout.sheets)
    number = 0
    for sheet in handout.sheets:
        pdf.add_page()
        writer.at = Place()
        base = MARGIN + HEADER
        with tags.artifact("Pagination", "Header"):
            writer.draw_line([Run(handout.title)], MARGIN, base, HEADER, muted, None)
            if handout.date:
                date_w = writer.line_width([Run(handout.date)], HEADER, False)
                writer.draw_line([Run(handout.date)], handout.width - MARGIN - date_w, base, HEADER, muted, None)
        for slot in sheet.slots:
            number += 1
            pdf.set_y(slot.box.y)
            pdf.start_section(page_label(slot.page, number))  # the outline entry points at the slot
            scale = slot.box.w / deck.width
            sect = writer.draw_slide(slot.page, number, deck.width, deck.height, Place(slot.box.x, slot.box.y, scale))
            writer.at = Place()
            with tags.artifact():
                pdf.set_draw_color(*writer.rgb(style.frame))
                pdf.set_line_width(0.5)
                pdf.rect(slot.box.x, slot.box.y, slot.box.w, slot.box.h, style="D")
                for x0, x1, y in slot.rules:
                    pdf.set_draw_color(*writer.rgb(style.rule))
                    pdf.line(x0, y, x1, y)
            if slot.notes:
                notes = tags.elem("P", sect)
                for line in slot.notes:  # each line's end an (invisible) space: its words stay words
                    writer.draw_line([*line.runs, Run(" ")], line.x, line.baseline, line.size, style.notes, notes)
                tags.close()
        writer.at = Place()
        label = f"page {sheet.number} of {total}"
        label_w = writer.line_width([Run(label)], HEADER, False)
        with tags.artifact("Pagination", "Footer"):
            writer.draw_line([Run(label)], (handout.width - label_w) / 2, handout.height - MARGIN, HEADER, muted, None)
    target.write(writer.output())


__all__ = ["Handout", "compose", "write_handout"]
