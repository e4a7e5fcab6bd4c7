"""``deckgen serve``: build, serve the output folder, rebuild on every save, reload the tabs.

One process stays warm: a save rebuilds only the decks whose inputs changed (the post,
its local pictures, its theme's files, ``deckgen.toml``), both decks each time, so the
.pptx on disk is always current. Open tabs learn about it over server-sent events from a
few lines of script added to the page *as it is served* (a built deck carries none);
reveal.js keeps the slide in the address (``#/h/v``), so a reload lands on the same slide.
A failed rebuild keeps the last good deck on disk and shows the error over it.

Only the output folder is served (``servehttp``), and only to requests naming the preview's
own address (DNS rebinding); the server binds to 127.0.0.1 unless told otherwise (``--host``,
IPv6 too). Nothing here prints: events go to a callback.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Literal

from deckgen.build import find_posts
from deckgen.diagnostics import Diagnostic
from deckgen.diagnostics import render as R
from deckgen.errors import DeckgenError, InputError
from deckgen.malloc import give_back_free_memory
from deckgen.options import BuildOptions, Format
from deckgen.outputs import output_names
from deckgen.pipeline import Record, Services, Trace, run_post
from deckgen.servehttp import EVENTS_PATH, EventHub, PreviewServer, listen

STEP_MS = 50  # saves this close together make one rebuild (an editor writes a file in a few ms)
RELOAD_GRACE_S = 1.0  # the longest the .pptx waits for open tabs to fetch the new deck

EventKind = Literal["built", "failed", "said"]


@dataclass(frozen=True)
class ServeEvent:
    """What the server has to tell: a deck built (``message``), a build failed (``error``), or
    what a build had to say that was not said before (``diagnostics``)."""

    kind: EventKind
    message: str = ""
    post: Path | None = None
    seconds: float = 0.0
    error: DeckgenError | None = None
    diagnostics: tuple[Diagnostic, ...] = ()


def reload_script(deck: str) -> str:
    """The few lines a served page gets: the new slides on a rebuild, a failed one shown over the deck."""
    name = json.dumps(deck).replace("</", "<\\/")
    return f"""<script>/* deckgen serve: live reload (served pages only) */
(function () {{
  var events = new EventSource("{EVENTS_PATH}?deck=" + encodeURIComponent({name}));
  // a rebuild: the new slides swapped in, on the slide shown (reveal.js, its styles and the
  // pictures stay loaded); the whole page reloads when anything but the slides changed
  function head(doc) {{
    return Array.prototype.map.call(doc.querySelectorAll("head link, head style"),
      function (e) {{ return e.outerHTML; }}).join("");
  }}
  events.addEventListener("reload", function () {{
    var hash = location.hash;  // the slide shown: a reload, whatever happened, comes back to it
    function reload() {{
      if (location.hash !== hash) history.replaceState(null, "", location.pathname + location.search + hash);
      location.reload();
    }}
    fetch(location.pathname, {{cache: "no-store"}}).then(function (r) {{
      if (!r.ok) throw new Error(r.status);
      return r.text();
    }}).then(function (html) {{
      var next = new DOMParser().parseFromString(html, "text/html");
      var fresh = next.querySelector(".reveal .slides"), here = document.querySelector(".reveal .slides");
      if (!fresh || !here || !window.Reveal || !Reveal.isReady() || head(next) !== head(document)) {{
        reload();
        return;
      }}
      var at = Reveal.getIndices();
      here.innerHTML = fresh.innerHTML;
      document.title = next.title;
      Reveal.sync();
      Reveal.slide(at.h, at.v || 0, at.f);
      var now = Reveal.getIndices();
      if (now.h !== Math.min(at.h, Reveal.getHorizontalSlides().length - 1)) {{ reload(); return; }}
      var box = document.getElementById("deckgen-error");
      if (box) box.remove();
    }}).catch(reload);
  }});
  events.addEventListener("failed", function (e) {{
    var box = document.getElementById("deckgen-error");
    if (!box) {{
      box = document.createElement("pre");
      box.id = "deckgen-error";
      box.style.cssText = "position:fixed;left:0;right:0;top:0;z-index:2147483647;margin:0;" +
        "padding:1em;background:#b00020;color:#fff;font:16px/1.4 monospace;white-space:pre-wrap";
      document.body.appendChild(box);
    }}
    box.textContent = e.data;
  }});
}})();
</script>
"""


# ---------------------------------------------------------------------------
# the decks and what they are made of


@dataclass
class _Deck:
    post: Path
    inputs: set[str] = field(default_factory=set)
    error: str | None = None
    result: Record | None = None
    said: set[Diagnostic] = field(default_factory=set)
    versions: dict[str, FileVersion] = field(default_factory=dict)  # each input as the last build read it

    def stale(self) -> bool:
        """Has an input changed since the last build read it (a save the watcher missed)?"""
        return any(version_of(path) != seen for path, seen in self.versions.items())


FileVersion = tuple[int, int, int] | None


def version_of(path: str) -> FileVersion:
    """What tells a file's versions apart cheaply: (mtime ns, size, inode); None if absent."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns, st.st_size, st.st_ino


def _real(path: Path | str) -> str:
    return os.path.realpath(path)


# ---------------------------------------------------------------------------
# the server


class DevServer:
    """Builds ``target``, serves ``options.out_dir``, rebuilds on saves (``watch``)."""

    def __init__(self, target: Path, options: BuildOptions, report: Callable[[ServeEvent], None]) -> None:
        self.target = target
        self.options = dataclasses.replace(options, formats=("html", "pptx"))
        self.report = report
        self.services = Services()
        self.hub = EventHub()
        self.decks: dict[str, _Deck] = {}
        self.course = target.is_dir()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._httpd: PreviewServer | None = None
        self._thread: threading.Thread | None = None
        self.url = ""
        self.port = 0
        self.last_request = 0.0

    # -- building ------------------------------------------------------------
    def _sync_posts(self) -> list[str]:
        """Match the decks to the posts ``target`` names now; the names of new decks."""
        posts = find_posts(self.target)
        names = {p.stem: p for p in posts}
        with self._lock:
            for gone in set(self.decks) - set(names):
                del self.decks[gone]
            new = [n for n in names if n not in self.decks]
            for name in new:
                self.decks[name] = _Deck(names[name], {_real(names[name])})
        return new

    def build(self, names: Iterable[str]) -> None:
        for name in names:
            self._build_one(name)
            give_back_free_memory()  # the server lives on between saves: not at its peak
        if self.course:
            try:
                self._write_index()
            except DeckgenError as exc:  # a read-only output folder: said, and serving goes on
                self.report(ServeEvent("failed", error=exc))

    def _build_one(self, name: str) -> None:
        """One run of the pipeline, one layout for both decks: the HTML deck is put in place
        first and the tabs told to reload, then the .pptx is written from the same layout."""
        deck = self.decks[name]
        started = time.perf_counter()
        read = {path: version_of(path) for path in deck.inputs}  # before the build reads them
        shown = 0.0

        def written(fmt: Format | None, _path: Path) -> None:
            nonlocal shown
            if fmt != "html":
                return
            with self._lock:
                deck.error = None  # before the reload: a reloaded tab asks for the state
            shown = time.perf_counter() - started
            if self.hub.send(name, "reload"):
                self._let_tabs_reload()

        trace = Trace()
        try:
            result = run_post(deck.post, self.options, self.services, trace=trace, written=written)
        except DeckgenError as exc:
            with self._lock:
                deck.error = R.unplaced(exc.diagnostic)
            self.hub.send(name, "failed", deck.error)
            self.report(ServeEvent("failed", post=deck.post, error=exc))
            inputs = trace.inputs | deck.inputs  # a broken post names fewer: keep the last good build's
        else:
            with self._lock:
                deck.error, deck.result = None, result
            fresh = tuple(d for d in result.diagnostics if d not in deck.said)  # each once, not every save
            if fresh:
                self.report(ServeEvent("said", post=deck.post, diagnostics=fresh))
            deck.said = set(result.diagnostics)
            seconds = time.perf_counter() - started
            self.report(
                ServeEvent(
                    "built",
                    f"{deck.post}: {result.pages} slides -> "
                    f"{', '.join(str(p) for p in result.outputs)} in {seconds:.2f} s "
                    f"(HTML deck ready after {shown:.2f} s)",
                    deck.post,
                    shown,
                )
            )
            inputs = set(result.inputs)
        inputs.add(_real(deck.post))
        deck.inputs = inputs
        deck.versions = {path: read[path] if path in read else version_of(path) for path in inputs}

    def _let_tabs_reload(self) -> None:
        """Hold the .pptx (CPU-bound, and it shares the interpreter with the server) until the
        tabs have fetched the new deck: no request for a moment, or at most a second."""
        sent = time.monotonic()
        while time.monotonic() - sent < RELOAD_GRACE_S:
            quiet = time.monotonic() - max(self.last_request, sent)
            if self.last_request > sent and quiet > 0.15:
                return
            time.sleep(0.02)

    def _write_index(self) -> None:
        from deckgen.course import write_course_index

        built = [d.result for d in self.decks.values() if d.result is not None]
        write_course_index(built, self.options.out_dir)
        self.hub.send("", "reload")

    def affected(self, changed: Iterable[str]) -> list[str]:
        changed = set(changed)
        return [name for name, deck in self.decks.items() if deck.inputs & changed]

    # -- serving -------------------------------------------------------------
    def start(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        """Listen (``port`` None: 8000 or the next free one), build everything, then serve."""
        names = self._sync_posts()  # no such post: fails before anything else
        out = self.options.out_dir
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the output folder: {exc.strerror}", out) from None
        httpd = listen(host, port, out, self)
        httpd.on_error = self._request_failed
        self._httpd = httpd
        self.build(names)  # a taken port has failed before this wait
        # --refresh revalidates the pictures once, not on every save
        self.options = dataclasses.replace(self.options, pictures=dataclasses.replace(self.options.pictures, refresh=False))
        self.port = httpd.server_address[1]
        shown = f"[{host}]" if ":" in host else host
        first = "" if len(self.decks) > 1 else f"{next(iter(self.decks))}/"
        self.url = f"http://{shown}:{self.port}/{first}"
        self._thread = threading.Thread(target=httpd.serve_forever, name="deckgen-serve", daemon=True)
        self._thread.start()

    def _request_failed(self, exc: BaseException) -> None:
        """A bug met answering a request: one line, the server goes on."""
        from deckgen.build import internal

        self.report(ServeEvent("failed", error=internal(exc)))

    def error_of(self, deck: str) -> str | None:
        with self._lock:
            found = self.decks.get(deck)
            return found.error if found else None

    def page_for(self, path: str) -> tuple[HTTPStatus, bytes] | None:
        """A page served with the reload script (a deck's or the course's index), or None."""
        out = self.options.out_dir
        parts = [p for p in path.split("/") if p]
        if not parts or parts == ["index.html"]:
            if not self.course:
                return HTTPStatus.FOUND, f"/{next(iter(self.decks))}/".encode()
            return self._inject(out / "index.html", "")
        name = parts[0]
        with self._lock:
            known = name in self.decks
        if not known or parts[1:] not in ([], ["index.html"]):
            return None
        if not path.endswith("/") and len(parts) == 1:
            return HTTPStatus.FOUND, f"/{name}/".encode()
        _, html_dir = output_names(self.decks[name].post, out)
        return self._inject(html_dir / "index.html", name)

    def _inject(self, page: Path, deck: str) -> tuple[HTTPStatus, bytes]:
        script = reload_script(deck)
        try:
            text = page.read_text("utf-8")
        except OSError:  # never built (the first build failed): the error alone
            title = html.escape(deck or "deckgen")
            text = f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body></body></html>"
        at = text.rfind("</body>")
        text = text[:at] + script + text[at:] if at >= 0 else text + script
        return HTTPStatus.OK, text.encode("utf-8")

    # -- watching ------------------------------------------------------------
    def _watched_dirs(self) -> set[str]:
        dirs = {os.path.dirname(p) for deck in self.decks.values() for p in deck.inputs}
        if self.course:
            dirs.add(_real(self.target))
        return {d for d in dirs if os.path.isdir(d)}

    def watch(self) -> None:
        """Rebuild on saves until ``close`` (or Ctrl-C, which raises KeyboardInterrupt)."""
        from watchfiles import watch

        while not self._stop.is_set():
            dirs = self._watched_dirs()
            restart = False
            for changes in watch(
                *sorted(dirs),
                stop_event=self._stop,
                recursive=False,
                step=STEP_MS,
                debounce=1600,
                rust_timeout=500,
                yield_on_timeout=True,
                raise_interrupt=True,
            ):
                changed = {_real(p) for _, p in changes}
                names = self.affected(changed)
                if not changes:  # a quiet moment: catch a save no event told of (one made
                    # while the watcher restarted, say) by the files' stamps
                    names = [name for name, deck in self.decks.items() if deck.stale()]
                    if self.course:
                        try:
                            names += [n for n in self._sync_posts() if n not in names]
                        except DeckgenError:  # the folder is gone for a moment (a checkout, a move)
                            pass
                if self.course and any(
                    p.lower().endswith((".md", ".markdown")) and os.path.dirname(p) == _real(self.target)
                    for p in changed
                ):
                    names += [n for n in self._sync_posts() if n not in names]
                if names:
                    self.build(names)
                if self._watched_dirs() != dirs:
                    restart = True  # a new picture folder, a theme elsewhere: watch it too
                    break
            if not restart:
                break

    def close(self) -> None:
        self._stop.set()
        self.hub.close()
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None


__all__ = ["DevServer", "ServeEvent", "reload_script"]
