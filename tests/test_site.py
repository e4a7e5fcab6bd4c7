"""site.py: the Jekyll site around the posts: its _config.yml, where build --site writes, and
_data/decks.json keyed by page.path."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from deckgen.assets.resolve import AssetStats
from deckgen.course.decks import course_entries
from deckgen.diagnostics import codes as C
from deckgen.errors import InputError
from deckgen.pipeline import Record, site_address
from deckgen.site import SiteConfig, deck_url, decks_data, read_site_config, site_build, site_path


def config(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(text, "utf-8")
    return root


def test_the_config_says_title_description_address_language_and_data_folder(tmp_path: Path) -> None:
    root = config(tmp_path, 'title: Course\ndescription: "Words"\nurl: https://x.org/\nbaseurl: /c\nlang: en-GB\ndata_dir: data\n')
    assert read_site_config(root) == SiteConfig(root, True, "Course", "Words", "https://x.org/", "/c", "en-GB", "data")
    assert site_address(None, root) == "https://x.org/c"  # --site-url's default: url + baseurl
    assert site_address("https://other.org/", root) == "https://other.org"


@pytest.mark.parametrize("text", ["title: [unclosed\n", "- a list\n", "title: [1, 2]\ndata_dir: ../../etc\n", ""])
def test_a_config_deckgen_cannot_use_says_nothing(tmp_path: Path, text: str) -> None:
    root = config(tmp_path, text)
    assert read_site_config(root) == SiteConfig(root, True)
    assert read_site_config(tmp_path / "none") == SiteConfig(tmp_path / "none")


def test_a_site_build_writes_into_the_sites_slides_folder(tmp_path: Path) -> None:
    root = config(tmp_path / "site", "title: T\n")
    build = site_build(root, "slides")
    assert build.out_dir == root / "slides" and build.data_file == root / "_data" / "decks.json"
    assert site_build(root, "lectures/2024").out_dir == root / "lectures" / "2024"
    assert site_build(root, "slides", root / "decks").out_dir == root / "decks"  # --out inside the site


@pytest.mark.parametrize(
    ("slides", "out"),
    [("_slides", None), (".decks", None), ("../out", None), ("/abs", None), ("slides", "elsewhere"), ("slides", "site")],
)
def test_a_folder_jekyll_would_not_publish_is_refused(tmp_path: Path, slides: str, out: str | None) -> None:
    root = config(tmp_path / "site", "title: T\n")
    with pytest.raises(InputError) as caught:
        site_build(root, slides, tmp_path / out if out else None)
    assert caught.value.code is C.SITE_NOT_FOUND


def test_no_config_is_no_site(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        site_build(tmp_path, "slides")
    assert caught.value.code is C.SITE_NOT_FOUND and caught.value.exit_code == 2


def test_the_data_file_has_an_entry_per_post_keyed_by_its_page_path(tmp_path: Path) -> None:
    root = config(tmp_path / "site", "title: T\n")
    build = site_build(root, "slides")
    out = build.out_dir
    out.mkdir()
    (out / "2024-01-01-a b.pptx").write_bytes(b"x" * 10)
    post = root / "_posts" / "2024-01-01-a b.md"
    outside = tmp_path / "elsewhere" / "notes.md"
    records = [
        Record(post, "A", 4, AssetStats(), (out / "2024-01-01-a b" / "index.html", out / "2024-01-01-a b.pptx"), 1.0),
        Record(outside, "N", 2, AssetStats(), (out / "notes.pdf",), 1.0),
    ]
    data = json.loads(decks_data(course_entries(records, out), build))
    assert set(data) == {"_posts/2024-01-01-a b.md", "notes.md"}
    entry = data["_posts/2024-01-01-a b.md"]
    assert entry["html"] == "/slides/2024-01-01-a%20b/" and entry["pptx"] == "/slides/2024-01-01-a%20b.pptx"
    assert (entry["title"], entry["slides"], entry["date"], entry["course"], entry["picture"]) == ("A", 4, "2024-01-01", "/slides/", "")
    assert entry["outputs"][1] == {"kind": "pptx", "label": "PowerPoint", "url": "/slides/2024-01-01-a%20b.pptx", "bytes": 10}
    assert data["notes.md"]["pdf"] == "/slides/notes.pdf" and "html" not in data["notes.md"]


def test_a_decks_address_is_where_the_site_publishes_it_as_the_data_file_says(tmp_path: Path) -> None:
    """The title slide's QR code and _data/decks.json give one address for a deck."""
    root = config(tmp_path / "site", "title: T\n")
    post = root / "_posts" / "2024-01-01-a b.md"
    url = "https://example.org/course"
    build = site_build(root, "lectures")
    record = Record(post, "A", 4, AssetStats(), (build.out_dir / "2024-01-01-a b" / "index.html",), 1.0)
    data = json.loads(decks_data(course_entries([record], build.out_dir), build))
    # the decks' folder in the site (a site build's)
    assert deck_url(url, root, build.out_dir, post) == url + data["_posts/2024-01-01-a b.md"]["html"]
    assert deck_url(url, root, build.out_dir, post) == "https://example.org/course/lectures/2024-01-01-a%20b/"
    assert deck_url(url, root, root / "x" / "y", post) == "https://example.org/course/x/y/2024-01-01-a%20b/"
    # an output folder Jekyll does not publish, or outside the site: where build --site puts the decks
    assert deck_url(url, root, root / "_build", post) == "https://example.org/course/slides/2024-01-01-a%20b/"
    assert deck_url(url, root, tmp_path / "out", post, "decks") == "https://example.org/course/decks/2024-01-01-a%20b/"
    assert deck_url(url, root, root, post) == "https://example.org/course/slides/2024-01-01-a%20b/"
    # no _config.yml: no site to publish the output folder, the slides folder it would be in
    bare = tmp_path / "bare"
    assert deck_url(url, bare, bare / "out", bare / "p.md") == "https://example.org/course/slides/p/"
    assert deck_url("", root, build.out_dir, post) == ""  # the site's address unknown: none
    assert site_path(root, root / "slides" / "x" / "index.html") == "/slides/x/"
    assert site_path(root, root / "slides" / "x.pptx") == "/slides/x.pptx"
