"""The preview's HTTP side: only the output folder is served (no ``..``, no hidden files, no
listings), a deck's page comes from the dev server with its reload script, and each open
tab holds an event stream (``EventHub``) that tells it to reload or shows a failed build."""

from __future__ import annotations

import os
import queue
import threading
import time
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

from deckgen.errors import InputError

DEFAULT_PORT = 8000
PORTS_TRIED = 100
EVENTS_PATH = "/__deckgen/events"
KEEPALIVE_S = 15.0


class EventHub:
    """Open event streams, by deck name; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: dict[str, set[queue.Queue[str | None]]] = {}
        self.closed = False

    def subscribe(self, deck: str) -> queue.Queue[str | None]:
        q: queue.Queue[str | None] = queue.Queue()
        with self._lock:
            self._streams.setdefault(deck, set()).add(q)
        return q

    def unsubscribe(self, deck: str, q: queue.Queue[str | None]) -> None:
        with self._lock:
            self._streams.get(deck, set()).discard(q)

    def send(self, deck: str, event: str, data: str = "") -> int:
        """Queue an event for the deck's open streams; how many there are."""
        message = f"event: {event}\n" + "".join(f"data: {line}\n" for line in data.split("\n")) + "\n"
        with self._lock:
            streams = list(self._streams.get(deck, ()))
        for q in streams:
            q.put(message)
        return len(streams)

    def close(self) -> None:
        self.closed = True
        with self._lock:
            streams = [q for qs in self._streams.values() for q in qs]
        for q in streams:
            q.put(None)


class Site(Protocol):
    """What the HTTP side asks of the dev server."""

    hub: EventHub
    last_request: float  # time.monotonic() of the latest request

    def page_for(self, path: str) -> tuple[HTTPStatus, bytes] | None: ...

    def error_of(self, deck: str) -> str | None: ...


class PreviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = False  # a port in use is in use: take the next one
    dev: Site


class _Handler(SimpleHTTPRequestHandler):
    server: PreviewServer

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, directory=str(kwargs.pop("directory")), **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the CLI reports builds
        pass

    def end_headers(self) -> None:
        # pages are made per request; other files are asked again (If-Modified-Since -> 304)
        self.send_header("Cache-Control", "no-store" if self._page else "no-cache")
        super().end_headers()

    _page = False

    def do_GET(self) -> None:
        dev = self.server.dev
        dev.last_request = time.monotonic()
        parts = urlsplit(self.path)
        path = unquote(parts.path)
        if path == EVENTS_PATH:
            deck = (parse_qs(parts.query).get("deck") or [""])[0]
            self._events(deck)
            return
        if any(part.startswith(".") for part in path.split("/")) or "\\" in path or "\x00" in path:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        page = dev.page_for(path)
        if page is not None:
            status, body = page
            if status == HTTPStatus.FOUND:
                self.send_response(status)
                self.send_header("Location", body.decode())
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._page = True
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def do_HEAD(self) -> None:
        self.send_error(HTTPStatus.METHOD_NOT_ALLOWED)

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

    def _events(self, deck: str) -> None:
        dev = self.server.dev
        hub = dev.hub
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        q = hub.subscribe(deck)
        try:
            error = dev.error_of(deck)
            self.wfile.write(b"retry: 500\n\n")
            if error:
                self.wfile.write(f"event: failed\ndata: {error}\n\n".encode())
            self.wfile.flush()
            while not hub.closed:
                try:
                    message = q.get(timeout=KEEPALIVE_S)
                except queue.Empty:
                    message = ": keep-alive\n\n"
                if message is None:
                    break
                self.wfile.write(message.encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            hub.unsubscribe(deck, q)


def listen(host: str, port: int | None, directory: Path, site: Site) -> PreviewServer:
    """A server of ``directory`` listening on ``host`` (``port`` None: 8000 or the next free one)."""
    candidates = [port] if port is not None else range(DEFAULT_PORT, DEFAULT_PORT + PORTS_TRIED)
    last: OSError | None = None
    for candidate in candidates:
        try:
            httpd = PreviewServer((host, candidate), lambda *a: _Handler(*a, directory=directory))
            break
        except OSError as exc:
            last = exc
    else:
        what = (
            f"port {port}"
            if port is not None
            else f"ports {DEFAULT_PORT}-{DEFAULT_PORT + PORTS_TRIED - 1}"
        )
        reason = last.strerror if last is not None else "unavailable"
        raise InputError(f"cannot listen on {host} {what}: {reason}", hint="choose another with --port")
    httpd.dev = site
    return httpd
