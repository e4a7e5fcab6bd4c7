"""One page: the title, the plan (text size, pictures below or beside), its frames."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.layout.context import GAP, INSET, LINE, Context
from deckgen.layout.geometry import Item
from deckgen.layout.pictures import Visual, arrange, visual_frame, visual_of
from deckgen.layout.segments import Seg, seg_frames, segments_of, stack_height
from deckgen.layout.text import fit_title
from deckgen.model.document import Embed, Image, Runs
from deckgen.model.laidout import Box, Frame, Para, TextFrame


@dataclass(frozen=True)
class Head:
    """Title frame and the body box below it."""

    title: TextFrame | None
    body: Box
    cut: bool = False  # the title was longer than three lines and is cut (…)


def title_head(ctx: Context, runs: Runs) -> Head:
    m = ctx.margin
    width = ctx.w - 2 * m
    logo = ctx.logo_box()
    if not runs:
        top = 24.0 if logo is None or logo.y > ctx.h / 2 else max(24.0, logo.bottom + 6)
        return Head(None, Box(m, top, width, ctx.body_bottom() - top))
    size = ctx.theme.sizes.title
    floor = max(ctx.theme.sizes.body, 24.0)
    room = ctx.beside_logo(Box(m, 18.0, width, size * LINE * 2 + 2 * INSET))
    shown, size, height = fit_title(ctx.measure, runs, room.w, size, floor)
    box = Box(room.x, 18.0, room.w, height)
    frame = TextFrame(box, (Para(shown, size, "title"),), "title", LINE)
    top = box.bottom + 10.0
    if logo is not None and logo.y < ctx.h / 2:
        top = max(top, logo.bottom + 6)
    return Head(frame, Box(m, top, width, ctx.body_bottom() - top), cut=shown is not runs)


def section_title(ctx: Context, runs: Runs) -> Placed:
    """A slide that is only a heading opens a section: its title stands large mid-slide."""
    m = ctx.margin
    width = ctx.w - 2 * m
    shown, size, height = fit_title(ctx.measure, runs, width, ctx.theme.sizes.title + 8, ctx.theme.sizes.title)
    frame = TextFrame(
        Box(m, (ctx.h - height) / 2 - 20, width, height),
        (Para(shown, size, "title"),),
        "title",
        LINE,
    )
    return Placed(frame, (), cut=shown is not runs, base=runs)


def body_sizes(ctx: Context) -> list[float]:
    s = ctx.theme.sizes
    out = []
    size = s.body
    while size >= s.minimum - 0.01:
        out.append(size)
        size -= 2
    if out[-1] > s.minimum:
        out.append(s.minimum)
    return out


@dataclass(frozen=True)
class Plan:
    """How one page is laid out, decided before any frame is built."""

    head: Head
    segs: tuple[Seg, ...]
    size: float  # body text size
    text_w: float  # width of the text column (at the body's left edge)
    visuals: tuple[tuple[Visual, Box], ...] = ()


def plan_page(ctx: Context, title: Runs, blocks: Sequence[Item]) -> Plan | None:
    """The page's plan, or None when the blocks do not fit on one page.

    Measures only (text past the page's height is not measured further), builds no frame
    and highlights no code: the page breaker asks this many times per page.
    """
    head = title_head(ctx, title)
    body = head.body
    segs = tuple(segments_of(ctx, blocks))
    visuals = [visual_of(ctx, b, body.w) for b in blocks if isinstance(b, (Image, Embed))]
    if not segs and not visuals:
        return Plan(head, (), ctx.theme.sizes.body, body.w)
    for size in body_sizes(ctx):
        if not visuals:
            if stack_height(ctx, segs, body.w, size, body.h) <= body.h:
                return Plan(head, segs, size, body.w)
            continue
        if not segs:
            boxes = arrange(ctx, visuals, body, body)
            if boxes is not None:
                return Plan(head, (), size, body.w, tuple(zip(visuals, boxes)))
            return None  # more pictures than fit: the caller splits
        options: list[tuple[float, Plan]] = []
        # text above, pictures below
        th = stack_height(ctx, segs, body.w, size, body.h)
        if th <= body.h:
            region = Box(body.x, body.y + th + GAP, body.w, body.bottom - (body.y + th + GAP))
            boxes = arrange(ctx, visuals, region, body)
            if boxes is not None:
                plan = Plan(head, segs, size, body.w, tuple(zip(visuals, boxes)))
                options.append((sum(b.w * b.h for b in boxes), plan))
        # text beside the pictures
        for share in (0.38, 0.5):
            tw = body.w * share
            th = stack_height(ctx, segs, tw, size, body.h)
            if th > body.h:
                continue
            region = Box(body.x + tw + GAP, body.y, body.w - tw - GAP, body.h)
            boxes = arrange(ctx, visuals, region, body)
            if boxes is None:
                continue
            options.append(
                (sum(b.w * b.h for b in boxes), Plan(head, segs, size, tw, tuple(zip(visuals, boxes))))
            )
        if options:
            return max(options, key=lambda o: o[0])[1]
    return None


@dataclass(frozen=True)
class Placed:
    """One laid-out page of a source slide: its title frame (None without a title) and the
    frames of its body, before the chrome (footer, number, logo) is added.

    ``base`` is the title of the part of the post the page shows (its heading, () for none)
    and ``part`` the page's place among the pages of that part (0 the first; a later one was
    measured with "(cont.)" after the title, which ``titles.py`` numbers once the count is
    known)."""

    title: TextFrame | None
    frames: tuple[Frame, ...]
    cut: bool = False  # text was cut off to keep it on the slide (see ``paginate._force``)
    base: Runs = ()
    part: int = 0


def build_page(ctx: Context, plan: Plan) -> Placed:
    """The frames of a planned page (code is highlighted here, once per page)."""
    body = plan.head.body
    frames = seg_frames(ctx, plan.segs, body.x, body.y, plan.text_w, plan.size)
    frames += [visual_frame(ctx, v, b, plan.size) for v, b in plan.visuals]
    return Placed(plan.head.title, tuple(frames), cut=plan.head.cut)


def fits(ctx: Context, title: Runs, blocks: Sequence[Item]) -> bool:
    """Whether the blocks fit on one page under ``title`` (at some allowed text size)."""
    return plan_page(ctx, title, blocks) is not None


def place(ctx: Context, title: Runs, blocks: Sequence[Item]) -> Placed | None:
    """Frames for one page, or None when the blocks do not fit on one page."""
    plan = plan_page(ctx, title, blocks)
    return None if plan is None else build_page(ctx, plan)
