"""Every page's title, as PowerPoint's Accessibility Checker wants them, and the context text
of the pictures the post does not describe. A pass over the placed pages (pure).

- **Every page has a title.** A part of the post without a heading takes the title of the
  slide it continues (the one before it; after the title page, the post's title). The post
  shows no heading there, so neither does the deck: the title is *hidden* (``Page.hidden_title``),
  in the .pptx the title placeholder placed off the slide, above its top edge.
- **Titles are unique.** The pages of one part of the post (a heading and the pages its
  content took, with the headingless parts that follow it) are numbered once their count is
  known: ``Mask R-CNN``, ``Mask R-CNN (2/3)``, ``Mask R-CNN (3/3)``. A heading the post gives
  twice (or the post's title again) is told apart by its occurrence: ``Large Language Models (2)``.
- **A numbered title still fits its frame.** The page breaker measured a continuation with
  `` (cont.)`` after its title; the number takes its place in the same box (same lines, else
  a smaller size, else the heading cut with an ellipsis, the number kept), so nothing on the
  page moves.
- **Pictures without a description** get their ``context``: ``Picture on slide "TITLE" (not
  described yet)`` (``Picture 2 of 3 ...`` when several share the page; ``Video ...`` for a
  video's poster without a title).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from deckgen.layout.context import INSET, LINE, Context
from deckgen.layout.text import TITLE_MAX_LINES, fit_title
from deckgen.measure import count_lines
from deckgen.model.document import Run, Runs, runs_head
from deckgen.model.laidout import Box, EmbedFrame, Frame, Page, Para, PictureFrame, TextFrame
from deckgen.plaintext import shorten

HIDDEN_GAP = 18.0  # points between a hidden title's box and the slide's top edge
CONTEXT_TITLE_CHARS = 80  # a context text quotes at most this much of the title


def plain(runs: Runs) -> str:
    """Runs as one line of text, without break opportunities (U+200B)."""
    text = "".join(" " if r.is_break else r.text for r in runs).replace("\u200b", "")
    return " ".join(text.split())


def _key(runs: Runs) -> str:
    return plain(runs).casefold()


def _with(runs: Runs, suffix: str) -> Runs:
    return (*runs, Run(suffix)) if suffix else runs


def page_titles(entries: Sequence[tuple[Runs, int]], fallback: str = "Slide") -> list[Runs]:
    """The title of every page, from each page's ``(base, part)``: the heading of the part of the
    post it shows (() for none) and its place among that part's pages (see the module's note)."""
    groups: list[list[int]] = []
    bases: list[Runs] = []
    for index, (base, part) in enumerate(entries):
        if not groups or (base and part == 0):
            groups.append([index])
            bases.append(base or (Run(f"{fallback} {index + 1}"),))
        else:
            groups[-1].append(index)
    seen: dict[str, int] = {}
    titles: list[Runs] = [()] * len(entries)
    for members, base in zip(groups, bases):
        count = seen[_key(base)] = seen.get(_key(base), 0) + 1
        named = _with(base, f" ({count})" if count > 1 else "")
        for k, index in enumerate(members):
            titles[index] = _with(named, f" ({k + 1}/{len(members)})" if k else "")
    # what is still alike (a heading that reads like a numbered one) gets the next free number
    taken: set[str] = set()
    for index, title in enumerate(titles):
        n = 1
        final = title
        while _key(final) in taken:
            n += 1
            final = _with(title, f" ({n})")
        taken.add(_key(final))
        titles[index] = final
    return titles


def _fit_in(ctx: Context, frame: TextFrame, runs: Runs) -> tuple[TextFrame, bool]:
    """``frame`` showing ``runs`` in its own box: at its size if they take no more lines, else
    smaller (not below the titles' floor), else cut with an ellipsis before the number (then
    the second value is True: words were lost)."""
    para = frame.paras[0]
    inner = frame.box.w - 2 * INSET
    floor = min(para.size, max(ctx.theme.sizes.body, 24.0))
    size = para.size
    while True:
        room = min(TITLE_MAX_LINES, max(1, int((frame.box.h - 2 * INSET) / (size * LINE) + 1e-6)))
        if count_lines(ctx.measure, runs, inner, size) <= room:
            return replace(frame, paras=(replace(para, runs=runs, size=size), *frame.paras[1:])), False
        if size - 2 < floor:
            break
        size -= 2
    cut = _cut_before_suffix(ctx, runs, inner, size, room)
    return replace(frame, paras=(replace(para, runs=cut, size=size, origin=None),)), True  # not the post's text


def _cut_before_suffix(ctx: Context, runs: Runs, inner: float, size: float, room: int) -> Runs:
    """``runs`` (a heading and its number, the last run) cut with an ellipsis before the number
    so that they take at most ``room`` lines."""
    *head, suffix = runs
    text = [r for r in head if not r.is_break]

    def cut(n: int) -> Runs:
        out = runs_head(text, n)
        if out:
            out[-1] = replace(out[-1], text=out[-1].text.rstrip() + "…")
        return (*out, suffix)

    lo, hi = 0, sum(len(r.text) for r in text)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count_lines(ctx.measure, cut(mid), inner, size) <= room:
            lo = mid
        else:
            hi = mid - 1
    return cut(lo)


def hidden_title(ctx: Context, runs: Runs) -> TextFrame:
    """A title the post does not show: the title placeholder's frame, placed above the slide."""
    width = ctx.w - 2 * ctx.margin
    shown, size, height = fit_title(ctx.measure, runs, width, ctx.theme.sizes.title, max(ctx.theme.sizes.body, 24.0))
    return TextFrame(Box(ctx.margin, -height - HIDDEN_GAP, width, height), (Para(shown, size, "title"),), "title", LINE)


def _context(kind: str, index: int, count: int, title: str) -> str:
    which = f"{kind} {index} of {count}" if count > 1 else kind
    return f'{which} on slide "{shorten(title, CONTEXT_TITLE_CHARS)}" (not described yet)'


def _with_contexts(frames: tuple[Frame, ...], title: str) -> tuple[Frame, ...]:
    """The frames, each picture without a description given its context text."""

    def undescribed(frame: Frame) -> PictureFrame | None:
        if isinstance(frame, EmbedFrame):
            frame = frame.fallback
        if isinstance(frame, PictureFrame) and not frame.decorative and not frame.description.strip():
            return frame
        return None

    count = sum(1 for f in frames if undescribed(f) is not None)
    if not count:
        return frames
    out: list[Frame] = []
    index = 0
    for frame in frames:
        picture = undescribed(frame)
        if picture is None:
            out.append(frame)
            continue
        index += 1
        kind = "Video" if picture.play_badge is not None else "Picture"
        described = replace(picture, context=_context(kind, index, count, title))
        out.append(replace(frame, fallback=described) if isinstance(frame, EmbedFrame) else described)
    return tuple(out)


def name_pages(ctx: Context, entries: Sequence[tuple[Page, Runs, int]]) -> list[Page]:
    """The pages with their final titles (shown, renumbered in place, or hidden) and the
    context texts of their undescribed pictures; ``entries`` are (page, base, part)."""
    titles = page_titles([(base, part) for _, base, part in entries])
    out = []
    for (page, base, _part), runs in zip(entries, titles):
        if page.title is not None:
            if runs != base and page.title.paras:  # numbered: measured with " (cont.)", or told apart
                fitted, cut = _fit_in(ctx, page.title, runs)
                page = replace(page, title=fitted, cut=page.cut or cut)
        else:
            page = replace(page, hidden_title=hidden_title(ctx, runs))
        out.append(replace(page, frames=_with_contexts(page.frames, plain(runs))))
    return out


__all__ = ["HIDDEN_GAP", "hidden_title", "name_pages", "page_titles", "plain"]
