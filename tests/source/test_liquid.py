"""source/liquid.py: the Liquid a post uses, evaluated (or removed with a warning) through read_post."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from deckgen.diagnostics import Diagnostic, Diagnostics
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
