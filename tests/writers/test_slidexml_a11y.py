"""The .pptx slide XML, as PowerPoint's Accessibility Checker reads it: the title first (shown, or
hidden off the slide), a title's text as it reads, pictures' descriptions as the post gives
them (none: empty and not decorative), decoration marked, each run's language translated
from the model (``Run.lang``, else the page's)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image as PILImage

from deckgen.layout.style import style_deck
from deckgen.measure import TableMeasurer
from deckgen.model import (
    LINE_BREAK,
    Asset,
    AssetStatus,
    Box,
    Frame,
    LaidDeck,
    Meta,
    Page,
    Para,
    PictureFrame,
    Run,
    TextFrame,
)
from deckgen.theme import load_theme
from deckgen.writers.pptx import PptxWriter
from deckgen.writers.textxml import notes_xml, office_lang
from support.pptxaudit import audit

THEME = load_theme("default")
DECORATIVE = "adec:decorative"


def _png(tmp_path: Path) -> Asset:
    path = tmp_path / "p.png"
    PILImage.new("RGB", (40, 30), "navy").save(path)
    return Asset("http://x/p.png", AssetStatus.OK, path, 40, 30, "png")


def _write(tmp_path: Path, *pages: Page) -> tuple[Path, list[str]]:
    deck = style_deck(LaidDeck(Meta(title="W", lang="en"), pages, 960.0, 540.0), THEME, TableMeasurer())
    out = tmp_path / "deck.pptx"
    PptxWriter(THEME).write(deck, out)
    with zipfile.ZipFile(out) as z:
        names = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)), key=lambda n: int(n[16:-4]))
        return out, [z.read(n).decode() for n in names]


def _title(text: str | tuple[Run, ...], y: float = 18.0) -> TextFrame:
    runs = (Run(text),) if isinstance(text, str) else text
    return TextFrame(Box(48, y, 864, 50), (Para(runs, 32.0, "title"),), "title")


def _body(*runs: Run) -> TextFrame:
    return TextFrame(Box(48, 90, 864, 300), (Para(runs, 24.0),), "body")


def _page(*frames: Frame, title: TextFrame | None = None, hidden: TextFrame | None = None, lang: str = "en") -> Page:
    return Page("content", frames, title, hidden_title=hidden, lang=lang)


@pytest.mark.parametrize(
    ("tag", "office"),
    [("zh-Hant", "zh-TW"), ("zh-Hans", "zh-CN"), ("en", "en-US"), ("en-GB", "en-GB"), ("zh-Hant-HK", "zh-HK"), ("ja", "ja-JP"), ("", "en-US")],
)
def test_a_language_tag_is_translated_to_offices_culture_name(tag: str, office: str) -> None:
    assert office_lang(tag) == office


def test_a_hidden_title_is_the_title_placeholder_off_the_slide_and_first_in_the_tree(tmp_path: Path) -> None:
    hidden = _title("Intro (2/2)", y=-68.0)
    out, (slide,) = _write(tmp_path, _page(_body(Run("text")), hidden=hidden))
    facts = audit(out)
    assert facts.slides[0].title == "Intro (2/2)" and facts.slides[0].title_first
    assert facts.hidden_titles() == [1] and facts.missing_titles == []
    assert '<a:off x="609600" y="-863600"/>' in slide


def test_a_title_reads_from_its_first_word_even_when_it_is_a_link(tmp_path: Path) -> None:
    link_only = _title((Run("LLaMA", link="https://x.org/llama"),))
    link_then_text = _title((Run("Paper", link="https://x.org/p"), Run(" and more")))
    link_then_letters = _title((Run("GPT", link="https://x.org/g"), Run("s are models")))
    out, slides = _write(tmp_path, _page(title=link_only), _page(title=link_then_text), _page(title=link_then_letters))
    facts = audit(out)
    assert [s.title for s in facts.slides] == ["LLaMA", "Paper and more", "GPT\u200bs are models"]
    # after the link, its colour goes on (LibreOffice draws a field in the colour of what follows it):
    # the space after it in the link's colour, or, where a letter follows, a zero-width space
    assert "<a:t> </a:t>" in slides[1]
    # in the body a link at the start of a line still gets its zero-width space (LibreOffice needs it)
    _, (body_slide,) = _write(tmp_path, _page(_body(Run("word", link="https://x.org/w"))))
    assert "<a:t>\u200b</a:t>" in body_slide


def test_pictures_carry_the_posts_description_and_only_decoration_is_marked(tmp_path: Path) -> None:
    asset = _png(tmp_path)
    said = 'A chart: "sales" & <costs> 銷售'
    frames = (
        PictureFrame(Box(48, 100, 200, 150), asset, None, said),
        PictureFrame(Box(300, 100, 200, 150), asset, None, "", context='Picture on slide "X" (not described yet)'),
        PictureFrame(Box(550, 100, 200, 150), asset, None, "", decorative=True),
    )
    out, (slide,) = _write(tmp_path, _page(*frames, title=_title("X")))
    pictures = audit(out).slides[0].pictures
    assert [(p.descr, p.decorative) for p in pictures] == [(said, False), ("", False), ("", True)]
    assert slide.count(DECORATIVE) == 1


def test_each_run_carries_its_language_from_the_model(tmp_path: Path) -> None:
    body = _body(Run("English "), Run("中文", lang="zh-Hant"), LINE_BREAK, Run("more"))
    out, _ = _write(tmp_path, _page(body, title=_title("T"), lang="en"))
    assert dict(audit(out).slides[0].langs) == {"en-US": 3, "zh-TW": 1}
    out, _ = _write(tmp_path, _page(_body(Run("全中文"), Run("English", lang="en")), title=_title("T"), lang="zh-Hant"))
    langs = audit(out).slides[0].langs
    assert langs["zh-TW"] == 2 and langs["en-US"] == 1  # the title and 全中文 in the page's language


def test_notes_are_written_run_by_run_in_their_languages() -> None:
    page = Page(
        "content",
        (),
        notes="講者 notes\nline two",
        lang="en",
        notes_runs=(Run("講者 ", lang="zh-Hant"), Run("notes"), LINE_BREAK, Run("line two")),
    )
    xml = notes_xml(page)
    assert re.findall(r'lang="([^"]+)" dirty="0"/><a:t>([^<]*)<', xml) == [
        ("zh-TW", "講者 "),
        ("en-US", "notes"),
        ("en-US", "line two"),
    ]
