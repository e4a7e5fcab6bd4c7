"""Long fuzz run: build N posts from the grammar in tests/support/fuzzposts.py, offline, both formats.

    python bench/fuzz.py --posts 10000 [--seed 1] [--reveal-js PATH] [--out failures/]

Prints the counts that matter (internal errors, posts over 10 s of CPU, slowest post, time taken)
and writes every failing post to --out so it can be turned into a test.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from support.fuzzposts import Broken, Harness, build_checked, posts  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--posts", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reveal-js", type=Path, default=os.environ.get("DECKGEN_REVEAL_JS"))
    ap.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    args = ap.parse_args()
    if not args.reveal_js:
        print("give --reveal-js (the reveal.js npm .tgz) or set DECKGEN_REVEAL_JS", file=sys.stderr)
        return 2
    work = Path(tempfile.mkdtemp(prefix="deckgen-fuzz-"))
    harness = Harness.make(work, args.reveal_js)
    counts = {"built": 0, "broken": 0, "slow": 0}
    slowest = (0.0, "")
    started = time.perf_counter()
    cpu_started = time.process_time()
    rng = random.Random(args.seed)

    @settings(
        max_examples=args.posts,
        deadline=None,
        database=None,
        phases=[Phase.generate],  # count posts, do not shrink
        suppress_health_check=list(HealthCheck),
    )
    @given(text=posts())
    def run(text: str) -> None:
        nonlocal slowest
        counts["built"] += 1
        try:
            seconds = build_checked(text, harness)
        except Broken as exc:
            counts["broken"] += 1
            args.out.mkdir(parents=True, exist_ok=True)
            name = args.out / f"broken-{counts['built']:05d}.md"
            name.write_bytes(text.encode("utf-8", "surrogatepass"))
            print(f"{name}: {exc}", file=sys.stderr)
            return
        if seconds > 10:
            counts["slow"] += 1
            args.out.mkdir(parents=True, exist_ok=True)
            (args.out / f"slow-{counts['built']:05d}.md").write_bytes(text.encode("utf-8", "surrogatepass"))
        if seconds > slowest[0]:
            slowest = (seconds, text[:80])
        if counts["built"] % 500 == 0:
            print(f"{counts['built']} posts, {counts['broken']} broken, {counts['slow']} over 10 s, "
                  f"{time.perf_counter() - started:.0f} s", flush=True)

    seed(rng.randrange(1 << 30))(run)()  # the same --seed gives the same posts
    wall = time.perf_counter() - started
    print(
        f"posts {counts['built']}, internal errors or overflows {counts['broken']}, "
        f"over 10 s {counts['slow']}, slowest {slowest[0]:.1f} s, "
        f"wall {wall:.0f} s, CPU {time.process_time() - cpu_started:.0f} s"
    )
    return 1 if counts["broken"] or counts["slow"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
