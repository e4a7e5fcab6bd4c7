"""Where a Jekyll site publishes a file deckgen writes: its path in the site
(``/slides/x/``), and the web address of a post's HTML deck (the title slide's QR code).

``site.py`` writes ``_data/decks.json`` with these paths and ``pipeline.py`` gives each deck
its address (``Meta.deck_url``), so both say the same; this module needs neither of them.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from urllib.parse import quote

from deckgen.options import SLIDES_DIR
from deckgen.outputs import output_names

CONFIG = "_config.yml"  # a Jekyll site's configuration, in its folder


def relative(path: Path, root: Path) -> Path:
    """``path`` from ``root``, as written (symlinks kept, as Jekyll names its pages); raises
    ValueError when it is not inside."""
    return Path(os.path.abspath(path)).relative_to(os.path.abspath(root))


def inside(rel: str) -> bool:
    """A relative path that stays inside the folder it is relative to."""
    parts = PurePosixPath(rel.replace("\\", "/")).parts
    return bool(parts) and not PurePosixPath(rel).is_absolute() and ".." not in parts


def site_path(root: Path, path: Path) -> str:
    """A file or folder of the site at ``root`` as the site's own path (``/slides/x.pptx``),
    quoted; a page's ``index.html`` is its folder (``/slides/x/``), as the site serves it.
    Raises ValueError when ``path`` is not in the site."""
    address = "/" + quote(relative(path, root).as_posix())
    return address.removesuffix("index.html") if address.endswith("/index.html") else address


def deck_url(site_url: str, site_root: Path, out_dir: Path, post: Path, slides_dir: str = SLIDES_DIR) -> str:
    """The web address the site publishes ``post``'s HTML deck at (the title slide's QR code):
    ``site_url`` and the deck's path in the site, as ``_data/decks.json`` gives it. The decks'
    folder is ``out_dir`` when it is in the site (a ``_config.yml`` at ``site_root``) and
    Jekyll publishes it, else ``slides_dir``, where ``build --site`` puts them. "" when the
    site's address is unknown."""
    if not site_url:
        return ""
    folder = site_root / slides_dir if inside(slides_dir) else site_root / SLIDES_DIR
    if (site_root / CONFIG).is_file():
        try:
            rel = relative(out_dir, site_root)
        except ValueError:
            rel = None
        if rel is not None and rel.parts and not any(part.startswith(("_", ".")) for part in rel.parts):
            folder = out_dir
    return site_url + site_path(site_root, output_names(post, folder)[1] / "index.html")


__all__ = ["CONFIG", "deck_url", "inside", "relative", "site_path"]
