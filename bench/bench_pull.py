"""How long ``deckgen pull`` takes on the lecture (issue 19: under 1 s).

    python bench/bench_pull.py [--runs 7] [--post lecture/large-language-models.md] [--libreoffice]

Builds the post once (its pictures from a local server), then times ``pull_deck`` in this
process on the deck as built (no edits: the fast path), on a copy with five edits (a title, a
bullet reworded, a bullet added, a word made bold, a note added: matched, written, the post
parsed again to check them) and, with ``--libreoffice``, on that copy saved by LibreOffice;
then the command in a fresh process (Python's start and imports included). Prints the fastest
and the median of ``--runs``, and the memory: the peak of Python's allocations while pulling the
five edits in this process (tracemalloc; lxml's own not counted), and the fresh process's peak
resident size (its VmHWM: all of it, Python and its libraries).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from deckgen.assets.resolve import AssetOptions  # noqa: E402
from deckgen.build import BuildOptions, Services, build_post  # noqa: E402
from deckgen.pull.run import pull_deck  # noqa: E402
from support.deckedit import DeckEditor, edit, libreoffice_round_trip  # noqa: E402
from support.imageserver import ImageServer  # noqa: E402
from support.localdeck import LocalFetcher, localize_post  # noqa: E402


def five_edits(d: DeckEditor) -> None:
    d.title(2, "History of Large Language Models")
    d.replace(2, "1.6B visits", "1.8B visits")
    d.bold(2, "Transformer")
    d.add_after(35, "Step3: Fine-tine", "Step3b: Check the revisions")
    d.notes(9, "GPT-4 came out in March 2023.")


def timed(label: str, runs: int, call: object) -> None:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    print(f"{label:<44} fastest {min(times):.3f} s, median {statistics.median(times):.3f} s ({runs} runs)")


def python_peak(call: object) -> float:
    """The peak of Python's allocations during ``call()``, in MB."""
    tracemalloc.start()
    try:
        call()  # type: ignore[operator]
        return tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()


# the command, then its own peak resident size (VmHWM: this program's, not the forked parent's
# that ru_maxrss would count) on stderr's last line
MEASURED = """
import sys
from deckgen.cli import main
try:
    code = main(sys.argv[1:])
finally:
    hwm = next((l.split()[1] for l in open("/proc/self/status") if l.startswith("VmHWM:")), "0")
    print(f"VmHWM {hwm}", file=sys.stderr)
sys.exit(code)
"""


def fresh_process(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """``deckgen ARGS`` in a fresh Python, once: its seconds and its peak resident size in MB (Linux)."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", MEASURED, *args], env=env, capture_output=True, text=True, timeout=60)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"deckgen {' '.join(args)}: exit code {done.returncode}: {done.stderr[-500:]}")
    return seconds, int(done.stderr.split()[-1]) * 1024 / 1e6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--post", type=Path, default=ROOT / "lecture" / "large-language-models.md")
    parser.add_argument("--libreoffice", action="store_true", help="also time a deck LibreOffice saved")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="deckgen-bench-pull-"))
    with ImageServer() as server:
        post = localize_post(server, args.post, work / "_posts")
        options = BuildOptions(formats=("pptx",), out_dir=work / "out", pictures=AssetOptions(cache_dir=work / "cache"))
        record = build_post(post, options, Services(fetcher=LocalFetcher(server)))
    deck = work / "out" / f"{post.stem}.pptx"
    edited = edit(deck, work / "out" / "edited.pptx", five_edits)
    print(f"{post.name}: {record.pages} slides, {deck.stat().st_size / 1e6:.1f} MB")
    result = pull_deck(edited, post)
    print(f"five edits pull to {len(result.changes)} changes of the post (two share a paragraph), {len(result.findings)} listed")
    timed("pull, unedited deck (in process)", args.runs, lambda: pull_deck(deck, post))
    timed("pull, five edits (in process)", args.runs, lambda: pull_deck(edited, post))
    if args.libreoffice:
        saved = libreoffice_round_trip([edited], work / "lo")[0]
        moved = saved.rename(work / "out" / "edited-libreoffice.pptx")
        timed("pull, five edits saved by LibreOffice", args.runs, lambda: pull_deck(moved, post))
    print(f"{'memory, five edits (in process)':<44} Python's allocations peak {python_peak(lambda: pull_deck(edited, post)):.1f} MB")
    command = ["pull", str(edited), "--post", str(post), "-q"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    runs = [fresh_process(command, env) for _ in range(max(3, args.runs // 2))]
    seconds = [r[0] for r in runs]
    print(f"{'deckgen pull, five edits (a fresh process)':<44} fastest {min(seconds):.3f} s, median "
          f"{statistics.median(seconds):.3f} s ({len(runs)} runs); peak resident {max(r[1] for r in runs):.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
