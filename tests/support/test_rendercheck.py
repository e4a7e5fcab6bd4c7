"""Tests for the render checker in ``tests/support/rendercheck.py``.

The PPTX test needs LibreOffice; the HTML tests need Playwright, Chromium and a copy of
reveal.js named by ``DECKGEN_REVEAL_JS`` (a folder or an npm ``.tgz`` of reveal.js).  Each test
skips with the reason when what it needs is missing.
"""

from __future__ import annotations

import os
import struct
import tarfile
import zlib
from pathlib import Path

import pytest

from support import rendercheck as rc


def make_png(path: Path, width: int, height: int, rgb: tuple[int, int, int] = (40, 120, 200)) -> Path:
    """Write a solid-colour RGB PNG of ``width`` x ``height`` pixels to ``path``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    raw = zlib.compress(row * height)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


# ------------------------------------------------------------------------------------------ pptx


@pytest.fixture(scope="module")
def pptx_report(tmp_path_factory: pytest.TempPathFactory) -> rc.PptxReport:
    """Build a 4-slide .pptx (clean / text off the edge / text on a picture / tiny font) and check it."""
    pptx = pytest.importorskip("pptx")
    from pptx.util import Inches, Pt

    tmp = tmp_path_factory.mktemp("pptx")
    prs = pptx.Presentation()
    prs.slide_width = Inches(13.333)
    prs.slide_height = Inches(7.5)
    blank = prs.slide_layouts[6]

    def text_box(slide: object, left: float, top: float, width: float, text: str, size: int) -> None:
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(1))  # type: ignore[attr-defined]
        frame = box.text_frame
        frame.word_wrap = False
        frame.text = text
        frame.paragraphs[0].runs[0].font.size = Pt(size)

    text_box(prs.slides.add_slide(blank), 1, 1, 6, "A tidy slide", 28)
    text_box(
        prs.slides.add_slide(blank),
        9,
        1,
        3,
        "This sentence is far too long and runs right off the slide edge",
        32,
    )
    slide = prs.slides.add_slide(blank)
    picture = make_png(tmp / "blue.png", 400, 300)
    slide.shapes.add_picture(str(picture), Inches(2), Inches(2), Inches(4), Inches(3))
    text_box(slide, 2.5, 3.0, 3, "Caption on top", 28)
    text_box(prs.slides.add_slide(blank), 1, 1, 6, "Tiny print", 9)

    path = tmp / "deck.pptx"
    prs.save(str(path))
    try:
        return rc.check_pptx(path, tmp / "out")
    except rc.RenderToolMissing as exc:
        pytest.skip(str(exc))


@pytest.mark.render
def test_pptx_clean_page(pptx_report: rc.PptxReport) -> None:
    assert pptx_report.pages == 4
    first = pptx_report.page_reports[0]
    assert first.problems() == []
    assert "A tidy slide" in first.text
    assert first.width == pytest.approx(960, abs=1)
    assert first.min_font_pt == pytest.approx(28, abs=0.5)
    assert first.picture_areas == []


@pytest.mark.render
def test_pptx_text_past_edge(pptx_report: rc.PptxReport) -> None:
    second = pptx_report.page_reports[1]
    assert second.text_outside, second
    assert any("slide edge" in span.text or "runs" in span.text for span in second.text_outside)
    assert not second.text_over_picture
    assert any(p.startswith("page 2:") and "past the page edge" in p for p in pptx_report.problems())


@pytest.mark.render
def test_pptx_text_over_picture(pptx_report: rc.PptxReport) -> None:
    third = pptx_report.page_reports[2]
    assert not third.text_outside and not third.pictures_outside
    assert [o.text.strip() for o in third.text_over_picture] == ["Caption on top"]
    assert len(third.picture_areas) == 1
    assert third.picture_areas[0] == pytest.approx(12 / (13.333 * 7.5), abs=0.01)
    assert any(p.startswith("page 3:") and "over a picture" in p for p in pptx_report.problems())


@pytest.mark.render
def test_pptx_small_font(pptx_report: rc.PptxReport) -> None:
    fourth = pptx_report.page_reports[3]
    assert fourth.min_font_pt == pytest.approx(9, abs=0.5)
    problems = fourth.problems()
    assert len(problems) == 1 and "smallest font" in problems[0]
    assert fourth.problems(min_font_pt=8) == []
    assert {p.split(":")[0] for p in pptx_report.problems()} == {"page 2", "page 3", "page 4"}


@pytest.mark.render
def test_render_pngs(pptx_report: rc.PptxReport, tmp_path: Path) -> None:
    pngs = rc.render_pngs(pptx_report.pdf, tmp_path, dpi=20)
    assert [p.name for p in pngs] == ["page-1.png", "page-2.png", "page-3.png", "page-4.png"]
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)


# ------------------------------------------------------------------------------------------ html


@pytest.fixture(scope="module")
def reveal_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder holding ``reveal.js`` and ``reveal.css``, from ``DECKGEN_REVEAL_JS``."""
    source = os.environ.get("DECKGEN_REVEAL_JS")
    if not source:
        pytest.skip(
            "DECKGEN_REVEAL_JS is not set (a reveal.js folder or npm .tgz, e.g. from "
            "`npm pack reveal.js@6.0.2`)"
        )
    root = Path(source)
    if root.is_file() and root.name.endswith((".tgz", ".tar.gz")):
        target = tmp_path_factory.mktemp("revealjs")
        with tarfile.open(root) as tar:
            tar.extractall(target, filter="data")
        root = target
    for candidate in (root / "package" / "dist", root / "dist", root):
        if (candidate / "reveal.js").is_file() and (candidate / "reveal.css").is_file():
            return candidate
    pytest.skip(f"DECKGEN_REVEAL_JS={source} holds no dist/reveal.js and dist/reveal.css")


PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><title>t</title>
<link rel="stylesheet" href="reveal.css">
<style>body {{ background: #fff; }} .reveal {{ color: #000; font-size: 28px; }}</style>
</head><body>
<div class="reveal"><div class="slides">
{slides}
</div></div>
<script src="reveal.js"></script>
<script>Reveal.initialize({{width: 960, height: 540, margin: 0, center: false, hash: true}});</script>
</body></html>
"""


def make_deck(folder: Path, dist: Path, slides: str) -> Path:
    """Write an offline reveal.js deck with the given ``<section>`` markup into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("reveal.js", "reveal.css"):
        (folder / name).write_bytes((dist / name).read_bytes())
    make_png(folder / "pic.png", 200, 100)
    (folder / "index.html").write_text(PAGE.format(slides=slides), encoding="utf-8")
    return folder


GOOD_SLIDE = """<section>
  <h2>Fine slide</h2>
  <p>Short text beside a picture.</p>
  <img src="pic.png" alt="pic" style="position:absolute; left:600px; top:300px; width:200px; height:100px">
  <aside class="notes"><div style="position:absolute; left:2000px; width:900px">Speaker notes far away</div>
  <img src="also-missing.png"></aside>
</section>"""

BAD_SLIDE = """<section>
  <h2>Broken slide</h2>
  <div class="wide" style="position:absolute; left:900px; top:100px; width:300px; height:50px">Too wide</div>
  <img src="missing.png" alt="gone">
  <img src="pic.png" alt="pic" style="position:absolute; left:100px; top:300px; width:400px; height:200px">
  <p style="position:absolute; left:150px; top:350px; margin:0">Label on the picture</p>
</section>"""


@pytest.mark.render
def test_html_flags_only_bad_slide(reveal_dist: Path, tmp_path: Path) -> None:
    deck = make_deck(tmp_path / "deck", reveal_dist, GOOD_SLIDE + "\n" + BAD_SLIDE)
    try:
        report = rc.check_html(deck, tmp_path / "shots")
    except rc.RenderToolMissing as exc:
        pytest.skip(str(exc))
    assert report.reveal_ready
    assert report.network_requests == []
    assert len(report.slides) == 2
    good, bad = report.slides
    assert good.ok, good
    assert good.problems() == []
    assert good.scale == pytest.approx(1280 / 960, rel=0.01)

    assert not bad.ok
    assert [e.text for e in bad.overflow] == ["Too wide"]
    hit = bad.overflow[0]
    assert hit.tag == "div" and hit.cls == "wide"
    assert hit.overflow["right"] == pytest.approx(240, abs=2)
    assert [b.src for b in bad.broken_images] == ["missing.png"]
    assert [t.text for t in bad.text_over_image] == ["Label on the picture"]
    assert bad.text_over_image[0].media_src == "pic.png"
    assert bad.screenshot and Path(bad.screenshot).is_file()
    assert good.screenshot is None

    problems = report.problems()
    assert any(p.startswith("slide 2") and "past the slide edge" in p for p in problems)
    assert not any(p.startswith("slide 1") for p in problems)
    assert any(u.endswith("/missing.png") for u in report.failed_requests)


@pytest.mark.render
def test_html_network_blocked_and_stacks(reveal_dist: Path, tmp_path: Path) -> None:
    slides = """<section><section><h2>Top</h2></section><section><h2>Below</h2>
      <img src="http://example.invalid/remote.png" alt="remote"></section></section>
      <section><h2>Next</h2><p class="fragment">Later</p></section>"""
    deck = make_deck(tmp_path / "deck", reveal_dist, slides)
    try:
        report = rc.check_html(deck)
        pngs = rc.screenshot_slides(deck, tmp_path / "png", limit=2)
    except rc.RenderToolMissing as exc:
        pytest.skip(str(exc))
    assert [(s.h, s.v) for s in report.slides] == [(0, 0), (0, 1), (1, 0)]
    assert report.network_requests == ["http://example.invalid/remote.png"]
    assert any("network request" in p for p in report.problems())
    assert [s.ok for s in report.slides] == [True, False, True]  # the blocked image never loads
    assert [p.name for p in pngs] == ["slide-001.png", "slide-002.png"]
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)


def test_missing_tool_is_reported(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(rc.shutil, "which", lambda name: None)
    (tmp_path / "x.pptx").write_bytes(b"")
    with pytest.raises(rc.RenderToolMissing):
        rc.check_pptx(tmp_path / "x.pptx", tmp_path)
    monkeypatch.setenv("DECKGEN_CHROMIUM", str(tmp_path / "no-chromium"))
    (tmp_path / "index.html").write_text("<html></html>")
    with pytest.raises(rc.RenderToolMissing):
        rc.check_html(tmp_path)
    assert issubclass(rc.RenderToolMissing, RuntimeError)
