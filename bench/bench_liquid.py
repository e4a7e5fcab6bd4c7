"""python-liquid against deckgen's own Liquid evaluator (``deckgen.source.liquid``), issue 20.

    pip install python-liquid        # a bench tool here, not a dependency of deckgen
    python bench/bench_liquid.py [--runs 21] [--fuzz 300] [--seed 1] [--timeout 20] [--shared ../shared]

python-liquid is used the way deckgen would have to use it (``_python_liquid`` below): the
post's body is one template; ``site.time`` is the injected clock, ``site.baseurl`` and
``site.url`` are "", ``page`` is the front matter; ``highlight``/``endhighlight`` are two
tags that write a code fence; every error python-liquid reports is collected as an S102
with the line of its token (the environment's ``error`` hook), undefined names and unknown
filters are errors (``StrictUndefined``, ``strict_filters``); an unclosed ``{{``/``{%`` that
stops python-liquid's lexer is an S103 and is cut to the end of its line, and the template
is parsed again.

Prints: (a) every difference in output or diagnostics (code, line) on the course
(``../shared/course``, 36 posts), the corpus (4) and the lecture, then on the Liquid cases
deckgen supports and on grammar-fuzzed posts (tests/support/fuzzposts.py); (b) the median
time per post of both, and import times (``python -X importtime``); (c) hostile input, each
case in a child process with a time limit; (d) the installed weight and licence of
python-liquid and what it pulls in.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata as md
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from deckgen.diagnostics import Diagnostics  # noqa: E402
from deckgen.source.decode import decode_post  # noqa: E402
from deckgen.source.frontmatter import split_front_matter  # noqa: E402
from deckgen.source.liquid import evaluate_liquid  # noqa: E402
from deckgen.source.xmlchars import clean_source, clean_value  # noqa: E402

NOW = dt.datetime(2026, 12, 3, 9, 30)
Problems = list[tuple[str, int]]
Evaluator = Callable[[str, dict[str, Any], int], tuple[str | None, Problems]]


# ---------------------------------------------------------------------------
# the two evaluators, same contract: (body, front, first line) -> (body, [(code, line)])


def _hand_written(body: str, front: dict[str, Any], first_line: int) -> tuple[str | None, Problems]:
    diag = Diagnostics()
    out = evaluate_liquid(body, front, NOW, diag, Path("post.md"), first_line)
    return out, sorted((d.code, d.line or 0) for d in diag)


_ENV: Any = None


def _environment(limits: bool) -> Any:
    from liquid import Environment, Mode, StrictUndefined
    from liquid.ast import Node
    from liquid.tag import Tag
    from liquid.token import TOKEN_EXPRESSION, TOKEN_TAG

    class Fence(Node):
        __slots__ = ("text",)

        def __init__(self, token: Any, text: str) -> None:
            super().__init__(token)
            self.text = text

        def render_to_output(self, context: Any, buffer: Any) -> int:
            buffer.write(self.text)
            return len(self.text)

    class Highlight(Tag):
        block = False
        name = "highlight"

        def parse(self, stream: Any) -> Node:
            token = stream.expect(TOKEN_TAG)
            lang = ""
            if stream.peek.kind == TOKEN_EXPRESSION:
                next(stream)
                lang = (stream.current.value.split() or [""])[0]
            return Fence(token, "```" + lang)

    class EndHighlight(Highlight):
        name = "endhighlight"

        def parse(self, stream: Any) -> Node:
            return Fence(stream.expect(TOKEN_TAG), "```")

    class Collecting(Environment):  # type: ignore[misc]
        found: list[Any]

        def error(self, exc: Any, msg: str | None = None, token: Any = None) -> None:
            if isinstance(exc, type):
                exc = exc(msg, token=token)
            elif not exc.token:
                exc.token = token
            self.found.append(exc)

    if limits:
        Collecting.loop_iteration_limit = 10_000
        Collecting.output_stream_limit = 4_000_000
        Collecting.local_namespace_limit = 1_000_000
    env = Collecting(tolerance=Mode.WARN, undefined=StrictUndefined, strict_filters=True)
    env.add_tag(Highlight)
    env.add_tag(EndHighlight)
    return env


def _python_liquid(body: str, front: dict[str, Any], first_line: int, limits: bool = False) -> tuple[str | None, Problems]:
    global _ENV
    from liquid.exceptions import LiquidSyntaxError

    if _ENV is None or _ENV[0] != limits:
        _ENV = (limits, _environment(limits))
    env = _ENV[1]
    env.found = []
    problems: Problems = []

    def line_of(source: str, token: Any) -> int:
        index = token.start_index if token is not None and token.start_index >= 0 else 0
        return first_line + source.count("\n", 0, index)

    source = body
    for _ in range(10_000):
        try:
            template = env.from_string(source)
            break
        except LiquidSyntaxError as exc:  # the lexer stops at an unclosed {{ or {%
            if exc.token is None:
                problems.append(("S103", first_line))
                return None, problems
            start = exc.token.start_index
            end = source.find("\n", start)
            end = len(source) if end < 0 else end
            problems.append(("S103", line_of(source, exc.token)))
            source = source[:start] + source[end:]
    else:
        return None, problems
    out = template.render(site={"time": NOW, "baseurl": "", "url": ""}, page=front)
    problems += [("S102", line_of(source, e.token)) for e in env.found]
    return out, sorted(problems)


ENGINES: dict[str, Evaluator] = {"hand": _hand_written, "python-liquid": _python_liquid}


# ---------------------------------------------------------------------------
# posts


def _split(text: str, path: Path) -> tuple[str, dict[str, Any], int]:
    """The body, front matter and first body line, as ``read_post`` hands them to the evaluator."""
    text, _ = clean_source(text.replace("\r\n", "\n").replace("\r", "\n"))
    front, body, body_line = split_front_matter(text, path)
    return body, clean_value(front)[0], body_line


def course_posts(shared: Path) -> list[Path]:
    posts = sorted(p for p in (shared / "course").glob("*.md") if p.name != "README.md")
    posts += sorted(p for p in (shared / "corpus").glob("*.md") if p.name != "README.md")
    return [*posts, shared / "lecture" / "large-language-models.md"]


FEATURES = [
    ("site.time, date", 'Updated {{ site.time | date: "%B %d, %Y" }}.\n'),
    ("single quotes, no spaces", "{{site.time|date:'%Y'}}\n"),
    ("page.title", "# {{ page.title }}\n"),
    ("page list and page.date", "{{ page.tags }} / {{ page.date | date: '%Y' }}\n"),
    ("whitespace control", "a\n{{- page.title -}}\nb\n"),
    ("unknown output", "one\ntwo {{ site.data.people }} end\n"),
    ("unknown page key", "x {{ page.missing }} y\n"),
    ("unknown filter", "{{ page.title | jsonify }}\n"),
    ("Jekyll filter", "{{ site.time | date_to_long_string }}\n"),
    ("include tag", "a\n{% include footer.html %}\nb\n{{ page.nope }}\n"),
    ("multi-line tag", "{% include x.html\n   a=1\n   b=2 %}\nline 7\n{{ nope }}\n"),
    ("raw", "Use {% raw %}{{ page.title }} and {% if %}{% endraw %} here\n"),
    ("multi-line raw", "{% raw %}\n{{ a }}\n{{ b }}\n{% endraw %}\n{{ nope }}\n"),
    ("comment", "a\n{% comment %}\nsecret {{ x }}\n{% endcomment %}\nb\n{{ nope }}\n"),
    ("if block", "{% if page.x %}\nshown\n{% endif %}\n"),
    ("highlight", "{% highlight python linenos %}\nprint(1)\n{% endhighlight %}\n"),
    ("highlight with Liquid inside", "{% highlight text %}\n{{ page.title }}\n{% endhighlight %}\n"),
    ("site.baseurl", "![x]({{ site.baseurl }}/a.png) {{ site.url }}\n"),
    ("relative_url", "[a]({{ '/a/' | relative_url }})\n"),
    ("date: now", "{{ 'now' | date: '%Y-%m-%d' }}\n"),
    ("unclosed output", "a {{ site.time\nb\n{{ nope }}\n"),
    ("unclosed tag", "a\n{% if x\nb\n"),
    ("unclosed raw", "a\n{% raw %}\n{{ x }}\n"),
    ("unclosed comment", "a\n{% comment %}\nb\n"),
    ("for loop", "{% for i in (1..3) %}{{ i }}{% endfor %}\n"),
    ("assign", "{% assign t = 'x' %}{{ t }}\n"),
]
FRONT = {"title": "T", "tags": ["a", "b"], "date": dt.date(2023, 4, 5)}


def hostile_cases() -> dict[str, str]:
    return {
        "loop (1..100000000)": "{% for i in (1..100000000) %}x{% endfor %}\n",
        "nested loops 3 x (1..1000)": "{% for a in (1..1000) %}{% for b in (1..1000) %}{% for c in (1..1000) %}x"
        "{% endfor %}{% endfor %}{% endfor %}\n",
        "5,000 nested ifs": "{% if true %}" * 5000 + "x" + "{% endif %}" * 5000 + "\n",
        "5,000 unclosed {{ on one line": "{{ " * 5000 + "\n",
        "5,000 lines with an unclosed {{": "a {{ b\n" * 5000,
        "20,000 outputs (1 MB post)": "{{ page.title }} " * 20_000 + "\n",
        "10,000 unknown tags": "{% include x.html %}\n" * 10_000,
        "capture doubling x30": "{% assign s = 'xx' %}" + "{% capture s %}{{ s }}{{ s }}{% endcapture %}" * 30 + "{{ s | size }}\n",
    }


# ---------------------------------------------------------------------------
# measuring


def compare(name: str, body: str, front: dict[str, Any], first_line: int) -> list[str]:
    """Lines describing how python-liquid's result differs from the hand-written one."""
    hand_out, hand_found = _hand_written(body, front, first_line)
    try:
        lq_out, lq_found = _python_liquid(body, front, first_line)
    except Exception as exc:  # what deckgen would have to catch
        return [f"{name}: python-liquid raised {type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:100]}"]
    out = []
    if lq_out is None:
        out.append(f"{name}: python-liquid gave no output")
    elif lq_out != hand_out:
        out.append(f"{name}: output differs: hand {repr(hand_out)[:70]} / python-liquid {repr(lq_out)[:70]}")
        if lq_out.count("\n") != body.count("\n"):
            out.append(f"{name}:   python-liquid changed the line count {body.count(chr(10))} -> {lq_out.count(chr(10))}")
    if lq_found != hand_found:
        out.append(f"{name}: diagnostics differ: hand {hand_found} / python-liquid {lq_found}")
    return out


def median_seconds(fn: Callable[[], object], runs: int) -> float:
    """Median CPU time of ``fn`` (steadier than wall time on a shared machine)."""
    times = []
    for _ in range(runs):
        started = time.process_time()
        fn()
        times.append(time.process_time() - started)
    return statistics.median(times)


def import_ms(code: str, module: str, runs: int = 9) -> tuple[float, float]:
    """Medians over ``python -X importtime -c CODE``: the process's CPU time (user + system,
    steady on a busy machine) and the cumulative import time ``-X importtime`` shows for
    ``module`` (wall clock: what importing it costs beyond what was imported before it), in ms."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    cpu, shown = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, env=env, check=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime) * 1000)
        rows = [[p.strip() for p in line.split("|")] for line in done.stderr.splitlines()]
        shown.append(next(int(r[1]) / 1000 for r in rows if len(r) == 3 and r[2] == module))
    return statistics.median(cpu), statistics.median(shown)


def _peak_mb(pid: int | str = "self") -> float:
    """The process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited across exec)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return float("nan")
    m = re.search(r"VmHWM:\s+(\d+) kB", status)
    return int(m.group(1)) / 1024 if m else float("nan")


def run_hostile(engine: str, case: str, timeout: float) -> str:
    """One hostile case in a child process: its outcome, CPU seconds and peak memory."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", engine, case]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        out, _ = proc.communicate(timeout=timeout)
        lines = out.strip().splitlines()
        result = lines[-1] if lines else f"exit {proc.returncode}, nothing printed"
        if proc.returncode != 0:
            result = f"exit {proc.returncode}: {result[-100:]}"
    except subprocess.TimeoutExpired:
        peak = _peak_mb(proc.pid)
        proc.kill()
        proc.communicate()
        result = f"still running after {timeout:g} s (killed), {peak:.0f} MB resident by then"
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return f"{result}; {cpu:.2f} s CPU"


def one(engine: str, case: str) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    body = hostile_cases()[case]
    started = time.process_time()
    try:
        if engine == "python-liquid+limits":
            out, found = _python_liquid(body, FRONT, 1, limits=True)
        else:
            out, found = ENGINES[engine](body, FRONT, 1)
    except Exception as exc:
        print(f"raised {type(exc).__name__}: {(str(exc).splitlines() or [''])[0][:80]}")
        return
    codes = sorted({c for c, _ in found})
    size = "no output" if out is None else f"{len(out):,} chars out"
    kept = out is not None and out.count("\n") == body.count("\n")
    print(
        f"{size}, {len(found)} diagnostics {codes}, lines kept: {kept}, "
        f"{time.process_time() - started:.2f} s evaluating, peak {_peak_mb():.0f} MB"
    )


def weight() -> list[str]:
    """python-liquid and what it requires: installed size and licence of each."""
    lines, seen, todo = [], set(), ["python-liquid"]
    while todo:
        name = todo.pop(0)
        key = re.sub(r"[-_.]+", "-", name).lower()
        if key in seen:
            continue
        seen.add(key)
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue
        size = sum((f.size or 0) for f in dist.files or [])
        licence = dist.metadata.get("License-Expression") or dist.metadata.get("License") or "?"
        lines.append(f"  {dist.metadata['Name']} {dist.version}: {size / 1e6:.1f} MB, {licence.splitlines()[0][:40]}")
        reqs = [r for r in dist.requires or [] if "extra ==" not in r and "python_version <" not in r]
        todo += [re.split(r"[ ;<>=!~\[(]", r, maxsplit=1)[0] for r in reqs]
    return lines


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=21, help="timed runs per post and engine")
    ap.add_argument("--fuzz", type=int, default=300, help="grammar-fuzzed posts to compare")
    ap.add_argument("--seed", type=int, default=1, help="the fuzzer's seed")
    ap.add_argument("--timeout", type=float, default=20.0, help="seconds per hostile case")
    ap.add_argument("--shared", type=Path, default=SHARED, help="the folder with course/, corpus/, lecture/")
    ap.add_argument("--one", nargs=2, metavar=("ENGINE", "CASE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        one(*args.one)
        return 0
    try:
        import liquid
    except ImportError:
        print("python-liquid is not installed: pip install python-liquid", file=sys.stderr)
        return 2
    print(f"python-liquid {liquid.__version__}, Python {sys.version.split()[0]}")

    posts = course_posts(args.shared)
    bodies = {p: _split(decode_post(p.read_bytes(), p), p) for p in posts}
    print(f"\n(a) differences on {len(posts)} posts (course, corpus, lecture):")
    found = [line for p, (b, f, n) in bodies.items() for line in compare(p.name, b, f, n)]
    print("\n".join("  " + line for line in found) or "  none: same output, same diagnostics")
    with_liquid = sum(1 for b, _, _ in bodies.values() if "{{" in b or "{%" in b)
    print(f"  ({with_liquid} of the posts use Liquid)")

    print("\n(a) the Liquid deckgen supports, and what it removes:")
    for name, body in FEATURES:
        diff = compare(name, body, FRONT, 4)
        print("\n".join("  " + line for line in diff) or f"  {name}: same")

    print(f"\n(a) {args.fuzz} grammar-fuzzed posts (seed {args.seed}):")
    fuzz_counts = _fuzz(args.fuzz, args.seed)
    for key, value in fuzz_counts.items():
        print(f"  {key}: {value}")

    print(f"\n(b) CPU time per post, median of {args.runs} runs each, over the {len(posts)} posts:")
    for engine, fn in ENGINES.items():
        per_post = [median_seconds(lambda b=b, f=f, n=n, fn=fn: fn(b, f, n), args.runs) for b, f, n in bodies.values()]
        print(
            f"  {engine:<14} median {statistics.median(per_post) * 1e6:7.0f} us, "
            f"max {max(per_post) * 1e6:7.0f} us, all {len(posts)} posts {sum(per_post) * 1e3:6.1f} ms"
        )
    base_cpu, hand_ms = import_ms("import deckgen.pipeline", "deckgen.source.liquid")
    with_cpu, liquid_ms = import_ms("import deckgen.pipeline; import liquid", "liquid")
    print("  import (median of 9), cumulative in `python -X importtime`:")
    print(f"    deckgen.source.liquid, in `import deckgen.pipeline`: {hand_ms:6.1f} ms")
    print(f"    liquid, after `import deckgen.pipeline`:             {liquid_ms:6.1f} ms")
    print(f"  process CPU: `import deckgen.pipeline` {base_cpu:.0f} ms, and `import liquid` {with_cpu:.0f} ms (+{with_cpu - base_cpu:.0f} ms)")

    print(f"\n(c) hostile input, each in a child process (limit {args.timeout:g} s, 2 GB address space):")
    for case in hostile_cases():
        print(f"  {case}")
        for engine in ("hand", "python-liquid", "python-liquid+limits"):
            print(f"    {engine:<21} {run_hostile(engine, case, args.timeout)}")

    print("\n(d) installed weight and licences:")
    print("\n".join(weight()))
    return 0


def _fuzz(count: int, fuzz_seed: int) -> dict[str, int]:
    from hypothesis import HealthCheck, Phase, given, seed, settings

    from support.fuzzposts import posts

    counts = {"posts": 0, "with Liquid": 0, "same output and diagnostics": 0, "output differs": 0,
              "diagnostics differ": 0, "python-liquid changed the line count": 0,
              "python-liquid gave no output or raised": 0, "hand-written changed the line count": 0}

    @settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @seed(fuzz_seed)
    @given(text=posts())
    def run(text: str) -> None:
        counts["posts"] += 1
        try:
            body, front, line = _split(text, Path("post.md"))
        except Exception:
            return  # deckgen refuses the front matter: no Liquid is evaluated
        if "{{" not in body and "{%" not in body:
            return
        counts["with Liquid"] += 1
        hand, hand_found = _hand_written(body, front, line)
        if hand is not None and hand.count("\n") != body.count("\n"):
            counts["hand-written changed the line count"] += 1
        try:
            out, found = _python_liquid(body, front, line)
        except Exception:
            out, found = None, []
        if out is None:
            counts["python-liquid gave no output or raised"] += 1
            return
        counts["output differs"] += out != hand
        counts["diagnostics differ"] += found != hand_found
        counts["python-liquid changed the line count"] += out.count("\n") != body.count("\n")
        counts["same output and diagnostics"] += out == hand and found == hand_found

    run()
    return counts


if __name__ == "__main__":
    sys.exit(main())
