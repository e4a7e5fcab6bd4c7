"""The Jekyll site around the posts: what its ``_config.yml`` says, and where a site build writes.

``deckgen build _posts --site`` writes the decks into the site (``slides/`` by default:
``--slides-dir`` or ``slides_dir`` in deckgen.toml), the course page beside them, and
``_data/decks.json``: one entry per post, keyed by the post's path in the site, which is
Jekyll's ``page.path``, so a post's layout finds its own deck with one line::

    {% assign deck = site.data.decks[page.path] %}{% if deck %}<a href="{{ deck.html | relative_url }}">Slides</a>{% endif %}

Addresses in the data file are the site's own paths (``/slides/x/``), for ``relative_url`` and
``absolute_url`` to add the ``baseurl`` and ``url``. Jekyll copies what deckgen wrote as it is
(no deck file starts with front matter) and skips deckgen's records (``.deckgen/``: its name
starts with a dot).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.diagnostics import codes as C
from deckgen.errors import InputError
from deckgen.siteaddress import CONFIG, site_path
from deckgen.siteaddress import inside as _inside
from deckgen.siteaddress import relative as _relative

if TYPE_CHECKING:
    from deckgen.course.decks import DeckEntry

DATA_FILE = "decks.json"


@dataclass(frozen=True)
class SiteConfig:
    """What deckgen reads of a site's ``_config.yml`` (all "" when there is none)."""

    root: Path
    found: bool = False  # there is a _config.yml (it may still say none of these)
    title: str = ""
    description: str = ""
    url: str = ""
    baseurl: str = ""
    lang: str = ""
    data_dir: str = "_data"


def read_site_config(root: Path) -> SiteConfig:
    """The site's ``_config.yml`` (read by :func:`deckgen.pipeline.site_config`, as the pipeline
    reads it); a missing or unreadable one says nothing (the build goes on)."""
    if not (root / CONFIG).is_file():
        return SiteConfig(root)
    from deckgen.language import normalize_tag
    from deckgen.pipeline import site_config

    try:
        data = site_config(root)
    except OSError:
        data = {}

    def text(key: str) -> str:
        value = data.get(key)
        return str(value).strip() if isinstance(value, str | int | float) and not isinstance(value, bool) else ""

    data_dir = text("data_dir")
    return SiteConfig(
        root,
        True,
        text("title"),
        text("description"),
        text("url"),
        text("baseurl"),
        normalize_tag(data.get("lang")) or "",
        data_dir if data_dir and _inside(data_dir) else "_data",
    )


@dataclass(frozen=True)
class SiteBuild:
    """Where ``build --site`` writes: the decks' folder in the site, and the data file."""

    config: SiteConfig
    out_dir: Path

    @property
    def root(self) -> Path:
        return self.config.root

    @property
    def data_file(self) -> Path:
        return self.root / self.config.data_dir / DATA_FILE

    def address(self, path: Path) -> str:
        """A file or folder of the site as the site's own path (``/slides/x.pptx``), quoted."""
        return site_path(self.root, path)

    def page_path(self, post: Path) -> str:
        """Jekyll's ``page.path`` of a post in the site (its path from the site's folder);
        a post outside the site has its file name."""
        try:
            return _relative(post, self.root).as_posix()
        except ValueError:
            return post.name


def site_build(site_root: Path, slides_dir: str, out: Path | None = None) -> SiteBuild:
    """The site build for the site at ``site_root``: its decks in ``slides_dir`` (or ``out``,
    which must be in the site). Raises ``InputError`` (``E105``) when there is no site there, or
    when Jekyll would not publish the folder (a name starting with ``_`` or ``.``)."""
    config = read_site_config(site_root)
    if not config.found:
        raise InputError(
            "not a Jekyll site: no _config.yml here",
            site_root,
            hint="build the site's _posts folder, or name the site with --site-root DIR",
            code=C.SITE_NOT_FOUND,
        )
    if out is None:
        if not _inside(slides_dir):
            raise InputError(
                f"the decks' folder must be a folder inside the site, not '{slides_dir}'",
                hint="give --slides-dir a relative path such as slides",
                code=C.SITE_NOT_FOUND,
            )
        out = site_root / slides_dir
    try:
        rel = _relative(out, site_root)
    except ValueError:
        raise InputError(
            "the output folder is not inside the site", out, hint="leave out --out, or give a folder in the site", code=C.SITE_NOT_FOUND
        ) from None
    hidden = [part for part in rel.parts if part.startswith(("_", "."))]
    if hidden or not rel.parts:
        raise InputError(
            f"Jekyll does not publish '{rel.as_posix() or '.'}'" + (" (a name starting with _ or .)" if hidden else ""),
            out,
            hint="put the decks in a folder of their own, such as slides",
            code=C.SITE_NOT_FOUND,
        )
    return SiteBuild(config, out)


def decks_data(entries: Sequence[DeckEntry], site: SiteBuild) -> bytes:
    """``_data/decks.json``: for each post (keyed by ``page.path``) its title, date, tags, slide
    count, the site path of each output (``html``, ``pptx``, ``pdf``, ``handout``), its card's
    picture and the course page."""
    course = site.address(site.out_dir) + "/"
    data: dict[str, dict[str, object]] = {}
    for entry in entries:
        item: dict[str, object] = {
            "title": entry.title,
            "date": entry.date,
            "tags": list(entry.tags),
            "slides": entry.pages,
            "stem": entry.stem,
        }
        outputs = []
        for out in entry.outputs:
            address = site.address(out.path)  # the HTML deck: its folder, as deck_url gives it
            item.setdefault(out.kind, address)  # the first handout when there are several
            outputs.append({"kind": out.kind, "label": out.label, "url": address, "bytes": out.size})
        item["outputs"] = outputs
        item["picture"] = site.address(entry.picture) if entry.picture is not None else ""
        item["course"] = course
        data[site.page_path(entry.post)] = item
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


__all__ = ["CONFIG", "DATA_FILE", "SiteBuild", "SiteConfig", "decks_data", "read_site_config", "site_build"]
