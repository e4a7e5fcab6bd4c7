"""The lecture warm (both decks) against pandoc writing the .pptx alone, alternating.

    python bench/bench_warm.py [--post ../shared/lecture/large-language-models.md]
        [--pairs 5] [--pandoc PATH]

The post's pictures are pointed at ``../shared/tools/fakeweb.py`` (0 ms per answer). One
deckgen build fills a fresh cache; then deckgen (``build``, .pptx and HTML deck, warm
cache) and pandoc 3.9 (``-f gfm -t pptx``, fetching the same loopback pictures) run one
after the other, ``--pairs`` times. Printed: each pair's wall times and ratio, then the
medians of wall, CPU (user + system) and peak memory, and the median ratio (target <= 0.5).
pandoc comes from ``pip install pypandoc-binary`` (a bench tool, not a dependency).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from benchtools import ROOT, bench_env, deckgen_cmd, fakeweb, localize, median, timed


def find_pandoc(given: str | None) -> str:
    if given:
        return given
    try:
        import pypandoc  # type: ignore[import-not-found]

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        found = shutil.which("pandoc")
        if not found:
            sys.exit("no pandoc: pip install pypandoc-binary, or give --pandoc PATH")
        return found


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--post", type=Path, default=ROOT.parent / "shared" / "lecture" / "large-language-models.md")
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--pandoc")
    args = parser.parse_args()
    pandoc = find_pandoc(args.pandoc)
    with tempfile.TemporaryDirectory(prefix="deckgen-warm-") as tmp, fakeweb() as port:
        work = Path(tmp)
        post = localize(args.post, work / args.post.name, port)
        env = bench_env(work / "cache")
        deck = [*deckgen_cmd(), "build", str(post), "--out", str(work / "out"), "-q"]
        first = timed(deck, env)
        if first.code != 0:
            print(first.out)
            return 1
        print(f"cold build to fill the cache: {first.wall:.2f} s")
        pan = [pandoc, "-f", "gfm", "-t", "pptx", str(post), "-o", str(work / "pandoc.pptx")]
        ours, theirs = [], []
        for n in range(args.pairs):
            a = timed(deck, env, cwd=work)
            b = timed(pan, env, cwd=work)
            ours.append(a)
            theirs.append(b)
            print(
                f"pair {n + 1}: deckgen {a.wall:.2f} s ({a.cpu:.2f} s CPU, {a.peak_mb:.0f} MB), "
                f"pandoc {b.wall:.2f} s ({b.cpu:.2f} s CPU, {b.peak_mb:.0f} MB), ratio {a.wall / b.wall:.2f}"
            )
        ratio = median([a.wall / b.wall for a, b in zip(ours, theirs)])
        cpu_ratio = median([a.cpu / b.cpu for a, b in zip(ours, theirs) if b.cpu > 0])
        print(
            f"median: deckgen {median([r.wall for r in ours]):.2f} s wall, {median([r.cpu for r in ours]):.2f} s CPU, "
            f"{median([r.peak_mb for r in ours]):.0f} MB; pandoc {median([r.wall for r in theirs]):.2f} s wall, "
            f"{median([r.cpu for r in theirs]):.2f} s CPU, {median([r.peak_mb for r in theirs]):.0f} MB"
        )
        print(f"median ratio deckgen/pandoc: {ratio:.2f} wall, {cpu_ratio:.2f} CPU (target <= 0.5 wall)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
