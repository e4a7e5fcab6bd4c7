"""source/frontmatter.py: a post's YAML front matter (split from the body, read into Meta) through read_post."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deckgen.diagnostics import Diagnostics
from deckgen.errors import InputError
from deckgen.source import Source, read_post

NOW = dt.datetime(2024, 5, 6, 7, 8, 9)


def write(tmp_path: Path, text: str, name: str = "post.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def read(tmp_path: Path, text: str, name: str = "post.md") -> tuple[Source, Diagnostics]:
    diag = Diagnostics()
    return read_post(write(tmp_path, text, name), NOW, diag), diag


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        read_post(path, NOW, Diagnostics())
    return info.value


# ---------------------------------------------------------------------------
# front matter


def test_title_author_date_category_and_tags_come_from_the_front_matter(tmp_path: Path) -> None:
    src, _ = read(
        tmp_path,
        "---\nlayout: post\ntitle: Large Language Models\nauthor: Richard Kuo\ndate: 2024-03-01\n"
        "category: Lecture\ntags: [jekyll, ai]\n---\nbody\n",
    )
    assert src.meta.title == "Large Language Models"
    assert src.meta.authors == ("Richard Kuo",)
    assert src.meta.date == "2024-03-01"
    assert src.meta.category == ("Lecture",)
    assert src.meta.tags == ("jekyll", "ai")
    assert src.front["layout"] == "post"


def test_an_author_given_as_a_string_is_one_author_even_with_spaces(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\nauthor: Ada King Lovelace\n---\n")
    assert src.meta.authors == ("Ada King Lovelace",)


def test_an_author_given_as_a_list_is_each_name(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\nauthor: [Richard Kuo, Ada Lovelace]\n---\n")
    assert src.meta.authors == ("Richard Kuo", "Ada Lovelace")


def test_the_authors_key_is_read_too(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\nauthors:\n  - A\n  - B\n---\n")
    assert src.meta.authors == ("A", "B")


def test_the_date_comes_from_the_file_name_when_the_front_matter_has_none(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\ntitle: T\n---\n", name="2024-08-02-OpenCV-Python.md")
    assert src.meta.date == "2024-08-02"


def test_the_front_matter_date_wins_over_the_file_name(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\ndate: 2023-01-02\n---\n", name="2024-08-02-x.md")
    assert src.meta.date == "2023-01-02"


def test_a_date_with_time_and_utc_offset_keeps_the_day(tmp_path: Path) -> None:
    # "+0800" (no colon) is not a YAML timestamp: PyYAML leaves it a string
    src, _ = read(tmp_path, "---\ndate: 2026-06-02 08:00:00 +0800\n---\n")
    assert src.meta.date == "2026-06-02"


def test_a_yaml_timestamp_date_keeps_the_day(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\ndate: 2026-06-02 08:00:00 +08:00\n---\n")
    assert src.meta.date == "2026-06-02"


def test_no_date_anywhere_gives_an_empty_date(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\ntitle: T\n---\n", name="lecture.md")
    assert src.meta.date == ""


def test_the_title_falls_back_to_the_file_name_without_its_date(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\nlayout: post\n---\n", name="2024-08-12-AIGC-intro.md")
    assert src.meta.title == "AIGC intro"


@pytest.mark.parametrize("key", ["category", "categories"])
def test_category_and_categories_are_both_read(tmp_path: Path, key: str) -> None:
    src, _ = read(tmp_path, f"---\n{key}: [Lecture, AI]\n---\n")
    assert src.meta.category == ("Lecture", "AI")


def test_categories_and_tags_given_as_a_string_split_on_spaces_as_in_jekyll(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\ncategories: lecture ai\ntags: jekyll\n---\n")
    assert src.meta.category == ("lecture", "ai")
    assert src.meta.tags == ("jekyll",)


def test_the_body_starts_on_the_line_after_the_closing_dashes(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\ntitle: T\ntags: [a]\n---\nfirst\n")
    assert src.body_line == 5
    assert src.body.startswith("first")


def test_a_post_without_front_matter_is_all_body(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "## Slide\ntext\n", name="notes.md")
    assert src.front == {}
    assert src.body_line == 1
    assert src.body == "## Slide\ntext\n"
    assert src.meta.title == "notes"


def test_empty_front_matter_is_allowed(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\n---\nbody\n")
    assert src.front == {}
    assert src.body == "body\n"


def test_broken_yaml_raises_an_input_error_naming_the_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "---\ntitle: T\nsubtitle: a: b\ntags: [x]\n---\nbody\n")
    err = error_of(path)
    assert err.line == 3
    assert f"{path}:3:" in str(err)
    assert "YAML" in str(err)


def test_an_unclosed_yaml_list_points_at_the_line_that_opened_it(tmp_path: Path) -> None:
    path = write(tmp_path, "---\ntitle: T\nauthor: [A, B\ntags: x\n---\n")
    assert error_of(path).line == 3


def test_an_unclosed_yaml_quote_points_at_the_line_that_opened_it(tmp_path: Path) -> None:
    path = write(tmp_path, '---\ntitle: T\nsubtitle: "oops\ntags: x\n---\n')
    assert error_of(path).line == 3


def test_a_badly_indented_yaml_line_is_the_line_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "---\ntitle: T\ntags:\n  - a\n - b\n---\n")
    assert error_of(path).line == 5


def test_front_matter_that_is_not_a_mapping_raises_an_input_error(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "---\n- a\n- b\n---\n"))
    assert "mapping" in str(err)


def test_front_matter_that_is_never_closed_raises_an_input_error(tmp_path: Path) -> None:
    path = write(tmp_path, "---\ntitle: T\n\n## Slide\n")
    err = error_of(path)
    assert "never ends" in str(err)
    assert str(path) in str(err)


def test_an_author_given_as_a_mapping_is_its_name(tmp_path: Path) -> None:
    src, _ = read(tmp_path, "---\nauthor:\n  name: Richard Kuo\n  url: https://x.org\n---\n")
    assert src.meta.authors == ("Richard Kuo",)


def test_a_date_typo_is_kept_as_written_not_a_crash(tmp_path) -> None:
    import datetime as dt

    from deckgen.diagnostics import Diagnostics
    from deckgen.source import read_post

    post = tmp_path / "p.md"
    post.write_text("---\ntitle: [Part, One]\ndate: 2024-13-45\n---\nbody\n", "utf-8")
    src = read_post(post, dt.datetime(2024, 1, 1), Diagnostics())
    assert src.meta.date == "2024-13-45"
    assert src.meta.title == "Part One"


def test_an_error_never_prints_a_whole_huge_value(tmp_path: Path) -> None:
    err = error_of(write(tmp_path, "---\ntitle: [" + "x" * 100_000 + "\n---\n"))
    assert len(str(err)) < 400
