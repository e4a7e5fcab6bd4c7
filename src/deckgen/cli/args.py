"""The command line's words: the parser of every command and option (one function per group
of options, called by the commands that take it), and the library's options read from what it
parsed (``build_options``). A command's options are added to its parser only when it is the
command invoked: ``deckgen --help`` needs only the commands' names and words."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from deckgen import __version__
from deckgen.errors import InputError

if TYPE_CHECKING:  # the library's option classes and defaults load with the command that takes them
    from deckgen.assets.resolver import AssetOptions
    from deckgen.options import BuildOptions

MB = 1024 * 1024


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # argparse exits 2 on its own: keep its message short
        self.print_usage(sys.stderr)
        raise UsageError(message)


class UsageError(Exception):
    pass


# ---------------------------------------------------------------------------
# the commands: each is registered with its name and words (what ``deckgen --help`` lists);
# its parser, with its options, is made only when it is the command invoked


class _Commands(argparse._SubParsersAction):
    """The commands, each with the function that gives its parser its options. Only the
    command invoked gets a parser: building every command's options cost 3-5 ms on every run,
    and even an empty ``ArgumentParser`` costs 0.1-0.2 ms; ``deckgen --help`` lists the
    commands from their names and words alone."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.options: dict[str, Callable[[argparse.ArgumentParser], None]] = {}

    def add_command(
        self, name: str, options: Callable[[argparse.ArgumentParser], None], help: str, description: str | None = None
    ) -> None:
        self.add_parser(name, help=help, description=description)  # argparse's bookkeeping, an _Unmade parser
        self.options[name] = options

    def parser(self, name: str) -> argparse.ArgumentParser:
        """The command's parser, with its options (made the first time)."""
        found = self.choices[name]
        if isinstance(found, _Unmade):
            found = self.choices[name] = _Parser(**found.words)
            self.options.pop(name)(found)
        assert isinstance(found, argparse.ArgumentParser)
        return found

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any, option_string: str | None = None
    ) -> None:
        if values[0] in self.choices:  # an unknown command is argparse's own error
            self.parser(values[0])
        super().__call__(parser, namespace, values, option_string)


class _Unmade(_Parser):
    """A command's parser before it is made: what ``add_parser`` gives a parser (its prog and
    description), kept until ``_Commands.parser`` makes the parser."""

    def __init__(self, **words: Any) -> None:  # not ArgumentParser's: nothing is made yet
        self.words = words


def make_parser() -> argparse.ArgumentParser:
    """The command line's parser. A command's own parser is made when ``parse_args`` meets the
    command (once per parser), so that a run pays only for the options of the command it runs."""
    parser = _Parser(
        prog="deckgen",
        description="Turn lecture posts (Jekyll Markdown) into an editable PowerPoint deck, an offline reveal.js deck and a PDF.",
    )
    parser.add_argument("--version", action="version", version=f"deckgen {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Unmade, action=_Commands)
    assert isinstance(sub, _Commands)
    sub.add_command(
        "build",
        _build_options,
        help="build decks from a post or a folder of posts",
        description="Build decks. With no PATH, builds every post in ./lecture/.",
    )
    sub.add_command(
        "serve",
        _serve_options,
        help="build, serve the decks on this computer and rebuild on every save",
        description="Build PATH (default ./lecture/), serve the output folder on 127.0.0.1 and "
        "rebuild both decks on every save; open tabs reload on the slide they showed.",
    )
    sub.add_command(
        "check",
        _check_options,
        help="find a post's mistakes without building it",
        description="Report raw markup, broken links, pictures that cannot be had and front-matter "
        "mistakes, one line each: file:line: kind: message (what to do) [CODE]. Exit code 0: nothing "
        "found, 1: findings, 2: bad input.",
    )
    sub.add_command(
        "cache",
        _cache_options,
        help="inspect or clean the picture cache",
        description="Inspect or clean the picture cache (downloads and converted pictures).",
    )
    sub.add_command(
        "pull",
        _pull_options,
        help="bring a deck's text edits (PowerPoint, LibreOffice) back into its post",
        description="Read a .pptx deckgen built and a teacher edited, and print its text edits as a "
        "unified diff of the post it was made from; --write applies them (the old post is kept "
        "beside it as NAME.before-pull-TIME~). Edits the post cannot hold (a moved picture, a new "
        "slide, a colour) are listed with their slide numbers, never guessed. Exit code 0: done, 1: the post "
        "could not be written (read-only, disk full), "
        "2: bad input (not a deckgen .pptx, the post missing or changed since the build).",
    )
    sub.add_command("themes", _themes_options, help="list themes, or write a new one to edit")
    return parser


def _build_options(b: argparse.ArgumentParser) -> None:
    for group in (_decks, _outputs, _pictures, _verbosity):
        group(b)
    b.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a post (.md) or a folder of posts")
    b.add_argument(
        "--format",
        default=None,
        metavar="LIST",
        help="decks to write: pptx, html, pdf, a list like pptx,pdf, or all (default: deckgen.toml's formats, else pptx,html)",
    )
    b.add_argument("--jobs", type=int, default=0, metavar="N", help="posts built at once for a folder (default: all cores)")
    b.add_argument(
        "--force",
        action="store_true",
        help="rebuild every post, even those whose decks are up to date (an edited deck is still kept aside)",
    )
    b.add_argument(
        "--strict", action="store_true", help="treat every warning as an error (exit code 1), but those --ignore names"
    )
    _add_ignore(b)
    site = b.add_argument_group("a Jekyll site")
    site.add_argument(
        "--site",
        action="store_true",
        help="write the decks into the Jekyll site the posts are in (the folder above _posts, or --site-root): "
        "its slides/ folder, with the course page, and _data/decks.json for the site's pages",
    )
    site.add_argument(
        "--slides-dir",
        metavar="DIR",
        help="with --site (implied): the site's folder for the decks (default: deckgen.toml's slides_dir, else slides)",
    )


def _serve_options(s: argparse.ArgumentParser) -> None:
    for group in (_decks, _outputs, _pictures, _verbosity):
        group(s)
    s.add_argument("path", nargs="?", type=Path, default=None, metavar="PATH", help="a post or a folder")
    s.add_argument("--port", type=int, default=None, metavar="N", help="port (default: 8000 or the next free one)")
    s.add_argument("--host", default="127.0.0.1", metavar="H", help="address to listen on (default: 127.0.0.1)")
    s.add_argument("--open", action="store_true", help="open the deck in the browser")


def _check_options(c: argparse.ArgumentParser) -> None:
    for group in (_decks, _pictures, _verbosity):
        group(c)
    c.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="a post (.md) or a folder of posts")
    c.add_argument(
        "--output-format", "--format", dest="output_format", choices=("text", "json"), default="text", help="text (default) or json"
    )
    _add_ignore(c)


def _cache_options(k: argparse.ArgumentParser) -> None:
    _add_cache_dir(k)
    ksub = k.add_subparsers(dest="cache_command", metavar="ACTION", parser_class=_Parser)
    info = ksub.add_parser("info", help="entries, bytes and the oldest entry (the default action)")
    clear = ksub.add_parser("clear", help="delete every cached picture")
    prune = ksub.add_parser("prune", help="delete what was not fetched or revalidated in the last DAYS days")
    prune.add_argument("--older-than", type=float, required=True, metavar="DAYS")
    for action in (info, clear, prune):  # --cache-dir may also follow the action
        _add_cache_dir(action, default=argparse.SUPPRESS)


def _pull_options(p: argparse.ArgumentParser) -> None:  # deckgen.cli.pull runs it
    _verbosity(p)
    p.add_argument("deck", type=Path, metavar="DECK.pptx", help="the edited deck")
    p.add_argument(
        "--post", type=Path, metavar="POST.md",
        help="the post the deck was built from (default: the one the deck names, found beside the deck's folder)",
    )
    p.add_argument("--write", action="store_true", help="write the edits into the post (default: print them)")


def _themes_options(t: argparse.ArgumentParser) -> None:
    tsub = t.add_subparsers(dest="themes_command", metavar="ACTION", parser_class=_Parser)
    tsub.add_parser("list", help="list built-in and local themes (the default action)")
    new = tsub.add_parser("new", help="write themes/NAME.toml with every key, ready to edit")
    new.add_argument("name")
    new.add_argument("--from", dest="base", default="default", metavar="THEME")


# ---------------------------------------------------------------------------
# options: one function per group, called by the commands that take the group, in the order
# their help lists the groups


def _pictures(p: argparse.ArgumentParser) -> None:
    from deckgen.assets.cache import DEFAULT_MAX_AGE
    from deckgen.assets.fetch import MAX_BYTES, TIMEOUT

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


def _decks(p: argparse.ArgumentParser) -> None:
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


def _outputs(p: argparse.ArgumentParser) -> None:
    from deckgen.options import HANDOUTS, PAPERS

    g = p.add_argument_group("outputs")
    g.add_argument(
        "--out", type=Path, default=None, metavar="DIR", help="output folder (default: ./build; with --site, the site's slides/)"
    )
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
        "--discard-edits",
        action="store_true",
        help="replace a deck edited since deckgen wrote it, losing the edits (default: keep it as NAME.edited-TIME.EXT)",
    )
    g.add_argument(
        "--reveal-js", type=Path, metavar="PATH", help="reveal.js package folder or .tgz (default: $DECKGEN_REVEAL_JS, the cache, a download)"
    )


def _verbosity(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help="print only warnings and errors")
    p.add_argument("-v", "--verbose", action="store_true", help="print notes, every repeated warning, and tracebacks")


def _add_cache_dir(parser: argparse.ArgumentParser | argparse._ArgumentGroup, default: object = None) -> None:
    """``--cache-dir``, the same wherever it is accepted (build, serve, check, cache and its actions)."""
    parser.add_argument(
        "--cache-dir",
        type=Path,
        metavar="DIR",
        default=default,
        help="picture cache folder (default: $DECKGEN_CACHE_DIR or the user cache folder)",
    )


def _add_ignore(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="LIST",
        help="leave out what these kinds, codes or names report (comma-separated, repeatable): "
        "accessibility, A201, picture-no-description ...",
    )


def ignore_set(args: argparse.Namespace) -> frozenset[str]:
    """What ``--ignore`` names: kinds, codes (any case) or names; an unknown one is bad usage."""
    from typing import get_args

    from deckgen.diagnostics import Kind
    from deckgen.diagnostics.codes import BY_CODE, BY_NAME

    out: set[str] = set()
    unknown: list[str] = []
    for value in getattr(args, "ignore", None) or ():
        for word in (w.strip() for w in value.split(",")):
            if not word:
                continue
            if word.upper() in BY_CODE:
                out.add(word.upper())
            elif word in BY_NAME or word in get_args(Kind):
                out.add(word)
            else:
                unknown.append(word)
    if unknown:
        raise InputError(
            f"--ignore: no kind, code or name {', '.join(repr(w) for w in unknown)}",
            hint="give kinds (accessibility, markup, link, picture, front-matter) or codes (docs/diagnostics.md)",
        )
    return frozenset(out)


def picture_options(args: argparse.Namespace) -> AssetOptions:
    from deckgen.assets.resolver import AssetOptions

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
    from deckgen.dates import SOURCE_DATE_EPOCH, source_date_epoch
    from deckgen.options import BuildOptions, config_formats, parse_formats

    cwd = Path.cwd()
    fmt = getattr(args, "format", None)
    formats = parse_formats(fmt) if fmt is not None else config_formats(cwd)
    if not args.max_post_size > 0:
        raise InputError("--max-post-size must be a positive number")
    source_date = source_date_epoch(os.environ.get(SOURCE_DATE_EPOCH))
    return BuildOptions(
        formats=formats,
        out_dir=getattr(args, "out", None) or Path("build"),
        theme=args.theme,
        pictures=picture_options(args),
        reveal_js=getattr(args, "reveal_js", None),
        site_url=args.site_url,
        max_post_bytes=int(args.max_post_size * MB),
        now=dt.datetime.now(),
        source_date=source_date,
        cwd=cwd,
        force=getattr(args, "force", False),
        discard_edits=getattr(args, "discard_edits", False),
        handout=getattr(args, "handout", 0),
        paper=getattr(args, "paper", "a4"),
    )
