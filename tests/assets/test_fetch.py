"""HttpFetcher against the local test server: every fault ends as a FetchError, within the
deadline: each attempt is given only what is left of it, and the attempts are counted. How
long each fault takes is measured by ``bench/bench_limits.py``, not asserted here."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
import requests

from deckgen.assets.fetch import USER_AGENT, FetchError, FetchPolicy, HttpFetcher
from support.imageserver import ImageServer, encode_image

FAST = FetchPolicy(connect_timeout=1.0, read_timeout=1.0, total_timeout=2.0, backoff=0.05)


def _unique() -> str:
    return uuid.uuid4().hex[:10]


@pytest.fixture
def server() -> Iterator[ImageServer]:
    with ImageServer() as srv:
        yield srv


def _fails(fetcher: HttpFetcher, url: str, match: str) -> None:
    with pytest.raises(FetchError, match=match):
        fetcher(url, "", "")


@pytest.fixture
def received(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The body bytes every response handed over, chunk by chunk."""
    chunks: list[int] = []
    original = requests.Response.iter_content

    def counting(self: requests.Response, *args: object, **kwargs: object) -> Iterator[bytes]:
        for chunk in original(self, *args, **kwargs):  # type: ignore[arg-type]
            chunks.append(len(chunk))
            yield chunk

    monkeypatch.setattr(requests.Response, "iter_content", counting)
    return chunks


@pytest.fixture
def timeouts(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, float]]:
    """The (connect, read) timeout of every request the fetcher made."""
    asked: list[tuple[float, float]] = []
    original = requests.Session.get

    def get(self: requests.Session, url: str, **kwargs: object) -> requests.Response:
        asked.append(kwargs["timeout"])  # type: ignore[arg-type]
        return original(self, url, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(requests.Session, "get", get)
    return asked


def test_an_image_arrives_with_its_validators_and_an_honest_user_agent(server: ImageServer) -> None:
    result = HttpFetcher(FAST)(server.image_url("cat", "jpg"), "", "")
    assert result.status == 200
    assert result.body == encode_image("cat", "jpg")
    assert result.etag.startswith('"') and result.last_modified.endswith("GMT")
    agent = server.requests[-1].headers["User-Agent"]
    assert agent == USER_AGENT and agent.startswith("deckgen/")


def test_a_conditional_request_gets_304_and_sends_the_validators(server: ImageServer) -> None:
    fetcher = HttpFetcher(FAST)
    first = fetcher(server.image_url("dog", "png"), "", "")
    again = fetcher(server.image_url("dog", "png"), first.etag, first.last_modified)
    assert again.status == 304 and again.body == b""
    headers = server.requests[-1].headers
    assert headers["If-None-Match"] == first.etag
    assert headers["If-Modified-Since"] == first.last_modified


def test_404_fails_at_once_without_retrying(server: ImageServer) -> None:
    _fails(HttpFetcher(FAST), server.url("fault/404.png"), r"^HTTP 404$")
    assert server.hits["/fault/404.png"] == 1


def test_500_is_retried_then_fails(server: ImageServer) -> None:
    _fails(HttpFetcher(FAST), server.url("fault/500.png"), r"HTTP 500 \(3 attempts\)")
    assert server.hits["/fault/500.png"] == 3


def test_a_flaky_500_then_ok_succeeds_on_the_retry(server: ImageServer) -> None:
    result = HttpFetcher(FAST)(server.url(f"fault/flaky.png?t={_unique()}"), "", "")
    assert result.status == 200 and result.body.startswith(b"\x89PNG")
    assert server.hits["/fault/flaky.png"] == 2


def test_a_redirect_loop_stops_at_the_limit(server: ImageServer) -> None:
    _fails(HttpFetcher(FAST), server.url("fault/loop"), "redirects")
    assert server.hits["/fault/loop"] == FAST.max_redirects + 1


def test_a_short_redirect_chain_is_followed(server: ImageServer) -> None:
    result = HttpFetcher(FAST)(server.url("fault/redirect-chain/3"), "", "")
    assert result.status == 200 and result.final_url.endswith("/fault/redirect-chain/0")


def test_no_netrc_password_is_sent_first_or_after_a_redirect(
    server: ImageServer, tmp_path, monkeypatch  # type: ignore[no-untyped-def]
) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login teacher password secret\n", "utf-8")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    result = HttpFetcher(FAST)(server.url("fault/redirect-chain/2"), "", "")
    assert result.status == 200 and len(server.requests) >= 3
    assert all("Authorization" not in r.headers for r in server.requests)


def test_a_declared_300_mb_body_is_refused_before_reading_it(server: ImageServer, received: list[int]) -> None:
    fetcher = HttpFetcher(FAST)
    _fails(fetcher, server.url("fault/huge.png"), "larger than the 30 MB limit")
    assert received == [] and fetcher.requests_made == 1  # its Content-Length was enough


@pytest.mark.parametrize("cap_mb", [1, 30])
def test_an_undeclared_300_mb_body_is_cut_at_the_cap(server: ImageServer, cap_mb: int, received: list[int]) -> None:
    policy = FetchPolicy(total_timeout=10.0, max_bytes=cap_mb * 1024 * 1024)
    _fails(HttpFetcher(policy), server.url("fault/huge-nolen.png"), f"larger than the {cap_mb} MB")
    assert sum(received) <= policy.max_bytes + 64 * 1024  # it stopped at the cap, not at 300 MB


def test_a_server_that_never_answers_is_given_up_within_the_timeout(
    server: ImageServer, timeouts: list[tuple[float, float]]
) -> None:
    _fails(HttpFetcher(FAST), server.url("fault/hang.png"), "no answer")
    # the first attempt waits its full read timeout; each later one only what is left of the
    # deadline, so together they fit in it (an attempt lasts at least its read timeout)
    assert timeouts[0] == (FAST.connect_timeout, FAST.read_timeout)
    assert sum(read for _, read in timeouts) <= FAST.total_timeout
    assert server.hits["/fault/hang.png"] == len(timeouts) <= FAST.retries + 1


def test_a_trickle_past_the_deadline_is_cut_off(server: ImageServer, received: list[int]) -> None:
    # every piece comes well within the read timeout; only the deadline can stop it (30 s in all)
    url = server.url("fault/slow.png?chunks=60&interval=0.5")
    _fails(HttpFetcher(FAST), url, "too slow")
    # cut at the deadline, not at the end of the trickle: the body never arrived whole
    assert sum(received) < len(encode_image("slow", "png", 96, 54))


def test_a_trickle_that_ends_in_time_is_fine(server: ImageServer) -> None:
    result = HttpFetcher(FAST)(server.url("fault/slow.png?chunks=4&interval=0.1"), "", "")
    assert result.body == encode_image("slow", "png", 96, 54)


def test_a_truncated_body_is_retried_then_reported(server: ImageServer) -> None:
    _fails(HttpFetcher(FAST), server.url("fault/truncated.png"), "truncated")
    assert server.hits["/fault/truncated.png"] == 3


def test_a_closed_port_fails_at_once() -> None:
    with ImageServer() as srv:
        url = srv.url("img/x.png")
    fetcher = HttpFetcher(FAST)
    _fails(fetcher, url, "refused")
    assert fetcher.requests_made == 1  # at once: a refused connection is not tried again


def test_the_per_host_limit_holds_and_other_hosts_are_not_blocked() -> None:
    policy = FetchPolicy(per_host=2, total_timeout=10.0)
    fetcher = HttpFetcher(policy)
    active: dict[str, int] = {}
    peak: dict[str, int] = {}
    both = 0  # the most requests under way at once, over both hosts
    lock = threading.Lock()
    original = fetcher._once

    def counting(url: str, *args: object) -> object:
        nonlocal both
        host = url.split("/")[2]
        with lock:
            active[host] = active.get(host, 0) + 1
            peak[host] = max(peak.get(host, 0), active[host])
            both = max(both, sum(active.values()))
        try:
            return original(url, *args)  # type: ignore[arg-type]
        finally:
            with lock:
                active[host] -= 1

    fetcher._once = counting  # type: ignore[method-assign]
    with ImageServer(delay=0.2) as a, ImageServer(delay=0.2) as b:
        urls = [a.image_url(f"a{i}", "png", w=32, h=32) for i in range(6)]
        urls += [b.image_url(f"b{i}", "png", w=32, h=32) for i in range(6)]
        threads = [threading.Thread(target=fetcher, args=(u, "", "")) for u in urls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)  # a hang guard
    assert set(peak.values()) == {2}
    assert both == 4  # the two hosts were served side by side (3 rounds, not 6)


def test_waiting_for_a_busy_host_does_not_count_against_the_timeout() -> None:
    policy = FetchPolicy(per_host=1, connect_timeout=1.0, read_timeout=1.0, total_timeout=1.0)
    fetcher = HttpFetcher(policy)
    errors: list[Exception] = []

    def get(url: str) -> None:
        try:
            fetcher(url, "", "")
        except FetchError as exc:
            errors.append(exc)

    with ImageServer(delay=0.4) as srv:
        threads = [
            threading.Thread(target=get, args=(srv.image_url(f"q{i}", "png", w=16, h=16),)) for i in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert errors == []  # the last one waited ~1.2 s for its turn, then had its full second


def test_a_host_that_times_out_connecting_is_not_tried_again_by_later_urls(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    class DeadSession:
        def get(self, url: str, **kwargs: object) -> None:
            calls.append(url)
            raise requests.exceptions.ConnectTimeout("timed out")

    fetcher = HttpFetcher(FetchPolicy(backoff=0.01, total_timeout=5.0))
    monkeypatch.setattr(fetcher, "_session", lambda: DeadSession())
    with pytest.raises(FetchError, match=r"not reachable \(connection timed out\) \(3 attempts\)"):
        fetcher("http://192.0.2.1/a.png", "", "")
    with pytest.raises(FetchError, match="not reachable"):
        fetcher("http://192.0.2.1/b.png", "", "")
    assert calls == ["http://192.0.2.1/a.png"] * 3  # retried, then the host is known dead


def test_requests_are_counted_and_connections_closed(server: ImageServer) -> None:
    with HttpFetcher(FAST) as fetcher:
        fetcher(server.image_url("c1", "png", w=16, h=16), "", "")
        fetcher(server.image_url("c2", "png", w=16, h=16), "", "")
        assert fetcher.requests_made == 2
