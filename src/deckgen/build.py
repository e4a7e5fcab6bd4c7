"""The library's front door: build one post (or a folder of posts) into decks.

source -> parse -> assets -> layout -> writers, each stage a function of the previous
one's value. Side effects (the fetcher, the cache folder, the clock, the progress
callback) are handed in. Nothing here prints or exits: problems are raised as
``DeckgenError`` and warnings are collected in ``Diagnostics``.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, BinaryIO, Literal, get_args

from deckgen.assets.attach import attach_slide, picture_urls
from deckgen.assets.cache import DEFAULT_MAX_AGE, Cache, Hold, default_cache_dir
from deckgen.assets.fetch import MAX_BYTES, TIMEOUT, Fetcher, FetchPolicy, HttpFetcher
from deckgen.assets.renditions import Prerender, render_pictures
from deckgen.assets.resolve import (
    WORKERS,
    AssetOptions,
    AssetResolver,
    AssetStats,
    Progress,
    guess_site_root,
    resolve_assets,
)
from deckgen.errors import BuildError, DeckgenError, Diagnostics, InputError, where
from deckgen.fileio import stage_stream
from deckgen.layout import Context, layout_deck, slide_pictures
from deckgen.measure import Measurer, TableMeasurer, measurer_for
from deckgen.model import Asset, AssetStatus, Deck, LaidDeck, shown_format
from deckgen.parse import parse_deck
from deckgen.source import read_post
from deckgen.theme import Theme, builtin_dir, load_theme, local_dir
from deckgen.untrusted import quote_short
from deckgen.urlpolicy import UrlPolicy, site_url_of

Format = Literal["pptx", "html", "pdf"]
Paper = Literal["a4", "letter"]
FORMATS: tuple[Format, ...] = ("pptx", "html")  # the default
ALL_FORMATS: tuple[Format, ...] = get_args(Format)
PAPERS: tuple[Paper, ...] = get_args(Paper)
HANDOUTS = (1, 2, 3, 6)
CONFIG_FILE = "deckgen.toml"


@dataclass(frozen=True)
class BuildOptions:
    formats: tuple[Format, ...] = FORMATS
    out_dir: Path = Path("build")
    theme: str | None = None
    offline: bool = False
    refresh: bool = False
    cache_dir: Path | None = None
    reveal_js: Path | None = None
    site_root: Path | None = None
    site_url: str | None = None  # the site's address (else url + baseurl of its _config.yml)
    allow_files: tuple[Path, ...] = ()  # more folders posts may read pictures and theme files from
    max_age: float = DEFAULT_MAX_AGE
    max_bytes: int = MAX_BYTES
    max_post_bytes: int = 1024 * 1024  # a post larger than this is refused before any work
    timeout: float = TIMEOUT
    workers: int = WORKERS
    render_workers: int = 0  # threads drawing pictures (0: one per core)
    now: dt.datetime | None = None
    cwd: Path | None = None
    incremental: bool = False  # skip a post whose stamp says its outputs are current
    force: bool = False  # with incremental: rebuild anyway (and stamp again)
    handout: int = 0  # slides per sheet of a handout (1, 2, 3 or 6); 0 writes none
    paper: Paper = "a4"


def parse_formats(value: object, where: Path | None = None) -> tuple[Format, ...]:
    """``pptx,pdf`` or a list of names; ``all`` means all three."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not items:
        raise InputError("formats must be a list of pptx, html, pdf or all", where)
    out: list[Format] = []
    for item in items:
        name = str(item).strip().lower()
        if name == "all":
            out.extend(ALL_FORMATS)
        elif name in ALL_FORMATS:
            out.append(ALL_FORMATS[ALL_FORMATS.index(name)])
        else:
            raise InputError(f"unknown format {item!r}", where, hint="use pptx, html, pdf or all")
    return tuple(dict.fromkeys(out))


def config_formats(cwd: Path) -> tuple[Format, ...]:
    """``formats = [...]`` in deckgen.toml, else the default (.pptx and HTML)."""
    value = read_config(cwd).get("formats")
    return FORMATS if value is None else parse_formats(value, cwd / CONFIG_FILE)


@dataclass(frozen=True)
class DeckResult:
    source: Path
    title: str
    pages: int
    images: AssetStats
    outputs: tuple[Path, ...]
    seconds: float
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    reveal_origin: str = ""
    theme: str = ""
    offline: bool = False
    up_to_date: bool = False  # nothing was written: the outputs were made from the same inputs


@dataclass
class Services:
    """The side effects a build uses; the CLI wires real ones, tests swap them."""

    fetcher: Fetcher | None = None
    progress_factory: Callable[[str], Progress] | None = None
    clock: Callable[[], float] = time.time


def find_posts(target: Path, warnings: list[str] | None = None) -> list[Path]:
    """The posts a path names: the file itself, or the Markdown posts in a folder.

    In a folder, a symlinked post that points outside the folder is skipped (a line for
    it goes to ``warnings``): a folder build reads only the folder's own files."""
    if not target.exists():
        raise InputError("no such file or folder", target, hint="give a post (.md) or a folder of posts")
    if target.is_file():
        return [target]
    posts = []
    root = target.resolve()
    for path in sorted(target.iterdir()):
        if path.suffix.lower() not in (".md", ".markdown") or not path.is_file():
            continue
        if path.is_symlink() and not path.resolve().is_relative_to(root):
            if warnings is not None:
                warnings.append(f"{path}: a symlink to a file outside the folder; skipped")
            continue
        if path.name.lower() in ("readme.md", "index.md", "license.md", "changelog.md"):
            continue
        posts.append(path)
    if not posts:
        raise InputError(
            "no posts (.md files) in this folder", target, hint="give a folder holding Jekyll posts"
        )
    return posts


def read_config(cwd: Path) -> dict:
    path = cwd / CONFIG_FILE
    if not path.is_file():
        return {}
    import tomllib

    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path) from None


def choose_theme(
    options: BuildOptions, front_theme: str | None, post_folders: tuple[Path, ...] = ()
) -> Theme:
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
    site_root = options.site_root or guess_site_root(post.parent)
    return (post.parent, site_root, *options.allow_files)


def site_address(site_url: str | None, site_root: Path) -> str:
    """The site's address: ``--site-url``, else ``url`` + ``baseurl`` of its ``_config.yml``."""
    if site_url is not None:
        return site_url_of(site_url)
    config = site_root / "_config.yml"
    if not config.is_file():
        return ""
    import yaml

    try:
        data = yaml.safe_load(config.read_text("utf-8", "replace"))
    except yaml.YAMLError:
        return ""
    if not isinstance(data, dict):
        return ""
    return site_url_of(str(data.get("url") or ""), str(data.get("baseurl") or ""))


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


def build_post(path: Path, options: BuildOptions, services: Services | None = None) -> DeckResult:
    """Build one post into the requested formats; returns what was written."""
    services = services or Services()
    started = time.perf_counter()
    diag = Diagnostics()
    now = options.now or dt.datetime.now()
    _check_post_size(path, options.max_post_bytes)
    source = read_post(path, now, diag)
    site_root = options.site_root or guess_site_root(path.parent)
    theme = choose_theme(options, source.meta.theme, post_folders(path, options))
    deck = parse_deck(source, diag, UrlPolicy(site_address(options.site_url, site_root)))

    cache = Cache(options.cache_dir or default_cache_dir())
    with Hold(cache.root) as hold:  # the cache files this build uses, safe from a cache clear
        return _build_held(path, options, services, started, diag, source, theme, deck, cache, hold)


def _build_held(
    path: Path,
    options: BuildOptions,
    services: Services,
    started: float,
    diag: Diagnostics,
    source: Any,
    theme: Theme,
    deck: Any,
    cache: Cache,
    hold: Hold,
) -> DeckResult:
    fetcher = services.fetcher
    if fetcher is None and not options.offline:
        fetcher = HttpFetcher(FetchPolicy(max_bytes=options.max_bytes, total_timeout=options.timeout))
    resolver = AssetResolver(
        cache,
        fetcher,
        AssetOptions.taken_from(options),
        diag,
        path,
        services.clock,
        hold,
    )
    progress = services.progress_factory(path.name) if services.progress_factory else None
    measurer = measurer_for(
        theme.fonts.latin, tuple((f.path, f.family, f.bold) for f in theme.fonts.files if not f.italic)
    )
    # one post alone has the cores to itself: they draw each slide's pictures as soon as all
    # of them are known, while the other downloads are still awaited (a folder build's posts
    # already keep every core busy)
    ahead = Prerender(cache, hold) if not options.render_workers else None
    try:
        settled = _draw_ahead(deck, ahead, Context(theme, measurer, _logo_asset(theme))) if ahead else None
        deck, stats = resolve_assets(deck, resolver, progress, settled)
        return _build_resolved(path, options, started, diag, theme, deck, stats, cache, hold, measurer, ahead)
    finally:
        if ahead is not None:
            ahead.close()


def _draw_ahead(deck: Deck, ahead: Prerender, ctx: Context) -> Callable[[dict[str, Asset]], None]:
    """What the assets stage calls as pictures become known: each slide whose pictures are
    all known is laid out alone and its pictures handed to ``ahead``."""
    needs = [picture_urls(slide) for slide in deck.slides]
    offered: set[int] = set()

    def settled(known: dict[str, Asset]) -> None:
        for index, slide in enumerate(deck.slides):
            if index not in offered and needs[index] and needs[index] <= known.keys():
                offered.add(index)
                ahead.draw(slide_pictures(ctx, attach_slide(slide, known)))

    return settled


def _build_resolved(
    path: Path,
    options: BuildOptions,
    started: float,
    diag: Diagnostics,
    theme: Theme,
    deck: Deck,
    stats: AssetStats,
    cache: Cache,
    hold: Hold,
    measurer: Measurer,
    ahead: Prerender | None,
) -> DeckResult:
    stamp_digest = ""
    if options.incremental:
        stamp_digest = _stamp_digest(path, theme, options, deck)
        done = _current_outputs(path, options, stamp_digest, started, stats, theme)
        if done is not None:
            return done

    laid = layout_deck(deck, theme, measurer, _logo_asset(theme))
    for number, page in enumerate(laid.pages, 1):
        if page.cut:  # the layout kept it on the slide by cutting text: say so, words were lost
            diag.warnings.append(
                f"{where(path, page.source_line)}slide {number}: more text than fits, even at "
                f"{theme.sizes.minimum:g} pt (a title: three lines); the rest is cut off (…) "
                "(split the slide or shorten it)"
            )
    rendered = render_pictures(laid, cache, hold, path, options.render_workers or None, ahead)
    laid = rendered.laid
    diag.warnings.extend(rendered.warnings)
    if rendered.failed:  # found damaged only when drawn
        lost = [a.from_cache for a in rendered.failed]
        stats = replace(
            stats,
            failed=stats.failed + len(lost),
            cached=stats.cached - sum(lost),
            downloaded=stats.downloaded - (len(lost) - sum(lost)),
        )
    outputs, origin = write_outputs(laid, theme, path, options, cache.root, diag, measurer)
    if options.incremental:
        from deckgen.stamp import Stamp, write_stamp

        rel = tuple(os.path.relpath(out, options.out_dir) for out in outputs)
        write_stamp(options.out_dir, path, Stamp(stamp_digest, deck.meta.title, len(laid.pages), rel, tuple(diag.warnings)))
    return DeckResult(
        path,
        deck.meta.title,
        len(laid.pages),
        stats,
        tuple(outputs),
        time.perf_counter() - started,
        tuple(diag.warnings),
        tuple(diag.notes),
        origin,
        theme.name,
        options.offline,
    )


def _stamp_digest(path: Path, theme: Theme, options: BuildOptions, deck: Deck) -> str:
    """The digest of everything this post's decks are made from (see ``stamp``)."""
    from deckgen.stamp import deck_assets, digest

    try:
        post_bytes = path.read_bytes()
    except OSError:
        post_bytes = b""
    reveal = options.reveal_js or os.environ.get("DECKGEN_REVEAL_JS", "")
    now = options.now or dt.datetime.now()
    matters = (
        ("formats", ",".join(options.formats)),
        ("offline", options.offline),
        ("site_root", options.site_root),
        ("site_url", options.site_url),
        ("allow_files", ",".join(str(p) for p in options.allow_files)),
        ("handout", options.handout),
        ("paper", options.paper),
        ("reveal_js", reveal),
        ("reveal_js_stat", _stat_key(Path(reveal)) if reveal else ""),
        ("date", now.date().isoformat()),  # Liquid's site.time is in the text
    )
    return digest(post_bytes, theme, matters, deck_assets(deck))


def _stat_key(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "missing"
    return f"{st.st_size}:{st.st_mtime_ns}"


def _current_outputs(
    path: Path, options: BuildOptions, stamp_digest: str, started: float, stats: AssetStats, theme: Theme
) -> DeckResult | None:
    """The result of a build that has nothing to do, or None when the post must be rebuilt."""
    if options.force:
        return None
    from deckgen.stamp import outputs_present, read_stamp

    old = read_stamp(options.out_dir, path)
    if old is None or old.digest != stamp_digest or not outputs_present(options.out_dir, old):
        return None
    return DeckResult(
        path,
        old.title,
        old.pages,
        stats,
        tuple(options.out_dir / rel for rel in old.outputs),
        time.perf_counter() - started,
        old.warnings,
        (),
        "",
        theme.name,
        options.offline,
        up_to_date=True,
    )


def _check_post_size(path: Path, limit: int) -> None:
    """Refuse at once a post too large to build in minutes and a few hundred MB."""
    try:
        size = path.stat().st_size
    except OSError:
        return  # reading it will say what is wrong
    if size > limit:
        raise InputError(
            f"the post is {size / 2**20:.1f} MB, over the {limit / 2**20:g} MB limit for one post",
            path,
            hint="split it into several posts, or raise the limit with --max-post-size MB",
        )


def output_names(post: Path, out_dir: Path) -> tuple[Path, Path]:
    return out_dir / f"{post.stem}.pptx", out_dir / post.stem


def write_outputs(
    laid: LaidDeck,
    theme: Theme,
    post: Path,
    options: BuildOptions,
    cache_root: Path,
    diag: Diagnostics,
    measurer: Measurer | None = None,
) -> tuple[list[Path], str]:
    """Write the decks: each is made in full beside its target first, and only when every
    one is ready are they swapped in, so a failure (a full disk, a folder that cannot be
    written) leaves the old decks as they were and nothing half-written behind."""
    from deckgen.writers.pptx import PptxWriter

    out_dir = options.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BuildError(f"cannot create the output folder: {exc.strerror}", out_dir) from None
    pptx_path, html_dir = output_names(post, out_dir)
    outputs: list[Path] = []
    origin = ""
    staged: list[tuple[Path, Path]] = []  # (ready temporary, target)
    try:
        if "pptx" in options.formats:
            pptx_writer = PptxWriter(theme, base_cache=cache_root / "pptx-base")
            staged.append((_staged_file(pptx_path, lambda f: pptx_writer.write(laid, f)), pptx_path))
            outputs.append(pptx_path)
        if "html" in options.formats:
            from deckgen.writers.reveal import RevealWriter
            from deckgen.writers.revealjs import obtain_reveal

            bundle = obtain_reveal(options.reveal_js, cache_root, diag, allow_network=not options.offline)
            origin = bundle.origin
            staged.append((_staged_dir(html_dir, lambda tmp: RevealWriter(theme, bundle).write(laid, tmp)), html_dir))
            outputs.append(html_dir / "index.html")
        if "pdf" in options.formats or options.handout:
            from deckgen.writers.pdf import PdfWriter

            writer = PdfWriter(theme, measurer or TableMeasurer(), cache_root)
            if "pdf" in options.formats:
                pdf_path = out_dir / f"{post.stem}.pdf"
                staged.append((_staged_file(pdf_path, lambda f: writer.write(laid, f)), pdf_path))
                outputs.append(pdf_path)
            if options.handout:
                from deckgen.writers.handout import write_handout

                handout_path = out_dir / f"{post.stem}.handout-{options.handout}.pdf"
                handout, paper = options.handout, options.paper
                staged.append(
                    (_staged_file(handout_path, lambda f: write_handout(writer, laid, handout, paper, f)), handout_path)
                )
                outputs.append(handout_path)
        for tmp, target in staged:
            _swap_in(tmp, target)
    finally:
        for tmp, _ in staged:
            _remove(tmp)
    return outputs, origin


def _staged_file(path: Path, fill: Callable[[BinaryIO], object]) -> Path:
    """A temporary file beside ``path`` that ``fill`` writes the deck into (not yet in its place)."""
    try:
        return stage_stream(path, fill, prefix=f".{path.name}.")
    except OSError as exc:  # the deck's own file, or a picture or font it was reading
        raise BuildError(f"cannot write: {exc.strerror}", exc.filename or path) from None


def _staged_dir(target: Path, fill: Callable[[Path], None]) -> Path:
    """A temporary folder beside ``target``, filled (not yet in its place)."""
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent))
    except OSError as exc:
        raise BuildError(f"cannot write in the output folder: {exc.strerror}", target.parent) from None
    try:
        fill(tmp)
        os.chmod(tmp, 0o755)
    except OSError as exc:
        _remove(tmp)
        raise BuildError(f"cannot write: {exc.strerror}", exc.filename or target) from None
    except BaseException:
        _remove(tmp)
        raise
    return tmp


def _swap_in(tmp: Path, target: Path) -> None:
    """Put a ready file or folder in the place of ``target`` (the old one goes)."""
    try:
        if tmp.is_dir() and target.exists():
            old = target.with_name(f".{target.name}.old-{os.getpid()}-{time.time_ns()}")
            os.replace(target, old)
            try:
                os.replace(tmp, target)
            except OSError:
                os.replace(old, target)
                raise
            _remove(old)
        else:
            os.replace(tmp, target)
    except OSError as exc:
        raise BuildError(f"cannot replace: {exc.strerror}", target) from None


def _remove(path: Path) -> None:
    """Remove a file or a folder tree, read-only parts included; quietly if it is gone."""
    if not os.path.lexists(path):
        return
    if path.is_dir() and not path.is_symlink():

        def writable_then_retry(func, name, _exc):
            try:
                os.chmod(os.path.dirname(name), 0o755)
                if os.path.isdir(name) and not os.path.islink(name):
                    os.chmod(name, 0o755)
                func(name)
            except OSError:
                pass

        shutil.rmtree(path, onerror=writable_then_retry)
    else:
        path.unlink(missing_ok=True)


def _atomic_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` in one rename."""
    tmp = _staged_file(path, lambda f: f.write(data))
    try:
        _swap_in(tmp, path)
    finally:
        _remove(tmp)


def _atomic_dir(target: Path, fill: Callable[[Path], None]) -> None:
    """Fill a fresh temporary folder, then swap it in for ``target`` in one rename."""
    tmp = _staged_dir(target, fill)
    try:
        _swap_in(tmp, target)
    finally:
        _remove(tmp)


def build_one_safely(
    path: Path, options: BuildOptions, services: Services | None = None
) -> DeckResult | DeckgenError:
    """For folder builds: a failing post comes back as its error instead of stopping the others."""
    try:
        return build_post(path, options, services)
    except DeckgenError as exc:
        return exc
