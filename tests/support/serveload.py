"""Clients that load a running ``deckgen serve`` (issue 22): event streams held open, slow
clients sending a header line every few seconds, bursts of requests, clients hanging up
mid-answer, requests with a foreign ``Host`` or ``Origin``. Loopback only, bounded in time.

Shared by tests/test_servehttp.py (small numbers, no timing asserts) and
bench/bench_serve_load.py (the issue's numbers, with timings).
"""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import struct
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Answer = tuple[int | None, dict[str, str], bytes, float, str]  # status, headers, body, seconds, error


def raise_open_files(want: int = 8192) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def proc_status(pid: int) -> dict[str, int]:
    """Threads, VmRSS and VmHWM (kB) of a process."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, value = line.partition(":")
            if key in ("Threads", "VmRSS", "VmHWM"):
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


@dataclass
class Client:
    """Requests to one server; ``host`` is the ``Host`` header sent by default."""

    port: int
    addr: str = "127.0.0.1"
    host: str = ""
    stream_status: Counter[object] = field(default_factory=Counter)
    reloads: dict[int, float] = field(default_factory=dict)  # stream -> seconds to its reload
    reload_sent: float = 0.0
    slow: Counter[str] = field(default_factory=Counter)
    slow_life: list[float] = field(default_factory=list)
    stop: asyncio.Event | None = None

    def __post_init__(self) -> None:
        self.host = self.host or (f"[{self.addr}]:{self.port}" if ":" in self.addr else f"{self.addr}:{self.port}")

    async def _open(self, timeout: float) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        return await asyncio.wait_for(asyncio.open_connection(self.addr, self.port), timeout)

    async def request(
        self, method: str, path: str, headers: dict[str, str] | None = None, timeout: float = 10.0,
        host: str | None = "",
    ) -> Answer:
        """One request (``Connection: close``), read to the end; ``host`` None sends no Host."""
        t0 = time.monotonic()
        sent = {"Host": self.host if host == "" else host, "Connection": "close", **(headers or {})}
        head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in sent.items() if v is not None)
        try:
            r, w = await self._open(timeout)
        except (TimeoutError, OSError) as exc:
            return None, {}, b"", time.monotonic() - t0, type(exc).__name__
        try:
            w.write((head + "\r\n").encode())
            data = await asyncio.wait_for(r.read(-1), max(0.1, timeout - (time.monotonic() - t0)))
        except (TimeoutError, OSError) as exc:
            return None, {}, b"", time.monotonic() - t0, type(exc).__name__
        finally:
            w.close()
        top, _, body = data.partition(b"\r\n\r\n")
        lines = top.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split()[1])
        except (IndexError, ValueError):
            return None, {}, data, time.monotonic() - t0, "garbled"
        hd = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        whole = method == "HEAD" or "content-length" not in hd or len(body) == int(hd["content-length"])
        return status, hd, body, time.monotonic() - t0, "" if whole else "incomplete"

    async def status_of_stream(self, path: str, headers: dict[str, str], host: str | None = "") -> object:
        """The status of an answer whose body may never end (an event stream), and what
        came with its head."""
        try:
            r, w = await self._open(10)
        except (TimeoutError, OSError) as exc:
            return type(exc).__name__, b""
        try:
            sent = {"Host": self.host if host == "" else host, **headers}
            w.write((f"GET {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in sent.items() if v) + "\r\n").encode())
            head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 10)
            try:
                more = await asyncio.wait_for(r.read(4096), 0.3)
            except TimeoutError:
                more = b""
            return int(head.split()[1]), more
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            return type(exc).__name__, b""
        finally:
            w.close()

    async def page(self, page: str, assets: list[str]) -> tuple[float, bool]:
        """The page and its files, as a browser loads them; (seconds, all answered 200)."""
        t0 = time.monotonic()
        st, _, body, _, err = await self.request("GET", page)
        ok = st == 200 and b"EventSource" in body and not err
        got = await asyncio.gather(*(self.request("GET", a) for a in assets))
        return time.monotonic() - t0, ok and all(g[0] == 200 and not g[4] for g in got)

    async def stream(self, i: int, deck: str) -> None:
        """An event stream held open until the server closes it, noting when a reload came."""
        try:
            r, w = await self._open(20)
        except (TimeoutError, OSError) as exc:
            self.stream_status[type(exc).__name__] += 1
            return
        try:
            w.write(f"GET /__deckgen/events?deck={deck} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
            head = await asyncio.wait_for(r.readuntil(b"\r\n\r\n"), 20)
        except (TimeoutError, OSError, asyncio.IncompleteReadError) as exc:
            self.stream_status[type(exc).__name__] += 1
            w.close()
            return
        except asyncio.CancelledError:
            w.close()
            raise
        status = int(head.split()[1])
        self.stream_status[status] += 1
        buf = b""
        try:
            while status == 200 and (data := await r.read(4096)):
                buf = buf[-32:] + data
                if self.reload_sent and i not in self.reloads and b"event: reload" in buf:
                    self.reloads[i] = time.monotonic() - self.reload_sent
        except (OSError, asyncio.CancelledError):
            pass
        finally:
            w.close()

    async def slow_client(self, i: int, n: int, page: str, every: float) -> None:
        """A slow-loris: a request head one line every ``every`` seconds, again when dropped."""
        assert self.stop is not None
        await asyncio.sleep(i * every / n)  # spread over one interval
        while not self.stop.is_set():
            try:
                r, w = await self._open(20)
            except (TimeoutError, OSError):
                self.slow["connect failed"] += 1
                await asyncio.sleep(1)
                continue
            self.slow["connects"] += 1
            t0, line = time.monotonic(), 0
            try:
                w.write(f"GET {page} HTTP/1.1\r\nHost: {self.host}\r\n".encode())
                while not self.stop.is_set():
                    try:
                        data = await asyncio.wait_for(r.read(1024), every)
                    except TimeoutError:
                        w.write(f"X-Slow-{line}: {'a' * 20}\r\n".encode())
                        line += 1
                        continue
                    self.slow["answered" if data else "dropped"] += 1
                    self.slow_life.append(time.monotonic() - t0)
                    break
            except OSError:
                self.slow["reset"] += 1
                self.slow_life.append(time.monotonic() - t0)
            finally:
                w.close()
            if not self.stop.is_set():
                await asyncio.sleep(1)

    async def hang_up(self, i: int, path: str) -> bool:
        """Ask for ``path``, read a little, then hang up: half with a reset, half with a FIN."""
        try:
            r, w = await self._open(20)
        except (TimeoutError, OSError):
            return False
        try:
            w.write(f"GET {path} HTTP/1.1\r\nHost: {self.host}\r\n\r\n".encode())
            await asyncio.wait_for(r.read(4096), 20)
        except (TimeoutError, OSError):
            w.close()
            return False
        if i % 2:
            sock = w.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            w.transport.abort()
        else:
            w.close()
        return True

    async def burst(self, paths: list[str], n: int) -> list[Answer]:
        """``n`` requests at once."""
        return await asyncio.gather(*(self.request("GET", paths[i % len(paths)], timeout=30) for i in range(n)))


async def held_load(
    client: Client, deck: str, streams: int, slow: int, every: float, work: Callable[[], object]
) -> object:
    """``streams`` event streams and ``slow`` slow clients held while ``work()`` (a coroutine
    function) runs; then all are let go. Returns what ``work`` returned."""
    client.stop = asyncio.Event()
    tasks = []
    for start in range(0, streams, 50):
        tasks += [asyncio.create_task(client.stream(i, deck)) for i in range(start, min(streams, start + 50))]
        await asyncio.sleep(0.05)
    for _ in range(400):
        if sum(client.stream_status.values()) >= streams:
            break
        await asyncio.sleep(0.1)
    tasks += [asyncio.create_task(client.slow_client(i, slow, f"/{deck}/", every)) for i in range(slow)]
    await asyncio.sleep(min(every, 5.0) + 1)  # every slow client connected, a line or two in
    try:
        return await work()  # type: ignore[misc]
    finally:
        client.stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def page_files(html: bytes, deck: str) -> list[str]:
    """The files a deck's page loads (scripts, styles, pictures), as absolute paths."""
    import re

    found = re.findall(rb'(?:src|href)="([^"#?]+)"', html)
    rel = [f.decode() for f in found if not f.startswith((b"http", b"/", b"data:", b"mailto:"))]
    return sorted({f"/{deck}/{r}" for r in rel})


def touch_post(post: Path) -> None:
    """An edit that changes no slide: a rebuild, and a reload sent to the open tabs."""
    post.write_text(post.read_text("utf-8") + " ", "utf-8")
    os.utime(post)


__all__ = ["Client", "held_load", "page_files", "proc_status", "raise_open_files", "touch_post"]
