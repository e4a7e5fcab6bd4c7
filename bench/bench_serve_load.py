"""``deckgen serve`` under load (issue 22): does the teacher's page still load, with how many
threads, and does the preview answer only its own page?

Starts ``deckgen serve`` on a small post with pictures (offline, a fresh cache), then from this
process over loopback: checks at rest (HEAD, foreign Host and Origin); 600 event streams held
open and 300 slow clients (a header line every 5 s, again when dropped); under that load the
page and its files every 2 s for 16 s, with the server's threads and memory; a save, and how
long each open stream waits for its reload; 200 requests at once; 300 clients hanging up
mid-answer; then what the server printed (tracebacks).

    python bench/bench_serve_load.py [--streams 600] [--slow 300] [--json out.json]

With ``PYTHONPATH`` naming another ``src`` (an older checkout), it measures that one.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.servedeck import Served  # noqa: E402
from support.serveload import Client, held_load, page_files, proc_status, raise_open_files, touch_post  # noqa: E402

MARK = b"DECK-BYTES-7f3a"


def make_post(folder: Path) -> Path:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    lines = ["---", "title: Lecture", "---", ""]
    for i in range(5):
        Image.effect_noise((900, 500), 60 + 20 * i).convert("RGB").save(folder / f"p{i}.png")
        lines += [f"## Slide {i}", "", f"{MARK.decode()} text {i}", "", f"![picture {i}](p{i}.png)", "", "---", ""]
    post = folder / "lecture.md"
    post.write_text("\n".join(lines), "utf-8")
    return post


async def at_rest(client: Client, port: int, files: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    times = [(await client.page("/lecture/", files)) for _ in range(3)]
    out["page_at_rest_ms"] = round(1000 * statistics.median(t for t, _ in times), 1)
    out["page_at_rest_ok"] = all(ok for _, ok in times)
    for path in ("/", "/lecture/", "/lecture.pptx"):
        st, hd, body, _, _ = await client.request("HEAD", path)
        out[f"HEAD {path}"] = f"{st} length={hd.get('content-length')} body={len(body)}"
    for host in (f"evil.example:{port}", "evil.example", None):
        st, _, body, _, _ = await client.request("GET", "/lecture/", host=host)
        stream = (await client.status_of_stream("/__deckgen/events?deck=lecture", {}, host=host))[0]
        out[f"Host {host}"] = f"page {st}{' LEAK' if MARK in body else ''}, events {stream}"
    out["Origin evil on events"] = (await client.status_of_stream(
        "/__deckgen/events?deck=lecture", {"Origin": "http://evil.example"}))[0]
    return out


async def under_load(server: Served, client: Client, post: Path, files: list[str], hold: float) -> dict[str, object]:
    out: dict[str, object] = {}
    pid = server.proc.pid
    samples = []
    t_end = time.monotonic() + hold
    while time.monotonic() < t_end:
        seconds, ok = await client.page("/lecture/", files)
        st = proc_status(pid)
        samples.append((round(1000 * seconds, 1), ok, st.get("Threads"), st.get("VmRSS")))
        await asyncio.sleep(2)
    ms = [t if ok else float("inf") for t, ok, *_ in samples]
    out["page_under_load_ms_median"] = statistics.median(ms)
    out["page_under_load_ms_max"] = max(ms)
    out["page_under_load_failed"] = sum(1 for _, ok, *_ in samples if not ok)
    out["threads_under_load_max"] = max(s[2] or 0 for s in samples)
    out["rss_under_load_mb_max"] = round(max(s[3] or 0 for s in samples) / 1024, 1)
    open_streams = client.stream_status[200]
    client.reload_sent = time.monotonic()
    touch_post(post)
    for _ in range(300):
        if len(client.reloads) >= open_streams:
            break
        await asyncio.sleep(0.1)
    got = sorted(client.reloads.values())
    out["reload"] = {"streams_open": open_streams, "got_reload": len(got),
                     "max_s_after_save": round(got[-1], 2) if got else None}
    t0 = time.monotonic()
    burst = await client.burst(["/lecture/", files[0], files[-1], "/lecture.pptx"], 200)
    out["burst_answered"] = sum(1 for b in burst if b[0] == 200 and not b[4])
    out["burst_failures"] = dict(Counter(f"{b[0]} {b[4]}" for b in burst if not (b[0] == 200 and not b[4])))
    out["burst_s"] = round(time.monotonic() - t0, 2)
    out["threads_peak_sampled"] = max(out["threads_under_load_max"], proc_status(pid).get("Threads", 0))  # type: ignore[call-overload]
    return out


async def hang_ups(client: Client, files: list[str], n: int) -> int:
    done = 0
    paths = ["/lecture.pptx", files[0], "/lecture/"]
    for start in range(0, n, 50):
        done += sum(await asyncio.gather(*(client.hang_up(i, paths[i % 3]) for i in range(start, min(n, start + 50)))))
    await asyncio.sleep(2)
    return done


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--streams", type=int, default=600)
    parser.add_argument("--slow", type=int, default=300)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between a slow client's header lines")
    parser.add_argument("--hold", type=float, default=16.0)
    parser.add_argument("--hangups", type=int, default=300)
    parser.add_argument("--reveal-js", default=None)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    raise_open_files()
    work = Path(tempfile.mkdtemp(prefix="deckgen-serve-load-"))
    post = make_post(work / "site")
    extra = ["--reveal-js", args.reveal_js] if args.reveal_js else []
    t0 = time.monotonic()
    server = Served([str(post), "--port", "0", "--offline", "--cache-dir", str(work / "cache"), *extra], work)
    result: dict[str, object] = {"ready_s": round(time.monotonic() - t0, 2)}
    try:
        port = int(urlsplit(server.url).port or 0)
        client = Client(port)
        result["threads_at_start"] = proc_status(server.proc.pid).get("Threads")

        async def run() -> None:
            html = (await client.request("GET", "/lecture/"))[2]
            files = page_files(html, "lecture")
            result.update(await at_rest(client, port, files))
            result.update(await held_load(client, "lecture", args.streams, args.slow, args.every,  # type: ignore[arg-type]
                                          lambda: under_load(server, client, post, files, args.hold)))
            result["streams_opened"] = dict(client.stream_status)
            result["slow_clients"] = dict(client.slow)
            result["slow_client_life_s_median"] = round(statistics.median(client.slow_life), 1) if client.slow_life else None
            result["hangups_made"] = await hang_ups(client, files, args.hangups)
            seconds, ok = await client.page("/lecture/", files)
            result["page_after_hangups"] = f"{round(1000 * seconds, 1)} ms, {'ok' if ok else 'FAILED'}"

        asyncio.run(asyncio.wait_for(run(), 600))
        result["peak_rss_mb"] = round(proc_status(server.proc.pid).get("VmHWM", 0) / 1024, 1)
    finally:
        code = server.interrupt(30) if server.proc.poll() is None else server.proc.returncode
        result["exit_code"] = code
        printed = "\n".join(server.lines)
        result["tracebacks_printed"] = printed.count("Traceback")
        result["lines_printed"] = len(server.lines)
    for key, value in result.items():
        print(f"{key}: {value}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1, default=str), "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
