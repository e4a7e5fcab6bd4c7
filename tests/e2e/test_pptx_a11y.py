"""End to end: the .pptx as PowerPoint's Accessibility Checker judges it, measured on a post of
our own (Chinese text, a table, a part without a heading, a list continued on a second slide,
speaker notes, pictures described, undescribed and decorative), the lecture and the corpus:
no slide without a title, no two titles alike, the title first, no content picture marked
decorative, every description of the post kept; and LibreOffice still draws every page with
nothing past its edge and every picture placed, every word of the post there."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Services, build_post
from deckgen.diagnostics import Diagnostics
from deckgen.model.document import Image, content_pictures
from deckgen.parse import parse_deck
from deckgen.source import read_post
from support import rendercheck as rc
from support.localdeck import LocalFetcher, localize_post
from support.pptxaudit import Audit, audit
from support.wordcheck import missing, post_words, pptx_text

ROOT = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("DECKGEN_SHARED", ROOT.parent / "shared"))
OWN = Path(__file__).resolve().parent / "posts" / "a11y.md"


@dataclass
class Built:
    post: Path
    pptx: Path
    facts: Audit


def _build(image_server, post: Path, work: Path, lang: str = "") -> Built:  # type: ignore[no-untyped-def]
    text = post.read_text("utf-8").replace("(IMG/", f"({image_server.base_url}/img/").replace('"IMG/', f'"{image_server.base_url}/img/')
    if lang:
        text = text.replace("---\n", f"---\nlang: {lang}\n", 1)
    local = work / "posts" / post.name
    local.parent.mkdir(parents=True, exist_ok=True)
    local.write_text(text, "utf-8")
    if post != OWN:
        local = localize_post(image_server, post, work / "posts")
    options = BuildOptions(out_dir=work / "out", formats=("pptx",), pictures=AssetOptions(cache_dir=work / "cache"))
    result = build_post(local, options, Services(fetcher=LocalFetcher(image_server)))
    assert result.images.failed == 0, result.warnings
    pptx = work / "out" / (post.stem + ".pptx")
    return Built(local, pptx, audit(pptx))


@pytest.fixture(scope="module")
def own(image_server, tmp_path_factory: pytest.TempPathFactory) -> Built:  # type: ignore[no-untyped-def]
    return _build(image_server, OWN, tmp_path_factory.mktemp("a11y-own"))


def _descriptions(post: Path) -> Counter[str]:
    """The descriptions the post gives its pictures (and its videos' titles), as parsed."""
    diag = Diagnostics()
    deck = parse_deck(read_post(post, dt.datetime(2026, 1, 1), diag), diag)
    said = [p.description if isinstance(p, Image) else p.title for p in content_pictures(deck)]
    return Counter(s.strip() for s in said if s.strip())


def _judge(built: Built) -> None:
    """What PowerPoint's Accessibility Checker would report, none of it."""
    facts = built.facts
    assert facts.missing_titles == [], "slides without a title"
    assert facts.duplicate_titles == {}, "titles alike"
    assert facts.title_not_first == [], "a title not first in the reading order"
    assert all(s.title is not None and not s.title.startswith("\u200b") for s in facts.slides)
    pictures = [p for _, p in facts.pictures() if p.kind == "pic"]
    said = _descriptions(built.post)
    kept = Counter(p.descr for p in pictures if p.descr)
    assert not said - kept, "descriptions of the post lost"
    # what no picture of the post is described by: no file name, no address
    assert not any(re.search(r"https?://|\.(png|jpe?g|gif|webp)\b", p.descr) for p in pictures)


def test_our_post_as_the_accessibility_checker_judges_it(own: Built) -> None:
    _judge(own)
    facts = own.facts
    titles = [s.title for s in facts.slides]
    assert titles[0] == "無障礙測試 Accessibility of a deck"
    # the part without a heading: the title before it, numbered, kept above the slide
    hidden = facts.hidden_titles()
    assert [titles[n - 1] for n in hidden] == ["A table (2/2)"]
    # the list continued on a second slide; the heading given twice told apart
    assert "A long list (2/2)" in titles and "A long list (2)" in titles
    pictures = [p for _, p in facts.pictures() if p.kind == "pic"]
    assert sorted((p.descr, p.decorative) for p in pictures) == [
        ("", False),  # the picture of the part without a heading
        ("", False),  # the undescribed one: PowerPoint lists it as missing, offers to draft one
        ("", True),  # the ornament the post marks as decoration
        ("A bar chart of sales by month, 2024", False),
        ("實驗室的照片 A photo of the lab", False),
    ]


def test_our_posts_text_notes_and_table_carry_their_languages(own: Built) -> None:
    slides = own.facts.slides
    chinese = next(s for s in slides if s.title == "中文的段落")
    assert chinese.langs["zh-TW"] >= 2 and chinese.langs["en-US"] >= 2  # the Chinese text, its English words
    assert chinese.title_langs == {"zh-TW"}
    assert set(chinese.notes_langs) == {"zh-TW", "en-US"}
    table = next(s for s in slides if s.title == "A table")
    assert table.tables == table.tables_with_header == 1 and table.langs["zh-TW"] >= 2  # 模型, 參數 (and the footer)


def test_a_chinese_deck_marks_its_english_words(image_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    built = _build(image_server, OWN, tmp_path, lang="zh-TW")
    _judge(built)
    chinese = next(s for s in built.facts.slides if s.title == "中文的段落")
    assert chinese.title_langs == {"zh-TW"} and chinese.langs["en-US"] >= 2
    english = next(s for s in built.facts.slides if s.title == "Pictures")
    assert english.title_langs == {"en-US"}


@pytest.mark.render
def test_libreoffice_draws_our_post_with_nothing_past_an_edge_and_every_picture_placed(own: Built, tmp_path: Path) -> None:
    try:
        report = rc.check_pptx(own.pptx, tmp_path)
    except rc.RenderToolMissing as exc:
        pytest.skip(str(exc))
    assert report.problems() == []
    assert report.pages == len(own.facts.slides)
    placed = sum(len(page.picture_areas) for page in report.page_reports)
    assert placed == sum(1 for _, p in own.facts.pictures() if p.kind == "pic")
    # the hidden title is not drawn (LibreOffice leaves shapes off the slide out), nor counted
    assert all(not page.hidden_title_spans for page in report.page_reports)
    assert missing(post_words(own.post), pptx_text(own.pptx)) == []


CORPUS = sorted(p.name for p in (SHARED / "corpus").glob("2*.md")) if (SHARED / "corpus").is_dir() else []


@pytest.mark.slow
@pytest.mark.parametrize("name", ["large-language-models.md", *CORPUS])
def test_the_lecture_and_the_corpus_as_the_accessibility_checker_judges_them(image_server, tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    post = ROOT / "lecture" / name if name == "large-language-models.md" else SHARED / "corpus" / name
    built = _build(image_server, post, tmp_path)
    _judge(built)
    pictures = [p for _, p in built.facts.pictures() if p.kind == "pic"]
    assert pictures and not any(p.decorative for p in pictures)  # no theme logo in the default theme
