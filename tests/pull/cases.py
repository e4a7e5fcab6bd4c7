"""The scripted edits of ``deckgen pull``'s suite: each an edit of a deck (made as typing would,
``support.deckedit``) and the one change of the post it must pull to, nothing else.

``expect`` holds (old, new) pairs: the post after the pull is the post with each ``old`` (found
exactly once) replaced by its ``new``. The edits that do not map hold the codes and slides
they are listed with, and leave the post as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from support.deckedit import DeckEditor

Edit = Callable[[DeckEditor], None]


@dataclass(frozen=True)
class Case:
    name: str
    deck: str  # "own" (tests/pull/posts/2024-09-02-edits.md) or "lecture"
    edit: Edit
    expect: tuple[tuple[str, str], ...] = ()
    listed: tuple[tuple[str, str], ...] = ()  # (code, slide) of what is listed, not carried over

    def __str__(self) -> str:
        return f"{self.deck}-{self.name}"


def expected(text: str, case: Case) -> str:
    for old, new in case.expect:
        assert text.count(old) == 1, f"{case}: {old!r} is not once in the post"
        text = text.replace(old, new)
    return text


OWN: tuple[Case, ...] = (
    Case("title", "own", lambda d: d.title(2, "Why we pull"), (("## Why pull\n", "## Why we pull\n"),)),
    Case("title-zh", "own", lambda d: d.title(5, "中文投影片"), (("## 中文的投影片", "## 中文投影片"),)),
    Case("front-title", "own", lambda d: d.title(1, "Edits Come Back Home"),
         (("title: Edits Come Back\n", "title: Edits Come Back Home\n"),)),
    Case("paragraph", "own", lambda d: d.replace(2, "teachers edit it", "teachers do edit it"),
         (("and teachers edit it.", "and teachers do edit it."),)),
    Case("abstract", "own", lambda d: d.replace(1, "comes back into", "returns into"),
         (("deck comes back into the post", "deck returns into the post"),)),
    Case("bullet-reworded", "own", lambda d: d.replace(2, "night before class", "morning before class"),
         (("- A typo fixed the night before class", "- A typo fixed the morning before class"),)),
    Case("bullet-added", "own", lambda d: d.add_after(2, "A typo fixed", "A picture described"),
         (("- A typo fixed the night before class\n", "- A typo fixed the night before class\n- A picture described\n"),)),
    Case("bullet-deleted", "own", lambda d: d.delete(2, "A bullet reworded"),
         (("- A bullet reworded with **bold** words\n", ""),)),
    Case("numbered-added", "own", lambda d: d.add_after(2, "First numbered", "Between the steps"),
         (("1. First numbered step\n", "1. First numbered step\n2. Between the steps\n"),)),
    Case("word-bold", "own", lambda d: d.bold(2, "typo"), (("- A typo fixed", "- A **typo** fixed"),)),
    Case("word-italic", "own", lambda d: d.italic(2, "night"), (("fixed the night before", "fixed the *night* before"),)),
    Case("italic-word-bold", "own", lambda d: d.bold(2, "editable"), (("*editable*", "***editable***"),)),
    Case("bold-taken-off", "own", lambda d: d.unbold(2, "bold"), (("with **bold** words", "with bold words"),)),
    Case("link-text", "own", lambda d: d.replace(2, "course site", "class site"),
         (("[link to the course site]", "[link to the class site]"),)),
    Case("link-address", "own", lambda d: d.relink(2, "course site", "https://example.org/class"),
         (("(https://example.org/course)", "(https://example.org/class)"),)),
    Case("table-cell", "own", lambda d: d.replace(3, "84.0", "84.5"), (("| Beta | 84.0 |", "| Beta | 84.5 |"),)),
    Case("table-cell-words", "own", lambda d: d.replace(3, "the baseline", "the base line"),
         (("| the baseline |", "| the base line |"),)),
    Case("table-header", "own", lambda d: d.replace(3, "Score", "F1 score"), (("| Model | Score |", "| Model | F1 score |"),)),
    Case("html-table-cell", "own", lambda d: d.replace(4, "large language model", "large-scale language model"),
         (("<td>large language model</td>", "<td>large-scale language model</td>"),)),
    Case("note-changed", "own", lambda d: d.notes(2, "Ask who has edited a deck this term."),
         (("<!-- Ask who has edited a deck before. -->", "<!-- Ask who has edited a deck this term. -->"),)),
    Case("note-added", "own", lambda d: d.notes(11, "Mention the record in .deckgen."),
         (("A slide that has no speaker notes.\n", "A slide that has no speaker notes.\n\n<!-- Mention the record in .deckgen. -->\n"),)),
    Case("note-line-added", "own", lambda d: d.notes(3, "Compare with this term.", append=True),
         (("last term. -->", "last term.\nCompare with this term. -->"),)),
    Case("continuation-bullet", "own", lambda d: d.replace(7, "Item twelve of", "Item 12 of"),
         (("- Item twelve of", "- Item 12 of"),)),
    Case("continuation-title", "own", lambda d: d.title(7, "A longer list (2/3)"),
         (("## A long list\n", "## A longer list\n"),)),
    Case("continuation-bullet-deleted", "own", lambda d: d.delete(8, "Item twenty of"),
         (("- Item twenty of the long list, a topic of the lecture written out long enough to need most of a line on the slide\n", ""),)),
    Case("chinese-bullet", "own", lambda d: d.replace(5, "資料的收集", "資料的整理"), (("資料的收集", "資料的整理"),)),
    Case("chinese-bold-word", "own", lambda d: d.replace(5, "生成文字", "產生文字"), (("生成文字", "產生文字"),)),
    Case("quote", "own", lambda d: d.replace(9, "said once", "said twice"), (("someone said once.", "someone said twice."),)),
    Case("line-after-break", "own", lambda d: d.replace(9, "second line", "the second line"),
         (("second line after a break<br>", "the second line after a break<br>"),)),
    Case("headingless-part", "own", lambda d: d.replace(10, "its title hidden", "its title is hidden"),
         (("its title hidden.", "its title is hidden."),)),
    Case("paragraph-added", "own", lambda d: d.add_after(11, "A slide that has", "A new paragraph typed."),
         (("A slide that has no speaker notes.\n", "A slide that has no speaker notes.\n\nA new paragraph typed.\n"),)),
)

LECTURE: tuple[Case, ...] = (
    Case("title", "lecture", lambda d: d.title(2, "History of Large Language Models"),
         (("## History of LLM\n", "## History of Large Language Models\n"),)),
    Case("link-text", "lecture", lambda d: d.replace(2, "Survey", "Study"), (("[A Survey of", "[A Study of"),)),
    Case("word-bold", "lecture", lambda d: d.bold(2, "Transformer"),
         (("introduction of Transformer model", "introduction of **Transformer** model"),)),
    Case("reworded", "lecture", lambda d: d.replace(2, "1.6B visits", "1.8B visits"), (("1.6B visits", "1.8B visits"),)),
    Case("typo-in-bold-link", "lecture", lambda d: d.replace(10, "leardboard", "leaderboard"),
         (("[Open LLM leardboard]", "[Open LLM leaderboard]"),)),
    Case("title-zh", "lecture", lambda d: d.title(4, "大型語言模型之產業類別"),
         (("### 大型語言模型之產業分類", "### 大型語言模型之產業類別"),)),
    Case("chinese-text", "lecture", lambda d: d.replace(53, "困難", "艱難"), (("解困難數學", "解艱難數學"),)),
    Case("bullet-reworded", "lecture", lambda d: d.replace(35, "Fine-tine", "Fine-tune"),
         (("- Step3: Fine-tine the original", "- Step3: Fine-tune the original"),)),
    Case("bullet-added", "lecture", lambda d: d.add_after(35, "Step3: Fine-tine", "Step3b: Check the revisions"),
         (("with these revisions\n", "with these revisions\n- Step3b: Check the revisions\n"),)),
    # the item's paragraph goes on over the two lines after it (lazy continuation): all three go
    Case("bullet-deleted", "lecture", lambda d: d.delete(35, "Step4. Train a new"),
         (("- Step4. Train a new \"preference model\" from the new dataset of AI preferences.\n"
           "This new \"prefernece model\" will then be used to re-train the RL (as a reward signal).\n"
           "It is now the RLHAF (Reinforcement Learning from AI feedback)\n", ""),)),
    Case("continuation", "lecture", lambda d: d.replace(25, "Hyper-Optimized", "Highly Optimized"),
         (("Hyper-Optimized", "Highly Optimized"),)),
    Case("note-added", "lecture", lambda d: d.notes(9, "GPT-4 came out in March 2023."),
         (("\n---\n### Open LLMs", "\n<!-- GPT-4 came out in March 2023. -->\n\n---\n### Open LLMs"),)),
    Case("front-title", "lecture", lambda d: d.title(1, "Large Language Models and More"),
         (("title: Large Language Models\n", "title: Large Language Models and More\n"),)),
)

UNMAPPED: tuple[Case, ...] = (
    Case("moved", "own", lambda d: d.move(3, "Table 2"), listed=(("D204", "3"),)),
    Case("resized", "own", lambda d: d.resize(9, "Picture"), listed=(("D204", "9"),)),
    Case("coloured", "own", lambda d: d.colour(2, "typo"), listed=(("D207", "2"),)),
    Case("new-slide", "own", lambda d: d.new_slide("A new slide"), listed=(("D201", "13"),)),
    Case("slide-deleted", "own", lambda d: d.delete_slide(4), listed=(("D202", "4"),)),
    Case("slide-moved", "own", lambda d: d.move_slide(4, 2), listed=(("D203", "2"),)),
    Case("new-picture", "own", lambda d: d.new_picture(9), listed=(("D205", "9"),)),
    Case("hidden-title", "own", lambda d: d.title(10, "A title of its own"), listed=(("D209", "10"),)),
    Case("code", "own", lambda d: d.replace(12, "Hello", "Hi"), listed=(("D209", "12"),)),
    Case("footer", "own", lambda d: d.replace(5, "Edits Come Back", "My course"), listed=(("D209", "5"),)),
)

ALL = OWN + LECTURE

__all__ = ["ALL", "Case", "LECTURE", "OWN", "UNMAPPED", "expected"]
