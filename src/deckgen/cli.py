"""The command line: the only place that prints, chooses exit codes and exits.

Exit codes: 0 success (warnings allowed), 1 a build failed (or a warning under
``--strict``), 2 bad usage or bad input.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import sys
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from deckgen import __version__
from deckgen.assets.cache import DEFAULT_MAX_AGE, Cache, default_cache_dir
from deckgen.assets.fetch import MAX_BYTES, TIMEOUT
from deckgen.build import (
    HANDOUTS,
    PAPERS,
    BuildOptions,
    DeckResult,
    Services,
    build_one_safely,
    find_posts,
)
from deckgen.errors import DeckgenError, InputError
from deckgen.summary import group_warnings

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_INPUT = Path("lecture")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on its own: keep its message short
        self.print_usage(sys.stderr)
        raise _UsageError(message)


class _UsageError(Exception):
    pass


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="deckgen",
        description="Turn lecture posts (Jekyll Markdown) into an editable PowerPoint deck "
        "and an offline reveal.js deck.",
    )
    parser.add_argument("--version", action="version", version=f"deckgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    b = sub.add_parser(
        "build",
        help="build decks from a post or a folder of posts",
        description="Build decks. With no PATH, builds every post in ./lecture/.",
    )
    b.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a post (.md) or a folder of posts")
    b.add_argument(
        "--format",
        default=None,
        metavar="LIST",
        help="decks to write: pptx, html, pdf, a list like pptx,pdf, or all "
        "(default: deckgen.toml's formats, else pptx,html)",
    )
    b.add_argument(
        "--handout",
        type=int,
        choices=HANDOUTS,
        default=0,
        metavar="N",
        help="also write a PDF handout, N = 1, 2 (with notes), 3 (with lines for notes) or 6 slides a sheet",
    )
    b.add_argument(
        "--paper", choices=PAPERS, default="a4", help="paper size of the handout (default: a4)"
    )
    b.add_argument(
        "--out", type=Path, default=Path("build"), metavar="DIR", help="output folder (default: ./build)"
    )
    b.add_argument(
        "--theme",
        metavar="NAME|PATH",
        help="theme name or .toml file (default: the post's 'theme:', then deckgen.toml, then 'default')",
    )
    b.add_argument("--offline", action="store_true", help="no network at all: use cached images only")
    b.add_argument("--refresh", action="store_true", help="revalidate every cached image with its server")
    _add_cache_dir(b)
    b.add_argument(
        "--max-age",
        type=float,
        default=DEFAULT_MAX_AGE / 86400,
        metavar="DAYS",
        help=f"revalidate cached images older than this (default: {DEFAULT_MAX_AGE / 86400:g})",
    )
    b.add_argument(
        "--max-size",
        type=float,
        default=MAX_BYTES / MB,
        metavar="MB",
        help=f"refuse images larger than this (default: {MAX_BYTES / MB:g})",
    )
    _add_timeout(b, "give up on one image after this long")
    b.add_argument(
        "--reveal-js",
        type=Path,
        metavar="PATH",
        help="reveal.js package folder or .tgz (default: $DECKGEN_REVEAL_JS, the cache, a download)",
    )
    b.add_argument(
        "--site-root",
        type=Path,
        metavar="DIR",
        help="Jekyll site folder for images like /assets/x.png (default: the folder above _posts)",
    )
    b.add_argument(
        "--site-url",
        metavar="URL",
        help="the site's address, for site links like /2024/x.html in the .pptx "
        "(default: url + baseurl of the site's _config.yml)",
    )
    b.add_argument(
        "--allow-files",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also read local pictures and theme files from DIR (repeatable; default: only the "
        "post's folder and the site)",
    )
    b.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="posts built at once for a folder (default: all cores)",
    )
    b.add_argument(
        "--max-post-size",
        type=float,
        default=1.0,
        metavar="MB",
        help="refuse a post larger than this (default: 1; the largest real post is 0.05)",
    )
    b.add_argument(
        "--force",
        action="store_true",
        help="for a folder: rebuild every post, even those whose decks are up to date",
    )
    b.add_argument("--strict", action="store_true", help="treat every warning as an error (exit code 1)")
    b.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    b.add_argument("-v", "--verbose", action="store_true", help="print notes, and tracebacks on errors")

    c = sub.add_parser(
        "cache",
        help="inspect or clean the image cache",
        description="Inspect or clean the image cache (downloads and converted pictures).",
    )
    _add_cache_dir(c)
    csub = c.add_subparsers(dest="cache_command", metavar="ACTION", parser_class=_Parser)
    info = csub.add_parser("info", help="entries, bytes and the oldest entry (the default action)")
    clear = csub.add_parser("clear", help="delete every cached image")
    prune = csub.add_parser("prune", help="delete what was not fetched or revalidated in the last DAYS days")
    prune.add_argument("--older-than", type=float, required=True, metavar="DAYS")
    for action in (info, clear, prune):  # --cache-dir may also follow the action
        _add_cache_dir(action, default=argparse.SUPPRESS)

    t = sub.add_parser("themes", help="list themes, or write a new one to edit")
    tsub = t.add_subparsers(dest="themes_command", metavar="ACTION", parser_class=_Parser)
    tsub.add_parser("list", help="list built-in and local themes (the default action)")
    new = tsub.add_parser("new", help="write themes/NAME.toml with every key, ready to edit")
    new.add_argument("name")
    new.add_argument("--from", dest="base", default="default", metavar="THEME")
    _add_serve_and_check(sub, b)
    return parser


def _add_serve_and_check(sub, build: argparse.ArgumentParser) -> None:
    s = sub.add_parser(
        "serve",
        help="build, serve the decks on this computer and rebuild on every save",
        description="Build PATH (default ./lecture/), serve the output folder on 127.0.0.1 and "
        "rebuild both decks on every save; open tabs reload on the slide they showed.",
    )
    s.add_argument("path", nargs="?", type=Path, default=None, metavar="PATH", help="a post or a folder")
    s.add_argument("--port", type=int, default=None, metavar="N", help="port (default: 8000 or the next free one)")
    s.add_argument("--host", default="127.0.0.1", metavar="H", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--open", action="store_true", help="open the deck in the browser")
    # every build option (whatever build grows) applies to serve too; serve writes both decks
    for action in build._actions:
        if action.dest not in ("help", "paths", "format", "jobs", "strict"):
            s._add_action(action)
    s.set_defaults(format="all", jobs=1, strict=False)

    c = sub.add_parser(
        "check",
        help="find a post's mistakes without building it",
        description="Report raw markup, broken links, pictures that cannot be had and front-matter "
        "mistakes, one line each: file:line: kind: message (what to do). Exit code 0: nothing found, "
        "1: findings, 2: bad input.",
    )
    c.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a post (.md) or a folder of posts")
    c.add_argument("--offline", action="store_true", help="no network: check pictures in the cache only")
    c.add_argument("--format", choices=("text", "json"), default="text", help="output (default: text)")
    _add_cache_dir(c)
    c.add_argument("--site-root", type=Path, metavar="DIR", help="Jekyll site folder")
    c.add_argument(
        "--allow-files",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also accept local pictures from DIR (repeatable), as build does",
    )
    _add_timeout(c, "per picture")


MB = 1024 * 1024


def _add_cache_dir(parser: argparse.ArgumentParser, default: object = None) -> None:
    """``--cache-dir``, the same wherever it is accepted (build, serve, check, cache and its actions)."""
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        default=default,
        help="image cache folder (default: $DECKGEN_CACHE_DIR or the user cache folder)",
    )


def _add_timeout(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--timeout", type=float, default=TIMEOUT, metavar="SECONDS", help=f"{what} (default: {TIMEOUT:g})"
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    verbose = "-v" in argv or "--verbose" in argv
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        if args.command in ("build", "serve"):
            from deckgen.allocator import tune_allocator

            tune_allocator()  # before any thread: big picture buffers go back to the system
        if args.command == "build":
            return _build(args)
        if args.command == "cache":
            return _cache(args)
        if args.command == "themes":
            return _themes(args)
        if args.command == "check":
            return _check(args)
        if args.command == "serve":
            return _serve(args)
    except _UsageError as exc:
        print(f"deckgen: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except DeckgenError as exc:
        if verbose:
            traceback.print_exc()
        print(f"deckgen: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("deckgen: interrupted", file=sys.stderr)
        return 130
    return EXIT_USAGE


# ---------------------------------------------------------------------------
# build


def _progress_factory(enabled: bool):
    if not enabled:
        return None
    from tqdm import tqdm

    def factory(name: str):
        bar = tqdm(total=0, desc=f"images {name}", unit="img", leave=False, file=sys.stderr)

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()
            if total and done >= total:
                bar.close()

        return update

    return factory


def _options(args: argparse.Namespace) -> BuildOptions:
    from deckgen.build import config_formats, parse_formats

    cwd = Path.cwd()
    formats = parse_formats(args.format) if args.format is not None else config_formats(cwd)
    for name, value in (
        ("--max-age", args.max_age),
        ("--max-size", args.max_size),
        ("--timeout", args.timeout),
        ("--max-post-size", args.max_post_size),
    ):
        if value <= 0:
            raise InputError(f"{name} must be a positive number")
    return BuildOptions(
        formats=formats,
        out_dir=args.out,
        theme=args.theme,
        offline=args.offline,
        refresh=args.refresh,
        cache_dir=args.cache_dir,
        reveal_js=args.reveal_js,
        site_root=args.site_root,
        site_url=args.site_url,
        allow_files=tuple(args.allow_files),
        max_age=args.max_age * 86400,
        max_bytes=int(args.max_size * MB),
        max_post_bytes=int(args.max_post_size * 1024 * 1024),
        timeout=args.timeout,
        now=dt.datetime.now(),
        cwd=cwd,
        handout=args.handout,
        paper=args.paper,
    )


def _build(args: argparse.Namespace) -> int:
    options = _options(args)
    targets = args.paths or [DEFAULT_INPUT]
    posts: list[Path] = []
    skipped: list[str] = []
    for target in targets:
        posts.extend(find_posts(target, skipped))
    for line in skipped:
        print(f"warning: {line}", file=sys.stderr)
    if args.theme:  # a bad theme fails once, before any work
        from deckgen.theme import load_theme

        load_theme(args.theme, options.cwd)
    if any(target.is_dir() for target in targets):
        # a folder build rebuilds only the posts whose inputs changed (see deckgen.stamp)
        options = dataclasses.replace(options, incremental=True, force=args.force)
    started = time.perf_counter()
    show_progress = not args.quiet and sys.stderr.isatty()
    jobs = args.jobs or (os.cpu_count() or 1)
    results: list[DeckResult | DeckgenError] = []
    if len(posts) > 1 and jobs > 1:
        # the posts already share the cores: each draws its pictures on its share of them
        options = dataclasses.replace(options, render_workers=max(1, (os.cpu_count() or 1) // jobs))
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=min(jobs, len(posts))) as pool:
            futures = [pool.submit(build_one_safely, post, options, None) for post in posts]
            for post, future in zip(posts, futures):
                try:
                    result = future.result()
                except Exception as exc:  # a crash in one post must not hide the others
                    result = DeckgenError(f"internal error: {type(exc).__name__}: {exc}", post)
                results.append(result)
                _report(result, args)
    else:
        services = Services(progress_factory=_progress_factory(show_progress))
        for post in posts:
            try:
                result = build_one_safely(post, options, services)
            except Exception as exc:
                result = DeckgenError(f"internal error: {type(exc).__name__}: {exc}", post)
                result.__traceback__ = exc.__traceback__
            results.append(result)
            _report(result, args)
    built = [r for r in results if isinstance(r, DeckResult)]
    failed = [r for r in results if not isinstance(r, DeckResult)]
    if len(posts) > 1:
        from deckgen.course import write_course_index

        index = write_course_index(built, options.out_dir)
        if not args.quiet:
            pages = sum(r.pages for r in built)
            current = sum(1 for r in built if r.up_to_date)
            fresh = f" ({current} up to date)" if current else ""
            print(
                f"course: {len(built)} of {len(posts)} posts built{fresh}, {pages} slides, "
                f"index {index}, {time.perf_counter() - started:.1f} s"
            )
    if failed:
        if len(posts) == 1 and isinstance(failed[0], InputError):
            return failed[0].exit_code
        return EXIT_FAILED
    if args.strict and any(r.warnings for r in built):
        print("deckgen: --strict: warnings count as errors", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _report(result: DeckResult | DeckgenError, args: argparse.Namespace) -> None:
    if not isinstance(result, DeckResult):
        if args.verbose and result.__traceback__ is not None:
            traceback.print_exception(result)
        print(f"deckgen: error: {result}", file=sys.stderr)
        return
    for line in group_warnings(result.warnings, verbose=args.verbose):
        print(f"warning: {line}", file=sys.stderr)
    if args.verbose:
        for line in result.notes:
            print(f"note: {line}", file=sys.stderr)
    if args.quiet:
        return
    if result.up_to_date:
        print(f"{result.source}: up to date")
        return
    s = result.images
    outs = ", ".join(str(p) for p in result.outputs)
    extra = ""
    if s.failed and result.offline:
        extra = " [offline: images not in the cache are placeholders]"
    elif s.failed:
        extra = " [unavailable images are placeholders]"
    if result.reveal_origin == "cdn-link":
        extra += " [the HTML deck needs the internet for reveal.js]"
    print(
        f"{result.source}: {result.pages} slides, images {s.total} "
        f"({s.cached} cached, {s.downloaded} downloaded, {s.failed} failed) -> {outs} "
        f"in {result.seconds:.1f} s{extra}"
    )


# ---------------------------------------------------------------------------
# cache and themes


def _cache(args: argparse.Namespace) -> int:
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
        print(f"cleared {cache.root}: {gone.entries} entries, {_size(gone.bytes)}")
    elif action == "prune":
        if not args.older_than >= 0:  # also refuses nan
            raise InputError("--older-than must be zero or more days")
        gone = cache.prune(args.older_than * 86400)
        print(
            f"removed {gone.entries} entries and {gone.files} files older than "
            f"{args.older_than:g} days ({_size(gone.bytes)})"
        )
    return EXIT_OK


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.1f} kB"


def _themes(args: argparse.Namespace) -> int:
    from deckgen.themes_cmd import list_themes, new_theme

    if args.themes_command == "new":
        path = new_theme(args.name, args.base, Path.cwd())
        print(f"wrote {path}: edit it, then build with --theme {args.name}")
        return EXIT_OK
    for line in list_themes(Path.cwd()):
        print(line)
    return EXIT_OK


# ---------------------------------------------------------------------------
# check and serve


def _check(args: argparse.Namespace) -> int:
    import json

    from deckgen.check import CheckOptions, check_post, make_fetcher

    if args.timeout <= 0:
        raise InputError("--timeout must be a positive number")
    posts: list[Path] = []
    for target in args.paths or [DEFAULT_INPUT]:
        posts.extend(find_posts(target))
    options = CheckOptions(
        offline=args.offline,
        cache_dir=args.cache_dir,
        site_root=args.site_root,
        allow_files=tuple(args.allow_files),
        timeout=args.timeout,
    )
    fetcher = make_fetcher(options)
    findings = []
    bad_input = False
    for post in posts:
        try:
            found = check_post(post, options, fetcher)
        except DeckgenError as exc:
            print(f"deckgen: error: {exc}", file=sys.stderr)
            bad_input = True
            continue
        findings.extend(found)
        if args.format == "text":
            for finding in found:
                print(finding)
    if args.format == "json":
        print(json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=1))
    if bad_input:
        return EXIT_USAGE
    return EXIT_FAILED if findings else EXIT_OK


def _serve(args: argparse.Namespace) -> int:
    from deckgen.serve import DevServer, ServeEvent

    options = _options(args)
    target = args.path or DEFAULT_INPUT
    if args.port is not None and not 0 <= args.port <= 65535:
        raise InputError("--port must be between 0 and 65535")

    def report(event: ServeEvent) -> None:
        match event.kind:
            case "built":
                if not args.quiet:
                    print(event.message, flush=True)
            case "failed":
                print(f"deckgen: error: {event.message}", file=sys.stderr, flush=True)
            case "warning":
                print(f"warning: {event.message}", file=sys.stderr, flush=True)

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
    return EXIT_OK
