"""Build posts with their images served from a local server (a development aid).

    python bench/build_local.py OUT_DIR POST.md [POST.md ...] [--delay 0.15] [--cache DIR]

Prints each deck's summary; the decks land in OUT_DIR.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from deckgen.assets.resolve import AssetOptions  # noqa: E402
from deckgen.build import BuildOptions, Services, build_post  # noqa: E402
from deckgen.diagnostics import render as R  # noqa: E402
from support.imageserver import ImageServer  # noqa: E402
from support.localdeck import LocalFetcher, localize_post  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("posts", nargs="+", type=Path)
    parser.add_argument("--delay", type=float, default=0.0)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--theme", default=None)
    parser.add_argument("--reveal-js", type=Path, default=None)
    args = parser.parse_args()
    cache = args.cache or Path(tempfile.mkdtemp(prefix="deckgen-cache-"))
    with ImageServer(delay=args.delay) as server:
        for post in args.posts:
            # the posts as built (image URLs pointing at the local server) stay in OUT/posts
            local = localize_post(server, post, args.out / "posts")
            options = BuildOptions(
                out_dir=args.out, theme=args.theme, reveal_js=args.reveal_js, pictures=AssetOptions(cache_dir=cache)
            )
            started = time.perf_counter()
            result = build_post(local, options, Services(fetcher=LocalFetcher(server)))
            s = result.images
            for line in R.lines(result.warnings):
                print("warning:", line)
            print(
                f"{post.name}: {result.pages} slides, images {s.total} ({s.cached} cached, "
                f"{s.downloaded} downloaded, {s.failed} failed), {time.perf_counter() - started:.2f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
