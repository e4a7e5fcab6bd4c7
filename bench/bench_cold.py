"""Cold builds against ../shared/tools/fakeweb.py: wall-clock, CPU and peak memory.

    python bench/bench_cold.py lecture [--pairs 5]   # cold lecture at 150 ms per answer vs a
                                                     # sequential fetch of its pictures
    python bench/bench_cold.py cpu [--runs 3]        # cold lecture at 0 ms: CPU user+sys, peak RSS
    python bench/bench_cold.py course [--runs 1]     # ../shared/course/ cold, 0 ms, all cores

Every build is a fresh ``deckgen build`` process with an empty cache; its CPU time and the
peak memory of its largest process (the build or one of its workers) come from
``getrusage(RUSAGE_CHILDREN)`` of a small wrapper process. Rival runs alternate with
ours; the script prints every run and the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchtools import reveal_env

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
FAKEWEB = SHARED / "tools" / "fakeweb.py"
LOCALIZE = SHARED / "tools" / "localize.py"
LECTURE = SHARED / "lecture" / "large-language-models.md"
COURSE = SHARED / "course"

# runs a command, then prints its children's rusage (CPU and the largest process's peak RSS)
_WRAPPER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
rc = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL)
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "wall": time.perf_counter() - t, "cpu": u.ru_utime + u.ru_stime,
                  "rss_mb": u.ru_maxrss / 1024}))
"""

_SEQUENTIAL = """
import sys, time, requests
urls = sys.argv[1:]
t = time.perf_counter()
with requests.Session() as s:
    for u in urls:
        s.get(u, timeout=60).content
print(time.perf_counter() - t)
"""


# the assets stage alone (downloads and header reads: what waits on the network), cold
_FETCH_STAGE = """
import datetime, sys, tempfile, time
from pathlib import Path
from deckgen.assets.resolve import AssetOptions, AssetResolver, resolve_assets
from deckgen.assets.cache import Cache, Hold
from deckgen.diagnostics import Diagnostics
from deckgen.assets.fetch import HttpFetcher
from deckgen.parse import parse_deck
from deckgen.source import read_post
post = Path(sys.argv[1])
diag = Diagnostics()
deck = parse_deck(read_post(post, datetime.datetime.now(), diag), diag)
cache = Cache(Path(tempfile.mkdtemp()))
t = time.perf_counter()
with Hold(cache.root) as hold:
    resolver = AssetResolver(cache, HttpFetcher(), AssetOptions(), diag, post, time.time, hold)
    resolve_assets(deck, resolver)
print(time.perf_counter() - t, time.process_time())
"""


class FakeWeb:
    def __init__(self, latency_ms: float) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, str(FAKEWEB), "--port", "0", "--latency-ms", str(latency_ms)],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        found = re.search(r"127\.0\.0\.1:(\d+)", line)
        if not found:
            self.proc.kill()
            raise SystemExit(f"fakeweb did not start: {line!r}")
        self.port = int(found.group(1))

    def __enter__(self) -> FakeWeb:
        return self

    def __exit__(self, *exc: object) -> None:
        self.proc.terminate()
        self.proc.wait()


def localize(posts: list[Path], folder: Path, port: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for post in posts:
        target = folder / post.name
        subprocess.run(
            [sys.executable, str(LOCALIZE), str(post), str(target), "--port", str(port)], check=True
        )
        out.append(target)
    return out


def picture_urls(posts: list[Path], port: int) -> list[str]:
    pattern = re.compile(rf"http://127\.0\.0\.1:{port}/[^\s)\"'>]+")
    seen: dict[str, None] = {}
    for post in posts:
        for url in pattern.findall(post.read_text(encoding="utf-8")):
            seen.setdefault(url, None)
    return list(seen)


def measured(cmd: list[str], env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _WRAPPER, *cmd], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def cold_build(target: Path, work: Path, jobs: int | None = None) -> dict:
    cache, out = Path(tempfile.mkdtemp(dir=work)), Path(tempfile.mkdtemp(dir=work))
    env = dict(reveal_env(), DECKGEN_CACHE_DIR=str(cache))
    cmd = [sys.executable, "-m", "deckgen", "build", str(target), "--out", str(out), "--quiet"]
    if jobs:
        cmd += ["--jobs", str(jobs)]
    try:
        result = measured(cmd, env)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    if result["rc"] not in (0,):
        raise SystemExit(f"deckgen exited {result['rc']}: {' '.join(cmd)}")
    return result


def warm_up(urls: list[str]) -> None:
    """Have fakeweb generate (and keep) every picture once, so no run pays for that."""
    subprocess.run([sys.executable, "-c", _SEQUENTIAL, *urls], check=True, capture_output=True)


def bench_lecture(args: argparse.Namespace, work: Path) -> None:
    with FakeWeb(150) as web:
        (post,) = localize([LECTURE], work / "post", web.port)
        urls = picture_urls([post], web.port)
        warm_up(urls)
        ours, rival, fetches = [], [], []
        for n in range(args.pairs):
            r = cold_build(post, work)
            s = subprocess.run(
                [sys.executable, "-c", _SEQUENTIAL, *urls], capture_output=True, text=True, check=True
            )
            seq = float(s.stdout.strip())
            f = subprocess.run(
                [sys.executable, "-c", _FETCH_STAGE, str(post)], capture_output=True, text=True, check=True
            )
            stage = float(f.stdout.split()[0])
            ours.append(r["wall"])
            rival.append(seq)
            fetches.append(stage)
            print(
                f"pair {n + 1}: deckgen cold {r['wall']:.2f} s (CPU {r['cpu']:.2f} s), its assets stage "
                f"alone {stage:.2f} s, sequential fetch of {len(urls)} pictures {seq:.2f} s, "
                f"ratio {r['wall'] / seq:.2f}"
            )
        ratios = [a / b for a, b in zip(ours, rival)]
        print(
            f"median: deckgen {statistics.median(ours):.2f} s, sequential {statistics.median(rival):.2f} s, "
            f"ratio {statistics.median(ratios):.2f} (target <= 0.33); the assets stage alone "
            f"{statistics.median(fetches):.2f} s, ratio {statistics.median(fetches) / statistics.median(rival):.2f}"
        )


def bench_cpu(args: argparse.Namespace, work: Path) -> None:
    with FakeWeb(0) as web:
        (post,) = localize([LECTURE], work / "post", web.port)
        warm_up(picture_urls([post], web.port))
        runs = []
        for n in range(args.runs):
            r = cold_build(post, work)
            runs.append(r)
            print(
                f"run {n + 1}: wall {r['wall']:.2f} s, CPU user+sys {r['cpu']:.2f} s, peak {r['rss_mb']:.0f} MB"
            )
        print(
            f"median: CPU {statistics.median(r['cpu'] for r in runs):.2f} s (target <= 2 s), "
            f"peak {statistics.median(r['rss_mb'] for r in runs):.0f} MB (target <= 300 MB)"
        )


def bench_course(args: argparse.Namespace, work: Path) -> None:
    with FakeWeb(0) as web:
        posts = localize(sorted(COURSE.glob("*.md")), work / "course", web.port)
        warm_up(picture_urls(posts, web.port))
        runs = []
        for n in range(args.runs):
            r = cold_build(work / "course", work, jobs=args.jobs)
            runs.append(r)
            print(
                f"run {n + 1}: wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s, "
                f"largest process peak {r['rss_mb']:.0f} MB"
            )
        print(
            f"median: wall {statistics.median(r['wall'] for r in runs):.1f} s (target <= 60 s), "
            f"peak {statistics.median(r['rss_mb'] for r in runs):.0f} MB (target <= 300 MB); "
            f"{os.cpu_count()} cores"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("lecture", "cpu", "course"))
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    print(time.strftime("%Y-%m-%d %H:%M"), f"{os.cpu_count()} cores")
    work = Path(tempfile.mkdtemp(prefix="deckgen-bench-"))
    try:
        {"lecture": bench_lecture, "cpu": bench_cpu, "course": bench_course}[args.what](args, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
