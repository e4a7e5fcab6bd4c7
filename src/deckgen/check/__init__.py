"""``deckgen check``: a post's mistakes, found without building it.

It runs the pipeline up to the assets (the same reader, parser, URL policy, cache and
fetcher as a build) and adds what a build does not look for. Each finding is a
:class:`~deckgen.diagnostics.Diagnostic`; its ``kind`` is one of:

* ``markup`` — Markdown the reader will see raw (:mod:`.markup`);
* ``link`` — a link a reader cannot follow (:mod:`.links`);
* ``picture`` — a picture that cannot be had, or a local file outside the site;
* ``front-matter`` — no title, a date that is not a date, a ``lang`` that is no language (:mod:`.front`);
* ``accessibility`` — pictures without a description, videos without a title, parts without a
  heading, links whose text is a bare address (:mod:`.accessibility`).

``ignore`` leaves out findings by kind, code or name (``accessibility``, ``A201``,
``picture-no-description``): a course written before its pictures were described has thousands.

A post ``build`` would refuse (not text, broken YAML, an unknown theme) raises the same
``DeckgenError`` as a build. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from deckgen.check.accessibility import check_accessibility
from deckgen.check.front import check_front
from deckgen.check.links import link_problem
from deckgen.check.markup import check_markup
from deckgen.diagnostics import Diagnostic, ignored
from deckgen.diagnostics import codes as C
from deckgen.options import BuildOptions
from deckgen.pipeline import Services, Trace, run_post

KINDS = ("front-matter", "markup", "link", "picture", "accessibility")


def check_post(
    path: Path, options: BuildOptions, services: Services | None = None, ignore: frozenset[str] = frozenset()
) -> list[Diagnostic]:
    """The findings of one post, in line order, but those ``ignore`` names (kinds, codes or
    names). Raises ``DeckgenError`` when it cannot be read."""
    # a check asks again what a build remembered failing: the teacher checks after a fix
    options = replace(options, pictures=replace(options.pictures, remember_failures=False))
    trace = Trace()
    record = run_post(path, options, services, until="assets", trace=trace)
    source = record.post
    assert source is not None  # a run until the assets keeps its source
    found = check_front(path, source.front, source.text)
    found += check_markup(path, source.body, source.body_line, record.diagnostics)
    found += _pictures(record.diagnostics, offline=options.offline)
    if "accessibility" not in ignore:
        assert record.deck is not None  # a run until the assets keeps its deck
        found += check_accessibility(path, record.deck, source.text)
    found = [f for f in found if not ignored(f, ignore)]
    unique = {(f.line, f.code, f.message): f for f in found}
    return sorted(unique.values(), key=lambda f: (f.line or 0, KINDS.index(f.kind), f.code))


def _pictures(said: tuple[Diagnostic, ...], offline: bool) -> list[Diagnostic]:
    """The pictures the run could not have, as findings with what to do about each."""
    found = []
    for d in said:
        if d.code != C.PICTURE_UNAVAILABLE.code:
            continue
        cause = d.get("cause")
        if cause == "offline" and offline:
            continue  # offline: what is not cached is not checked
        if cause == "outside":
            found.append(C.PICTURE_OUTSIDE(d.file, d.line, url=d.get("url")))
            continue
        hint = "fix or replace the address, or save the picture into the site"
        if cause == "not-a-picture":
            hint = "link to the picture file itself, not to the page showing it"
        found.append(replace(d, hint=hint))
    return found


__all__ = ["KINDS", "check_post", "link_problem"]
