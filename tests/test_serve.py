"""``deckgen serve``: the authoring loop in a real browser, and the server's rules."""

from __future__ import annotations

import select
import shutil
import socket
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

from conftest import LECTURE
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions
from deckgen.diagnostics import codes as C
from deckgen.diagnostics import render as R
from deckgen.serve import DevServer, ServeEvent, reload_script
from support.servedeck import CHROMIUM, CURRENT, Served, chromium_available, middle_heading, poll

pytestmark = pytest.mark.render


def _pptx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("ppt/slides/slide"))


@pytest.mark.slow
def test_edit_shows_on_the_same_slide_and_errors_show_in_the_page(
    tmp_path: Path, reveal_source: Path
) -> None:
    if not chromium_available():
        pytest.skip("Playwright or Chromium is missing")
    from playwright.sync_api import sync_playwright

    from support.rendercheck import CHROMIUM_ARGS

    (tmp_path / "lecture").mkdir()
    post = tmp_path / "lecture" / LECTURE.name
    shutil.copy(LECTURE, post)
    original = post.read_text("utf-8")
    args = ["--port", "0", "--offline", "--cache-dir", str(tmp_path / "cache")]
    args += ["--reveal-js", str(reveal_source), "--out", str(tmp_path / "build")]
    served = Served(args, tmp_path)
    try:
        assert served.url.startswith("http://127.0.0.1:")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            page = browser.new_page()
            page.goto(served.url)
            poll(page, CURRENT, lambda v: v is not None, 20)
            index, title = middle_heading(page, original)
            page.evaluate(f"() => Reveal.slide({index}, 0)")
            now, _ = poll(
                page, CURRENT, lambda v: v and v["h"] == index and v["hash"] == f"#/page-{index + 1}", 5
            )
            assert now["h"] == index and title in now["text"]

            page.evaluate("() => { window.deckgenMark = 1; }")  # gone if the page reloads
            new_title = f"{title} edited live"
            post.write_text(original.replace(f" {title}\n", f" {new_title}\n", 1), "utf-8")
            # (how soon it shows: bench/bench_serve.py; that the tab is told before the .pptx is
            # written: test_the_tabs_are_told_to_reload_before_the_pptx_is_written)
            now, _ = poll(page, CURRENT, lambda v: v and new_title in v["text"], 10)
            assert new_title in now["text"], served.lines[-5:]
            assert now["h"] == index  # the same slide, not the first one
            assert page.evaluate("() => window.deckgenMark") == 1  # the slides swapped in, no reload
            pptx = tmp_path / "build" / f"{post.stem}.pptx"
            deadline = time.monotonic() + 10  # written right after the HTML deck
            while new_title not in _pptx_text(pptx) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert new_title in _pptx_text(pptx)

            # broken YAML: the server stays up and the page says where
            post.write_text(original.replace("title: Large Language Models", 'title: "Large'), "utf-8")
            now, _ = poll(page, CURRENT, lambda v: v and v["error"], 10)
            assert f"{post.name}:3:" in now["error"] and "YAML" in now["error"], (now, served.lines[-8:])
            assert served.proc.poll() is None
            assert new_title in now["text"]  # the last good deck is still under the message

            post.write_text(original, "utf-8")
            now, _ = poll(page, CURRENT, lambda v: v and not v["error"] and title in v["text"], 10)
            assert not now["error"] and now["h"] == index and f"{title}" in now["text"]
            browser.close()
        assert served.interrupt() == 0
    finally:
        served.stop()
    left = [p.name for p in (tmp_path / "build").rglob(".*") if p.name != ".deckgen" and ".deckgen" not in p.parts]
    assert left == [], f"temporary files left behind: {left}"
    assert "Traceback" not in "\n".join(served.lines)


# -- the server's rules, in process -------------------------------------------------


def _get(url: str) -> tuple[int, bytes]:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=10) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


@pytest.fixture
def dev(tmp_path: Path, reveal_source: Path):  # type: ignore[no-untyped-def]
    post = tmp_path / "site" / "talk.md"
    post.parent.mkdir()
    (tmp_path / "site" / "pic.png").write_bytes(b"not used")
    post.write_text("---\ntitle: Talk\n---\n\n## One\n\nhello ![](pic.png)\n", "utf-8")
    (tmp_path / "secret.txt").write_text("secret", "utf-8")
    options = BuildOptions(
        out_dir=tmp_path / "out",
        reveal_js=reveal_source,
        cwd=tmp_path,
        pictures=AssetOptions(offline=True, cache_dir=tmp_path / "cache"),
    )
    events: list[ServeEvent] = []
    server = DevServer(post, options, events.append)
    server.start("127.0.0.1", 0)
    yield server, events, post
    server.close()


def test_only_the_output_folder_is_served_and_the_script_only_when_served(dev) -> None:  # type: ignore[no-untyped-def]
    server, events, post = dev
    base = f"http://127.0.0.1:{server.port}"
    assert server.url == f"{base}/talk/"
    status, body = _get(server.url)
    assert status == 200 and b"/__deckgen/events" in body
    on_disk = (server.options.out_dir / "talk" / "index.html").read_text("utf-8")
    assert "__deckgen" not in on_disk  # a built deck carries no reload script
    assert _get(f"{base}/talk.pptx")[0] == 200
    for sneaky in ("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "/talk/../../secret.txt"):
        status, body = _get(base + sneaky)
        assert b"secret" not in body and status in (404, 400), sneaky
    assert _get(f"{base}/talk/dist/")[0] == 404  # no listings
    # what the build had to say (pic.png is no picture), then the deck built
    assert [e.kind for e in events] == ["said", "built"]
    said = [(d.code, d.get("url")) for d in events[0].diagnostics if d.kind != "accessibility"]
    assert said == [("P101", "pic.png")]


def test_the_tabs_are_told_to_reload_before_the_pptx_is_written(dev, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    """What makes an edit show at once: the HTML deck is put in place and the tabs told to
    reload first; the .pptx (most of a build's writing) comes after."""
    from deckgen.writers.pptx import PptxWriter

    server, events, post = dev
    tab, browser = socket.socketpair()  # an open tab's event stream, and the tab's end of it
    assert server.hub.adopt("talk", tab, lambda: b"")
    told_before_pptx: list[bool] = []
    write = PptxWriter.write

    def pptx_write(self, deck, target):  # type: ignore[no-untyped-def]
        told_before_pptx.append(select.select([browser], [], [], 5)[0] == [browser])
        return write(self, deck, target)

    monkeypatch.setattr(PptxWriter, "write", pptx_write)
    monkeypatch.setattr("deckgen.serve.RELOAD_GRACE_S", 0.0)  # no tab will ask for the page here
    post.write_text("---\ntitle: Talk\n---\n\n## Edited\n", "utf-8")
    server.build(["talk"])
    assert told_before_pptx == [True]
    assert browser.recv(4096).startswith(b"event: reload\n")
    browser.close()
    assert "Edited" in (server.options.out_dir / "talk" / "index.html").read_text("utf-8")


def test_inputs_include_local_pictures_theme_and_config(dev) -> None:  # type: ignore[no-untyped-def]
    server, _, post = dev
    deck = server.decks["talk"]
    assert deck.result is not None
    record = set(deck.result.inputs)  # what the build's run read, as its record says
    assert record == deck.inputs  # is what serve watches
    assert str(post.resolve()) in record
    assert str((post.parent / "pic.png").resolve()) in record
    assert str((server.options.cwd / "deckgen.toml").resolve()) in record  # absent, but watched
    assert any(p.endswith("default.toml") for p in record)


def test_taken_port_moves_to_the_next_one(tmp_path: Path, reveal_source: Path) -> None:
    post = tmp_path / "a.md"
    post.write_text("## A\n", "utf-8")
    options = BuildOptions(
        out_dir=tmp_path / "out", reveal_js=reveal_source, pictures=AssetOptions(offline=True, cache_dir=tmp_path / "c")
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        from deckgen.errors import InputError

        server = DevServer(post, options, lambda e: None)
        with pytest.raises(InputError, match="--port"):
            server.start("127.0.0.1", port)
        server.close()


def test_the_page_shows_an_error_as_its_place_message_and_hint_and_the_script_stays_closed() -> None:
    from deckgen.errors import InputError

    exc = InputError("broken YAML front matter: x", Path("p.md"), 3, hint="fix the YAML", code=C.FRONT_MATTER_INVALID)
    assert R.unplaced(exc.diagnostic) == "p.md:3: broken YAML front matter: x: fix the YAML"
    assert "</script" not in reload_script("a</script>b").split("<script>", 1)[1][:-10]


def test_a_folder_rebuilds_only_the_edited_deck_and_quick_saves_make_one_rebuild(
    tmp_path: Path, reveal_source: Path
) -> None:
    import threading

    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.md").write_text("---\ntitle: A\n---\n\n## A one\n", "utf-8")
    (folder / "b.md").write_text("---\ntitle: B\n---\n\n## B one\n", "utf-8")
    options = BuildOptions(
        out_dir=tmp_path / "out",
        reveal_js=reveal_source,
        cwd=tmp_path,
        pictures=AssetOptions(offline=True, cache_dir=tmp_path / "c"),
    )
    events: list[ServeEvent] = []
    server = DevServer(folder, options, events.append)
    server.start("127.0.0.1", 0)
    watcher = threading.Thread(target=server.watch, daemon=True)
    try:
        assert server.url == f"http://127.0.0.1:{server.port}/"
        status, body = _get(server.url)
        assert status == 200 and b"a/index.html" in body and b"/__deckgen/events" in body
        watcher.start()
        time.sleep(0.5)  # the watcher is up
        events.clear()
        for n in range(3):  # three saves within a few milliseconds
            (folder / "a.md").write_text(f"---\ntitle: A\n---\n\n## A edit {n}\n", "utf-8")
            time.sleep(0.01)
        deadline = time.monotonic() + 20
        while not any(e.kind == "built" for e in events) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)  # a second rebuild would have started by now
        built = [e for e in events if e.kind == "built"]
        assert [e.post.name for e in built if e.post] == ["a.md"], events
        assert "A edit 2" in (tmp_path / "out" / "a" / "index.html").read_text("utf-8")
        (folder / "a.md").write_text("---\ntitle: [A\n---\n", "utf-8")
        deadline = time.monotonic() + 20
        while not any(e.kind == "failed" for e in events) and time.monotonic() < deadline:
            time.sleep(0.05)
        (failed,) = [e for e in events if e.kind == "failed"]
        assert failed.post == folder / "a.md" and failed.error is not None
        assert failed.error.code is C.FRONT_MATTER_INVALID
        assert server.error_of("a") == R.unplaced(failed.error.diagnostic)
        assert str(server.error_of("a")).startswith(f"{folder / 'a.md'}:2: ")
        assert server.error_of("b") is None
        assert "A edit 2" in (tmp_path / "out" / "a" / "index.html").read_text("utf-8")  # the last good deck
    finally:
        server.close()
        watcher.join(5)
    assert not watcher.is_alive()


def test_a_post_broken_from_the_start_is_served_as_its_error(tmp_path: Path, reveal_source: Path) -> None:
    post = tmp_path / "talk.md"
    post.write_bytes(b"---\ntitle: caf\xe9\n---\n## A\n")
    options = BuildOptions(
        out_dir=tmp_path / "out", reveal_js=reveal_source, pictures=AssetOptions(offline=True, cache_dir=tmp_path / "c")
    )
    events: list[ServeEvent] = []
    server = DevServer(post, options, events.append)
    server.start("127.0.0.1", 0)
    try:
        assert [e.kind for e in events] == ["failed"]
        error = events[0].error
        assert error is not None and error.code is C.POST_ENCODING and error.diagnostic.hint
        status, body = _get(server.url)
        assert status == 200 and b"/__deckgen/events" in body  # a page that will show the error
        assert server.error_of("talk") == R.unplaced(error.diagnostic)  # place, message and what to do
        assert str(server.error_of("talk")).startswith(f"{post}:2: ")
    finally:
        server.close()


def test_a_save_no_event_told_of_is_rebuilt_all_the_same(dev) -> None:  # type: ignore[no-untyped-def]
    """A save made while no watcher listened (it was restarting) is found by the files' stamps."""
    import threading

    server, events, post = dev
    seen = len(events)
    post.write_text("---\ntitle: Talk\n---\n\n## Saved unseen\n", "utf-8")  # before watching
    watcher = threading.Thread(target=server.watch, daemon=True)
    watcher.start()
    try:
        deadline = time.monotonic() + 20
        while not any(e.kind == "built" and e.post == post for e in events[seen:]) and time.monotonic() < deadline:
            time.sleep(0.05)
        html_deck = server.options.out_dir / "talk" / "index.html"
        assert "Saved unseen" in html_deck.read_text("utf-8"), events
        # a broken save keeps the inputs of the last good build under watch
        before = set(server.decks["talk"].inputs)
        post.write_text("---\ntitle: [Talk\n---\n", "utf-8")
        deadline = time.monotonic() + 20
        while server.error_of("talk") is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.error_of("talk") and before <= server.decks["talk"].inputs
    finally:
        server.close()
        watcher.join(5)
