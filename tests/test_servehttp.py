"""``deckgen serve`` answers only its own page, and stays up under load (issue 22).

A real ``deckgen serve`` (a subprocess), loaded from this process over loopback: a foreign
``Host`` or ``Origin`` gets no deck bytes (DNS rebinding); event streams and slow clients
cost no thread each; a burst of requests is answered whole; ``HEAD`` works; clients that
hang up print nothing; ``--host ::1`` listens on IPv6. Counts and statuses only: the timings
are bench/bench_serve_load.py's.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from deckgen.servehosts import HostCheck
from support.servedeck import Served
from support.serveload import Client, held_load, page_files, proc_status, raise_open_files, touch_post

MARK = b"DECK-BYTES-7f3a"  # in the post: a deck's bytes in an answer show it
MAX_THREADS = 40  # main, accept, gate, events, 16 workers, the watcher's: well under this


def _post(folder: Path) -> Path:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (640, 360), (30, 90, 160)).save(folder / "pic.png")
    post = folder / "talk.md"
    post.write_text(f"---\ntitle: Talk\n---\n\n## One\n\n{MARK.decode()} hello\n\n![a picture](pic.png)\n", "utf-8")
    return post


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, reveal_source: Path) -> Iterator[tuple[Served, Path, int]]:
    raise_open_files()
    work = tmp_path_factory.mktemp("servehttp")
    post = _post(work / "site")
    args = [str(post), "--port", "0", "--offline", "--cache-dir", str(work / "cache"), "--reveal-js", str(reveal_source)]
    server = Served(args, work)
    try:
        yield server, post, int(urlsplit(server.url).port or 0)
    finally:
        server.stop()


def _run(coro: object) -> object:
    return asyncio.run(asyncio.wait_for(coro, 180))  # type: ignore[arg-type]


def test_a_foreign_host_or_origin_gets_no_deck_bytes(served: tuple[Served, Path, int]) -> None:
    server, _, port = served
    client = Client(port)

    async def go() -> None:
        for host in ("evil.example", f"evil.example:{port}", f"127.0.0.1:{port + 1}", f"localhost.:{port}", None):
            for path in ("/talk/", "/talk/index.html", "/talk.pptx", "/talk/theme.css", "/"):
                status, _, body, _, _ = await client.request("GET", path, host=host)
                assert status == 421, (host, path)
                assert MARK not in body and not body.startswith(b"PK"), (host, path)
            status, more = await client.status_of_stream("/__deckgen/events?deck=talk", {}, host=host)
            assert status == 421 and b"retry" not in more, host
        for origin in ("http://evil.example", "null", f"https://127.0.0.1:{port}", f"http://evil.example:{port}"):
            status, more = await client.status_of_stream("/__deckgen/events?deck=talk", {"Origin": origin})
            assert status == 403 and b"retry" not in more, origin
        # the preview's own names still work
        for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
            status, _, body, _, _ = await client.request("GET", "/talk/", host=host)
            assert status == 200 and MARK in body, host
        status, more = await client.status_of_stream("/__deckgen/events?deck=talk", {"Origin": f"http://localhost:{port}"})
        assert status == 200 and more.startswith(b"retry: 500")

    _run(go())


def test_head_answers_as_get_without_a_body(served: tuple[Served, Path, int]) -> None:
    _, _, port = served
    client = Client(port)

    async def go() -> None:
        status, headers, body, _, _ = await client.request("HEAD", "/")
        assert status == 302 and headers["location"] == "/talk/" and body == b""
        for path in ("/talk/", "/talk.pptx", "/talk/theme.css"):
            status, headers, body, _, _ = await client.request("HEAD", path)
            assert status == 200 and int(headers["content-length"]) > 0 and body == b"", path
        status, headers, body, _, _ = await client.request("GET", "/talk/theme.css", {"Range": "bytes=0-9"})
        assert status == 206 and len(body) == 10 and headers["content-range"].startswith("bytes 0-9/")

    _run(go())


def test_streams_and_slow_clients_leave_the_page_answered_and_threads_bounded(
    served: tuple[Served, Path, int],
) -> None:
    server, post, port = served
    client = Client(port)
    streams, slow = 150, 150
    peak = [0]

    async def work() -> tuple[list[bool], int]:
        _, _, html, _, _ = await client.request("GET", "/talk/")
        files = page_files(html, "talk")
        assert any(f.endswith(".png") for f in files) and any("reveal" in f for f in files)
        loads = []
        for _ in range(3):
            loads.append((await client.page("/talk/", files))[1])
            peak[0] = max(peak[0], proc_status(server.proc.pid).get("Threads", 0))
            await asyncio.sleep(0.5)
        open_streams = client.stream_status[200]
        client.reload_sent = time.monotonic()
        touch_post(post)  # a rebuild: every open tab is told to reload
        for _ in range(300):
            if len(client.reloads) >= open_streams:
                break
            await asyncio.sleep(0.1)
            peak[0] = max(peak[0], proc_status(server.proc.pid).get("Threads", 0))
        return loads, open_streams

    loads, open_streams = _run(held_load(client, "talk", streams, slow, 2.0, work))  # type: ignore[misc]
    assert loads == [True, True, True]  # the teacher's page, whole, each time
    assert open_streams == streams and len(client.reloads) == streams
    assert 0 < peak[0] <= MAX_THREADS, peak[0]
    assert client.slow["connects"] >= slow and client.slow["answered"] == 0  # never a thread or an answer


def test_a_burst_of_200_requests_is_answered_whole(served: tuple[Served, Path, int]) -> None:
    _, _, port = served
    client = Client(port)
    got = _run(client.burst(["/talk/", "/talk/theme.css", "/talk.pptx", "/talk/pic.png"], 200))
    statuses = [(g[0], g[4]) for g in got]  # type: ignore[attr-defined]
    assert statuses.count((200, "")) + statuses.count((404, "")) == 200
    assert statuses.count((200, "")) >= 150  # pic.png has another name in the deck


def test_clients_hanging_up_mid_answer_print_nothing(served: tuple[Served, Path, int]) -> None:
    server, _, port = served
    client = Client(port)
    before = len(server.lines)

    async def go() -> int:
        done = 0
        for start in range(0, 300, 50):
            paths = ["/talk.pptx", "/talk/reveal/dist/reveal.js", "/talk/"]
            done += sum(await asyncio.gather(*(client.hang_up(i, paths[i % 3]) for i in range(start, start + 50))))
        await asyncio.sleep(1)
        return done

    assert _run(go()) == 300
    status, *_ = _run(client.request("GET", "/talk/"))  # type: ignore[misc]
    assert status == 200
    said = server.lines[before:]
    assert not [line for line in said if "Traceback" in line or "Error" in line], said[:5]


def test_a_course_page_answers_head_and_only_its_own_host(tmp_path: Path, reveal_source: Path) -> None:
    from deckgen.assets.resolve import AssetOptions
    from deckgen.options import BuildOptions
    from deckgen.serve import DevServer

    for name in ("a", "b"):
        (tmp_path / "posts").mkdir(exist_ok=True)
        (tmp_path / "posts" / f"{name}.md").write_text(f"---\ntitle: {name}\n---\n\n## {name}\n", "utf-8")
    options = BuildOptions(out_dir=tmp_path / "out", reveal_js=reveal_source,
                           pictures=AssetOptions(offline=True, cache_dir=tmp_path / "cache"))
    server = DevServer(tmp_path / "posts", options, lambda event: None)
    server.start("127.0.0.1", 0)
    try:
        client = Client(server.port)
        status, headers, body, _, _ = _run(client.request("HEAD", "/"))  # type: ignore[misc]
        assert status == 200 and int(headers["content-length"]) > 0 and body == b""
        status, _, body, _, _ = _run(client.request("GET", "/", host="evil.example"))  # type: ignore[misc]
        assert status == 421 and b"Course decks" not in body
    finally:
        server.close()


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
        return True
    except OSError:
        return False


def test_host_ipv6_listens_on_ipv6(tmp_path: Path, reveal_source: Path) -> None:
    if not _ipv6_loopback():
        pytest.skip("no IPv6 loopback on this machine")
    post = _post(tmp_path / "site")
    args = [str(post), "--host", "::1", "--port", "0", "--offline", "--cache-dir", str(tmp_path / "c"),
            "--reveal-js", str(reveal_source)]
    server = Served(args, tmp_path)
    try:
        assert server.url.startswith("http://[::1]:")
        port = int(urlsplit(server.url).port or 0)
        client = Client(port, addr="::1")
        status, _, body, _, _ = _run(client.request("GET", "/talk/"))  # type: ignore[misc]
        assert status == 200 and MARK in body
        status, *_ = _run(client.request("GET", "/talk/", host=f"evil.example:{port}"))  # type: ignore[misc]
        assert status == 421
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("bind", "host", "ok"),
    [
        ("127.0.0.1", "127.0.0.1:8000", True),
        ("127.0.0.1", "localhost:8000", True),
        ("127.0.0.1", "[::1]:8000", True),
        ("127.0.0.1", "127.0.0.1:8001", False),
        ("127.0.0.1", "127.0.0.1", False),  # no port: 80
        ("127.0.0.1", "evil.example:8000", False),
        ("127.0.0.1", "localhost.:8000", False),
        ("127.0.0.1", "10.0.0.5:8000", False),
        ("127.0.0.1", "", False),
        ("127.0.0.1", "[::1:8000", False),
        ("127.0.0.1", "127.0.0.1:80x", False),
        ("192.168.1.5", "192.168.1.5:8000", True),
        ("::1", "[::1]:8000", True),
        ("0.0.0.0", "10.0.0.5:8000", True),  # on the network: a student types the address
        ("0.0.0.0", "[fe80::1]:8000", True),
        ("0.0.0.0", "evil.example:8000", False),
    ],
)
def test_the_host_rule(bind: str, host: str, ok: bool) -> None:
    assert HostCheck(bind, 8000).host_ok(host) is ok


def test_the_origin_rule() -> None:
    check = HostCheck("127.0.0.1", 8000)
    assert check.origin_ok(None) and check.origin_ok("http://localhost:8000")
    for origin in ("null", "https://localhost:8000", "http://evil.example", "http://localhost:8000/x", ""):
        assert not check.origin_ok(origin), origin
