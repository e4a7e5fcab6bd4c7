"""An HTML table as the converter collects it (a flow per cell, with its spans), and the
``Table`` it becomes: pictures leave their cells to follow it, the header rows are the
leading rows of header cells, the spans are normalized."""

from __future__ import annotations

from deckgen.model.document import Block, Cell, Table, normalize_spans
from deckgen.parse.flow import Flow, blocks_to_runs


class TableState:
    """An open HTML table: row by row, each cell's flow, colspan, rowspan and whether it is a header."""

    def __init__(self, line: int) -> None:
        self.line = line
        self.rows: list[list[tuple[Flow, int, int, bool]]] = []
        self.stray: list[str] = []  # text between cells, shown after the table

    def blocks(self) -> tuple[Table | None, list[Block]]:
        """The table (None when no cell has text) and the blocks its cells held (pictures...)."""
        rows = [r for r in self.rows if r]
        extracted: list[Block] = []
        out_rows: list[tuple[Cell, ...]] = []
        for source_row in rows:
            out_row = []
            for flow, colspan, rowspan, header in source_row:
                runs, apart = blocks_to_runs(flow.blocks)
                extracted.extend(apart)
                out_row.append(Cell(runs, colspan, rowspan, header))
            out_rows.append(tuple(out_row))
        if extracted and all(c.rowspan == 1 for cells in out_rows for c in cells):
            # pictures leave their cells and follow the table: a row left empty goes too,
            # and a table used only to put pictures side by side leaves just the pictures
            out_rows = [cells for cells in out_rows if any(c.runs for c in cells)]
        header_rows = 0
        for cells in out_rows:
            if all(c.header for c in cells):
                header_rows += 1
            else:
                break
        if any(c.runs for row in out_rows for c in row):
            return Table(normalize_spans(tuple(out_rows)), header_rows, self.line), extracted
        return None, extracted
