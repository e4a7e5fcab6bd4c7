"""A small Jekyll site for the course page and site build tests: ``_config.yml``, a post layout
that links each post's deck with the documented Liquid line, and posts whose pictures are
files of the site (no network).

``make_site(root)`` writes it; ``POSTS`` says what each post is (stem, title, date, tags,
whether it has a picture)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PIL import Image

#: the line docs/publishing.md tells a teacher to put in the post layout (tested against Jekyll)
LIQUID_LINE = (
    "{% assign deck = site.data.decks[page.path] %}{% if deck %}"
    '<a class="deck" href="{{ deck.html | relative_url }}">Slides</a>{% endif %}'
)

LAYOUT = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{{{ page.title }}}}</title></head>
<body>
{LIQUID_LINE}
{{{{ content }}}}
</body></html>
"""


@dataclass(frozen=True)
class SitePost:
    stem: str
    title: str
    date: str
    tags: tuple[str, ...]
    picture: bool  # a slide with the site's red picture


POSTS = (
    SitePost("2024-03-01-photo", "Photos <and> pictures", "2024-03-01", ("vision", "ai"), True),
    SitePost("2024-01-01-intro", "人工智慧 Introduction", "2024-01-01", ("intro",), False),
    SitePost("2024-02-01-text", "Text only", "2024-02-01", ("nlp", "ai"), False),
)
RED = (230, 20, 20)


def post_text(post: SitePost) -> str:
    picture = "\n---\n## A picture\n\n![red](/assets/red.png)\n" if post.picture else ""
    return (
        f"---\nlayout: post\ntitle: \"{post.title}\"\ndate: {post.date}\ntags: [{', '.join(post.tags)}]\n---\n\n"
        f"An abstract of {post.stem}.\n\n---\n## First\n\nHello **world**.\n{picture}"
    )


def make_site(
    root: Path, posts: tuple[SitePost, ...] = POSTS, title: str = "Deep Learning 課程", baseurl: str = "/course"
) -> Path:
    """A Jekyll site in ``root`` (returned): its _config.yml, post layout, pictures and posts."""
    (root / "_posts").mkdir(parents=True, exist_ok=True)
    (root / "_layouts").mkdir(exist_ok=True)
    (root / "assets").mkdir(exist_ok=True)
    (root / "_config.yml").write_text(
        f'title: "{title}"\ndescription: "Decks of the course."\nurl: "https://teacher.example.org"\n'
        f'baseurl: "{baseurl}"\nmarkdown: kramdown\n',
        "utf-8",
    )
    (root / "_layouts" / "post.html").write_text(LAYOUT, "utf-8")
    Image.new("RGB", (400, 300), RED).save(root / "assets" / "red.png")
    for post in posts:
        (root / "_posts" / f"{post.stem}.md").write_text(post_text(post), "utf-8")
    return root


__all__ = ["LIQUID_LINE", "POSTS", "RED", "SitePost", "make_site", "post_text"]
