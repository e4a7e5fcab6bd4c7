"""The HTML deck's accessibility, as written (issue 18): named slides, named controls, languages
and alternative text through one function each, and the phone view's stylesheet and script.

What axe-core and a phone-sized browser make of a real deck: tests/e2e/test_html_axe.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from PIL import Image as PILImage

from deckgen.assets.revealjs import REVEAL_VERSION, RevealBundle
from deckgen.layout.style import style_deck
from deckgen.measure import TableMeasurer
from deckgen.model import (
    Asset,
    AssetStatus,
    Badge,
    Box,
    Cell,
    Embed,
    EmbedFrame,
    Frame,
    LaidDeck,
    Meta,
    Page,
    Para,
    PictureFrame,
    PlaceholderFrame,
    Run,
    TableFrame,
    TextFrame,
)
from deckgen.theme import load_theme
from deckgen.writers import htmlparts
from deckgen.writers.html import RevealWriter, theme_css
from deckgen.writers.htmlpage import PHONE_WIDTH

THEME = load_theme("default")
BOX = Box(48.0, 100.0, 400.0, 200.0)


def title(text: str) -> TextFrame:
    return TextFrame(Box(48, 18, 864, 50), (Para((Run(text),), 36.0, "title"),), "title")


def page(*frames: Frame, heading: str | None = "A slide", kind: str = "content") -> Page:
    return Page(kind, tuple(frames), title(heading) if heading is not None else None)  # type: ignore[arg-type]


def write(tmp_path: Path, *pages: Page, lang: str = "en") -> str:
    deck = style_deck(LaidDeck(Meta(title="Access", lang=lang), tuple(pages), 960.0, 540.0), THEME, TableMeasurer())
    out = tmp_path / "html"
    RevealWriter(THEME, RevealBundle(REVEAL_VERSION, None, "cdn-link")).write(deck, out)
    return (out / "index.html").read_text("utf-8")


def png(tmp_path: Path, size: tuple[int, int] = (160, 90)) -> Asset:
    path = tmp_path / "p.png"
    PILImage.new("RGB", size, (30, 120, 200)).save(path)
    return Asset("http://x/p.png", AssetStatus.OK, path, *size, "png", source_width=size[0], source_height=size[1])


def sections(page_html: str) -> list[str]:
    return re.findall(r"<section .*?</section>", page_html, re.S)


# -- slides as regions ------------------------------------------------------------------------------


def test_each_slide_is_a_region_named_by_its_title_heading_and_its_number(tmp_path: Path) -> None:
    first, second, untitled = sections(
        write(tmp_path, page(heading="Deck", kind="title"), page(heading="Results"), page(heading=None))
    )
    assert first.startswith('<section class="dg-page dg-title-page" id="page-1" aria-labelledby="page-1-title page-1-n">')
    assert '<h1 class="dg-frame dg-text dg-title" id="page-1-title"' in first
    assert '<h2 class="dg-frame dg-text dg-title" id="page-2-title"' in second
    assert 'aria-labelledby="page-2-title page-2-n"' in second
    # the number keeps two slides of one title (a continued slide) two regions of two names
    assert '<span id="page-2-n" hidden>(2)</span>' in second
    assert 'aria-labelledby="page-3-n"' in untitled and "<h2" not in untitled


def test_the_deck_is_a_main_landmark_read_as_a_document(tmp_path: Path) -> None:
    out = write(tmp_path, page())
    assert '<main class="reveal">' in out and '<div class="reveal"' not in out
    # reveal.js sets role="application" on it; the page takes it off once reveal.js is ready
    script = out[out.index("Reveal.initialize(") :]
    assert 'deck.removeAttribute("role")' in script.split(".then(", 1)[1]
    # reveal.js's own scroll view (a scaled slide) never starts: the phone view is ours
    assert "scrollActivationWidth: null" in script
    # the space bar presses a focused button instead of turning the slide
    assert 'event.keyCode === 32 && document.activeElement && document.activeElement.closest("button, a")' in script


# -- languages and alternative text: as the model decided them


def test_the_page_language_is_the_decks(tmp_path: Path) -> None:
    assert '<html lang="en"' in write(tmp_path / "a", page())
    assert '<html lang="zh-Hant"' in write(tmp_path / "b", page(), lang="zh-Hant")
    assert '<html lang="en"' in write(tmp_path / "c", page(), lang="")  # a deck without one: English


def test_a_run_in_another_language_carries_its_own(tmp_path: Path) -> None:
    frame = TextFrame(BOX, (Para((Run("Hello "), Run("世界", bold=True, lang="zh-Hant"), Run(" again")), 24.0),), "body")
    out = sections(write(tmp_path / "a", page(frame)))[0]
    assert 'Hello <span lang="zh-Hant"><strong>世界</strong></span> again' in out
    chinese = sections(write(tmp_path / "b", page(frame), lang="zh-Hant"))[0]
    assert "lang=" not in chinese  # the page's own language needs no tag
    assert htmlparts.lang_attr("en", "en") == "" and htmlparts.lang_attr(None, "en") == ""


def test_a_pictures_alt_is_its_description_else_its_context_and_empty_only_if_decorative(tmp_path: Path) -> None:
    described = PictureFrame(Box(100, 120, 320, 180), png(tmp_path), None, description="a chart")
    assert '<img src="assets/p.png" alt="a chart" width="160" height="90"' in write(tmp_path / "a", page(described))
    context = PictureFrame(Box(100, 120, 320, 180), png(tmp_path), None, context='Picture on slide "A slide" (not described yet)')
    assert 'alt="Picture on slide &quot;A slide&quot; (not described yet)"' in write(tmp_path / "b", page(context))
    decorative = PictureFrame(Box(100, 120, 320, 180), png(tmp_path), None, decorative=True, context="x")
    assert 'alt=""' in write(tmp_path / "c", page(decorative))


def test_a_hidden_title_is_a_heading_for_readers_only_without_links(tmp_path: Path) -> None:
    hidden = TextFrame(Box(48, -80, 864, 50), (Para((Run("Mask R-CNN", link="https://x.org"), Run(" (2/3)")), 36.0, "title"),), "title")
    out = sections(write(tmp_path, Page("content", (), None, hidden_title=hidden)))[0]
    assert '<h2 class="dg-hidden-title" id="page-1-title">Mask R-CNN (2/3)</h2>' in out
    assert 'aria-labelledby="page-1-title page-1-n"' in out


def test_a_linked_picture_without_alt_names_its_link_by_its_address(tmp_path: Path) -> None:
    bare = PictureFrame(Box(100, 120, 320, 180), png(tmp_path), "https://x.org/video?v=1")
    described = PictureFrame(Box(500, 120, 320, 180), png(tmp_path), "https://x.org/doc", description="The doc")
    out = sections(write(tmp_path, page(bare, described)))[0]
    assert '<a href="https://x.org/video?v=1" target="_blank" rel="noopener" aria-label="https://x.org/video?v=1">' in out
    assert '<a href="https://x.org/doc" target="_blank" rel="noopener"><img' in out


# -- tables and embeds -------------------------------------------------------------------------------


def test_a_header_cell_without_text_is_a_data_cell(tmp_path: Path) -> None:
    rows = ((Cell((), header=True), Cell((Run("Score"),), header=True)), (Cell((Run("A"),)), Cell((Run("1"),))))
    table = TableFrame(BOX, rows, 1, (200.0, 200.0), (30.0, 30.0), 18.0)
    out = sections(write(tmp_path, page(table)))[0]
    assert "<td></td><th><strong>Score</strong></th>" in out


def _embed(tmp_path: Path, kind: str, name: str, poster: bool = True) -> EmbedFrame:
    box = Box(200, 120, 480, 270)
    embed = Embed(kind, "https://x.org/v", "https://x.org/embed/v", name)  # type: ignore[arg-type]
    fallback: PictureFrame | PlaceholderFrame = (
        PictureFrame(box, png(tmp_path, (480, 270)), embed.url, name or "Video")
        if poster
        else PlaceholderFrame(box, embed.url, "Embedded page", 16.0)
    )
    return EmbedFrame(box, embed, fallback, Badge(Box(410, 225, 60, 60)))


def test_the_play_button_is_a_named_button_and_the_player_has_a_title(tmp_path: Path) -> None:
    out = write(tmp_path, page(_embed(tmp_path, "youtube", 'A "talk"')))
    button = re.search(r"<button [^>]*>", out)
    assert button is not None
    assert 'class="dg-play"' in button.group(0) and 'type="button"' in button.group(0)
    assert 'aria-label="Play video: A &quot;talk&quot;"' in button.group(0)
    player = html.unescape(re.search(r'data-embed="([^"]*)"', out).group(1))  # type: ignore[union-attr]
    assert player.startswith('<iframe src="https://x.org/embed/v" title="A &quot;talk&quot;"')
    # pressing it (a click, or Enter or Space on the focused button) swaps in the player and focuses it
    assert 'holder.querySelector("iframe, video")' in out and "player.focus()" in out


@pytest.mark.parametrize(
    ("kind", "label", "player"),
    [
        ("youtube", "Play video", '<iframe src="https://x.org/embed/v" title="Video"'),
        ("video", "Play video", '<video src="https://x.org/embed/v" title="Video"'),
        ("iframe", "Show embedded page", '<iframe src="https://x.org/embed/v" title="Embedded page"'),
    ],
)
def test_an_untitled_embed_still_names_its_button_and_its_player(
    tmp_path: Path, kind: str, label: str, player: str
) -> None:
    out = write(tmp_path, page(_embed(tmp_path, kind, "", poster=False)))
    assert f'aria-label="{label}"' in out
    assert html.unescape(re.search(r'data-embed="([^"]*)"', out).group(1)).startswith(player)  # type: ignore[union-attr]


# -- the phone view ------------------------------------------------------------------------------------


def test_the_stylesheet_reflows_the_deck_below_revealjss_scroll_width_only() -> None:
    css = theme_css(THEME, 960, 540)
    assert PHONE_WIDTH == 435
    phone = css[css.index("@media (max-width: 435px)") :]
    assert css.count("@media") == 1 and phone.rstrip().endswith("}")
    # the frames flow, reveal.js's scaling is undone, the text is the reader's size
    for rule in (
        ".reveal .dg-frame { position: static !important;",
        "transform: none !important;",
        ".reveal .dg-text p { font-size: 1rem !important;",
        "touch-action: auto;",
    ):
        assert rule in phone
    # no size of a phone's text is under 14 px (0.875rem)
    sizes = [float(v) for v in re.findall(r"font-size: ([\d.]+)rem", phone)]
    assert sizes and min(sizes) >= 0.875


def test_the_themes_logo_is_marked_so_a_phone_shows_it_small(tmp_path: Path) -> None:
    PILImage.new("RGB", (96, 96), (122, 31, 43)).save(tmp_path / "crest.png")
    (tmp_path / "school.toml").write_text('extends = "default"\n[logo]\npath = "crest.png"\n', "utf-8")
    theme = load_theme(str(tmp_path / "school.toml"))
    assert theme.logo is not None
    logo = Asset(str(theme.logo), AssetStatus.OK, theme.logo, 96, 96, "png")
    frames = (PictureFrame(Box(900, 10, 36, 36), logo, None, "logo"), PictureFrame(BOX, png(tmp_path), None))
    deck = style_deck(LaidDeck(Meta(title="Logo"), (page(*frames),), 960.0, 540.0), theme, TableMeasurer())
    RevealWriter(theme, RevealBundle(REVEAL_VERSION, None, "cdn-link")).write(deck, tmp_path / "html")
    out = (tmp_path / "html" / "index.html").read_text("utf-8")
    assert out.count('class="dg-frame dg-picture dg-logo"') == 1 and out.count('class="dg-frame dg-picture"') == 1
    assert ".reveal .dg-logo img { width: auto !important; height: 2.25rem !important; }" in theme_css(theme, 960, 540)
