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
from deckgen.site import SiteConfig, decks_data, read_site_config, site_build


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

