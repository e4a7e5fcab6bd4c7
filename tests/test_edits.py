"""The edits guard on its own: what is at an output compared with the record, kept names,
keeping aside, discarding, and the stamp it makes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from deckgen.diagnostics import Diagnostics
from deckgen.edits import Guard, kept_name, record_of, same_content, state_of
from deckgen.errors import BuildError
from deckgen.stamp import Kept, Stamp

WHEN = dt.datetime(2026, 12, 7, 10, 45, 12).timestamp()


def stamp_of(out: Path, *rels: str, version: int = 3, recorded_ns: int = 0, kept: tuple[Kept, ...] = ()) -> Stamp:
    files = {}
    for rel in rels:
        for path in sorted((out / rel).rglob("*")) if (out / rel).is_dir() else [out / rel]:
            if path.is_file():
                files[path.relative_to(out).as_posix()] = record_of(path)
    outputs = tuple(f"{rel}/index.html" if (out / rel).is_dir() else rel for rel in rels)
    return Stamp(
        "d", "T", 1, outputs, (), files if version >= 3 else {}, kept, "/p.md", "postsha", version=version, recorded_ns=recorded_ns
    )


@pytest.fixture
def out(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    (out / "x" / "assets").mkdir(parents=True)
    (out / "x.pptx").write_bytes(b"deck")
    (out / "x" / "index.html").write_text("<p>deck</p>", "utf-8")
    (out / "x" / "assets" / "a.png").write_bytes(b"png")
    return out


def test_an_output_is_written_edited_unknown_or_absent(out: Path) -> None:
    stamp = stamp_of(out, "x.pptx", "x")
    assert state_of(out / "x.pptx", out, stamp) == "written"
    assert state_of(out / "x", out, stamp) == "written"
    assert state_of(out / "y.pptx", out, stamp) == "absent"
    assert state_of(out / "x.pptx", out, None) == "unknown"  # no record at all
    (out / "x.pdf").write_bytes(b"pdf")
    assert state_of(out / "x.pdf", out, stamp) == "unknown"  # no record of this one
    (out / "x.pptx").write_bytes(b"DECK")  # same size, new bytes
    assert state_of(out / "x.pptx", out, stamp) == "edited"


def test_a_touched_file_with_the_same_bytes_is_still_written(out: Path) -> None:
    stamp = stamp_of(out, "x.pptx")
    os.utime(out / "x.pptx", (WHEN, WHEN))  # a checkout, a copy: the time changes, not the bytes
    assert state_of(out / "x.pptx", out, stamp) == "written"


@pytest.mark.parametrize("change", ["edit", "add", "remove"])
def test_a_folder_is_edited_when_any_file_changes_appears_or_goes(out: Path, change: str) -> None:
    stamp = stamp_of(out, "x")
    if change == "edit":
        (out / "x" / "index.html").write_text("<p>mine</p>", "utf-8")
    elif change == "add":
        (out / "x" / "notes.txt").write_text("mine", "utf-8")
    else:
        (out / "x" / "assets" / "a.png").unlink()
    assert state_of(out / "x", out, stamp) == "edited"


def test_an_older_stamp_without_records_trusts_outputs_not_changed_since_it(out: Path) -> None:
    later = (out / "x.pptx").stat().st_mtime_ns + 10**9
    old = stamp_of(out, "x.pptx", "x", version=2, recorded_ns=later)
    assert state_of(out / "x.pptx", out, old) == "written"
    assert state_of(out / "x", out, old) == "written"
    os.utime(out / "x" / "index.html", ns=(later + 10**9, later + 10**9))
    assert state_of(out / "x", out, old) == "edited"
    assert state_of(out / "y.pptx", out, old) == "absent"
    (out / "x.pdf").write_bytes(b"pdf")
    assert state_of(out / "x.pdf", out, old) == "unknown"  # not among its outputs


def test_a_kept_name_says_edited_with_its_modification_time_and_is_free(out: Path) -> None:
    os.utime(out / "x.pptx", (WHEN, WHEN))
    first = kept_name(out / "x.pptx")
    assert first.name == "x.edited-20261207-104512.pptx"
    first.write_bytes(b"taken")
    second = kept_name(out / "x.pptx")
    assert second.name == "x.edited-20261207-104513.pptx"  # the next second: still in order
    assert sorted([second.name, first.name]) == [first.name, second.name]
    for path in (out / "x").rglob("*"):
        os.utime(path, (WHEN, WHEN))
    assert kept_name(out / "x").name == "x.edited-20261207-104512"
    handout = out / "x.handout-2.pdf"
    handout.write_bytes(b"h")
    os.utime(handout, (WHEN, WHEN))
    assert kept_name(handout).name == "x.handout-2.edited-20261207-104512.pdf"


def test_the_guard_keeps_an_edited_output_aside_and_says_so(out: Path) -> None:
    stamp = stamp_of(out, "x.pptx", "x")
    (out / "x.pptx").write_bytes(b"edited deck")
    (out / "x" / "index.html").write_text("<p>edited</p>", "utf-8")
    diag = Diagnostics()
    guard = Guard(out, stamp, diag)
    assert set(guard.edited()) == {out / "x.pptx", out / "x"}
    guard.clear_way(out / "x.pptx")
    guard.clear_way(out / "x")
    assert not (out / "x.pptx").exists() and not (out / "x").exists()
    kept = {k.output: k for k in guard.kept}
    assert (out / kept["x.pptx"].path).read_bytes() == b"edited deck"
    assert (out / kept["x"].path / "index.html").read_text("utf-8") == "<p>edited</p>"
    assert kept["x.pptx"].reason == "edited" and kept["x.pptx"].post_sha256 == "postsha"
    assert kept["x.pptx"].written_sha256 == stamp.files["x.pptx"].sha256
    assert [d.code for d in diag] == ["O101", "O101"]
    facts = diag.items[0].facts
    assert facts["kept"] == str(out / kept["x.pptx"].path) and "deckgen pull" in facts["todo"]
    assert diag.items[0].file == str(out / "x.pptx")


def test_what_deckgen_wrote_or_nothing_needs_no_keeping(out: Path) -> None:
    diag = Diagnostics()
    guard = Guard(out, stamp_of(out, "x.pptx"), diag)
    guard.clear_way(out / "x.pptx")
    guard.clear_way(out / "nothing.pdf")
    assert (out / "x.pptx").exists() and not guard.kept and not diag.items


def test_a_file_without_a_record_is_kept_too(out: Path) -> None:
    diag = Diagnostics()
    guard = Guard(out, None, diag)
    guard.clear_way(out / "x.pptx")
    assert [d.code for d in diag] == ["O102"] and guard.kept[0].reason == "unknown"
    assert (out / guard.kept[0].path).read_bytes() == b"deck"


def test_discarding_edits_keeps_nothing_and_says_so(out: Path) -> None:
    (out / "x.pptx").write_bytes(b"edited")
    diag = Diagnostics()
    guard = Guard(out, stamp_of(out, "x"), diag, discard=True)
    guard.clear_way(out / "x.pptx")
    assert (out / "x.pptx").read_bytes() == b"edited"  # left for the swap to replace
    assert not guard.kept and [(d.code, d.get("reason")) for d in diag] == [("O103", "unknown")]


def test_an_edit_that_cannot_be_kept_stops_the_build_and_stays(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (out / "x.pptx").write_bytes(b"edited")

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    with pytest.raises(BuildError):
        Guard(out, stamp_of(out, "x"), Diagnostics()).clear_way(out / "x.pptx")
    assert (out / "x.pptx").read_bytes() == b"edited"


def test_the_new_stamp_keeps_old_records_of_outputs_not_rewritten_and_every_kept_copy(out: Path) -> None:
    (out / "old.edited-20250101-000000.pptx").write_bytes(b"kept before")
    earlier = Kept("old.edited-20250101-000000.pptx", "old.pptx", "edited")
    gone = Kept("gone.edited-20250101-000000.pptx", "gone.pptx", "edited")
    old = stamp_of(out, "x.pptx", "x", kept=(earlier, gone))
    guard = Guard(out, old, Diagnostics())
    (out / "x.pptx").write_bytes(b"new deck")
    guard.placed_at(out / "x.pptx")
    new = guard.stamp("d2", "T", 2, ("x.pptx",), (), out / "x.pptx", "sha", "2024-03-05")
    assert new.files["x.pptx"].sha256 == record_of(out / "x.pptx").sha256  # the new record
    assert new.files["x/index.html"] == old.files["x/index.html"]  # not rewritten: its old record
    assert [k.path for k in new.kept] == [earlier.path]  # a kept copy someone deleted is forgotten


def test_an_unrecorded_output_with_the_new_bytes_needs_no_keeping(out: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    (new / "assets").mkdir(parents=True)
    (new / "index.html").write_text("<p>deck</p>", "utf-8")
    (new / "assets" / "a.png").write_bytes(b"png")
    assert same_content(out / "x", new)
    diag = Diagnostics()
    guard = Guard(out, None, diag)
    guard.clear_way(out / "x", new)
    assert (out / "x").is_dir() and not guard.kept and not diag.items
    (new / "assets" / "b.png").write_bytes(b"more")
    assert not same_content(out / "x", new)
    guard.clear_way(out / "x", new)
    assert not (out / "x").exists() and [d.code for d in diag] == ["O102"]
    assert not same_content(out / "x.pptx", new) and same_content(out / "x.pptx", out / "x.pptx")
