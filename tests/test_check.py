"""``deckgen check``: each kind of mistake on its line, nothing on correct lines, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deckgen.assets.resolve import AssetOptions
from deckgen.check import BuildOptions, check_post, link_problem
from deckgen.cli import main


def _write(post: Path, front: list[str], body: list[tuple[str, str | None]]) -> dict[int, str | None]:
    """Write the post; return {line: the kind expected there (None: nothing)}."""
    lines = ["---", *front, "---", ""]
    expected: dict[int, str | None] = {}
    for text, kind in body:
        expected[len(lines) + 1] = kind
        lines.extend(text.split("\n"))
        lines.append("")
    post.parent.mkdir(parents=True, exist_ok=True)
    post.write_text("\n".join(lines) + "\n", "utf-8")
    return expected


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "_posts").mkdir(parents=True)
    (root / "assets").mkdir()
    return root


def test_one_of_each_mistake_on_its_line(site: Path, image_server, capsys) -> None:  # type: ignore[no-untyped-def]
    from support.imageserver import ImageServer

    server: ImageServer = image_server
    (site.parent / "outside.png").write_bytes((Path(__file__).parent / "../themes").resolve().name.encode())
    good = server.image_url("check-good", "png", w=40, h=30)
    post = site / "_posts" / "2024-01-02-mistakes.md"
    expected = _write(
        post,
        ["title: Mistakes", "date: 2024-13-45"],
        [
            ("## Correct things", None),
            (
                "Fine **bold**, __strong__, `code`, [a link](https://example.com/x) and a [page](/2024/x.html).",
                None,
            ),
            (f"![a picture]({good})", None),
            ("* a list with **bold** and <br> and <b>tags</b> and <kbd>Ctrl</kbd>", None),
            ("```\ncode with ** and ` and [x](ttps://y) and <T>\n```", None),
            ("## Mistakes", None),
            ("A **stray bold left open.", "markup"),
            ("A `code span never closed.", "markup"),
            ("[split link]\n(https://example.com/a)", "markup"),
            ("[broken](https://exa\nmple.com)", "markup"),
            ("[typo](ttps://example.com)", "link"),
            ("[bare](www.example.com/page)", "link"),
            ("[empty]()", "link"),
            ("[bad](javascript:alert(1))", "link"),
            ('<a href="htps://example.com/b">html typo</a>', "link"),
            ("Generic List<String> here.", "markup"),
            ("{{ page.title", "markup"),
            (f"![dead]({server.url('fault/404.png')})", "picture"),
            (f"![web page]({server.url('fault/html.png')})", "picture"),
            ("![outside](../../outside.png)", "picture"),
            ("<!-- a comment never closed", "markup"),
        ],
    )
    code = main(["check", str(post), "--cache-dir", str(site.parent / "cache"), "--timeout", "10"])
    out = capsys.readouterr().out.strip().split("\n")
    assert code == 1
    got: dict[int, list[str]] = {}
    for line in out:
        path, number, kind, _ = line.split(":", 3)
        assert path == str(post)
        got.setdefault(int(number), []).append(kind.strip())
    date_line = 3
    assert got.pop(date_line) == ["front-matter"], out
    for number, kind in expected.items():
        if kind is None:
            assert number not in got, f"false alarm on line {number}: {out}"
        else:
            assert got.get(number) == [kind], f"line {number}: expected {kind}, got {got.get(number)}: {out}"
    assert set(got) <= set(expected), out
    web = next(line for line in out if "html.png" in line)
    assert "web page" in web
    assert all(line.endswith(")") and " (" in line for line in out)  # what to do, every time


def test_warm_check_sends_no_request_and_offline_skips_the_network(site: Path, image_server, capsys) -> None:  # type: ignore[no-untyped-def]
    post = site / "_posts" / "pics.md"
    _write(
        post, ["title: Pics"], [(f"![x]({image_server.image_url('check-warm', 'png', w=30, h=20)})", None)]
    )
    cache = site.parent / "cache"
    assert main(["check", str(post), "--cache-dir", str(cache)]) == 0
    image_server.reset_log()
    assert main(["check", str(post), "--cache-dir", str(cache)]) == 0
    assert image_server.requests == []
    other = site / "_posts" / "other.md"
    _write(other, ["title: Other"], [(f"![x]({image_server.url('fault/404.png')})", None)])
    assert main(["check", str(other), "--offline", "--cache-dir", str(cache)]) == 0
    assert image_server.requests == []
    assert capsys.readouterr().out == ""


def test_clean_post_gives_no_output_and_exit_0(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    post = site / "_posts" / "clean.md"
    _write(post, ["title: Clean", "date: 2024-08-16 08:00:00 +0800"], [("## A\n\nplain **text**", None)])
    assert main(["check", str(post), "--offline", "--cache-dir", str(site / "c")]) == 0
    assert capsys.readouterr().out == ""


def test_no_title_json_and_bad_input(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    post = site / "_posts" / "untitled.md"
    _write(post, ["layout: post"], [("## A", None)])
    assert main(["check", str(post), "--offline", "--format", "json", "--cache-dir", str(site / "c")]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [(f["line"], f["kind"]) for f in found] == [(1, "front-matter")]
    assert "title" in found[0]["message"]
    broken = site / "_posts" / "broken.md"
    broken.write_text('---\ntitle: "open\n---\n', "utf-8")
    assert main(["check", str(broken), "--offline", "--cache-dir", str(site / "c")]) == 2
    assert "broken.md:2:" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("url", "word"),
    [
        ("ttps://x.org", "typo"),
        ("htps://x.org", "typo"),
        ("http:/x.org", "'//'"),
        ("https//x.org", "':'"),
        ("www.x.org/a", "no scheme"),
        ("github.com/a/b", "no scheme"),
        ("", "empty"),
        ("javascript:alert(1)", "unsafe"),
        ("chrome-extension://abc/x.pdf", "unsafe"),
    ],
)
def test_link_rules(url: str, word: str) -> None:
    problem = link_problem(url)
    assert problem is not None and word in problem[0]


@pytest.mark.parametrize(
    "url",
    ["https://x.org", "http://x.org/a?b", "mailto:a@b.org", "/2024/01/x.html", "#top", "page.html", "../a/"],
)
def test_good_links(url: str) -> None:
    assert link_problem(url) is None


def test_check_post_api_returns_findings_in_line_order(site: Path) -> None:
    post = site / "_posts" / "api.md"
    _write(post, ["title: API"], [("[a](ttps://x)", "link"), ("**open", "markup")])
    found = check_post(post, BuildOptions(pictures=AssetOptions(offline=True, cache_dir=site / "c")))
    assert [f.line for f in found] == sorted(f.line for f in found) and len(found) == 2
    assert str(found[0]).startswith(f"{post}:5: link: ")


def test_a_folder_allowed_with_allow_files_is_not_outside(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image as PILImage

    shared = site.parent / "shared-pictures"
    shared.mkdir()
    PILImage.new("RGB", (8, 6), "red").save(shared / "p.png")
    post = site / "_posts" / "local.md"
    _write(post, ["title: Local"], [("![p](../../shared-pictures/p.png)", "picture")])
    args = ["check", str(post), "--cache-dir", str(site / "c")]
    assert main(args) == 1
    assert ":5: picture: " in capsys.readouterr().out
    assert main([*args, "--allow-files", str(shared)]) == 0
    assert capsys.readouterr().out == ""
