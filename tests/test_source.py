"""source: reading a post, its YAML front matter and the Liquid it uses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from deckgen.diagnostics import Diagnostic, Diagnostics
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


def body_of(tmp_path: Path, body: str, front: str = "title: T\n") -> tuple[str, tuple[Diagnostic, ...]]:
    src, diag = read(tmp_path, f"---\n{front}---\n{body}")
    return src.body, diag.warnings


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


def test_windows_line_endings_and_a_byte_order_mark_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes("\ufeff---\r\ntitle: T\r\n---\r\nline\r\n".encode())
    src = read_post(path, NOW, Diagnostics())
    assert src.meta.title == "T"
    assert src.body == "line\n"


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


def test_a_file_that_is_not_utf8_raises_an_input_error_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "post.md"
    path.write_bytes(b"---\ntitle: T\n---\ncaf\xe9\n")
    err = error_of(path)
    assert "UTF-8" in str(err)
    assert err.line == 4
    assert err.exit_code == 2


def test_a_binary_file_raises_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "picture.md"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    err = error_of(path)
    assert "not a text file" in str(err)
    assert str(path) in str(err)


def test_a_missing_file_raises_an_input_error(tmp_path: Path) -> None:
    err = error_of(tmp_path / "nope.md")
    assert "no such file" in str(err)
    assert "nope.md" in str(err)


def test_a_folder_raises_an_input_error(tmp_path: Path) -> None:
    err = error_of(tmp_path)
    assert "folder" in str(err)


# ---------------------------------------------------------------------------
# Liquid


def test_site_time_with_a_date_filter_uses_the_injected_clock(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, 'Updated {{ site.time | date: "%B %d, %Y" }}.\n')
    assert body == "Updated May 06, 2024.\n"
    assert warnings == ()


def test_site_time_with_single_quotes_and_no_spaces_works_too(tmp_path: Path) -> None:
    body, _ = body_of(tmp_path, "{{site.time|date:'%Y'}}\n")
    assert body == "2024\n"


def test_page_title_is_the_front_matter_title(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "# {{ page.title }}\n", front="title: Large Language Models\n")
    assert body == "# Large Language Models\n"
    assert warnings == ()


def test_other_page_keys_come_from_the_front_matter(tmp_path: Path) -> None:
    body, _ = body_of(
        tmp_path,
        "{{ page.description }} / {{ page.tags }} / {{ page.date | date: '%Y' }}\n",
        front="description: About LLMs\ntags: [a, b]\ndate: 2023-04-05\n",
    )
    assert body == "About LLMs / a, b / 2023\n"


def test_whitespace_control_dashes_are_understood(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "[{{- page.title -}}]\n", front="title: T\n")
    assert body == "[T]\n"
    assert warnings == ()


def test_an_unknown_output_is_removed_with_one_warning_naming_file_and_line(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "one\ntwo {{ site.data.people }} end\n")
    assert body == "one\ntwo  end\n"
    (warning,) = warnings
    assert (warning.code, warning.file, warning.line) == ("S102", str(tmp_path / "post.md"), 5)
    assert warning.get("text") == "{{ site.data.people }}"


def test_an_unknown_page_key_is_removed_with_a_warning(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "x {{ page.missing }} y\n")
    assert body == "x  y\n"
    assert [(w.code, w.line, w.get("text")) for w in warnings] == [("S102", 4, "{{ page.missing }}")]


def test_a_tag_is_removed_with_one_warning_naming_file_and_line(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "a\n{% include footer.html %}\nb\n")
    assert body == "a\n\nb\n"
    assert [(w.code, w.file, w.line) for w in warnings] == [("S102", str(tmp_path / "post.md"), 5)]
    assert warnings[0].get("what") == "Liquid tag" and "include" in warnings[0].get("text")


def test_warning_lines_stay_right_after_a_multi_line_tag(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "{% include x.html\n   a=1\n   b=2 %}\nline 7\n{{ nope }}\n")
    assert body.split("\n")[3] == "line 7"  # the removed tag keeps its line count
    assert [(w.code, w.line) for w in warnings] == [("S102", 4), ("S102", 8)]


def test_warning_lines_stay_right_after_a_multi_line_raw_block(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "{% raw %}\n{{ a }}\n{{ b }}\n{% endraw %}\n{{ nope }}\n")
    assert body == "\n{{ a }}\n{{ b }}\n\n\n"
    assert [(w.code, w.line, w.get("text")) for w in warnings] == [("S102", 8, "{{ nope }}")]


def test_a_raw_block_is_kept_literally(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "Use {% raw %}{{ page.title }} and {% if %}{% endraw %} here\n")
    assert body == "Use {{ page.title }} and {% if %} here\n"
    assert warnings == ()


def test_raw_blocks_with_whitespace_control_are_kept_literally(tmp_path: Path) -> None:
    body, _ = body_of(tmp_path, "{%- raw -%}{{ x }}{%- endraw -%}\n")
    assert body == "{{ x }}\n"


def test_a_comment_block_is_removed_with_its_content_and_no_warning(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "a\n{% comment %}\nsecret {{ x }}\n{% endcomment %}\nb\n")
    assert body == "a\n\n\n\nb\n"
    assert warnings == ()


def test_block_tags_keep_their_content_and_warn_once_per_tag(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "{% if page.x %}\nshown\n{% endif %}\n")
    assert body == "\nshown\n\n"
    assert [(w.code, w.line, w.get("what")) for w in warnings] == [("S102", 4, "Liquid tag"), ("S102", 6, "Liquid tag")]


def test_an_unterminated_liquid_output_is_never_shown_raw(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "a {{ site.time\nb\n")
    assert "{{" not in body
    assert body.endswith("b\n")
    assert [(w.code, w.line) for w in warnings] == [("S103", 4)]


def test_nothing_liquid_is_left_in_the_body(tmp_path: Path) -> None:
    body, _ = body_of(
        tmp_path,
        "{{ a }} {% b %} {{ c | d }} {%- e -%} {{- f -}}\n{% for x in y %}{{ x }}{% endfor %}\n",
    )
    assert "{{" not in body and "{%" not in body and "}}" not in body and "%}" not in body


def test_liquid_in_the_front_matter_is_not_evaluated_into_the_body_line_count(tmp_path: Path) -> None:
    src, diag = read(tmp_path, "---\ntitle: T\n---\nline 4 {{ bad }}\n")
    assert src.body_line == 4
    assert [(w.code, w.line) for w in diag.warnings] == [("S102", 4)]


def test_an_unclosed_output_does_not_swallow_the_text_up_to_a_later_one(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "a {{ oops\nkept\n{{ page.title }}\n", front="title: T\n")
    assert body == "a \nkept\nT\n"
    assert [(w.code, w.line) for w in warnings] == [("S103", 4)]


def test_the_date_filter_reads_now_and_string_dates(tmp_path: Path) -> None:
    body, warnings = body_of(
        tmp_path,
        "{{ 'now' | date: '%Y' }} {{ page.date | date: '%d.%m.%Y' }}\n",
        front="date: 2026-06-02 08:00:00 +0800\n",
    )
    assert body == "2024 02.06.2026\n"
    assert warnings == ()


def test_a_highlight_tag_becomes_a_fenced_code_block(tmp_path: Path) -> None:
    body, warnings = body_of(tmp_path, "{% highlight python linenos %}\nprint(1)\n{% endhighlight %}\n")
    assert body == "```python\nprint(1)\n```\n"
    assert warnings == ()


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


def test_read_post_has_no_dead_site_baseurl_parameter() -> None:
    # {{ site.baseurl }} is always "" (site paths become links through the URL policy, not here)
    import inspect

    from deckgen.source import evaluate_liquid, read_post

    assert list(inspect.signature(read_post).parameters) == ["path", "now", "diag"]
    assert "site_baseurl" not in inspect.signature(evaluate_liquid).parameters
