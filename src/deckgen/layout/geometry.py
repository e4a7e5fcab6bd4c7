"""Code and table geometry: sizes, the code frame's height, column widths and row heights."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from deckgen.layout.context import CELL_INSET, CODE_INSET, LINE, Context
from deckgen.layout.text import lines_of
from deckgen.measure import Measurer, count_lines, text_width
from deckgen.model.document import Block, Cell, Code, Run, Runs, Table
from deckgen.theme.schema import Theme


def code_size(theme: Theme, size: float) -> float:
    return max(theme.sizes.floor, theme.sizes.code - (theme.sizes.body - size))


def table_size(theme: Theme, size: float) -> float:
    return max(theme.sizes.floor, size - 4)


@dataclass(frozen=True)
class LitCode:
    """A code block highlighted once, before pagination: its source lines and, for each,
    its highlighted runs. Pages take slices of both, so a string or a comment that runs
    across a page break keeps its colours on the later page."""

    source: tuple[str, ...]
    lines: tuple[Runs, ...]
    lang: str  # the language's short name ("" for plain text), from the whole block
    line: int = 0

    def piece(self, start: int, stop: int | None = None) -> LitCode:
        return LitCode(self.source[start:stop], self.lines[start:stop], self.lang, self.line)

    def frame_lines(self) -> tuple[Runs, ...]:
        """The lines a code frame shows: trailing blank lines dropped (one line at least)."""
        lines = list(self.lines)
        while len(lines) > 1 and not lines[-1]:
            lines.pop()
        return tuple(lines)


Item = Block | LitCode  # what pagination moves between pages


def lit_code(ctx: Context, code: Code) -> LitCode:
    """``code`` highlighted as one piece (remembered: a block is highlighted once)."""

    def make() -> LitCode:
        from deckgen.highlight import highlight, language_name  # Pygments: only a deck with code loads it

        source = tuple(code.text.split("\n"))
        runs = highlight(code.text, code.lang, ctx.theme.code_style)[: len(source)]
        lines = runs + ((),) * (len(source) - len(runs))
        return LitCode(source, lines, language_name(code.text, code.lang), code.line)

    return ctx.memo.get("lit_code", (code, ctx.theme.code_style), make)


def lit_items(ctx: Context, blocks: Sequence[Item]) -> list[Item]:
    """The blocks with every code block highlighted (before pagination splits it)."""
    return [lit_code(ctx, b) if isinstance(b, Code) else b for b in blocks]


def code_height(ctx: Context, code: LitCode, width: float, size: float, limit: float = math.inf) -> float:
    """The code frame's height; once past ``limit`` it stops measuring (any value > limit)."""
    inner = width - 2 * CODE_INSET
    lines = 0
    for line in code.source:
        if line:
            lines += count_lines(
                ctx.measure, (Run(line.replace("\t", "    "), code=True),), inner, size, True
            )
        else:
            lines += 1
        if lines * size * LINE + 2 * CODE_INSET > limit:
            break
    return lines * size * LINE + 2 * CODE_INSET


def cell_widths(ctx: Context, cell: Cell, size: float) -> tuple[float, float]:
    """A cell's widest line and its longest word at ``size`` (remembered in the memo)."""
    return ctx.memo.get(
        "cell_widths", (ctx.measure, cell, size), lambda: _cell_widths(ctx.measure, cell, size)
    )


def _cell_widths(measure: Measurer, cell: Cell, size: float) -> tuple[float, float]:
    """A cell's widest line and its longest word at ``size`` (for the column widths)."""
    natural = longest = 0.0
    bold = cell.header
    for group in lines_of(cell.runs):
        natural = max(natural, sum(text_width(measure, r.text, size, bold or r.bold, r.code) for r in group))
        for r in group:
            for word in r.text.split():
                longest = max(longest, text_width(measure, word, size, bold or r.bold, r.code))
    return natural, longest


def table_geometry(
    ctx: Context, table: Table, width: float, size: float
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    cols = max(1, table.columns)
    natural = [0.0] * cols
    longest = [0.0] * cols
    for row in table.rows:
        col = 0
        for cell in row:
            if cell.colspan == 1 and col < cols:
                cell_natural, cell_longest = cell_widths(ctx, cell, size)
                natural[col] = max(natural[col], cell_natural)
                longest[col] = max(longest[col], cell_longest)
            col += cell.colspan
    pad = 2 * CELL_INSET + 2
    natural = [n + pad for n in natural]
    floor = [min(lw + pad, width / cols) for lw in longest]
    total = sum(natural)
    if total <= width:
        widths = [n + (width - total) * (n / total if total else 1 / cols) for n in natural]
    else:
        base = sum(floor)
        spare = max(0.0, width - base)
        want = [max(0.0, n - f) for n, f in zip(natural, floor)]
        wsum = sum(want) or 1.0
        widths = [f + spare * w / wsum for f, w in zip(floor, want)]
        scale = width / sum(widths)
        widths = [w * scale for w in widths]
    heights = []
    for row in table.rows:
        col = 0
        tallest = 1
        for cell in row:
            span = sum(widths[col : col + cell.colspan]) if col < cols else widths[-1]
            runs = tuple(replace(r, bold=True) if cell.header and not r.is_break else r for r in cell.runs)
            lines = count_lines(ctx.measure, runs, span - 2 * CELL_INSET, size) if runs else 1
            tallest = max(tallest, lines)
            col += cell.colspan
        heights.append(tallest * size * LINE + 2 * CELL_INSET)
    return tuple(widths), tuple(heights)
