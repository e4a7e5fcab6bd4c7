"""The language of every text on the laid-out pages (a pass after the placing, pure).

The deck's main language is ``Meta.lang`` (decided by the parse stage). This pass cuts the runs
of titles, paragraphs, table cells and code lines where the script changes between Han and
Latin and gives each piece its ``Run.lang`` where it is not the deck's (``deckgen.language``);
it puts the deck's language on every page (``Page.lang``) and the notes' languages in
``Page.notes_runs``. Cuts fall only where a line may break, so no line moves: the writers
write each run's language as they find it.
"""

from __future__ import annotations

from dataclasses import replace

from deckgen.language import split_runs, text_runs
from deckgen.model.document import Cell
from deckgen.model.laidout import (
    CodeFrame,
    EmbedFrame,
    Frame,
    Page,
    Para,
    PictureFrame,
    PlaceholderFrame,
    QrFrame,
    TableFrame,
    TextFrame,
)
from deckgen.visitor import FrameVisitor


class _Languages(FrameVisitor[Frame]):
    def __init__(self, main: str) -> None:
        self.main = main

    def page(self, page: Page) -> Page:
        title = self.text(page.title) if page.title is not None else None
        hidden = self.text(page.hidden_title) if page.hidden_title is not None else None
        return replace(
            page,
            title=title,
            hidden_title=hidden,
            frames=tuple(self.visit(f) for f in page.frames),
            lang=self.main,
            notes_runs=text_runs(page.notes, self.main) if page.notes else (),
        )

    def text(self, frame: TextFrame) -> TextFrame:
        paras = tuple(self._para(p) for p in frame.paras)
        return frame if _same(paras, frame.paras) else replace(frame, paras=paras)

    def _para(self, para: Para) -> Para:
        runs = split_runs(para.runs, self.main)
        return para if runs is para.runs else replace(para, runs=runs)

    def code(self, frame: CodeFrame) -> CodeFrame:
        lines = tuple(split_runs(line, self.main) for line in frame.lines)
        return frame if _same(lines, frame.lines) else replace(frame, lines=lines)

    def table(self, frame: TableFrame) -> TableFrame:
        def cell(c: Cell) -> Cell:
            runs = split_runs(c.runs, self.main)
            return c if runs is c.runs else replace(c, runs=runs)

        rows = tuple(tuple(cell(c) for c in row) for row in frame.rows)
        return frame if all(_same(a, b) for a, b in zip(rows, frame.rows, strict=True)) else replace(frame, rows=rows)

    def picture(self, frame: PictureFrame) -> PictureFrame:
        return frame

    def placeholder(self, frame: PlaceholderFrame) -> PlaceholderFrame:
        return frame

    def qr(self, frame: QrFrame) -> QrFrame:
        return frame  # an address: in no language of its own

    def embed(self, frame: EmbedFrame) -> EmbedFrame:
        return frame


def _same(new: tuple[object, ...], old: tuple[object, ...]) -> bool:
    """Is every item of ``new`` the very object of ``old`` (nothing was cut)?"""
    return all(a is b for a, b in zip(new, old, strict=True))


def with_languages(pages: list[Page], main: str) -> list[Page]:
    """The pages with every run's language, each page's and its notes' (see the module's note)."""
    visitor = _Languages(main)
    return [visitor.page(p) for p in pages]


__all__ = ["with_languages"]
