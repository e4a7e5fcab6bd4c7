"""The URL policy alone: what each kind of address may be, read as a browser reads it."""

from __future__ import annotations

import pytest

from deckgen.urlpolicy import UrlPolicy, browser_form, is_web_url, site_url_of

POLICY = UrlPolicy()

UNSAFE_LINKS = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "\x01javascript:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "javascript&colon;alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "file:///etc/passwd",
    "\\\\host\\share\\x.exe",
    "//\\host/x",
    "/\\host/x",
    "www.example.org/x",
    "x.html",
    "",
    "   ",
    "http://[x",
    "http://x.org:99999999/",
    "C:\\Windows\\x.exe",
]


@pytest.mark.parametrize("url", UNSAFE_LINKS)
def test_unsafe_links_are_refused(url: str) -> None:
    assert POLICY.check(url, "link") is None


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "http://[x", "file:///x"]
)
@pytest.mark.parametrize("kind", ["embed", "video"])
def test_embeds_and_videos_are_web_addresses_only(url: str, kind: str) -> None:
    assert POLICY.check(url, kind) is None  # type: ignore[arg-type]


def test_web_addresses_mail_and_site_paths_are_kept() -> None:
    assert POLICY.check("https://example.org/a", "link") == "https://example.org/a"
    assert POLICY.check(" HTTP://example.org/a ", "link") == "HTTP://example.org/a"
    assert POLICY.check("mailto:t@example.org", "link") == "mailto:t@example.org"
    assert POLICY.check("/2024/08/16/VLM.html", "link") == "/2024/08/16/VLM.html"
    assert POLICY.check("//cdn.example.org/v.mp4", "video") == "//cdn.example.org/v.mp4"
    assert POLICY.check("https://www.youtube.com/embed/abcdefgh", "embed")


def test_pictures_may_be_local_or_inline_images_but_never_script() -> None:
    for ok in ("x.png", "../img/x.png", "/assets/x.png", "file:///tmp/x.png", "data:image/png;base64,AA"):
        assert POLICY.check(ok, "picture") == ok
    for bad in ("javascript:alert(1)", "data:text/html,x", "http://[x", "\\\\host\\x.png", "mailto:x@y"):
        assert POLICY.check(bad, "picture") is None


def test_the_browser_form_drops_tabs_newlines_and_edge_controls_and_decodes_entities() -> None:
    assert browser_form(" \x00ja\tva\nscr\ript&#58;x ") == "javascript:x"


def test_site_paths_become_full_addresses_only_when_the_site_is_known() -> None:
    assert UrlPolicy().absolute("/2024/x.html") is None
    site = UrlPolicy(site_url_of("https://t.example.org/", "/course/"))
    assert site.absolute("/2024/x.html") == "https://t.example.org/course/2024/x.html"
    assert site.absolute("https://a.org/") == "https://a.org/"
    assert site_url_of("javascript:alert(1)") == ""


def test_placeholder_links_are_web_addresses() -> None:
    assert is_web_url("https://x.org/a.png") and is_web_url("//x.org/a.png")
    assert (
        not is_web_url("../../secret/x.png")
        and not is_web_url("javascript:x")
        and not is_web_url("http://[x")
    )
