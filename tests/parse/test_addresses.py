"""police: every address of a parsed deck through the URL policy, once, with one warning each."""

from __future__ import annotations

from pathlib import Path

from deckgen.diagnostics import Diagnostic, Diagnostics
from deckgen.model import Deck, Embed, Image, Meta, Paragraph, Run, Slide
from deckgen.parse.addresses import police_deck
from deckgen.urlpolicy import UrlPolicy

POST = Path("post.md")


def _police(*blocks: object, policy: UrlPolicy | None = None) -> tuple[Deck, tuple[Diagnostic, ...]]:
    diag = Diagnostics()
    deck = Deck(Meta("t"), (), (Slide((Run("T"),), 2, tuple(blocks), "", 3),), POST)  # type: ignore[arg-type]
    return police_deck(deck, policy or UrlPolicy(), diag), diag.warnings


def test_a_refused_link_loses_its_target_keeps_its_words_and_is_told_once() -> None:
    bad = Run("click", link="javascript:alert(1)")
    deck, warnings = _police(Paragraph((bad, Run(" and "), bad), 5))
    (para,) = deck.slides[0].blocks
    assert isinstance(para, Paragraph)
    assert [(r.text, r.link) for r in para.runs] == [("click", None), (" and ", None), ("click", None)]
    assert [(w.code, w.file, w.line, w.get("url")) for w in warnings] == [("L101", "post.md", 5, "javascript:alert(1)")]


def test_a_refused_picture_becomes_its_alt_text_or_nothing() -> None:
    deck, warnings = _police(Image("javascript:x", "a cat", line=7), Image("javascript:y", "", line=8))
    assert deck.slides[0].blocks == (Paragraph((Run("a cat"),), 7),)
    assert [(w.code, w.line, w.get("url")) for w in warnings] == [("L101", 7, "javascript:x"), ("L101", 8, "javascript:y")]


def test_a_refused_embed_becomes_its_title_and_a_kept_one_keeps_its_poster() -> None:
    bad = Embed("iframe", "javascript:x", "javascript:x", "A map", line=4)
    good = Embed(
        "youtube",
        "https://www.youtube.com/watch?v=x",
        "https://www.youtube.com/embed/x",
        "",
        0,
        0,
        "https://img.youtube.com/vi/x/hqdefault.jpg",
        6,
    )
    deck, _ = _police(bad, good)
    assert deck.slides[0].blocks == (Paragraph((Run("A map"),), 4), good)


def test_a_site_path_is_kept_with_a_warning_only_when_the_site_is_unknown() -> None:
    link = Paragraph((Run("home", link="/about/"),), 2)
    _, unknown = _police(link)
    assert [(w.code, w.line, w.get("url")) for w in unknown] == [("L102", 2, "/about/")]
    deck, known = _police(link, policy=UrlPolicy(site_url="https://me.example.org"))
    assert known == () and deck.meta.site_url == "https://me.example.org"


def test_a_warning_names_the_line_the_address_is_written_on() -> None:
    # a paragraph of several lines: the warning points at the link's own line, not the first
    import tempfile
    from datetime import datetime

    from deckgen.parse import parse_deck
    from deckgen.source import read_post

    text = "---\ntitle: T\n---\n\n## S\n\nfirst line of a paragraph\nsecond line\nsee [this](www.example.org/x) here\nand [site](/2024/08/16/x.html)\n"
    with tempfile.TemporaryDirectory() as folder:
        post = Path(folder) / "p.md"
        post.write_text(text, "utf-8")
        diag = Diagnostics()
        parse_deck(read_post(post, datetime(2026, 1, 1), diag), diag)
    placed = [(w.code, w.line, w.get("url")) for w in diag.warnings]
    assert placed == [("L101", 9, "www.example.org/x"), ("L102", 10, "/2024/08/16/x.html")], diag.warnings
