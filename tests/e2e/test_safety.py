"""Decks a teacher can publish: posts written to attack them, both decks checked.

Each vector of issue 9 is in one post. The HTML deck is parsed (no event handler, no script
but deckgen's own, no unsafe address anywhere, embeds' ``data-embed`` included) and opened in
Chromium, where every slide is visited and every link, button and embed pressed while
``alert``/``confirm``/``prompt`` calls are counted; the .pptx's relationship parts carry no
unsafe target; a picture outside the site is never copied into either deck."""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image as PILImage

from deckgen.assets.resolve import AssetOptions
from deckgen.build import BuildOptions, build_post
from deckgen.cli import main
from deckgen.errors import ThemeError
from deckgen.urlpolicy import browser_form, scheme_of

VECTORS = """
## Links

<a href="javascript:alert(1)">plain</a> <a href="JaVaScRiPt:alert(2)">mixed case</a>
<a href="   javascript:alert(3)">leading spaces</a> <a href="jav&#x09;ascript:alert(4)">entity tab</a>
<a href="&#106;avascript:alert(5)">entity letter</a> <a href="java	script:alert(6)">raw tab</a>
<a href="vbscript:msgbox(7)">vbscript</a> <a href="data:text/html,<script>alert(8)</script>">data page</a>
<a href="file:///etc/passwd">file link</a> <a href="\\\\host\\share\\x.exe">unc path</a>
<a href="www.example.org/x">no scheme</a> <a href="">empty target</a>
[markdown js](javascript:alert(9)) <a href="javascript&colon;alert(10)">named entity</a>
<a href="/2024/08/16/VLM.html">site path</a> <a href="https://example.org/ok">good link</a>

---

## Embeds

<iframe src="javascript:alert(11)" title="js frame"></iframe>

<iframe src="data:text/html,<script>alert(12)</script>" title="data frame"></iframe>

<video src="javascript:alert(13)">video js</video>

<video controls><source src="JAVASCRIPT:alert(14)"></video>

---

## Markup

<script>alert(15)</script>
<style>body { background: url("javascript:alert(16)") }</style>
<object data="javascript:alert(17)">object text</object>
<embed src="javascript:alert(18)">
<form action="javascript:alert(19)"><button onclick="alert(20)">form button</button></form>
<svg onload="alert(21)"><circle r="4"/></svg>
<span onmouseover="alert(22)">hover text</span>
<b onclick="alert(23)">bold click</b>

Text with </section><script>alert(24)</script> inside and </pre><img src=x onerror=alert(25)>.

```html
</pre></section><script>alert(26)</script>
```

---

## Pictures

<img src="javascript:alert(27)" alt="js picture">
<img src="http://[x" alt="bracket">
<img src="site-ok.png" alt="a picture of the site">
<img src="../../secret/secret.png" alt="climbs out">
<img src="SECRET_ABS" alt="absolute path">
<img src="file://SECRET_ABS" alt="file url">
<img src="linked-secret.png" alt="symlink out">
"""

EXECUTABLE_SCHEMES = ("javascript", "vbscript", "data", "file")


def _site(tmp_path: Path) -> tuple[Path, Path]:
    """A Jekyll site with one post, one picture of its own and a secret picture outside."""
    site = tmp_path / "site"
    posts = site / "_posts"
    posts.mkdir(parents=True)
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    secret = secret_dir / "secret.png"
    PILImage.new("RGB", (64, 48), (255, 0, 255)).save(secret)
    PILImage.new("RGB", (64, 48), (0, 128, 0)).save(posts / "site-ok.png")
    os.symlink(secret, posts / "linked-secret.png")
    post = posts / "2024-08-16-attack.md"
    post.write_text("---\ntitle: Attack\n---\n\n" + VECTORS.replace("SECRET_ABS", str(secret)), "utf-8")
    return post, secret


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, reveal_source: Path):  # noqa: ANN201
    tmp = tmp_path_factory.mktemp("safety")
    post, secret = _site(tmp)
    out = tmp / "out"
    result = build_post(
        post, BuildOptions(out_dir=out, reveal_js=reveal_source, pictures=AssetOptions(cache_dir=tmp / "cache", offline=True))
    )
    return result, out / "2024-08-16-attack", out / "2024-08-16-attack.pptx", secret


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.attrs: list[tuple[str, str, str]] = []  # tag, name, value
        self.scripts: list[str] = []
        self.tags: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if name == "data-embed":
                self.feed_nested(value or "")
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "inline")

    def feed_nested(self, html: str) -> None:
        inner = _Collect()
        inner.feed(html)
        self.attrs.extend(inner.attrs)
        self.scripts.extend(inner.scripts)
        self.tags.extend(inner.tags)


def test_nothing_executable_reaches_the_html(built) -> None:  # noqa: ANN001
    _, deck, _, _ = built
    html = (deck / "index.html").read_text("utf-8")
    seen = _Collect()
    seen.feed(html)
    assert not [a for a in seen.attrs if a[1].startswith("on")]
    for tag, name, value in seen.attrs:
        if name in ("href", "src", "data-src", "poster", "action", "data", "formaction"):
            assert scheme_of(browser_form(value)) not in EXECUTABLE_SCHEMES, (tag, name, value)
            assert not browser_form(value).startswith(("\\\\", "/\\")), (tag, name, value)
    assert sorted(seen.scripts) == sorted(["reveal/dist/reveal.js", "reveal/dist/plugin/notes.js", "inline"])
    for banned in ("object", "embed", "form", "svg", "style", "iframe", "video"):
        assert banned not in seen.tags  # iframes and videos only appear once Play is pressed
    assert "alert(24)" not in html  # raw <script> in the post: dropped with its content
    code = re.search(r'<pre class="dg-frame dg-code"[^>]*>(.*?)</pre>', html, re.S)
    assert code is not None  # in code: shown as text, escaped, inside its <pre>
    assert (
        html_unescape(re.sub(r"<[^>]+>", "", code.group(1))) == "</pre></section><script>alert(26)</script>"
    )
    assert "<script>alert" not in html and "</section><script>" not in html
    assert 'href="/2024/08/16/VLM.html"' in html and 'href="https://example.org/ok"' in html
    for kept in ("plain", "mixed case", "unc path", "no scheme", "hover text", "bold click", "form button"):
        assert kept in html  # the text of every dropped link or element stays


def test_no_unsafe_target_in_any_pptx_relationship(built) -> None:  # noqa: ANN001
    _, _, pptx, _ = built
    with zipfile.ZipFile(pptx) as archive:
        for name in archive.namelist():
            if not name.endswith(".rels"):
                continue
            for target in re.findall(r'Target="([^"]*)"', archive.read(name).decode("utf-8")):
                if 'TargetMode="External"' not in archive.read(name).decode("utf-8"):
                    continue
                scheme = scheme_of(browser_form(target))
                assert scheme in ("http", "https", "mailto", ""), (name, target)
                assert not target.startswith(("\\\\", "//", "/")) or name.endswith("slide.xml.rels"), target
        slides = "".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("ppt/slides/_rels/")
        )
    assert "javascript" not in slides.lower() and "vbscript" not in slides.lower()
    assert "file:" not in slides and "\\\\host" not in slides
    assert "https://example.org/ok" in slides
    assert "/2024/08/16/VLM.html" not in slides  # no site address known: no link in the .pptx


def test_no_picture_from_outside_the_site_in_either_deck(built) -> None:  # noqa: ANN001
    _, deck, pptx, secret = built

    def magenta(data: bytes) -> bool:
        import io

        with PILImage.open(io.BytesIO(data)) as image:
            return image.convert("RGB").getpixel((image.width // 2, image.height // 2)) == (255, 0, 255)

    pictures = [p.read_bytes() for p in (deck / "assets").iterdir()]
    with zipfile.ZipFile(pptx) as archive:
        pictures += [archive.read(n) for n in archive.namelist() if n.startswith("ppt/media/")]
    assert pictures and not any(magenta(data) for data in pictures)
    assert any(not magenta(data) for data in pictures)  # the site's own picture is there
    digest = hashlib.sha256(secret.read_bytes()).hexdigest()
    assert all(hashlib.sha256(d).hexdigest() != digest for d in pictures)


def test_each_vector_gets_its_warning(built) -> None:  # noqa: ANN001
    result, _, _, secret = built
    dropped = [w for w in result.warnings if w.code == "L101"]
    for url in (
        "javascript:alert(1)",
        "JaVaScRiPt:alert(2)",
        "vbscript:msgbox(7)",
        "file:///etc/passwd",
        "www.example.org/x",
        "javascript:alert(11)",
        "javascript:alert(13)",
        "JAVASCRIPT:alert(14)",
        "javascript:alert(27)",
        "http://[x",
    ):
        assert any(w.get("url") == url for w in dropped), url
    assert dropped[0].file is not None and dropped[0].file.endswith("2024-08-16-attack.md") and dropped[0].line
    outside = [w for w in result.warnings if w.code == "P101" and w.get("cause") == "outside"]
    # ../.., an absolute path, a file:// URL and a symlink
    assert [w.get("url") for w in outside] == [
        "../../secret/secret.png",
        str(secret),
        secret.as_uri(),
        "linked-secret.png",
    ]
    assert [(w.line, w.get("url")) for w in result.warnings if w.code == "L102"] == [(15, "/2024/08/16/VLM.html")]
    assert (13, '""') in [(w.line, w.get("url")) for w in dropped]  # <a href="">, on line 13


def test_allow_files_lets_a_folder_in(tmp_path: Path, reveal_source: Path) -> None:
    post, secret = _site(tmp_path)
    result = build_post(
        post,
        BuildOptions(
            formats=("pptx",),
            out_dir=tmp_path / "out",
            pictures=AssetOptions(cache_dir=tmp_path / "c", offline=True, allow_files=(secret.parent,)),
        ),
    )
    assert not [w for w in result.warnings if w.code == "P101" and w.get("cause") == "outside"]
    assert not [w for w in result.warnings if w.code == "P101" and "secret" in w.get("url")]


def test_site_paths_become_full_links_in_the_pptx_with_the_sites_address(tmp_path: Path) -> None:
    post, _ = _site(tmp_path)
    (post.parent.parent / "_config.yml").write_text('url: "https://t.example.org"\nbaseurl: "/ai"\n')
    result = build_post(
        post,
        BuildOptions(
            formats=("pptx",), out_dir=tmp_path / "o", pictures=AssetOptions(cache_dir=tmp_path / "c", offline=True)
        ),
    )
    assert not [w for w in result.warnings if w.code == "L102"]
    with zipfile.ZipFile(tmp_path / "o" / "2024-08-16-attack.pptx") as archive:
        rels = "".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".rels"))
    assert 'Target="https://t.example.org/ai/2024/08/16/VLM.html"' in rels


def test_reproducer_6_a_bracket_in_a_picture_url_is_dropped_not_a_crash(tmp_path: Path, capsys) -> None:  # noqa: ANN001
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: x\n---\n## s\n<img src=http://[x>\n\n![a](http://[y/z.png)\n")
    code = main(
        [
            "build",
            str(post),
            "--out",
            str(tmp_path / "o"),
            "--offline",
            "--format",
            "pptx",
            "--cache-dir",
            str(tmp_path / "c"),
        ]
    )
    err = capsys.readouterr().err
    assert code == 0 and "internal error" not in err
    said = [line for line in err.splitlines() if line.startswith(f"warning: {post}:5: ")]
    assert len(said) == 1 and "http://[x" in said[0] and said[0].endswith("[L101]")


def test_a_theme_a_post_names_reads_files_only_from_the_site(tmp_path: Path) -> None:
    post, secret = _site(tmp_path)
    outside = tmp_path / "evil.toml"
    outside.write_text(f'extends = "default"\n[logo]\npath = "{secret}"\n')
    text = post.read_text().replace("title: Attack", f"title: Attack\ntheme: {outside}")
    post.write_text(text)
    options = BuildOptions(
        formats=("html",), out_dir=tmp_path / "o", pictures=AssetOptions(cache_dir=tmp_path / "c", offline=True)
    )
    with pytest.raises(ThemeError, match="--allow-files"):
        build_post(post, options)
    inside = post.parent.parent / "site-theme.toml"
    inside.write_text(f'extends = "default"\n[html]\ncss = "{tmp_path / "secret" / "x.css"}"\n')
    (tmp_path / "secret" / "x.css").write_text("body{}")
    post.write_text(text.replace(str(outside), str(inside)))
    with pytest.raises(ThemeError, match="outside the post's folder"):
        build_post(post, options)
    build_post(
        post,
        BuildOptions(
            formats=("pptx",),
            out_dir=tmp_path / "o",
            pictures=AssetOptions(cache_dir=tmp_path / "c", offline=True, allow_files=(tmp_path / "secret",)),
        ),
    )


def test_chromium_pressing_everything_runs_no_script_of_the_post(built) -> None:  # noqa: ANN001
    from support import rendercheck as rc

    _, deck, _, _ = built
    dialogs: list[str] = []
    with rc._open_deck(deck) as session:
        page = session.page
        context = page.context

        def watch(p) -> None:  # noqa: ANN001
            p.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        watch(page)
        context.on("page", watch)
        page.evaluate(
            "() => { window.__calls = 0; for (const f of ['alert', 'confirm', 'prompt'])"
            " window[f] = () => { window.__calls++; }; }"
        )
        total = page.evaluate("() => Reveal.getTotalSlides()")
        for index in range(total):
            page.evaluate(f"() => Reveal.slide({index})")
            page.wait_for_timeout(50)
            count = page.evaluate(
                "() => { const s = Reveal.getCurrentSlide(); let n = 0;"
                " for (const el of s.querySelectorAll('a, button, .dg-play, span, b, strong, p, img')) {"
                "   for (const type of ['mouseover', 'mousedown', 'click', 'focus']) {"
                "     el.dispatchEvent(new MouseEvent(type, {bubbles: true, cancelable: true})); n++; }"
                "   if (el.tagName === 'A') el.click(); }"
                " return n; }"
            )
            assert count > 0
            page.wait_for_timeout(100)
            for frame in page.frames:
                try:
                    frame.evaluate("() => 0")
                except Exception:  # noqa: BLE001 - a blocked frame has nothing to run
                    pass
        calls = page.evaluate("() => window.__calls")
        played = page.evaluate("() => document.querySelectorAll('.dg-embed iframe, .dg-embed video').length")
    assert calls == 0 and dialogs == []
    assert played == 0  # no embed of this post was safe: none can be played
