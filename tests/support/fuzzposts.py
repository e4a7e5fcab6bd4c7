"""A grammar of lecture-post constructs for hypothesis, and a checked in-process build.

Posts are made of what the lecture posts contain (front matter, slides split by ``---``,
headings, paragraphs with emphasis, code and links, lists, quotes, code fences, Markdown
and HTML tables with spans, pictures, YouTube iframes, ``<br>``, comments, Liquid, CJK
text), seasoned with what breaks programs (control characters, surrogates and
non-characters written as YAML escapes, line separators, huge words and URLs, odd spans).

``build_checked`` runs the whole pipeline offline in both formats and raises
``Broken`` for anything a user should never see: an exception that is no
``DeckgenError``, or a frame past the slide. Used by tests/e2e/test_fuzz.py (a short seeded
run in CI) and bench/fuzz.py (a long run).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from hypothesis import strategies as st

from deckgen.assets.cache import Cache
from deckgen.assets.resolve import AssetOptions, AssetResolver, resolve_assets
from deckgen.assets.revealjs import RevealBundle
from deckgen.build import BuildOptions
from deckgen.diagnostics import Diagnostics
from deckgen.errors import DeckgenError
from deckgen.layout import layout_deck
from deckgen.measure import measurer_for
from deckgen.model import LaidDeck
from deckgen.parse import parse_deck
from deckgen.pipeline import _logo_asset, choose_theme
from deckgen.source import read_post
from deckgen.theme import Theme

# ---------------------------------------------------------------------------
# the grammar

_NASTY = [
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1d", "\x1e", "\x1f", "\x7f",
    "\x85", "\u2028", "\u2029", "\ufffe", "\uffff", "\ufeff", "\u200b", "\u200d", "\u0301",
    "\t", "\r", "&#0;", "&#xFFFE;", "&#xD800;", "&nbsp;", "&amp;", "<", ">", "&", "\\", "`",
    "*", "_", "[", "]", "(", ")", "|", "{{", "}}", "{%", "%}", "<!--", "-->", "---",
]
_WORDS = [
    "model", "token", "attention", "Transformer", "GPT-4", "LLM", "語言模型", "注意力機制",
    "參數", "訓練", "😀", "🚀", "naïve", "x²", "α", "→", "…", "e.g.", "API", "2024",
]
_URLS = [
    "https://example.org/a/b?c=1&d=2#e",
    "http://127.0.0.1:9/x.png",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://youtu.be/dQw4w9WgXcQ?t=42",
    "mailto:a@b.c",
    "javascript:alert(1)",
    "x.png",
    "/assets/img/a.jpg",
    "",
    # local paths whose percent-decoding gives what a deck cannot hold (issue 22)
    "%00", "%0B", "%EF%BF%BE", "a%1Bb.png", "%C2%9B.png", "%ED%A0%80.png", "%E2%80%A8", "x%0A%0Dy.png",
]


@st.composite
def _long_word(draw: st.DrawFn) -> str:
    n = draw(st.sampled_from([30, 200, 2000, 20000]))
    kind = draw(st.sampled_from(["x", "url", "cjk"]))
    if kind == "url":
        return ("https://example.org/" + "/".join(f"p{i}" for i in range(n // 4)) + "?q=" + "z" * 50)[:n]
    if kind == "cjk":
        return "長" * (n // 10)
    return "x" * n


_word = st.one_of(
    st.sampled_from(_WORDS),
    st.sampled_from(_NASTY),
    st.text(min_size=1, max_size=8),
    _long_word(),
)


@st.composite
def inline(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 8))):
        w = draw(_word)
        form = draw(st.integers(0, 9))
        if form == 1:
            w = f"**{w}**"
        elif form == 2:
            w = f"*{w}*"
        elif form == 3:
            w = f"`{w}`"
        elif form == 4:
            w = f"[{w}]({draw(st.sampled_from(_URLS))})"
        elif form == 5:
            w = f"~~{w}~~"
        elif form == 6:
            w = w + "<br>"
        elif form == 7:
            w = f'<a href="{draw(st.sampled_from(_URLS))}">{w}</a>'
        parts.append(w)
    return " ".join(parts)


@st.composite
def table_html(draw: st.DrawFn) -> str:
    rows = []
    for _ in range(draw(st.integers(1, 4))):
        cells = []
        for _ in range(draw(st.integers(0, 4))):
            tag = draw(st.sampled_from(["td", "th"]))
            attrs = ""
            if draw(st.booleans()):
                attrs += f" colspan={draw(st.sampled_from(['0', '2', '4', '10', '400', '-1', 'x', '99999999999']))}"
            if draw(st.booleans()):
                attrs += f" rowspan={draw(st.sampled_from(['0', '2', '3', '10', '65535', 'y']))}"
            close = f"</{tag}>" if draw(st.booleans()) else ""
            cells.append(f"<{tag}{attrs}>{draw(inline())}{close}")
        rows.append(("<tr>" if draw(st.booleans()) else "") + "".join(cells))
    return "<table>" + "".join(rows) + ("</table>" if draw(st.booleans()) else "")


@st.composite
def table_md(draw: st.DrawFn) -> str:
    cols = draw(st.integers(1, 5))
    head = "| " + " | ".join(draw(inline()).replace("|", "/").replace("\n", " ") for _ in range(cols)) + " |"
    lines = [head, "|" + "---|" * cols]
    for _ in range(draw(st.integers(0, 4))):
        n = draw(st.integers(0, cols + 2))
        lines.append("| " + " | ".join(draw(_word).replace("|", "/").replace("\n", " ") for _ in range(n)) + " |")
    return "\n".join(lines)


@st.composite
def block(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 13))
    if kind == 0:
        return "#" * draw(st.integers(1, 6)) + " " + draw(inline())
    if kind == 1:
        items = []
        for _ in range(draw(st.integers(1, 6))):
            indent = "  " * draw(st.integers(0, 3))
            marker = draw(st.sampled_from(["-", "*", "1.", "3)"]))
            items.append(f"{indent}{marker} {draw(inline())}")
        return "\n".join(items)
    if kind == 2:
        return "\n".join("> " * draw(st.integers(1, 3)) + draw(inline()) for _ in range(draw(st.integers(1, 3))))
    if kind == 3:
        lang = draw(st.sampled_from(["", "python", "js", "bash", "nosuchlang"]))
        body = "\n".join(draw(st.text(max_size=60)) for _ in range(draw(st.integers(0, 6))))
        return f"```{lang}\n{body.replace('```', '`')}\n```"
    if kind == 4:
        return draw(table_md())
    if kind == 5:
        return draw(table_html())
    if kind == 6:
        url = draw(st.sampled_from(_URLS))
        alt = draw(_word).replace("]", "")
        return f"![{alt}]({url})"
    if kind == 7:
        width = draw(st.sampled_from(["", ' width="50%"', ' width="600"', ' width="-3"', ' width="x"']))
        return f'<img src="{draw(st.sampled_from(_URLS))}" alt="{draw(_word)}"{width}>'
    if kind == 8:
        return (
            f'<iframe width="560" height="315" src="https://www.youtube.com/embed/{draw(st.text(max_size=11))}"'
            ' frameborder="0" allowfullscreen></iframe>'
        )
    if kind == 9:
        return f"<!-- {draw(inline())} -->"
    if kind == 10:
        return draw(st.sampled_from(["{{ page.title }}", "{% raw %}{{x}}{% endraw %}", "{{ site.time | date: '%Y' }}", "{% include x.html %}", "{{ unclosed"]))
    if kind == 11:
        return f"<div>{draw(inline())}<br><span>{draw(inline())}</span></div>"
    if kind == 12:
        return draw(st.text(max_size=120))
    return draw(inline())


def _yaml_str(draw: st.DrawFn) -> str:
    kind = draw(st.integers(0, 4))
    if kind == 0:
        return draw(st.sampled_from(['"\\0"', '"\\ud800"', '"two\\nlines"', '"\\x85\\u2029"', '"\\uffff"']))
    if kind == 1:
        return '"' + "長" * draw(st.sampled_from([10, 300, 3000])) + '"'
    if kind == 2:
        return draw(st.sampled_from(["[a, b, c]", "{x: 1}", "123", "null", "2024-13-45", "~", "*undefined"]))
    return '"' + draw(st.text(max_size=30)).replace("\\", "/").replace('"', "'") + '"'


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    if draw(st.integers(0, 5)) == 0:
        return ""
    lines = []
    for key in draw(st.lists(st.sampled_from(["title", "author", "date", "tags", "categories", "description"]), max_size=6, unique=True)):
        if key == "tags" and draw(st.booleans()):
            lines.append("tags: [" + ", ".join(f"t{i}" for i in range(draw(st.sampled_from([3, 50, 200])))) + "]")
        else:
            lines.append(f"{key}: {_yaml_str(draw)}")
    return "---\n" + "\n".join(lines) + "\n---\n"


@st.composite
def posts(draw: st.DrawFn) -> str:
    slides = []
    for _ in range(draw(st.integers(1, 5))):
        blocks = [draw(block()) for _ in range(draw(st.integers(0, 5)))]
        if draw(st.booleans()):
            blocks.insert(0, "## " + draw(inline()))
        slides.append("\n\n".join(blocks))
    sep = draw(st.sampled_from(["\n\n---\n\n", "\n---\n", "\n\n***\n\n"]))
    return draw(front_matter()) + sep.join(slides) + "\n"


# ---------------------------------------------------------------------------
# the checked build


class Broken(AssertionError):
    """What a user must never see from a post."""


@dataclass
class Harness:
    """What every build shares: the theme, its measurer, reveal.js (read once)."""

    theme: Theme
    bundle: RevealBundle
    workdir: Path

    @classmethod
    def make(cls, workdir: Path, reveal: Path) -> Harness:
        from deckgen.assets.revealjs import obtain_reveal

        theme = choose_theme(BuildOptions(cwd=workdir), None)
        bundle = obtain_reveal(reveal, workdir / "cache", Diagnostics(), allow_network=False)
        return cls(theme, bundle, workdir)


_RAW = re.compile("[\x00-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def unreadable_parts(pptx: bytes) -> list[str]:
    """The XML parts of a .pptx that lxml (and so python-pptx, and PowerPoint) refuses."""
    from lxml import etree

    bad = []
    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        for name in z.namelist():
            if name.endswith((".xml", ".rels")):
                try:
                    etree.fromstring(z.read(name))
                except etree.XMLSyntaxError as exc:
                    bad.append(f"{name}: {exc}")
    return bad


def frames_off_slide(laid: LaidDeck) -> list[str]:
    bad = []
    for n, page in enumerate(laid.pages, 1):
        for frame in [*page.frames, *([page.title] if page.title else [])]:
            b = frame.box
            if b.x < -1 or b.y < -1 or b.right > laid.width + 1 or b.bottom > laid.height + 1:
                bad.append(f"page {n}: {type(frame).__name__} {b}")
    return bad


def build_checked(text: str, harness: Harness) -> float:
    """Build ``text`` offline into both decks; the CPU seconds it took (wall-clock time
    depends on what else the machine runs). Raises ``Broken``."""
    from deckgen.writers.html import RevealWriter
    from deckgen.writers.pptx import PptxWriter

    post = harness.workdir / "post.md"
    post.write_bytes(text.encode("utf-8", "surrogatepass"))
    started = time.process_time()
    theme = harness.theme
    try:
        diag = Diagnostics()
        source = read_post(post, dt.datetime(2026, 1, 1), diag)
        deck = parse_deck(source, diag)
        resolver = AssetResolver(
            Cache(harness.workdir / "cache"), None, AssetOptions(offline=True, workers=1), diag, post, time.time
        )
        deck, _ = resolve_assets(deck, resolver, None)
        fonts = tuple((f.path, f.family, f.bold) for f in theme.fonts.files if not f.italic)
        laid = layout_deck(deck, theme, measurer_for(theme.fonts.latin, fonts), _logo_asset(theme))
        bad = frames_off_slide(laid)
        if bad:
            raise Broken(f"frames past the slide: {bad[:3]}")
        pptx = io.BytesIO()
        PptxWriter(theme).write(laid, pptx)
        unreadable = unreadable_parts(pptx.getvalue())
        if unreadable:
            raise Broken(f"a .pptx with parts XML refuses: {unreadable[:3]}")
        raw = [d.code for d in diag if _RAW.search(d.message + d.hint + (d.file or ""))]
        if raw:
            raise Broken(f"messages that would print a control character raw: {raw[:3]}")
        out = Path(tempfile.mkdtemp(dir=harness.workdir))
        try:
            RevealWriter(theme, harness.bundle).write(laid, out)
        finally:
            shutil.rmtree(out, ignore_errors=True)
    except DeckgenError as exc:
        if "\n" in str(exc) or len(str(exc)) > 600:
            raise Broken(f"an error that is not one short line: {str(exc)[:200]!r}") from exc
    except Broken:
        raise
    except Exception as exc:
        raise Broken(f"internal error: {type(exc).__name__}: {str(exc)[:200]}") from exc
    return time.process_time() - started
