"""An edited output is never lost: folder and single-post builds, each deck (.pptx as
PowerPoint saves it, the HTML deck, the PDF, a handout), ``--force``, ``--discard-edits``, a
lost record, ``serve``, and what the command line says."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, Record, build_post
from deckgen.cli import main
from deckgen.stamp import read_stamp, stamp_path

POST = """---
title: Edits
date: 2024-03-05
---

## First slide
Some text.

---
## Second slide
- one
- two

<!-- a note -->
"""


def options(tmp_path: Path, reveal: Path | None = None, **extra: object) -> BuildOptions:
    base: dict[str, object] = dict(
        formats=("pptx", "html", "pdf"),
        out_dir=tmp_path / "out",
        reveal_js=reveal,
        now=dt.datetime(2026, 1, 2),
        cwd=tmp_path,
        pictures=AssetOptions(offline=True, cache_dir=tmp_path / "cache"),
    )
    base.update(extra)
    return BuildOptions(**base)  # type: ignore[arg-type]


def edit_title(pptx: Path, title: str = "Fixed the night before") -> None:
    """Change a slide title and save, as PowerPoint would (python-pptx rewrites the package)."""
    prs = Presentation(str(pptx))
    shape = prs.slides[1].shapes.title
    assert shape is not None
    shape.text_frame.paragraphs[0].runs[0].text = title
    prs.save(str(pptx))


def kept_of(result: Record, code: str = "O101") -> list[Path]:
    return [Path(d.get("kept")) for d in result.warnings if d.code == code]


@pytest.fixture
def post(tmp_path: Path) -> Path:
    path = tmp_path / "2024-03-05-edits.md"
    path.write_text(POST, "utf-8")
    return path


@pytest.mark.parametrize("incremental", [True, False], ids=["folder", "single"])
def test_an_edited_pptx_survives_a_changed_post(tmp_path: Path, post: Path, reveal_source: Path, incremental: bool) -> None:
    opts = options(tmp_path, reveal_source, incremental=incremental)
    first = build_post(post, opts)
    pptx = tmp_path / "out" / "2024-03-05-edits.pptx"
    assert pptx in first.outputs and not kept_of(first)
    edit_title(pptx)
    edited = pptx.read_bytes()

    again = build_post(post, opts)  # the post did not change: the edit is left alone, and said
    assert again.up_to_date and again.edited == (pptx,)
    assert pptx.read_bytes() == edited

    post.write_text(POST.replace("Some text.", "Other text."), "utf-8")
    rebuilt = build_post(post, opts)
    assert not rebuilt.up_to_date
    [kept] = kept_of(rebuilt)
    assert kept.read_bytes() == edited and kept.parent == pptx.parent
    assert kept.name.startswith("2024-03-05-edits.edited-") and kept.suffix == ".pptx"
    assert pptx.read_bytes() != edited and b"Other text." in _slide_xml(pptx)
    [warning] = [d for d in rebuilt.warnings if d.code == "O101"]
    assert warning.file == str(pptx) and "deckgen pull" in warning.hint
    stamp = read_stamp(tmp_path / "out", post)
    assert stamp is not None and [(k.output, k.reason) for k in stamp.kept] == [("2024-03-05-edits.pptx", "edited")]
    assert stamp.kept[0].sha256 and stamp.kept[0].written_sha256 and stamp.kept[0].post_sha256
    # said once: the next build, with nothing edited, says nothing of it, and the copy stays
    post.write_text(POST.replace("Some text.", "Third text."), "utf-8")
    assert not kept_of(build_post(post, opts)) and kept.read_bytes() == edited


def _slide_xml(pptx: Path) -> bytes:
    import zipfile

    with zipfile.ZipFile(pptx) as z:
        return b"".join(z.read(n) for n in z.namelist() if n.startswith("ppt/slides/slide"))


@pytest.mark.parametrize("incremental", [True, False], ids=["folder", "single"])
def test_an_edited_html_deck_pdf_and_handout_survive_a_changed_post(
    tmp_path: Path, post: Path, reveal_source: Path, incremental: bool
) -> None:
    opts = options(tmp_path, reveal_source, incremental=incremental, handout=2)
    build_post(post, opts)
    out = tmp_path / "out"
    page = out / "2024-03-05-edits" / "index.html"
    page.write_text(page.read_text("utf-8").replace("Some text.", "Some text, fixed."), "utf-8")
    pdf, handout = out / "2024-03-05-edits.pdf", out / "2024-03-05-edits.handout-2.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% annotated\n")
    handout.write_bytes(handout.read_bytes() + b"\n% annotated\n")
    edited = {p: p.read_bytes() for p in (page, pdf, handout)}

    again = build_post(post, opts)
    assert again.up_to_date and set(again.edited) == {out / "2024-03-05-edits", pdf, handout}

    post.write_text(POST.replace("Some text.", "Other text."), "utf-8")
    rebuilt = build_post(post, opts)
    kept = {Path(d.get("output")).name: Path(d.get("kept")) for d in rebuilt.warnings if d.code == "O101"}
    assert set(kept) == {"2024-03-05-edits", pdf.name, handout.name}
    assert (kept["2024-03-05-edits"] / "index.html").read_bytes() == edited[page]
    assert kept[pdf.name].read_bytes() == edited[pdf] and kept[handout.name].read_bytes() == edited[handout]
    assert kept[handout.name].name.startswith("2024-03-05-edits.handout-2.edited-")
    assert "Other text." in page.read_text("utf-8")  # the new deck in place


def test_force_rebuilds_but_keeps_and_discard_edits_replaces(tmp_path: Path, post: Path) -> None:
    opts = options(tmp_path, formats=("pptx",), incremental=True)
    build_post(post, opts)
    pptx = tmp_path / "out" / "2024-03-05-edits.pptx"
    edit_title(pptx)
    edited = pptx.read_bytes()
    forced = build_post(post, options(tmp_path, formats=("pptx",), incremental=True, force=True))
    assert not forced.up_to_date
    [kept] = kept_of(forced)
    assert kept.read_bytes() == edited

    edit_title(pptx, "Edited again")
    discarded = build_post(post, options(tmp_path, formats=("pptx",), force=True, discard_edits=True))
    assert not kept_of(discarded) and [d.get("reason") for d in discarded.warnings if d.code == "O103"] == ["edited"]
    assert b"Edited again" not in _slide_xml(pptx)
    assert kept.read_bytes() == edited  # a copy kept before is never deleted
    assert sorted(p.name for p in pptx.parent.glob("*.pptx")) == [kept.name, pptx.name]


def test_a_file_deckgen_did_not_write_or_whose_record_is_lost_is_kept(tmp_path: Path, post: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    pptx = out / "2024-03-05-edits.pptx"
    pptx.write_bytes(b"a deck someone else made")
    first = build_post(post, options(tmp_path, formats=("pptx",)))
    [kept] = kept_of(first, "O102")
    assert kept.read_bytes() == b"a deck someone else made"

    written = pptx.read_bytes()
    stamp_path(out, post).unlink()  # the record is lost
    post.write_text(POST.replace("Some text.", "Other text."), "utf-8")
    second = build_post(post, options(tmp_path, formats=("pptx",)))
    [again] = kept_of(second, "O102")
    assert again.read_bytes() == written and kept.exists()


def test_a_deck_without_a_record_but_with_the_very_bytes_a_build_makes_is_simply_replaced(
    tmp_path: Path, post: Path, reveal_source: Path
) -> None:
    # a course kept in git, cloned elsewhere without OUT/.deckgen/: the same post gives the
    # same bytes, so nothing would be lost and nothing is kept
    opts = options(tmp_path, reveal_source)
    build_post(post, opts)
    shutil.rmtree(tmp_path / "out" / ".deckgen")
    again = build_post(post, opts)
    assert not again.warnings and sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        ".deckgen", "2024-03-05-edits", "2024-03-05-edits.pdf", "2024-03-05-edits.pptx"
    ]


def test_two_edits_in_a_row_give_two_copies_in_time_order(tmp_path: Path, post: Path) -> None:
    import os

    opts = options(tmp_path, formats=("pptx",))
    build_post(post, opts)
    pptx = tmp_path / "out" / "2024-03-05-edits.pptx"
    copies = []
    for n, when in enumerate((dt.datetime(2026, 12, 7, 10, 45), dt.datetime(2026, 12, 8, 9, 0))):
        edit_title(pptx, f"Edit {n}")
        os.utime(pptx, (when.timestamp(), when.timestamp()))
        post.write_text(POST.replace("Some text.", f"Text {n}."), "utf-8")
        [kept] = kept_of(build_post(post, opts))
        copies.append(kept)
    assert [c.name for c in copies] == [
        "2024-03-05-edits.edited-20261207-104500.pptx",
        "2024-03-05-edits.edited-20261208-090000.pptx",
    ]
    assert all(b"Edit" in _slide_xml(c) for c in copies)


def test_a_deck_placed_before_a_failure_is_recorded_so_it_is_not_taken_for_an_edit(
    tmp_path: Path, post: Path, reveal_source: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from deckgen.errors import BuildError
    from deckgen.pipeline import run_post
    from deckgen.writers.pptx import PptxWriter

    opts = options(tmp_path, reveal_source, formats=("html", "pptx"))
    run_post(post, opts)
    post.write_text(POST.replace("Some text.", "Other text."), "utf-8")

    def fail(self: object, deck: object, target: object) -> None:
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as m:
        m.setattr(PptxWriter, "write", fail)
        with pytest.raises(BuildError):  # serve's way: the HTML deck is in place before the .pptx is made
            run_post(post, opts, written=lambda fmt, path: None)
    again = run_post(post, opts, written=lambda fmt, path: None)
    assert not kept_of(again) and not kept_of(again, "O102")


def test_serve_keeps_an_edited_deck_too(tmp_path: Path, post: Path, reveal_source: Path) -> None:
    from deckgen.serve import DevServer, ServeEvent

    events: list[ServeEvent] = []
    server = DevServer(post, options(tmp_path, reveal_source), events.append)
    server.start("127.0.0.1", 0)
    try:
        pptx = tmp_path / "out" / "2024-03-05-edits.pptx"
        edit_title(pptx)
        edited = pptx.read_bytes()
        post.write_text(POST.replace("Some text.", "Other text."), "utf-8")
        server.build([post.stem])
        said = [d for e in events if e.kind == "said" for d in e.diagnostics if d.code == "O101"]
        assert len(said) == 1 and Path(said[0].get("kept")).read_bytes() == edited
    finally:
        server.close()


def test_the_command_line_says_edited_and_kept_in_one_line_each(
    tmp_path: Path, reveal_source: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    posts = tmp_path / "posts"
    posts.mkdir()
    post = posts / "2024-03-05-edits.md"
    post.write_text(POST, "utf-8")
    shutil.copy(post, posts / "2024-03-06-other.md")
    out = tmp_path / "out"
    args = ["build", str(posts), "--out", str(out), "--reveal-js", str(reveal_source), "--jobs", "1",
            "--cache-dir", str(tmp_path / "cache"), "--offline", "--format", "pptx"]
    assert main(args) == 0
    edit_title(out / "2024-03-05-edits.pptx")
    capsys.readouterr()
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    [edited] = [line for line in lines if "2024-03-05-edits.md: up to date" in line]
    assert str(out / "2024-03-05-edits.pptx") in edited
    assert f"{posts / '2024-03-06-other.md'}: up to date" in lines

    post.write_text(POST.replace("Some text.", "Other text."), "utf-8")
    assert main([*args, "--strict"]) == 1  # a kept deck is a warning
    err = capsys.readouterr().err.splitlines()
    [kept] = [line for line in err if "[O101]" in line]
    assert "deckgen pull" in kept and ".edited-" in kept
    assert main([*args, "--discard-edits"]) == 0
