"""The course page: an ``index.html`` listing every deck built from a folder."""

from __future__ import annotations

import html
import os
from collections.abc import Sequence
from pathlib import Path

from deckgen.errors import BuildError
from deckgen.fileio import atomic_write, sweep_stale
from deckgen.pipeline import Record
from deckgen.stamp import STAMP_DIR


def write_course_index(results: Sequence[Record], out_dir: Path, before: float | None = None) -> Path:
    """Write ``out_dir/index.html``; raises ``BuildError`` when it cannot be written. With
    ``before`` (the build's start), first remove what a killed write of the index or of a
    stamp left (``fileio.sweep_stale``)."""
    if before is not None:
        for folder in (out_dir, out_dir / STAMP_DIR):
            sweep_stale(folder, before)
    rows = []
    for r in sorted(results, key=lambda r: str(r.source)):
        links = []
        for out in r.outputs:
            rel = os.path.relpath(out, out_dir)
            label = "PowerPoint" if out.suffix == ".pptx" else "HTML deck"
            links.append(f'<a href="{html.escape(rel)}">{label}</a>')
        date = r.source.name[:10] if r.source.name[:4].isdigit() else ""
        rows.append(
            f"<tr><td>{html.escape(date)}</td><td>{html.escape(r.title)}</td>"
            f"<td>{r.pages}</td><td>{' · '.join(links)}</td></tr>"
        )
    page = f"""<!doctype html>
<html lang="zh-Hant"><head><meta charset="utf-8"><title>Course decks</title>
<style>body{{font-family:Arial,"Noto Sans CJK TC",sans-serif;margin:2em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.4em .8em;text-align:left}}</style>
</head><body><h1>Course decks</h1>
<table><tr><th>Date</th><th>Title</th><th>Slides</th><th>Decks</th></tr>
{chr(10).join(rows)}
</table></body></html>
"""
    path = out_dir / "index.html"
    try:
        atomic_write(path, page.encode("utf-8"))
    except OSError as exc:  # a read-only or full output folder: one line, like each post's
        raise BuildError(f"cannot write the course index: {exc.strerror or exc}", path) from None
    return path
