"""Layout: every decision about what goes on which page, where, and how big.

Pure: a ``Deck`` (with assets attached) and a ``Theme`` in, a ``LaidDeck`` out; the text
measurer is passed in. Both writers translate the result without deciding anything.

The rules, in the order they are tried for each source slide:

1. the whole slide on one page, body text at the theme's size, shrinking step by step
   to the theme's minimum;
2. else one page per ``###`` sub-section (titled by its heading);
3. else pages filled block by block; a block that does not fit is split between list
   items, table rows (header repeated), code lines, or the lines of a paragraph.

Pictures: a page with text and pictures tries "pictures below the text" and "pictures
beside the text" and keeps whichever gives the pictures more area; a picture must stay
large enough to read (or it moves to a page of its own). Pictures are never enlarged past
twice their pixel size, and width hints (``50%``, ``600``) cap their width.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import groupby

from deckgen.highlight import highlight, language_name
from deckgen.layout_style import style_deck
from deckgen.measure import Measurer, count_lines, text_width
from deckgen.model import (
    LINE_BREAK,
    Asset,
    Badge,
    Block,
    Box,
    BulletList,
    Cell,
    Code,
    CodeFrame,
    Deck,
    Embed,
    EmbedFrame,
    Frame,
    Heading,
    Image,
    LaidDeck,
    ListItem,
    Page,
    Para,
    Paragraph,
    PictureFrame,
    PlaceholderFrame,
    Quote,
    Run,
    Runs,
    Slide,
    Table,
    TableFrame,
    TextFrame,
    list_mark,
    plain_text,
)
from deckgen.theme import Theme
from deckgen.urlpolicy import is_web_url

LINE = 1.2  # line height as a multiple of the font size, in both decks
INSET = 3.6  # text frame inner margin (points), as written into the .pptx and the CSS
CELL_INSET = 3.6
CODE_INSET = 7.2
GAP = 14.0
PX = 0.75  # one CSS pixel in points
CONT = " (cont.)"
SINGLE_MIN_SHARE = 0.35  # of the slide area, for a lone picture
GRID_MIN_SHARE = 0.12  # of the slide area, per picture when several share a page
PLACEHOLDER_SIZE = (432.0, 150.0)


@dataclass(frozen=True)
class Context:
    theme: Theme
    measure: Measurer
    logo: Asset | None = None

    @property
    def w(self) -> float:
        return self.theme.width

    @property
    def h(self) -> float:
        return self.theme.height

    @property
    def margin(self) -> float:
        return 0.05 * self.w

    @property
    def has_footer(self) -> bool:
        return bool(self.theme.footer) or self.theme.slide_numbers

    def logo_box(self) -> Box | None:
        """Where the theme's logo sits (36 pt high, in its corner), or None."""
        if self.logo is None or not self.logo.ok:
            return None
        h = 36.0
        w = h * self.logo.width / max(1, self.logo.height)
        corner = self.theme.logo_corner
        x = self.w - w - 10 if corner.endswith("right") else 10.0
        y = 6.0 if corner.startswith("top") else self.h - h - 4
        return Box(x, y, w, h)

    def beside_logo(self, box: Box) -> Box:
        """``box`` shortened on the logo's side so that the two never overlap."""
        logo = self.logo_box()
        if logo is None or logo.bottom <= box.y or logo.y >= box.bottom:
            return box
        gap = 8.0
        if logo.x + logo.w / 2 > self.w / 2:  # logo on the right
            right = min(box.right, logo.x - gap)
            return Box(box.x, box.y, max(40.0, right - box.x), box.h)
        left = max(box.x, logo.right + gap)
        return Box(left, box.y, max(40.0, box.right - left), box.h)

    def body_bottom(self) -> float:
        return self.h - (36.0 if self.has_footer else 20.0)


# ---------------------------------------------------------------------------
# text paragraphs


@dataclass(frozen=True)
class _ParaSpec:
    runs: Runs
    kind: str  # body | heading | quote
    level: int = 0
    bullet: str = ""
    gap_before: float = 0.0  # in ems of the font size
    column: str = ""  # the widest label of its list at its level: the bullet column fits it


def _paras_of(block: Block) -> list[_ParaSpec]:
    if isinstance(block, Paragraph):
        return [_ParaSpec(block.runs, "body", gap_before=0.45)]
    if isinstance(block, Heading):
        return [_ParaSpec(block.runs, "heading", gap_before=0.5)]
    if isinstance(block, Quote):
        return [
            _ParaSpec(p, "quote", 1, gap_before=0.3 if i else 0.45) for i, p in enumerate(block.paragraphs)
        ]
    if isinstance(block, BulletList):
        labels = [_label(item) for item in block.items]
        widest: dict[int, str] = {}
        for item, label in zip(block.items, labels):
            if len(label) > len(widest.get(item.level, "")):
                widest[item.level] = label
        return [
            _ParaSpec(item.runs, "body", item.level + 1, label, 0.45 if i == 0 else 0.15, widest[item.level])
            for i, (item, label) in enumerate(zip(block.items, labels))
        ]
    return []


def _label(item: ListItem) -> str:
    return f"{item.number}." if item.ordered else ("•" if item.level % 2 == 0 else "–")


BULLET_HANG = 0.9  # ems: the column a bullet or a short number hangs in
LABEL_GAP = 0.3  # ems at least between a label and its text


def _hang(measure: Measurer, spec: _ParaSpec, size: float) -> float:
    """Width the bullet hangs out to the left of the text (0 without a bullet): at least the
    widest label of its list at its level plus a gap, so ``9.``, ``10.`` and ``100.`` align."""
    if not spec.bullet:
        return 0.0
    psize = _para_size(spec, size)
    if not spec.bullet[0].isdigit():
        return BULLET_HANG * psize  # a bullet: one character, the column is always wide enough
    widest = text_width(measure, spec.column or spec.bullet, psize) + LABEL_GAP * psize
    return max(BULLET_HANG * psize, widest)


def _para_size(spec: _ParaSpec, size: float) -> float:
    return size + 4 if spec.kind == "heading" else size


def _indent(measure: Measurer, spec: _ParaSpec, size: float) -> float:
    """The text's left margin: 1.1 em per level, more when a wide number column needs it."""
    extra = _hang(measure, spec, size) - BULLET_HANG * _para_size(spec, size) if spec.bullet else 0.0
    return spec.level * 1.1 * size + max(0.0, extra)


def _para_runs(spec: _ParaSpec) -> Runs:
    if spec.kind == "heading":
        return tuple(replace(r, bold=True) if not r.is_break else r for r in spec.runs)
    if spec.kind == "quote":
        return tuple(replace(r, italic=True) if not r.is_break else r for r in spec.runs)
    return spec.runs


@lru_cache(maxsize=1 << 16)
def _spec_lines(measure: Measurer, spec: _ParaSpec, width: float, size: float) -> int:
    """Lines of one paragraph in a text frame ``width`` wide at body size ``size``."""
    inner = width - 2 * INSET - _indent(measure, spec, size)
    return count_lines(measure, _para_runs(spec), inner, _para_size(spec, size))


def _paras_height(
    ctx: Context, specs: Sequence[_ParaSpec], width: float, size: float, limit: float = math.inf
) -> float:
    """The text frame's height; once past ``limit`` it stops measuring (any value > limit)."""
    total = 2 * INSET
    for i, spec in enumerate(specs):
        psize = _para_size(spec, size)
        lines = _spec_lines(ctx.measure, spec, width, size)
        total += lines * psize * LINE + (spec.gap_before * psize if i else 0.0)
        if total > limit:
            return total
    return total


def _text_frame(ctx: Context, specs: Sequence[_ParaSpec], box: Box, size: float) -> TextFrame:
    paras = tuple(
        Para(
            _para_runs(s),
            _para_size(s, size),
            s.kind if s.kind in ("heading", "quote") else "body",  # type: ignore[arg-type]
            s.level,
            list_mark(s.bullet),
            s.gap_before * _para_size(s, size) if i else 0.0,
            indent=_indent(ctx.measure, s, size),
            hang=_hang(ctx.measure, s, size),
            color=para_color(ctx.theme, s.kind, "body"),
        )
        for i, s in enumerate(specs)
    )
    return TextFrame(box, paras, "body", LINE)


def para_color(theme: Theme, kind: str, role: str) -> str:
    """A paragraph's text color (``RRGGBB``) by its kind and its frame's role."""
    c = theme.colors
    if role == "title" or kind in ("heading", "title"):
        return c.heading
    if kind == "meta" or role in ("footer", "number"):
        return c.muted
    return c.text


# ---------------------------------------------------------------------------
# segments: the vertical stack of text, code and tables on a page


@dataclass(frozen=True)
class _TextSeg:
    specs: tuple[_ParaSpec, ...]


@dataclass(frozen=True)
class _CodeSeg:
    code: Code


@dataclass(frozen=True)
class _TableSeg:
    table: Table


_Seg = _TextSeg | _CodeSeg | _TableSeg


def _segments(blocks: Sequence[Block]) -> list[_Seg]:
    segs: list[_Seg] = []
    for block in blocks:
        if isinstance(block, Code):
            segs.append(_CodeSeg(block))
        elif isinstance(block, Table):
            segs.append(_TableSeg(block))
        else:
            specs = _paras_of(block)
            if not specs:
                continue
            if segs and isinstance(segs[-1], _TextSeg):
                segs[-1] = _TextSeg(segs[-1].specs + tuple(specs))
            else:
                segs.append(_TextSeg(tuple(specs)))
    return segs


def code_size(theme: Theme, size: float) -> float:
    return max(theme.sizes.floor, theme.sizes.code - (theme.sizes.body - size))


def table_size(theme: Theme, size: float) -> float:
    return max(theme.sizes.floor, size - 4)


def _code_lines(ctx: Context, code: Code) -> tuple[Runs, ...]:
    return highlight(code.text, code.lang, ctx.theme.code_style)


def _code_height(ctx: Context, code: Code, width: float, size: float, limit: float = math.inf) -> float:
    """The code frame's height; once past ``limit`` it stops measuring (any value > limit)."""
    inner = width - 2 * CODE_INSET
    lines = 0
    for line in code.text.split("\n"):
        if line:
            lines += count_lines(
                ctx.measure, (Run(line.replace("\t", "    "), code=True),), inner, size, True
            )
        else:
            lines += 1
        if lines * size * LINE + 2 * CODE_INSET > limit:
            break
    return lines * size * LINE + 2 * CODE_INSET


@lru_cache(maxsize=1 << 15)
def _cell_widths(measure: Measurer, cell: Cell, size: float) -> tuple[float, float]:
    """A cell's widest line and its longest word at ``size`` (for the column widths)."""
    natural = longest = 0.0
    bold = cell.header
    for group in _lines_of(cell.runs):
        natural = max(natural, sum(text_width(measure, r.text, size, bold or r.bold, r.code) for r in group))
        for r in group:
            for word in r.text.split():
                longest = max(longest, text_width(measure, word, size, bold or r.bold, r.code))
    return natural, longest


def _table_geometry(
    ctx: Context, table: Table, width: float, size: float
) -> tuple[tuple[float, ...], tuple[float, ...]]:
    cols = max(1, table.columns)
    natural = [0.0] * cols
    longest = [0.0] * cols
    for row in table.rows:
        col = 0
        for cell in row:
            if cell.colspan == 1 and col < cols:
                cell_natural, cell_longest = _cell_widths(ctx.measure, cell, size)
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


def _lines_of(runs: Runs) -> list[list[Run]]:
    out: list[list[Run]] = [[]]
    for r in runs:
        if r.is_break:
            out.append([])
        else:
            out[-1].append(r)
    return out


def _seg_height(ctx: Context, seg: _Seg, width: float, size: float, limit: float = math.inf) -> float:
    """A segment's height; past ``limit`` it may stop measuring early (any value > limit)."""
    if isinstance(seg, _TextSeg):
        return _paras_height(ctx, seg.specs, width, size, limit)
    if isinstance(seg, _CodeSeg):
        return _code_height(ctx, seg.code, width, code_size(ctx.theme, size), limit)
    tsize = table_size(ctx.theme, size)
    # every row is at least one line high: a long table is known not to fit without measuring it
    lowest = len(seg.table.rows) * (tsize * LINE + 2 * CELL_INSET)
    if lowest > limit + 1e-6:
        return lowest
    return sum(_table_geometry(ctx, seg.table, width, tsize)[1])


def _seg_frames(
    ctx: Context, segs: Sequence[_Seg], x: float, y: float, width: float, size: float
) -> list[Frame]:
    frames: list[Frame] = []
    for seg in segs:
        height = _seg_height(ctx, seg, width, size)
        box = Box(x, y, width, height)
        if isinstance(seg, _TextSeg):
            frames.append(_text_frame(ctx, seg.specs, box, size))
        elif isinstance(seg, _CodeSeg):
            frames.append(
                CodeFrame(
                    box,
                    _code_lines(ctx, seg.code),
                    code_size(ctx.theme, size),
                    language_name(seg.code.text, seg.code.lang),
                    LINE,
                )
            )
        else:
            tsize = table_size(ctx.theme, size)
            widths, heights = _table_geometry(ctx, seg.table, width, tsize)
            frames.append(
                TableFrame(box, seg.table.rows, seg.table.header_rows, widths, heights, tsize, LINE)
            )
        y += height + GAP * 0.6
    return frames


def _stack_height(
    ctx: Context, segs: Sequence[_Seg], width: float, size: float, limit: float = math.inf
) -> float:
    """Height of the stacked segments; once past ``limit`` it stops measuring (any value > limit)."""
    if not segs:
        return 0.0
    gaps = GAP * 0.6 * (len(segs) - 1)
    total = 0.0
    for seg in segs:
        total += _seg_height(ctx, seg, width, size, limit)
        if total + gaps > limit:
            break
    return total + gaps


# ---------------------------------------------------------------------------
# pictures


@dataclass(frozen=True)
class _Visual:
    block: Image | Embed
    aspect: float  # width / height
    max_w: float
    max_h: float
    placeholder: bool = False


_WIDTH_HINT = re.compile(r"(\d+(?:\.\d*)?|\.\d+)\s*(%|px)?", re.IGNORECASE)


def width_hint(hint: str | None, body_w: float) -> float | None:
    """The widest a picture may be (points) by its ``width`` attribute: a positive number of
    pixels (``600``, ``600px``) or a positive percentage of the body width (``50%``); any
    other hint (``-50``, ``0``, ``abc``) is ignored (None)."""
    m = _WIDTH_HINT.fullmatch((hint or "").strip())
    if m is None:
        return None
    value = float(m.group(1))
    if not value > 0 or not math.isfinite(value):
        return None
    return body_w * value / 100 if m.group(2) == "%" else value * PX


def _aspect(width: float, height: float, default: float) -> float:
    return width / height if width > 0 and height > 0 else default


def _visual(ctx: Context, block: Image | Embed, body_w: float) -> _Visual:
    big = 10_000.0
    if isinstance(block, Image):
        asset = block.asset
        if asset is None or not asset.ok:
            return _Visual(block, PLACEHOLDER_SIZE[0] / PLACEHOLDER_SIZE[1], *PLACEHOLDER_SIZE, True)
        sw = asset.source_width or asset.width
        sh = asset.source_height or asset.height
        aspect = _aspect(asset.width, max(1, asset.height), 4 / 3)
        max_w = 2 * sw * PX if sw > 0 else big
        max_h = 2 * sh * PX if sh > 0 else big
        hinted = width_hint(block.width_hint, body_w)
        if hinted is not None:
            max_w = min(max_w, hinted)
        max_h = min(max_h, max_w / aspect)
        return _Visual(block, aspect, max_w, max_h)
    # embeds: a video or a page shown at its declared shape, else 16:9; a linked box in the
    # .pptx (the poster, else a placeholder) and live in HTML
    aspect = _aspect(block.width, block.height, 16 / 9)
    poster = block.poster
    has_poster = poster is not None and poster.ok
    if poster is not None and has_poster:
        aspect = _aspect(poster.width, max(1, poster.height), aspect)
    return _Visual(block, aspect, big, big, placeholder=not has_poster)


def _fit(v: _Visual, w: float, h: float) -> tuple[float, float]:
    w = min(w, v.max_w)
    h = min(h, v.max_h)
    if w / max(h, 1e-6) > v.aspect:
        w = h * v.aspect
    else:
        h = w / v.aspect
    return w, h


def _needed_area(ctx: Context, v: _Visual, region_w: float, region_h: float, alone: bool) -> float:
    """The area below which a picture is too small to read here."""
    best_w, best_h = _fit(v, region_w, region_h)
    share = SINGLE_MIN_SHARE if alone else GRID_MIN_SHARE
    if v.placeholder and isinstance(v.block, Image):
        return min(best_w * best_h, 300 * 104)
    return min(best_w * best_h, share * ctx.w * ctx.h) * 0.999


def _arrange(ctx: Context, visuals: Sequence[_Visual], region: Box, full: Box) -> list[Box] | None:
    """Boxes for the visuals inside ``region`` (best grid), or None when too small to read."""
    n = len(visuals)
    if n == 0:
        return []
    if region.w < 80 or region.h < 60:
        return None
    best: tuple[float, list[Box]] | None = None
    for rows in range(1, n + 1):
        per_row = math.ceil(n / rows)
        groups = [list(visuals[i : i + per_row]) for i in range(0, n, per_row)]
        if len(groups) != rows:
            continue
        row_h = (region.h - GAP * (rows - 1)) / rows
        boxes: list[Box] = []
        sizes_rows = []
        for group in groups:
            avail_w = region.w - GAP * (len(group) - 1)
            aspects = sum(v.aspect for v in group)
            h = min(row_h, avail_w / aspects)
            sizes = [_fit(v, h * v.aspect, h) for v in group]
            sizes_rows.append(sizes)
        used_h = sum(max(s[1] for s in sizes) for sizes in sizes_rows) + GAP * (rows - 1)
        y = region.y + max(0.0, (region.h - used_h) / 2) if n > 1 else region.y
        for sizes in sizes_rows:
            row_w = sum(s[0] for s in sizes) + GAP * (len(sizes) - 1)
            x = region.x + (region.w - row_w) / 2
            tallest = max(s[1] for s in sizes)
            for w, h in sizes:
                boxes.append(Box(x, y + (tallest - h) / 2, w, h))
                x += w + GAP
            y += tallest + GAP
        ok = all(b.w * b.h >= _needed_area(ctx, v, full.w, full.h, n == 1) for b, v in zip(boxes, visuals))
        if not ok:
            continue
        area = sum(b.w * b.h for b in boxes)
        if best is None or area > best[0] + 1:
            best = (area, boxes)
    return best[1] if best else None


def _on_slide(ctx: Context, box: Box) -> Box:
    """``box`` kept on the slide: never wider or taller than it (shrunk keeping its shape),
    never past its edges, never empty."""
    w, h = max(box.w, 1.0), max(box.h, 1.0)
    scale = min(1.0, ctx.w / w, ctx.h / h)
    if scale < 1.0:
        w, h = w * scale, h * scale
    x = min(max(box.x, 0.0), ctx.w - w)
    y = min(max(box.y, 0.0), ctx.h - h)
    return box if (x, y, w, h) == (box.x, box.y, box.w, box.h) else Box(x, y, w, h)


def play_badge(box: Box) -> Box:
    """The play symbol drawn on a video's poster: a square of 22 % of its shorter side, centred."""
    side = min(box.w, box.h) * 0.22
    return Box(box.x + (box.w - side) / 2, box.y + (box.h - side) / 2, side, side)


def _visual_frame(ctx: Context, v: _Visual, box: Box, size: float) -> Frame:
    box = _on_slide(ctx, box)
    block = v.block
    if isinstance(block, Image):
        if block.asset is None or not block.asset.ok:
            reason = block.asset.reason if block.asset else "not downloaded"
            what = f"Image unavailable ({block.alt.strip()})" if block.alt.strip() else "Image unavailable"
            return PlaceholderFrame(
                box,
                block.url,
                f"{what}: {reason}",
                max(14.0, min(18.0, size - 4)),
                _shorten(block.url, 90),
                block.url if is_web_url(block.url) else "",
            )
        return PictureFrame(box, block.asset, block.link, block.alt)
    # embeds
    poster = block.poster
    if poster is not None and poster.ok:
        alt = (
            block.title.strip()
            or {"youtube": "YouTube video", "video": "Video", "iframe": "Embedded page"}[block.kind]
        )
        fallback: PictureFrame | PlaceholderFrame = PictureFrame(
            box, poster, block.url, alt, play_badge=Badge(play_badge(box))
        )
    else:
        what = {"youtube": "Video", "video": "Video", "iframe": "Embedded page"}[block.kind]
        label = f"{what}: {block.title}" if block.title else what
        fallback = PlaceholderFrame(
            box,
            block.url,
            label,
            max(14.0, min(18.0, size - 4)),
            _shorten(block.url, 90),
            block.url if is_web_url(block.url) else "",
        )
    return EmbedFrame(box, block, fallback, Badge(play_badge(box)))


# ---------------------------------------------------------------------------
# one page


@dataclass(frozen=True)
class _Frame0:
    """Title frame and the body box below it."""

    title: TextFrame | None
    body: Box


TITLE_MAX_LINES = 3  # a title longer than this is cut with an ellipsis


def fit_lines(measure: Measurer, runs: Runs, width: float, size: float, max_lines: int) -> Runs:
    """``runs`` cut (with an ellipsis) to at most ``max_lines`` lines ``width`` wide."""
    if count_lines(measure, runs, width, size) <= max_lines:
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
        if count_lines(measure, cut(mid), width, size) <= max_lines:
            lo = mid
        else:
            hi = mid - 1
    return cut(lo)


def _title_frame(ctx: Context, runs: Runs) -> _Frame0:
    m = ctx.margin
    width = ctx.w - 2 * m
    logo = ctx.logo_box()
    if not runs:
        top = 24.0 if logo is None or logo.y > ctx.h / 2 else max(24.0, logo.bottom + 6)
        return _Frame0(None, Box(m, top, width, ctx.body_bottom() - top))
    size = ctx.theme.sizes.title
    floor = max(ctx.theme.sizes.body, 24.0)
    room = ctx.beside_logo(Box(m, 18.0, width, size * LINE * 2 + 2 * INSET))
    lines = count_lines(ctx.measure, runs, room.w - 2 * INSET, size)
    while lines > 2 and size > floor:
        size -= 2
        lines = count_lines(ctx.measure, runs, room.w - 2 * INSET, size)
    if lines > TITLE_MAX_LINES:
        runs = fit_lines(ctx.measure, runs, room.w - 2 * INSET, size, TITLE_MAX_LINES)
        lines = count_lines(ctx.measure, runs, room.w - 2 * INSET, size)
    height = lines * size * LINE + 2 * INSET
    box = Box(room.x, 18.0, room.w, height)
    heading = ctx.theme.colors.heading
    frame = TextFrame(box, (Para(runs, size, "title", color=heading),), "title", LINE)
    top = box.bottom + 10.0
    if logo is not None and logo.y < ctx.h / 2:
        top = max(top, logo.bottom + 6)
    return _Frame0(frame, Box(m, top, width, ctx.body_bottom() - top))


def _section_title(ctx: Context, runs: Runs) -> TextFrame:
    """A slide that is only a heading opens a section: its title stands large mid-slide."""
    m = ctx.margin
    width = ctx.w - 2 * m
    size = ctx.theme.sizes.title + 8
    lines = count_lines(ctx.measure, runs, width - 2 * INSET, size)
    while lines > 2 and size > ctx.theme.sizes.title:
        size -= 2
        lines = count_lines(ctx.measure, runs, width - 2 * INSET, size)
    if lines > TITLE_MAX_LINES:
        runs = fit_lines(ctx.measure, runs, width - 2 * INSET, size, TITLE_MAX_LINES)
        lines = count_lines(ctx.measure, runs, width - 2 * INSET, size)
    height = lines * size * LINE + 2 * INSET
    return TextFrame(
        Box(m, (ctx.h - height) / 2 - 20, width, height),
        (Para(runs, size, "title", color=ctx.theme.colors.heading),),
        "title",
        LINE,
    )


def _sizes(ctx: Context) -> list[float]:
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
class _Plan:
    """How one page is laid out, decided before any frame is built."""

    head: _Frame0
    segs: tuple[_Seg, ...]
    size: float  # body text size
    text_w: float  # width of the text column (at the body's left edge)
    visuals: tuple[tuple[_Visual, Box], ...] = ()


def _plan(ctx: Context, title: Runs, blocks: Sequence[Block]) -> _Plan | None:
    """The page's plan, or None when the blocks do not fit on one page.

    Measures only (text past the page's height is not measured further), builds no frame
    and highlights no code: the page breaker asks this many times per page.
    """
    head = _title_frame(ctx, title)
    body = head.body
    segs = tuple(_segments(blocks))
    visuals = [_visual(ctx, b, body.w) for b in blocks if isinstance(b, (Image, Embed))]
    if not segs and not visuals:
        return _Plan(head, (), ctx.theme.sizes.body, body.w)
    for size in _sizes(ctx):
        if not visuals:
            if _stack_height(ctx, segs, body.w, size, body.h) <= body.h:
                return _Plan(head, segs, size, body.w)
            continue
        if not segs:
            boxes = _arrange(ctx, visuals, body, body)
            if boxes is not None:
                return _Plan(head, (), size, body.w, tuple(zip(visuals, boxes)))
            return None  # more pictures than fit: the caller splits
        options: list[tuple[float, _Plan]] = []
        # text above, pictures below
        th = _stack_height(ctx, segs, body.w, size, body.h)
        if th <= body.h:
            region = Box(body.x, body.y + th + GAP, body.w, body.bottom - (body.y + th + GAP))
            boxes = _arrange(ctx, visuals, region, body)
            if boxes is not None:
                plan = _Plan(head, segs, size, body.w, tuple(zip(visuals, boxes)))
                options.append((sum(b.w * b.h for b in boxes), plan))
        # text beside the pictures
        for share in (0.38, 0.5):
            tw = body.w * share
            th = _stack_height(ctx, segs, tw, size, body.h)
            if th > body.h:
                continue
            region = Box(body.x + tw + GAP, body.y, body.w - tw - GAP, body.h)
            boxes = _arrange(ctx, visuals, region, body)
            if boxes is None:
                continue
            options.append(
                (sum(b.w * b.h for b in boxes), _Plan(head, segs, size, tw, tuple(zip(visuals, boxes))))
            )
        if options:
            return max(options, key=lambda o: o[0])[1]
    return None


def _build(ctx: Context, plan: _Plan) -> tuple[TextFrame | None, list[Frame]]:
    """The frames of a planned page (code is highlighted here, once per page)."""
    body = plan.head.body
    frames = _seg_frames(ctx, plan.segs, body.x, body.y, plan.text_w, plan.size)
    frames += [_visual_frame(ctx, v, b, plan.size) for v, b in plan.visuals]
    return plan.head.title, frames


def fits(ctx: Context, title: Runs, blocks: Sequence[Block]) -> bool:
    """Whether the blocks fit on one page under ``title`` (at some allowed text size)."""
    return _plan(ctx, title, blocks) is not None


def place(ctx: Context, title: Runs, blocks: Sequence[Block]) -> tuple[TextFrame | None, list[Frame]] | None:
    """Frames for one page, or None when the blocks do not fit on one page."""
    plan = _plan(ctx, title, blocks)
    return None if plan is None else _build(ctx, plan)


# ---------------------------------------------------------------------------
# splitting blocks that do not fit


def _split_block(block: Block, k: int) -> tuple[Block, Block] | None:
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
    if isinstance(block, Code):
        lines = block.text.split("\n")
        if 0 < k < len(lines):
            return (
                Code("\n".join(lines[:k]), block.lang, block.line),
                Code("\n".join(lines[k:]), block.lang, block.line),
            )
        return None
    if isinstance(block, Quote):
        if 0 < k < len(block.paragraphs):
            return Quote(block.paragraphs[:k], block.line), Quote(block.paragraphs[k:], block.line)
        return None
    if isinstance(block, Paragraph):
        groups = _line_groups(block.runs)
        if 0 < k < len(groups):
            if not any(r.is_break for r in block.runs):  # one long line, cut between words
                first = _merged(tuple(r for g in groups[:k] for r in g))
                rest = _merged(tuple(r for g in groups[k:] for r in g))
                return Paragraph(first, block.line), Paragraph(rest, block.line)
            return (Paragraph(_join(groups[:k]), block.line), Paragraph(_join(groups[k:]), block.line))
        return None
    if isinstance(block, Heading):  # a heading longer than a page (a huge word) splits like a paragraph
        groups = _line_groups(block.runs)
        if 0 < k < len(groups):
            first = _merged(tuple(r for g in groups[:k] for r in g))
            rest = _merged(tuple(r for g in groups[k:] for r in g))
            return Heading(block.level, first, block.line), Heading(block.level, rest, block.line)
        return None
    return None


_WORD = re.compile(r"[^ \u200b]*[ \u200b]*")


@lru_cache(maxsize=256)
def _line_groups(runs: Runs) -> list[Runs]:
    """A paragraph's lines (between hard breaks); a single huge line is cut at words."""
    groups = [tuple(g) for g in _lines_of(runs) if g]
    if len(groups) > 1:
        return groups
    words: list[tuple[Run, str]] = []
    for run in runs:
        if run.is_break:
            continue
        # a word ends after its spaces or a zero-width break opportunity (see untrusted.py);
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
    for _, group in groupby(runs, key=lambda r: (r.is_break, r.bold, r.italic, r.strike, r.code, r.link, r.color, r.token)):
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


def _parts(block: Block) -> int:
    if isinstance(block, BulletList):
        return len(block.items)
    if isinstance(block, Table):
        return len(block.rows) - block.header_rows
    if isinstance(block, Code):
        return len(block.text.split("\n"))
    if isinstance(block, Quote):
        return len(block.paragraphs)
    if isinstance(block, (Paragraph, Heading)):
        return len(_line_groups(block.runs))
    return 1


def _paginate(ctx: Context, title: Runs, blocks: Sequence[Block]) -> list[tuple[Runs, list[Block]]]:
    """Greedy pages: as many blocks per page as fit; split a block that fits nowhere whole."""
    pages: list[tuple[Runs, list[Block]]] = []
    queue = list(blocks)
    current: list[Block] = []

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
        keep_whole = current and isinstance(block, (Code, Table, Quote)) and fits(ctx, _cont(title), [block])
        if not keep_whole:
            smallest = 3 if current and _parts(block) > 6 else 1  # no two-line stubs before a page break
            head = _largest_head(ctx, page_title(), current, block, smallest)
        if head is not None:
            current.append(head[0])
            queue.insert(0, head[1])
        elif current:
            queue.insert(0, block)
        else:
            current.append(block)  # fits nowhere, not even alone: placed at the smallest size
        # a heading never ends a page
        carry: list[Block] = []
        while len(current) > 1 and isinstance(current[-1], Heading):
            carry.insert(0, current.pop())
        pages.append((page_title(), current))
        current = []
        queue[0:0] = carry
    if current or not pages:
        pages.append((page_title(), current))
    return pages


def _largest_head(
    ctx: Context, title: Runs, current: list[Block], block: Block, smallest: int
) -> tuple[Block, Block] | None:
    """The split of ``block`` whose head (``k`` parts, ``smallest <= k < parts``) is the
    largest that still fits on the page after ``current``; None when none fits.

    Whether a head fits is monotone in ``k`` (fewer parts never take more room), so the
    largest ``k`` is found by doubling ``k`` from ``smallest`` until a head no longer fits,
    then bisecting: O(log k) trial pages, each measuring about one page of text.
    """

    def head_fits(k: int) -> tuple[Block, Block] | None:
        split = _split_block(block, k)
        return split if split is not None and fits(ctx, title, current + [split[0]]) else None

    top = _parts(block) - 1
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


def _sections(slide: Slide) -> list[tuple[Heading | None, list[Block]]]:
    level = slide.title_level + 1 if slide.title else 3
    out: list[tuple[Heading | None, list[Block]]] = [(None, [])]
    for block in slide.blocks:
        if isinstance(block, Heading) and block.level <= max(level, 3):
            out.append((block, []))
        else:
            out[-1][1].append(block)
    return out


def layout_slide(ctx: Context, slide: Slide) -> list[tuple[TextFrame | None, list[Frame], bool]]:
    """The pages of one source slide: (title frame, frames, is-continuation)."""
    if slide.title and not slide.blocks:
        return [(_section_title(ctx, slide.title), [], False)]
    whole = place(ctx, slide.title, slide.blocks)
    if whole is not None:
        return [(whole[0], whole[1], False)]
    plans: list[tuple[Runs, list[Block]]] = []
    sections = _sections(slide)
    if len(sections) > 1:
        lead_heading, lead_blocks = sections[0]
        rest = sections[1:]
        if lead_blocks:
            plans += _paginate(ctx, slide.title, lead_blocks)
        elif rest:
            # nothing before the first sub-section: it shares the slide's title page
            heading, blocks = rest[0]
            rest = rest[1:]
            plans += _paginate(ctx, slide.title, ([heading] if heading else []) + blocks)
        for heading, blocks in rest:
            sub_title = heading.runs if heading is not None else slide.title
            if not blocks:
                blocks = []
            plans += _paginate(ctx, sub_title, blocks)
    else:
        plans = _paginate(ctx, slide.title, slide.blocks)
    out = []
    for i, (title, blocks) in enumerate(plans):
        placed = place(ctx, title, blocks)
        if placed is None:
            placed = _force(ctx, title, blocks)
        out.append((placed[0], placed[1], i > 0))
    return out


def _force(ctx: Context, title: Runs, blocks: Sequence[Block]) -> tuple[TextFrame | None, list[Frame]]:
    """A block that fits nowhere (a giant code line, a huge table row): smallest text, clipped box."""
    head = _title_frame(ctx, title)
    body = head.body
    size = ctx.theme.sizes.minimum
    segs = _segments(blocks)
    frames = _seg_frames(ctx, segs, body.x, body.y, body.w, size)
    visuals = [_visual(ctx, b, body.w) for b in blocks if isinstance(b, (Image, Embed))]
    y = frames[-1].box.bottom + GAP if frames else body.y
    region = Box(body.x, y, body.w, max(60.0, body.bottom - y))
    for v in visuals:
        w, h = _fit(v, region.w, region.h)
        frames.append(_visual_frame(ctx, v, Box(region.x + (region.w - w) / 2, region.y, w, h), size))
    return head.title, [_clipped(f, body) for f in frames]


def _clipped(frame: Frame, body: Box) -> Frame:
    """The frame with its box kept inside the body (what does not fit is cut off)."""
    b = frame.box
    top = min(b.y, body.bottom - 20.0)
    height = max(20.0, min(b.h, body.bottom - top))
    if (top, height) == (b.y, b.h):
        return frame
    return replace(frame, box=Box(b.x, top, b.w, height))


# ---------------------------------------------------------------------------
# the title page and the whole deck


def _title_page(ctx: Context, deck: Deck) -> Page:
    meta = deck.meta
    t = ctx.theme
    m = ctx.margin
    width = ctx.w - 2 * m
    frames: list[Frame] = []
    title_runs: Runs = (Run(meta.title, color=t.colors.background if t.title_style == "band" else None),)
    size = t.sizes.title + 8
    lines = count_lines(ctx.measure, title_runs, width - 2 * INSET, size)
    while lines > 2 and size > t.sizes.title:
        size -= 2
        lines = count_lines(ctx.measure, title_runs, width - 2 * INSET, size)
    if lines > TITLE_MAX_LINES:
        title_runs = fit_lines(ctx.measure, title_runs, width - 2 * INSET, size, TITLE_MAX_LINES)
        lines = count_lines(ctx.measure, title_runs, width - 2 * INSET, size)
    title_h = lines * size * LINE + 2 * INSET
    band_top = ctx.h * 0.22
    if t.title_style == "band":
        pad = 18.0
        title = TextFrame(
            Box(0, band_top - pad, ctx.w, title_h + 2 * pad),
            (Para(title_runs, size, "title", color=t.colors.heading),),
            "title",
            LINE,
            (m + INSET, pad + INSET, m + INSET, pad + INSET),
            t.colors.accent,
        )
    else:
        title = TextFrame(
            Box(m, band_top, width, title_h),
            (
                Para(
                    title_runs,
                    size,
                    "title",
                    align="center" if t.title_style == "centered" else "left",
                    color=t.colors.heading,
                ),
            ),
            "title",
            LINE,
        )
    y = band_top + title_h + 36
    sub_parts = [", ".join(meta.authors)] if meta.authors else []
    if meta.date:
        sub_parts.append(meta.date.split(" ")[0])
    subtitle_paras: list[Para] = []
    align = "center" if t.title_style == "centered" else "left"
    sub_size = t.sizes.body
    if sub_parts:
        sub_runs = fit_lines(ctx.measure, (Run(" · ".join(sub_parts)),), width - 2 * INSET, sub_size, 2)
        subtitle_paras.append(
            Para(sub_runs, sub_size, "subtitle", align=align, color=t.colors.text)  # type: ignore[arg-type]
        )
    tags = [*meta.category, *meta.tags]
    if tags:
        tag_size = max(t.sizes.floor, sub_size - 4)
        subtitle_paras.append(
            Para(
                fit_lines(ctx.measure, (Run(" · ".join(tags)),), width - 2 * INSET, tag_size, 2),
                max(t.sizes.floor, sub_size - 4),
                "meta",
                space_before=4,
                align=align,  # type: ignore[arg-type]
                color=t.colors.muted,
            )
        )  # type: ignore[arg-type]
    abstract_runs: list[Run] = []
    for block in deck.abstract:
        if isinstance(block, Paragraph):
            if abstract_runs:
                abstract_runs.append(LINE_BREAK)
            abstract_runs.extend(block.runs)
    if abstract_runs:
        subtitle_paras.append(
            Para(tuple(abstract_runs), sub_size, "body", space_before=12, align=align, color=t.colors.text)  # type: ignore[arg-type]
        )
    if subtitle_paras:
        avail = ctx.body_bottom() - y
        room = ctx.beside_logo(Box(m, y, width, avail))
        m, width = room.x, room.w
        paras = tuple(subtitle_paras)
        while True:
            height = 2 * INSET + sum(
                count_lines(ctx.measure, p.runs, width - 2 * INSET, p.size) * p.size * LINE + p.space_before
                for p in paras
            )
            if height <= avail or paras[-1].size <= t.sizes.floor:
                break
            paras = tuple(replace(p, size=max(t.sizes.floor, p.size - 2)) for p in paras)
        frames.append(TextFrame(Box(m, y, width, min(height, avail)), paras, "subtitle", LINE))
    logo = ctx.logo_box()
    if logo is not None and ctx.logo is not None:
        frames.append(PictureFrame(logo, ctx.logo, None, "logo"))
    return Page("title", tuple(frames), title, "", False, 0, 0)


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
            para = Para((Run(text),), size, "meta", color=t.colors.muted)
            frames.append(TextFrame(box, (para,), "footer", LINE))
    if t.slide_numbers:
        box = Box(ctx.w - ctx.margin - 60, y, 60, size * LINE + 2 * INSET)
        logo = ctx.logo_box()
        if logo is not None and ctx.beside_logo(box) != box and logo.x > ctx.w / 2:
            box = Box(logo.x - 8 - 60, y, 60, box.h)  # the logo took the corner: the number stands beside it
        frames.append(
            TextFrame(
                box,
                (Para((Run(str(number)),), size, "meta", align="right", color=t.colors.muted),),
                "number",
                LINE,
            )
        )
    logo = ctx.logo_box()
    if logo is not None and ctx.logo is not None:
        frames.append(PictureFrame(logo, ctx.logo, None, "logo"))
    return frames


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def layout_deck(deck: Deck, theme: Theme, measure: Measurer, logo: Asset | None = None) -> LaidDeck:
    ctx = Context(theme, measure, logo)
    pages: list[Page] = [_title_page(ctx, deck)]
    authors = ", ".join(deck.meta.authors)
    footer_title = _shorten(deck.meta.title, 60)
    for group, slide in enumerate(deck.slides, start=1):
        for i, (title, frames, cont) in enumerate(layout_slide(ctx, slide)):
            chrome = _chrome(ctx, len(pages) + 1, footer_title, authors, deck.meta.date)
            pages.append(
                Page(
                    "content",
                    tuple(frames + chrome),
                    title,
                    slide.notes if i == 0 else "",
                    cont,
                    slide.line,
                    group,
                )
            )
    return style_deck(LaidDeck(deck.meta, tuple(pages), ctx.w, ctx.h), theme, measure)


__all__ = [
    "Cell",
    "Context",
    "ListItem",
    "fits",
    "layout_deck",
    "layout_slide",
    "para_color",
    "place",
    "plain_text",
    "play_badge",
    "width_hint",
]
