"""HTTP downloads: timeouts, bounded retries with backoff, a redirect limit, a size cap."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlparse

import requests

from deckgen import __version__

USER_AGENT = f"deckgen/{__version__} (lecture slide builder; python-requests)"


class FetchError(Exception):
    """A download failed; the message says why in a few words."""


@dataclass(frozen=True)
class FetchResult:
    status: int  # 200, or 304 when a conditional request found the cached copy current
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    final_url: str = ""


@dataclass(frozen=True)
class FetchPolicy:
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0  # for one URL, all attempts together
    retries: int = 2
    backoff: float = 0.4
    max_redirects: int = 5
    max_bytes: int = 30 * 1024 * 1024
    per_host: int = 4


Fetcher = Callable[[str, str, str], FetchResult]


class HttpFetcher:
    """Fetches URLs with requests; thread-safe, one session per thread, a per-host limit."""

    def __init__(self, policy: FetchPolicy | None = None) -> None:
        self.policy = policy or FetchPolicy()
        self._local = threading.local()
        self._hosts: dict[str, threading.Semaphore] = {}
        self._lock = threading.Lock()
        self.requests_made = 0

    def _session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.max_redirects = self.policy.max_redirects
            session.headers["User-Agent"] = USER_AGENT
            session.headers["Accept"] = (
                "image/avif,image/webp,image/png,image/svg+xml,image/*;q=0.8,*/*;q=0.5"
            )
            session.trust_env = False
            self._local.session = session
        return session

    def _host_slot(self, url: str) -> threading.Semaphore:
        host = urlparse(url).netloc.lower()
        with self._lock:
            if host not in self._hosts:
                self._hosts[host] = threading.Semaphore(self.policy.per_host)
            return self._hosts[host]

    def __call__(self, url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        policy = self.policy
        last_error = "failed"
        deadline = time.monotonic() + policy.total_timeout
        for attempt in range(policy.retries + 1):
            if attempt:
                pause = policy.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 2)
                if time.monotonic() + pause + 1.0 > deadline:
                    break
                time.sleep(pause)
            try:
                with self._host_slot(url):
                    return self._once(url, etag, last_modified, deadline)
            except _Retryable as exc:
                last_error = str(exc)
            except FetchError:
                raise
        raise FetchError(last_error)

    def _once(self, url: str, etag: str, last_modified: str, deadline: float) -> FetchResult:
        policy = self.policy
        left = max(0.5, deadline - time.monotonic())
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
            raise FetchError(f"more than {policy.max_redirects} redirects") from None
        except requests.exceptions.ConnectTimeout:
            raise _Retryable("connection timed out") from None
        except requests.exceptions.ReadTimeout:
            raise _Retryable("no answer (read timed out)") from None
        except requests.exceptions.InvalidURL:
            raise FetchError("invalid URL") from None
        except requests.exceptions.MissingSchema:
            raise FetchError("not a web address") from None
        except requests.exceptions.InvalidSchema:
            raise FetchError("unsupported address scheme") from None
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
            if response.status_code == 304:
                return FetchResult(
                    304,
                    b"",
                    response.headers.get("ETag", etag),
                    response.headers.get("Last-Modified", last_modified),
                    response.url,
                )
            if response.status_code >= 500 or response.status_code == 429:
                raise _Retryable(f"HTTP {response.status_code}")
            if response.status_code >= 400:
                raise FetchError(f"HTTP {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > policy.max_bytes:
                raise FetchError(f"larger than the {policy.max_bytes // (1024 * 1024)} MB limit")
            chunks: list[bytes] = []
            size = 0
            try:
                for chunk in response.iter_content(64 * 1024):
                    size += len(chunk)
                    if size > policy.max_bytes:
                        raise FetchError(f"larger than the {policy.max_bytes // (1024 * 1024)} MB limit")
                    if time.monotonic() > deadline:
                        raise FetchError(f"download too slow (over {policy.total_timeout:g} s)")
                    chunks.append(chunk)
            except requests.exceptions.RequestException:
                raise _Retryable("connection broken mid-download") from None
            body = b"".join(chunks)
            if declared.isdigit() and len(body) < int(declared):
                raise _Retryable("truncated download")
            return FetchResult(
                200,
                body,
                response.headers.get("ETag", ""),
                response.headers.get("Last-Modified", ""),
                response.url,
            )


class _Retryable(FetchError):
    """A failure worth another try (timeouts, 5xx, broken connections)."""
