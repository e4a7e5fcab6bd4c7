"""How long after a save a served tab shows the change (``deckgen serve``, the lecture).

Starts ``deckgen serve`` on a copy of the lecture (offline, a fresh cache: pictures are
placeholders, which is what a first look costs least), opens it in headless Chromium on a
middle slide, then edits that slide's heading N times and measures, for each save, the
time until the tab shows the new heading on the same slide; also when the .pptx on disk
has it. Prints medians, the server's own timings and the peak memory of the server.

    python bench/bench_serve.py [--runs 7] [--reveal-js PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "src"))

from support.rendercheck import CHROMIUM_ARGS  # noqa: E402
from support.servedeck import CHROMIUM, CURRENT, Served, middle_heading, poll  # noqa: E402

LECTURE = ROOT / "lecture" / "large-language-models.md"


def _pptx_has(path: Path, text: str) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            return any(text in z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slides/slide"))
    except (OSError, zipfile.BadZipFile, KeyError):
        return False


def _peak_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--reveal-js", default=os.environ.get("DECKGEN_REVEAL_JS", ""))
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="bench-serve-"))
    try:
        (work / "lecture").mkdir()
        post = work / "lecture" / LECTURE.name
        shutil.copy(LECTURE, post)
        original = post.read_text("utf-8")
        cli = ["--port", "0", "--offline", "--cache-dir", str(work / "cache"), "--out", str(work / "build")]
        if args.reveal_js:
            cli += ["--reveal-js", args.reveal_js]
        served = Served(cli, work)
        shown: list[float] = []
        on_disk: list[float] = []
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
                page = browser.new_page()
                page.goto(served.url)
                poll(page, CURRENT, lambda v: v is not None, 30)
                index, title = middle_heading(page, original)
                page.evaluate(f"() => Reveal.slide({index}, 0)")
                poll(page, CURRENT, lambda v: v and v["hash"] == f"#/page-{index + 1}", 5)
                pptx = work / "build" / f"{post.stem}.pptx"
                for run in range(args.runs):
                    new = f"{title} edit {run}"
                    started = time.perf_counter()
                    post.write_text(original.replace(f" {title}\n", f" {new}\n", 1), "utf-8")
                    now, seconds = poll(page, CURRENT, lambda v, new=new: v and new in v["text"], 15)
                    assert now and new in now["text"] and now["h"] == index, now
                    shown.append(seconds)
                    while not _pptx_has(pptx, new) and time.perf_counter() - started < 15:
                        time.sleep(0.02)
                    on_disk.append(time.perf_counter() - started)
                    time.sleep(1.0)  # let the tab settle, as between two real saves
                browser.close()
            peak = _peak_kb(served.proc.pid)
            code = served.interrupt()
        finally:
            served.stop()
        rebuilt = [ln for ln in served.lines if "HTML deck ready after" in ln][1:]
        print(f"saves: {args.runs}, slide {index + 1} ('{title}')")
        print(
            f"save -> tab shows the new heading on the same slide: median {statistics.median(shown):.2f} s "
            f"(min {min(shown):.2f}, max {max(shown):.2f})"
        )
        print(
            f"save -> .pptx on disk has it: median {statistics.median(on_disk):.2f} s "
            f"(min {min(on_disk):.2f}, max {max(on_disk):.2f})"
        )
        if rebuilt:
            print(f"server's last rebuild line: {rebuilt[-1].split(' in ', 1)[-1]}")
        print(f"server peak memory (VmHWM): {peak / 1024:.0f} MB; Ctrl-C exit code {code}")
        return 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
