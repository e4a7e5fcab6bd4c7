"""check/__init__.py: ``deckgen check`` and ``check_post``: each kind of mistake on its line, nothing
on correct lines, exit codes, the options a check shares with a build."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from deckgen.assets.cache import Cache
from deckgen.assets.resolve import AssetOptions
from deckgen.check import check_post
from deckgen.cli import main
from deckgen.options import BuildOptions

CODE_TAG = re.compile(r" \[[A-Z]\d{3}\]$")


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
    args = ["check", str(post), "--cache-dir", str(site.parent / "cache"), "--timeout", "10"]
    code = main(args)
    out = capsys.readouterr().out.strip().split("\n")
    assert code == 1
    got: dict[int, list[str]] = {}
    for line in out:
        path, number, kind, _ = line.split(":", 3)
        assert path == str(post)
        assert CODE_TAG.search(line), line  # every finding ends with its code
        got.setdefault(int(number), []).append(kind.strip())
    date_line = 3
    assert got.pop(date_line) == ["front-matter"], out
    for number, kind in expected.items():
        if kind is None:
            assert number not in got, f"false alarm on line {number}: {out}"
        else:
            assert got.get(number) == [kind], f"line {number}: expected {kind}, got {got.get(number)}: {out}"
    assert set(got) <= set(expected), out
    assert main([*args, "--output-format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [(f["line"], f["kind"]) for f in found] == [
        (int(line.split(":")[1]), line.split(":")[2].strip()) for line in out
    ]  # the same findings as the text, in the same order
    (web,) = [f for f in found if f["data"].get("url", "").endswith("fault/html.png")]
    assert (web["code"], web["data"]["cause"]) == ("P101", "not-a-picture")
    assert all(f["hint"] for f in found), found  # what to do, every time
    assert all(CODE_TAG.sub("", line).endswith(f" ({f['hint']})") for line, f in zip(out, found))


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
    assert "[A203]" in capsys.readouterr().out  # a part without a heading: a note (exit code 0)
    assert main(["check", str(other), "--offline", "--cache-dir", str(cache), "--ignore", "A203"]) == 0
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
    assert [(f["line"], f["kind"], f["code"]) for f in found] == [(1, "front-matter", "S201")]
    assert (found[0]["name"], found[0]["severity"], found[0]["file"]) == ("no-title", "warning", str(post))
    # a post a build would refuse is a finding too (an error), not bad usage
    broken = site / "_posts" / "broken.md"
    broken.write_text('---\ntitle: "open\n---\n', "utf-8")
    args = ["check", str(broken), "--offline", "--cache-dir", str(site / "c")]
    assert main(args) == 1
    (line,) = capsys.readouterr().out.strip().split("\n")
    assert line.startswith(f"{broken}:2: front-matter: ") and line.endswith("[E103]")
    assert main([*args, "--output-format", "json"]) == 1
    (item,) = json.loads(capsys.readouterr().out)
    assert (item["file"], item["line"], item["code"], item["severity"]) == (str(broken), 2, "E103", "error")


def test_an_unknown_theme_and_a_post_too_large_are_findings(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    post = site / "_posts" / "themed.md"
    _write(post, ["title: Themed", "theme: no-such-theme"], [("## A", None)])
    args = ["check", str(post), "--offline", "--cache-dir", str(site / "c"), "--output-format", "json"]
    assert main(args) == 1
    assert [(f["file"], f["code"]) for f in json.loads(capsys.readouterr().out)] == [(str(post), "E201")]
    assert main([*args, "--theme", "default"]) == 0  # --theme wins over the post's
    assert json.loads(capsys.readouterr().out) == []
    assert main([*args, "--theme", "default", "--max-post-size", "0.00001"]) == 1
    assert [f["code"] for f in json.loads(capsys.readouterr().out)] == ["E104"]


def test_check_post_api_returns_findings_in_line_order(site: Path) -> None:
    post = site / "_posts" / "api.md"
    _write(post, ["title: API"], [("[a](ttps://x)", "link"), ("**open", "markup")])
    found = check_post(post, BuildOptions(pictures=AssetOptions(offline=True, cache_dir=site / "c")))
    assert [(f.file, f.line, f.kind, f.code) for f in found] == [(str(post), 5, "link", "L203"), (str(post), 7, "markup", "M201")]


def test_a_folder_allowed_with_allow_files_is_not_outside(site: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image as PILImage

    shared = site.parent / "shared-pictures"
    shared.mkdir()
    PILImage.new("RGB", (8, 6), "red").save(shared / "p.png")
    post = site / "_posts" / "local.md"
    _write(post, ["title: Local"], [("![p](../../shared-pictures/p.png)", "picture")])
    args = ["check", str(post), "--cache-dir", str(site / "c"), "--ignore", "accessibility"]
    assert main(args) == 1
    out = capsys.readouterr().out
    assert out.startswith(f"{post}:5: picture: ") and out.rstrip().endswith("[P201]")
    assert main([*args, "--allow-files", str(shared)]) == 0
    assert capsys.readouterr().out == ""


# -- the options a check shares with a build (the check once lacked them) --------------------


def test_max_size_refuses_a_picture_over_it(site: Path, image_server, capsys) -> None:  # type: ignore[no-untyped-def]
    post = site / "_posts" / "big.md"
    big = image_server.image_url("check-big", "png", w=1200, h=800)
    _write(post, ["title: Big"], [(f"![big]({big})", "picture")])
    args = ["check", str(post), "--cache-dir", str(site / "c"), "--output-format", "json", "--ignore", "accessibility"]
    assert main([*args, "--max-size", "0.5"]) == 1
    (found,) = json.loads(capsys.readouterr().out)
    assert (found["code"], found["line"], found["data"]["url"]) == ("P101", 5, big)
    assert "larger than the 0.5 MB limit" in found["data"]["reason"]  # the limit given, not the default
    assert main(args) == 0 and json.loads(capsys.readouterr().out) == []


def test_max_age_makes_a_check_revalidate_what_is_older(site: Path, image_server) -> None:  # type: ignore[no-untyped-def]
    post = site / "_posts" / "aged.md"
    url = image_server.image_url("check-aged", "png", w=30, h=20)
    _write(post, ["title: Aged"], [(f"![x]({url})", None)])
    args = ["check", str(post), "--cache-dir", str(site / "c")]
    assert main(args) == 0  # fetched and cached
    cache = Cache(site / "c")
    entry = cache.lookup(url)
    assert entry is not None
    cache.touch(entry, now=time.time() - 2 * 86400)  # last confirmed two days ago
    image_server.reset_log()
    assert main(args) == 0 and image_server.requests == []  # fresh under the default 7 days
    assert main([*args, "--max-age", "1"]) == 0
    (asked,) = image_server.requests
    assert "If-None-Match" in asked.headers  # a revalidation of the cached copy


def test_site_url_and_max_post_size_reach_the_check(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import deckgen.check

    seen: list[BuildOptions] = []
    monkeypatch.setattr(deckgen.check, "check_post", lambda post, options, services=None, ignore=(): seen.append(options) or [])
    post = site / "_posts" / "linked.md"
    _write(post, ["title: Linked"], [("[a page](/2024/01/x.html)", None)])
    args = ["check", str(post), "--offline", "--cache-dir", str(site / "c")]
    assert main([*args, "--site-url", "https://teacher.example/course/", "--max-post-size", "3"]) == 0
    (options,) = seen
    assert options.site_url == "https://teacher.example/course/"
    assert options.max_post_bytes == 3 * 1024 * 1024
