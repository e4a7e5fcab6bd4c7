"""Benchmark the .pptx writer alone on synthetic decks of N slides.

    python bench/bench_pptx_scale.py [--sizes 1000 2000 4000] [--repeat 1] [--profile]

Each deck is a post of N slides (a heading, a paragraph with a link, a short list and, on
every fifth slide, a code block), parsed and laid out once outside the clock; only
``PptxWriter.write`` is timed (wall and CPU). The growth ratio ``t(N) / t(N_previous)`` is
printed: about 2 per doubling is linear. Target (issue 14): t(4000) <= 2.2 x t(2000).
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import io
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

from deckgen.diagnostics import Diagnostics  # noqa: E402
from deckgen.layout import layout_deck  # noqa: E402
from deckgen.measure import measurer_for  # noqa: E402
from deckgen.model import LaidDeck  # noqa: E402
from deckgen.parse import parse_deck  # noqa: E402
from deckgen.source import read_post  # noqa: E402
from deckgen.theme import load_theme  # noqa: E402
from deckgen.writers.pptx import PptxWriter  # noqa: E402


def synthetic_post(n: int) -> str:
    parts = ["---\ntitle: Scale test\nlayout: post\n---\n"]
    for i in range(n):
        body = (
            f"## Slide {i}\n\nSome text for slide {i} with a [link](https://example.org/{i}) "
            f"and **bold** words, 中文字 {i}.\n\n- first point {i}\n- second point\n"
        )
        if i % 5 == 0:
            body += f"\n```python\nx = {i}\nprint(x)\n```\n"
        parts.append(body)
    return "\n---\n\n".join(parts)


def laid_deck(n: int, folder: Path) -> LaidDeck:
    post = folder / f"scale-{n}.md"
    post.write_text(synthetic_post(n), encoding="utf-8")
    diag = Diagnostics()
    theme = load_theme("default", folder)
    deck = parse_deck(read_post(post, dt.datetime(2026, 1, 1), diag), diag)
    fonts = tuple((f.path, f.family, f.bold) for f in theme.fonts.files if not f.italic)
    return layout_deck(deck, theme, measurer_for(theme.fonts.latin, fonts))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000])
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    theme = load_theme("default", Path.cwd())
    previous: tuple[float, float] | None = None
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            laid = laid_deck(n, Path(tmp))
            walls, cpus = [], []
            for _ in range(args.repeat):
                buffer = io.BytesIO()
                profiler = cProfile.Profile() if args.profile else None
                w0, c0 = time.perf_counter(), time.process_time()
                if profiler:
                    profiler.enable()
                PptxWriter(theme).write(laid, buffer)
                if profiler:
                    profiler.disable()
                walls.append(time.perf_counter() - w0)
                cpus.append(time.process_time() - c0)
                if profiler:
                    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)
            wall, cpu = statistics.median(walls), statistics.median(cpus)
            growth = f"  x{wall / previous[0]:.2f} wall, x{cpu / previous[1]:.2f} CPU" if previous else ""
            print(f"{len(laid.pages):6d} slides: {wall:7.2f} s wall, {cpu:7.2f} s CPU, {len(buffer.getvalue()) / 1e6:.1f} MB{growth}")
            previous = (wall, cpu)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
