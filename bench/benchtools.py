"""Shared pieces of the benches: the stand-in web, localized posts, timed child processes.

``../shared/tools/fakeweb.py`` serves web-typical pictures on 127.0.0.1 and ``localize.py``
points a post's picture URLs at it, so the figures here compare with the issue's.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT.parent / "shared" / "tools"


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float  # user + system of the child and its children
    peak_mb: float  # the child's peak resident memory
    code: int
    out: str


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def fakeweb(tools: Path = TOOLS, latency_ms: int = 0) -> Iterator[int]:
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(tools / "fakeweb.py"), "--port", str(port), "--latency-ms", str(latency_ms)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield port
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def localize(post: Path, out: Path, port: int, tools: Path = TOOLS) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, str(tools / "localize.py"), str(post), str(out), "--port", str(port)], check=True
    )
    return out


def timed(cmd: Sequence[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Run:
    """Run ``cmd``: wall time, CPU time (user + system) and peak memory (the largest of the
    process and its children, as ``wait4`` reports them)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(cmd), env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    cpu = usage.ru_utime + usage.ru_stime
    return Run(wall, cpu, usage.ru_maxrss / 1024, proc.returncode, out)


def deckgen_cmd() -> list[str]:
    return [sys.executable, "-m", "deckgen"]


def reveal_env() -> dict[str, str]:
    """The environment for a bench's builds: reveal.js from a local package when there is one
    (``DECKGEN_REVEAL_JS``, else CI's ``.ci/cache``), so that an empty picture cache does not
    also mean fetching reveal.js (a one-time install, not a build's work); and Python's
    bytecode written, as a user's installation has it."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if not env.get("DECKGEN_REVEAL_JS"):
        found = sorted((ROOT / ".ci" / "cache").glob("reveal.js-*.tgz"))
        if found:
            env["DECKGEN_REVEAL_JS"] = str(found[-1])
    return env


def bench_env(cache: Path) -> dict[str, str]:
    env = dict(reveal_env(), DECKGEN_CACHE_DIR=str(cache))
    # DECKGEN_BENCH_SRC: another checkout's src/ (to measure "before" with the same bench)
    src = os.environ.get("DECKGEN_BENCH_SRC") or str(ROOT / "src")
    env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
    # measured as a user runs it: with its bytecode cached. With PYTHONDONTWRITEBYTECODE set
    # (as on some shared machines), every module changed since its .pyc was written would be
    # compiled again in every run: 50 ms of a warm build's CPU on 2026-12-07.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    compile_tree(Path(src))
    return env


def compile_tree(src: Path) -> None:
    """Write the bytecode of every module under ``src`` (what a first run does for a user)."""
    import compileall

    compileall.compile_dir(str(src), quiet=1)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)
