"""The course page written for a folder build."""

from __future__ import annotations

from pathlib import Path

from deckgen.assets.resolve import AssetStats
from deckgen.course import write_course_index
from deckgen.pipeline import Record


def result(out: Path, stem: str, title: str, pages: int) -> Record:
    return Record(
        Path("posts") / f"{stem}.md",
        title,
        pages,
        AssetStats(),
        (out / f"{stem}.pptx", out / stem / "index.html"),
        1.0,
    )


def test_the_index_lists_every_deck_with_date_title_slides_and_relative_links(tmp_path: Path) -> None:
    page = write_course_index(
        [result(tmp_path, "2024-08-02-OpenCV", "OpenCV <Python>", 66), result(tmp_path, "notes", "Notes", 3)],
        tmp_path,
    )
    html = page.read_text("utf-8")
    assert "OpenCV &lt;Python&gt;" in html  # titles are escaped
    assert "<td>2024-08-02</td>" in html and "<td>66</td>" in html
    assert 'href="2024-08-02-OpenCV.pptx"' in html and 'href="2024-08-02-OpenCV/index.html"' in html
    assert html.index("2024-08-02-OpenCV") < html.index("notes.pptx")
