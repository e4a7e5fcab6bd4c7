"""Numbered labels that fit and links drawn as links, checked on rendered pages.

The .pptx goes through LibreOffice to PDF, read with PyMuPDF (position and colour of every
span); the HTML deck is measured in Chromium. Alt text is checked in both decks."""

from __future__ import annotations

import re
import unicodedata
import zipfile
from pathlib import Path

import pytest
from PIL import Image as PILImage

from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, build_post
from deckgen.theme import load_theme
from support import rendercheck as rc

NUMBERED = "## Numbered 1 to 25\n\n" + "".join(f"{n}. item number {n}\n" for n in range(1, 26))
LINKS = """## Links

A sentence with [a short link](https://example.org/a) in the middle of it.

A line that ends with [a link at the end](https://example.org/b)

A long paragraph that keeps going so that [this rather long link text wraps over the end of the line onto the next one](https://example.org/c) and then more words follow here.

Some **[bold link](https://example.org/d)** here, and [網頁連結](https://example.org/f)。

1. first item
2. **[NetPhosPan](https://example.org/e)**:text after it
"""
LINK_WORDS = {
    "a",
    "short",
    "link",
    "at",
    "the",
    "end",
    "this",
    "rather",
    "long",
    "text",
    "wraps",
    "over",
    "of",
    "line",
    "onto",
    "next",
    "one",
    "bold",
    "NetPhosPan",
    "網頁連結",
}


@pytest.fixture(scope="module")
def decks(tmp_path_factory: pytest.TempPathFactory, reveal_source: Path):  # noqa: ANN201
    tmp = tmp_path_factory.mktemp("labels")
    PILImage.new("RGB", (320, 200), (30, 90, 160)).save(tmp / "chart.png")
    PILImage.new("RGB", (320, 200), (160, 90, 30)).save(tmp / "plain.png")
    post = tmp / "labels.md"
    post.write_text(
        "---\ntitle: Labels\n---\n\n"
        + NUMBERED
        + "\n---\n\n"
        + LINKS
        + '\n---\n\n## Pictures\n\n![Sales by month](chart.png)\n\n<img src="plain.png">\n',
        "utf-8",
    )
    result = build_post(
        post, BuildOptions(out_dir=tmp / "out", reveal_js=reveal_source, pictures=AssetOptions(cache_dir=tmp / "cache"))
    )
    pptx = tmp / "out" / "labels.pptx"
    try:
        pdf = rc.convert_to_pdf(pptx, tmp / "pdf")
    except rc.RenderToolMissing as exc:
        pytest.skip(str(exc))
    return result, pptx, Path(pdf), tmp / "out" / "labels"


def _spans(pdf: Path, page: int) -> list[dict]:
    pymupdf = rc._import_pymupdf()
    with pymupdf.open(str(pdf)) as doc:
        return [
            s
            for b in doc[page].get_text("dict")["blocks"]
            for line in b.get("lines", [])
            for s in line["spans"]
        ]


def test_a_list_numbered_1_to_25_fits_and_aligns_in_the_pptx(decks) -> None:  # noqa: ANN001
    _, pptx, pdf, _ = decks
    report = rc.check_pdf(pdf, str(pptx))
    assert report.problems(min_font_pt=14) == []
    numbers: list[dict] = []
    items = 0
    for page in range(report.pages):
        spans = _spans(pdf, page)
        texts = [s for s in spans if s["text"].startswith("item number")]
        if not texts:
            continue
        on_page = [s for s in spans if re.fullmatch(r"\d+\.", s["text"].strip())]
        numbers += on_page
        items += len(texts)  # every item on one line with its label
        # one column per page: numbers start together, texts start together, never touching
        assert max(s["bbox"][0] for s in on_page) - min(s["bbox"][0] for s in on_page) < 2.0  # glyph bearings
        assert max(s["bbox"][0] for s in texts) - min(s["bbox"][0] for s in texts) < 1.0
        assert min(t["bbox"][0] for t in texts) - max(n["bbox"][2] for n in on_page) > 2.0
    assert sorted(int(s["text"].strip()[:-1]) for s in numbers) == list(range(1, 26))
    assert items == 25


def test_a_list_numbered_1_to_25_fits_and_aligns_in_the_html(decks) -> None:  # noqa: ANN001
    _, _, _, deck = decks
    report = rc.check_html(deck)
    assert report.problems() == []
    with rc._open_deck(deck) as session:
        page = session.page
        found = []
        for index in range(page.evaluate("() => Reveal.getTotalSlides()")):
            page.evaluate(f"() => Reveal.slide({index})")
            page.evaluate(f"() => {{ Reveal.getCurrentSlide().dataset.index = '{index}'; }}")
            found += page.evaluate(
                """() => [...Reveal.getCurrentSlide().querySelectorAll('.dg-bu')].map(bu => {
                    const label = document.createRange(); label.selectNodeContents(bu);
                    const text = document.createRange(); text.selectNodeContents(bu.parentElement);
                    text.setStartAfter(bu);
                    const box = bu.getBoundingClientRect(), l = label.getBoundingClientRect();
                    return {slide: Reveal.getCurrentSlide().dataset.index, label: bu.textContent, item: bu.parentElement.textContent, lines: label.getClientRects().length,
                            labelRight: l.right, textLeft: text.getClientRects()[0].left,
                            slideBottom: Reveal.getCurrentSlide().getBoundingClientRect().bottom,
                            bottom: box.bottom, buLeft: box.left};
                })"""
            )
    numbered = [
        f
        for f in found
        if f["label"].endswith(".") and f["label"][:-1].isdigit() and "item number" in f["item"]
    ]
    assert len(numbered) >= 25
    for f in numbered:
        assert f["lines"] == 1, f  # the label never wraps
        assert f["textLeft"] - f["labelRight"] > 2.0, f  # and never touches its text
        assert f["bottom"] <= f["slideBottom"], f
    assert sorted(int(f["label"][:-1]) for f in numbered) == list(range(1, 26))
    for slide in {f["slide"] for f in numbered}:  # one column per slide (sizes may differ between them)
        on = [f for f in numbered if f["slide"] == slide]
        assert max(f["textLeft"] for f in on) - min(f["textLeft"] for f in on) < 1.0
        assert max(f["buLeft"] for f in on) - min(f["buLeft"] for f in on) < 1.0


def test_libreoffice_draws_every_link_word_and_only_those_in_the_link_colour(decks) -> None:  # noqa: ANN001
    _, _, pdf, _ = decks
    link = load_theme("default").colors.link
    target = tuple(int(link[i : i + 2], 16) for i in (0, 2, 4))

    def is_link_colour(value: int) -> bool:
        rgb = ((value >> 16) & 255, (value >> 8) & 255, value & 255)
        return all(abs(a - b) <= 2 for a, b in zip(rgb, target))

    pymupdf = rc._import_pymupdf()
    with pymupdf.open(str(pdf)) as doc:
        page = next(p for p in doc if "A sentence with" in p.get_text())
        words = page.get_text("rawdict")["blocks"]
    coloured: list[tuple[str, bool]] = []
    for block in words:
        for line in block.get("lines", []):
            for span in line["spans"]:
                word = ""
                for ch in span["chars"] + [{"c": " "}]:
                    if ch["c"].isspace() or unicodedata.category(ch["c"]) == "Cf" or ch["c"] in ":。,":
                        if word:
                            coloured.append((word, is_link_colour(span["color"])))
                        word = ""
                    else:
                        word += ch["c"]
    in_link = {w for w, c in coloured if c}
    assert {"a", "short", "link", "end", "one", "bold", "NetPhosPan"} <= in_link
    assert {"網", "頁", "連", "結"} <= in_link or "網頁連結" in in_link
    for word, colour in coloured:
        if word in (
            "sentence",
            "middle",
            "paragraph",
            "Some",
            "here",
            "follow",
            "first",
            "item",
            "2.",
        ):
            assert not colour, word
    wrapped = [w for w, c in coloured if w in ("this", "rather", "wraps", "onto", "next")]
    assert len(wrapped) == 5 and all(w in in_link for w in wrapped)
    assert in_link <= LINK_WORDS | {"網", "頁", "連", "結"}


def test_alt_text_comes_from_the_post_in_both_decks_never_a_file_name(decks) -> None:  # noqa: ANN001
    _, pptx, _, deck = decks
    html = (deck / "index.html").read_text("utf-8")
    assert 'alt="Sales by month"' in html
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', html)
    # the undescribed picture is no decoration: its text says where it stands (docs/accessibility.md)
    assert "" not in alts and not any(re.search(r"\.(png|jpe?g)|[0-9a-f]{32}", a) for a in alts)
    with zipfile.ZipFile(pptx) as archive:
        slides = "".join(
            archive.read(n).decode() for n in archive.namelist() if re.match(r"ppt/slides/slide\d+\.xml", n)
        )
    pics = re.findall(
        r"<p:cNvPr [^>]*?descr=\"([^\"]*)\"[^>]*>(.*?)</p:cNvPr>|<p:cNvPr [^>]*descr=\"([^\"]*)\"[^>]*/>",
        slides,
    )
    descrs = [a or c for a, _, c in pics]
    assert "Sales by month" in descrs
    assert not any(re.search(r"\.(png|jpe?g)|[0-9a-f]{32}", d) for d in descrs)
    # the undescribed one: an empty description, not marked decorative (PowerPoint lists it as missing)
    assert "" in descrs and "adec:decorative" not in slides
