"""Pagination: splitting blocks that do not fit, the greedy page breaker, one slide's pages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from itertools import groupby

from deckgen.layout.context import CODE_INSET, CONT, GAP, INSET, LINE, Context
from deckgen.layout.geometry import Item, LitCode, lit_items
from deckgen.layout.origins import title_key
from deckgen.layout.page import Placed, fits, place, section_title, title_head
from deckgen.layout.pictures import fit_visual, visual_frame, visual_of
from deckgen.layout.segments import seg_frames, segments_of
from deckgen.layout.text import fit_lines, lines_of
from deckgen.measure import count_lines
from deckgen.model.document import (
    LINE_BREAK,
    BulletList,
    Embed,
    Heading,
    Image,
    Origin,
    Paragraph,
    Quote,
    Run,
    Runs,
    Slide,
    Table,
    unit_text,
)
from deckgen.model.laidout import Box, CodeFrame, Frame, Para, TableFrame, TextFrame


def _split_block(ctx: Context, block: Item, k: int) -> tuple[Item, Item] | None:
    """The first ``k`` parts of a block and the rest, or None if it has fewer parts."""
    if isinstance(block, BulletList):
        if 0 < k < len(block.items):
            return BulletList(block.items[:k], block.line), BulletList(block.items[k:], block.line)
        return None
    if isinstance(block, Table):
        body = block.rows[block.header_rows :]
        head = block.rows[: block.header_rows]
        if 0 < k < len(body):
            return (
                Table(head + body[:k], block.header_rows, block.line),
                Table(head + body[k:], block.header_rows, block.line),
            )
        return None
    if isinstance(block, LitCode):
        if 0 < k < len(block.source):
            return block.piece(0, k), block.piece(k)
        return None
    if isinstance(block, Quote):
        if 0 < k < len(block.paragraphs):
            origins = block.origins
            return (
                Quote(block.paragraphs[:k], block.line, origins[:k]),
                Quote(block.paragraphs[k:], block.line, origins[k:]),
            )
        return None
    if isinstance(block, Paragraph):
        groups = _line_groups(ctx, block.runs)
        if 0 < k < len(groups):
            if not any(r.is_break for r in block.runs):  # one long line, cut between words
                first = _merged(tuple(r for g in groups[:k] for r in g))
                rest = _merged(tuple(r for g in groups[k:] for r in g))
                before, after = _split_origin(block.origin, first, 0)
                return Paragraph(first, block.line, before), Paragraph(rest, block.line, after)
            first, rest = _join(groups[:k]), _join(groups[k:])
            before, after = _split_origin(block.origin, first, 1)  # the line break between them is in neither
            return Paragraph(first, block.line, before), Paragraph(rest, block.line, after)
        return None
    if isinstance(block, Heading):  # a heading longer than a page (a huge word) splits like a paragraph
        groups = _line_groups(ctx, block.runs)
        if 0 < k < len(groups):
            first = _merged(tuple(r for g in groups[:k] for r in g))
            rest = _merged(tuple(r for g in groups[k:] for r in g))
            before, after = _split_origin(block.origin, first, 0)
            return Heading(block.level, first, block.line, before), Heading(block.level, rest, block.line, after)
        return None
    return None


def _split_origin(origin: Origin | None, first: Runs, gap: int) -> tuple[Origin | None, Origin | None]:
    """The origins of a text cut in two after ``first`` (``gap`` characters between the parts, a
    line break neither shows): the first shows as many characters as it has, the rest the rest."""
    if origin is None:
        return None, None
    shown = len(unit_text(first))
    rest = replace(origin, start=origin.start + shown + gap)
    return replace(origin, length=shown), rest


_WORD = re.compile(r"[^ \u200b]*[ \u200b]*")


def _line_groups(ctx: Context, runs: Runs) -> list[Runs]:
    """A paragraph's lines (between hard breaks); a single huge line is cut at words."""
    return ctx.memo.get("line_groups", runs, lambda: _cut_lines(runs))


def _cut_lines(runs: Runs) -> list[Runs]:
    groups = [tuple(g) for g in lines_of(runs) if g]
    if len(groups) > 1:
        return groups
    words: list[tuple[Run, str]] = []
    for run in runs:
        if run.is_break:
            continue
        # a word ends after its spaces or a zero-width break opportunity (see parse/cleandeck.py);
        # a longer one (CJK text has no spaces) is cut every 24 characters
        for piece in _WORD.findall(run.text):
            for i in range(0, len(piece), 24):
                words.append((run, piece[i : i + 24]))
    # bundles of about 12 words keep the pieces meaningful
    bundles: list[Runs] = []
    for i in range(0, len(words), 12):
        bundle: list[Run] = []
        for run, pieces in groupby(words[i : i + 12], key=lambda w: w[0]):
            bundle.append(replace(run, text="".join(p for _, p in pieces)))
        bundles.append(tuple(bundle))
    return bundles or groups


def _merged(runs: Runs) -> Runs:
    """Adjacent runs of one formatting joined into one (pieces of a word-cut line)."""
    out: list[Run] = []
    for _, group in groupby(
        runs, key=lambda r: (r.is_break, r.bold, r.italic, r.strike, r.code, r.link, r.color, r.token)
    ):
        pieces = list(group)
        if len(pieces) == 1 or pieces[0].is_break:
            out.extend(pieces)
        else:
            out.append(replace(pieces[0], text="".join(p.text for p in pieces)))
    return tuple(out)


def _join(groups: Sequence[Runs]) -> Runs:
    out: list[Run] = []
    for g in groups:
        if out:
            out.append(LINE_BREAK)
        out.extend(g)
    return tuple(out)


def _parts(ctx: Context, block: Item) -> int:
    if isinstance(block, BulletList):
        return len(block.items)
    if isinstance(block, Table):
        return len(block.rows) - block.header_rows
    if isinstance(block, LitCode):
        return len(block.source)
    if isinstance(block, Quote):
        return len(block.paragraphs)
    if isinstance(block, (Paragraph, Heading)):
        return len(_line_groups(ctx, block.runs))
    return 1


def _paginate(ctx: Context, title: Runs, blocks: Sequence[Item]) -> list[tuple[Runs, list[Item]]]:
    """Greedy pages: as many blocks per page as fit; split a block that fits nowhere whole."""
    pages: list[tuple[Runs, list[Item]]] = []
    queue = list(blocks)
    current: list[Item] = []

    def page_title() -> Runs:
        return _cont(title) if pages else title

    while queue:
        block = queue.pop(0)
        if fits(ctx, page_title(), current + [block]):
            current.append(block)
            continue
        head = None
        # code, tables and quotes move whole to the next page when they fit there;
        # text flows: the largest head that still fits stays on this page
        keep_whole = (
            current and isinstance(block, (LitCode, Table, Quote)) and fits(ctx, _cont(title), [block])
        )
        if not keep_whole:
            smallest = 3 if current and _parts(ctx, block) > 6 else 1  # no two-line stubs before a page break
            head = _largest_head(ctx, page_title(), current, block, smallest)
        if head is not None:
            current.append(head[0])
            queue.insert(0, head[1])
        elif current:
            queue.insert(0, block)
        else:
            current.append(block)  # fits nowhere, not even alone: placed at the smallest size
        # a heading never ends a page
        carry: list[Item] = []
        while len(current) > 1 and isinstance(current[-1], Heading):
            carry.insert(0, current.pop())
        pages.append((page_title(), current))
        current = []
        queue[0:0] = carry
    if current or not pages:
        pages.append((page_title(), current))
    return pages


def _largest_head(
    ctx: Context, title: Runs, current: list[Item], block: Item, smallest: int
) -> tuple[Item, Item] | None:
    """The split of ``block`` whose head (``k`` parts, ``smallest <= k < parts``) is the
    largest that still fits on the page after ``current``; None when none fits.

    Whether a head fits is monotone in ``k`` (fewer parts never take more room), so the
    largest ``k`` is found by doubling ``k`` from ``smallest`` until a head no longer fits,
    then bisecting: O(log k) trial pages, each measuring about one page of text.
    """

    def head_fits(k: int) -> tuple[Item, Item] | None:
        split = _split_block(ctx, block, k)
        return split if split is not None and fits(ctx, title, current + [split[0]]) else None

    top = _parts(ctx, block) - 1
    if smallest > top:
        return None
    best = head_fits(smallest)
    if best is None:
        return None
    good, bad = smallest, top + 1  # head_fits(good) holds; bad is too many (or past the end)
    step = 1
    while good + step < bad:
        split = head_fits(good + step)
        if split is None:
            bad = good + step
            break
        good, best = good + step, split
        step *= 2
    while bad - good > 1:
        mid = (good + bad) // 2
        split = head_fits(mid)
        if split is None:
            bad = mid
        else:
            good, best = mid, split
    return best


def _cont(title: Runs) -> Runs:
    if not title:
        return ()
    return tuple(title) + (Run(CONT),)


def _sections(slide: Slide, blocks: Sequence[Item]) -> list[tuple[Heading | None, list[Item]]]:
    level = slide.title_level + 1 if slide.title else 3
    out: list[tuple[Heading | None, list[Item]]] = [(None, [])]
    for block in blocks:
        if isinstance(block, Heading) and block.level <= max(level, 3):
            out.append((block, []))
        else:
            out[-1][1].append(block)
    return out


def layout_slide(ctx: Context, slide: Slide) -> list[Placed]:
    """The pages of one source slide, in order (the later ones measured with "… (cont.)" in
    their title; ``titles.py`` numbers them)."""
    own = Origin(title_key(slide)) if slide.key else None  # where the slide's title comes from
    if slide.title and not slide.blocks:
        return [_titled(section_title(ctx, slide.title), slide.title, own)]
    blocks = lit_items(ctx, slide.blocks)  # code highlighted once, before any page break
    whole = place(ctx, slide.title, blocks)
    if whole is not None:
        return [_titled(replace(whole, base=slide.title), slide.title, own)]
    # the page's title, blocks, base title, part, and where the base title comes from
    plans: list[tuple[Runs, list[Item], Runs, int, Origin | None]] = []

    def paginate(base: Runs, items: list[Item], origin: Origin | None) -> None:
        plans.extend(
            (title, page, base, part, origin) for part, (title, page) in enumerate(_paginate(ctx, base, items))
        )

    sections = _sections(slide, blocks)
    if len(sections) > 1:
        lead_heading, lead_blocks = sections[0]
        rest = sections[1:]
        if lead_blocks:
            paginate(slide.title, lead_blocks, own)
        elif rest:
            # nothing before the first sub-section: it shares the slide's title page
            heading, blocks = rest[0]
            rest = rest[1:]
            paginate(slide.title, ([heading] if heading else []) + blocks, own)
        for heading, blocks in rest:
            if heading is not None:
                paginate(heading.runs, blocks or [], heading.origin)
            else:
                paginate(slide.title, blocks or [], own)
    else:
        paginate(slide.title, blocks, own)
    return [
        _titled(replace(place(ctx, title, page) or _force(ctx, title, page), base=base, part=part), base, origin)
        for title, page, base, part, origin in plans
    ]


def _titled(placed: Placed, base: Runs, origin: Origin | None) -> Placed:
    """The page with its title marked as the post's text it shows (``base``, its heading), the
    rest of the title (`` (cont.)``, a number) being the layout's; a title cut to fit is not."""
    frame = placed.title
    if origin is None or frame is None or len(frame.paras) != 1 or not base:
        return placed
    para = frame.paras[0]
    if para.runs[: len(base)] != base:
        return placed  # cut (…) to fit: not the post's text as it is
    marked = replace(para, origin=replace(origin, length=len(unit_text(base))))
    return replace(placed, title=replace(frame, paras=(marked,)))


def _force(ctx: Context, title: Runs, blocks: Sequence[Item]) -> Placed:
    """A block that fits nowhere (a giant code line, a huge table row): smallest text, clipped box."""
    head = title_head(ctx, title)
    body = head.body
    size = ctx.theme.sizes.minimum
    segs = segments_of(ctx, blocks)
    frames = seg_frames(ctx, segs, body.x, body.y, body.w, size)
    visuals = [visual_of(ctx, b, body.w) for b in blocks if isinstance(b, (Image, Embed))]
    y = frames[-1].box.bottom + GAP if frames else body.y
    region = Box(body.x, y, body.w, max(60.0, body.bottom - y))
    for v in visuals:
        w, h = fit_visual(v, region.w, region.h)
        frames.append(visual_frame(ctx, v, Box(region.x + (region.w - w) / 2, region.y, w, h), size))
    clipped = tuple(_clipped(ctx, f, body) for f in frames)
    return Placed(head.title, clipped, cut=head.cut or any(_lost_text(f, c) for f, c in zip(frames, clipped)))


def _lost_text(before: Frame, after: Frame) -> bool:
    """Did clipping drop any of the frame's text (not only shorten its box)?"""
    match before, after:
        case CodeFrame(), CodeFrame():
            return before.lines != after.lines
        case TextFrame(), TextFrame():
            return before.paras != after.paras
        case TableFrame(), TableFrame():
            return len(before.rows) != len(after.rows)
    return False


def _clipped(ctx: Context, frame: Frame, body: Box) -> Frame:
    """The frame kept inside the body: its box shortened, and what the shorter box cannot
    hold cut off (code and text lines end with an ellipsis, table rows are dropped), so no
    writer draws past the slide."""
    b = frame.box
    top = min(b.y, body.bottom - 20.0)
    height = max(20.0, min(b.h, body.bottom - top))
    if (top, height) == (b.y, b.h):
        return frame
    box = Box(b.x, top, b.w, height)
    match frame:
        case CodeFrame():
            return replace(frame, box=box, lines=_clip_code(ctx, frame, box))
        case TextFrame():
            return replace(frame, box=box, paras=_clip_paras(ctx, frame, box))
        case TableFrame():
            keep, used = 0, 0.0
            for h in frame.row_heights:
                if keep >= max(1, frame.header_rows + 1) and used + h > box.h + 0.01:
                    break
                keep, used = keep + 1, used + h
            return replace(frame, box=box, rows=frame.rows[:keep], row_heights=frame.row_heights[:keep])
    return replace(frame, box=box)


def _clip_code(ctx: Context, frame: CodeFrame, box: Box) -> tuple[Runs, ...]:
    """The code lines that fit in ``box``; a line longer than what is left is cut (…)."""
    inner = box.w - 2 * CODE_INSET
    room = max(1, int((box.h - 2 * CODE_INSET) / (frame.size * LINE) + 1e-6))
    out: list[Runs] = []
    for line in frame.lines:
        n = count_lines(ctx.measure, line, inner, frame.size, True) if line else 1
        if n > room:
            out.append(fit_lines(ctx.measure, line, inner, frame.size, room, mono=True))
            break
        out.append(line)
        room -= n
        if room == 0:
            break
    return tuple(out)


def _clip_paras(ctx: Context, frame: TextFrame, box: Box) -> tuple[Para, ...]:
    """The paragraphs that fit in ``box``; the last one cut (…) where the box ends."""
    used = 2 * INSET
    out: list[Para] = []
    for p in frame.paras:
        inner = box.w - 2 * INSET - p.indent
        step = p.size * frame.line_spacing
        before = p.space_before if out else 0.0
        room = int((box.h - used - before) / step + 1e-6)
        if room < 1:
            break
        n = count_lines(ctx.measure, p.runs, inner, p.size)
        if n > room:
            out.append(replace(p, runs=fit_lines(ctx.measure, p.runs, inner, p.size, room)))
            break
        out.append(p)
        used += before + n * step
    return tuple(out) or frame.paras[:1]
