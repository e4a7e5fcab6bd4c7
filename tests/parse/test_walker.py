"""parse: Markdown (with the HTML and Liquid a post holds) into slides, blocks and runs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from deckgen.diagnostics import Diagnostics
from deckgen.model import (
    BulletList,
    Code,
    Deck,
    Embed,
    Heading,
    Image,
    Meta,
    Paragraph,
    Quote,
    Run,
    Slide,
    Table,
    WidthHint,
    plain_text,
)
from deckgen.parse.walker import parse_deck, split_html_block
from deckgen.source import Source, read_post

POST = Path("post.md")


def parse(body: str, body_line: int = 1) -> tuple[Deck, Diagnostics]:
    diag = Diagnostics()
    src = Source(path=POST, meta=Meta(title="T"), front={}, body=body, body_line=body_line)
    return parse_deck(src, diag), diag


def slides(body: str) -> tuple[Slide, ...]:
    return parse(body)[0].slides


def one_slide(body: str) -> Slide:
    found = slides("---\n" + body)
    assert len(found) == 1, found
    return found[0]


def blocks(body: str) -> tuple:
    return one_slide(body).blocks


def runs_of(body: str) -> tuple[Run, ...]:
    (para,) = blocks(body)
    assert isinstance(para, Paragraph), para
    return para.runs


def text(runs: tuple[Run, ...]) -> str:
    return plain_text(runs)


def all_texts(deck: Deck) -> list[str]:
    """Every piece of text a viewer will see, block by block."""
    out: list[str] = []

    def add(block: object) -> None:
        if isinstance(block, (Paragraph, Heading)):
            out.append(text(block.runs))
        elif isinstance(block, BulletList):
            out.extend(text(i.runs) for i in block.items)
        elif isinstance(block, Quote):
            out.extend(text(p) for p in block.paragraphs)
        elif isinstance(block, Table):
            out.extend(text(c.runs) for row in block.rows for c in row)

    for block in deck.abstract:
        add(block)
    for slide in deck.slides:
        out.append(text(slide.title))
        for block in slide.blocks:
            add(block)
    return out


RAW_MARKUP = re.compile(r"<br|<td|<tr|<iframe|<img|<video|<source|\{\{|\{%|\*\*|!\[|</")


# ---------------------------------------------------------------------------
# slide breaks


def test_a_dash_line_under_text_is_a_slide_break_not_a_heading() -> None:
    deck, _ = parse("## One\ntext\n---\n## Two\n")
    assert [text(s.title) for s in deck.slides] == ["One", "Two"]
    assert deck.slides[0].blocks == (Paragraph((Run("text"),), 2),)


def test_star_and_underscore_lines_are_slide_breaks_too() -> None:
    assert [text(s.title) for s in slides("## A\n\n***\n## B\n\n___\n## C\n\n- - -\n## D\n")] == [
        "A",
        "B",
        "C",
        "D",
    ]


def test_a_dash_line_inside_fenced_code_does_not_split() -> None:
    (code,) = blocks("## S\n```yaml\n---\nkey: 1\n---\n```\n")
    assert isinstance(code, Code)
    assert code.text == "---\nkey: 1\n---"
    assert code.lang == "yaml"


def test_a_dash_item_in_a_list_does_not_split() -> None:
    (lst,) = blocks("## S\n* first\n* ---\n* last\n")
    assert isinstance(lst, BulletList)
    assert text(lst.items[0].runs) == "first"
    assert text(lst.items[-1].runs) == "last"


def test_a_dash_line_in_a_quote_does_not_split() -> None:
    slide = one_slide("## S\n> before\n> ---\n> after\n")
    (quote,) = slide.blocks
    assert isinstance(quote, Quote)
    assert [text(p) for p in quote.paragraphs] == ["before", "after"]


def test_an_indented_dash_line_is_code_and_does_not_split() -> None:
    (code,) = blocks("## S\n\n    ---\n")
    assert isinstance(code, Code)


def test_dash_lines_with_trailing_spaces_still_split() -> None:
    assert len(slides("---\n## A\n--- \n## B\n")) == 2


def test_h2_and_h3_become_slide_titles_with_their_level() -> None:
    two, three = slides("---\n## Two\nx\n---\n### Three\ny\n")
    assert (text(two.title), two.title_level) == ("Two", 2)
    assert (text(three.title), three.title_level) == ("Three", 3)
    assert [type(b) for b in two.blocks] == [Paragraph]


def test_an_h4_is_no_title_but_a_heading_block() -> None:
    slide = one_slide("#### Small\ntext\n")
    assert slide.title == ()
    assert isinstance(slide.blocks[0], Heading)
    assert slide.blocks[0].level == 4


def test_a_later_heading_stays_a_heading_block() -> None:
    slide = one_slide("## Title\n### Sub\ntext\n")
    assert text(slide.title) == "Title"
    assert isinstance(slide.blocks[0], Heading)
    assert text(slide.blocks[0].runs) == "Sub"


def test_a_title_keeps_its_link_and_formatting() -> None:
    slide = one_slide("### [LLaMA](https://x.org/llama) **new**\n")
    assert slide.title[0] == Run("LLaMA", link="https://x.org/llama")
    assert Run("new", bold=True) in slide.title


def test_short_plain_text_before_the_first_break_is_the_abstract() -> None:
    deck, _ = parse("\nIntroduction to *LLMs*.\n\n---\n## First\n")
    assert [text(b.runs) for b in deck.abstract] == ["Introduction to LLMs."]
    assert [text(s.title) for s in deck.slides] == ["First"]


def test_a_heading_before_the_first_break_is_a_slide_not_an_abstract() -> None:
    deck, _ = parse("## Opening\ntext\n\n---\n## Next\n")
    assert deck.abstract == ()
    assert [text(s.title) for s in deck.slides] == ["Opening", "Next"]


def test_long_text_before_the_first_break_is_a_slide() -> None:
    deck, _ = parse("word " * 200 + "\n\n---\n## Next\n")
    assert deck.abstract == ()
    assert len(deck.slides) == 2


def test_an_image_before_the_first_break_is_a_slide() -> None:
    deck, _ = parse("Intro\n\n![](https://x.org/a.png)\n\n---\n## Next\n")
    assert deck.abstract == ()
    assert isinstance(deck.slides[0].blocks[-1], Image)


def test_empty_slides_are_skipped_with_a_note() -> None:
    deck, diag = parse("---\n## A\n---\n\n---\n   \n---\n## B\n")
    assert [text(s.title) for s in deck.slides] == ["A", "B"]
    assert diag.codes() == ["M101", "M101"]
    assert diag.warnings == ()


def test_a_slide_with_only_a_comment_gives_its_note_to_the_slide_before() -> None:
    deck, _ = parse("---\n## A\n---\n<!-- say this -->\n---\n## B\n")
    assert [text(s.title) for s in deck.slides] == ["A", "B"]
    assert deck.slides[0].notes == "say this"


def test_slide_lines_are_the_lines_of_the_post(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text(
        "---\ntitle: T\n---\n\nAbstract.\n\n---\n## One\ntext\n\n---\n\n\n### Two\n- a\n- b\n",
        encoding="utf-8",
    )
    diag = Diagnostics()
    deck = parse_deck(read_post(path, dt.datetime(2024, 1, 1), diag), diag)
    one, two = deck.slides
    assert one.line == 8
    assert one.blocks[0].line == 9
    assert two.line == 14
    assert two.blocks[0].line == 15


def test_block_lines_after_a_multi_line_liquid_tag_are_right(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_text("---\ntitle: T\n---\n---\n{% include a\n  b=1 %}\n## S\n<ve>x</ve>\n", encoding="utf-8")
    diag = Diagnostics()
    deck = parse_deck(read_post(path, dt.datetime(2024, 1, 1), diag), diag)
    assert deck.slides[0].blocks[0].line == 8
    assert [(w.code, w.line) for w in diag.warnings] == [("S102", 5), ("M108", 8)]


# ---------------------------------------------------------------------------
# inline


def test_bold_italic_strike_and_code_are_run_styles() -> None:
    runs = runs_of("a **b** *c* ~~d~~ `e` ***f***\n")
    assert Run("b", bold=True) in runs
    assert Run("c", italic=True) in runs
    assert Run("d", strike=True) in runs
    assert Run("e", code=True) in runs
    assert Run("f", bold=True, italic=True) in runs
    assert text(runs) == "a b c d e f"


def test_a_link_is_a_run_with_its_target() -> None:
    runs = runs_of("see [the paper](https://arxiv.org/abs/1) now\n")
    assert runs == (Run("see "), Run("the paper", link="https://arxiv.org/abs/1"), Run(" now"))


def test_bold_inside_a_link_keeps_both() -> None:
    runs = runs_of("[**Open LLM**](https://hf.co/x)\n")
    assert runs == (Run("Open LLM", bold=True, link="https://hf.co/x"),)


def test_a_link_with_an_empty_target_keeps_its_text_without_a_link() -> None:
    runs = runs_of("**Paper:** [DyST: Dynamic Scenes]()\n")
    assert text(runs) == "Paper: DyST: Dynamic Scenes"
    assert all(r.link is None for r in runs)


def test_an_autolink_is_a_link() -> None:
    runs = runs_of("<https://example.org/x>\n")
    assert runs == (Run("https://example.org/x", link="https://example.org/x"),)


def test_a_link_whose_target_is_text_keeps_the_text_without_markup() -> None:
    deck, diag = parse("---\n**Paper**: [Fast: High-Fidelity Rendering](Fast: High-Fidelity Rendering)<br>\n")
    runs = deck.slides[0].blocks[0].runs
    assert text(runs) == "Paper: Fast: High-Fidelity Rendering"
    assert all(r.link is None for r in runs)
    assert [(w.code, w.file, w.line) for w in diag.warnings] == [("M103", "post.md", 2)]


def test_a_link_broken_over_two_lines_is_still_a_link() -> None:
    runs = runs_of("**Paper:** [Meta 3D AssetGen]\n(https://example.org/a.pdf)<br>\n")
    assert Run("Meta 3D AssetGen", link="https://example.org/a.pdf") in runs
    assert "](" not in text(runs) and "] (" not in text(runs)


def test_brackets_that_are_no_link_stay_text() -> None:
    runs = runs_of("a[0] (b) and FLUX.1 [pro] is fast [see below]\n(not a URL)\n")
    assert text(runs) == "a[0] (b) and FLUX.1 [pro] is fast [see below] (not a URL)"


def test_br_tags_in_all_spellings_are_line_breaks() -> None:
    runs = runs_of("a<br>b<br/>c<BR>d<br />e\n")
    assert text(runs) == "a\nb\nc\nd\ne"
    assert sum(r.is_break for r in runs) == 4


def test_a_br_at_the_end_of_each_line_gives_one_break_per_line() -> None:
    runs = runs_of("**Paper:** [P](https://p)<br>\n**Code:** [C](https://c)<br>\n")
    assert text(runs) == "Paper: P\nCode: C"


def test_a_trailing_backslash_is_a_hard_line_break() -> None:
    assert text(runs_of("a\\\nb\n")) == "a\nb"


def test_a_soft_line_break_is_a_space() -> None:
    assert text(runs_of("a\nb\n")) == "a b"


def test_html_entities_are_decoded() -> None:
    assert text(runs_of("A &amp; B &lt;tag&gt; &#x4E2D;&#25991; &copy; &nbsp;x\n")) == (
        "A & B <tag> 中文 © \u00a0x"
    )


def test_entities_inside_inline_html_are_decoded() -> None:
    assert text(runs_of("<b>R&amp;D &lt;3</b>\n")) == "R&D <3"


def test_zero_width_spaces_are_removed() -> None:
    slide = one_slide("## Tit\u200ble\nte\u200bxt\u200d\n")
    assert text(slide.title) == "Title"
    assert text(slide.blocks[0].runs) == "text"


def test_bare_dollar_signs_are_text() -> None:
    assert text(runs_of("Raised $2.6B and then $3B more\n")) == "Raised $2.6B and then $3B more"


def test_inline_html_styles_are_run_styles() -> None:
    runs = runs_of("<b>bold</b> <i>it</i> <code>x</code> <a href='https://a.org'>link</a>\n")
    assert Run("bold", bold=True) in runs
    assert Run("it", italic=True) in runs
    assert Run("x", code=True) in runs
    assert Run("link", link="https://a.org") in runs


def test_a_less_than_sign_that_is_no_tag_stays_text() -> None:
    assert text(runs_of("vector< vector> and a < b > c\n")) == "vector< vector> and a < b > c"


# ---------------------------------------------------------------------------
# lists


def test_nested_bullet_lists_keep_their_levels() -> None:
    (lst,) = blocks("* a\n  * b\n    * c\n* d\n")
    assert [(text(i.runs), i.level, i.ordered) for i in lst.items] == [
        ("a", 0, False),
        ("b", 1, False),
        ("c", 2, False),
        ("d", 0, False),
    ]


def test_numbered_lists_keep_their_numbers_and_start() -> None:
    (lst,) = blocks("3. three\n4. four\n   1. sub\n   2. sub2\n5. five\n")
    assert [(text(i.runs), i.level, i.ordered, i.number) for i in lst.items] == [
        ("three", 0, True, 3),
        ("four", 0, True, 4),
        ("sub", 1, True, 1),
        ("sub2", 1, True, 2),
        ("five", 0, True, 5),
    ]


def test_a_bullet_list_inside_a_numbered_list_is_unordered() -> None:
    (lst,) = blocks("1. one\n   - x\n2. two\n")
    assert [(i.level, i.ordered) for i in lst.items] == [(0, True), (1, False), (0, True)]


def test_list_items_keep_styles_links_and_line_breaks() -> None:
    (lst,) = blocks("* **Tool**: [site](https://s.org)<br>more\n")
    runs = lst.items[0].runs
    assert Run("Tool", bold=True) in runs
    assert Run("site", link="https://s.org") in runs
    assert text(runs) == "Tool: site\nmore"


def test_an_image_in_a_list_item_follows_the_list() -> None:
    found = blocks("* item\n![](https://x.org/a.png)\n* next\n")
    assert isinstance(found[0], BulletList)
    assert [text(i.runs) for i in found[0].items] == ["item", "next"]
    assert isinstance(found[1], Image)


def test_a_code_block_in_a_list_item_follows_the_list() -> None:
    found = blocks("* run this:\n\n  ```bash\n  ls\n  ```\n* done\n")
    assert isinstance(found[0], BulletList)
    assert found[1] == Code("ls", "bash", found[1].line)


# ---------------------------------------------------------------------------
# images and embeds


def test_a_markdown_image_is_an_image_block_with_its_alt_text() -> None:
    (img,) = blocks("![a *chart*](https://x.org/c.png)\n")
    assert img == Image("https://x.org/c.png", "a chart", None, None, 2)


def test_an_html_image_keeps_src_width_height_and_alt() -> None:
    (img,) = blocks('<img src="https://x.org/a.png" width="50%" height="40%" alt="A">\n')
    assert (img.url, img.width_hint, img.description) == ("https://x.org/a.png", WidthHint(50, "%"), "A")


def test_an_html_image_inside_a_p_is_an_image() -> None:
    found = blocks('<p><img width="50%" height="50%" src="https://x.org/a.png"></p>\n### Next\n')
    assert isinstance(found[0], Image)
    assert found[0].width_hint == WidthHint(50, "%")
    assert isinstance(found[1], Heading)


def test_a_misspelt_width_attribute_is_ignored_as_the_browser_ignored_it() -> None:
    (img,) = blocks('<img src="https://x.org/a.png" widtih="600">\n')
    assert img.width_hint is None


def test_an_image_inside_a_link_keeps_the_link() -> None:
    (img,) = blocks("[![](https://x.org/thumb.png)](https://x.org/page)\n")
    assert isinstance(img, Image)
    assert img.link == "https://x.org/page"


def test_an_html_image_inside_an_html_link_keeps_the_link() -> None:
    (img,) = blocks('<a href="https://x.org/page"><img src="https://x.org/t.png"></a>\n')
    assert img.link == "https://x.org/page"


def test_text_around_an_image_stays_in_order() -> None:
    found = blocks("before<br>\n![](https://x.org/a.png)\nafter\n")
    assert [type(b) for b in found] == [Paragraph, Image, Paragraph]
    assert text(found[0].runs) == "before"
    assert text(found[2].runs) == "after"


def yt(block: object) -> tuple[str, str, str]:
    assert isinstance(block, Embed), block
    return block.kind, block.url, block.embed_url


def test_a_youtube_iframe_is_a_youtube_embed() -> None:
    (emb,) = blocks(
        '<iframe width="640" height="360" src="https://www.youtube.com/embed/e0aKI2GGZNg" '
        'title="Chat GPT" frameborder="0" allowfullscreen></iframe>\n'
    )
    assert yt(emb) == (
        "youtube",
        "https://www.youtube.com/watch?v=e0aKI2GGZNg",
        "https://www.youtube.com/embed/e0aKI2GGZNg",
    )
    assert (emb.title, emb.width, emb.height) == ("Chat GPT", 640, 360)
    assert emb.poster_url == "https://img.youtube.com/vi/e0aKI2GGZNg/hqdefault.jpg"


def test_an_iframe_after_text_without_a_blank_line_is_an_embed_and_the_text_stays() -> None:
    found = blocks('**Blog:** [B](https://b.org)<br>\n<iframe src="https://youtu.be/abcdefghijk"></iframe>\n')
    assert text(found[0].runs) == "Blog: B"
    assert yt(found[1])[0] == "youtube"


def test_a_non_youtube_iframe_is_an_iframe_embed() -> None:
    (emb,) = blocks('<iframe src="https://player.vimeo.com/video/1"></iframe>\n')
    assert emb.kind == "iframe"
    assert emb.url == "https://player.vimeo.com/video/1"


def test_a_video_with_a_source_is_a_video_embed() -> None:
    (emb,) = blocks(
        '<video autoplay muted width="50%">\n  <source src="https://x.org/v.mp4" type="video/mp4">\n'
        "Your browser does not support video\n</video>\n"
    )
    assert (emb.kind, emb.url) == ("video", "https://x.org/v.mp4")


def test_a_video_with_a_doubled_equals_source_inside_a_paragraph_is_a_video_embed() -> None:
    deck, diag = parse('---\nSome text.\n<video autoplay><source src=="http://x.org/synth.mp4"></video>\n')
    found = deck.slides[0].blocks
    assert text(found[0].runs) == "Some text."
    assert (found[1].kind, found[1].url) == ("video", "http://x.org/synth.mp4")
    assert diag.warnings == ()


def test_a_video_with_a_mistyped_src_tag_is_a_video_embed_with_its_title() -> None:
    deck, diag = parse(
        "---\n**Paper:** [P](https://p.org)<br>\n"
        '<video width="320" height="240" controls><src="https://x.org/a%20b.mp4" type="video/mp4">'
        "Basket Ball</video>\n"
    )
    found = deck.slides[0].blocks
    assert text(found[0].runs) == "Paper: P"
    assert (found[1].kind, found[1].url, found[1].title) == (
        "video",
        "https://x.org/a%20b.mp4",
        "Basket Ball",
    )
    assert (found[1].width, found[1].height) == (320, 240)
    assert diag.warnings == ()


def test_a_video_block_with_a_mistyped_src_tag_is_a_video_embed() -> None:
    (emb,) = blocks('<video controls><src="https://x.org/a.mp4"></video>\n')
    assert (emb.kind, emb.url) == ("video", "https://x.org/a.mp4")


def test_video_files_used_as_markdown_images_are_video_embeds() -> None:
    found = blocks("![](https://x.org/a.mp4)\n![](https://x.org/b.webm)\n")
    assert [(b.kind, b.url) for b in found] == [
        ("video", "https://x.org/a.mp4"),
        ("video", "https://x.org/b.webm"),
    ]


def test_a_youtube_link_used_as_a_markdown_image_is_a_youtube_embed() -> None:
    (emb,) = blocks("![demo](https://youtu.be/dQw4w9WgXcQ?t=42)\n")
    assert yt(emb) == (
        "youtube",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://www.youtube.com/embed/dQw4w9WgXcQ?start=42",
    )


def test_an_iframe_given_as_an_image_destination_is_an_embed() -> None:
    deck, diag = parse(
        '---\n![](<iframe width="560" height="315" src="https://www.youtube.com/embed/abcdefghijk" '
        'title="YouTube" frameborder="0" allowfullscreen></iframe>)\n'
    )
    (emb,) = deck.slides[0].blocks
    assert yt(emb)[2] == "https://www.youtube.com/embed/abcdefghijk"
    assert diag.warnings == ()


def test_an_image_without_a_url_is_dropped_with_a_warning_and_its_alt_kept() -> None:
    deck, diag = parse("---\n![the alt]()\n")
    assert text(deck.slides[0].blocks[0].runs) == "the alt"
    assert [(w.code, w.file, w.line) for w in diag.warnings] == [("M105", "post.md", 2)]


# ---------------------------------------------------------------------------
# tables


def test_a_pipe_table_is_a_table_with_a_header_row() -> None:
    (table,) = blocks("| Model | Size |\n|---|---:|\n| **LLaMA** | 7B |\n| [GPT](https://g.org) | ? |\n")
    assert isinstance(table, Table)
    assert table.header_rows == 1
    assert [[text(c.runs) for c in row] for row in table.rows] == [
        ["Model", "Size"],
        ["LLaMA", "7B"],
        ["GPT", "?"],
    ]
    assert table.rows[0][0].header
    assert table.rows[1][0].runs == (Run("LLaMA", bold=True),)
    assert table.rows[2][0].runs == (Run("GPT", link="https://g.org"),)


def test_a_pipe_table_cell_with_br_and_an_image_keeps_the_text_and_moves_the_image_after() -> None:
    found = blocks("| a | b |\n|---|---|\n| x<br>y | ![](https://x.org/i.png) |\n")
    assert isinstance(found[0], Table)
    assert text(found[0].rows[1][0].runs) == "x\ny"
    assert isinstance(found[1], Image)


def test_an_html_table_keeps_headers_spans_links_and_breaks() -> None:
    (table,) = blocks(
        '<table>\n<tr><th>Name</th><th colspan="2">Links</th></tr>\n'
        '<tr><td rowspan="2">A &amp; B</td><td><a href="https://a.org">a</a></td><td>x<br>y</td></tr>\n'
        "<tr><td>c</td><td>d</td></tr>\n</table>\n"
    )
    assert table.header_rows == 1
    assert table.columns == 3
    head, row1, row2 = table.rows
    assert [c.header for c in head] == [True, True]
    assert head[1].colspan == 2
    assert row1[0].rowspan == 2
    assert text(row1[0].runs) == "A & B"
    assert row1[1].runs == (Run("a", link="https://a.org"),)
    assert text(row1[2].runs) == "x\ny"
    assert [text(c.runs) for c in row2] == ["c", "d"]


def test_a_table_whose_cells_only_hold_images_becomes_the_images() -> None:
    found = blocks(
        "<table>\n<tr>\n"
        '<td><img src="https://x.org/1.png"></td>\n<td><img src="https://x.org/2.png"></td>\n'
        "</tr>\n</table>\n"
    )
    assert [type(b) for b in found] == [Image, Image]
    assert [b.url for b in found] == ["https://x.org/1.png", "https://x.org/2.png"]


def test_a_table_of_labels_over_images_keeps_the_labels_and_the_images_and_no_empty_row() -> None:
    found = blocks(
        "<table>\n<tr><td>Pose</td><td>Mouth</td></tr>\n"
        '<tr><td><img src="https://x.org/1.gif"></td><td><img src="https://x.org/2.gif"></td></tr>\n'
        "</table>\n"
    )
    table = found[0]
    assert isinstance(table, Table)
    assert [[text(c.runs) for c in row] for row in table.rows] == [["Pose", "Mouth"]]
    assert [b.url for b in found[1:]] == ["https://x.org/1.gif", "https://x.org/2.gif"]


def test_markdown_after_an_html_table_without_a_blank_line_is_markdown() -> None:
    found = blocks("<table>\n<tr><td>a</td></tr>\n</table>\n**Code:** [c](https://c.org)\n")
    assert isinstance(found[0], Table)
    assert found[1].runs[0] == Run("Code:", bold=True)
    assert Run("c", link="https://c.org") in found[1].runs


# ---------------------------------------------------------------------------
# code, quotes, comments, unknown HTML


def test_fenced_code_keeps_its_language_and_text() -> None:
    (code,) = blocks("```python\nif x:\n    print('<b>**{{x}}**</b>')\n```\n")
    assert code.lang == "python"
    assert code.text == "if x:\n    print('<b>**{{x}}**</b>')"


def test_fenced_code_without_a_language_has_an_empty_language() -> None:
    (code,) = blocks("```\npip install x\n```\n")
    assert (code.lang, code.text) == ("", "pip install x")


def test_a_block_quote_is_a_quote_of_paragraphs() -> None:
    (quote,) = blocks("> first *line*\n>\n> second\n")
    assert isinstance(quote, Quote)
    assert quote.paragraphs[0] == (Run("first "), Run("line", italic=True))
    assert text(quote.paragraphs[1]) == "second"


def test_an_html_comment_becomes_a_slide_note_and_is_not_shown() -> None:
    slide = one_slide("## S\ntext\n\n<!-- remember\nthe demo -->\n")
    assert slide.notes == "remember\nthe demo"
    assert [text(b.runs) for b in slide.blocks] == ["text"]


def test_an_inline_html_comment_becomes_a_note() -> None:
    slide = one_slide("## S\nshown <!-- hidden --> too\n")
    assert slide.notes == "hidden"
    assert text(slide.blocks[0].runs) == "shown too"


def test_an_unknown_tag_keeps_its_text_with_one_warning_and_nothing_after_it_is_lost() -> None:
    deck, diag = parse("---\n## S\nbefore <ve>odd</ve> after\n\n- item\n\nlast line\n")
    slide = deck.slides[0]
    assert text(slide.blocks[0].runs) == "before odd after"
    assert text(slide.blocks[1].items[0].runs) == "item"
    assert text(slide.blocks[2].runs) == "last line"
    assert [(w.code, w.file, w.line, w.get("tag")) for w in diag.warnings] == [("M108", "post.md", 3, "ve")]


def test_an_unknown_block_tag_warns_once_and_keeps_the_rest_of_the_slide() -> None:
    deck, diag = parse("---\n## S\n<ve>\ninside\n</ve>\n\nafter\n")
    assert [text(b.runs) for b in deck.slides[0].blocks] == ["inside", "after"]
    assert [(w.code, w.line) for w in diag.warnings] == [("M108", 3)]


def test_script_and_style_content_is_dropped() -> None:
    found = blocks("<script>alert('x')</script>\n\n<style>p { color: red }</style>\n\nshown\n")
    assert [text(b.runs) for b in found] == ["shown"]


def test_inline_script_content_is_dropped() -> None:
    assert text(runs_of("a <script>var x = 1;</script> b\n")) == "a b"


# ---------------------------------------------------------------------------
# HTML blocks followed by Markdown


def test_markdown_lines_right_under_an_html_block_are_parsed_as_markdown() -> None:
    found = blocks(
        '<iframe src="https://www.youtube.com/embed/abcdefghijk"></iframe>\n'
        "**Paper:** [P](https://p.org)<br>\n"
        "![](https://x.org/a.png)\n"
    )
    assert yt(found[0])[0] == "youtube"
    assert found[1].runs[0] == Run("Paper:", bold=True)
    assert isinstance(found[2], Image)


def test_markdown_under_an_html_block_keeps_its_line_numbers() -> None:
    found = blocks("<p>html</p>\ntext **b**\n\n## H\n")
    assert [b.line for b in found] == [2, 3, 5]


def test_split_html_block_cuts_after_the_closing_tag() -> None:
    html, md, offset = split_html_block("<table>\n<tr><td>a</td></tr>\n</table>\n**b**\nc\n")
    assert html == "<table>\n<tr><td>a</td></tr>\n</table>\n"
    assert md == "**b**\nc\n"
    assert offset == 3


def test_split_html_block_keeps_an_open_block_whole() -> None:
    content = "<div>\ntext\n</div>\n"
    assert split_html_block(content) == (content, "", 0)


def test_split_html_block_does_not_cut_inside_a_comment() -> None:
    content = "<!-- a\n**not markdown**\n-->\n"
    assert split_html_block(content)[1] == ""


# ---------------------------------------------------------------------------
# the whole thing


def test_nothing_raw_is_left_in_the_text_of_a_mixed_post() -> None:
    deck, diag = parse(
        "Abstract.\n\n---\n## A &amp; B\n**Paper:** [P](https://p.org)<br>\n"
        '<img src="https://x.org/a.png" width="50%">\n'
        "<table><tr><td>x<br>y</td><td><b>z</b></td></tr></table>\n\n"
        "* item<br>two\n  * sub\n\n"
        '<video controls><source src=="https://x.org/v.mp4"></video>\n\n'
        "> quote <i>it</i>\n\n"
        "text <ve>kept</ve> end\n"
    )
    for piece in all_texts(deck):
        assert not RAW_MARKUP.search(piece), piece
    assert [(w.code, w.get("tag")) for w in diag.warnings] == [("M108", "ve")]


def test_an_autolink_right_under_an_html_block_is_a_link() -> None:
    found = blocks('<iframe src="https://youtu.be/abcdefghijk"></iframe>\n<https://a.org/x>\n')
    assert yt(found[0])[0] == "youtube"
    assert found[1].runs == (Run("https://a.org/x", link="https://a.org/x"),)


def test_html_lines_right_under_an_html_block_stay_html() -> None:
    html, md, _ = split_html_block("<iframe></iframe>\n<br>\n<!-- c -->\n**md**\n")
    assert html == "<iframe></iframe>\n<br>\n<!-- c -->\n"
    assert md == "**md**\n"


def test_a_link_to_a_video_file_keeps_its_text_and_also_plays_as_a_video() -> None:
    found = blocks("Watch [the demo](https://x.org/demo.mp4) now\n")
    assert isinstance(found[0], Paragraph)
    assert "the demo" in "".join(r.text for r in found[0].runs)
    assert isinstance(found[1], Embed) and found[1].kind == "video" and found[1].url == "https://x.org/demo.mp4"


def test_the_front_matter_description_is_the_abstract_when_the_post_has_none(tmp_path) -> None:
    import datetime as dt

    from deckgen.diagnostics import Diagnostics
    from deckgen.parse import parse_deck
    from deckgen.source import read_post

    post = tmp_path / "p.md"
    post.write_text("---\ntitle: T\ndescription: What this lecture covers.\n---\n## First\nx\n", "utf-8")
    deck = parse_deck(read_post(post, dt.datetime(2024, 1, 1), Diagnostics()), Diagnostics())
    assert [r.text for b in deck.abstract for r in b.runs] == ["What this lecture covers."]
