"""The course page of a folder build, and the data file of a site build.

- ``cards``: each deck's card, drawn by the build that writes the deck (the title slide's picture, date, tags);
- ``decks``: the decks as the page lists them, newest first, each output labelled with its size;
- ``look``: the page's colours and fonts, from the deck theme;
- ``page``: the page's HTML.

:func:`write_course_index` writes them; the site's ``_data/decks.json`` comes from
:mod:`deckgen.site`. Nothing here prints.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from deckgen.course.decks import course_entries
from deckgen.course.look import course_look
from deckgen.course.page import DEFAULT_TITLE, CourseInfo, course_page
from deckgen.fileio import atomic_write
from deckgen.options import config_text
from deckgen.pipeline import Record
from deckgen.site import SiteBuild, SiteConfig, decks_data
from deckgen.theme.schema import Theme

INDEX = "index.html"


def course_info(site: SiteConfig | None, cwd: Path) -> CourseInfo:
    """The course's title and description: the site's ``_config.yml``, else deckgen.toml's
    ``title`` and ``description``; the page's language: the site's ``lang`` (else found from
    the titles)."""
    title = (site.title if site else "") or config_text(cwd, "title") or DEFAULT_TITLE
    description = (site.description if site else "") or config_text(cwd, "description")
    return CourseInfo(title, description, site.lang if site else "")


def write_course_index(
    results: Sequence[Record],
    out_dir: Path,
    *,
    theme: Theme | None = None,
    info: CourseInfo | None = None,
    site: SiteBuild | None = None,
) -> Path:
    """Write ``out_dir/index.html`` listing the decks of ``results`` (and, for a site build,
    the site's ``_data/decks.json``); returns the page's path. Raises OSError."""
    if theme is None:
        from deckgen.theme.load import load_theme

        theme = load_theme("default", Path.cwd())
    entries = course_entries(results, out_dir)
    page = out_dir / INDEX
    files = {page: course_page(entries, out_dir, info or CourseInfo(), course_look(theme)).encode("utf-8")}
    if site is not None:
        files[site.data_file] = decks_data(entries, site)
    _write(files)
    return page


def _write(files: Mapping[Path, bytes]) -> None:
    """The course's one place that writes: each file whole, and only when it changed (an
    unchanged course rewrites nothing, and Jekyll sees nothing new)."""
    for path, data in files.items():
        try:
            if path.read_bytes() == data:
                continue
        except OSError:
            pass
        atomic_write(path, data)


__all__ = ["INDEX", "CourseInfo", "course_info", "write_course_index"]
