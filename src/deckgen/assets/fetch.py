"""HTTP downloads: timeouts, a hard deadline, bounded retries with backoff, a redirect
limit, a size cap, a per-host limit and an honest User-Agent.

``HttpFetcher`` is a ``Fetcher``: ``fetcher(url, etag, last_modified) -> FetchResult``,
raising ``FetchError`` with a short reason. It is thread-safe (one ``requests`` session per
thread). What the bytes are is not decided here: the assets stage asks Pillow.
``requests`` is imported on the first download, not with this module: a warm build, which
downloads nothing, does not pay for it.

Time limits, per URL: the clock starts when the first attempt gets its turn for the host
(waiting behind other downloads from a busy host does not count), and everything after
that — connecting, waiting for an answer, reading a trickling body, pauses between
retries — fits in ``total_timeout`` (a watchdog cuts a body still arriving at the deadline).
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from deckgen import __version__

if TYPE_CHECKING:
    import requests

USER_AGENT = f"deckgen/{__version__} (lecture slide builder)"
ACCEPT = "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"


def _no_credentials(request: requests.PreparedRequest) -> requests.PreparedRequest:
    """A session's own auth: it stops requests from sending .netrc passwords to image hosts."""
    return request


@functools.cache
def _session_class() -> type[requests.Session]:
    """requests' Session, but one that never reads .netrc when it follows a redirect (its own
    ``rebuild_auth`` does, whatever the session's auth): made on the first download."""
    import requests

    class Session(requests.Session):
        def rebuild_auth(self, prepared_request: requests.PreparedRequest, response: requests.Response) -> None:
            headers = prepared_request.headers
            if "Authorization" in headers and self.should_strip_auth(response.request.url, prepared_request.url):
                del headers["Authorization"]  # never carried to another host

    return Session


class FetchError(Exception):
    """A download failed; the message says why in a few words."""


class TransientError(FetchError):
    """A download failed in a way that may pass soon: timeouts, 5xx, a broken connection."""


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200, or 304 when a conditional request found the cached copy current
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    final_url: str = ""


MAX_BYTES = 30 * 1024 * 1024  # the largest picture taken (a download or a local file)
TIMEOUT = 30.0  # seconds for one picture: all attempts and pauses together


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0  # the longest silence while waiting for bytes
    total_timeout: float = TIMEOUT  # for one URL, all attempts and pauses together
    retries: int = 2  # further attempts after a timeout, a broken connection or a 5xx/429
    backoff: float = 0.4  # seconds before the first retry, doubled for each next one
    max_redirects: int = 5
    max_bytes: int = MAX_BYTES
    per_host: int = 8  # downloads at once from one host (browsers: 6; requests pools: 10)


Fetcher = Callable[[str, str, str], FetchResult]


class _Retryable(FetchError):
    """A failure worth another try (timeouts, 5xx, broken connections)."""


class _Unreachable(_Retryable):
    """The host did not accept a connection in time: later URLs on it fail at once."""


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB"


class HttpFetcher:
    """Fetches URLs with requests; thread-safe, one session per thread, a per-host limit."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._local = threading.local()
        self._hosts: dict[str, threading.BoundedSemaphore] = {}
        self._unreachable: dict[str, str] = {}
        self._sessions: list[requests.Session] = []
        self._lock = threading.Lock()
        self.requests_made = 0

    # -- plumbing --------------------------------------------------------------
    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = _session_class()()
            session.max_redirects = self.policy.max_redirects
            session.headers["User-Agent"] = USER_AGENT
            session.headers["Accept"] = ACCEPT
            # the environment's proxy and CA settings apply (a school proxy), its .netrc does not
            session.trust_env = True
            session.auth = _no_credentials
            self._local.session = session
            with self._lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        """Close every connection this fetcher opened."""
        with self._lock:
            sessions, self._sessions = self._sessions, []
        for session in sessions:
            session.close()

    def __enter__(self) -> HttpFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @staticmethod
    def _host(url: str) -> str:
        return urlparse(url).netloc.lower()

    def _host_slot(self, host: str) -> threading.BoundedSemaphore:
        with self._lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.BoundedSemaphore(max(1, self.policy.per_host))
            return slot

    # -- one URL ---------------------------------------------------------------
    def __call__(self, url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        policy = self.policy
        host = self._host(url)
        last_error = "failed"
        deadline: float | None = None
        tries = 0
        unreachable = False
        for attempt in range(policy.retries + 1):
            if attempt:
                import random  # a build that retries nothing does not load it

                assert deadline is not None
                pause = policy.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 2)
                if time.monotonic() + pause + 0.5 > deadline:
                    break  # no time left for another real try
                time.sleep(pause)
            with self._host_slot(host):
                now = time.monotonic()
                if deadline is None:
                    deadline = now + policy.total_timeout
                elif now + 0.5 > deadline:
                    break
                with self._lock:
                    down = self._unreachable.get(host)
                if down:
                    raise TransientError(down)
                tries += 1
                try:
                    return self._once(url, etag, last_modified, deadline)
                except _Retryable as exc:
                    last_error, unreachable = str(exc), isinstance(exc, _Unreachable)
        if unreachable:  # every attempt failed to connect: spare the host's other URLs the wait
            with self._lock:
                self._unreachable[host] = last_error
        if tries > 1:
            last_error += f" ({tries} attempts)"
        raise TransientError(last_error)  # only failures worth a retry get this far

    def _once(self, url: str, etag: str, last_modified: str, deadline: float) -> FetchResult:
        import requests

        policy = self.policy
        left = max(0.2, deadline - time.monotonic())
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        with self._lock:
            self.requests_made += 1
        try:
            response = self._session().get(
                url,
                headers=headers,
                stream=True,
                timeout=(min(policy.connect_timeout, left), min(policy.read_timeout, left)),
            )
        except requests.exceptions.TooManyRedirects:
            raise FetchError(f"more than {policy.max_redirects} redirects (a redirect loop?)") from None
        except requests.exceptions.ConnectTimeout:
            raise _Unreachable("host not reachable (connection timed out)") from None
        except requests.exceptions.ReadTimeout:
            raise _Retryable("no answer (timed out)") from None
        except requests.exceptions.SSLError:
            raise FetchError("secure connection failed (TLS certificate?)") from None
        except (requests.exceptions.InvalidURL, requests.exceptions.URLRequired):
            raise FetchError("invalid URL") from None
        except requests.exceptions.MissingSchema:
            raise FetchError("not a web address") from None
        except requests.exceptions.InvalidSchema:
            raise FetchError("unsupported address scheme (a redirect to a non-web address?)") from None
        except requests.exceptions.ConnectionError as exc:
            text = str(exc)
            if "Name or service not known" in text or "NameResolution" in text or "getaddrinfo" in text:
                raise FetchError("host not found (offline?)") from None
            if "refused" in text.lower():
                raise FetchError("connection refused") from None
            raise _Retryable("connection failed") from None
        except requests.exceptions.RequestException as exc:
            raise FetchError(type(exc).__name__) from None
        with response:
            return self._read(response, etag, last_modified, deadline)

    def _read(
        self, response: requests.Response, etag: str, last_modified: str, deadline: float
    ) -> FetchResult:
        import requests

        policy = self.policy
        status = response.status_code
        if status == 304:
            return FetchResult(
                304,
                b"",
                response.headers.get("ETag", etag),
                response.headers.get("Last-Modified", last_modified),
                response.url,
            )
        if status >= 500 or status == 429:
            raise _Retryable(f"HTTP {status}")
        if status >= 300:  # 4xx, or a 3xx without a usable Location
            raise FetchError(f"HTTP {status}")
        too_big = f"larger than the {_megabytes(policy.max_bytes)} limit"
        declared = response.headers.get("Content-Length", "").strip()
        if declared.isdigit() and int(declared) > policy.max_bytes:
            raise FetchError(too_big)
        expired = threading.Event()

        def cut() -> None:  # runs in the watchdog thread: unblocks a read waiting for a trickle
            expired.set()
            _shutdown(response)

        watchdog = threading.Timer(max(0.0, deadline - time.monotonic()), cut)
        watchdog.daemon = True
        watchdog.start()
        chunks: list[bytes] = []
        size = 0
        slow = f"download too slow (not done in {policy.total_timeout:g} s)"
        try:
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > policy.max_bytes:
                    raise FetchError(too_big)
                chunks.append(chunk)
                if expired.is_set() or time.monotonic() > deadline:
                    raise FetchError(slow)
        except requests.exceptions.ContentDecodingError:
            raise FetchError("undecodable compressed answer") from None
        except (requests.exceptions.RequestException, OSError):
            if expired.is_set():
                raise FetchError(slow) from None
            raise _Retryable("download cut short (truncated)") from None
        finally:
            watchdog.cancel()
        if expired.is_set():  # the cut looked like a normal end of a body without a length
            raise FetchError(slow)
        return FetchResult(
            200,
            b"".join(chunks),
            response.headers.get("ETag", ""),
            response.headers.get("Last-Modified", ""),
            response.url,
        )


def _shutdown(response: requests.Response) -> None:
    """Shut the response's socket down from another thread (a blocked read then returns)."""
    import socket  # requests has loaded it by now; a build that downloads nothing does not

    raw = response.raw
    try:
        raw.shutdown()  # urllib3 >= 2.3
        return
    except Exception:
        pass
    try:
        sock = raw.connection.sock  # type: ignore[union-attr]  # older urllib3
        sock.shutdown(socket.SHUT_RDWR)
    except Exception:
        pass
