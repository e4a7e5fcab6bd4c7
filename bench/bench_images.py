"""Benchmark the image pipeline on the lecture, with its images on a slow local server.

    DECKGEN_REVEAL_JS=/path/to/reveal.js-6.0.2.tgz python bench/bench_images.py [--repeat 5] [--delay 0.15]
        [--post lecture/large-language-models.md] [--profile]

Every image of the post is served from a local ImageServer that waits ``--delay`` seconds
before each answer (nothing reaches the internet; YouTube thumbnails are mapped to the same
server). Measured, ``--repeat`` times each, medians reported:

* sequential: the same image URLs fetched one after another with requests (what a naive
  tool would take just to download);
* cold: ``build_post`` (both formats) with an empty cache;
* warm: the same build again on that cache (must make no request and encode nothing);
* offline: the same build with ``offline=True`` (must make no request).

Targets (issue 4): cold < 1/3 of sequential; warm makes 0 requests and does no image
decoding or encoding; warm build in both formats < 1 s. ``--profile`` adds a cProfile of
one warm build. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import requests  # noqa: E402
from PIL import Image as PILImage  # noqa: E402

import deckgen.assets.images  # noqa: E402
import deckgen.pipeline  # noqa: E402
from deckgen.assets.resolve import AssetOptions, collect, normalize_url  # noqa: E402
from deckgen.build import BuildOptions, Record, Services, build_post  # noqa: E402
from deckgen.diagnostics import Diagnostics  # noqa: E402
from deckgen.diagnostics import render as R  # noqa: E402
from deckgen.parse import parse_deck  # noqa: E402
from deckgen.source import read_post  # noqa: E402
from support.imageserver import ImageServer  # noqa: E402
from support.localdeck import LocalFetcher, localize_post  # noqa: E402

_YT_THUMB = re.compile(r"^https?://img\.youtube\.com/(vi/[^?#]+)")


def image_urls(post: Path, server: ImageServer) -> list[str]:
    """The URLs a build of ``post`` downloads, as the fetcher would ask for them."""
    import datetime as dt

    diag = Diagnostics()
    deck = parse_deck(read_post(post, dt.datetime.now(), diag), diag)
    urls = []
    for job in collect(deck):
        url, _ = normalize_url(job.url)
        m = _YT_THUMB.match(url)
        urls.append(server.url(m.group(1)) if m else url)
    return urls


def sequential_fetch(urls: list[str]) -> float:
    started = time.perf_counter()
    with requests.Session() as session:
        session.trust_env = False
        for url in urls:
            response = session.get(url, timeout=30)
            response.raise_for_status()
            _ = response.content
    return time.perf_counter() - started


class Counters:
    """Counts image conversions, Pillow decodes and encodes, and the time of each build stage."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.stages: dict[str, float] = {}

    @contextmanager
    def installed(self) -> Iterator[None]:
        patches: list[tuple[object, str, object]] = []

        def wrap(owner: object, name: str, key: str, timed: bool = False) -> None:
            original = getattr(owner, name)

            def wrapper(*args: object, **kwargs: object) -> object:
                self.calls[key] += 1
                started = time.perf_counter()
                try:
                    return original(*args, **kwargs)
                finally:
                    if timed:
                        self.stages[key] = self.stages.get(key, 0.0) + time.perf_counter() - started

            patches.append((owner, name, original))
            setattr(owner, name, wrapper)

        wrap(deckgen.assets.images, "convert", "convert")
        wrap(PILImage.Image, "load", "pillow_decode")
        wrap(PILImage.Image, "save", "pillow_encode")
        for stage in ("read_post", "parse_deck", "resolve_assets", "layout_deck", "write_outputs"):
            wrap(deckgen.pipeline, stage, stage, timed=True)  # the stages of the one pipeline
        try:
            yield
        finally:
            for owner, name, original in reversed(patches):
                setattr(owner, name, original)


def timed_build(post: Path, options: BuildOptions, fetcher: LocalFetcher | None) -> tuple[float, Record]:
    started = time.perf_counter()
    result = build_post(post, options, Services(fetcher=fetcher))
    return time.perf_counter() - started, result


def median(values: list[float]) -> float:
    return statistics.median(values)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--post", type=Path, default=ROOT / "lecture" / "large-language-models.md")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--delay", type=float, default=0.15)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of one warm build")
    args = parser.parse_args()
    reveal = os.environ.get("DECKGEN_REVEAL_JS")
    if not reveal or not Path(reveal).exists():
        print("set DECKGEN_REVEAL_JS to the reveal.js 6.0.2 .tgz or folder", file=sys.stderr)
        return 2

    figures: dict[str, list[float]] = {"sequential": [], "cold": [], "warm": [], "offline": []}
    warm_requests: list[int] = []
    offline_requests: list[int] = []
    warm_counts: Counter[str] = Counter()
    warm_stages: list[dict[str, float]] = []
    cold_stages: list[dict[str, float]] = []
    pptx_size = 0
    last: Record | None = None
    with ImageServer(delay=args.delay) as server, tempfile.TemporaryDirectory(prefix="deckgen-bench-") as tmp:
        work = Path(tmp)
        post = localize_post(server, args.post, work / "posts")
        urls = image_urls(post, server)
        sequential_fetch(urls)  # the server draws each picture once; every run below is served alike
        for run in range(args.repeat):
            options = BuildOptions(
                out_dir=work / f"out{run}", reveal_js=Path(reveal), pictures=AssetOptions(cache_dir=work / f"cache{run}")
            )
            figures["sequential"].append(sequential_fetch(urls))

            cold_counters = Counters()
            with cold_counters.installed():
                seconds, cold = timed_build(post, options, LocalFetcher(server))
            figures["cold"].append(seconds)
            cold_stages.append(cold_counters.stages)
            if cold.images.failed or cold.images.downloaded != len(urls):
                print(f"cold build: {cold.images} {R.lines(cold.warnings)}", file=sys.stderr)
                return 1

            server.reset_log()
            counters = Counters()
            fetcher = LocalFetcher(server)
            with counters.installed():
                seconds, last = timed_build(post, options, fetcher)
            figures["warm"].append(seconds)
            warm_requests.append(len(server.requests) + fetcher.requests_made)
            warm_counts.update(counters.calls)
            warm_stages.append(counters.stages)

            server.reset_log()
            offline = BuildOptions(
                out_dir=work / f"off{run}",
                reveal_js=Path(reveal),
                pictures=AssetOptions(cache_dir=options.pictures.cache_dir, offline=True),
            )
            fetcher = LocalFetcher(server)
            seconds, off = timed_build(post, offline, fetcher)
            figures["offline"].append(seconds)
            offline_requests.append(len(server.requests) + fetcher.requests_made)
            if off.images.failed:
                print(f"offline build: {R.lines(off.warnings)}", file=sys.stderr)
                return 1
            pptx_size = (options.out_dir / f"{post.stem}.pptx").stat().st_size
        if args.profile:
            profile(lambda: build_post(post, options, Services(fetcher=LocalFetcher(server))))

    med = {name: median(values) for name, values in figures.items()}
    assert last is not None
    print(
        f"post: {args.post.name}: {last.pages} slides, {len(urls)} image URLs, server delay {args.delay:g} s"
    )
    print(f"medians of {args.repeat} runs (seconds):")
    for name in ("sequential", "cold", "warm", "offline"):
        runs = ", ".join(f"{v:.2f}" for v in figures[name])
        print(f"  {name:<11} {med[name]:6.2f}   [{runs}]")
    stage_names = ("read_post", "parse_deck", "resolve_assets", "layout_deck", "write_outputs")
    for label, runs_stages in (("cold", cold_stages), ("warm", warm_stages)):
        stages = {name: median([s.get(name, 0.0) for s in runs_stages]) for name in stage_names}
        print(f"{label} build by stage (median s): " + ", ".join(f"{k} {v:.3f}" for k, v in stages.items()))
    ratio = med["cold"] / med["sequential"]
    print(f"cold / sequential = {ratio:.3f} (target < 0.333)")
    print(f"warm / cold       = {med['warm'] / med['cold']:.3f}")
    print(f"offline / cold    = {med['offline'] / med['cold']:.3f}")
    print(
        f"warm build requests: {sum(warm_requests)} over {args.repeat} runs; offline: {sum(offline_requests)}"
    )
    print(
        f"warm build image work: {warm_counts['convert']} conversions, "
        f"{warm_counts['pillow_decode']} Pillow decodes, {warm_counts['pillow_encode']} Pillow encodes"
    )
    print(f".pptx size: {pptx_size / 1024 / 1024:.2f} MB ({pptx_size} bytes)")
    missed = []
    if ratio >= 1 / 3:
        missed.append("cold build not under a third of the sequential fetch")
    if sum(warm_requests) or sum(offline_requests):
        missed.append("warm or offline build made requests")
    if warm_counts["convert"] or warm_counts["pillow_encode"] or warm_counts["pillow_decode"]:
        missed.append("warm build decoded or encoded images")
    if med["warm"] >= 1.0:
        missed.append("warm build not under 1 s")
    for line in missed:
        print(f"MISSED: {line}")
    if not missed:
        print("all targets met")
    return 1 if missed else 0


def profile(run: Callable[[], object]) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    print(out.getvalue())


if __name__ == "__main__":
    raise SystemExit(main())
