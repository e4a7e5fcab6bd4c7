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
from deckgen.errors import BuildError
from deckgen.fileio import atomic_write, sweep_stale
from deckgen.options import config_text
from deckgen.pipeline import Record
from deckgen.site import SiteBuild, SiteConfig, decks_data
from deckgen.stamp import STAMP_DIR
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
    before: float | None = None,
) -> Path:
    """Write ``out_dir/index.html`` listing the decks of ``results`` (and, for a site build,
    the site's ``_data/decks.json``); returns the page's path. Raises ``BuildError`` when it
    cannot be written. With ``before`` (the build's start), first remove what a killed write
    of the page or of a stamp left (``fileio.sweep_stale``)."""
    if before is not None:
        for folder in (out_dir, out_dir / STAMP_DIR):
            sweep_stale(folder, before)
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
        try:
            atomic_write(path, data)
        except OSError as exc:  # a read-only or full output folder: one line, like each post's
            raise BuildError(f"cannot write the course page: {exc.strerror or exc}", path) from None


__all__ = ["INDEX", "CourseInfo", "course_info", "write_course_index"]
