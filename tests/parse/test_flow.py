"""flow: the run and block collector both the Markdown walker and the HTML converter write into."""

from __future__ import annotations

from pathlib import Path

from deckgen.diagnostics import Diagnostics
from deckgen.model import (
    LINE_BREAK,
    BulletList,
    Code,
    Heading,
    Image,
    ListItem,
    Paragraph,
    Quote,
    Run,
    Table,
    plain_text,
)
from deckgen.parse.flow import Flow, blocks_to_runs, clean_text, merge_runs, trim_runs


def new_flow(line: int = 1) -> Flow:
    return Flow(Diagnostics(), Path("post.md"), line)


def test_zero_width_characters_are_removed_but_no_break_spaces_stay() -> None:
    assert clean_text("a\u200bb\u200c\u200dc\u2060d\ufeffe\u00adf\u00a0g") == "abcdef\u00a0g"


def test_neighbouring_runs_of_one_style_are_merged() -> None:
    runs = merge_runs([Run("a"), Run("b"), Run("c", bold=True), Run("d", bold=True), Run("e")])
    assert runs == (Run("ab"), Run("cd", bold=True), Run("e"))


def test_runs_with_different_links_are_not_merged() -> None:
    runs = merge_runs([Run("a", link="x"), Run("b", link="y")])
    assert len(runs) == 2


def test_line_breaks_are_never_merged_and_empty_runs_are_dropped() -> None:
    assert merge_runs([Run(""), LINE_BREAK, LINE_BREAK, Run("x")]) == (LINE_BREAK, LINE_BREAK, Run("x"))


def test_trimming_strips_blanks_and_breaks_at_both_ends() -> None:
    assert trim_runs((LINE_BREAK, Run("  "), Run(" a "), Run("b  "), LINE_BREAK)) == (Run("a b"),)


def test_trimming_strips_blanks_around_inner_line_breaks() -> None:
    assert trim_runs((Run("a "), LINE_BREAK, Run(" b"))) == (Run("a"), LINE_BREAK, Run("b"))


def test_trimming_keeps_code_spaces() -> None:
    assert trim_runs((Run("  x  ", code=True),)) == (Run("  x  ", code=True),)


def test_more_than_two_line_breaks_in_a_row_become_two() -> None:
    runs = trim_runs((Run("a"), LINE_BREAK, LINE_BREAK, LINE_BREAK, LINE_BREAK, Run("b")))
    assert runs == (Run("a"), LINE_BREAK, LINE_BREAK, Run("b"))


def test_nothing_but_blanks_trims_to_nothing() -> None:
    assert trim_runs((Run(" "), LINE_BREAK, Run("\t"))) == ()


def test_text_takes_the_styles_pushed_so_far() -> None:
    flow = new_flow()
    flow.text("a")
    flow.push("bold")
    flow.text("b")
    flow.push("italic")
    flow.text("c")
    flow.pop("bold")
    flow.text("d")
    flow.pop("italic")
    flow.text("e")
    assert flow.take_runs() == (
        Run("a"),
        Run("b", bold=True),
        Run("c", bold=True, italic=True),
        Run("d", italic=True),
        Run("e"),
    )


def test_nested_pushes_of_one_style_need_as_many_pops() -> None:
    flow = new_flow()
    flow.push("bold")
    flow.push("bold")
    flow.pop("bold")
    flow.text("x")
    assert flow.take_runs() == (Run("x", bold=True),)


def test_a_pop_without_a_push_is_harmless() -> None:
    flow = new_flow()
    flow.pop("strike")
    flow.text("x")
    assert flow.take_runs() == (Run("x"),)


def test_text_inside_a_link_carries_its_target() -> None:
    flow = new_flow()
    flow.open_link(" https://a.org ")
    flow.text("in")
    flow.close_link()
    flow.text(" out")
    assert flow.take_runs() == (Run("in", link="https://a.org"), Run(" out"))


def test_a_link_with_an_empty_target_is_no_link() -> None:
    flow = new_flow()
    flow.open_link("")
    flow.text("x")
    assert flow.in_link is None
    flow.close_link()
    flow.close_link()  # one close too many is harmless
    assert flow.take_runs() == (Run("x"),)


def test_collapsed_text_has_single_spaces() -> None:
    flow = new_flow()
    flow.text("a \n\t b", collapse=True)
    assert flow.take_runs() == (Run("a b"),)


def test_runs_of_spaces_become_one_space_even_across_pieces_but_not_in_code() -> None:
    flow = new_flow()
    flow.text("a   b ")
    flow.text(" c")
    flow.push("code")
    flow.text("  x  ")
    flow.pop("code")
    assert flow.take_runs() == (Run("a b c"), Run("  x  ", code=True))


def test_zero_width_spaces_never_reach_a_run() -> None:
    flow = new_flow()
    flow.text("\u200b")
    flow.text("a\u200bb")
    assert flow.take_runs() == (Run("ab"),)


def test_end_paragraph_makes_a_paragraph_at_the_line_of_its_first_text() -> None:
    flow = new_flow(3)
    flow.line = 5
    flow.text("a")
    flow.line = 6
    flow.text(" b")
    flow.end_paragraph()
    assert flow.blocks == [Paragraph((Run("a b"),), 5)]


def test_an_empty_paragraph_is_no_block() -> None:
    flow = new_flow()
    flow.text("  ")
    flow.line_break()
    flow.end_paragraph()
    assert flow.blocks == []


def test_a_soft_break_never_doubles_a_line_break_nor_starts_the_text() -> None:
    flow = new_flow()
    flow.soft_break()
    flow.text("a")
    flow.soft_break()
    flow.soft_break()
    flow.text("b")
    assert flow.take_runs() == (Run("a"), LINE_BREAK, Run("b"))


def test_a_block_ends_the_paragraph_before_it() -> None:
    flow = new_flow()
    flow.text("before")
    flow.add_block(Code("x"))
    flow.text("after")
    assert [type(b) for b in flow.finish()] == [Paragraph, Code, Paragraph]


def test_an_image_inside_a_link_takes_the_link() -> None:
    flow = new_flow()
    flow.open_link("https://page")
    flow.add_image(Image("https://x/a.png"))
    flow.close_link()
    flow.add_image(Image("https://x/b.png"))
    assert [b.link for b in flow.finish()] == ["https://page", None]


def test_an_image_keeps_its_own_link() -> None:
    flow = new_flow()
    flow.open_link("https://outer")
    assert flow.linked(Image("u", link="https://own")).link == "https://own"


def test_notes_are_kept_stripped_and_blank_ones_dropped() -> None:
    flow = new_flow()
    flow.note("  say this \n")
    flow.note("   ")
    assert flow.notes == ["say this"]


def test_blocks_in_a_text_container_become_lines_and_the_rest_is_set_apart() -> None:
    image = Image("https://x/a.png")
    runs, apart = blocks_to_runs(
        [
            Paragraph((Run("p"),)),
            Heading(3, (Run("h", bold=True),)),
            image,
            BulletList((ListItem((Run("i"),)), ListItem((Run("j"),), 1, True, 2), ListItem((Run("k"),), 1))),
            Quote(((Run("q"),),)),
            Table(()),
        ]
    )
    assert plain_text(runs) == "p\nh\n• i\n2. j\n◦ k\nq"
    assert Run("h", bold=True) in runs
    assert apart == [image, Table(())]


def test_a_pdf_viewer_extension_link_opens_the_document_it_wraps() -> None:
    from deckgen.parse.flow import usable_link

    wrapped = "chrome-extension://efaidnbmnnnibpcajpcglclefindmkaj/https://x.org/a.pdf?x=1"
    assert usable_link(wrapped) == "https://x.org/a.pdf?x=1"
    assert usable_link("  ") is None
