"""End to end: the real lecture, images from a local server, both decks reopened and read."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from conftest import LECTURE
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Record, Services, build_post
from support.localdeck import LocalFetcher, localize_post

EXTRA_SLIDE = """
---
### Extra formats
![webp](/img/extra-photo.webp)
![gif](/img/anim.gif)
"""


@dataclass
class Built:
    result: Record
    pptx: Path
    html: Path
    post: Path
    server_url: str


@pytest.fixture(scope="module")
def built(image_server, reveal_source: Path, tmp_path_factory: pytest.TempPathFactory) -> Built:
    work = tmp_path_factory.mktemp("e2e")
    post = localize_post(image_server, LECTURE, work / "posts")
    # one more slide with the formats the lecture lacks: WebP and an animated GIF
    extra = EXTRA_SLIDE.replace("(/img/", f"({image_server.base_url}/img/")
    post.write_text(post.read_text("utf-8") + extra, "utf-8")
    options = BuildOptions(out_dir=work / "out", reveal_js=reveal_source, pictures=AssetOptions(cache_dir=work / "cache"))
    result = build_post(post, options, Services(fetcher=LocalFetcher(image_server)))
    return Built(
        result,
        work / "out" / "large-language-models.pptx",
        work / "out" / "large-language-models" / "index.html",
        post,
        image_server.base_url,
    )


def _pictures(prs: Presentation) -> list:
    return [sh for slide in prs.slides for sh in slide.shapes if sh.shape_type == 13]


def test_the_lecture_builds_both_decks_with_every_image(built: Built) -> None:
    assert built.pptx.is_file() and built.html.is_file()
    images = built.result.images
    # 30 images and 3 YouTube thumbnails in the lecture, plus the 2 extra pictures
    assert images.total == 35
    assert images.failed == 0, built.result.warnings
    assert [w.code for w in built.result.warnings] == ["A101"]  # 30 of its 35 pictures are not described


def test_pptx_every_xml_part_is_valid_against_the_ecma_376_schemas(built: Built, xsd_folder: Path) -> None:
    """What PowerPoint checks before it opens a file (LibreOffice forgives what it refuses):
    every slide, layout, master, theme, notes and property part of the lecture's .pptx. The
    package's own parts (content types, relationships, core properties) have no schema in the
    folder and are listed as skipped, with why."""
    from support.ooxml import validate_pptx

    report = validate_pptx(built.pptx, xsd_folder)
    assert report.errors == {}
    slides = [n for n in report.valid if n.startswith("ppt/slides/slide")]
    assert len(slides) == len(Presentation(str(built.pptx)).slides) == built.result.pages
    assert {"ppt/presentation.xml", "ppt/slideMasters/slideMaster1.xml", "ppt/theme/theme1.xml", "docProps/app.xml"} <= set(report.valid)
    assert {n for n in report.valid if n.startswith("ppt/slideLayouts/")}  # the layouts too
    assert "docProps/custom.xml" in report.valid  # the map deckgen pull reads
    assert set(report.skipped.values()) == {
        "OPC content types: opc-contentTypes.xsd is in ECMA-376 Part 2, not in the folder",
        "OPC relationships: opc-relationships.xsd is in ECMA-376 Part 2, not in the folder",
        "OPC core properties: opc-coreProperties.xsd is in ECMA-376 Part 2, not in the folder",
    }


def test_pptx_is_16_9_with_one_slide_per_page(built: Built) -> None:
    prs = Presentation(str(built.pptx))
    assert (prs.slide_width, prs.slide_height) == (Emu(960 * 12700), Emu(540 * 12700))
    assert len(prs.slides) == built.result.pages
    assert len(prs.slides) >= 46  # 45 source slides + the title slide


def test_pptx_places_every_picture_inside_the_slide_keeping_its_shape(built: Built) -> None:
    prs = Presentation(str(built.pptx))
    pictures = _pictures(prs)
    assert len(pictures) == 35
    for pic in pictures:
        assert pic.left >= 0 and pic.top >= 0
        assert pic.left + pic.width <= prs.slide_width
        assert pic.top + pic.height <= prs.slide_height
        image = pic.image
        assert image.content_type in ("image/png", "image/jpeg", "image/gif")
        px_w, px_h = image.size
        assert abs(pic.width / pic.height - px_w / px_h) < 0.02


def test_pptx_keeps_the_animated_gif_animated(built: Built) -> None:
    from io import BytesIO

    from PIL import Image

    prs = Presentation(str(built.pptx))
    gifs = [p for p in _pictures(prs) if p.image.content_type == "image/gif"]
    assert gifs
    assert any(getattr(Image.open(BytesIO(p.image.blob)), "n_frames", 1) > 1 for p in gifs)


def test_pptx_titles_and_text_are_editable_placeholders(built: Built) -> None:
    prs = Presentation(str(built.pptx))
    titles = [s.shapes.title.text_frame.text for s in prs.slides if s.shapes.title is not None]
    assert "Large Language Models" in titles
    assert "History of LLM" in titles
    assert "大型語言模型(>10B)的時間軸" in titles
    body = [sh for s in prs.slides for sh in s.placeholders if sh.placeholder_format.idx == 1]
    assert any("ChatGPT is fine-tuned" in sh.text_frame.text for sh in body)


def test_pptx_links_are_clickable(built: Built) -> None:
    prs = Presentation(str(built.pptx))
    links = {
        r.hyperlink.address
        for s in prs.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    }
    assert "https://arxiv.org/abs/2303.18223" in links
    assert "https://github.com/mistralai/mistral-src" in links


def test_pptx_youtube_becomes_a_linked_thumbnail(built: Built) -> None:
    prs = Presentation(str(built.pptx))
    targets = {p.click_action.hyperlink.address for p in _pictures(prs)}
    assert "https://www.youtube.com/watch?v=e0aKI2GGZNg" in targets
    assert "https://www.youtube.com/watch?v=SAc-O5FDJ4k" in targets


def test_pptx_chinese_runs_are_tagged_zh_tw_with_an_east_asian_font(built: Built) -> None:
    prs = Presentation(str(built.pptx))
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    found = 0
    for slide in prs.slides:
        for sh in slide.shapes:
            if not sh.has_text_frame:
                continue
            for p in sh.text_frame.paragraphs:
                for r in p.runs:
                    if re.search(r"[\u4e00-\u9fff]", r.text):
                        rpr = r._r.find(f"{ns}rPr")
                        assert rpr.get("lang") == "zh-TW"
                        assert rpr.find(f"{ns}ea").get("typeface")
                        assert rpr.find(f"{ns}latin").get("typeface")
                        found += 1
    assert found >= 5


def test_pptx_liquid_is_evaluated_never_shown_raw(built: Built) -> None:
    prs = Presentation(str(built.pptx))
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert "{{" not in text and "{%" not in text
    assert re.search(r"This site was last updated \w+ \d\d, \d{4}\.", text)
    assert "<br>" not in text and "**" not in text


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.sections = 0
        self.srcs: list[str] = []
        self.hrefs: list[str] = []
        self.scripts: list[str] = []
        self.stylesheets: list[str] = []
        self.text: list[str] = []
        self.iframes = 0
        self.embeds: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section":
            self.sections += 1
        elif tag == "img":
            self.srcs.append(a.get("src") or "")
        elif tag == "a":
            self.hrefs.append(a.get("href") or "")
        elif tag == "script" and a.get("src"):
            self.scripts.append(a["src"] or "")
        elif tag == "link" and a.get("rel") == "stylesheet":
            self.stylesheets.append(a.get("href") or "")
        elif tag == "div" and a.get("data-embed"):
            self.embeds.append(a["data-embed"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_has_a_section_per_page_and_only_local_files(built: Built) -> None:
    page = _Page()
    page.feed(built.html.read_text("utf-8"))
    assert page.sections == built.result.pages
    folder = built.html.parent
    for ref in page.srcs + page.scripts + page.stylesheets:
        assert not ref.startswith(("http:", "https:", "//")), ref
        assert (folder / ref).is_file(), ref
    assert len(page.srcs) == 35
    assert "https://arxiv.org/abs/2303.18223" in page.hrefs
    assert any("youtube.com/embed/e0aKI2GGZNg" in e for e in page.embeds)


def test_html_text_is_escaped(built: Built) -> None:
    source = built.html.read_text("utf-8")
    assert "大型語言模型(&gt;10B)的時間軸" in source
    assert "<br>" in source  # line breaks are real breaks
    page = _Page()
    page.feed(source)
    text = "".join(page.text)
    assert "**" not in text and "{{" not in text


def test_cli_offline_with_an_empty_cache_makes_placeholders_and_says_so(
    tmp_path: Path, reveal_source: Path
) -> None:
    out = tmp_path / "out"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "deckgen",
            "build",
            str(LECTURE),
            "--offline",
            "--out",
            str(out),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--reveal-js",
            str(reveal_source),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert "offline" in proc.stdout
    assert "33 failed" in proc.stdout
    assert (out / "large-language-models.pptx").is_file()
    assert (out / "large-language-models" / "index.html").is_file()
    warnings = [line for line in proc.stderr.splitlines() if line.startswith("warning:") and "[A101]" not in line]
    # 33 pictures failing alike: one line with the count (-v lists each)
    assert len(warnings) == 1
    assert re.match(
        r"warning: \S+large-language-models\.md: 33 pictures unavailable: offline and not in the cache: "
        r"https?://\S+, https?://\S+, https?://\S+ \.\.\. \(-v lists all\) \[P101\]$",
        warnings[0],
    )
    prs = Presentation(str(out / "large-language-models.pptx"))
    text = "\n".join(sh.text_frame.text for s in prs.slides for sh in s.shapes if sh.has_text_frame)
    assert text.count("Image unavailable") == 30
