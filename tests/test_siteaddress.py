"""siteaddress.py: where a Jekyll site publishes what deckgen writes: a file's path in the
site, and a deck's web address (the title slide's QR code), the one _data/decks.json gives."""

from __future__ import annotations

import json
from pathlib import Path

from deckgen.assets.resolve import AssetStats
from deckgen.course.decks import course_entries
from deckgen.pipeline import Record
from deckgen.site import decks_data, site_build
from deckgen.siteaddress import deck_url, site_path


def config(root: Path, text: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "_config.yml").write_text(text, "utf-8")
    return root


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
