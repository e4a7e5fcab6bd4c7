"""The preview's HTTP side: only the output folder is served (no ``..``, no hidden files, no
listings), a deck's page comes from the dev server with its reload script, and each open tab
holds an event stream (``serveconn.EventHub``) that tells it to reload or shows a failed build.

It answers only its own page: a request naming another ``Host`` gets 421 and one with a
foreign ``Origin`` 403, before anything is read (``servehosts``: DNS rebinding). It stays up
under load with a bounded number of threads (``serveconn``: a gate holds connections until
their head is in, a pool answers them, a hub holds the event streams; the listen backlog takes
a burst of 1024). ``HEAD`` and single byte ranges work; a client that hangs up is no news.

The standard library's server, hardened, rather than a server library: measured in the
prototypes of issue 22 (docs/benchmarks.md), it bounds threads and header time as aiohttp does
without its 13 MB and 0.2 s of import, where uvicorn has no header timeout and waitress and
cheroot starved under 600 event streams.
"""

from __future__ import annotations

import errno
import io
import os
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import BinaryIO, Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from deckgen.errors import InputError
from deckgen.serveconn import EventHub, Gate, Workers, event_message, raise_open_files
from deckgen.servehosts import HostCheck

DEFAULT_PORT = 8000
PORTS_TRIED = 100
EVENTS_PATH = "/__deckgen/events"
IO_TIMEOUT_S = 10.0  # a worker's blocking send to a client that stops reading
BACKLOG = 1024  # connections the kernel queues before accept (Linux caps it at somaxconn)


class Site(Protocol):
    """What the HTTP side asks of the dev server."""

    hub: EventHub
    last_request: float  # time.monotonic() of the latest request

    def page_for(self, path: str) -> tuple[HTTPStatus, bytes] | None: ...

    def error_of(self, deck: str) -> str | None: ...


def _quiet(exc: BaseException | None) -> bool:
    """A tab closed mid-page, a client too slow: no news (``OSError`` covers both)."""
    return isinstance(exc, OSError)


class PreviewServer(ThreadingHTTPServer):
    """A ``ThreadingHTTPServer`` whose connections go through the gate to a pool of workers."""

    daemon_threads = True
    allow_reuse_address = False  # a port in use is in use: take the next one
    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], directory: Path, site: Site) -> None:
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.gate = Gate(self._dispatch)
        self.workers = Workers()
        super().__init__(address, _Handler)  # a bind that fails closes the server (server_close)
        self.directory = directory
        self.dev = site
        self.hosts = HostCheck(address[0], self.server_address[1])
        self.local = threading.local()
        self.on_error: Callable[[BaseException], None] | None = None  # a bug answering a request
        self.gate.start()

    def server_bind(self) -> None:
        if self.address_family == socket.AF_INET6 and self.server_address[0] == "::":
            self.socket.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)  # :: takes IPv4 too
        super().server_bind()

    # serve_forever calls this for each accepted connection: it waits in the gate, no thread
    def process_request(self, request, client_address) -> None:
        self.gate.add(request, client_address)

    def _dispatch(self, sock: socket.socket, addr: object, head: bytes) -> None:
        self.workers.submit(lambda: self._work(sock, addr, head))

    def _work(self, sock: socket.socket, addr: object, head: bytes) -> None:
        self.local.head, self.local.adopted = head, False
        try:
            self.finish_request(sock, addr)
        except Exception:
            self.handle_error(sock, addr)
        finally:
            if not self.local.adopted:
                self.shutdown_request(sock)

    def handle_error(self, request, client_address) -> None:
        exc = sys.exc_info()[1]
        if _quiet(exc) or exc is None:
            return
        if self.on_error is not None:
            self.on_error(exc)
        else:
            super().handle_error(request, client_address)

    def server_close(self) -> None:
        super().server_close()
        self.gate.stop()
        self.workers.stop()


class _Slice:
    """The first ``left`` bytes of an open file, for ``copyfile``."""

    def __init__(self, f: BinaryIO, left: int) -> None:
        self.f, self.left = f, left

    def read(self, n: int = -1) -> bytes:
        n = self.left if n < 0 else min(n, self.left)
        data = self.f.read(n) if n else b""
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.f.close()


class _Handler(SimpleHTTPRequestHandler):
    server: PreviewServer
    timeout = IO_TIMEOUT_S  # the socket's timeout for each send (StreamRequestHandler.setup)

    def __init__(self, request, client_address, server: PreviewServer) -> None:
        super().__init__(request, client_address, server, directory=str(server.directory))

    def setup(self) -> None:
        super().setup()
        self.rfile.close()  # the gate read the head already
        self.rfile = io.BytesIO(self.server.local.head)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the CLI reports builds
        pass

    _page = False

    def end_headers(self) -> None:
        # pages are made per request; other files are asked again (If-Modified-Since -> 304)
        self.send_header("Cache-Control", "no-store" if self._page else "no-cache")
        super().end_headers()

    def _allowed(self) -> bool:
        hosts = self.server.hosts
        if not hosts.host_ok(self.headers.get("Host")):
            self.send_error(HTTPStatus.MISDIRECTED_REQUEST, "unknown Host")
            return False
        if not hosts.origin_ok(self.headers.get("Origin")):
            self.send_error(HTTPStatus.FORBIDDEN, "foreign Origin")
            return False
        return True

    def do_GET(self) -> None:
        self._serve(body=True)

    def do_HEAD(self) -> None:
        self._serve(body=False)

    def _serve(self, body: bool) -> None:
        if not self._allowed():
            return
        dev = self.server.dev
        dev.last_request = time.monotonic()
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path == EVENTS_PATH:
            if not body:
                self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)
                return
            self._events((parse_qs(parts.query).get("deck") or [""])[0])
            return
        if any(part.startswith(".") for part in path.split("/")) or "\\" in path or "\x00" in path:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        page = dev.page_for(path)
        if page is not None:
            status, data = page
            if status == HTTPStatus.FOUND:
                self.send_response(status)
                self.send_header("Location", data.decode())
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._page = True
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if body:
                self.wfile.write(data)
            return
        if body:
            super().do_GET()
        else:
            super().do_HEAD()

    def translate_path(self, path: str) -> str:
        translated = super().translate_path(path)
        root = os.path.realpath(self.directory)
        real = os.path.realpath(translated)
        if real != root and not real.startswith(root + os.sep):
            return os.path.join(root, ".deckgen-outside")  # never exists: a 404
        return translated

    def list_directory(self, path):
        self.send_error(HTTPStatus.NOT_FOUND)
        return None

    def send_head(self):
        """The standard one, and: a folder is a 404 (no listing, no redirect), and one byte
        range is answered (206, or 416), so a video in a deck can be sought."""
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        m = re.fullmatch(r"bytes=(\d*)-(\d*)", self.headers.get("Range", "").strip())
        if m is None or m.groups() == ("", "") or "If-Range" in self.headers:
            return super().send_head()  # If-Modified-Since -> 304 is there
        try:
            f = open(path, "rb")
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return None
        size = os.fstat(f.fileno()).st_size
        first, last = m.groups()
        if first:
            start, end = int(first), min(int(last) if last else size - 1, size - 1)
        else:
            start, end = max(0, size - int(last)), size - 1
        if start > end:
            f.close()
            self.send_response(HTTPStatus.REQUESTED_RANGE_NOT_SATISFIABLE)
            self.send_header("Content-Range", f"bytes */{size}")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None
        f.seek(start)
        self.send_response(HTTPStatus.PARTIAL_CONTENT)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.send_header("Last-Modified", self.date_time_string(os.fstat(f.fileno()).st_mtime))
        self.end_headers()
        return _Slice(f, end - start + 1)

    def _events(self, deck: str) -> None:
        dev = self.server.dev
        hub = dev.hub
        if not hub.room():
            self.send_error(HTTPStatus.SERVICE_UNAVAILABLE, "too many event streams")
            return
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        self.wfile.flush()

        def greeting() -> bytes:  # what the tab must know at once: a failed build shows over the deck
            error = dev.error_of(deck)
            return b"retry: 500\n\n" + (event_message("failed", error) if error else b"")

        if hub.adopt(deck, self.connection, greeting):
            self.server.local.adopted = True  # the hub closes it, not the worker


def listen(host: str, port: int | None, directory: Path, site: Site) -> PreviewServer:
    """A server of ``directory`` listening on ``host`` (``port`` None: 8000 or the next free one);
    an IPv6 address (``::1``, ``::``) listens on IPv6 (``::`` takes IPv4 too)."""
    raise_open_files()
    candidates = [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED)
    last: OSError | None = None
    for candidate in candidates:
        try:
            return PreviewServer((host, candidate), directory, site)
        except OSError as exc:
            last = exc
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):  # else no other port does better
                break
    what = f"port {port}" if port is not None else f"ports {DEFAULT_PORT}-{DEFAULT_PORT + PORTS_TRIED - 1}"
    reason = (last.strerror or str(last)) if last is not None else "unavailable"
    raise InputError(f"cannot listen on {host} {what}: {reason}", hint="choose another with --port or --host")


__all__ = ["EVENTS_PATH", "EventHub", "PreviewServer", "Site", "listen"]
