"""Real-post constructs, end to end on small posts the tests write: what reaches both decks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Services, build_post
from support.localdeck import LocalFetcher
from support.wordcheck import slide_texts

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}


def build(tmp_path: Path, body: str, server, reveal: Path):  # noqa: ANN001, ANN201
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: Constructs\nauthor: T\n---\n\n" + body, "utf-8")
    options = BuildOptions(out_dir=tmp_path / "out", reveal_js=reveal, pictures=AssetOptions(cache_dir=tmp_path / "cache"))
    result = build_post(post, options, Services(fetcher=LocalFetcher(server)))
    prs = Presentation(str(tmp_path / "out" / "post.pptx"))
    html = (tmp_path / "out" / "post" / "index.html").read_text("utf-8")
    return result, prs, html


def all_text(prs: Presentation) -> str:
    return "\n".join(slide_texts(prs))


def test_code_is_highlighted_colored_runs_in_pptx_css_classes_in_html(
    tmp_path, image_server, reveal_source
) -> None:
    body = "---\n## Code\n```python\nimport cv2\nprint('hi')  # say hi\n```\n\n---\n## Guess\n```\nimport numpy as np\n```\n"
    _, prs, html = build(tmp_path, body, image_server, reveal_source)
    code_runs = [
        r
        for s in prs.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
        if r.text == "import"
    ]
    assert len(code_runs) == 2  # the language was guessed for the fence without one
    for run in code_runs:
        assert run.font.color.rgb is not None
        assert run._r.find("a:rPr/a:latin", NS).get("typeface") in ("Consolas", "Menlo", "Liberation Mono")
    assert '<span class="kn">import</span>' in html
    css = (tmp_path / "out" / "post" / "theme.css").read_text("utf-8")
    assert ".dg-code .kn" in css
    assert "<script" not in html.split("<pre", 1)[1].split("</pre>", 1)[0]


@pytest.mark.parametrize(
    "embed",
    [
        '<iframe width="560" height="315" src="https://www.youtube.com/embed/AbCdEfGhIj1?start=30"></iframe>',
        "![](https://youtu.be/AbCdEfGhIj1?t=30)",
        "[![](https://img.youtube.com/vi/AbCdEfGhIj1/hqdefault.jpg)](https://www.youtube.com/watch?v=AbCdEfGhIj1&t=30s)",
    ],
)
def test_youtube_in_any_form_is_a_linked_thumbnail_in_pptx_and_a_lazy_embed_in_html(
    tmp_path, image_server, reveal_source, embed
) -> None:
    result, prs, html = build(tmp_path, f"---\n## Video\n{embed}\n", image_server, reveal_source)
    assert result.images.failed == 0
    pics = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pics) == 1
    assert pics[0].click_action.hyperlink.address.startswith("https://www.youtube.com/watch?v=AbCdEfGhIj1")
    if "iframe" in embed or "youtu.be" in embed:
        # the live player loads only when asked for: no request when the deck opens offline
        assert "youtube.com/embed/AbCdEfGhIj1?start=30" in html
        assert "<iframe" not in re.sub(r'data-embed="[^"]*"', "", html)


def test_video_files_play_in_html_and_are_linked_in_pptx(tmp_path, image_server, reveal_source) -> None:
    body = (
        '---\n## Clip\n<video controls width="320"><source src="https://x.org/clip.mp4"></video>\n\n'
        "Watch [the webm](https://x.org/b.webm)\n"
    )
    _, prs, html = build(tmp_path, body, image_server, reveal_source)
    assert "&lt;video src=&quot;https://x.org/clip.mp4&quot;" in html  # the player, loaded on click
    assert "https://x.org/b.webm" in html
    links = {
        r.hyperlink.address
        for s in prs.slides
        for sh in s.shapes
        if sh.has_text_frame
        for p in sh.text_frame.paragraphs
        for r in p.runs
        if r.hyperlink.address
    }
    assert {"https://x.org/clip.mp4", "https://x.org/b.webm"} <= links


def test_animated_gifs_stay_animated_in_both_decks(tmp_path, image_server, reveal_source) -> None:
    from io import BytesIO

    from PIL import Image

    body = (
        f"---\n## Anim\n![]({image_server.url('img/anim.gif')})\n![]({image_server.url('img/anim.webp')})\n"
    )
    _, prs, html = build(tmp_path, body, image_server, reveal_source)
    pics = [sh for s in prs.slides for sh in s.shapes if sh.shape_type == 13]
    assert len(pics) == 2
    for pic in pics:
        assert pic.image.content_type == "image/gif"
        assert Image.open(BytesIO(pic.image.blob)).n_frames > 1
    for src in re.findall(r'<img src="(assets/[^"]+)"', html):
        with Image.open(tmp_path / "out" / "post" / src) as shown:
            assert shown.n_frames > 1


def test_html_tables_become_real_tables_with_merged_cells(tmp_path, image_server, reveal_source) -> None:
    body = (
        '---\n## Table\n<table>\n<tr><th>Model</th><th colspan="2">Scores</th></tr>\n'
        '<tr><td rowspan="2">GPT<br>4</td><td><a href="https://x.org">a</a></td><td>b</td></tr>\n'
        "<tr><td>c</td><td>d</td></tr>\n</table>\n\n| x | y |\n|---|---|\n| 1 | **2** |\n"
    )
    _, prs, html = build(tmp_path, body, image_server, reveal_source)
    tables = [sh.table for s in prs.slides for sh in s.shapes if sh.has_table]
    assert len(tables) == 2
    t = tables[0]
    assert t.cell(0, 1).is_merge_origin and t.cell(0, 1).span_width == 2
    assert t.cell(1, 0).is_merge_origin and t.cell(1, 0).span_height == 2
    assert t.cell(1, 0).text.replace("\v", "\n") == "GPT\n4"
    runs = t.cell(1, 1).text_frame.paragraphs[0].runs
    assert [r.hyperlink.address for r in runs if r.text == "a"] == ["https://x.org"]
    assert tables[1].cell(1, 1).text == "2"
    assert '<th colspan="2">' in html and '<td rowspan="2">' in html


def test_a_wide_table_fits_the_slide(tmp_path, image_server, reveal_source) -> None:
    header = "| " + " | ".join(f"column {i}" for i in range(9)) + " |\n|" + "---|" * 9 + "\n"
    rows = "".join(
        "| " + " | ".join(f"value {r}-{c} long words here" for c in range(9)) + " |\n" for r in range(12)
    )
    _, prs, _ = build(tmp_path, "---\n## Wide\n" + header + rows, image_server, reveal_source)
    tables = [(s, sh) for s in prs.slides for sh in s.shapes if sh.has_table]
    assert len(tables) >= 2  # split by rows, the header repeated
    for _slide, sh in tables:
        assert sh.left + sh.width <= prs.slide_width and sh.top + sh.height <= prs.slide_height
        assert sh.table.cell(0, 0).text == "column 0"
        for cell in (sh.table.cell(1, 0),):
            assert cell.text_frame.paragraphs[0].runs[0].font.size.pt >= 14


def test_dollar_signs_are_prices_and_odd_constructs_lose_no_words(
    tmp_path, image_server, reveal_source
) -> None:
    body = (
        "---\n## Odd\u200b one\nRevenue $2.6B and $3 each<br>\n[empty target]()<br>\n<ve>stray tag text</ve><br>\n"
        "after the stray tag\n\n---\n\n---\n## Next\nstill here\n"
    )
    result, prs, html = build(tmp_path, body, image_server, reveal_source)
    text = all_text(prs)
    for phrase in (
        "Revenue $2.6B and $3 each",
        "empty target",
        "stray tag text",
        "after the stray tag",
        "Odd one",
    ):
        assert phrase in text
    assert "\u200b" not in text
    assert [w.get("tag") for w in result.warnings if w.code == "M108"] == ["ve"]
    assert "still here" in text
    assert "$2.6B" in html
