"""A course built into its Jekyll site (issue 21): ``deckgen build _posts --site`` writes the
decks under ``slides/``, the course page beside them and ``_data/decks.json``; the page in
Chromium (axe-core: no violation at 1280 and 320 px, no sideways scrolling on the phone, the
network refused, opened from ``file://``, the filter box, and without script); and a real
``jekyll build`` publishes the decks untouched, skips deckgen's records and links each post to
its deck with the documented Liquid line.

axe-core comes from npm (``.ci/run`` installs it into ``.ci/node``), Jekyll from Debian's
``jekyll`` package (``.ci/run`` installs it): without them the tests skip with the reason, and
under CI (``DECKGEN_NO_SKIP=1``) a skip fails.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from support.a11ycheck import AXE_TAGS, DESKTOP, PHONE, browser, find_axe
from support.rendercheck import RenderToolMissing
from support.sitekit import POSTS, make_site

pytestmark = [pytest.mark.render, pytest.mark.slow]


def deckgen(args: list[str], cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DECKGEN_CACHE_DIR=str(cache))
    return subprocess.run(
        [sys.executable, "-m", "deckgen", *args], cwd=cwd, capture_output=True, text=True, timeout=600, env=env
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, reveal_source: Path) -> Path:
    """The small site, built with every output (handouts too), offline: its pictures are its own."""
    root = make_site(tmp_path_factory.mktemp("course") / "site")
    cache = root.parent / "cache"
    args = ["build", "_posts", "--site", "--format", "all", "--handout", "2", "--offline", "--reveal-js", str(reveal_source)]
    done = deckgen(args, root, cache)
    assert done.returncode == 0, done.stderr
    assert "site data _data/decks.json" in done.stdout or "decks.json" in done.stdout
    return root


def stems() -> list[str]:
    return [p.stem for p in POSTS]


def test_the_decks_go_under_slides_with_the_course_page_and_an_entry_per_post(site: Path) -> None:
    slides = site / "slides"
    for stem in stems():
        for name in (f"{stem}.pptx", f"{stem}.pdf", f"{stem}.handout-2.pdf", f"{stem}.card.webp", f"{stem}/index.html"):
            assert (slides / name).is_file(), name
        assert not (slides / stem / "index.html").read_text("utf-8").startswith("---")  # never a Jekyll page
    data = json.loads((site / "_data" / "decks.json").read_text("utf-8"))
    assert sorted(data) == sorted(f"_posts/{s}.md" for s in stems())
    photo = data["_posts/2024-03-01-photo.md"]
    assert photo["html"] == "/slides/2024-03-01-photo/" and photo["picture"] == "/slides/2024-03-01-photo.card.webp"
    assert [o["label"] for o in photo["outputs"]] == ["Slides (HTML)", "PowerPoint", "PDF", "Handout, 2 a page"]
    page = (slides / "index.html").read_text("utf-8")
    assert page.count('<article class="card"') == len(POSTS) and "<h1>Deep Learning <span lang=\"zh-Hant\">課程</span></h1>" in page


def test_an_unchanged_course_rewrites_nothing(site: Path, reveal_source: Path) -> None:
    watched = [site / "slides" / "index.html", site / "_data" / "decks.json", site / "slides" / f"{POSTS[0].stem}.card.webp"]
    before = [p.stat().st_mtime_ns for p in watched]
    args = ["build", "_posts", "--site", "--format", "all", "--handout", "2", "--offline", "--reveal-js", str(reveal_source)]
    done = deckgen(args, site, site.parent / "cache")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count(".md: up to date") == len(POSTS)
    assert [p.stat().st_mtime_ns for p in watched] == before


# ---------------------------------------------------------------------------
# the page in Chromium


@dataclass
class PageAudit:
    violations: list[str] = field(default_factory=list)
    scroll_width: int = 0
    cards: int = 0
    pictures_loaded: int = 0
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    filtered: tuple[int, str] = (0, "")


_JS_AXE = """async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']}))
  .violations.map(v => v.id + ' (' + v.impact + ') at ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '))"""


def audit_page(chromium: Any, index: Path, axe: Path, size: tuple[int, int], script: bool = True) -> PageAudit:
    """The course page opened from file:// with every other address refused."""
    context = chromium.new_context(viewport={"width": size[0], "height": size[1]}, java_script_enabled=script)
    try:
        audit = PageAudit()

        def on_route(route: Any) -> None:
            if route.request.url.startswith(("file:", "data:")):
                route.continue_()
            else:
                audit.requests.append(route.request.url)
                route.abort()

        context.route("**/*", on_route)
        page = context.new_page()
        page.on("pageerror", lambda exc: audit.errors.append(str(exc)))
        page.goto(index.as_uri(), wait_until="load")
        audit.cards = page.locator("#decks > li:visible").count()
        audit.scroll_width = int(page.evaluate("() => document.documentElement.scrollWidth"))
        if not script:
            audit.filtered = (page.locator("#filter-form:visible").count(), "")
            return audit
        page.evaluate("async () => { for (const im of document.images) im.loading = 'eager'; await document.fonts.ready; }")
        page.wait_for_function("() => Array.from(document.images).every(im => im.complete)")
        audit.pictures_loaded = int(page.evaluate("() => Array.from(document.images).filter(im => im.naturalWidth > 0).length"))
        page.add_script_tag(path=str(axe))
        audit.violations = list(page.evaluate(_JS_AXE, list(AXE_TAGS)))
        page.fill("#filter", "AI")
        audit.filtered = (page.locator("#decks > li:visible").count(), page.locator("#filter-count").inner_text())
        page.fill("#filter", "no such deck")
        if page.locator("#no-match").is_hidden():
            audit.errors.append("no message when nothing matches")
        return audit
    finally:
        context.close()


@pytest.fixture(scope="module")
def audits(site: Path) -> Iterator[dict[str, PageAudit]]:
    axe = find_axe()
    if axe is None:
        pytest.skip("axe-core is not installed (npm install --prefix .ci/node axe-core@4)")
    index = site / "slides" / "index.html"
    try:
        with browser() as chromium:
            yield {
                "desktop": audit_page(chromium, index, axe, DESKTOP),
                "phone": audit_page(chromium, index, axe, PHONE),
                "no script": audit_page(chromium, index, axe, PHONE, script=False),
            }
    except RenderToolMissing as exc:
        pytest.skip(str(exc))


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_axe_finds_nothing_and_the_page_works_offline_from_a_file(audits: dict[str, PageAudit], size: str) -> None:
    audit = audits[size]
    assert audit.violations == []
    assert audit.requests == [] and audit.errors == []
    assert audit.cards == len(POSTS) and audit.pictures_loaded == len(POSTS)
    assert audit.filtered == (2, "2 of 3 decks")  # "AI": a title word or a tag, any case


def test_on_a_phone_nothing_scrolls_sideways(audits: dict[str, PageAudit]) -> None:
    assert audits["phone"].scroll_width <= PHONE[0]
    assert audits["desktop"].scroll_width <= DESKTOP[0]


def test_without_script_every_deck_is_listed_and_no_filter_box_is_offered(audits: dict[str, PageAudit]) -> None:
    assert audits["no script"].cards == len(POSTS)
    assert audits["no script"].filtered[0] == 0


# ---------------------------------------------------------------------------
# a real Jekyll build


@pytest.fixture(scope="module")
def jekyll_site(site: Path) -> Path:
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        pytest.skip("jekyll is not installed (Debian: apt-get install jekyll; .ci/run installs it)")
    done = subprocess.run(
        [jekyll, "build", "--quiet"], cwd=site, capture_output=True, text=True, timeout=300,
        env=dict(os.environ, JEKYLL_ENV="production"),
    )
    assert done.returncode == 0, done.stderr + done.stdout
    return site / "_site"


def test_jekyll_publishes_the_decks_as_they_are_and_skips_deckgens_records(site: Path, jekyll_site: Path) -> None:
    slides = site / "slides"
    written = sorted(p.relative_to(slides) for p in slides.rglob("*") if p.is_file() and ".deckgen" not in p.parts)
    published = sorted(p.relative_to(jekyll_site / "slides") for p in (jekyll_site / "slides").rglob("*") if p.is_file())
    assert written == published
    for rel in written:
        assert (slides / rel).read_bytes() == (jekyll_site / "slides" / rel).read_bytes(), rel
    assert not (jekyll_site / "slides" / ".deckgen").exists()
    assert not (jekyll_site / "_data").exists()


def test_each_post_links_its_own_deck_with_the_documented_liquid_line(jekyll_site: Path) -> None:
    for post in POSTS:
        year, month, day = post.date.split("-")
        page = jekyll_site / year / month / day / f"{post.stem[11:]}.html"
        html = page.read_text("utf-8")
        assert f'<a class="deck" href="/course/slides/{post.stem}/">Slides</a>' in html, page
