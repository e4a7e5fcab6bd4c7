"""Text paragraphs: the specs of a block's paragraphs, their measured height, their frame."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from deckgen.layout.context import INSET, LINE, Context
from deckgen.measure import Measurer, count_lines, text_width
from deckgen.model.document import Block, BulletList, Heading, ListItem, Origin, Paragraph, Quote, Run, Runs
from deckgen.model.laidout import Box, Para, TextFrame, list_mark

SpecKind = Literal["body", "heading", "quote"]  # the paragraph kinds a slide's blocks give


@dataclass(frozen=True)
class ParaSpec:
    runs: Runs
    kind: SpecKind
    level: int = 0
    bullet: str = ""
    gap_before: float = 0.0  # in ems of the font size
    column: str = ""  # the widest label of its list at its level: the bullet column fits it
    origin: Origin | None = None  # the post's text it shows


def paras_of(block: Block) -> list[ParaSpec]:
    if isinstance(block, Paragraph):
        return [ParaSpec(block.runs, "body", gap_before=0.45, origin=block.origin)]
    if isinstance(block, Heading):
        return [ParaSpec(block.runs, "heading", gap_before=0.5, origin=block.origin)]
    if isinstance(block, Quote):
        origins = block.origins
        return [
            ParaSpec(p, "quote", 1, gap_before=0.3 if i else 0.45, origin=origins[i] if i < len(origins) else None)
            for i, p in enumerate(block.paragraphs)
        ]
    if isinstance(block, BulletList):
        labels = [_label(item) for item in block.items]
        widest: dict[int, str] = {}
        for item, label in zip(block.items, labels):
            if len(label) > len(widest.get(item.level, "")):
                widest[item.level] = label
        return [
            ParaSpec(
                item.runs, "body", item.level + 1, label, 0.45 if i == 0 else 0.15, widest[item.level], item.origin
            )
            for i, (item, label) in enumerate(zip(block.items, labels))
        ]
    return []


def _label(item: ListItem) -> str:
    return f"{item.number}." if item.ordered else ("•" if item.level % 2 == 0 else "–")


BULLET_HANG = 0.9  # ems: the column a bullet or a short number hangs in
LABEL_GAP = 0.3  # ems at least between a label and its text


def _hang(measure: Measurer, spec: ParaSpec, size: float) -> float:
    """Width the bullet hangs out to the left of the text (0 without a bullet): at least the
    widest label of its list at its level plus a gap, so ``9.``, ``10.`` and ``100.`` align."""
    if not spec.bullet:
        return 0.0
    psize = _para_size(spec, size)
    if not spec.bullet[0].isdigit():
        return BULLET_HANG * psize  # a bullet: one character, the column is always wide enough
    widest = text_width(measure, spec.column or spec.bullet, psize) + LABEL_GAP * psize
    return max(BULLET_HANG * psize, widest)


def _para_size(spec: ParaSpec, size: float) -> float:
    return size + 4 if spec.kind == "heading" else size


def _indent(measure: Measurer, spec: ParaSpec, size: float) -> float:
    """The text's left margin: 1.1 em per level, more when a wide number column needs it."""
    extra = _hang(measure, spec, size) - BULLET_HANG * _para_size(spec, size) if spec.bullet else 0.0
    return spec.level * 1.1 * size + max(0.0, extra)


def _para_runs(spec: ParaSpec) -> Runs:
    if spec.kind == "heading":
        return tuple(replace(r, bold=True) if not r.is_break else r for r in spec.runs)
    if spec.kind == "quote":
        return tuple(replace(r, italic=True) if not r.is_break else r for r in spec.runs)
    return spec.runs


def _spec_lines(ctx: Context, spec: ParaSpec, width: float, size: float) -> int:
    """Lines of one paragraph in a text frame ``width`` wide at body size ``size``."""

    def measure() -> int:
        inner = width - 2 * INSET - _indent(ctx.measure, spec, size)
        return count_lines(ctx.measure, _para_runs(spec), inner, _para_size(spec, size))

    return ctx.memo.get("spec_lines", (ctx.measure, spec, width, size), measure)


def paras_height(
    ctx: Context, specs: Sequence[ParaSpec], width: float, size: float, limit: float = math.inf
) -> float:
    """The text frame's height; once past ``limit`` it stops measuring (any value > limit)."""
    total = 2 * INSET
    for i, spec in enumerate(specs):
        psize = _para_size(spec, size)
        lines = _spec_lines(ctx, spec, width, size)
        total += lines * psize * LINE + (spec.gap_before * psize if i else 0.0)
        if total > limit:
            return total
    return total


def text_frame(ctx: Context, specs: Sequence[ParaSpec], box: Box, size: float) -> TextFrame:
    paras = tuple(
        Para(
            _para_runs(s),
            _para_size(s, size),
            s.kind,
            s.level,
            list_mark(s.bullet),
            s.gap_before * _para_size(s, size) if i else 0.0,
            indent=_indent(ctx.measure, s, size),
            hang=_hang(ctx.measure, s, size),
            origin=s.origin,
        )
        for i, s in enumerate(specs)
    )
    return TextFrame(box, paras, "body", LINE)


def lines_of(runs: Runs) -> list[list[Run]]:
    out: list[list[Run]] = [[]]
    for r in runs:
        if r.is_break:
            out.append([])
        else:
            out[-1].append(r)
    return out


TITLE_MAX_LINES = 3  # a title longer than this is cut with an ellipsis


def fit_title(
    measure: Measurer, runs: Runs, width: float, size: float, floor: float
) -> tuple[Runs, float, float]:
    """A title's runs, size and height in a frame ``width`` wide: from ``size`` it shrinks in
    2 pt steps (not below ``floor``) until it takes two lines; past three it is cut."""
    inner = width - 2 * INSET
    lines = count_lines(measure, runs, inner, size)
    while lines > 2 and size > floor:
        size -= 2
        lines = count_lines(measure, runs, inner, size)
    if lines > TITLE_MAX_LINES:
        runs = fit_lines(measure, runs, inner, size, TITLE_MAX_LINES)
        lines = count_lines(measure, runs, inner, size)
    return runs, size, lines * size * LINE + 2 * INSET


def fit_lines(
    measure: Measurer, runs: Runs, width: float, size: float, max_lines: int, mono: bool = False
) -> Runs:
    """``runs`` cut (with an ellipsis) to at most ``max_lines`` lines ``width`` wide
    (``mono``: all in the code font)."""
    if count_lines(measure, runs, width, size, mono) <= max_lines:
        return runs

    def cut(n: int) -> Runs:
        out: list[Run] = []
        left = n
        for r in runs:
            if left <= 0:
                break
            if r.is_break:
                out.append(r)
                left -= 1
                continue
            out.append(replace(r, text=r.text[:left]))
            left -= len(r.text)
        if out and out[-1].is_break:
            out.pop()
        last = out[-1] if out else Run("")
        return (*out[:-1], replace(last, text=last.text.rstrip() + "…")) if out else (Run("…"),)

    lo, hi = 0, sum(len(r.text) for r in runs)
    while lo < hi:  # the longest cut that fits
        mid = (lo + hi + 1) // 2
        if count_lines(measure, cut(mid), width, size, mono) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return cut(lo)
