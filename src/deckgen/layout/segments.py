"""Segments: the vertical stack of text, code and tables on a page."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from deckgen.layout.context import CELL_INSET, GAP, LINE, Context
from deckgen.layout.geometry import (
    Item,
    LitCode,
    code_height,
    code_size,
    lit_code,
    table_geometry,
    table_size,
)
from deckgen.layout.text import ParaSpec, paras_height, paras_of, text_frame
from deckgen.model.document import Code, Table
from deckgen.model.laidout import Box, CodeFrame, Frame, TableFrame


@dataclass(frozen=True)
class TextSeg:
    specs: tuple[ParaSpec, ...]


@dataclass(frozen=True)
class CodeSeg:
    code: LitCode


@dataclass(frozen=True)
class TableSeg:
    table: Table


Seg = TextSeg | CodeSeg | TableSeg


def segments_of(ctx: Context, blocks: Sequence[Item]) -> list[Seg]:
    segs: list[Seg] = []
    for block in blocks:
        if isinstance(block, LitCode | Code):
            segs.append(CodeSeg(lit_code(ctx, block) if isinstance(block, Code) else block))
        elif isinstance(block, Table):
            segs.append(TableSeg(block))
        else:
            specs = paras_of(block)
            if not specs:
                continue
            if segs and isinstance(segs[-1], TextSeg):
                segs[-1] = TextSeg(segs[-1].specs + tuple(specs))
            else:
                segs.append(TextSeg(tuple(specs)))
    return segs


def seg_height(ctx: Context, seg: Seg, width: float, size: float, limit: float = math.inf) -> float:
    """A segment's height; past ``limit`` it may stop measuring early (any value > limit)."""
    if isinstance(seg, TextSeg):
        return paras_height(ctx, seg.specs, width, size, limit)
    if isinstance(seg, CodeSeg):
        return code_height(ctx, seg.code, width, code_size(ctx.theme, size), limit)
    tsize = table_size(ctx.theme, size)
    # every row is at least one line high: a long table is known not to fit without measuring it
    lowest = len(seg.table.rows) * (tsize * LINE + 2 * CELL_INSET)
    if lowest > limit + 1e-6:
        return lowest
    return sum(table_geometry(ctx, seg.table, width, tsize)[1])


def seg_frames(
    ctx: Context, segs: Sequence[Seg], x: float, y: float, width: float, size: float
) -> list[Frame]:
    frames: list[Frame] = []
    for seg in segs:
        height = seg_height(ctx, seg, width, size)
        box = Box(x, y, width, height)
        if isinstance(seg, TextSeg):
            frames.append(text_frame(ctx, seg.specs, box, size))
        elif isinstance(seg, CodeSeg):
            frames.append(
                CodeFrame(box, seg.code.frame_lines(), code_size(ctx.theme, size), seg.code.lang, LINE)
            )
        else:
            tsize = table_size(ctx.theme, size)
            widths, heights = table_geometry(ctx, seg.table, width, tsize)
            frames.append(
                TableFrame(box, seg.table.rows, seg.table.header_rows, widths, heights, tsize, LINE)
            )
        y += height + GAP * 0.6
    return frames


def stack_height(
    ctx: Context, segs: Sequence[Seg], width: float, size: float, limit: float = math.inf
) -> float:
    """Height of the stacked segments; once past ``limit`` it stops measuring (any value > limit)."""
    if not segs:
        return 0.0
    gaps = GAP * 0.6 * (len(segs) - 1)
    total = 0.0
    for seg in segs:
        total += seg_height(ctx, seg, width, size, limit)
        if total + gaps > limit:
            break
    return total + gaps
