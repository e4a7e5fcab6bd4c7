"""Issue 14: nothing a post contains crashes, hangs or overflows a build.

One test per reproducer and fault case. Each builds a whole post offline in both formats
and checks: no exception other than a ``DeckgenError``, no frame past the slide, and no hang
(a generous guard; how long these posts take is measured by ``bench/bench_limits.py``).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import deckgen.pipeline as pipeline_mod
from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Record, build_post
from deckgen.diagnostics import Diagnostic
from deckgen.diagnostics import codes as C
from deckgen.errors import BuildError, InputError
from deckgen.model import LaidDeck, TableFrame
from support.hangguard import hang_guard

HANG_GUARD_S = 120.0  # a hang, not a slow build: these posts build in about a second


def frames_on_slide(laid: LaidDeck) -> list[str]:
    """Every frame box that leaves the slide (a small tolerance for rounding)."""
    bad = []
    for n, page in enumerate(laid.pages, 1):
        frames = list(page.frames) + ([page.title] if page.title else [])
        for frame in frames:
            b = frame.box
            if b.x < -1 or b.y < -1 or b.right > laid.width + 1 or b.bottom > laid.height + 1:
                bad.append(f"page {n}: {type(frame).__name__} {b}")
    return bad


def build_text(
    text: str | bytes,
    tmp_path: Path,
    reveal: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str = "post.md",
) -> tuple[Record, LaidDeck]:
    """Build ``text`` as a post in both formats, offline; returns the result and the layout."""
    post = tmp_path / name
    if isinstance(text, bytes):
        post.write_bytes(text)
    else:
        post.write_text(text, "utf-8", errors="surrogatepass")
    seen: list[LaidDeck] = []
    real = pipeline_mod.write_outputs

    def spy(laid: LaidDeck, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(laid)
        return real(laid, *args, **kwargs)

    monkeypatch.setattr(pipeline_mod, "write_outputs", spy)
    options = BuildOptions(
        out_dir=tmp_path / "out",
        reveal_js=reveal,
        cwd=tmp_path,
        pictures=AssetOptions(offline=True, cache_dir=tmp_path / "cache"),
    )
    with hang_guard(HANG_GUARD_S, f"building {name}"):
        result = build_post(post, options)
    assert seen
    assert frames_on_slide(seen[0]) == []
    return result, seen[0]


def tables(laid: LaidDeck) -> list[TableFrame]:
    return [f for page in laid.pages for f in page.frames if isinstance(f, TableFrame)]


def of_code(result: Record, code: str) -> list[Diagnostic]:
    return [w for w in result.warnings if w.code == code]


def pptx_xml(tmp_path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(tmp_path / "out" / "post.pptx") as z:
        return "".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


# ---------------------------------------------------------------------------
# 1. characters XML cannot carry


@pytest.mark.parametrize(
    "text",
    [
        '---\ntitle: "\\0"\n---\nbody\n',
        "---\ntitle: t\n---\n## a\n\nx\ufffey\n",
        "## a\n\n[_](http://\x0b¶)\n",
        "## a\n\n![\x1f](x.png)\n",
        "## a\n\n<!--\uffff-->\n\ntext\n",
        "## a\x01b\n\nbody \x02 and \x7f ok\n",
    ],
)
def test_xml_invalid_characters_are_dropped_with_a_warning(
    text: str, tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, _ = build_text(text, tmp_path, reveal_source, monkeypatch)
    (warning,) = of_code(result, "S101")
    assert warning.file == str(tmp_path / "post.md") and warning.line


def test_the_warning_names_the_line_of_the_first_bad_character(
    tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, _ = build_text("## a\n\nfine\n\nbad \x0b here\n\nand \x0c\n", tmp_path, reveal_source, monkeypatch)
    (warning,) = of_code(result, "S101")
    assert (warning.file, warning.line) == (str(tmp_path / "post.md"), 5)


# ---------------------------------------------------------------------------
# 2. lone surrogates


def test_a_lone_surrogate_in_the_title_builds(
    tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, _ = build_text('---\ntitle: "\\ud800"\n---\n## a\n\nb\n', tmp_path, reveal_source, monkeypatch)
    assert len(result.outputs) == 2
    assert of_code(result, "S101")


# ---------------------------------------------------------------------------
# 3. characters the shaper refuses


@pytest.mark.parametrize(
    "text",
    [
        "## a\n\nx\x85y\n",
        '---\ntitle: "two\\nlines"\n---\n## a\n\nb\n',
        "## a\n\nx\u2029y and z\u2028w\n",
        "## a\x1c\x1d\x1e\n\nx\x1cy\n",
        '---\ntitle: "a\\rb"\n---\n## t\n',
    ],
)
def test_characters_the_shaper_refuses_never_reach_measurement(
    text: str, tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, _ = build_text(text, tmp_path, reveal_source, monkeypatch)
    assert len(result.outputs) == 2


# ---------------------------------------------------------------------------
# 4. core properties over 255 characters


def test_a_title_and_tags_over_255_characters_are_truncated(
    tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    title = "長" * 400
    tags = ", ".join(f"tag{i:03d}" for i in range(50))
    result, _ = build_text(
        f"---\ntitle: {title}\ntags: [{tags}]\nauthor: {'a' * 300}\n---\n## a\n\nb\n",
        tmp_path,
        reveal_source,
        monkeypatch,
    )
    assert len(result.outputs) == 2
    import zipfile

    (pptx,) = [p for p in result.outputs if p.suffix == ".pptx"]  # the HTML deck is written first
    with zipfile.ZipFile(pptx) as z:
        core = z.read("docProps/core.xml").decode("utf-8")
    assert "長" * 254 + "…" in core
    assert "長" * 256 not in core


# ---------------------------------------------------------------------------
# 5. overlapping table spans (and 7. the colspan hang)


@pytest.mark.parametrize(
    "table",
    [
        "<table><th>日<td rowspan=10><tr><td colspan=4></table>",
        "<table><tr><td rowspan=3>a<td colspan=3>b<tr><td colspan=5>c<tr><td>d<td rowspan=0>e</table>",
        "<table><tr><td colspan=-2>a<td rowspan=abc>b<td colspan=99999999999>c</table>",
        "<table><tr><td rowspan=2 colspan=2>a<td>b<tr><td colspan=3>c<td>d</table>",
    ],
)
def test_overlapping_and_odd_table_spans_build(
    table: str, tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, _ = build_text(f"## a\n\n{table}\n", tmp_path, reveal_source, monkeypatch)
    assert len(result.outputs) == 2


@pytest.mark.parametrize("n", [400, 1000])
def test_a_very_wide_colspan_is_fast(
    n: int, tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It was slow because every spanned column was laid out; the empty columns collapse (as in
    a browser), so the work is that of two columns. Its time: ``bench/bench_limits.py``."""
    result, laid = build_text(
        f'## a\n\n<table><tr><td colspan="{n}">x</td></tr><tr><td>a</td><td>b</td></tr></table>\n',
        tmp_path,
        reveal_source,
        monkeypatch,
    )
    assert len(result.outputs) == 2
    (table,) = tables(laid)
    assert len(table.col_widths) == 2 and table.rows[0][0].colspan == 2


# ---------------------------------------------------------------------------
# words longer than a line


@pytest.mark.parametrize(
    "word",
    [
        "x" * 50_000,
        "https://example.org/" + "/".join(f"segment{i}" for i in range(300)) + "?q=" + "a" * 500,
    ],
)
def test_a_word_longer_than_a_line_is_broken_in_both_decks(
    word: str, tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result, laid = build_text(f"## a\n\n{word}\n", tmp_path, reveal_source, monkeypatch)
    assert len(result.outputs) == 2
    html = (tmp_path / "out" / "post" / "index.html").read_text("utf-8")
    # the HTML deck breaks where the layout decided (a zero-width break opportunity)
    assert "<wbr>" in html


# ---------------------------------------------------------------------------
# output folder faults


def test_an_output_folder_that_cannot_be_written_is_a_build_error(
    tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    import tempfile

    real_mkstemp, real_mkdtemp = tempfile.mkstemp, tempfile.mkdtemp

    def refusing(real):  # type: ignore[no-untyped-def]
        def call(*args, **kwargs):  # type: ignore[no-untyped-def]
            if Path(kwargs.get("dir") or "/").resolve() == out.resolve():
                raise PermissionError(13, "Permission denied")
            return real(*args, **kwargs)

        return call

    # root writes anywhere, so the refusal is staged where the writer asks for its files
    monkeypatch.setattr(tempfile, "mkstemp", refusing(real_mkstemp))
    monkeypatch.setattr(tempfile, "mkdtemp", refusing(real_mkdtemp))
    with pytest.raises(BuildError, match="Permission denied") as info:
        build_text("## a\n\nb\n", tmp_path, reveal_source, monkeypatch)
    assert str(out) in str(info.value)
    assert list(out.iterdir()) == []


def test_a_full_disk_while_writing_the_html_deck_leaves_the_old_decks(
    tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_text("## a\n\nold\n", tmp_path, reveal_source, monkeypatch)
    out = tmp_path / "out"
    old_pptx = (out / "post.pptx").read_bytes()
    old_html = (out / "post" / "index.html").read_text("utf-8")
    import deckgen.writers.html as reveal_mod

    def full(self, laid, folder):  # type: ignore[no-untyped-def]
        (folder / "index.html").write_text("half", "utf-8")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(reveal_mod.RevealWriter, "write", full)
    with pytest.raises(BuildError, match="No space left"):
        build_text("## a\n\nnew\n", tmp_path, reveal_source, monkeypatch)
    assert (out / "post.pptx").read_bytes() == old_pptx
    assert (out / "post" / "index.html").read_text("utf-8") == old_html
    assert sorted(p.name for p in out.iterdir()) == [".deckgen", "post", "post.pptx"]  # (.deckgen: the record)


def test_a_read_only_old_deck_folder_leaves_nothing_behind(
    tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_text("## a\n\nold\n", tmp_path, reveal_source, monkeypatch)
    out = tmp_path / "out"
    (out / "post").chmod(0o555)
    try:
        try:
            build_text("## a\n\nnew\n", tmp_path, reveal_source, monkeypatch)
        except BuildError:
            pass
        assert not [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".deckgen"]
    finally:
        for p in out.rglob("*"):
            if p.is_dir():
                p.chmod(0o755)


# ---------------------------------------------------------------------------
# input encodings and YAML


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_read(
    codec: str, tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "---\ntitle: 中文 title\n---\n## 第一\n\nbody\n"
    data = text.encode(codec)
    if codec != "utf-16":
        data = ("\ufeff" + text).encode(codec)
    result, _ = build_text(data, tmp_path, reveal_source, monkeypatch)
    assert result.title == "中文 title"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_bom_is_named(
    codec: str, tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InputError, match="UTF-16") as info:
        build_text("## a\n\nbody text\n".encode(codec), tmp_path, reveal_source, monkeypatch)
    assert "iconv" in str(info.value)
    assert "\n" not in str(info.value)


def test_a_yaml_alias_bomb_is_refused_at_once(
    tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 8):
        prev = f"*a{i - 1}"
        lines.append(f"a{i}: &a{i} [{', '.join([prev] * 9)}]")
    text = "---\n" + "\n".join(lines) + "\ntitle: bomb\n---\n## a\n"
    import deckgen.source.frontmatter as frontmatter

    built: list[object] = []
    real = frontmatter._FrontMatterLoader.construct_document

    def construct(self, node):  # type: ignore[no-untyped-def]
        built.append(node)
        return real(self, node)

    monkeypatch.setattr(frontmatter._FrontMatterLoader, "construct_document", construct)
    with pytest.raises(InputError, match="alias") as info:
        build_text(text, tmp_path, reveal_source, monkeypatch)
    assert built == []  # refused from the node graph: the 9**8 values were never built
    assert info.value.code is C.FRONT_MATTER_INVALID
    assert "\n" not in str(info.value)


def test_a_few_yaml_aliases_are_fine(tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = "---\nbase: &b [x, y]\ntags: *b\ntitle: ok\n---\n## a\n"
    result, _ = build_text(text, tmp_path, reveal_source, monkeypatch)
    assert result.title == "ok"


# ---------------------------------------------------------------------------
# huge values in error messages


def test_a_huge_theme_name_is_one_short_line(
    tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(InputError, match="theme name too long") as info:
        build_text(f"---\ntheme: {'t' * 100_000}\n---\n## a\n", tmp_path, reveal_source, monkeypatch)
    assert len(str(info.value)) < 300


def test_a_table_of_400_real_columns_is_fast(
    tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every column is kept, in both decks (the .pptx once set each column's width by a walk
    over all of them: quadratic). Its time: ``bench/bench_limits.py``."""
    row = "<tr>" + "<td>x</td>" * 400 + "</tr>"
    result, laid = build_text(f"## a\n\n<table>{row}{row}</table>\n", tmp_path, reveal_source, monkeypatch)
    assert len(result.outputs) == 2
    (table,) = tables(laid)
    assert len(table.col_widths) == 400
    assert pptx_xml(tmp_path).count("<a:gridCol ") == 400
    html = (tmp_path / "out" / "post" / "index.html").read_text("utf-8")
    assert html.count("<td>x</td>") == 800


def test_text_cut_to_keep_it_on_the_slide_is_a_warning_naming_its_line(
    tmp_path: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a table cell, a list item and a heading past their limits: each cut is said, with its line
    post = (
        "---\ntitle: T\n---\n\n## Fine\n\nshort\n\n---\n\n## Cell\n\n| head |\n|---|\n| "
        + "word " * 3000
        + " |\n\n---\n\n## Item\n\n- "
        + "item " * 2000
        + "\n\n---\n\n## "
        + "heading " * 100
        + "\n\ntext\n"
    )
    result, _ = build_text(post, tmp_path, reveal_source, monkeypatch)
    cut = of_code(result, "M102")
    # the table's line, the list's, the heading's
    assert [(w.file, w.line, w.get("what")) for w in cut] == [
        (str(tmp_path / "post.md"), 13, "a table cell"),
        (str(tmp_path / "post.md"), 21, "a list item"),
        (str(tmp_path / "post.md"), 25, "a slide title"),
    ], cut
    fine = build_text("---\ntitle: T\n---\n\n## Fine\n\nshort\n", tmp_path, reveal_source, monkeypatch)[0]
    assert not of_code(fine, "M102") and not of_code(fine, "T101")
