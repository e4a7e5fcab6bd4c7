"""course/decks.py: the decks as the course page lists them: each output named for what it is,
with its size; newest first."""

from __future__ import annotations

from pathlib import Path

from deckgen.assets.resolve import AssetStats
from deckgen.course.cards import Card, write_card
from deckgen.course.decks import course_entries, deck_entry, human_size, output_of
from deckgen.pipeline import Record


def record(out: Path, stem: str, title: str = "T", pages: int = 3, outputs: tuple[str, ...] = ()) -> Record:
    names = outputs or (f"{stem}.pptx", f"{stem}/index.html")
    return Record(Path("posts") / f"{stem}.md", title, pages, AssetStats(), tuple(out / n for n in names), 1.0)


def test_every_output_has_its_label_and_the_files_their_size(tmp_path: Path) -> None:
    post = Path("posts/2024-01-02-x.md")
    (tmp_path / "2024-01-02-x.pptx").write_bytes(b"p" * 3_984_589)
    (tmp_path / "2024-01-02-x.handout-2.pdf").write_bytes(b"h" * 700_000)
    cases = {
        "2024-01-02-x.pptx": ("pptx", "PowerPoint", 3_984_589),
        "2024-01-02-x/index.html": ("html", "Slides (HTML)", None),
        "2024-01-02-x.pdf": ("pdf", "PDF", None),  # gone: no size to show
        "2024-01-02-x.handout-2.pdf": ("handout", "Handout, 2 a page", 700_000),
        "2024-01-02-x.handout-6.pdf": ("handout", "Handout, 6 a page", None),
    }
    for name, (kind, label, size) in cases.items():
        out = output_of(tmp_path / name, post, tmp_path)
        assert out is not None and (out.kind, out.label, out.size) == (kind, label, size), name
    assert output_of(tmp_path / "other.pptx", post, tmp_path) is None
    assert output_of(tmp_path / "2024-01-02-x.handout-4.pdf", post, tmp_path) is None
    assert human_size(3_984_589) == "3.8 MB" and human_size(700_000) == "684 kB" and human_size(10) == "1 kB"


def test_an_entry_lists_the_html_deck_first_then_powerpoint_pdf_and_handout(tmp_path: Path) -> None:
    names = ("x.handout-2.pdf", "x.pdf", "x/index.html", "x.pptx")
    entry = deck_entry(record(tmp_path, "x", outputs=names), tmp_path)
    assert [o.kind for o in entry.outputs] == ["html", "pptx", "pdf", "handout"]
    assert entry.picture is None and entry.tags == () and entry.date == ""


def test_an_entry_takes_date_tags_and_picture_from_the_card(tmp_path: Path) -> None:
    post = Path("posts/2024-05-01-y.md")
    write_card(tmp_path, post, Card("2024-05-03", ("a", "b"), "2024-05-01-y.card.webp"), b"RIFF")
    entry = deck_entry(record(tmp_path, "2024-05-01-y", title=""), tmp_path)
    assert (entry.date, entry.tags, entry.picture) == ("2024-05-03", ("a", "b"), tmp_path / "2024-05-01-y.card.webp")
    assert entry.title == "2024-05-01-y"  # a post without a title is named by its file


def test_the_course_is_newest_first_and_undated_posts_come_last_by_name(tmp_path: Path) -> None:
    stems = ["2024-01-01-a", "notes", "2025-03-01-c", "2024-06-01-b", "appendix"]
    entries = course_entries([record(tmp_path, s) for s in stems], tmp_path)
    assert [e.stem for e in entries] == ["2025-03-01-c", "2024-06-01-b", "2024-01-01-a", "appendix", "notes"]
