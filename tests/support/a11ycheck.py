"""Accessibility checks of a built HTML deck: axe-core in Chromium, slide by slide, and the phone view.

:func:`audit_deck` opens ``DECK/index.html`` offline (the network blocked) in one Chromium, one
page load per viewport size, injects axe-core and runs it with the WCAG 2.x A/AA
and best-practice tags:

* at a desktop size, on every slide in turn (``Reveal.slide(i)``: axe skips hidden content);
* at a phone size (at most :data:`PHONE_MAX_WIDTH` CSS px wide) every slide is part of one scrolling
  page, so one run covers them all (``phone_per_slide=True`` runs it after each ``Reveal.slide(i)`` too);
  the phone metrics are measured there: the page's ``scrollWidth``, the effective size of every
  text (its font size times the scale of any transform on it), each picture's width, and the
  order in which the slides come down the page.

axe-core is never committed: ``.ci/run`` installs it with npm into ``.ci/node``; ``DECKGEN_AXE_JS``
names another ``axe.min.js``. :class:`support.rendercheck.RenderToolMissing` is raised when axe-core,
Playwright or Chromium is missing, so a test can skip (CI sets ``DECKGEN_NO_SKIP=1``: a skip fails).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from support.rendercheck import CHROMIUM_ARGS, RenderToolMissing

__all__ = [
    "AXE_TAGS",
    "DESKTOP",
    "PHONE",
    "PHONE_MAX_WIDTH",
    "DeckAudit",
    "PhoneMetrics",
    "Violation",
    "audit_deck",
    "browser",
    "find_axe",
]

ROOT = Path(__file__).resolve().parents[2]
Scope = Literal["page", "slide"]
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice")
DESKTOP = (1280, 720)
PHONE = (320, 640)
#: The widest viewport that gets the phone view (reveal.js's own ``scrollActivationWidth``).
PHONE_MAX_WIDTH = 435


def find_axe() -> Path | None:
    """``axe.min.js``: ``$DECKGEN_AXE_JS``, else the copy ``.ci/run`` installs, else None."""
    env = os.environ.get("DECKGEN_AXE_JS")
    candidates = [Path(env)] if env else []
    candidates.append(ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js")
    return next((p for p in candidates if p.is_file()), None)


@dataclass(frozen=True)
class Violation:
    """One axe rule broken on one slide (``slide`` 0-based; -1: a run over the whole page)."""

    rule: str
    impact: str
    slide: int
    targets: tuple[str, ...]
    summary: str

    def line(self) -> str:
        where = f"slide {self.slide + 1}" if self.slide >= 0 else "page"
        return f"{where}: {self.rule} ({self.impact}) at {', '.join(self.targets[:3])}: {self.summary}"


@dataclass
class PhoneMetrics:
    """What a phone shows: no sideways scrolling, readable text, pictures as wide as the screen."""

    viewport_width: int
    scroll_width: int
    #: (effective size in CSS px, characters) of every visible text node
    texts: list[tuple[float, int]] = field(default_factory=list)
    #: (src, rendered width in CSS px) of every visible picture but the theme's logo
    pictures: list[tuple[str, float]] = field(default_factory=list)
    #: the slides' ids in the order they come down the page (top to bottom)
    order: list[str] = field(default_factory=list)
    #: the slides' ids in document order
    ids: list[str] = field(default_factory=list)
    #: slides that cannot be seen (no height, hidden, inert or aria-hidden) on the page
    unreachable: list[str] = field(default_factory=list)
    #: where a slide shown by ``Reveal.slide`` lands (its top, CSS px from the window's top)
    jumped_top: int = 0
    #: after scrolling to a slide: (its id, the current slide's id, the address's hash)
    followed: tuple[str, str, str] = ("", "", "")

    @property
    def text_median(self) -> float:
        """The median effective text size, each character counted once."""
        weighted = sorted(self.texts)
        total = sum(n for _, n in weighted)
        if not total:
            return 0.0
        seen = 0
        for size, n in weighted:
            seen += n
            if seen * 2 >= total:
                return size
        return weighted[-1][0]

    @property
    def text_min(self) -> float:
        return min((s for s, _ in self.texts), default=0.0)


@dataclass
class DeckAudit:
    """The audit of one deck at one viewport size."""

    viewport: tuple[int, int]
    slides: int
    violations: list[Violation] = field(default_factory=list)
    phone: PhoneMetrics | None = None
    console_errors: list[str] = field(default_factory=list)
    network_requests: list[str] = field(default_factory=list)
    #: the role of reveal.js's viewport (``.reveal``) once ready: None, or "application" (no browse mode)
    viewport_role: str | None = None

    def rules(self) -> dict[str, int]:
        """How many slides (or page runs) broke each rule."""
        out: dict[str, int] = {}
        for v in self.violations:
            out[v.rule] = out.get(v.rule, 0) + 1
        return out


_JS_AXE = """
async (args) => {
  const result = await axe.run(args.alone ? Reveal.getCurrentSlide() : document, {
    runOnly: {type: 'tag', values: args.tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({rule: v.id, impact: v.impact || '', help: v.help,
    targets: v.nodes.map(n => n.target.join(' '))}));
}
"""

_JS_SHOW = """
async (i) => {
  Reveal.slide(i);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const imgs = Array.from(Reveal.getCurrentSlide().querySelectorAll('img'));
  const deadline = performance.now() + 5000;
  while (imgs.some(im => !im.complete) && performance.now() < deadline) await new Promise(r => setTimeout(r, 25));
}
"""

_JS_PHONE = """
async () => {
  const imgs = Array.from(document.querySelectorAll('.slides img'));
  const deadline = performance.now() + 10000;
  while (imgs.some(im => !im.complete) && performance.now() < deadline) await new Promise(r => setTimeout(r, 25));
  // the scale an element is drawn at: the product of its and its ancestors' transforms and zooms
  const scales = new Map();
  const scaleOf = el => {
    if (!el) return 1;
    if (scales.has(el)) return scales.get(el);
    const cs = getComputedStyle(el);
    let own = parseFloat(cs.zoom) || 1;
    if (cs.transform && cs.transform !== 'none') {
      const m = new DOMMatrixReadOnly(cs.transform);
      own *= Math.hypot(m.a, m.b);
    }
    const total = own * scaleOf(el.parentElement);
    scales.set(el, total);
    return total;
  };
  const shown = el => el.checkVisibility ? el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
                                         : getComputedStyle(el).visibility !== 'hidden';
  const texts = [];
  const walker = document.createTreeWalker(document.querySelector('.reveal .slides'), NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || !/\\S/.test(n.nodeValue) || el.closest('aside.notes') || !shown(el)) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const rects = Array.from(range.getClientRects()).filter(q => q.width > 0.5 && q.height > 0.5);
    if (!rects.length) continue;
    const size = parseFloat(getComputedStyle(el).fontSize) * scaleOf(el);
    texts.push([Math.round(size * 100) / 100, n.nodeValue.replace(/\\s+/g, '').length]);
  }
  const pictures = Array.from(document.querySelectorAll('.reveal .slides img'))
    .filter(im => shown(im) && !im.closest('aside.notes, .dg-logo'))
    .map(im => [im.getAttribute('src') || '', Math.round(im.getBoundingClientRect().width * 10) / 10]);
  const sections = Array.from(document.querySelectorAll('.reveal .slides section'));
  const tops = sections.map(s => [s.id, s.getBoundingClientRect().top + window.scrollY]);
  const unreachable = sections.filter(s => {
    const r = s.getBoundingClientRect();
    return r.height < 1 || !shown(s) || s.closest('[inert], [aria-hidden="true"]');
  }).map(s => s.id);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    width: window.innerWidth,
    texts, pictures,
    order: tops.slice().sort((a, b) => a[1] - b[1]).map(t => t[0]),
    ids: sections.map(s => s.id),
    unreachable,
  };
}
"""


# the phone view's navigation: a slide shown (Reveal.slide) is scrolled to; a slide scrolled to
# becomes the current one and the address follows (what a reload by ``deckgen serve`` lands on)
_JS_PHONE_NAV = """
async () => {
  const frame = () => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const slides = Reveal.getSlides();
  const k = Math.floor(slides.length / 2);
  Reveal.slide(k);
  await frame();
  const jumped = Math.round(slides[k].getBoundingClientRect().top);
  const target = slides[Math.min(k + 2, slides.length - 1)];
  window.scrollTo(0, window.scrollY + target.getBoundingClientRect().top);
  // reveal.js writes the address at most once a second
  const until = performance.now() + 2500;
  while (location.hash !== '#/' + target.id && performance.now() < until) await new Promise(r => setTimeout(r, 50));
  return {jumped, current: Reveal.getCurrentSlide().id, target: target.id, hash: location.hash};
}
"""


def _violations(page: Any, slide: int, alone: bool = False) -> list[Violation]:
    """axe over the page, or over the current slide ``alone``."""
    raw = page.evaluate(_JS_AXE, {"tags": list(AXE_TAGS), "alone": alone})
    return [Violation(v["rule"], v["impact"], slide, tuple(v["targets"]), v["help"]) for v in raw]


def _phone_metrics(page: Any) -> PhoneMetrics:
    raw = page.evaluate(_JS_PHONE)
    return PhoneMetrics(
        viewport_width=int(raw["width"]),
        scroll_width=int(raw["scrollWidth"]),
        texts=[(float(s), int(n)) for s, n in raw["texts"]],
        pictures=[(str(src), float(w)) for src, w in raw["pictures"]],
        order=list(raw["order"]),
        ids=list(raw["ids"]),
        unreachable=list(raw["unreachable"]),
    )


@contextlib.contextmanager
def browser(chromium: str | None = None) -> Iterator[Any]:
    """One headless Chromium for every size (RenderToolMissing without Playwright or Chromium)."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise RenderToolMissing("the playwright Python package is not installed") from exc
    exe = chromium or os.environ.get("DECKGEN_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(exe).is_file():
        raise RenderToolMissing(f"Chromium not found at {exe} (set DECKGEN_CHROMIUM)")
    with sync_playwright() as pw:
        try:
            launched = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
        except PlaywrightError as exc:
            raise RenderToolMissing(f"Chromium at {exe} could not be started: {exc}") from exc
        try:
            yield launched
        finally:
            launched.close()


def _audit_one(
    chromium_browser: Any, index: Path, axe: Path, viewport: tuple[int, int], per_slide: bool, scope: Scope
) -> DeckAudit:
    """One page load at ``viewport``: the network blocked, reveal.js ready, axe injected."""
    context = chromium_browser.new_context(
        viewport={"width": viewport[0], "height": viewport[1]}, service_workers="block"
    )
    try:
        requests: list[str] = []
        errors: list[str] = []

        def on_route(route: Any) -> None:
            if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
                route.continue_()
            else:
                requests.append(route.request.url)
                route.abort()

        context.route("**/*", on_route)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"uncaught: {exc}"))
        page.goto(index.as_uri(), wait_until="load", timeout=60_000)
        page.wait_for_function("() => typeof Reveal !== 'undefined' && Reveal.isReady()", timeout=20_000)
        page.evaluate("async () => { Reveal.configure({transition: 'none'}); await document.fonts.ready; }")
        page.add_script_tag(path=str(axe))
        count = int(page.evaluate("() => Reveal.getTotalSlides()"))
        audit = DeckAudit(viewport=viewport, slides=count)
        audit.viewport_role = page.evaluate("() => document.querySelector('.reveal').getAttribute('role')")
        if viewport[0] <= PHONE_MAX_WIDTH:
            audit.phone = _phone_metrics(page)
            nav = page.evaluate(_JS_PHONE_NAV)
            audit.phone.jumped_top = int(nav["jumped"])
            audit.phone.followed = (str(nav["target"]), str(nav["current"]), str(nav["hash"]))
        if per_slide:
            for i in range(count):
                page.evaluate(_JS_SHOW, i)
                alone = scope == "slide" and 0 < i < count - 1
                audit.violations.extend(_violations(page, i, alone))
        else:
            audit.violations.extend(_violations(page, -1))
        audit.console_errors = errors
        audit.network_requests = requests
        return audit
    finally:
        context.close()


def audit_deck(
    deck_dir: str | os.PathLike[str],
    sizes: tuple[tuple[int, int], ...] = (DESKTOP, PHONE),
    *,
    axe: Path | None = None,
    phone_per_slide: bool = False,
    scope: Scope = "page",
    chromium: str | None = None,
) -> dict[tuple[int, int], DeckAudit]:
    """Run axe-core over the deck at each size in one browser (and measure the phone view).

    At a desktop size axe runs after each ``Reveal.slide(i)``; on a phone once over the whole
    page (every slide is in it), or after each slide too with ``phone_per_slide``. ``scope``
    "page" runs it over the whole page each time; "slide" over the slide alone (five times
    faster), but over the whole page on the first and the last slide (the page's own rules:
    its language, title, landmarks, reveal.js's controls). Raises ``RenderToolMissing``
    without axe-core, Playwright or Chromium.
    """
    axe = axe or find_axe()
    if axe is None:
        raise RenderToolMissing("axe-core is not installed (npm install --prefix .ci/node axe-core@4)")
    index = Path(deck_dir).resolve() / "index.html"
    if not index.is_file():
        raise FileNotFoundError(f"no index.html in {deck_dir}")
    with browser(chromium) as chromium_browser:
        return {
            size: _audit_one(chromium_browser, index, axe, size, phone_per_slide or size[0] > PHONE_MAX_WIDTH, scope)
            for size in sizes
        }
