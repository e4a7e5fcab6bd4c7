"""layout/languages.py: every text on the laid-out pages carries its language (the deck's, or
its own where its script is another's), so the writers only translate."""

from __future__ import annotations

from deckgen.layout import Context, layout_deck
from deckgen.model import (
    Cell,
    Code,
    Deck,
    Meta,
    Paragraph,
    Run,
    Slide,
    Table,
    TableFrame,
    TextFrame,
)
from deckgen.model.laidout import CodeFrame


def _laid(ctx: Context, lang: str, *slides: Slide):  # type: ignore[no-untyped-def]
    return layout_deck(Deck(Meta(title="標題 Title", lang=lang), (), slides), ctx.theme, ctx.measure)


def _langs(frame) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(r.text, r.lang) for p in frame.paras for r in p.runs if not r.is_break]


def test_titles_text_tables_code_and_notes_carry_their_languages(ctx: Context) -> None:
    slide = Slide(
        (Run("大型語言模型 LLM"),),
        2,
        (
            Paragraph((Run("English text with 中文 inside."),)),
            Table(((Cell((Run("模型"),), header=True), Cell((Run("Year"),), header=True)),), header_rows=1),
            Code("x = 1  # 註解", "python"),
        ),
        notes="講者備忘 notes\nsecond line",
    )
    page = _laid(ctx, "en", slide).pages[1]
    assert page.lang == "en"
    assert page.title is not None and _langs(page.title) == [("大型語言模型 ", "zh-Hant"), ("LLM", "")]
    body = next(f for f in page.frames if isinstance(f, TextFrame) and f.role == "body")
    assert ("中文 ", "zh-Hant") in _langs(body) and ("English text with ", "") in _langs(body)
    table = next(f for f in page.frames if isinstance(f, TableFrame))
    assert [(r.text, r.lang) for row in table.rows for c in row for r in c.runs] == [("模型", "zh-Hant"), ("Year", "")]
    code = next(f for f in page.frames if isinstance(f, CodeFrame))
    assert any(r.lang == "zh-Hant" and "註解" in r.text for line in code.lines for r in line)
    assert [(r.text, r.lang) for r in page.notes_runs] == [
        ("講者備忘 ", "zh-Hant"),
        ("notes", ""),
        ("\n", ""),
        ("second line", ""),
    ]


def test_in_a_chinese_deck_latin_text_is_english(ctx: Context) -> None:
    laid = _laid(ctx, "zh-Hant", Slide((Run("模型 Transformer"),), 2, (Paragraph((Run("全是中文。"),)),)))
    page = laid.pages[1]
    assert all(p.lang == "zh-Hant" for p in laid.pages)
    assert page.title is not None and _langs(page.title) == [("模型 ", ""), ("Transformer", "en")]
    body = next(f for f in page.frames if isinstance(f, TextFrame) and f.role == "body")
    assert _langs(body) == [("全是中文。", "")]
    # the title page: the post's title, the footer, every text
    title_page = laid.pages[0]
    assert title_page.title is not None and _langs(title_page.title) == [("標題 ", ""), ("Title", "en")]
