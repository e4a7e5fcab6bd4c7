"""The command line: the only place that prints, chooses exit codes and exits.

Exit codes: 0 success (warnings allowed), 1 a build failed, ``check`` found something, or
a warning under ``--strict``; 2 bad usage or bad input. They are chosen in one place,
:func:`main`, from what a command returns (:class:`Status`) or raises.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import NoReturn

from deckgen import __version__
from deckgen.assets.cache import DEFAULT_MAX_AGE
from deckgen.assets.fetch import MAX_BYTES, TIMEOUT
from deckgen.assets.resolver import AssetOptions
from deckgen.diagnostics import Diagnostic, Diagnostics, Severity
from deckgen.diagnostics import render as R
from deckgen.errors import DeckgenError, InputError
from deckgen.options import HANDOUTS, PAPERS, BuildOptions

DEFAULT_INPUT = Path("lecture")
MB = 1024 * 1024


class Status(IntEnum):
    OK = 0
    FAILED = 1  # a build failed, check found something, a warning under --strict
    USAGE = 2  # bad usage or bad input
    INTERRUPTED = 130


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on its own: keep its message short
        self.print_usage(sys.stderr)
        raise _UsageError(message)


class _UsageError(Exception):
    pass


# ---------------------------------------------------------------------------
# options: one parent parser per group, shared by the commands that take the group


def _pictures_group() -> _Parser:
    p = _Parser(add_help=False)
    g = p.add_argument_group("pictures and the site")
    g.add_argument("--offline", action="store_true", help="no network at all: use cached pictures only")
    g.add_argument("--refresh", action="store_true", help="revalidate every cached picture with its server")
    _add_cache_dir(g)
    g.add_argument(
        "--max-age",
        type=float,
        default=DEFAULT_MAX_AGE / 86400,
        metavar="DAYS",
        help=f"revalidate cached pictures older than this (default: {DEFAULT_MAX_AGE / 86400:g})",
    )
    g.add_argument(
        "--max-size",
        type=float,
        default=MAX_BYTES / MB,
        metavar="MB",
        help=f"refuse pictures larger than this (default: {MAX_BYTES / MB:g})",
    )
    g.add_argument(
        "--timeout", type=float, default=TIMEOUT, metavar="SECONDS", help=f"give up on one picture after this long (default: {TIMEOUT:g})"
    )
    g.add_argument(
        "--site-root", type=Path, metavar="DIR", help="Jekyll site folder for pictures like /assets/x.png (default: the folder above _posts)"
    )
    g.add_argument(
        "--site-url",
        metavar="URL",
        help="the site's address, for site links like /2024/x.html in the .pptx "
        "(default: url + baseurl of the site's _config.yml)",
    )
    g.add_argument(
        "--allow-files",
        type=Path,
        action="append",
        default=[],
        metavar="DIR",
        help="also read local pictures and theme files from DIR (repeatable; default: only the post's folder and the site)",
    )
    return p


def _decks_group() -> _Parser:
    p = _Parser(add_help=False)
    g = p.add_argument_group("decks")
    g.add_argument(
        "--theme", metavar="NAME|PATH", help="theme name or .toml file (default: the post's 'theme:', then deckgen.toml, then 'default')"
    )
    g.add_argument(
        "--max-post-size",
        type=float,
        default=1.0,
        metavar="MB",
        help="refuse a post larger than this (default: 1; the largest real post is 0.05)",
    )
    return p


def _output_group() -> _Parser:
    p = _Parser(add_help=False)
    g = p.add_argument_group("outputs")
    g.add_argument("--out", type=Path, default=Path("build"), metavar="DIR", help="output folder (default: ./build)")
    g.add_argument(
        "--handout",
        type=int,
        choices=HANDOUTS,
        default=0,
        metavar="N",
        help="also write a PDF handout, N = 1, 2 (with notes), 3 (with lines for notes) or 6 slides a sheet",
    )
    g.add_argument("--paper", choices=PAPERS, default="a4", help="paper size of the handout (default: a4)")
    g.add_argument(
        "--reveal-js", type=Path, metavar="PATH", help="reveal.js package folder or .tgz (default: $DECKGEN_REVEAL_JS, the cache, a download)"
    )
    return p


def _verbosity_group() -> _Parser:
    p = _Parser(add_help=False)
    p.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    p.add_argument("-v", "--verbose", action="store_true", help="print notes, every repeated warning, and tracebacks")
    return p


def _add_cache_dir(parser: argparse.ArgumentParser | argparse._ArgumentGroup, default: object = None) -> None:
    """``--cache-dir``, the same wherever it is accepted (build, serve, check, cache and its actions)."""
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        default=default,
        help="picture cache folder (default: $DECKGEN_CACHE_DIR or the user cache folder)",
    )


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="deckgen",
        description="Turn lecture posts (Jekyll Markdown) into an editable PowerPoint deck, an offline reveal.js deck and a PDF.",
    )
    parser.add_argument("--version", action="version", version=f"deckgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    pictures, decks, outputs, verbosity = _pictures_group(), _decks_group(), _output_group(), _verbosity_group()

    b = sub.add_parser(
        "build",
        parents=[decks, outputs, pictures, verbosity],
        help="build decks from a post or a folder of posts",
        description="Build decks. With no PATH, builds every post in ./lecture/.",
    )
    b.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a post (.md) or a folder of posts")
    b.add_argument(
        "--format",
        default=None,
        metavar="LIST",
        help="decks to write: pptx, html, pdf, a list like pptx,pdf, or all (default: deckgen.toml's formats, else pptx,html)",
    )
    b.add_argument("--jobs", type=int, default=0, metavar="N", help="posts built at once for a folder (default: all cores)")
    b.add_argument("--force", action="store_true", help="for a folder: rebuild every post, even those whose decks are up to date")
    b.add_argument("--strict", action="store_true", help="treat every warning as an error (exit code 1)")

    s = sub.add_parser(
        "serve",
        parents=[decks, outputs, pictures, verbosity],
        help="build, serve the decks on this computer and rebuild on every save",
        description="Build PATH (default ./lecture/), serve the output folder on 127.0.0.1 and "
        "rebuild both decks on every save; open tabs reload on the slide they showed.",
    )
    s.add_argument("path", nargs="?", type=Path, default=None, metavar="PATH", help="a post or a folder")
    s.add_argument("--port", type=int, default=None, metavar="N", help="port (default: 8000 or the next free one)")
    s.add_argument("--host", default="127.0.0.1", metavar="H", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--open", action="store_true", help="open the deck in the browser")

    c = sub.add_parser(
        "check",
        parents=[decks, pictures, verbosity],
        help="find a post's mistakes without building it",
        description="Report raw markup, broken links, pictures that cannot be had and front-matter "
        "mistakes, one line each: file:line: kind: message (what to do) [CODE]. Exit code 0: nothing "
        "found, 1: findings, 2: bad input.",
    )
    c.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a post (.md) or a folder of posts")
    c.add_argument(
        "--output-format", "--format", dest="output_format", choices=("text", "json"), default="text", help="text (default) or json"
    )

    k = sub.add_parser(
        "cache", help="inspect or clean the picture cache", description="Inspect or clean the picture cache (downloads and converted pictures)."
    )
    _add_cache_dir(k)
    ksub = k.add_subparsers(dest="cache_command", metavar="ACTION", parser_class=_Parser)
    info = ksub.add_parser("info", help="entries, bytes and the oldest entry (the default action)")
    clear = ksub.add_parser("clear", help="delete every cached picture")
    prune = ksub.add_parser("prune", help="delete what was not fetched or revalidated in the last DAYS days")
    prune.add_argument("--older-than", type=float, required=True, metavar="DAYS")
    for action in (info, clear, prune):  # --cache-dir may also follow the action
        _add_cache_dir(action, default=argparse.SUPPRESS)

    t = sub.add_parser("themes", help="list themes, or write a new one to edit")
    tsub = t.add_subparsers(dest="themes_command", metavar="ACTION", parser_class=_Parser)
    tsub.add_parser("list", help="list built-in and local themes (the default action)")
    new = tsub.add_parser("new", help="write themes/NAME.toml with every key, ready to edit")
    new.add_argument("name")
    new.add_argument("--from", dest="base", default="default", metavar="THEME")
    return parser


# ---------------------------------------------------------------------------
# the one place exit codes are chosen


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = make_parser()
    args: argparse.Namespace | None = None
    try:
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return Status.USAGE
        if args.command in ("build", "serve"):
            from deckgen.malloc import tune_allocator

            tune_allocator()  # before any thread: big picture buffers go back to the system
        return int(COMMANDS[args.command](args))
    except _UsageError as exc:
        print(f"deckgen: error: {exc}", file=sys.stderr)
        return Status.USAGE
    except DeckgenError as exc:
        _error(exc, bool(args is not None and getattr(args, "verbose", False)))
        return status_of(exc)
    except KeyboardInterrupt:
        print("deckgen: interrupted", file=sys.stderr)
        return Status.INTERRUPTED


def status_of(error: DeckgenError) -> Status:
    return Status.USAGE if error.exit_code == Status.USAGE else Status.FAILED


def _error(error: DeckgenError, verbose: bool) -> None:
    if verbose:
        import traceback

        print(error.details or "".join(traceback.format_exception(error)), file=sys.stderr, end="")
    print(f"deckgen: error: {R.line(error.diagnostic)}", file=sys.stderr)


def _say(found: Sequence[Diagnostic], verbose: bool) -> None:
    """Warnings (grouped unless -v) and, with -v, notes, on stderr."""
    warnings = [d for d in found if d.severity in (Severity.WARNING, Severity.ERROR)]
    for text in R.lines(warnings, verbose):
        print(f"warning: {text}", file=sys.stderr)
    if verbose:
        for d in found:
            if d.severity in (Severity.INFO, Severity.HINT):
                print(f"note: {R.line(d)}", file=sys.stderr)


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


def picture_options(args: argparse.Namespace) -> AssetOptions:
    for name, value in (("--max-age", args.max_age), ("--max-size", args.max_size), ("--timeout", args.timeout)):
        if not value > 0:
            raise InputError(f"{name} must be a positive number")
    return AssetOptions(
        offline=args.offline,
        refresh=args.refresh,
        max_age=args.max_age * 86400,
        max_bytes=int(args.max_size * MB),
        timeout=args.timeout,
        cache_dir=args.cache_dir,
        site_root=args.site_root,
        allow_files=tuple(args.allow_files),
    )


def build_options(args: argparse.Namespace) -> BuildOptions:
    from deckgen.options import config_formats, parse_formats

    cwd = Path.cwd()
    fmt = getattr(args, "format", None)
    formats = parse_formats(fmt) if fmt is not None else config_formats(cwd)
    if not args.max_post_size > 0:
        raise InputError("--max-post-size must be a positive number")
    return BuildOptions(
        formats=formats,
        out_dir=getattr(args, "out", Path("build")),
        theme=args.theme,
        pictures=picture_options(args),
        reveal_js=getattr(args, "reveal_js", None),
        site_url=args.site_url,
        max_post_bytes=int(args.max_post_size * MB),
        now=dt.datetime.now(),
        cwd=cwd,
        handout=getattr(args, "handout", 0),
        paper=getattr(args, "paper", "a4"),
    )


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
    said = Diagnostics()
    posts = _posts(args.paths, said)
    _say(said.items, args.verbose)
    if args.theme:  # a bad theme fails once, before any work
        from deckgen.theme import load_theme

        load_theme(args.theme, options.cwd)
    if any(target.is_dir() for target in args.paths or [DEFAULT_INPUT]):
        # a folder build rebuilds only the posts whose inputs changed (see deckgen.stamp)
        options = dataclasses.replace(options, incremental=True, force=args.force)
    started = time.perf_counter()
    services = Services(progress_factory=_progress_factory(not args.quiet and sys.stderr.isatty()))

    def done(_post: Path, result: Result) -> None:
        _report(result, args)

    results = build_posts(posts, options, services, args.jobs, done)
    built = [r for r in results if isinstance(r, Record)]
    failed = [r for r in results if not isinstance(r, Record)]
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
        return status_of(failed[0]) if len(posts) == 1 else Status.FAILED
    if args.strict and any(r.warnings for r in built):
        print("deckgen: --strict: warnings count as errors", file=sys.stderr)
        return Status.FAILED
    return Status.OK


def _report(result: object, args: argparse.Namespace) -> None:
    from deckgen.pipeline import Record

    if isinstance(result, DeckgenError):
        _error(result, args.verbose)
        return
    assert isinstance(result, Record)
    _say(result.diagnostics, args.verbose)
    if args.quiet:
        return
    if result.up_to_date:
        print(f"{result.source}: up to date")
        return
    print(summary_line(result))


def summary_line(result: object) -> str:
    from deckgen.pipeline import Record

    assert isinstance(result, Record)
    s = result.images
    outs = ", ".join(str(p) for p in result.outputs)
    extra = ""
    if s.failed and result.offline:
        extra = " [offline: images not in the cache are placeholders]"
    elif s.failed:
        extra = " [unavailable images are placeholders]"
    if result.reveal_origin == "cdn-link":
        extra += " [the HTML deck needs the internet for reveal.js]"
    return (
        f"{result.source}: {result.pages} slides, images {s.total} "
        f"({s.cached} cached, {s.downloaded} downloaded, {s.failed} failed) -> {outs} "
        f"in {result.seconds:.1f} s{extra}"
    )


# ---------------------------------------------------------------------------
# check


def _check(args: argparse.Namespace) -> Status:
    from deckgen.assets.fetch import FetchPolicy, HttpFetcher
    from deckgen.check import check_post
    from deckgen.pipeline import Services

    options = build_options(args)
    said = Diagnostics()
    posts = _posts(args.paths, said)
    fetcher = None
    if not options.offline:
        fetcher = HttpFetcher(FetchPolicy(max_bytes=options.pictures.max_bytes, total_timeout=options.pictures.timeout))
    services = Services(fetcher=fetcher)
    findings: list[Diagnostic] = []
    for post in posts:
        try:
            found = check_post(post, options, services)
        except DeckgenError as exc:  # what a build would refuse is a finding too
            refused = exc.diagnostic  # placed in the post when it names no file (an unknown theme)
            found = [refused if refused.file is not None else refused.at(post)]
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
        print(f"cleared {cache.root}: {gone.entries} entries, {_size(gone.bytes)}")
    elif action == "prune":
        if not args.older_than >= 0:  # also refuses nan
            raise InputError("--older-than must be zero or more days")
        gone = cache.prune(args.older_than * 86400)
        print(f"removed {gone.entries} entries and {gone.files} files older than {args.older_than:g} days ({_size(gone.bytes)})")
    return Status.OK


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
                _error(event.error, args.verbose)
            case "said":
                _say(event.diagnostics, args.verbose)
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


COMMANDS: dict[str, Callable[[argparse.Namespace], Status]] = {
    "build": _build,
    "serve": _serve,
    "check": _check,
    "cache": _cache,
    "themes": _themes,
}
