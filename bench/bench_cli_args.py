"""The command line's parsing against another checkout's: ``make_parser()`` and ``parse_args`` of a build.

    python bench/bench_cli_args.py --before ../old/src [--runs 15]

Each run is a fresh process (what a user's ``deckgen build POST --out DIR -q`` pays once): it
imports ``deckgen.cli`` (not timed), then times building the parser and parsing the build's
arguments. The two trees take turns; printed: the medians (ms) of each tree and their difference.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from benchtools import ROOT, compile_tree, median

CHILD = (
    "import sys, time\n"
    "import deckgen.cli\n"
    "from deckgen.cli.args import make_parser\n"
    "started = time.perf_counter()\n"
    "make_parser().parse_args(sys.argv[1:])\n"
    "print((time.perf_counter() - started) * 1000)\n"
)
ARGV = ["build", "lecture/post.md", "--out", "build", "-q", "--offline"]


def once(src: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(src))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    out = subprocess.run([sys.executable, "-c", CHILD, *ARGV], env=env, capture_output=True, text=True, check=True)
    return float(out.stdout)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, required=True, help="another checkout's src/")
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    trees = {"before": args.before.resolve(), "this tree": ROOT / "src"}
    for src in trees.values():
        compile_tree(src)
        once(src)  # the first run of a tree may still write bytecode elsewhere
    times: dict[str, list[float]] = {name: [] for name in trees}
    for _ in range(args.runs):
        for name, src in trees.items():
            times[name].append(once(src))
    for name, values in times.items():
        print(f"{name:10s} median {median(values):6.2f} ms  ({', '.join(f'{v:.2f}' for v in values)})")
    print(f"difference {median(times['this tree']) - median(times['before']):+6.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
