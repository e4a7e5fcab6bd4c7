"""This tree against another checkout: the lecture warm (both decks), alternating fresh processes.

    python bench/bench_versions.py --before ../old/src [--post P] [--pairs 7] [--instructions] [--one-process]

Issue 20 asks that warm builds be no slower than before its work (f660ee3). Each tree gets its
own picture cache, filled by a first build from ``../shared/tools/fakeweb.py`` (0 ms per
answer); then the two build the same post into their own folders in turns, ``--pairs`` times.
Printed: each pair, then the medians of wall, CPU (user + system, children included) and peak
memory, the least wall and CPU (what a run takes when nothing else on the machine slows it),
and the median ratios (this tree / before). With ``--instructions``, each tree's build
once more under valgrind (callgrind): the instructions it executes, a figure the machine's load
does not move. That run keeps to one process (a forked child's count would include its
parent's), and leaves out libcrypto's: valgrind hides the SHA instructions of the CPU, so
hashing costs there many times what it costs on the machine. With ``--one-process``, the timed
builds run that way too: the CPU of the work itself, without the forked child's (its fork, and
the pages both processes then copy), which buys wall time on a second core.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchtools import ROOT, Run, bench_env, deckgen_cmd, fakeweb, localize, median, timed

ONE_PROCESS = (  # an older tree may have no deckgen.outputs (and no child)
    "import runpy, sys\n"
    "try:\n"
    "    import deckgen.outputs\n"
    "    deckgen.outputs.may_fork = lambda: False\n"
    "except ImportError:\n"
    "    pass\n"
    "sys.argv = ['deckgen', *sys.argv[1:]]\n"
    "runpy.run_module('deckgen', run_name='__main__')\n"
)


def _runner(work: Path) -> Path:
    """A script that runs deckgen's command line in one process (no forked child)."""
    runner = work / "one_process.py"
    runner.write_text(ONE_PROCESS, "utf-8")
    return runner


def instructions(cmd: list[str], env: dict[str, str], work: Path) -> tuple[int, int]:
    """(all instructions, libcrypto's) of one build under callgrind."""
    out = work / "callgrind"
    out.mkdir(exist_ok=True)
    for old in out.iterdir():
        old.unlink()
    runner = _runner(work)
    args = cmd[cmd.index("build") :]
    subprocess.run(
        ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}/cg.%p", sys.executable, str(runner), *args],
        env=env, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
    )
    total = crypto = 0
    for profile in out.iterdir():
        text = subprocess.run(["callgrind_annotate", str(profile)], capture_output=True, text=True).stdout
        for line in text.splitlines():
            figure = line.strip().split(" ", 1)[0].replace(",", "")
            if not figure.isdigit():
                continue
            if "PROGRAM TOTALS" in line:
                total += int(figure)
            elif "libcrypto" in line:
                crypto += int(figure)
    return total, crypto


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", type=Path, required=True, help="the other checkout's src/ folder")
    parser.add_argument("--post", type=Path, default=ROOT.parent / "shared" / "lecture" / "large-language-models.md")
    parser.add_argument("--pairs", type=int, default=7)
    parser.add_argument("--instructions", action="store_true")
    parser.add_argument("--one-process", action="store_true", help="time the builds without the forked child")
    args = parser.parse_args()
    trees = {"this": ROOT / "src", "before": args.before.resolve()}
    with tempfile.TemporaryDirectory(prefix="deckgen-versions-") as tmp, fakeweb() as port:
        work = Path(tmp)
        post = localize(args.post, work / args.post.name, port)
        envs, cmds = {}, {}
        for name, src in trees.items():
            os.environ["DECKGEN_BENCH_SRC"] = str(src)
            envs[name] = bench_env(work / f"cache-{name}")
            start = [sys.executable, str(_runner(work))] if args.one_process else deckgen_cmd()
            cmds[name] = [*start, "build", str(post), "--out", str(work / f"out-{name}"), "-q"]
            for _ in range(2):  # the cache filled, then its failures remembered (YouTube's thumbnails)
                first = timed(cmds[name], envs[name], cwd=work)
                if first.code != 0:
                    print(first.out)
                    return 1
        runs: dict[str, list[Run]] = {"this": [], "before": []}
        for n in range(args.pairs):
            for name in ("this", "before") if n % 2 == 0 else ("before", "this"):
                runs[name].append(timed(cmds[name], envs[name], cwd=work))
            a, b = runs["this"][-1], runs["before"][-1]
            print(
                f"pair {n + 1}: this {a.wall:.2f} s ({a.cpu:.2f} s CPU, {a.peak_mb:.0f} MB), "
                f"before {b.wall:.2f} s ({b.cpu:.2f} s CPU, {b.peak_mb:.0f} MB)"
            )
        for name, done in runs.items():
            print(
                f"median {name}: {median([r.wall for r in done]):.3f} s wall, {median([r.cpu for r in done]):.3f} s CPU, "
                f"{median([r.peak_mb for r in done]):.0f} MB; "
                f"least {min(r.wall for r in done):.3f} s wall, {min(r.cpu for r in done):.3f} s CPU"
            )
        pairs = list(zip(runs["this"], runs["before"]))
        print(
            f"median ratio this/before: {median([a.wall / b.wall for a, b in pairs]):.2f} wall, "
            f"{median([a.cpu / b.cpu for a, b in pairs]):.2f} CPU"
        )
        if args.instructions:
            counted = {name: instructions(cmds[name], envs[name], work) for name in trees}
            for name, (total, crypto) in counted.items():
                print(f"instructions {name}: {(total - crypto) / 1e6:.0f} M (libcrypto's {crypto / 1e6:.0f} M left out)")
            this, before = (counted[n][0] - counted[n][1] for n in ("this", "before"))
            print(f"instructions ratio this/before: {this / before:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
