"""Run ``deckgen serve`` as the user does (a subprocess) and drive a tab in Chromium.

Shared by the serve test and ``bench/bench_serve.py``."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
_URL = re.compile(r"serving (http://\S+)")


class Served:
    """A ``deckgen serve`` process; ``lines`` collects what it prints."""

    def __init__(self, args: list[str], cwd: Path) -> None:
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "deckgen", "serve", *args],
            cwd=cwd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self.url = ""
        ready = threading.Event()

        def read() -> None:
            assert self.proc.stdout is not None
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                m = _URL.search(line)
                if m:
                    self.url = m.group(1)
                    ready.set()
            ready.set()

        self._reader = threading.Thread(target=read, daemon=True)
        self._reader.start()
        if not ready.wait(120) or not self.url:
            self.stop()
            raise RuntimeError("deckgen serve did not start:\n" + "\n".join(self.lines))

    def interrupt(self, timeout: float = 20) -> int:
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout)

    def stop(self) -> None:
        """Kill the server if it still runs; close its output once all of it is read."""
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._reader.join(10)  # the output's end: the process has exited
        if self.proc.stdout is not None and not self._reader.is_alive():
            self.proc.stdout.close()


def chromium_available() -> bool:
    try:
        import playwright  # noqa: F401
    except ImportError:
        return False
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


def poll(page: Any, script: str, until: Callable[[Any], bool], timeout: float) -> tuple[Any, float]:
    """Evaluate ``script`` in the page (across reloads) until ``until(value)``; (value, seconds)."""
    from playwright.sync_api import Error

    started = time.perf_counter()
    value: Any = None
    while time.perf_counter() - started < timeout:
        try:
            value = page.evaluate(script)
            if until(value):
                return value, time.perf_counter() - started
        except Error:  # the page is reloading
            pass
        time.sleep(0.02)
    return value, time.perf_counter() - started


CURRENT = """() => {
  const R = window.Reveal;
  if (!R || !R.isReady()) return null;
  const s = R.getCurrentSlide();
  const box = document.getElementById('deckgen-error');
  return {h: R.getIndices().h, v: R.getIndices().v, text: s ? s.innerText : '', hash: location.hash,
          error: box ? box.textContent : ''};
}"""

TITLES = """() => Array.from(document.querySelectorAll('.reveal .slides > section')).map(
  s => { const h = s.querySelector('h1, h2, h3'); return h ? h.textContent.trim() : ''; })"""


def middle_heading(page: Any, post_text: str) -> tuple[int, str]:
    """A slide near the middle whose heading is written once in the post as a ``##`` line."""
    titles: list[str] = page.evaluate(TITLES)
    order = sorted(range(len(titles)), key=lambda i: abs(i - len(titles) // 2))
    for index in order:
        title = titles[index]
        if not title or not re.fullmatch(r"[\w .,:()-]+", title):
            continue
        lines = [ln for ln in post_text.split("\n") if re.fullmatch(rf"#{{1,3}} +{re.escape(title)} *", ln)]
        if len(lines) == 1 and titles.count(title) == 1:
            return index, title
    raise AssertionError("no slide with a plain, unique heading")
