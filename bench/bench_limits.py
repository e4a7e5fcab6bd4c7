"""How long the limits and faults take: the timings the tests used to assert, measured here.

    DECKGEN_REVEAL_JS=/path/to/reveal.js-6.0.2.tgz python bench/bench_limits.py [--runs 5]
        [--fuzz-posts 100] [--only NAME,...]

The tests check what each of these timings stood for (a post refused from its size alone, a
bomb refused from its header, a download given up at its deadline, attempts counted, the
slow faults fetched side by side, ...); this script measures the time itself, ``--runs``
times each, and prints the median and the largest next to the bound the test once asserted
(the suite's machine shares its cores, so these are figures to compare, not to fail on).
Nothing leaves the machine: pictures come from the test suite's local server.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from deckgen.assets.fetch import FetchError, FetchPolicy, HttpFetcher  # noqa: E402
from deckgen.assets.images import ImageDataError, convert  # noqa: E402
from deckgen.assets.resolve import AssetOptions  # noqa: E402
from deckgen.build import BuildOptions, build_post  # noqa: E402
from deckgen.cli import main as cli  # noqa: E402
from deckgen.diagnostics import Diagnostics  # noqa: E402
from deckgen.errors import DeckgenError  # noqa: E402
from deckgen.source import read_post  # noqa: E402
from support.imageserver import ImageServer, build_bomb_png  # noqa: E402

# the policy the fetch and assets tests use
FAST = FetchPolicy(connect_timeout=1.0, read_timeout=1.0, total_timeout=2.0, backoff=0.05)

Clock = Callable[[], float]


def _quiet(fn: Callable[[], object]) -> Callable[[], object]:
    def call() -> object:
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            return fn()

    return call


def _fails(fn: Callable[[], object], kind: type[BaseException] = Exception) -> Callable[[], None]:
    def call() -> None:
        try:
            fn()
        except kind:
            return
        raise SystemExit("expected a failure, the call succeeded")

    return call


# ---------------------------------------------------------------------------
# the scenarios: (name, what the test asserted, clock, setup -> the call to time)


def _post(work: Path, text: str, name: str = "post.md") -> Path:
    path = work / name
    path.write_text(text, "utf-8", errors="surrogatepass")
    return path


def _build(work: Path, reveal: Path | None, text: str) -> Callable[[], object]:
    post = _post(work, text)
    options = BuildOptions(
        out_dir=work / "out", reveal_js=reveal, cwd=work, pictures=AssetOptions(offline=True, cache_dir=work / "cache")
    )
    return lambda: build_post(post, options)


def size_limit(work: Path, _reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
    post = _post(work, "---\ntitle: Huge\n---\n" + "## Slide\n\ntext\n\n---\n\n" * 60_000, "huge.md")
    args = ["build", str(post), "--out", str(work / "out"), "--offline", "--cache-dir", str(work / "c")]
    return _quiet(lambda: cli(args))


def alias_bomb(work: Path, _reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 8)]
    post = _post(work, "---\n" + "\n".join(lines) + "\ntitle: bomb\n---\n## a\n")
    return _fails(lambda: read_post(post, dt.datetime.now(), Diagnostics()), DeckgenError)


def wide_colspan(n: int) -> Callable[[Path, Path | None, ImageServer], Callable[[], object]]:
    def setup(work: Path, reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
        table = f'<table><tr><td colspan="{n}">x</td></tr><tr><td>a</td><td>b</td></tr></table>'
        return _build(work, reveal, f"## a\n\n{table}\n")

    return setup


def columns_400(work: Path, reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
    row = "<tr>" + "<td>x</td>" * 400 + "</tr>"
    return _build(work, reveal, f"## a\n\n<table>{row}{row}</table>\n")


def small_post(work: Path, reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
    return _build(work, reveal, "---\ntitle: T\n---\n## a\n\nsome *text* and a [link](https://x.org/)\n")


def pixel_bomb(_work: Path, _reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
    data = build_bomb_png(60000, 60000)
    return _fails(lambda: convert(data), ImageDataError)


def giant_svg(_work: Path, _reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
    data = b'<svg xmlns="http://www.w3.org/2000/svg" width="60000" height="60000"><rect width="10" height="10"/></svg>'
    return lambda: convert(data)


def fetch_fault(path: str, policy: FetchPolicy = FAST) -> Callable[[Path, Path | None, ImageServer], Callable[[], object]]:
    def setup(_work: Path, _reveal: Path | None, server: ImageServer) -> Callable[[], object]:
        url = server.url(path)
        return _fails(lambda: HttpFetcher(policy)(url, "", ""), FetchError)

    return setup


def closed_port(_work: Path, _reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
    with ImageServer() as gone:
        url = gone.url("img/x.png")
    return _fails(lambda: HttpFetcher(FAST)(url, "", ""), FetchError)


def two_hosts(_work: Path, _reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
    import threading

    def run() -> None:
        fetcher = HttpFetcher(FetchPolicy(per_host=2, total_timeout=10.0))
        with ImageServer(delay=0.2) as a, ImageServer(delay=0.2) as b:
            urls = [a.image_url(f"a{i}", "png", w=32, h=32) for i in range(6)]
            urls += [b.image_url(f"b{i}", "png", w=32, h=32) for i in range(6)]
            threads = [threading.Thread(target=fetcher, args=(u, "", "")) for u in urls]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

    return run


FAULTS = [
    "fault/html.png", "fault/truncated.png", "fault/truncated-nolen.png", "fault/corrupt.jpg", "fault/bomb.png",
    "fault/loop", "fault/huge.png", "fault/huge-nolen.png", "fault/hang.png", "fault/404.png", "fault/500.png",
    "fault/slow.png?chunks=60&interval=0.5",
]  # the list of tests/assets/test_resolve.py


def all_faults(work: Path, _reveal: Path | None, server: ImageServer) -> Callable[[], object]:
    from deckgen.assets.cache import Cache
    from deckgen.assets.resolve import AssetResolver, resolve_assets
    from deckgen.model import Deck, Image, Meta, Slide

    urls = [server.url(p) for p in FAULTS] + [server.image_url("fine", "png", alpha=True)]
    deck = Deck(Meta(title="t"), (), tuple(Slide(blocks=(Image(u, line=3 * i + 10),), line=3 * i + 9) for i, u in enumerate(urls)))
    runs = iter(range(1_000_000))

    def run() -> None:
        cache = work / f"cache-{next(runs)}"  # cold every time
        resolver = AssetResolver(Cache(cache), HttpFetcher(FAST), AssetOptions(), Diagnostics(), work / "p.md", time.time)
        resolve_assets(deck, resolver)

    return run


def cli_timeout(work: Path, _reveal: Path | None, server: ImageServer) -> Callable[[], object]:
    post = _post(work, f"---\ntitle: P\n---\n## a\n![x]({server.image_url('big', 'png', w=1200, h=800)})\n\n---\n"
                 f"## b\n![y]({server.url('fault/hang.png')})\n")
    runs = iter(range(1_000_000))

    def run() -> object:
        n = next(runs)
        args = ["build", str(post), "--format", "pptx", "--out", str(work / f"out{n}"), "--cache-dir", str(work / f"c{n}")]
        return cli([*args, "--max-size", "0.5", "--timeout", "1.5", "--strict", "-q"])

    return _quiet(run)


def server_stop(_work: Path, _reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
    import socket
    import threading

    def run() -> None:
        server = ImageServer()
        ready = threading.Event()

        def client() -> None:
            with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
                sock.sendall(b"GET /fault/hang.png HTTP/1.1\r\nHost: x\r\n\r\n")
                ready.set()
                with contextlib.suppress(OSError):
                    sock.recv(10)

        thread = threading.Thread(target=client, daemon=True)
        thread.start()
        ready.wait(5)
        while server.hits["/fault/hang.png"] == 0:
            time.sleep(0.005)
        server.stop()
        thread.join()

    return run


def server_delay(_work: Path, _reveal: Path | None, _server: ImageServer) -> Callable[[], object]:
    import requests

    def run() -> None:
        with ImageServer(delay=0.15) as server:
            requests.get(server.url("img/late.png?w=10&h=10"), timeout=5)

    return run


WALL: Clock = time.perf_counter
CPU: Clock = time.process_time

SCENARIOS: list[tuple[str, str, Clock, Callable[[Path, Path | None, ImageServer], Callable[[], object]]]] = [
    ("size-limit", "a 1.2 MB post refused, from the CLI: < 5 s (tests/test_pipeline.py)", WALL, size_limit),
    ("alias-bomb", "a YAML alias bomb refused: < 2 s (e2e/test_robust.py)", WALL, alias_bomb),
    ("colspan-400", "a colspan of 400, both decks: < 5 s CPU (e2e/test_robust.py)", CPU, wide_colspan(400)),
    ("colspan-1000", "a colspan of 1000, both decks: < 5 s CPU (e2e/test_robust.py)", CPU, wide_colspan(1000)),
    ("columns-400", "a table of 400 columns, both decks: < 8 s CPU (e2e/test_robust.py)", CPU, columns_400),
    ("small-post", "any robustness post, both decks: < 10 s (e2e/test_robust.py)", WALL, small_post),
    ("pixel-bomb", "a 60000 x 60000 PNG refused: < 1 s (assets/test_images.py)", WALL, pixel_bomb),
    ("giant-svg", "an SVG claiming 60000 x 60000 drawn: < 5 s (assets/test_images.py)", WALL, giant_svg),
    ("fetch-declared-huge", "a declared 300 MB body refused: < 1 s (assets/test_fetch.py)", WALL, fetch_fault("fault/huge.png")),
    ("fetch-undeclared-huge", "an undeclared 300 MB body cut at 30 MB: < 3 s", WALL,
     fetch_fault("fault/huge-nolen.png", FetchPolicy(total_timeout=10.0))),
    ("fetch-hang", "a server that never answers given up: 0.9 to 3.5 s (total 2 s)", WALL, fetch_fault("fault/hang.png")),
    ("fetch-trickle", "a trickle past the deadline cut off: < 3 s (total 2 s)", WALL,
     fetch_fault("fault/slow.png?chunks=60&interval=0.5")),
    ("fetch-truncated", "a truncated body, three tries: < 2 s", WALL, fetch_fault("fault/truncated.png")),
    ("fetch-404", "404, no retry: < 1 s", WALL, fetch_fault("fault/404.png")),
    ("fetch-500", "500, three tries: < 2 s", WALL, fetch_fault("fault/500.png")),
    ("fetch-loop", "a redirect loop: (no bound asserted)", WALL, fetch_fault("fault/loop")),
    ("fetch-closed-port", "a closed port: < 1 s", WALL, closed_port),
    ("fetch-two-hosts", "6 + 6 pictures, 2 at a time per host, 0.2 s each: < 1.2 s (3 rounds, not 6)", WALL, two_hosts),
    ("resolve-all-faults", "every fault at once plus one good picture: < 7 s (2 rounds; assets/test_resolve.py)", WALL, all_faults),
    ("cli-timeout", "build --max-size 0.5 --timeout 1.5 with a hanging picture: < 4.5 s (tests/cli/test_cli.py)", WALL, cli_timeout),
    ("imageserver-stop", "stop() with a handler hanging: < 1.5 s (support/test_imageserver.py)", WALL, server_stop),
    ("imageserver-delay", "one answer with delay 0.15: >= 0.15 s (support/test_imageserver.py)", WALL, server_delay),
]


def measure(clock: Clock, call: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = clock()
        call()
        out.append(clock() - started)
    return out


def fuzz_cpu(work: Path, reveal: Path, posts: int) -> list[float]:
    """CPU seconds of each of ``posts`` posts of the fuzzer's grammar, seeded: the same posts
    every run (not the suite's 500, whose seed comes from the test's own name)."""
    from hypothesis import HealthCheck, Phase, given, settings

    from support.fuzzposts import Harness, build_checked
    from support.fuzzposts import posts as grammar

    harness = Harness.make(work, reveal)
    seconds: list[float] = []

    @settings(max_examples=posts, derandomize=True, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(text=grammar())
    def run(text: str) -> None:
        seconds.append(build_checked(text, harness))

    run()
    return seconds


@contextlib.contextmanager
def _workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="deckgen-limits-") as tmp:
        yield Path(tmp)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--fuzz-posts", type=int, default=100, help="fuzz posts to time (0: none)")
    ap.add_argument("--only", default="", help="comma-separated scenario names")
    ap.add_argument("--reveal-js", type=Path, default=os.environ.get("DECKGEN_REVEAL_JS"))
    args = ap.parse_args()
    only = {n for n in args.only.split(",") if n}
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    print(f"{'scenario':<24} {'median':>8} {'max':>8}  clock  what the test asserted")
    with ImageServer() as server:
        for name, asserted, clock, setup in SCENARIOS:
            if only and name not in only:
                continue
            # the servers' threads print the connections a client drops (on purpose) on stderr
            with _workdir() as work, contextlib.redirect_stderr(io.StringIO()):
                call = setup(work, args.reveal_js, server)
                call()  # warm: imports, font tables, the server's first answer
                times = measure(clock, call, args.runs)
            kind = "cpu" if clock is CPU else "wall"
            print(f"{name:<24} {statistics.median(times):>7.3f}s {max(times):>7.3f}s  {kind:<5}  {asserted}", flush=True)
    if args.fuzz_posts and (not only or "fuzz" in only):
        if not args.reveal_js:
            print("fuzz: skipped (give --reveal-js or set DECKGEN_REVEAL_JS)")
        else:
            with _workdir() as work:
                cpu = fuzz_cpu(work, args.reveal_js, args.fuzz_posts)
            print(f"{'fuzz (per post)':<24} {statistics.median(cpu):>7.3f}s {max(cpu):>7.3f}s  cpu    "
                  f"{len(cpu)} seeded posts: each < 10 s CPU (e2e/test_fuzz.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
