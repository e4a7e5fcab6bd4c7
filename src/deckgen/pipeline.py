"""The one way through: a post, stage after stage, into decks.

source -> parse (with the URL policy) -> assets -> layout -> renditions -> writers. ``build``,
the course build, ``serve`` and ``check`` all run :func:`run_post`; ``check`` stops after the
assets (``until="assets"``). A run returns a :class:`Record`: what it read (the watch list
of ``serve``), what it wrote, and what it has to say (diagnostics). Side effects (the
fetcher, the clock, the progress callback) come in through :class:`Services`. Nothing
here prints or exits.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from deckgen.assets.attach import attach_slide, picture_urls
from deckgen.assets.cache import Cache, Hold, default_cache_dir
from deckgen.assets.fetch import Fetcher, FetchPolicy, HttpFetcher
from deckgen.assets.locate import guess_site_root
from deckgen.assets.renditions import Prerender, render_pictures
from deckgen.assets.resolve import AssetStats, Progress, local_files, resolve_assets
from deckgen.assets.resolver import AssetResolver
from deckgen.dates import clock, deck_date
from deckgen.diagnostics import Diagnostic, Diagnostics
from deckgen.diagnostics import codes as C
from deckgen.diagnostics.quoting import quote_short
from deckgen.edits import CODES as KEPT_CODES
from deckgen.edits import Guard, sha256_of
from deckgen.errors import BuildError, InputError
from deckgen.language import normalize_tag
from deckgen.measure import Measurer, measurer_for, remember_widths
from deckgen.model.document import Asset, AssetStatus, Deck, content_pictures, described, shown_format
from deckgen.model.laidout import Provenance
from deckgen.options import CONFIG_FILE, SLIDES_DIR, BuildOptions, config_text, read_config
from deckgen.outputs import Written, sweep_leftovers, write_outputs
from deckgen.siteaddress import deck_url
from deckgen.source import Source, post_bytes, post_from_bytes
from deckgen.stamp import Stamp, digest_of, outputs_present, quick_key, read_stamp, remembered, write_stamp
from deckgen.theme.find import builtin_dir, local_dir
from deckgen.theme.load import load_theme
from deckgen.theme.schema import Theme
from deckgen.urlpolicy import UrlPolicy, site_url_of
from deckgen.widthmemo import FOLDER as WIDTHS

if TYPE_CHECKING:  # the parser and the layout are imported when a post is built (not found current)
    from deckgen.layout import Context

Until = Literal["assets", "write"]


@dataclass
class Services:
    """The side effects a run uses; the CLI wires real ones, tests swap them."""

    fetcher: Fetcher | None = None
    progress_factory: Callable[[str], Progress] | None = None
    clock: Callable[[], float] = time.time


@dataclass
class Trace:
    """What a run has read and said so far. The caller keeps it when the run raises: ``serve``
    goes on watching what a failed build read."""

    diagnostics: Diagnostics = field(default_factory=Diagnostics)
    inputs: set[str] = field(default_factory=set)  # real paths of the local files read

    def read(self, path: Path | str | None) -> None:
        if path is not None:
            self.inputs.add(os.path.realpath(path))


@dataclass(frozen=True)
class Record:
    """What one run of the pipeline did."""

    source: Path
    title: str
    pages: int
    images: AssetStats
    outputs: tuple[Path, ...]
    seconds: float
    diagnostics: tuple[Diagnostic, ...] = ()
    inputs: tuple[str, ...] = ()  # the local files it read (real paths): the post, theme, pictures
    reveal_origin: str = ""
    theme: str = ""
    offline: bool = False
    up_to_date: bool = False  # nothing was written: the outputs were made from the same inputs
    deck: Deck | None = None  # the resolved deck, for a run that stopped after the assets
    post: Source | None = None  # the source, likewise
    edited: tuple[Path, ...] = ()  # up to date, and these outputs were edited since written (left alone)

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return Diagnostics(list(self.diagnostics)).warnings

    @property
    def notes(self) -> tuple[Diagnostic, ...]:
        return Diagnostics(list(self.diagnostics)).notes


# ---------------------------------------------------------------------------
# what a post reads besides itself


def choose_theme(options: BuildOptions, front_theme: str | None, post_folders: tuple[Path, ...] = ()) -> Theme:
    """--theme, then the post's ``theme:``, then deckgen.toml, then ``default``.

    A theme the post names reads files only where the post may read pictures
    (``post_folders``), the project's ``themes/`` and the built-in themes."""
    cwd = options.cwd or Path.cwd()
    name = str(options.theme or front_theme or read_config(cwd).get("theme") or "default")
    if len(name) > 255:  # no file name is this long; say so instead of asking the file system
        raise InputError(f"theme name too long: '{quote_short(name)}'", hint="give a theme NAME or a .toml path")
    if not options.theme and front_theme:
        return load_theme(name, cwd, confine=(*post_folders, local_dir(cwd), builtin_dir()))
    return load_theme(name, cwd)


def post_folders(post: Path, options: BuildOptions) -> tuple[Path, ...]:
    """The folders a post may read files from: its own, its site's, ``--allow-files``."""
    site_root = options.pictures.site_root or guess_site_root(post.parent)
    return (post.parent, site_root, *options.pictures.allow_files)


def site_config(site_root: Path) -> dict[str, object]:
    """The site's ``_config.yml`` (empty when there is none, or it is no YAML mapping)."""
    config = site_root / "_config.yml"
    if not config.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(config.read_text("utf-8", "replace"))
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


def site_address(site_url: str | None, site_root: Path) -> str:
    """The site's address: ``--site-url``, else ``url`` + ``baseurl`` of its ``_config.yml``."""
    if site_url is not None:
        return site_url_of(site_url)
    data = site_config(site_root)
    return site_url_of(str(data.get("url") or ""), str(data.get("baseurl") or "")) if data else ""


def published_at(post: Path, options: BuildOptions, site_root: Path, site_url: str) -> str:
    """Where the site publishes the post's HTML deck (``siteaddress.deck_url``), "" when the site's
    address is unknown: the title slide's QR code says it."""
    if not site_url:
        return ""
    slides = config_text(options.cwd or Path.cwd(), "slides_dir") or SLIDES_DIR
    return deck_url(site_url, site_root, options.out_dir, post, slides)


def site_language(site_root: Path) -> str:
    """The ``lang`` of the site's ``_config.yml`` as a BCP 47 tag ("" when it gives none)."""
    return normalize_tag(site_config(site_root).get("lang")) or ""


def theme_files(theme: Theme) -> tuple[Path, ...]:
    found = (theme.source, theme.logo, theme.css, theme.pptx_template, *(f.path for f in theme.fonts.files))
    return tuple(p for p in found if p is not None)


def _logo_asset(theme: Theme) -> Asset | None:
    if theme.logo is None:
        return None
    from PIL import Image as PILImage

    try:
        with PILImage.open(theme.logo) as image:
            w, h = image.size
            fmt = (image.format or "").lower()
    except OSError:
        raise InputError("the theme's logo is not an image", theme.logo) from None
    shown = shown_format(fmt)
    if not shown:
        raise InputError("the theme's logo must be PNG, JPEG or GIF", theme.logo)
    return Asset(str(theme.logo), AssetStatus.OK, theme.logo, w, h, shown, source_width=w, source_height=h)


# ---------------------------------------------------------------------------
# the run


def run_post(
    path: Path,
    options: BuildOptions,
    services: Services | None = None,
    *,
    until: Until = "write",
    trace: Trace | None = None,
    written: Written | None = None,
) -> Record:
    """Run the stages for one post; raises ``DeckgenError`` when the post cannot be built."""
    services = services or Services()
    trace = trace if trace is not None else Trace()
    started = time.perf_counter()
    diag = trace.diagnostics
    now = clock(options.source_date, options.now)
    trace.read(path)
    trace.read((options.cwd or Path.cwd()) / CONFIG_FILE)
    data = post_bytes(path, options.max_post_bytes)  # the bytes parsed are those of the quick key
    source = post_from_bytes(path, data, now, diag)
    site_root = options.pictures.site_root or guess_site_root(path.parent)
    theme = choose_theme(options, source.meta.theme, post_folders(path, options))
    for file in theme_files(theme):
        trace.read(file)
    site_lang = "" if source.meta.lang else site_language(site_root)
    site_url = site_address(options.site_url, site_root)
    url = published_at(path, options, site_root, site_url)
    reads = (("post", path), ("at", os.path.abspath(path)), ("root", site_root), ("lang", site_lang), ("url", site_url))
    key = quick_key(data or b"", theme, options, url, reads)  # what the parse reads
    # a cache that cannot be written is read, and this run's writes go to a spill it removes
    with Cache(options.pictures.cache_dir or default_cache_dir()) as cache, Hold(cache) as hold:
        run = _Run(path, options, services, trace, started, source, theme, cache, hold, written, now, key)
        current = run.quick() if until == "write" else None  # the decks current, found so without parsing
        if current is not None:
            return current
        parsing = len(diag)
        from deckgen.parse import parse_deck

        deck = parse_deck(source, diag, UrlPolicy(site_url), site_lang)
        deck = replace(deck, meta=replace(deck.meta, deck_url=url))
        pictures = content_pictures(deck)
        undescribed = sum(1 for p in pictures if not described(p))
        if undescribed:  # one line for the post; ``deckgen check`` names each
            diag.report(C.PICTURES_UNDESCRIBED, path, None, count=undescribed, total=len(pictures))
        run.parse_said = tuple(diag.items[parsing:])
        return run.assets(deck, until)


@dataclass
class _Run:
    """The later stages of one run, sharing what the first ones found."""

    path: Path
    options: BuildOptions
    services: Services
    trace: Trace
    started: float
    source: Source
    theme: Theme
    cache: Cache
    hold: Hold
    written: Written | None
    now: dt.datetime  # the clock Liquid showed
    key: str = ""  # ``stamp.quick_key``: what the parse reads
    parse_said: tuple[Diagnostic, ...] = ()  # what the parse said

    def record(
        self,
        title: str,
        pages: int,
        stats: AssetStats,
        outputs: tuple[Path, ...],
        origin: str = "",
        up_to_date: bool = False,
        deck: Deck | None = None,
        edited: tuple[Path, ...] = (),
    ) -> Record:
        if self.cache.unwritable is not None:  # said once a run (and once a command, by the CLI)
            why = self.cache.unwritable
            self.trace.diagnostics.report(C.CACHE_NOT_WRITTEN, self.cache.root, reason=why.strerror or why)
        return Record(
            self.path,
            title,
            pages,
            stats,
            outputs,
            time.perf_counter() - self.started,
            tuple(self.trace.diagnostics),
            tuple(sorted(self.trace.inputs)),
            origin,
            self.theme.name,
            self.options.offline,
            up_to_date,
            deck,
            self.source if deck is not None else None,
            edited,
        )

    def resolver(self, hold: Hold | None) -> AssetResolver:
        pictures, fetcher = self.options.pictures, self.services.fetcher
        if fetcher is None and not pictures.offline:
            fetcher = HttpFetcher(FetchPolicy(max_bytes=pictures.max_bytes, total_timeout=pictures.timeout))
        return AssetResolver(self.cache, fetcher, pictures, self.trace.diagnostics, self.path, self.services.clock, hold)

    def quick(self) -> Record | None:
        """The record of a post found current before it is parsed (``deckgen.quick``), or None."""
        if self.options.force or not self.options.incremental:
            return None  # a build of one post takes the full way (``quick.look`` says so too): not loaded
        from deckgen.quick import look

        before = time.time() - (time.perf_counter() - self.started)
        # no hold: a look does not keep the pictures, and a cached one gone is not current
        found = look(self.path, self.options, self.key, lambda: self.resolver(None), self.trace.diagnostics, before)
        if found is None:
            return None
        for local in found.local:
            self.trace.read(local)
        found.say(self.trace.diagnostics)
        outputs, old = tuple(self.options.out_dir / rel for rel in found.old.outputs), found.old
        return self.record(old.title, old.pages, found.stats, outputs, up_to_date=True, edited=found.edited)

    def assets(self, deck: Deck, until: Until) -> Record:
        from deckgen.layout import Context

        options = self.options
        resolver = self.resolver(self.hold)
        for local in local_files(resolver, deck):
            self.trace.read(local)
        factory = self.services.progress_factory
        progress = factory(self.path.name) if factory else None
        theme = self.theme
        files = tuple((f.path, f.family, f.bold) for f in theme.fonts.files if not f.italic)
        measurer = measurer_for(theme.fonts.latin, files, self.cache.work_root() / WIDTHS)
        # one post alone has the cores to itself: they draw each slide's pictures as soon as all
        # of them are known, while the other downloads are still awaited (a folder build's posts
        # already keep every core busy)
        ahead = Prerender(self.cache, self.hold) if until == "write" and not options.render_workers else None
        try:
            settled = _draw_ahead(deck, ahead, Context(theme, measurer, _logo_asset(theme))) if ahead else None
            deck, stats = resolve_assets(deck, resolver, progress, settled)
            if until == "assets":
                return self.record(deck.meta.title, len(deck.slides), stats, (), deck=deck)
            return self.write(deck, stats, measurer, ahead)
        finally:
            if ahead is not None:
                ahead.close()

    def write(self, deck: Deck, stats: AssetStats, measurer: Measurer, ahead: Prerender | None) -> Record:
        options, theme, diag = self.options, self.theme, self.trace.diagnostics
        # what builds of this post that died (kill -9) left in the output folder goes first
        sweep_leftovers(self.path, options.out_dir, time.time() - (time.perf_counter() - self.started))
        before_writing = len(diag)  # what a run that finds the decks current says again itself
        post_sha = _post_sha256(self.path)  # the post as built, for the record (and deckgen pull)
        stamp_digest = digest_of(self.path, theme, options, deck)
        old = read_stamp(options.out_dir, self.path)
        guard = Guard(options.out_dir, old, diag, options.discard_edits)
        current = old is not None and old.digest == stamp_digest and outputs_present(options.out_dir, old)
        if current and options.course_card:
            from deckgen.course.cards import card_current

            current = card_current(options.out_dir, self.path)  # else the card is drawn again
        if old is not None and current and not options.force:
            # the decks are current: a folder build skips the post; any build leaves an edited
            # deck alone (made again, it would be the bytes deckgen wrote before the edit)
            edited = guard.edited()
            if options.incremental or edited:
                said = set(diag)  # this run's own, plus what the writing run said after the assets
                diag.extend(d for d in old.diagnostics if d not in said)
                outputs = tuple(options.out_dir / rel for rel in old.outputs)
                quick = remembered(self.key, deck, self.parse_said)
                if old.quick != quick and old.version >= 3:  # a stamp from before, or other pictures' state
                    _write_stamp(options.out_dir, self.path, replace(old, quick=quick), quiet=True)
                return self.record(old.title, old.pages, stats, outputs, up_to_date=True, edited=edited)
        from deckgen.layout import layout_deck

        laid = layout_deck(deck, theme, measurer, _logo_asset(theme))
        for number, page in enumerate(laid.pages, 1):
            if page.cut:  # the layout kept it on the slide by cutting text: say so, words were lost
                diag.report(C.SLIDE_TEXT_CUT, self.path, page.source_line, slide=number, size=f"{theme.sizes.minimum:g}")
        rendered = render_pictures(laid, self.cache, self.hold, self.path, options.render_workers or None, ahead)
        diag.extend(rendered.diagnostics)
        if rendered.failed:  # found damaged only when drawn
            lost = [a.from_cache for a in rendered.failed]
            stats = replace(
                stats,
                failed=stats.failed + len(lost),
                cached=stats.cached - sum(lost),
                downloaded=stats.downloaded - (len(lost) - sum(lost)),
            )
        created = deck_date(options.source_date, deck.meta.date)
        # the post the .pptx says it was made from (deckgen pull): its folder and name, its bytes' digest
        made_from = Provenance(f"{self.path.parent.name}/{self.path.name}", post_sha)
        try:
            wrote = write_outputs(
                replace(rendered.laid, provenance=made_from), theme, self.path, options, self.cache.work_root(), diag, measurer,
                self.written, guard, created,
            )
        except BaseException:
            if guard.placed or guard.kept:  # what is in place and kept is recorded, but not as current
                dates = (created.isoformat(), self.now.isoformat())
                record = guard.stamp("", deck.meta.title, len(laid.pages), (), (), self.path, post_sha, *dates)
                _write_stamp(options.out_dir, self.path, record, quiet=True)
            raise
        remember_widths(measurer)  # those of characters new to the memo, for the next build
        if options.course_card:  # before the stamp: a build that dies here draws it next time
            from deckgen.course.cards import make_card

            make_card(rendered.laid, theme, measurer, self.path, options.out_dir, diag)
        rel = tuple(os.path.relpath(out, options.out_dir) for out in wrote.outputs)
        # only what the writing stages said: a run finding the decks current says the rest again
        # itself (a remembered picture failure in other words: kept whole, it would be said twice);
        # a kept edit is said once, when it is kept
        wrote_said = tuple(d for d in Diagnostics(diag.items[before_writing:]).warnings if d.code not in KEPT_CODES)
        record = guard.stamp(
            stamp_digest, deck.meta.title, len(laid.pages), rel, wrote_said, self.path, post_sha,
            created.isoformat(), self.now.isoformat(),
        )
        record = replace(record, quick=remembered(self.key, deck, self.parse_said))
        _write_stamp(options.out_dir, self.path, record)
        return self.record(deck.meta.title, len(laid.pages), stats, wrote.outputs, wrote.reveal_origin)


def _post_sha256(path: Path) -> str:
    try:
        return sha256_of(path)
    except OSError:
        return ""


def _write_stamp(out_dir: Path, post: Path, record: Stamp, quiet: bool = False) -> None:
    """The record of what was written (``deckgen.stamp``); without it the next build would take
    every output for one deckgen did not write."""
    try:
        write_stamp(out_dir, post, record)
    except OSError as exc:
        if not quiet:
            raise BuildError(f"cannot write the record of the outputs: {exc.strerror}", exc.filename or out_dir) from None


def _draw_ahead(deck: Deck, ahead: Prerender, ctx: Context) -> Callable[[dict[str, Asset]], None]:
    """What the assets stage calls as pictures become known: each slide whose pictures are
    all known is laid out alone and its pictures handed to ``ahead``."""
    from deckgen.layout import slide_pictures

    needs = [picture_urls(slide) for slide in deck.slides]
    offered: set[int] = set()

    def settled(known: dict[str, Asset]) -> None:
        for index, slide in enumerate(deck.slides):
            if index not in offered and needs[index] and needs[index] <= known.keys():
                offered.add(index)
                ahead.draw(slide_pictures(ctx, attach_slide(slide, known)))

    return settled


__all__ = ["Record", "Services", "Trace", "choose_theme", "post_folders", "published_at", "run_post", "site_address", "site_config", "site_language"]
