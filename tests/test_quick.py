"""The quick look: a post found current before it is parsed, saying and returning what the full
way does; every change the full way would see takes the full way."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from deckgen import parse
from deckgen import quick as quick_look
from deckgen.assets.cachenames import FAILURE_MAX_AGE
from deckgen.assets.fetch import FetchError, FetchResult
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Services, build_post
from deckgen.pipeline import Record, run_post
from deckgen.stamp import Quick, assets_digest, quick_key, read_stamp, stamp_path
from deckgen.theme.load import load_theme
from support.imageserver import encode_image

URL = "https://pictures.example/a.png"
POST = f"""---
title: Quick
---

---
## One
Some text, [a link]().

![]({URL})

---
## Two
![a local picture](local.png)
"""


class Web:
    """A fake web: the picture at URL (its body can change, or the host go away)."""

    def __init__(self) -> None:
        self.body = encode_image("one", "png", 64, 36)
        self.asked = 0
        self.down = False

    def __call__(self, url: str, etag: str = "", last_modified: str = "") -> FetchResult:
        self.asked += 1
        if self.down:
            raise FetchError("host not found (offline?)")
        return FetchResult(200, self.body)


class Parses:
    """Counts the parses of the runs (the full way parses, the quick look does not; the pipeline
    imports the parser when it parses)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.count = 0
        real = parse.parse_deck

        def counted(*args: object, **kwargs: object) -> object:
            self.count += 1
            return real(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(parse, "parse_deck", counted)


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> Parses:
    return Parses(monkeypatch)


def site(tmp_path: Path) -> Path:
    """A Jekyll site with the post in ``_posts/`` and its local picture beside it."""
    posts = tmp_path / "site" / "_posts"
    posts.mkdir(parents=True)
    (tmp_path / "site" / "_config.yml").write_text("url: https://school.example\n", "utf-8")
    (posts / "local.png").write_bytes(encode_image("local", "png", 48, 48))
    post = posts / "2026-01-02-quick.md"
    post.write_text(POST, "utf-8")
    return post


def options(tmp_path: Path, **extra: object) -> BuildOptions:
    picture_names = {f.name for f in dataclasses.fields(AssetOptions)}
    pictures: dict[str, object] = {"cache_dir": tmp_path / "cache"}
    pictures.update({k: v for k, v in extra.items() if k in picture_names})
    base: dict[str, object] = dict(
        formats=("pptx",), out_dir=tmp_path / "out", incremental=True, now=dt.datetime(2026, 1, 2), cwd=tmp_path
    )
    base.update({k: v for k, v in extra.items() if k not in picture_names})
    return BuildOptions(**base, pictures=AssetOptions(**pictures))  # type: ignore[arg-type]


def without_time(record: Record) -> Record:
    return dataclasses.replace(record, seconds=0.0)


def full_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quick_look, "look", lambda *args, **kwargs: None)


def test_an_unchanged_post_is_current_without_a_parse_and_its_record_is_the_full_ways(
    tmp_path: Path, parses: Parses, monkeypatch: pytest.MonkeyPatch
) -> None:
    post, web = site(tmp_path), Web()
    first = build_post(post, options(tmp_path), Services(fetcher=web))
    assert not first.up_to_date and parses.count == 1
    quick = build_post(post, options(tmp_path), Services(fetcher=web))
    assert quick.up_to_date and parses.count == 1 and web.asked == 1  # neither parsed nor asked
    with monkeypatch.context() as patch:
        full_way(patch)
        full = build_post(post, options(tmp_path), Services(fetcher=web))
    assert full.up_to_date and parses.count == 2
    assert without_time(quick) == without_time(full)  # title, pages, pictures, outputs, inputs, diagnostics
    assert sorted(w.code for w in quick.warnings) == ["A101", "L101"]  # the parse's, said again
    assert str(post.parent / "local.png") in quick.inputs  # serve watches the local picture


def test_a_stamp_without_quick_gets_one_from_the_next_up_to_date_build(tmp_path: Path, parses: Parses) -> None:
    post, web = site(tmp_path), Web()
    build_post(post, options(tmp_path), Services(fetcher=web))
    path = stamp_path(tmp_path / "out", post)
    data = json.loads(path.read_text("utf-8"))
    del data["quick"]
    path.write_text(json.dumps({**data, "version": 3}), "utf-8")  # as deckgen wrote it before
    assert build_post(post, options(tmp_path), Services(fetcher=web)).up_to_date and parses.count == 2
    stamp = read_stamp(tmp_path / "out", post)
    assert stamp is not None and stamp.quick is not None and stamp.version == 4
    recorded = path.stat().st_mtime_ns
    assert build_post(post, options(tmp_path), Services(fetcher=web)).up_to_date and parses.count == 2
    assert path.stat().st_mtime_ns == recorded  # a current record is not written again


def _edit_post(tmp_path: Path, post: Path) -> dict[str, object]:
    post.write_text(POST.replace("Some text", "Other text"), "utf-8")
    return {}


def _edit_local_picture(tmp_path: Path, post: Path) -> dict[str, object]:
    (post.parent / "local.png").write_bytes(encode_image("changed", "png", 48, 48))
    return {}


def _edit_site_address(tmp_path: Path, post: Path) -> dict[str, object]:
    (tmp_path / "site" / "_config.yml").write_text("url: https://other.example\n", "utf-8")
    return {}


def _clear_cache_offline(tmp_path: Path, post: Path) -> dict[str, object]:
    for index in (tmp_path / "cache" / "index").rglob("*.json"):
        index.unlink()
    return {"offline": True}


def _offline(tmp_path: Path, post: Path) -> dict[str, object]:
    return {"offline": True}


def _edit_theme(tmp_path: Path, post: Path) -> dict[str, object]:
    (tmp_path / "mine.toml").write_text('name = "mine"\nextends = "default"\n[colors]\ntext = "#111111"\n', "utf-8")
    return {}


def _next_day_with_the_time_shown(tmp_path: Path, post: Path) -> dict[str, object]:
    post.write_text(POST + "\nBuilt {{ site.time | date: '%Y-%m-%d' }}.\n", "utf-8")
    return {"now": dt.datetime(2026, 1, 3)}


def _reveal_changed(tmp_path: Path, post: Path) -> dict[str, object]:
    (tmp_path / "reveal.tgz").write_bytes(b"another bundle")
    return {}


def _forced(tmp_path: Path, post: Path) -> dict[str, object]:
    return {"force": True}


@pytest.mark.parametrize(
    "change",
    [
        _edit_post,
        _edit_local_picture,
        _edit_site_address,
        _clear_cache_offline,
        _offline,
        _edit_theme,
        _next_day_with_the_time_shown,
        _reveal_changed,
        _forced,
    ],
)
def test_a_change_the_full_way_sees_rebuilds_the_post(
    tmp_path: Path, parses: Parses, change: Callable[[Path, Path], dict[str, object]]
) -> None:
    post, web = site(tmp_path), Web()
    (tmp_path / "mine.toml").write_text('name = "mine"\nextends = "default"\n', "utf-8")
    (tmp_path / "reveal.tgz").write_bytes(b"a bundle")
    base = {"theme": str(tmp_path / "mine.toml"), "reveal_js": tmp_path / "reveal.tgz"}
    if change is _next_day_with_the_time_shown:
        post.write_text(POST + "\nBuilt {{ site.time | date: '%Y-%m-%d' }}.\n", "utf-8")
    build_post(post, options(tmp_path, **base), Services(fetcher=web))
    assert build_post(post, options(tmp_path, **base), Services(fetcher=web)).up_to_date and parses.count == 1
    extra = change(tmp_path, post)
    again = build_post(post, options(tmp_path, **{**base, **extra}), Services(fetcher=web))
    assert not again.up_to_date and parses.count == 2


@pytest.mark.parametrize("how", ["refresh", "stale", "cleared"])
def test_a_picture_that_needs_its_server_takes_the_full_way(tmp_path: Path, parses: Parses, how: str) -> None:
    post, web = site(tmp_path), Web()
    build_post(post, options(tmp_path), Services(fetcher=web))
    extra: dict[str, object] = {"refresh": True} if how == "refresh" else {}
    if how == "stale":
        extra = {"max_age": 0.001}
        time.sleep(0.01)
    if how == "cleared":
        for blob in (tmp_path / "cache" / "blobs").rglob("*"):
            if blob.is_file():
                blob.unlink()
    again = build_post(post, options(tmp_path, **extra), Services(fetcher=web))
    # the same bytes came back: current, as the full way found, having asked the server
    assert again.up_to_date and parses.count == 2 and web.asked == 2
    web.body = encode_image("two", "png", 96, 54)
    if how == "cleared":
        for blob in (tmp_path / "cache" / "blobs").rglob("*"):
            if blob.is_file():
                blob.unlink()
    elif how == "stale":
        time.sleep(0.01)
    assert not build_post(post, options(tmp_path, **extra), Services(fetcher=web)).up_to_date
    assert parses.count == 3


def test_a_failed_picture_is_current_while_remembered_and_asked_again_once_forgotten(
    tmp_path: Path, parses: Parses, monkeypatch: pytest.MonkeyPatch
) -> None:
    post, web = site(tmp_path), Web()
    web.down = True
    first = build_post(post, options(tmp_path), Services(fetcher=web))
    assert first.images.failed == 1 and web.asked == 1
    quick = build_post(post, options(tmp_path), Services(fetcher=web))
    assert quick.up_to_date and parses.count == 1 and web.asked == 1
    with monkeypatch.context() as patch:
        full_way(patch)
        full = build_post(post, options(tmp_path), Services(fetcher=web))
    assert without_time(quick) == without_time(full)
    assert [(w.code, w.get("cause")) for w in quick.warnings if w.code == "P101"] == [("P101", "remembered")]
    web.down = False  # back; the failure is forgotten after its time
    later = Services(fetcher=web, clock=lambda: time.time() + FAILURE_MAX_AGE + 1)
    again = build_post(post, options(tmp_path), later)
    assert not again.up_to_date and again.images.failed == 0 and web.asked == 2 and parses.count == 3


def test_an_edited_output_is_left_alone_and_said_as_the_full_way_says_it(
    tmp_path: Path, parses: Parses, monkeypatch: pytest.MonkeyPatch
) -> None:
    post, web = site(tmp_path), Web()
    first = build_post(post, options(tmp_path), Services(fetcher=web))
    with first.outputs[0].open("ab") as deck:
        deck.write(b"an edit")
    quick = build_post(post, options(tmp_path), Services(fetcher=web))
    assert quick.up_to_date and quick.edited == first.outputs and parses.count == 1
    with monkeypatch.context() as patch:
        full_way(patch)
        full = build_post(post, options(tmp_path), Services(fetcher=web))
    assert without_time(quick) == without_time(full)


def test_a_missing_card_a_single_post_and_check_take_the_full_way(tmp_path: Path, parses: Parses) -> None:
    post, web = site(tmp_path), Web()
    carded = options(tmp_path, course_card=True)
    build_post(post, carded, Services(fetcher=web))
    assert build_post(post, carded, Services(fetcher=web)).up_to_date and parses.count == 1
    for card in (tmp_path / "out").rglob("*.card.*"):
        card.unlink()
    assert not build_post(post, carded, Services(fetcher=web)).up_to_date and parses.count == 2
    # a single post's build is not incremental: it writes its decks again, as it always did
    assert not build_post(post, options(tmp_path, incremental=False), Services(fetcher=web)).up_to_date
    assert parses.count == 3
    checked = run_post(post, options(tmp_path), Services(fetcher=web), until="assets")
    assert checked.deck is not None and parses.count == 4


def test_the_quick_key_and_the_assets_digest_change_with_what_they_keep(tmp_path: Path) -> None:
    theme = load_theme("default", tmp_path)
    base = options(tmp_path)
    key = quick_key(b"post", theme, base, "https://x/deck/", (("lang", "en"),))
    assert key == quick_key(b"post", theme, base, "https://x/deck/", (("lang", "en"),))
    others = [
        quick_key(b"post!", theme, base, "https://x/deck/", (("lang", "en"),)),
        quick_key(b"post", load_theme("dark", tmp_path), base, "https://x/deck/", (("lang", "en"),)),
        quick_key(b"post", theme, options(tmp_path, offline=True), "https://x/deck/", (("lang", "en"),)),
        quick_key(b"post", theme, base, "https://y/deck/", (("lang", "en"),)),
        quick_key(b"post", theme, base, "https://x/deck/", (("lang", "de"),)),
    ]
    assert len({key, *others}) == 6
    from deckgen.model.document import Asset, AssetStatus

    ok = Asset(URL, AssetStatus.OK, None, 64, 36, "png", digest="a" * 64)
    failed = Asset(URL, AssetStatus.FAILED, reason="host not found")
    assert assets_digest([ok, failed]) == assets_digest([ok, failed])
    assert len({assets_digest([ok]), assets_digest([failed]), assets_digest([ok, failed]), assets_digest([])}) == 4
    assert Quick(key, (), assets_digest([])) == Quick(key, (), assets_digest([]))
