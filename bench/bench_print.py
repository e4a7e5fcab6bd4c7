"""Printing's share of a warm build: ``--format all`` against ``--format pptx,html``, alternating.

    python bench/bench_print.py [--post ../shared/lecture/large-language-models.md]
        [--pairs 7] [--handout N] [--online]

The post's pictures are pointed at ``../shared/tools/fakeweb.py`` (real PNG, JPEG and GIF
files of web sizes, 0 ms per answer). One ``--format all`` build fills a fresh cache
(pictures, renditions, the cut fonts, the pictures split for the PDF) and a second one
warms the rest; then ``deckgen build --format all`` and ``deckgen build --format pptx,html``
run as fresh processes, one after the other, ``--pairs`` times (the order swapped every
pair). Warm builds run ``--offline`` (the cache has every picture; the lecture's YouTube
posters, which ``localize.py`` leaves on the web, stay placeholders either way) unless
``--online``. Printed: each pair's wall time, CPU time (user + system) and peak memory of
each process, then the medians and the ratio of the medians (target: at most 2).

``--instructions`` also counts the instructions each of the two builds executes, once,
under valgrind (``callgrind``; minutes): a figure the machine's load does not change, where
wall and CPU times on a busy shared machine move by a third from run to run.

``DECKGEN_BENCH_SRC=/other/checkout/src`` measures another checkout (the "before").
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from benchtools import ROOT, Run, bench_env, deckgen_cmd, fakeweb, localize, median, timed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--post", type=Path, default=ROOT.parent / "shared" / "lecture" / "large-language-models.md")
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--handout", type=int, choices=(1, 2, 3, 6), help="also write this handout in the 'all' builds")
    parser.add_argument("--online", action="store_true", help="warm builds may use the network")
    parser.add_argument("--instructions", action="store_true", help="also count instructions under valgrind")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="deckgen-print-") as tmp, fakeweb() as port:
        work = Path(tmp)
        post = localize(args.post, work / args.post.name, port)
        env = bench_env(work / "cache")
        base = [*deckgen_cmd(), "build", str(post), "-q", "--force"]
        extra = ["--handout", str(args.handout)] if args.handout else []
        warm = [] if args.online else ["--offline"]
        every = [*base, "--format", "all", *extra, "--out", str(work / "all")]
        decks = [*base, "--format", "pptx,html", "--out", str(work / "decks")]
        for label, cmd in (("cold", every), ("warm-up", [*every, *warm]), ("warm-up", [*decks, *warm])):
            run = timed(cmd, env, cwd=work)
            if run.code != 0:
                print(run.out)
                return 1
            print(f"{label}: {' '.join(cmd[cmd.index('--format') : cmd.index('--format') + 2])} {run.wall:.2f} s")
        alls: list[Run] = []
        pairs: list[Run] = []
        for n in range(args.pairs):
            order = ((every, alls), (decks, pairs)) if n % 2 == 0 else ((decks, pairs), (every, alls))
            for cmd, into in order:
                into.append(timed([*cmd, *warm], env, cwd=work))
            a, b = alls[-1], pairs[-1]
            print(
                f"pair {n + 1}: all {a.wall:.2f} s ({a.cpu:.2f} s CPU, {a.peak_mb:.0f} MB), "
                f"pptx,html {b.wall:.2f} s ({b.cpu:.2f} s CPU, {b.peak_mb:.0f} MB), ratio {a.wall / b.wall:.2f}"
            )
        if args.instructions:
            counts = [instructions([*cmd, *warm], env, work) for cmd in (every, decks)]
            print(f"instructions: all {counts[0] / 1e9:.2f} G, pptx,html {counts[1] / 1e9:.2f} G, ratio {counts[0] / counts[1]:.2f}")
    wall_a, wall_b = median([r.wall for r in alls]), median([r.wall for r in pairs])
    cpu_a, cpu_b = median([r.cpu for r in alls]), median([r.cpu for r in pairs])
    print(
        f"median: all {wall_a:.2f} s wall, {cpu_a:.2f} s CPU, {median([r.peak_mb for r in alls]):.0f} MB; "
        f"pptx,html {wall_b:.2f} s wall, {cpu_b:.2f} s CPU, {median([r.peak_mb for r in pairs]):.0f} MB"
    )
    print(f"ratio of the medians all / pptx,html: {wall_a / wall_b:.2f} wall, {cpu_a / cpu_b:.2f} CPU (target <= 2)")
    return 0


def instructions(cmd: list[str], env: dict[str, str], cwd: Path) -> int:
    """The instructions ``cmd`` executes (valgrind's callgrind, Python's own allocator off)."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        raise SystemExit("--instructions needs valgrind")
    done = subprocess.run(
        [valgrind, "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
        env=dict(env, PYTHONMALLOC="malloc"), cwd=cwd, capture_output=True, text=True,
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if done.returncode != 0 or found is None:
        raise SystemExit(done.stderr[-2000:])
    return int(found.group(1).replace(",", ""))


if __name__ == "__main__":
    raise SystemExit(main())
