"""htmlconv: the raw HTML a post holds (<br>, <img>, <iframe>, <video>, <table>, ...) into the model."""

from __future__ import annotations

from pathlib import Path

import pytest

from deckgen.diagnostics import Diagnostics
from deckgen.model import (
    LINE_BREAK,
    BulletList,
    Code,
    Image,
    Paragraph,
    Run,
    Table,
    WidthHint,
    plain_text,
)
from deckgen.parse.flow import Flow
from deckgen.parse.htmlconv import HtmlConverter

POST = Path("post.md")
VID = "dQw4w9WgXcQ"  # a YouTube video id


class Converted:
    def __init__(self, html: str | list[tuple[str, int]], line: int = 1) -> None:
        self.diag = Diagnostics()
        self.flow = Flow(self.diag, POST, line)
        conv = HtmlConverter(self.flow, line)
        for fragment, at in [(html, line)] if isinstance(html, str) else html:
            conv.feed_at(fragment, at)
        conv.close()
        self.blocks = self.flow.finish()
        self.notes = self.flow.notes
        self.warnings = self.diag.warnings

    @property
    def placed(self) -> list[tuple[str, str | None, int | None]]:
        """The warnings as (code, file, line)."""
        return [(w.code, w.file, w.line) for w in self.warnings]

    @property
    def runs(self) -> tuple[Run, ...]:
        (para,) = self.blocks
        assert isinstance(para, Paragraph), self.blocks
        return para.runs

    @property
    def text(self) -> str:
        return plain_text(self.runs)


# ---------------------------------------------------------------------------
# inline HTML


@pytest.mark.parametrize("br", ["<br>", "<br/>", "<br />", "<BR>", "<Br >"])
def test_every_spelling_of_br_is_a_line_break(br: str) -> None:
    assert Converted(f"a{br}b").runs == (Run("a"), LINE_BREAK, Run("b"))


def test_entities_are_decoded() -> None:
    assert Converted("<p>A &amp; B &lt;i&gt; &#x4E2D;&#25991; &quot;q&quot; &hellip;</p>").text == (
        'A & B <i> 中文 "q" …'
    )


def test_whitespace_in_html_collapses_as_in_a_browser() -> None:
    assert Converted("<p>a\n   b\t c</p>").text == "a b c"


def test_style_tags_are_run_styles() -> None:
    runs = Converted("<p><b>b</b><strong>s</strong> <i>i</i><em>e</em> <del>d</del> <code>c</code></p>").runs
    assert runs == (
        Run("bs", bold=True),
        Run(" "),
        Run("ie", italic=True),
        Run(" "),
        Run("d", strike=True),
        Run(" "),
        Run("c", code=True),
    )


def test_a_link_keeps_its_target() -> None:
    assert Converted('<a href="https://a.org">A</a> b').runs == (Run("A", link="https://a.org"), Run(" b"))


def test_state_carries_across_fragments_of_one_paragraph() -> None:
    conv = Converted([("<b>", 1), ("</b>", 1)])
    assert conv.blocks == []
    flow = Flow(Diagnostics(), POST, 1)
    html = HtmlConverter(flow, 1)
    html.feed_at("<b>", 1)
    html.text("bold", 1)
    html.feed_at("</b>", 1)
    html.text(" plain", 1)
    html.close()
    assert flow.take_runs() == (Run("bold", bold=True), Run(" plain"))


# ---------------------------------------------------------------------------
# pictures and embeds


def test_an_img_keeps_src_width_and_alt() -> None:
    (img,) = Converted('<img src="https://x/a.png" width="50%" height="30%" alt="chart">').blocks
    assert img == Image("https://x/a.png", "chart", WidthHint(50, "%"), None, 1)


def test_an_img_inside_a_p_ends_the_text_before_it() -> None:
    blocks = Converted('<p>see<img src="https://x/a.png">after</p>').blocks
    assert [type(b) for b in blocks] == [Paragraph, Image, Paragraph]


def test_an_img_with_a_lazy_data_src_is_an_image() -> None:
    (img,) = Converted('<img data-src="https://x/lazy.png">').blocks
    assert img.url == "https://x/lazy.png"


def test_an_img_with_a_doubled_equals_is_understood_and_a_misspelt_width_ignored_as_browsers_do() -> None:
    (img,) = Converted('<img src=="https://x/a.png" widtih="10%">').blocks
    assert (img.url, img.width_hint) == ("https://x/a.png", None)


def test_an_img_without_src_is_dropped_with_a_warning() -> None:
    conv = Converted('<p>\n<img alt="x">\n</p>', line=10)
    assert conv.blocks == []
    assert conv.placed == [("M106", "post.md", 11)]


def test_an_img_inside_a_link_keeps_the_link() -> None:
    (img,) = Converted('<a href="https://page"><img src="https://x/t.png"></a>').blocks
    assert img.link == "https://page"


def test_an_img_pointing_at_youtube_or_a_video_is_an_embed() -> None:
    blocks = Converted(f'<img src="https://youtu.be/{VID}"><img src="https://x/v.webm">').blocks
    assert [(b.kind, b.url) for b in blocks] == [
        ("youtube", f"https://www.youtube.com/watch?v={VID}"),
        ("video", "https://x/v.webm"),
    ]


def test_an_iframe_keeps_title_and_size() -> None:
    (embed,) = Converted(
        f'<iframe width="940" height="528" src="https://www.youtube.com/embed/{VID}?start=5" '
        'title="Demo" frameborder="0" allowfullscreen></iframe>'
    ).blocks
    assert (embed.kind, embed.title, embed.width, embed.height) == ("youtube", "Demo", 940, 528)
    assert embed.embed_url == f"https://www.youtube.com/embed/{VID}?start=5"


def test_an_iframe_without_src_is_dropped_with_a_warning() -> None:
    conv = Converted("<iframe></iframe>", line=4)
    assert conv.blocks == []
    assert conv.placed == [("M107", "post.md", 4)]


def test_a_video_takes_its_url_from_a_source_and_its_poster() -> None:
    (embed,) = Converted(
        '<video controls poster="https://x/p.jpg" width="320" height="240">\n'
        '<source src="https://x/v.mp4" type="video/mp4">\nYour browser does not support video\n</video>'
    ).blocks
    assert (embed.kind, embed.url, embed.poster_url) == ("video", "https://x/v.mp4", "https://x/p.jpg")
    assert (embed.width, embed.height) == (320, 240)
    assert embed.title == ""  # the stock fallback line is no title


def test_a_video_with_a_src_attribute_is_a_video() -> None:
    (embed,) = Converted('<video src="https://x/v.mp4" controls></video>').blocks
    assert embed.url == "https://x/v.mp4"


def test_a_source_with_a_doubled_equals_is_understood() -> None:
    (embed,) = Converted('<video autoplay><source src=="http://x/synth.mp4"></video>').blocks
    assert embed.url == "http://x/synth.mp4"


def test_a_mistyped_src_tag_inside_a_video_gives_its_url() -> None:
    conv = Converted('<video controls><src="https://x/a%20b.mp4" type="video/mp4">Basket</video>')
    (embed,) = conv.blocks
    assert (embed.url, embed.title) == ("https://x/a%20b.mp4", "Basket")
    assert conv.warnings == ()


def test_markdown_text_inside_an_open_video_gives_the_url_and_title() -> None:
    flow = Flow(Diagnostics(), POST, 1)
    html = HtmlConverter(flow, 1)
    html.feed_at("<video controls>", 1)
    html.text('<source src=="https://x/v.mp4">Clip', 1)
    html.feed_at("</video>", 1)
    html.close()
    (embed,) = flow.finish()
    assert (embed.kind, embed.url, embed.title) == ("video", "https://x/v.mp4", "Clip")


def test_a_video_without_any_source_is_dropped_with_a_warning() -> None:
    conv = Converted("<video controls></video>", line=9)
    assert conv.blocks == []
    assert conv.placed == [("M110", "post.md", 9)]


def test_a_lone_source_is_a_video() -> None:
    (embed,) = Converted('<source src="https://x/v.webm">').blocks
    assert embed.kind == "video"


# ---------------------------------------------------------------------------
# tables


def test_an_html_table_has_header_cells_spans_links_breaks_and_entities() -> None:
    (table,) = Converted(
        "<table>\n<thead><tr><th>A</th><th colspan='2'>B</th></tr></thead>\n"
        "<tbody><tr><td rowspan=2><a href='https://l'>l</a></td><td>x<br>y</td><td>&lt;z&gt;</td></tr>\n"
        "<tr><td>p</td><td><b>q</b></td></tr></tbody>\n</table>"
    ).blocks
    assert isinstance(table, Table)
    assert table.header_rows == 1
    assert table.columns == 3
    assert [[plain_text(c.runs) for c in row] for row in table.rows] == [
        ["A", "B"],
        ["l", "x\ny", "<z>"],
        ["p", "q"],
    ]
    assert table.rows[0][1].colspan == 2
    assert table.rows[1][0].rowspan == 2
    assert table.rows[1][0].runs == (Run("l", link="https://l"),)
    assert table.rows[2][1].runs == (Run("q", bold=True),)


def test_a_table_of_pictures_side_by_side_becomes_the_pictures() -> None:
    blocks = Converted(
        '<table><tr><td><img src="https://x/1.png"></td><td><img src="https://x/2.png"></td></tr>'
        '<tr><td><img src="https://x/3.png"></td><td></td></tr></table>'
    ).blocks
    assert [b.url for b in blocks] == ["https://x/1.png", "https://x/2.png", "https://x/3.png"]


def test_pictures_in_a_table_with_text_follow_the_table() -> None:
    blocks = Converted(
        '<table><tr><td>Pose</td><td>Eye</td></tr><tr><td><img src="https://x/1.gif"></td>'
        '<td><img src="https://x/2.gif"></td></tr></table>'
    ).blocks
    assert isinstance(blocks[0], Table)
    assert [[plain_text(c.runs) for c in row] for row in blocks[0].rows] == [["Pose", "Eye"]]
    assert [type(b) for b in blocks[1:]] == [Image, Image]


def test_a_picture_beside_text_in_a_cell_follows_the_table() -> None:
    blocks = Converted('<table><tr><td>cap<img src="https://x/1.png"></td><td>b</td></tr></table>').blocks
    assert isinstance(blocks[0], Table)
    assert plain_text(blocks[0].rows[0][0].runs) == "cap"
    assert isinstance(blocks[1], Image)


def test_a_list_in_a_cell_becomes_lines_of_the_cell() -> None:
    (table,) = Converted("<table><tr><td><ul><li>x</li><li>y</li></ul></td></tr></table>").blocks
    assert plain_text(table.rows[0][0].runs) == "• x\n• y"


def test_text_between_cells_is_moved_after_the_table_with_a_warning() -> None:
    conv = Converted("<table><tr>stray<td>a</td></tr></table>")
    assert isinstance(conv.blocks[0], Table)
    assert plain_text(conv.blocks[1].runs) == "stray"
    assert [code for code, _, _ in conv.placed] == ["M109"]


def test_an_unclosed_table_is_still_a_table() -> None:
    (table,) = Converted("<table><tr><td>a<td>b").blocks
    assert [plain_text(c.runs) for c in table.rows[0]] == ["a", "b"]


# ---------------------------------------------------------------------------
# lists, headings, code


def test_an_html_list_keeps_levels_numbers_and_start() -> None:
    (lst,) = Converted(
        '<ul><li>a</li><li>b<ol start="3"><li>c</li><li>d</li></ol></li><li>e</li></ul>'
    ).blocks
    assert isinstance(lst, BulletList)
    assert [(plain_text(i.runs), i.level, i.ordered, i.number) for i in lst.items] == [
        ("a", 0, False, 1),
        ("b", 0, False, 2),
        ("c", 1, True, 3),
        ("d", 1, True, 4),
        ("e", 0, False, 3),
    ]


def test_list_items_without_closing_tags_are_items() -> None:
    (lst,) = Converted("<ol><li>one<li>two</ol>").blocks
    assert [(plain_text(i.runs), i.number) for i in lst.items] == [("one", 1), ("two", 2)]


def test_paragraphs_in_a_list_item_are_lines_of_the_item() -> None:
    (lst,) = Converted("<ul><li><p>a</p><p>b</p></li></ul>").blocks
    assert plain_text(lst.items[0].runs) == "a\nb"


def test_a_picture_in_a_list_item_follows_the_list() -> None:
    blocks = Converted('<ul><li>see <img src="https://x/a.png"> here</li><li>next</li></ul>').blocks
    assert isinstance(blocks[0], BulletList)
    assert [plain_text(i.runs) for i in blocks[0].items] == ["see here", "next"]
    assert isinstance(blocks[1], Image)


def test_an_html_heading_is_a_heading_block() -> None:
    (heading,) = Converted("<h3>Title <i>x</i></h3>").blocks
    assert (heading.level, plain_text(heading.runs)) == (3, "Title x")


def test_a_pre_is_a_code_block_with_its_spaces_and_language() -> None:
    (code,) = Converted(
        '<pre><code class="language-python">if a &lt; b:\n    print("<b>hi</b>")\n</code></pre>'
    ).blocks
    assert code == Code('if a < b:\n    print("hi")', "python", 1)


# ---------------------------------------------------------------------------
# comments, scripts, unknown tags, lines


def test_a_comment_is_a_note_and_not_shown() -> None:
    conv = Converted("<p>shown<!-- the note --></p>")
    assert conv.text == "shown"
    assert conv.notes == ["the note"]


def test_script_style_and_template_content_is_dropped() -> None:
    conv = Converted("<script>var x = '<b>';</script><style>p{}</style><template>t</template><p>ok</p>")
    assert conv.text == "ok"
    assert conv.warnings == ()


def test_an_unknown_tag_keeps_its_text_and_warns_once_with_its_line() -> None:
    conv = Converted("<p>first</p>\n<p>a <ve>b</ve> c</p>\n<p>after</p>", line=20)
    assert [plain_text(b.runs) for b in conv.blocks] == ["first", "a b c", "after"]
    assert conv.placed == [("M108", "post.md", 21)] and conv.warnings[0].get("tag") == "ve"


def test_common_transparent_tags_keep_their_text_silently() -> None:
    conv = Converted("<div><center><span><font>a</font></span> <u>b</u> <sup>c</sup></center></div>")
    assert conv.text == "a b c"
    assert conv.warnings == ()


def test_lines_follow_the_fragments_fed() -> None:
    conv = Converted([("<p>", 5), ("<ve>", 7), ("</p>\n<p>\n<ve>", 9)])
    assert conv.placed == [("M108", "post.md", 7), ("M108", "post.md", 11)]


def test_the_stock_no_video_support_text_is_not_a_video_title() -> None:
    (video,) = Converted(
        '<video controls><source src="https://x/v.mp4">Your browser does not support the video tag.</video>'
    ).blocks
    assert video.kind == "video" and video.title == ""


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("50%", WidthHint(50, "%")),
        ("600", WidthHint(600)),
        ("600px", WidthHint(600)),
        ("80.5PX", WidthHint(80.5)),
        (".5", WidthHint(0.5)),
        (" 40 % ", WidthHint(40, "%")),
        ("-50", None),
        ("0", None),
        ("abc", None),
        ("0%", None),
        ("nan", None),
        ("inf", None),
        ("1e3", None),
        ("50%%", None),
        ("1" + "0" * 400, None),  # a float that overflows is no width
    ],
)
def test_only_widths_a_browser_would_honour_are_kept(given: str, kept: WidthHint | None) -> None:
    (img,) = Converted(f'<img src="https://x/a.png" width="{given}">').blocks
    assert img.width_hint == kept
