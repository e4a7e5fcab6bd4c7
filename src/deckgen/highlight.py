"""Code highlighting with Pygments: source text to runs, one tuple per line.

The layout highlights code while it measures it (a token's bold changes its width): each run
gets its token's CSS class and its bold. Its colour is the style pass's (``layout/style.py``),
from the same Pygments style by the class (``token_colors``), as the HTML deck's stylesheet
colours the same classes.
"""

from __future__ import annotations

from functools import lru_cache

from pygments import lex
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name, guess_lexer
from pygments.lexers.special import TextLexer
from pygments.styles import get_style_by_name
from pygments.token import STANDARD_TYPES, Token
from pygments.util import ClassNotFound

from deckgen.model.document import Run, Runs

# a guess is only trusted for languages lecture posts actually contain
_GUESSABLE = {
    "python",
    "python3",
    "bash",
    "shell",
    "console",
    "c",
    "cpp",
    "c++",
    "java",
    "javascript",
    "json",
    "yaml",
    "html",
    "xml",
    "css",
    "sql",
    "text",
}


@lru_cache(maxsize=256)
def lexer_for(code: str, lang: str) -> Lexer:
    """The lexer for ``lang``, else a guess from the code (memoized: a guess costs ~40 ms)."""
    if lang:
        try:
            return get_lexer_by_name(lang.lower())
        except ClassNotFound:
            return TextLexer()
    try:
        guessed = guess_lexer(code)
    except ClassNotFound:
        return TextLexer()
    names = {a.lower() for a in guessed.aliases} | {guessed.name.lower()}
    if names & _GUESSABLE:
        return guessed
    if "import " in code or "def " in code or "print(" in code:
        return get_lexer_by_name("python")
    return TextLexer()


@lru_cache(maxsize=32)
def token_colors(style: str) -> dict[str, str]:
    """The colour (``RRGGBB`` as the style writes it) of each token class the Pygments style
    colours. A class is one token type's; plain text (``""``) is ``Text``'s, not the root's."""
    colors: dict[str, str] = {}
    for token, info in get_style_by_name(style):
        name = STANDARD_TYPES.get(token)
        if name is None or token is Token:
            continue
        if info["color"]:
            colors[name] = info["color"]
    return colors


@lru_cache(maxsize=32)
def style_bold(style: str) -> dict:
    return {token: bool(info["bold"]) for token, info in get_style_by_name(style)}


def _css_class(token) -> str:
    """Pygments' short CSS class for a token type (the nearest ancestor that has one)."""
    while token is not None:
        name = STANDARD_TYPES.get(token)
        if name is not None:
            return name
        token = token.parent
    return ""


@lru_cache(maxsize=256)
def highlight(code: str, lang: str, style: str) -> tuple[Runs, ...]:
    """Lines of runs, each with its token's CSS class and, as the Pygments style says, its bold
    (no colour: the style pass gives it, see ``token_colors``).

    Tabs become four spaces. Memoized on (code, lang, style): the result is immutable.
    """
    bolds = style_bold(style)
    lexer = lexer_for(code, lang)
    lines: list[list[Run]] = [[]]
    for token, text in lex(code, lexer):
        parts = text.split("\n")
        for index, part in enumerate(parts):
            if index:
                lines.append([])
            if part:
                lines[-1].append(
                    Run(
                        part.replace("\t", "    "),
                        bold=bolds.get(token, False),
                        code=True,
                        token=_css_class(token),
                    )
                )
    while len(lines) > 1 and not lines[-1]:
        lines.pop()
    return tuple(tuple(line) for line in lines)


def language_name(code: str, lang: str) -> str:
    """The language's short name (``python``), or "" for plain text."""
    lexer = lexer_for(code, lang)
    return "" if isinstance(lexer, TextLexer) else (lexer.aliases[0] if lexer.aliases else "")
