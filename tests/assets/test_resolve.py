"""The assets stage: every fault survived with one warning, the cache used and revalidated,
local pictures found, renditions reused. Only the local test server is ever reached."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image as PILImage
from pptx import Presentation

import deckgen.assets.cache
import deckgen.assets.images
from deckgen.assets.cache import FAILURE_MAX_AGE, Cache
from deckgen.assets.fetch import FetchError, FetchPolicy, FetchResult, HttpFetcher
from deckgen.assets.resolve import AssetOptions, AssetResolver, AssetStats, normalize_url, resolve_assets
from deckgen.build import BuildOptions, Services, build_post
from deckgen.diagnostics import Diagnostic, Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.model import Asset, AssetStatus, Deck, Embed, Image, Meta, Slide
from support.imageserver import ImageServer, encode_image

POST = Path("/lectures/_posts/2024-01-01-demo.md")
FAST = FetchPolicy(connect_timeout=1.0, read_timeout=1.0, total_timeout=2.0, backoff=0.05)
PATIENT = FetchPolicy(total_timeout=20.0)  # the server draws big pictures slowly
DAY = 86400.0


@pytest.fixture
def server() -> Iterator[ImageServer]:
    with ImageServer() as srv:
        yield srv


def deck_of(*urls: str, first_line: int = 10) -> Deck:
    """One slide per URL; the picture of slide i sits on line first_line + 3 i."""
    slides = tuple(
        Slide(blocks=(Image(url, line=first_line + 3 * i),), line=first_line + 3 * i - 1)
        for i, url in enumerate(urls)
    )
    return Deck(Meta(title="t"), (), slides)


def resolve(
    deck: Deck,
    cache_dir: Path,
    fetcher: Callable[[str, str, str], FetchResult] | None,
    *,
    clock: Callable[[], float] = time.time,
    diag: Diagnostics | None = None,
    post: Path | None = POST,
    **options: object,
) -> tuple[list[Asset], AssetStats, Diagnostics]:
    diag = Diagnostics() if diag is None else diag  # an empty sink is falsy
    resolver = AssetResolver(Cache(cache_dir), fetcher, AssetOptions(**options), diag, post, clock)  # type: ignore[arg-type]
    done, stats = resolve_assets(deck, resolver)
    assets = [b.asset for s in done.slides for b in s.blocks if isinstance(b, Image)]
    return assets, stats, diag  # type: ignore[return-value]


def unavailable(found: Diagnostic) -> tuple[str, str | None, int | None, str, str]:
    """A picture-unavailable warning as (code, file, line, url, reason)."""
    return found.code, found.file, found.line, found.get("url"), found.get("reason")


def _timed_calls(
    fetcher: Callable[[str, str, str], FetchResult],
) -> tuple[Callable[[str, str, str], FetchResult], dict[str, tuple[float, float]]]:
    """``fetcher``, noting when each URL's call began and ended (to compare calls, not to time them)."""
    spans: dict[str, tuple[float, float]] = {}

    def call(url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        began = time.monotonic()
        try:
            return fetcher(url, etag, last_modified)
        finally:
            spans[url] = (began, time.monotonic())

    return call, spans


class NoNetwork:
    """A fetcher that fails the test if it is ever called."""

    calls = 0

    def __call__(self, url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        self.calls += 1
        raise AssertionError(f"no request expected, got one for {url}")


FAULTS = [
    ("fault/html.png", r"a web page, not an image"),
    ("fault/truncated.png", r"truncated"),
    ("fault/truncated-nolen.png", r"corrupt image data"),
    ("fault/corrupt.jpg", r"not a recognizable image"),
    ("fault/bomb.png", r"too many pixels"),
    ("fault/loop", r"redirects"),
    ("fault/huge.png", r"larger than the 30 MB limit"),
    ("fault/huge-nolen.png", r"larger than the 30 MB limit"),
    ("fault/hang.png", r"no answer"),
    ("fault/404.png", r"^HTTP 404$"),
    ("fault/500.png", r"^HTTP 500 \(\d attempts\)$"),
    ("fault/slow.png?chunks=60&interval=0.5", r"too slow"),
]


@pytest.mark.parametrize(("path", "reason"), FAULTS, ids=[p.split("?")[0] for p, _ in FAULTS])
def test_each_fault_ends_as_a_placeholder_with_one_warning_and_the_build_goes_on(
    server: ImageServer, tmp_path: Path, path: str, reason: str
) -> None:
    bad, good = server.url(path), server.image_url("good", "jpg")
    fetcher = HttpFetcher(FAST)
    assets, stats, diag = resolve(deck_of(bad, good), tmp_path, fetcher)
    # each picture asked once, each try of it within the fetcher's deadline (tests/assets/test_fetch.py)
    assert fetcher.requests_made <= 1 + (FAST.retries + 1)
    assert not assets[0].ok and re.search(reason, assets[0].reason)
    assert assets[1].ok
    assert [unavailable(w) for w in diag.warnings] == [("P101", str(POST), 10, bad, assets[0].reason)]
    assert (stats.failed, stats.downloaded) == (1, 1)
    assert Cache(tmp_path).lookup(bad) is None  # a failure is never cached


def test_all_faults_at_once_warn_once_each_in_the_posts_order_and_end_in_time(
    server: ImageServer, tmp_path: Path
) -> None:
    urls = [server.url(path) for path, _ in FAULTS] + [server.image_url("fine", "png", alpha=True)]
    fetcher, spans = _timed_calls(HttpFetcher(FAST))
    assets, stats, diag = resolve(deck_of(*urls), tmp_path, fetcher)
    # the slow faults side by side, not one after another: the hanging server and the trickle,
    # each a whole deadline long, were waited for at the same time
    hang, trickle = spans[server.url("fault/hang.png")], spans[server.url(FAULTS[-1][0])]
    assert max(hang[0], trickle[0]) < min(hang[1], trickle[1])
    assert stats == AssetStats(len(urls), 0, 1, len(FAULTS), 0)
    lines = [w.line for w in diag.warnings]
    assert lines == [10 + 3 * i for i in range(len(FAULTS))]  # post order, not finishing order
    for warning, url, (_, reason) in zip(diag.warnings, urls, FAULTS):
        assert (warning.code, warning.file, warning.get("url")) == ("P101", str(POST), url)
        assert re.search(reason, warning.get("reason"))


def test_other_stages_warnings_keep_their_place(server: ImageServer, tmp_path: Path) -> None:
    earlier = C.UNKNOWN_TAG("zzz.md", 99, tag="ve")  # from the parser
    diag = Diagnostics([earlier])
    resolve(deck_of(server.url("fault/404.png")), tmp_path, HttpFetcher(FAST), diag=diag)
    assert diag.warnings[0] == earlier and diag.codes() == ["M108", "P101"]


def test_a_flaky_500_then_ok_is_had_by_retrying(server: ImageServer, tmp_path: Path) -> None:
    assets, stats, diag = resolve(deck_of(server.url("fault/flaky.png?n=1")), tmp_path, HttpFetcher(FAST))
    assert assets[0].ok and diag.warnings == () and stats.downloaded == 1
    assert server.hits["/fault/flaky.png"] == 2


def test_the_same_url_twice_is_fetched_and_warned_once(server: ImageServer, tmp_path: Path) -> None:
    bad = server.url("fault/404.png")
    assets, stats, diag = resolve(deck_of(bad, bad), tmp_path, HttpFetcher(FAST))
    assert stats.total == 1 and len(diag.warnings) == 1 and not assets[1].ok
    assert server.hits["/fault/404.png"] == 1


def test_a_github_blob_page_link_is_fetched_as_the_raw_file(server: ImageServer, tmp_path: Path) -> None:
    url = server.url("github/someone/repo/blob/main/figs/diagram.png")
    assets, _, diag = resolve(deck_of(url), tmp_path, HttpFetcher(FAST))
    assert assets[0].ok, assets[0].reason
    assert diag.warnings == ()
    (note,) = diag.notes
    assert (note.code, note.line, note.get("url")) == ("P103", 10, url) and "raw file" in note.get("why")
    with PILImage.open(assets[0].path) as picture:
        assert picture.size == (800, 450)
    # the next revalidation goes straight to the raw file
    server.reset_log()
    resolve(deck_of(url), tmp_path, HttpFetcher(FAST), refresh=True)
    assert [r.path for r in server.requests][0].endswith("diagram.png?raw=true")


def test_github_com_blob_links_are_rewritten_before_any_download(tmp_path: Path) -> None:
    assert normalize_url("https://github.com/u/r/blob/main/a.png") == (
        "https://github.com/u/r/blob/main/a.png?raw=true",
        "GitHub page link, fetching the raw file instead",
    )
    assert normalize_url("https://github.com/u/r/blob/main/a.png?raw=true")[1] == ""
    assert normalize_url("https://github.com/u/r/raw/main/a.png")[1] == ""
    assert normalize_url("//example.org/a.png")[0] == "https://example.org/a.png"
    asked: list[str] = []

    def fetcher(url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        asked.append(url)
        return FetchResult(200, encode_image("gh", "png", 64, 36))

    _, _, diag = resolve(deck_of("https://github.com/u/r/blob/main/a.png"), tmp_path, fetcher)
    assert asked == ["https://github.com/u/r/blob/main/a.png?raw=true"]
    assert diag.warnings == () and diag.codes() == ["P103"]
    assert diag.notes[0].get("why") == "GitHub page link, fetching the raw file instead"


def test_a_non_image_answer_is_never_cached_and_its_failure_is_remembered_a_while(
    server: ImageServer, tmp_path: Path
) -> None:
    url = server.url("fault/html.png")
    now = [1_000_000.0]
    first = resolve(deck_of(url), tmp_path, HttpFetcher(FAST), clock=lambda: now[0])
    assert first[0][0].status is AssetStatus.FAILED and server.hits["/fault/html.png"] == 1
    # the next build, a minute later, does not ask again: it says why and how to retry
    now[0] += 60
    again = resolve(deck_of(url), tmp_path, HttpFetcher(FAST), clock=lambda: now[0])
    assert server.hits["/fault/html.png"] == 1
    (said,) = again[2].warnings
    assert again[0][0].status is AssetStatus.FAILED and said.code == "P101" and said.get("cause") == "remembered"
    assert "--refresh tries now" in said.get("reason") and first[0][0].reason in said.get("reason")
    assert again[0][0].reason == first[0][0].reason  # the slide says the same as the first time
    # --refresh asks at once; so does any build once the failure is FAILURE_MAX_AGE old
    resolve(deck_of(url), tmp_path, HttpFetcher(FAST), clock=lambda: now[0], refresh=True)
    assert server.hits["/fault/html.png"] == 2
    now[0] += FAILURE_MAX_AGE + 1
    resolve(deck_of(url), tmp_path, HttpFetcher(FAST), clock=lambda: now[0])
    assert server.hits["/fault/html.png"] == 3
    assert Cache(tmp_path).info().entries == 0  # the web page never became a cached picture


def test_a_picture_that_comes_back_is_used_and_its_failure_forgotten(tmp_path: Path) -> None:
    answers = [FetchError("HTTP 503"), FetchResult(200, encode_image("back", "png", 64, 36))]

    def fetcher(url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    url = "https://example.org/back.png"
    assert resolve(deck_of(url), tmp_path, fetcher)[0][0].status is AssetStatus.FAILED
    assert resolve(deck_of(url), tmp_path, fetcher, refresh=True)[0][0].status is AssetStatus.OK
    assert Cache(tmp_path).failure(url, time.time()) is None
    assert resolve(deck_of(url), tmp_path, fetcher)[0][0].status is AssetStatus.OK  # from the cache


def test_a_warm_build_settles_every_picture_without_a_thread(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import concurrent.futures

    def fetcher(url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        return FetchResult(200, encode_image(url, "png", 64, 36))

    urls = [f"https://example.org/{n}.png" for n in range(3)]
    resolve(deck_of(*urls), tmp_path, fetcher)

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm build needs no download threads")

    monkeypatch.setattr(concurrent.futures, "ThreadPoolExecutor", no_pool)  # the stage imports it when it needs it
    assets, stats, _ = resolve(deck_of(*urls), tmp_path, fetcher)
    assert stats.cached == 3 and all(a.status is AssetStatus.OK for a in assets)


# -- the cache ------------------------------------------------------------------------


def test_a_fresh_entry_is_used_without_any_request(server: ImageServer, tmp_path: Path) -> None:
    url = server.image_url("fresh", "jpg")
    resolve(deck_of(url), tmp_path, HttpFetcher(FAST))
    assets, stats, _ = resolve(deck_of(url), tmp_path, NoNetwork())
    assert assets[0].ok and assets[0].from_cache and stats.cached == 1
    assert server.hits["/img/fresh.jpg"] == 1


def test_after_max_age_a_304_revalidation_reuses_the_cached_blob(
    server: ImageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = server.image_url("aging", "png", w=640, h=360)
    now = [1_000_000.0]
    first, _, _ = resolve(deck_of(url), tmp_path, HttpFetcher(FAST), clock=lambda: now[0])
    entry = Cache(tmp_path).lookup(url)
    assert entry is not None and entry.etag

    now[0] += 6 * DAY  # younger than the default 7 days: no request
    resolve(deck_of(url), tmp_path, HttpFetcher(FAST), clock=lambda: now[0])
    assert server.hits["/img/aging.png"] == 1

    now[0] += 2 * DAY  # older: one conditional request, answered 304
    monkeypatch.setattr(deckgen.assets.images, "convert", _no_conversion)
    assets, stats, diag = resolve(deck_of(url), tmp_path, HttpFetcher(FAST), clock=lambda: now[0])
    assert server.hits["/img/aging.png"] == 2
    assert server.requests[-1].headers["If-None-Match"] == entry.etag
    assert assets[0].ok and assets[0].path == first[0].path and stats.cached == 1
    assert diag.warnings == ()
    again = Cache(tmp_path).lookup(url)
    assert again is not None and (again.blob, again.fetched_at) == (entry.blob, now[0])


def test_max_age_is_configurable(server: ImageServer, tmp_path: Path) -> None:
    url = server.image_url("short-lived", "jpg")
    now = [1_000_000.0]
    resolve(deck_of(url), tmp_path, HttpFetcher(FAST), clock=lambda: now[0], max_age=60.0)
    now[0] += 61
    resolve(deck_of(url), tmp_path, HttpFetcher(FAST), clock=lambda: now[0], max_age=60.0)
    assert server.hits["/img/short-lived.jpg"] == 2


def test_refresh_revalidates_even_a_fresh_entry(server: ImageServer, tmp_path: Path) -> None:
    url = server.image_url("refreshed", "jpg")
    resolve(deck_of(url), tmp_path, HttpFetcher(FAST))
    assets, _, _ = resolve(deck_of(url), tmp_path, HttpFetcher(FAST), refresh=True)
    assert assets[0].ok and server.hits["/img/refreshed.jpg"] == 2
    assert "If-None-Match" in server.requests[-1].headers


def test_a_changed_picture_replaces_the_cached_one(tmp_path: Path) -> None:
    bodies = [encode_image("v1", "png", 64, 36), encode_image("v2", "jpg", 64, 36)]

    def fetcher(url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        return FetchResult(200, bodies.pop(0), etag='"new"')

    first, _, _ = resolve(deck_of("http://h/p.png"), tmp_path, fetcher)
    second, _, _ = resolve(deck_of("http://h/p.png"), tmp_path, fetcher, refresh=True)
    assert first[0].path != second[0].path and second[0].source_fmt == "jpeg"


def test_a_server_that_now_answers_with_a_page_does_not_replace_the_cached_picture(tmp_path: Path) -> None:
    answers = [encode_image("kept", "jpg", 64, 36), b"<!doctype html><html><body>moved</body></html>"]

    def fetcher(url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        return FetchResult(200, answers.pop(0))

    first, _, _ = resolve(deck_of("http://h/p.jpg"), tmp_path, fetcher)
    second, stats, diag = resolve(deck_of("http://h/p.jpg"), tmp_path, fetcher, refresh=True)
    assert second[0].ok and second[0].path == first[0].path and stats.cached == 1
    assert diag.warnings == () and diag.codes() == ["P102"]
    assert diag.notes[0].get("reason") == "a web page, not an image" and diag.notes[0].get("url") == "http://h/p.jpg"
    entry = Cache(tmp_path).lookup("http://h/p.jpg")
    assert entry is not None and Cache(tmp_path).read_blob(entry) == encode_image("kept", "jpg", 64, 36)


def test_offline_with_a_cache_makes_no_request_at_all(server: ImageServer, tmp_path: Path) -> None:
    urls = [server.image_url(f"off{i}", "jpg") for i in range(3)]
    resolve(deck_of(*urls), tmp_path, HttpFetcher(FAST))
    server.reset_log()
    never = NoNetwork()
    now = time.time() + 365 * DAY  # even a year later: offline never revalidates
    assets, stats, diag = resolve(deck_of(*urls), tmp_path, never, offline=True, clock=lambda: now)
    assert all(a.ok for a in assets) and stats.cached == 3 and diag.warnings == ()
    assert never.calls == 0 and server.requests == []


def test_offline_without_a_cache_gives_placeholders_and_makes_no_request(
    server: ImageServer, tmp_path: Path
) -> None:
    urls = [server.image_url("never-cached", "jpg"), server.url("fault/404.png")]
    never = NoNetwork()
    assets, stats, diag = resolve(deck_of(*urls), tmp_path, never, offline=True)
    assert [a.reason for a in assets] == ["offline and not in the cache"] * 2
    assert (stats.failed, stats.offline_missing) == (2, 2)
    assert [unavailable(w) for w in diag.warnings] == [
        ("P101", str(POST), 10 + 3 * i, u, "offline and not in the cache") for i, u in enumerate(urls)
    ]
    assert {w.get("cause") for w in diag.warnings} == {"offline"}
    assert never.calls == 0 and server.requests == []


def test_a_stale_entry_is_used_with_a_note_when_the_server_is_gone(tmp_path: Path) -> None:
    with ImageServer() as srv:
        url = srv.image_url("orphan", "jpg")
        resolve(deck_of(url), tmp_path, HttpFetcher(FAST))
    assets, stats, diag = resolve(deck_of(url), tmp_path, HttpFetcher(FAST), refresh=True)
    assert assets[0].ok and stats.cached == 1 and diag.warnings == ()
    assert diag.codes() == ["P104"] and diag.notes[0].get("reason") == "connection refused"


def test_a_damaged_cached_copy_is_downloaded_again(server: ImageServer, tmp_path: Path) -> None:
    url = server.image_url("damaged", "png", w=300, h=200)
    first, _, _ = resolve(deck_of(url), tmp_path, HttpFetcher(FAST))
    cache = Cache(tmp_path)
    entry = cache.lookup(url)
    assert entry is not None and first[0].path is not None
    for path in (tmp_path / "renditions").rglob(f"{entry.blob}-*"):  # lose what its header said...
        path.unlink()
    blob = cache.blob_path(entry.blob)
    blob.write_bytes(bytes(len(blob.read_bytes())))  # ...and damage the blob, keeping its size
    assets, _, diag = resolve(deck_of(url), tmp_path, HttpFetcher(FAST))
    assert assets[0].ok and diag.warnings == ()
    assert server.hits["/img/damaged.png"] == 2
    assert cache.read_blob(cache.lookup(url)) == encode_image("damaged", "png", 300, 200)  # type: ignore[arg-type]


def _no_conversion(*args: object, **kwargs: object) -> None:
    raise AssertionError("a warm build must not convert pictures")


def test_a_warm_build_decodes_and_encodes_nothing(
    server: ImageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = [
        server.image_url("w1", "webp"),
        server.image_url("w2", "png", alpha=True),
        server.image_url("w3", "svg"),
        server.image_url("w4", "jpg", w=3000, h=1000),
    ]
    cold, _, _ = resolve(deck_of(*urls), tmp_path, HttpFetcher(PATIENT))
    assert all(a.ok for a in cold)

    def no_decoding(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm build must not open pictures")

    monkeypatch.setattr(deckgen.assets.images, "convert", _no_conversion)
    monkeypatch.setattr(PILImage, "open", no_decoding)
    warm, stats, diag = resolve(deck_of(*urls), tmp_path, NoNetwork())
    assert warm == [a.__class__(**{**a.__dict__, "from_cache": True}) for a in cold]
    assert stats.cached == 4 and diag.warnings == ()


def test_pictures_are_described_from_their_headers_and_held_as_they_came(
    server: ImageServer, tmp_path: Path
) -> None:
    urls = [
        server.image_url("big-photo", "jpg", w=3000, h=1000),
        server.image_url("photo-png", "png", w=1200, h=675),
        server.image_url("cutout", "png", w=900, h=500, alpha=True),
        server.image_url("vector", "svg", w=400, h=300),
        server.image_url("webp-photo", "webp", w=1600, h=1600),
    ]
    assets, _, diag = resolve(deck_of(*urls), tmp_path, HttpFetcher(PATIENT))
    assert diag.warnings == ()
    got = [(a.source_fmt, a.width, a.height, a.rendered) for a in assets]
    assert got == [
        ("jpeg", 3000, 1000, False),
        ("png", 1200, 675, False),
        ("png", 900, 500, False),
        ("svg", 400, 300, False),
        ("webp", 1600, 1600, False),
    ]
    for asset in assets:  # the original bytes, to be drawn after the layout
        assert asset.path is not None and deckgen.assets.cache.sha256(asset.path.read_bytes()) == asset.digest
    assert (assets[0].source_width, assets[0].source_height) == (3000, 1000)


def test_a_video_thumbnail_gets_its_own_trimmed_rendition(tmp_path: Path) -> None:
    frame = PILImage.new("RGB", (480, 360), (0, 0, 0))
    frame.paste(PILImage.new("RGB", (480, 270), (200, 120, 40)), (0, 45))
    thumb = tmp_path / "thumb.png"
    frame.save(thumb)
    deck = Deck(
        Meta(),
        (),
        (Slide(blocks=(Embed("youtube", "https://youtu.be/x", poster_url=str(thumb), line=3),)),),
    )
    resolver = AssetResolver(
        Cache(tmp_path / "c"), None, AssetOptions(allow_files=(tmp_path,)), Diagnostics(), None
    )
    done, _ = resolve_assets(deck, resolver)
    poster = done.slides[0].blocks[0].poster  # type: ignore[union-attr]
    assert poster is not None and poster.ok and (poster.width, poster.height) == (480, 270)


def test_an_unexpected_error_in_one_picture_is_a_warning_not_a_crash(
    server: ImageServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(deckgen.assets.images, "probe", broken)
    assets, _, diag = resolve(deck_of(server.image_url("x", "bmp")), tmp_path, HttpFetcher(FAST))
    assert not assets[0].ok and diag.codes() == ["P101"]
    assert "could not be processed (RuntimeError: bug)" in diag.warnings[0].get("reason")


def test_no_fetcher_and_no_cache_is_a_warning(tmp_path: Path) -> None:
    assets, _, diag = resolve(deck_of("https://example.org/a.png"), tmp_path, None)
    assert not assets[0].ok and diag.codes() == ["P101"] and "no network" in diag.warnings[0].get("reason")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("data:image/png;base64,AAAA", "inline data"),
        ("ftp://example.org/a.png", "unsupported address scheme"),
    ],
)
def test_other_address_schemes_are_refused(tmp_path: Path, url: str, reason: str) -> None:
    assets, _, diag = resolve(deck_of(url), tmp_path, NoNetwork())
    assert reason in assets[0].reason and diag.codes() == ["P101"]


# -- local pictures ----------------------------------------------------------------------


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A Jekyll site: _posts/ with the post, assets/ at the root, a picture beside the post."""
    root = tmp_path / "site"
    (root / "_posts" / "pics").mkdir(parents=True)
    (root / "assets" / "img").mkdir(parents=True)
    (root / "_posts" / "pics" / "beside.png").write_bytes(encode_image("beside", "png", 320, 180, alpha=True))
    (root / "assets" / "img" / "site.jpg").write_bytes(encode_image("site", "jpg", 320, 180))
    (root / "assets" / "img" / "base url.jpg").write_bytes(encode_image("base", "jpg", 320, 180))
    (root / "assets" / "img" / "fake.png").write_text("<html><body>not a picture</body></html>")
    (root / "assets" / "notes.txt").write_text("plain text")
    return root


def test_local_pictures_relative_to_the_post_and_under_the_site_root(site: Path, tmp_path: Path) -> None:
    post = site / "_posts" / "2024-01-01-local.md"
    deck = deck_of(
        "pics/beside.png",
        "/assets/img/site.jpg",
        "/assets/img/base%20url.jpg",
        "assets/img/site.jpg",  # relative to the site, as Jekyll authors often write
        (site / "assets" / "img" / "site.jpg").as_uri(),
        "/assets/img/fake.png",
        "/assets/notes.txt",
        "/assets/img/missing.png",
    )
    assets, stats, diag = resolve(deck, tmp_path / "cache", NoNetwork(), post=post)
    assert [a.ok for a in assets] == [True] * 5 + [False] * 3
    assert assets[5].reason == "a web page, not an image"
    assert assets[6].reason == "not a recognizable image"
    assert assets[7].reason == f"local file not found: {site / 'assets' / 'img' / 'missing.png'}"
    assert [(w.code, w.get("url")) for w in diag.warnings] == [("P101", deck_url) for deck_url in (
        "/assets/img/fake.png", "/assets/notes.txt", "/assets/img/missing.png")]
    assert [w.get("cause") for w in diag.warnings] == ["not-a-picture", "not-a-picture", "local-missing"]
    assert stats.cached == 5


def test_a_site_root_can_be_given(site: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "drafts" / "post.md"
    elsewhere.parent.mkdir()
    assets, _, diag = resolve(
        deck_of("/assets/img/site.jpg"), tmp_path / "cache", NoNetwork(), post=elsewhere, site_root=site
    )
    assert assets[0].ok, diag.warnings


def test_a_local_file_over_the_size_cap_is_not_read(site: Path, tmp_path: Path) -> None:
    post = site / "_posts" / "p.md"
    assets, _, _ = resolve(deck_of("pics/beside.png"), tmp_path / "c", NoNetwork(), post=post, max_bytes=1000)
    assert "larger than" in assets[0].reason


def test_a_post_with_liquid_site_paths_builds_with_only_real_pictures_embedded(
    site: Path, tmp_path: Path
) -> None:
    post = site / "_posts" / "2024-01-01-local.md"
    post.write_text(
        "---\ntitle: Local pictures\n---\n\n"
        "## Beside the post\n![a](pics/beside.png)\n\n---\n"
        "## Site path\n![b](/assets/img/site.jpg)\n\n---\n"
        "## Base URL\n![c]({{ site.baseurl }}/assets/img/base%20url.jpg)\n\n---\n"
        "## Not a picture\n![d]({{ site.baseurl }}/assets/img/fake.png)\n",
        "utf-8",
    )
    options = BuildOptions(
        formats=("pptx",), out_dir=tmp_path / "out", pictures=AssetOptions(cache_dir=tmp_path / "cache", offline=True)
    )
    result = build_post(post, options, Services(fetcher=NoNetwork()))
    assert (result.images.total, result.images.failed) == (4, 1)
    (warning,) = result.warnings
    assert (warning.code, warning.file, warning.line) == ("P101", str(post), 18)
    assert warning.get("url").endswith("/assets/img/fake.png") and warning.get("reason") == "a web page, not an image"
    prs = Presentation(str(tmp_path / "out" / "2024-01-01-local.pptx"))
    pictures = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pictures) == 3


def test_a_check_asks_again_for_what_a_build_remembered_failing(tmp_path: Path) -> None:
    asked: list[str] = []

    def fetcher(url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        asked.append(url)
        return FetchResult(200, encode_image("fixed", "png", 64, 36))

    url = "https://example.org/fixed.png"
    Cache(tmp_path).store_failure(url, "HTTP 404", time.time())
    assert resolve(deck_of(url), tmp_path, fetcher)[0][0].status is AssetStatus.FAILED and asked == []
    found = resolve(deck_of(url), tmp_path, fetcher, remember_failures=False)[0][0]
    assert found.status is AssetStatus.OK and asked == [url]


def test_a_passing_failure_is_remembered_briefly_and_one_under_another_size_limit_not_at_all(
    tmp_path: Path,
) -> None:
    from deckgen.assets.cache import TRANSIENT_FAILURE_MAX_AGE
    from deckgen.assets.fetch import TransientError

    asked: list[str] = []
    answers: dict[str, Exception] = {
        "https://example.org/slow.png": TransientError("no answer (timed out) (3 attempts)"),
        "https://example.org/big.png": FetchError("larger than the 1 MB limit"),
    }

    def fetcher(url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        asked.append(url)
        raise answers[url]

    now = [1_000_000.0]
    urls = list(answers)
    resolve(deck_of(*urls), tmp_path, fetcher, clock=lambda: now[0], max_bytes=1 << 20)
    assert sorted(asked) == sorted(urls)
    now[0] += TRANSIENT_FAILURE_MAX_AGE + 1  # the timeout may have passed; the size has not
    resolve(deck_of(*urls), tmp_path, fetcher, clock=lambda: now[0], max_bytes=1 << 20)
    assert asked.count("https://example.org/slow.png") == 2 and asked.count("https://example.org/big.png") == 1
    # a larger limit: the size failure is not reused
    resolve(deck_of("https://example.org/big.png"), tmp_path, fetcher, clock=lambda: now[0], max_bytes=2 << 20)
    assert asked.count("https://example.org/big.png") == 2


def test_a_failure_remembered_under_one_timeout_is_asked_again_under_another(tmp_path: Path) -> None:
    from deckgen.assets.fetch import FetchPolicy, TransientError

    class Slow:
        def __init__(self, seconds: float) -> None:
            self.policy = FetchPolicy(total_timeout=seconds)
            self.asked = 0

        def __call__(self, url: str, etag: str = "", last_modified: str = "") -> FetchResult:
            self.asked += 1
            raise TransientError("no answer (timed out)")

    url = "https://example.org/slow-host.png"
    short, same, longer = Slow(5.0), Slow(5.0), Slow(60.0)
    resolve(deck_of(url), tmp_path, short)
    resolve(deck_of(url), tmp_path, same)  # the same limit: remembered, not asked
    resolve(deck_of(url), tmp_path, longer)  # a longer --timeout: worth asking again
    assert (short.asked, same.asked, longer.asked) == (1, 0, 1)
