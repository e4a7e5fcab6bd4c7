"""Code highlighting: source text to runs with their token classes, one tuple of runs per line;
the colour of each class (which the style pass gives the runs)."""

from __future__ import annotations

import pytest

from deckgen.highlight import highlight, language_name, lexer_for, token_colors
from deckgen.model import plain_text
from deckgen.theme import load_theme

STYLE = load_theme("default").code_style
PYTHON = "def area(r):\n    return 3.14 * r * r  # circle\n"
C_CODE = '#include <stdio.h>\nint main(void) {\n    printf("hi");\n    return 0;\n}\n'


def tokens(lines) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Each run's text by its CSS token class (the last one wins)."""
    return {r.text: r.token for line in lines for r in line}


def test_a_given_language_is_highlighted_with_css_token_classes_and_no_colour() -> None:
    lines = highlight(PYTHON, "python", STYLE)
    assert [plain_text(line) for line in lines] == ["def area(r):", "    return 3.14 * r * r  # circle"]
    by_text = tokens(lines)
    assert by_text["def"] == "k" and by_text["return"] == "k"  # keywords
    assert by_text["area"] == "nf"  # a function name
    assert by_text["# circle"] == "c1"  # a comment
    assert all(r.code and r.color is None for line in lines for r in line)  # colours are the style pass's
    assert language_name(PYTHON, "python") == "python"


def test_the_language_name_is_matched_without_regard_to_case() -> None:
    assert language_name(PYTHON, "Python") == "python"
    assert tokens(highlight(PYTHON, "PYTHON", STYLE))["def"] == "k"


def test_a_missing_language_is_guessed_from_the_code() -> None:
    assert language_name(C_CODE, "") == "c"
    assert tokens(highlight(C_CODE, "", STYLE))["return"] == "k"
    assert language_name("import os\nprint(os.getcwd())\n", "") == "python"


@pytest.mark.parametrize("lang", ["no-such-language", ""])
def test_an_unknown_or_unguessable_language_stays_plain_text(lang: str) -> None:
    text = "just some words here\nand a second line, no code" if lang == "" else PYTHON
    lines = highlight(text, lang, STYLE)
    assert [plain_text(line) for line in lines] == text.rstrip("\n").split("\n")
    assert all(r.color is None and r.token == "" and not r.bold for line in lines for r in line)
    assert language_name(text, lang) == ""


def test_tabs_become_four_spaces_and_blank_lines_stay() -> None:
    lines = highlight("if x:\n\ty = 1\n\n\tz = 2\n", "python", STYLE)
    assert [plain_text(line) for line in lines] == ["if x:", "    y = 1", "", "    z = 2"]
    assert all("\t" not in r.text for line in lines for r in line)


def test_a_code_block_is_highlighted_and_guessed_once_then_served_from_the_cache() -> None:
    code = C_CODE + "/* cache test */\n"
    guesses = lexer_for.cache_info().misses
    first = highlight(code, "", STYLE)
    assert highlight(code, "", STYLE) is first  # the very same (immutable) lines
    assert language_name(code, "") == "c"
    assert lexer_for.cache_info().misses == guesses + 1  # guessed once for both questions
    assert highlight(code, "c", STYLE) is not first  # the language is part of the key


def test_each_token_class_has_its_styles_colour() -> None:
    colors = token_colors(STYLE)
    assert colors["k"] != colors["c1"]  # a keyword, a comment
    assert all(len(c) == 6 and int(c, 16) >= 0 for c in colors.values())  # RRGGBB, no "#"
    assert "" not in colors  # plain text: xcode leaves it to the frame's code colour
    # a style that colours plain text gives it its Text colour (the root token's class is the same)
    assert token_colors("lightbulb")[""] == "d4d2c8"
