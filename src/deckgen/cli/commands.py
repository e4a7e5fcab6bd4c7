"""The commands (``build``, ``check``, ``cache``, ``themes``, ``serve``, ``pull``: its own module,
``cli/pull.py``), each from the parsed command line to a :class:`~deckgen.cli.report.Status`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen.cli.args import build_options, ignore_set
from deckgen.cli.report import Status, print_diagnostics, print_error, print_result, status_of
from deckgen.diagnostics import Diagnostic, Diagnostics, Severity, ignored
from deckgen.diagnostics import codes as C
from deckgen.diagnostics import render as R
from deckgen.diagnostics.quoting import shown
from deckgen.errors import BuildError, DeckgenError, InputError

if TYPE_CHECKING:
    from deckgen.assets.cachetidy import Removed
    from deckgen.options import BuildOptions
    from deckgen.pipeline import Record
    from deckgen.site import SiteBuild

DEFAULT_INPUT = Path("lecture")


# ---------------------------------------------------------------------------
# build


def _progress_factory(enabled: bool) -> Callable[[str], Callable[[int, int], None]] | None:
    if not enabled:
        return None
    from tqdm import tqdm

    def factory(name: str) -> Callable[[int, int], None]:
        bar = tqdm(total=0, desc=f"images {name}", unit="img", leave=False, file=sys.stderr)

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()
            if total and done >= total:
                bar.close()

        return update

    return factory


def _posts(paths: Sequence[Path], diag: Diagnostics) -> list[Path]:
    from deckgen.build import find_posts

    posts: list[Path] = []
    for target in paths or [DEFAULT_INPUT]:
        posts.extend(find_posts(target, diag))
    return posts


def _build(args: argparse.Namespace) -> Status:
    import dataclasses

    from deckgen.build import Result, build_posts
    from deckgen.pipeline import Record, Services

    options = build_options(args)
    args.ignored = ignore_set(args)
    said = Diagnostics()
    posts = _posts(args.paths, said)
    print_diagnostics(said.items, args.verbose)
    if args.theme:  # a bad theme fails once, before any work
        from deckgen.theme.load import load_theme

        load_theme(args.theme, options.cwd)
    site = _site_build(args, options, posts)
    if site is not None:
        options = dataclasses.replace(options, out_dir=site.out_dir)
    course = len(posts) > 1 or site is not None  # a course page, and each deck's card on it
    if any(target.is_dir() for target in args.paths or [DEFAULT_INPUT]):
        # a folder build rebuilds only the posts whose inputs changed (see deckgen.stamp)
        options = dataclasses.replace(options, incremental=True)
    options = dataclasses.replace(options, course_card=course)
    started = time.perf_counter()
    services = Services(progress_factory=_progress_factory(not args.quiet and sys.stderr.isatty()))

    said_once: set[tuple[str, str | None]] = set()

    def done(post: Path, result: Result) -> None:
        if isinstance(result, Record):
            result = _once_a_command(result, said_once)
        print_result(result, args, post if len(posts) > 1 else None)

    results = build_posts(posts, options, services, args.jobs, done)
    built = [r for r in results if isinstance(r, Record)]
    failed = [r for r in results if not isinstance(r, Record)]
    if course:
        try:
            index = _write_course(built, options, posts, site, before=time.time() - (time.perf_counter() - started))
        except DeckgenError as exc:  # one line for the course page too, after one per post
            print_error(exc, args.verbose)
            return Status.FAILED
        if not args.quiet:
            pages = sum(r.pages for r in built)
            current = sum(1 for r in built if r.up_to_date)
            fresh = f" ({current} up to date)" if current else ""
            data = f", site data {site.data_file}" if site is not None else ""
            print(
                f"course: {len(built)} of {len(posts)} posts built{fresh}, {pages} slides, "
                f"index {index}{data}, {time.perf_counter() - started:.1f} s"
            )
    if failed:
        return status_of(failed[0]) if len(posts) == 1 else Status.FAILED
    if args.strict and any(not ignored(w, args.ignored) for r in built for w in r.warnings):
        print("deckgen: --strict: warnings count as errors", file=sys.stderr)
        return Status.FAILED
    return Status.OK


def _site_build(args: argparse.Namespace, options: BuildOptions, posts: Sequence[Path]) -> SiteBuild | None:
    """With ``--site`` (or ``--slides-dir``): where in the site the decks go."""
    if not (args.site or args.slides_dir):
        return None
    from deckgen.assets.locate import guess_site_root
    from deckgen.options import SLIDES_DIR, config_text
    from deckgen.site import site_build

    site_root = options.pictures.site_root or guess_site_root(posts[0].parent)
    slides = args.slides_dir or config_text(options.cwd or Path.cwd(), "slides_dir") or SLIDES_DIR
    return site_build(site_root, slides, args.out)


def _write_course(
    built: Sequence[Record], options: BuildOptions, posts: Sequence[Path], site: SiteBuild | None, before: float | None = None
) -> Path:
    """The course page (and the site's data file), in the theme the decks are in by default;
    raises ``BuildError`` when it cannot be written. ``before``: the build's start (what a
    killed write left is removed first)."""
    from deckgen.assets.locate import guess_site_root
    from deckgen.course import course_info, write_course_index
    from deckgen.pipeline import choose_theme
    from deckgen.site import read_site_config

    config = site.config if site is not None else read_site_config(
        options.pictures.site_root or guess_site_root(posts[0].parent)
    )
    info = course_info(config, options.cwd or Path.cwd())
    theme = choose_theme(options, None)
    return write_course_index(built, options.out_dir, theme=theme, info=info, site=site, before=before)


# what is said of the machine, not of a post (a cache that cannot be written): once a command
_ONCE = frozenset({C.CACHE_NOT_WRITTEN.code})


def _once_a_command(result: Record, said: set[tuple[str, str | None]]) -> Record:
    import dataclasses

    kept = []
    for d in result.diagnostics:
        if d.code in _ONCE:
            if (d.code, d.file) in said:
                continue
            said.add((d.code, d.file))
        kept.append(d)
    return dataclasses.replace(result, diagnostics=tuple(kept))


# ---------------------------------------------------------------------------
# check


def _check(args: argparse.Namespace) -> Status:
    from deckgen.assets.fetch import FetchPolicy, HttpFetcher
    from deckgen.check import check_post
    from deckgen.pipeline import Services

    options = build_options(args)
    ignore = ignore_set(args)
    said = Diagnostics()
    posts = _posts(args.paths, said)
    fetcher = None
    if not options.offline:
        fetcher = HttpFetcher(FetchPolicy(max_bytes=options.pictures.max_bytes, total_timeout=options.pictures.timeout))
    services = Services(fetcher=fetcher)
    findings: list[Diagnostic] = []
    for post in posts:
        try:
            found = check_post(post, options, services, ignore)
        except DeckgenError as exc:  # what a build would refuse is a finding too
            refused = exc.diagnostic  # placed in the post when it names no file (an unknown theme)
            found = [refused if refused.file is not None else refused.at(post)]
            found = [f for f in found if not ignored(f, ignore)]
        findings.extend(found)
        if args.output_format == "text":
            for finding in found:
                print(R.line(finding, kind=True))
    if args.output_format == "json":
        print(R.to_json(findings))
    return Status.FAILED if any(f.severity in (Severity.WARNING, Severity.ERROR) for f in findings) else Status.OK


# ---------------------------------------------------------------------------
# cache and themes


def _cache(args: argparse.Namespace) -> Status:
    from deckgen.assets.cache import Cache, default_cache_dir

    cache = Cache(args.cache_dir or default_cache_dir())
    action = args.cache_command or "info"
    if action == "info":
        info = cache.info()
        oldest = dt.datetime.fromtimestamp(info.oldest).strftime("%Y-%m-%d %H:%M") if info.oldest else "-"
        print(f"cache: {cache.root}")
        print(f"entries: {info.entries} URLs, {info.blobs} files, {info.renditions} renditions")
        print(f"size: {_size(info.bytes)} ({info.bytes} bytes)")
        print(f"oldest: {oldest}")
    elif action == "clear":
        gone = cache.clear()
        print(f"cleared {shown(str(cache.root))}: {gone.entries} entries, {gone.files} files, {_size(gone.bytes)}")
        return _not_removed(gone, cache.root, getattr(args, "verbose", False))
    elif action == "prune":
        if not args.older_than >= 0:  # also refuses nan
            raise InputError("--older-than must be zero or more days")
        gone = cache.prune(args.older_than * 86400)
        print(f"removed {gone.entries} entries and {gone.files} files older than {args.older_than:g} days ({_size(gone.bytes)})")
        return _not_removed(gone, cache.root, getattr(args, "verbose", False))
    return Status.OK


def _not_removed(gone: Removed, root: Path, verbose: bool) -> Status:
    """What ``clear`` or ``prune`` could not remove, as one error line (exit 1)."""
    if gone.complete:
        return Status.OK
    error = BuildError(
        f"could not remove {gone.left} files ({_size(gone.left_bytes)}): {gone.reason}",
        root,
        hint="make the cache folder writable, or use another with --cache-dir",
        code=C.CACHE_FAILED,
    )
    print_error(error, verbose)
    return Status.FAILED


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.1f} kB"


def _themes(args: argparse.Namespace) -> Status:
    from deckgen.themes_cmd import list_themes, new_theme

    if args.themes_command == "new":
        path = new_theme(args.name, args.base, Path.cwd())
        print(f"wrote {path}: edit it, then build with --theme {args.name}")
        return Status.OK
    for line in list_themes(Path.cwd()):
        print(line)
    return Status.OK


# ---------------------------------------------------------------------------
# serve


def _serve(args: argparse.Namespace) -> Status:
    from deckgen.serve import DevServer, ServeEvent

    options = build_options(args)
    target = args.path or DEFAULT_INPUT
    if args.port is not None and not 0 <= args.port <= 65535:
        raise InputError("--port must be between 0 and 65535")

    def report(event: ServeEvent) -> None:
        match event.kind:
            case "built":
                if not args.quiet:
                    print(event.message, flush=True)
            case "failed":
                assert event.error is not None
                print_error(event.error, args.verbose)
            case "said":
                print_diagnostics(event.diagnostics, args.verbose)
        sys.stdout.flush()
        sys.stderr.flush()

    server = DevServer(target, options, report)
    try:
        server.start(args.host, args.port)
        print(f"serving {server.url} (Ctrl-C to stop)", flush=True)
        if args.open:
            import webbrowser

            webbrowser.open(server.url)
        server.watch()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    print("deckgen: stopped", file=sys.stderr)
    return Status.OK


def _pull(args: argparse.Namespace) -> Status:
    from deckgen.cli.pull import run

    return run(args)


COMMANDS: dict[str, Callable[[argparse.Namespace], Status]] = {
    "build": _build,
    "pull": _pull,
    "serve": _serve,
    "check": _check,
    "cache": _cache,
    "themes": _themes,
}
