"""Benchmark the layout on one overlong block: a list, a table, a code block of N parts.

    python bench/bench_layout.py [--sizes 50 100 200 400] [--repeat 3] [--kinds list table code]
        [--theme default] [--table-measurer] [--profile]

Each case is one synthetic slide holding one block of N list items, N table rows or N code
lines; ``layout_deck`` lays it out (with the theme's own measurer, as a build does) and the
median of ``--repeat`` runs is printed with the number of pages, together with the growth
ratio ``t(N) / t(N_previous)``: about 2 per doubling is linear, 4 quadratic, 8 cubic.
The text of every run differs (the run number is in it), so no cache is warm from an
earlier run. Target: 400 parts under about 1 s each, growing roughly linearly.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src")]

from deckgen.layout import layout_deck  # noqa: E402
from deckgen.measure import Measurer, TableMeasurer, measurer_for  # noqa: E402
from deckgen.model import (  # noqa: E402
    Block,
    BulletList,
    Cell,
    Code,
    Deck,
    ListItem,
    Meta,
    Run,
    Slide,
    Table,
)
from deckgen.theme import Theme, load_theme  # noqa: E402

KINDS = ("list", "table", "code")


def block_of(kind: str, n: int, tag: str) -> Block:
    if kind == "list":
        items = tuple(
            ListItem((Run(f"Item {i} ({tag}): "), Run("a few more words", bold=True), Run(f" to wrap {i}")))
            for i in range(n)
        )
        return BulletList(items, 1)
    if kind == "table":
        head = (
            Cell((Run("Name"),), header=True),
            Cell((Run("Value"),), header=True),
            Cell((Run("Note"),), header=True),
        )
        rows = tuple(
            (
                Cell((Run(f"row {i}"),)),
                Cell((Run(f"{i * 7} {tag}"),)),
                Cell((Run(f"a short note on row {i}"),)),
            )
            for i in range(n)
        )
        return Table((head, *rows), 1, 1)
    if kind == "code":
        lines = [
            f"def step_{i}(x):  # {tag}" if i % 4 == 0 else f"    x = x * {i} + len('{tag}')"
            for i in range(n)
        ]
        return Code("\n".join(lines), "python", 1)
    raise ValueError(kind)


def deck_of(kind: str, n: int, tag: str) -> Deck:
    slide = Slide((Run(f"{kind} of {n}"),), 2, (block_of(kind, n, tag),), "", 1)
    return Deck(Meta(title="Layout benchmark"), (), (slide,))


def time_case(theme: Theme, measure: Measurer, kind: str, n: int, repeat: int) -> tuple[float, int]:
    times = []
    pages = 0
    for r in range(repeat):
        deck = deck_of(kind, n, f"r{r}-{time.monotonic_ns()}")
        started = time.perf_counter()
        laid = layout_deck(deck, theme, measure)
        times.append(time.perf_counter() - started)
        pages = len(laid.pages) - 1  # without the title page
    return statistics.median(times), pages


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 100, 200, 400])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--kinds", nargs="+", choices=KINDS, default=list(KINDS))
    parser.add_argument("--theme", default="default")
    parser.add_argument("--table-measurer", action="store_true", help="the built-in metric table, not Pillow")
    parser.add_argument("--profile", action="store_true", help="cProfile the largest case of each kind")
    args = parser.parse_args()
    theme = load_theme(args.theme)
    if args.table_measurer:
        measure: Measurer = TableMeasurer()
    else:
        measure = measurer_for(
            theme.fonts.latin, tuple((f.path, f.family, f.bold) for f in theme.fonts.files if not f.italic)
        )
    print(f"theme {theme.name}, measurer {type(measure).__name__}, median of {args.repeat} runs")
    print(f"{'kind':<6} {'N':>5} {'pages':>6} {'median s':>9} {'ratio':>6}")
    for kind in args.kinds:
        previous = None
        for n in args.sizes:
            median, pages = time_case(theme, measure, kind, n, args.repeat)
            ratio = f"{median / previous:6.2f}" if previous else "     -"
            print(f"{kind:<6} {n:>5} {pages:>6} {median:>9.3f} {ratio}", flush=True)
            previous = median
        if args.profile:
            profile = cProfile.Profile()
            profile.runcall(layout_deck, deck_of(kind, args.sizes[-1], "profile"), theme, measure)
            pstats.Stats(profile).sort_stats("cumulative").print_stats(15)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
