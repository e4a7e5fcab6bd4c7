"""parse: the accessibility facts a post gives: what each picture shows (or that it is decoration)
and the deck's language (front matter, the site's _config.yml, else its text)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deckgen.diagnostics import Diagnostics
from deckgen.model import Embed, Image, Meta, Paragraph, plain_text
from deckgen.parse.walker import parse_deck
from deckgen.pipeline import site_language
from deckgen.source import Source, read_post

POST = Path("post.md")


def blocks(body: str) -> list:
    src = Source(path=POST, meta=Meta(title="T"), front={}, body="## S\n" + body, body_line=1)
    return list(parse_deck(src, Diagnostics()).slides[0].blocks)


def pictures(body: str) -> list[tuple[str, str, bool]]:
    return [(b.url, b.description, b.decorative) for b in blocks(body) if isinstance(b, Image)]


@pytest.mark.parametrize(
    ("body", "description"),
    [
        ("![a bar chart of sales](c.png)", "a bar chart of sales"),
        ('![](c.png "the title, when there is no description")', "the title, when there is no description"),
        ('![the alt wins](c.png "a title")', "the alt wins"),
        ('<img src="c.png" alt="an HTML description">', "an HTML description"),
        ('<img src="c.png" title="an HTML title">', "an HTML title"),
        ('<img src="c.png" alt="alt" title="title">', "alt"),
        ("![](c.png)", ""),
        ('<img src="c.png">', ""),
    ],
)
def test_a_picture_is_described_by_its_alt_else_its_title(body: str, description: str) -> None:
    assert pictures(body) == [("c.png", description, False)]


@pytest.mark.parametrize(
    "body",
    [
        '<img src="c.png" alt="">',
        "<img src='c.png' alt>",
        '<img src="c.png" role="presentation">',
        '<img src="c.png" role="none" alt="ignored: a screen reader skips it">',
        '<img src="c.png" aria-hidden="true">',
        "![](c.png){: .decorative}",
        "![](c.png){:.decorative}",
        "![](c.png){: .wide .decorative}",
        '![](c.png){: role="presentation"}',
    ],
)
def test_a_post_marks_decoration_only_on_purpose(body: str) -> None:
    ((url, _, decorative),) = pictures(body)
    assert url == "c.png" and decorative


def test_an_attribute_list_after_a_picture_is_the_sites_never_text() -> None:
    found = blocks("![](a.png){: .decorative} and ![](b.png){: .wide} then {: not after a picture}")
    assert [(b.url, b.decorative) for b in found if isinstance(b, Image)] == [("a.png", True), ("b.png", False)]
    text = " ".join(plain_text(b.runs) for b in found if isinstance(b, Paragraph))
    assert "decorative" not in text and ".wide" not in text
    assert "{: not after a picture}" in text  # only right after a picture is it kramdown's


def test_a_video_is_described_by_its_title() -> None:
    (embed,) = [
        b
        for b in blocks('<iframe src="https://www.youtube.com/embed/abc123def45" title="GPT explained"></iframe>')
        if isinstance(b, Embed)
    ]
    assert embed.title == "GPT explained"


def read(tmp_path: Path, front: str, body: str, site_lang: str = "") -> Meta:
    post = tmp_path / "post.md"
    post.write_text(f"---\ntitle: T\n{front}---\n{body}", "utf-8")
    diag = Diagnostics()
    return parse_deck(read_post(post, dt.datetime(2024, 1, 1), diag), diag, None, site_lang).meta


ENGLISH = "## A title\nSome English text about language models and how they are trained.\n"
CHINESE = "## 大型語言模型\n這是一段關於大型語言模型如何訓練與使用的中文說明，也提到 GPT 與 LLaMA。\n"


def test_the_front_matters_lang_wins_then_the_sites_then_the_text(tmp_path: Path) -> None:
    assert read(tmp_path, "lang: zh-TW\n", ENGLISH, site_lang="en").lang == "zh-Hant"
    assert read(tmp_path, "", ENGLISH, site_lang="zh-Hant").lang == "zh-Hant"
    assert read(tmp_path, "", ENGLISH).lang == "en"
    assert read(tmp_path, "", CHINESE).lang == "zh-Hant"
    # a lang that is no language tag is not one (check says so): the text decides
    assert read(tmp_path, "lang: Chinese language\n", CHINESE).lang == "zh-Hant"


def test_the_sites_lang_comes_from_its_config(tmp_path: Path) -> None:
    assert site_language(tmp_path) == ""
    (tmp_path / "_config.yml").write_text("title: Course\nlang: zh_TW\n", "utf-8")
    assert site_language(tmp_path) == "zh-Hant"
    (tmp_path / "_config.yml").write_text("lang: [not, a, tag]\n", "utf-8")
    assert site_language(tmp_path) == ""
