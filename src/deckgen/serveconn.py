"""The preview's connections, a bounded number of threads whatever the load.

* ``Gate``: one thread holds every new connection, without a thread each, until its request
  head has come in (``selectors``): a slow client that sends a header line every few seconds
  (a "slow-loris") is dropped after ``HEAD_TIMEOUT_S`` for the whole head, a head past
  ``HEAD_MAX`` gets 431, and past ``MAX_PENDING`` waiting the oldest is dropped.
* ``Workers``: ``WORKERS`` daemon threads answer complete requests, one per connection.
* ``EventHub``: one thread owns every open event stream (the tabs' live reload): it writes
  messages and keep-alives without blocking, drops a stream whose tab went away or stopped
  reading (the browser reconnects on its own), and refuses streams past ``MAX_STREAMS``.

So 600 event streams and 300 slow clients cost sockets, not threads, and the teacher's page
still finds a free worker. Nothing here prints.
"""

from __future__ import annotations

import collections
import queue
import resource
import selectors
import socket
import threading
import time
from collections.abc import Callable

HEAD_TIMEOUT_S = 10.0  # the whole request head, not per line
HEAD_MAX = 16 * 1024  # a larger head: 431
MAX_PENDING = 512  # connections waiting for their head; past it the oldest is dropped
WORKERS = 16  # threads answering complete requests
MAX_STREAMS = 1024  # open event streams; past it 503
KEEPALIVE_S = 15.0  # a comment line on every stream this often (proxies, dead tabs)
WANT_FILES = 4096  # open files the server would like (sockets are files)

_TOO_LARGE = b"HTTP/1.0 431 Request Header Fields Too Large\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"


def raise_open_files(want: int = WANT_FILES) -> int:
    """Raise this process's soft limit of open files toward ``want`` (never past the hard
    limit: 1024 by default on Linux is fewer than 600 streams and 300 slow clients); the limit now."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = want if hard == resource.RLIM_INFINITY else min(want, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


class _Waker:
    """A socket pair a selector thread sleeps on, to be woken from another thread."""

    def __init__(self, selector: selectors.BaseSelector) -> None:
        self._r, self._w = socket.socketpair()
        self._r.setblocking(False)
        self._w.setblocking(False)
        selector.register(self._r, selectors.EVENT_READ)

    def owns(self, sock: object) -> bool:
        return sock is self._r

    def wake(self) -> None:
        try:
            self._w.send(b"x")
        except OSError:  # already woken (the buffer is full), or closed
            pass

    def drain(self) -> None:
        try:
            while self._r.recv(4096):
                pass
        except OSError:
            pass

    def close(self) -> None:
        self._r.close()
        self._w.close()


def _close(sock: socket.socket, reply: bytes = b"") -> None:
    try:
        if reply:
            sock.send(reply)
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class Gate(threading.Thread):
    """New connections wait here until their head is in, then go to ``dispatch(sock, addr, head)``."""

    def __init__(self, dispatch: Callable[[socket.socket, object, bytes], None]) -> None:
        super().__init__(name="deckgen-gate", daemon=True)
        self._dispatch = dispatch
        self._sel = selectors.DefaultSelector()
        self._waker = _Waker(self._sel)
        self._incoming: collections.deque[tuple[socket.socket, object]] = collections.deque()
        # oldest first: socket -> [address, deadline, what came so far]
        self._pending: dict[socket.socket, tuple[object, float, bytearray]] = {}
        self._stop = False

    def add(self, sock: socket.socket, addr: object) -> None:
        self._incoming.append((sock, addr))
        self._waker.wake()

    def stop(self) -> None:
        """End the thread (it closes what it holds); never started: close it here."""
        self._stop = True
        if self.is_alive():
            self._waker.wake()
        else:
            self._waker.close()
            self._sel.close()

    def _drop(self, sock: socket.socket, reply: bytes = b"") -> None:
        self._pending.pop(sock, None)
        try:
            self._sel.unregister(sock)
        except (KeyError, ValueError):
            pass
        _close(sock, reply)

    def _admit(self) -> None:
        while self._incoming:
            sock, addr = self._incoming.popleft()
            if len(self._pending) >= MAX_PENDING:  # a browser's head comes in at once
                self._drop(next(iter(self._pending)))
            try:
                sock.setblocking(False)
                self._sel.register(sock, selectors.EVENT_READ)
            except (OSError, ValueError):
                _close(sock)
                continue
            self._pending[sock] = (addr, time.monotonic() + HEAD_TIMEOUT_S, bytearray())

    def _read(self, sock: socket.socket) -> None:
        entry = self._pending.get(sock)
        if entry is None:
            return
        try:
            data = sock.recv(65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._drop(sock)
            return
        head = entry[2]
        head += data
        if b"\r\n\r\n" in head or b"\n\n" in head:
            self._pending.pop(sock)
            self._sel.unregister(sock)
            sock.setblocking(True)
            self._dispatch(sock, entry[0], bytes(head))
        elif len(head) > HEAD_MAX:
            self._drop(sock, _TOO_LARGE)

    def run(self) -> None:
        while not self._stop:
            first = next(iter(self._pending.values()), None)
            timeout = max(0.0, first[1] - time.monotonic()) if first else None
            for key, _ in self._sel.select(timeout):
                if self._waker.owns(key.fileobj):
                    self._waker.drain()
                    self._admit()
                else:
                    self._read(key.fileobj)  # type: ignore[arg-type]
            now = time.monotonic()
            while self._pending:
                sock, entry = next(iter(self._pending.items()))
                if entry[1] > now:
                    break
                self._drop(sock)  # too slow: no answer, no thread spent on it
        for sock in list(self._pending):
            self._drop(sock)
        while self._incoming:
            _close(self._incoming.popleft()[0])
        self._waker.close()
        self._sel.close()


class Workers:
    """At most ``size`` daemon threads running the jobs given them, each started when no
    thread is idle (a daemon: a client too slow to read never holds the process at exit)."""

    def __init__(self, size: int = WORKERS) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._size = size
        self._threads: list[threading.Thread] = []
        self._idle = 0
        self._lock = threading.Lock()

    def submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._idle == 0 and len(self._threads) < self._size:
                thread = threading.Thread(target=self._run, name=f"deckgen-http-{len(self._threads)}", daemon=True)
                self._threads.append(thread)
                self._idle += 1
                thread.start()
            self._idle -= 1  # the job takes an idle thread (or waits for one)
        self._jobs.put(job)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            job()
            with self._lock:
                self._idle += 1

    @property
    def threads(self) -> int:
        return len(self._threads)

    def stop(self) -> None:
        with self._lock:
            for _ in self._threads:
                self._jobs.put(None)


def event_message(event: str, data: str = "") -> bytes:
    """One server-sent event: each line of ``data`` a ``data:`` line of its own."""
    return (f"event: {event}\n" + "".join(f"data: {line}\n" for line in data.split("\n")) + "\n").encode("utf-8")


class EventHub(threading.Thread):
    """Every open event stream, by deck name, in one thread (started by the first stream)."""

    def __init__(self) -> None:
        super().__init__(name="deckgen-events", daemon=True)
        self._lock = threading.Lock()
        self._streams: dict[socket.socket, str] = {}
        self._new: list[socket.socket] = []
        self._outbox: collections.deque[tuple[str, bytes] | None] = collections.deque()
        self._sel = selectors.DefaultSelector()
        self._waker = _Waker(self._sel)
        self._started_once = False
        self.closed = False

    def room(self) -> bool:
        with self._lock:
            return not self.closed and len(self._streams) < MAX_STREAMS

    def adopt(self, deck: str, sock: socket.socket, greeting: Callable[[], bytes]) -> bool:
        """Take over a stream whose response head is sent: ``greeting()`` (what the tab must
        know at once) is written first, under the lock every ``send`` takes, so no event falls
        between the two. False (the caller closes the socket) when full or closed."""
        with self._lock:
            if self.closed or len(self._streams) >= MAX_STREAMS:
                return False
            try:
                sock.sendall(greeting())
                sock.setblocking(False)
            except OSError:
                return False
            self._streams[sock] = deck
            self._new.append(sock)
            if not self._started_once:
                self._started_once = True
                self.start()
        self._waker.wake()
        return True

    def send(self, deck: str, event: str, data: str = "") -> int:
        """Tell ``deck``'s open streams (``""``: the course page's); how many there are."""
        with self._lock:
            count = sum(1 for d in self._streams.values() if d == deck)
            if count:
                self._outbox.append((deck, event_message(event, data)))
        if count:
            self._waker.wake()
        return count

    def close(self) -> None:
        with self._lock:
            if self.closed:
                return
            self.closed = True
            running = self._started_once
            self._outbox.append(None)
        if running:
            self._waker.wake()
        else:
            self._waker.close()

    def _drop(self, sock: socket.socket) -> None:
        with self._lock:
            self._streams.pop(sock, None)
        try:
            self._sel.unregister(sock)
        except (KeyError, ValueError):
            pass
        _close(sock)

    def _write(self, sock: socket.socket, data: bytes) -> None:
        try:
            if sock.send(data) == len(data):
                return
        except OSError:
            pass
        self._drop(sock)  # gone, or not reading for a whole socket buffer: it reconnects on its own

    def _readable(self, sock: socket.socket) -> None:
        try:
            data = sock.recv(4096)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:  # the tab went away
            self._drop(sock)

    def run(self) -> None:
        next_keepalive = time.monotonic() + KEEPALIVE_S
        while True:
            for key, _ in self._sel.select(max(0.0, next_keepalive - time.monotonic())):
                if self._waker.owns(key.fileobj):
                    self._waker.drain()
                else:
                    self._readable(key.fileobj)  # type: ignore[arg-type]
            with self._lock:
                new, self._new = self._new, []
            for sock in new:
                if sock in self._streams:
                    self._sel.register(sock, selectors.EVENT_READ)
            while self._outbox:
                item = self._outbox.popleft()
                if item is None:
                    with self._lock:
                        socks = list(self._streams)
                    for sock in socks:
                        self._drop(sock)
                    self._waker.close()
                    self._sel.close()
                    return
                deck, data = item
                with self._lock:
                    socks = [s for s, d in self._streams.items() if d == deck]
                for sock in socks:
                    self._write(sock, data)
            if time.monotonic() >= next_keepalive:
                next_keepalive = time.monotonic() + KEEPALIVE_S
                with self._lock:
                    socks = list(self._streams)
                for sock in socks:
                    self._write(sock, b": keep-alive\n\n")


__all__ = ["EventHub", "Gate", "Workers", "event_message", "raise_open_files"]
