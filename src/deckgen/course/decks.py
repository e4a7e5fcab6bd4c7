"""The decks of a folder build as the course page and the site's data file list them: one entry
per post, newest first, each output with its label and size."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from deckgen.course.cards import Card, post_date, read_card
from deckgen.outputs import handout_name, output_names, pdf_name
from deckgen.pipeline import Record

OutputKind = Literal["html", "pptx", "pdf", "handout"]
_KIND_ORDER: tuple[OutputKind, ...] = ("html", "pptx", "pdf", "handout")


@dataclass(frozen=True)
class Output:
    kind: OutputKind
    label: str  # what the page's link says: "Slides (HTML)", "PowerPoint", "PDF", "Handout, 2 a page"
    path: Path
    size: int | None  # bytes of the file (None: the HTML deck is a folder)


@dataclass(frozen=True)
class DeckEntry:
    post: Path
    stem: str
    title: str
    date: str  # YYYY-MM-DD or ""
    tags: tuple[str, ...]
    pages: int
    outputs: tuple[Output, ...]
    picture: Path | None  # the card's picture of its title slide


def output_of(path: Path, post: Path, out_dir: Path) -> Output | None:
    """What an output of ``post`` is, from its name (the names ``deckgen.outputs`` gives)."""
    pptx, html_dir = output_names(post, out_dir)
    if path == pptx:
        return Output("pptx", "PowerPoint", path, _size(path))
    if path == html_dir / "index.html":
        return Output("html", "Slides (HTML)", path, None)
    if path == pdf_name(post, out_dir):
        return Output("pdf", "PDF", path, _size(path))
    for per_sheet in (1, 2, 3, 6):
        if path == handout_name(post, out_dir, per_sheet):
            return Output("handout", f"Handout, {per_sheet} a page", path, _size(path))
    return None


def _size(path: Path) -> int | None:
    try:
        return path.stat().st_size
    except OSError:
        return None


def deck_entry(record: Record, out_dir: Path) -> DeckEntry:
    """The entry of one built post: its record, and the card its build drew (if any)."""
    card = read_card(out_dir, record.source) or Card(post_date("", record.source))
    found = [output_of(path, record.source, out_dir) for path in record.outputs]
    outputs = sorted((o for o in found if o is not None), key=lambda o: (_KIND_ORDER.index(o.kind), o.label))
    return DeckEntry(
        record.source,
        record.source.stem,
        record.title or record.source.stem,
        card.date,
        card.tags,
        record.pages,
        tuple(outputs),
        out_dir / card.picture if card.picture else None,
    )


def course_entries(results: Sequence[Record], out_dir: Path) -> list[DeckEntry]:
    """Every built post's entry: the dated ones newest first, then the others by name."""
    entries = [deck_entry(r, out_dir) for r in results]
    dated = sorted((e for e in entries if e.date), key=lambda e: (e.date, e.stem), reverse=True)
    undated = sorted((e for e in entries if not e.date), key=lambda e: e.stem)
    return dated + undated


def human_size(size: int) -> str:
    """``3.8 MB``, ``640 kB`` (as ``deckgen cache info`` says them: 1 MB is 1024 kB)."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.1f} MB"
    return f"{max(1, round(size / 1024))} kB"


__all__ = ["DeckEntry", "Output", "OutputKind", "course_entries", "deck_entry", "human_size", "output_of"]
