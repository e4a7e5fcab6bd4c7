"""writers/html.py: each frame kind written into the reveal.js deck's ``index.html``, the theme
as the stylesheet's custom properties, extra CSS and font files.

Each test builds a ``LaidDeck`` by hand (no parsing, no layout; ``support.writerkit``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from deckgen.assets.revealjs import REVEAL_VERSION, RevealBundle
from deckgen.model import (
    LINE_BREAK,
    Badge,
    Box,
    Bullet,
    Cell,
    CodeFrame,
    Embed,
    EmbedFrame,
    Para,
    PictureFrame,
    PlaceholderFrame,
    Run,
    TableFrame,
)
from deckgen.theme import load_theme
from deckgen.writers.html import RevealWriter, theme_css
from support.writerkit import BOX, THEME, body, custom_theme, deck_of, laid, png, section, write_html


def test_html_text_frame_has_one_p_per_para_with_its_size_spacing_and_color(tmp_path: Path) -> None:
    frame = body(
        Para((Run("First"),), 28.0),
        Para((Run("Second"),), 24.0, "heading", space_before=9.0, align="center"),
    )
    page = section(write_html(tmp_path, deck_of(frame)))
    c = THEME.colors
    assert 'style="left:48.00px;top:100.00px;width:400.00px;height:200.00px;' in page
    assert f'<p class="dg-body" style="font-size:28px;line-height:33.60px;color:#{c.text}">First</p>' in page
    assert (
        '<p class="dg-heading" style="font-size:24px;line-height:28.80px;margin-top:9.00px;'
        f'text-align:center;color:#{c.heading}">Second</p>'
    ) in page


def test_html_bullets_hang_left_of_the_text_by_the_layouts_indent_and_hang(tmp_path: Path) -> None:
    frame = body(
        Para((Run("dot"),), 24.0, level=1, bullet=Bullet("•"), indent=26.4, hang=21.6),
        Para((Run("quote"),), 24.0, "quote", level=1, indent=26.4),
    )
    page = section(write_html(tmp_path, deck_of(frame)))
    assert (
        'padding-left:26.40px;text-indent:-21.60px"><span class="dg-bu" style="width:21.60px">•</span>dot</p>'
    ) in page
    assert (
        f'<p class="dg-quote" style="font-size:24px;line-height:28.80px;color:#{THEME.colors.text};'
        'padding-left:26.40px">quote</p>'
    ) in page


def test_html_runs_carry_bold_italic_strike_links_and_breaks(tmp_path: Path) -> None:
    runs = (
        Run("bold", bold=True),
        Run("italic", italic=True),
        Run("gone", strike=True),
        Run("x()", code=True),
        LINE_BREAK,
        Run("a link", link="https://example.org/x"),
    )
    page = section(write_html(tmp_path, deck_of(body(Para(runs, 24.0)))))
    assert (
        "<strong>bold</strong><em>italic</em><s>gone</s><code>x()</code><br>"
        f'<a href="https://example.org/x" target="_blank" rel="noopener" style="color:#{THEME.colors.link}">a link</a>'
    ) in page


def test_html_escapes_script_text_and_quotes_in_attributes(tmp_path: Path) -> None:
    link = 'https://x.org/?q="a"&b=<c>'
    frames = (
        body(Para((Run('<script>alert("x")</script>', link=link),), 24.0)),
        PictureFrame(Box(500, 100, 160, 90), png(tmp_path), link, description='say "hi" <b>'),
    )
    page = write_html(tmp_path, deck_of(*frames, notes="<script>notes</script>"))
    assert "<script>alert" not in page and "<script>notes" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert f'href="{html.escape(link, quote=True)}"' in page
    assert 'alt="say &quot;hi&quot; &lt;b&gt;"' in page


def _video(tmp_path: Path) -> EmbedFrame:
    box = Box(200, 120, 480, 270)
    play = Box(380.3, 210.3, 59.4, 59.4)
    embed = Embed("youtube", "https://youtu.be/abc", "https://www.youtube.com/embed/abc?a=1&b=2", 'A "video"')
    poster = PictureFrame(
        box, png(tmp_path, "poster.png", (480, 270)), embed.url, embed.title, play_badge=Badge(play)
    )
    return EmbedFrame(box, embed, poster, Badge(play))


def test_html_shows_an_embed_as_its_poster_and_play_button_and_loads_the_player_only_on_click(
    tmp_path: Path,
) -> None:
    page = section(write_html(tmp_path, deck_of(_video(tmp_path))))
    # the live player is only inside data-embed (escaped), never an element of the page
    assert "<iframe" not in page
    live = re.search(r'data-embed="([^"]*)"', page)
    assert live is not None
    player = html.unescape(live.group(1))
    assert player.startswith(
        '<iframe src="https://www.youtube.com/embed/abc?a=1&amp;b=2" title="A &quot;video&quot;"'
    )
    assert '<img src="assets/poster.png" alt="A &quot;video&quot;"' in page
    # the play button sits at the layout's box, relative to the embed's own box
    assert (
        '<button class="dg-play" style="left:180.30px;top:90.30px;width:59.40px;height:59.40px;"'
    ) in page


def test_html_embed_without_poster_shows_its_placeholder_and_a_play_button(tmp_path: Path) -> None:
    box = Box(200, 120, 480, 270)
    embed = Embed("iframe", "https://x.org/page", "https://x.org/page", "A page")
    placeholder = PlaceholderFrame(
        box, embed.url, "Embedded page: A page", 16.0, "https://x.org/page", embed.url
    )
    page = section(write_html(tmp_path, deck_of(EmbedFrame(box, embed, placeholder, Badge(Box(380, 210, 60, 60))))))
    assert "<strong>Embedded page: A page</strong>" in page and 'class="dg-play"' in page
    assert "<iframe" not in page and "&lt;iframe src=&quot;https://x.org/page&quot;" in page


# ---------------------------------------------------------------------------
# tables, code, notes


def _table() -> TableFrame:
    rows = (
        (Cell((Run("Wide header"),), colspan=2, header=True),),
        (Cell((Run("tall"),), rowspan=2), Cell((Run("b1"),))),
        (Cell((Run("b2"),)),),
    )
    return TableFrame(BOX, rows, 1, (150.0, 250.0), (30.0, 40.0, 50.0), 18.0)


def test_html_table_merges_spanned_cells_at_the_layouts_sizes(tmp_path: Path) -> None:
    page = section(write_html(tmp_path, deck_of(_table())))
    assert '<colgroup><col style="width:150.00px"><col style="width:250.00px"></colgroup>' in page
    c = THEME.colors
    head = f'<tr style="height:30.00px;background:#{c.accent};color:#{c.background};">'
    assert head + '<th colspan="2"><strong>Wide header</strong></th></tr>' in page
    stripe = f"background:#{c.code_background};color:#{c.text};"
    assert f'<tr style="height:40.00px;{stripe}"><td rowspan="2">tall</td><td>b1</td></tr>' in page
    plain = f"background:#{c.background};color:#{c.text};"
    assert f'<tr style="height:50.00px;{plain}"><td>b2</td></tr>' in page


def _code() -> CodeFrame:
    lines = (
        (Run("def", code=True, color="A90D91", token="k"), Run(" f(): ", code=True)),
        (),
        (Run("    return '<x>'", code=True, color="C41A16", token="s1"),),
    )
    return CodeFrame(BOX, lines, 16.0, "python")


def test_html_code_is_one_line_per_source_line_with_token_classes(tmp_path: Path) -> None:
    page = section(write_html(tmp_path, deck_of(_code())))
    assert 'data-lang="python"><code><span class="k">def</span> f(): \n\n' in page
    assert '<span class="s1">    return &#x27;&lt;x&gt;&#x27;</span></code></pre>' in page


# ---------------------------------------------------------------------------
# the writers translate the model's style (issue 12): one design, the same in every deck


def test_a_reused_html_writer_keeps_the_pictures_of_its_second_deck(tmp_path: Path) -> None:
    """It remembered the pictures of its first deck and did not copy them into the second."""
    writer = RevealWriter(THEME, RevealBundle(REVEAL_VERSION, None, "cdn-link"))
    deck = deck_of(PictureFrame(Box(10, 10, 160, 90), png(tmp_path, "p.png")))
    writer.write(deck, tmp_path / "one")
    writer.write(deck, tmp_path / "two")
    assert (tmp_path / "one" / "assets" / "p.png").is_file()
    assert (tmp_path / "two" / "assets" / "p.png").is_file()


# ---------------------------------------------------------------------------
# reveal.js: custom properties on the generated stylesheet, extra CSS, font files


@pytest.mark.parametrize("name", ["default", "dark", "high-contrast"])
def test_theme_css_has_every_value_as_a_custom_property(name: str) -> None:
    theme = load_theme(name)
    css = theme_css(theme, theme.width, theme.height)
    c, s = theme.colors, theme.sizes
    for prop, value in (
        ("--dg-background", c.background),
        ("--dg-text", c.text),
        ("--dg-heading", c.heading),
        ("--dg-accent", c.accent),
        ("--dg-link", c.link),
        ("--dg-code-background", c.code_background),
        ("--dg-code-text", c.code_text),
        ("--dg-muted", c.muted),
    ):
        assert f"{prop}: #{value};" in css
    assert f'--dg-font: "{theme.fonts.latin[0]}"' in css
    assert f'"{theme.fonts.east_asian[0]}"' in css.split("--dg-font:")[1].split(";")[0]
    assert f'--dg-code-font: "{theme.fonts.code[0]}"' in css
    assert f"--dg-size-title: {s.title:g}px;" in css and f"--dg-size-body: {s.body:g}px;" in css
    assert "--dg-slide-width: 960px;" in css


def test_reveal_writer_copies_extra_css_and_font_files(tmp_path: Path) -> None:
    font = next(
        (p for d in ("/usr/share/fonts", "/usr/local/share/fonts") for p in Path(d).rglob("DejaVuSans.ttf")),
        None,
    ) or next((p for p in Path("/usr/share/fonts").rglob("*.ttf")), None)
    if font is None:
        pytest.skip("no TrueType font on this machine to ship with a theme")
    folder = tmp_path / "themes"
    folder.mkdir()
    (folder / "extra.css").write_text(".dg-title { letter-spacing: 1px; }\n", "utf-8")
    (folder / font.name).write_bytes(font.read_bytes())
    custom_theme(tmp_path, '[html]\ncss = "extra.css"\n')
    text = (folder / "school.toml").read_text("utf-8")
    (folder / "school.toml").write_text(
        text.replace("[fonts]\n", f'[fonts]\nfiles = ["{font.name}"]\n'), "utf-8"
    )
    theme = load_theme("school", tmp_path)
    assert theme.fonts.files and theme.fonts.files[0].family
    out = tmp_path / "html"
    RevealWriter(theme, RevealBundle("6.0.2", None, "cdn-link")).write(laid(tmp_path, theme), out)
    page = (out / "index.html").read_text("utf-8")
    assert page.index('href="theme.css"') < page.index('href="extra.css"')  # the extra CSS wins
    assert (out / "extra.css").read_text("utf-8") == ".dg-title { letter-spacing: 1px; }\n"
    css = (out / "theme.css").read_text("utf-8")
    family = theme.fonts.files[0].family
    assert f'@font-face {{ font-family: "{family}"; src: url("fonts/{font.name}")' in css
    assert (out / "fonts" / font.name).read_bytes() == font.read_bytes()
    assert "--dg-background: #FFFDF5;" in css and "--dg-slide-width: 720px;" in css
    assert 'data-theme="school"' in page
