"""course/page.py, look.py and the package's writer: the page's HTML (escaped, labelled, relative
links, no network, no front matter), its look from the theme, its title from the site or
deckgen.toml, and a page written only when it changed."""

from __future__ import annotations

import os
import re
from pathlib import Path

from deckgen.assets.resolve import AssetStats
from deckgen.course import course_info, write_course_index
from deckgen.course.cards import Card, write_card
from deckgen.course.look import course_look, font_stack
from deckgen.course.page import CourseInfo, marked
from deckgen.pipeline import Record
from deckgen.site import read_site_config
from deckgen.theme.load import load_theme


def record(out: Path, stem: str, title: str, pages: int, *names: str) -> Record:
    outputs = tuple(out / n for n in (names or (f"{stem}/index.html", f"{stem}.pptx")))
    return Record(Path("posts") / f"{stem}.md", title, pages, AssetStats(), outputs, 1.0)


def page_of(tmp_path: Path, *records: Record, info: CourseInfo | None = None, theme: str = "default") -> str:
    path = write_course_index(records, tmp_path, theme=load_theme(theme, tmp_path), info=info)
    return path.read_text("utf-8")


def test_each_deck_is_a_card_with_its_title_date_slides_and_labelled_links(tmp_path: Path) -> None:
    (tmp_path / "2024-08-02-OpenCV.pptx").write_bytes(b"x" * 2_500_000)
    (tmp_path / "2024-08-02-OpenCV.handout-2.pdf").write_bytes(b"x" * 2048)
    names = ("2024-08-02-OpenCV/index.html", "2024-08-02-OpenCV.pptx", "2024-08-02-OpenCV.handout-2.pdf")
    html = page_of(tmp_path, record(tmp_path, "2024-08-02-OpenCV", "OpenCV <Python>", 66, *names), record(tmp_path, "notes", "Notes", 1))
    assert "OpenCV &lt;Python&gt;" in html and "<Python>" not in html  # titles are escaped
    assert '<time datetime="2024-08-02">2024-08-02</time> · 66 slides' in html and "· 1 slide<" not in html
    assert '<a href="2024-08-02-OpenCV/index.html">Slides (HTML)</a>' in html
    assert '<a href="2024-08-02-OpenCV.pptx" download>PowerPoint <span class="size">2.4 MB</span></a>' in html
    assert 'download>Handout, 2 a page <span class="size">2 kB</span></a>' in html
    assert html.index("OpenCV") < html.index("Notes")  # dated first
    assert html.count('<article class="card"') == 2 and "<h1>Course decks</h1>" in html


def test_the_page_needs_nothing_outside_the_folder_and_is_no_jekyll_page(tmp_path: Path) -> None:
    html = page_of(tmp_path, record(tmp_path, "2024-01-01-a", "A", 3))
    assert not html.startswith("---")  # Jekyll copies it as it is
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)  # no address outside the folder
    assert "@import" not in html and "url(" not in html


def test_the_filter_box_is_hidden_until_its_script_runs_and_each_card_says_what_it_matches(tmp_path: Path) -> None:
    write_card(tmp_path, Path("posts/2024-01-01-a.md"), Card("2024-01-01", ("Vision", "深度學習"), ""), None)
    html = page_of(tmp_path, record(tmp_path, "2024-01-01-a", "Image Classification", 3))
    assert '<form class="filter" id="filter-form" role="search" hidden>' in html
    assert '<label for="filter">Filter by title or tag</label>' in html
    assert 'data-search="image classification vision 深度學習 2024-01-01"' in html
    assert 'role="status">1 deck</p>' in html
    assert '<p class="tags">Vision · <span lang="zh-Hant">深度學習</span></p>' in html


def test_a_card_shows_its_picture_as_decoration(tmp_path: Path) -> None:
    post = Path("posts/2024-01-01-a.md")
    write_card(tmp_path, post, Card("2024-01-01", (), "2024-01-01-a.card.webp"), b"RIFF....WEBP")
    html = page_of(tmp_path, record(tmp_path, "2024-01-01-a", "A", 3))
    assert '<img src="2024-01-01-a.card.webp" alt="" width="640" height="360" loading="lazy"' in html


def test_runs_in_another_language_than_the_pages_are_marked_as_in_the_decks() -> None:
    assert marked("AI 的演進 <x>", "en") == 'AI <span lang="zh-Hant">的演進 </span>&lt;x&gt;'
    assert marked("AI 的演進", "zh-Hant") == '<span lang="en">AI </span>的演進'
    assert marked("two\nlines", "en") == "two lines"


def test_the_page_takes_its_colours_and_fonts_from_the_theme(tmp_path: Path) -> None:
    theme = tmp_path / "themes" / "plum.toml"
    theme.parent.mkdir()
    theme.write_text(
        'name = "plum"\nextends = "default"\n[colors]\nbackground = "#FDF6FF"\naccent = "#5B2A86"\nlink = "#1A4D8F"\n'
        '[fonts]\nlatin = ["Gill Sans", "Arial"]\n',
        "utf-8",
    )
    look = course_look(load_theme("plum", tmp_path))
    assert (look.background, look.accent, look.on_accent, look.link) == ("#FDF6FF", "#5B2A86", "#FDF6FF", "#1A4D8F")
    html = page_of(tmp_path, record(tmp_path, "a", "A", 1), theme="plum")
    assert "background: #5B2A86; color: #FDF6FF;" in html  # the band, as the title slide's
    assert 'font-family: "Gill Sans", "Arial",' in html
    dark = page_of(tmp_path, record(tmp_path, "a", "A", 1), theme="dark")
    assert '<meta name="color-scheme" content="dark">' in dark
    assert font_stack(("A", "A", 'B"q'), "serif") == '"A", "B\\"q", serif'


def test_the_title_comes_from_the_sites_config_else_deckgen_toml(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (tmp_path / "deckgen.toml").write_text('title = "From toml"\ndescription = "Toml words"\n', "utf-8")
    assert course_info(read_site_config(site), tmp_path) == CourseInfo("From toml", "Toml words", "")
    (site / "_config.yml").write_text('title: "Site <title>"\nlang: zh-TW\n', "utf-8")
    assert course_info(read_site_config(site), tmp_path) == CourseInfo("Site <title>", "Toml words", "zh-Hant")
    assert course_info(None, site) == CourseInfo()
    chinese = page_of(tmp_path / "zh", record(tmp_path / "zh", "a", "深度學習導論", 1), info=CourseInfo("人工智慧課程"))
    assert '<html lang="zh-Hant">' in chinese  # no lang in the site: found from the titles
    html = page_of(tmp_path, info=course_info(read_site_config(site), tmp_path))
    assert "<title>Site &lt;title&gt;</title>" in html and '<html lang="zh-Hant">' in html
    assert '<meta name="description" content="Toml words">' in html and "No decks were built." in html


def test_an_unchanged_page_is_not_written_again(tmp_path: Path) -> None:
    rec = record(tmp_path, "2024-01-01-a", "A", 3)
    page = write_course_index([rec], tmp_path)
    os.utime(page, ns=(1_000_000_000, 1_000_000_000))  # as if written long ago
    write_course_index([rec], tmp_path)
    assert page.stat().st_mtime_ns == 1_000_000_000
    write_course_index([record(tmp_path, "2024-01-01-a", "B", 3)], tmp_path)
    assert page.stat().st_mtime_ns != 1_000_000_000 and "B</h2>" in page.read_text("utf-8")
