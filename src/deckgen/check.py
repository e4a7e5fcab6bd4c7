"""``deckgen check``: a post's mistakes, found without building it.

Each finding is one line ``file:line: kind: message (what to do)``. Four kinds:

* ``markup``: Markdown the reader will see raw (a ``**`` or a backtick left unmatched, a
  link whose ``](`` is split over lines or otherwise not parsed), a tag that will be
  dropped, a Liquid tag or an HTML comment never closed;
* ``link``: a scheme typo (``ttps://``), no scheme (``www.x.org``), an empty target, or an
  address the URL policy of the decks refuses;
* ``picture``: a picture that cannot be had (through the picture cache and the build's own
  fetcher, so a warm check sends no request), a web page where a picture is expected, a
  local file outside the site;
* ``front-matter``: no ``title``, a ``date`` that is not a date.

Nothing here prints: findings are returned; a post that cannot be read at all raises
``InputError`` as ``build`` does.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from markdown_it.token import Token

from deckgen.assets.cache import DEFAULT_MAX_AGE, Cache, default_cache_dir
from deckgen.assets.fetch import MAX_BYTES, TIMEOUT, Fetcher, FetchPolicy, HttpFetcher
from deckgen.assets.resolve import AssetOptions, AssetResolver, inside_any, resolve_assets
from deckgen.errors import Diagnostics, where
from deckgen.model import AssetStatus, Deck, Embed, Image, Slide
from deckgen.parse.walker import markdown, parse_deck
from deckgen.source import read_post
from deckgen.untrusted import quote_short
from deckgen.urlpolicy import UrlPolicy

Kind = Literal["markup", "link", "picture", "front-matter"]
KINDS: tuple[Kind, ...] = ("markup", "link", "picture", "front-matter")


@dataclass(frozen=True)
class Finding:
    path: Path
    line: int
    kind: Kind
    message: str
    hint: str

    def __str__(self) -> str:
        return f"{where(self.path, self.line)}{self.kind}: {self.message} ({self.hint})"

    def as_dict(self) -> dict[str, object]:
        return {
            "file": str(self.path),
            "line": self.line,
            "kind": self.kind,
            "message": self.message,
            "hint": self.hint,
        }


@dataclass(frozen=True)
class CheckOptions:
    offline: bool = False  # pictures only from the cache; nothing missing from it is reported
    cache_dir: Path | None = None
    site_root: Path | None = None
    allow_files: tuple[Path, ...] = ()  # folders besides the post's and the site's
    max_age: float = DEFAULT_MAX_AGE
    max_bytes: int = MAX_BYTES
    timeout: float = TIMEOUT
    now: dt.datetime | None = None


# ---------------------------------------------------------------------------
# links: the rule the decks apply, and what a refused address most likely meant

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
_TLDS = "com|org|net|edu|gov|io|tw|cn|jp|uk|de|ai|dev|co|me|info|app|ly|gl|be|us|hk"
_BARE_HOST = re.compile(rf"^(?:www\.|[\w-]+(?:\.[\w-]+)*\.(?:{_TLDS})(?:[/:?#]|$))", re.I)
_MISSING_COLON = re.compile(r"^(https?)//", re.I)


def _allowed_link(url: str) -> bool:
    """Does the decks' URL policy keep this link? (http, https, mailto, a site path.)"""
    return UrlPolicy().check(url, "link") is not None


def _distance(a: str, b: str) -> int:
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def link_problem(url: str) -> tuple[str, str] | None:
    """(message, what to do) for a link target a reader cannot follow, or None."""
    text = url.strip()
    short = quote_short(text)
    if not text:
        return "link with an empty target", "put the address between the parentheses, or drop the brackets"
    m = _SCHEME.match(text)
    scheme = m.group(1).lower() if m else ""
    if scheme in ("http", "https") and not re.match(r"^https?://[^/]", text, re.I):
        return f"'{short}' is missing '//' after '{scheme}:'", f"write {scheme}://..."
    if scheme and scheme not in ("http", "https") and _distance(scheme, "https") <= 2 and len(scheme) >= 3:
        return f"scheme typo in '{short}'", "write https:// (or http://)"
    if not scheme and _MISSING_COLON.match(text):
        return f"'{short}' is missing ':' after the scheme", "write https://..."
    if not scheme and _BARE_HOST.match(text):
        return f"'{short}' has no scheme, so it points inside the site", f"write https://{short}"
    if _allowed_link(text) or text.startswith("#") or (not scheme and not text.startswith("/")):
        # a fragment or a page next to the post: the site resolves it
        return None
    if scheme:
        return f"unsafe or unsupported link '{short}': the decks drop it", "link to an http(s) address"
    return f"link '{short}' is not an address the decks keep", "link to an http(s) address"




# ---------------------------------------------------------------------------
# Markdown left raw


_UNPARSED_LINK = re.compile(r"!?\[([^\[\]]*)\]\(((?:[^()\s]|\([^()\s]*\))*)\)?")
_LABEL_AT_END = re.compile(r"!?\[[^\[\]]+\]\s*$")
_STRONG_US = re.compile(r"(?:^|(?<=[\s\W]))__|__(?=[\s\W]|$)")
_HREF = re.compile(r"""<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I | re.S)


class _Scanner:
    def __init__(self, path: Path, body_line: int) -> None:
        self.path = path
        self.body_line = body_line
        self.found: list[Finding] = []

    def add(self, line: int, kind: Kind, message: str, hint: str) -> None:
        self.found.append(Finding(self.path, line, kind, message, hint))

    def link(self, line: int, url: str) -> None:
        problem = link_problem(url)
        if problem is not None:
            self.add(line, "link", *problem)

    def tokens(self, tokens: Sequence[Token]) -> None:
        for token in tokens:
            line = self.body_line + (token.map[0] if token.map else 0)
            if token.type == "inline":
                self.inline(token, line)
            elif token.type == "html_block":
                self.html(token.content, line, block=True)

    def html(self, content: str, line: int, block: bool) -> None:
        for m in _HREF.finditer(content):
            href = next(g for g in m.groups() if g is not None)
            self.link(line + content.count("\n", 0, m.start()), href)
        if block and content.lstrip().startswith("<!--") and "-->" not in content:
            self.add(
                line,
                "markup",
                "HTML comment never closed: it hides everything after it",
                "end the comment with -->",
            )

    def inline(self, token: Token, line: int) -> None:
        children = list(token.children or ())
        for i, child in enumerate(children):
            kind = child.type
            if kind in ("softbreak", "hardbreak"):
                line += 1
            elif kind == "html_inline":
                self.html(child.content, line, block=False)
                line += child.content.count("\n")
            elif kind == "link_open":
                self.link(line, str(child.attrs.get("href") or ""))
            elif kind == "text":
                after = children[i + 1] if i + 1 < len(children) else None
                following = children[i + 2] if i + 2 < len(children) else None
                self.text(child.content, line, after, following)

    def text(self, content: str, line: int, after: Token | None, following: Token | None) -> None:
        if "**" in content:
            self.add(
                line,
                "markup",
                "'**' shown as is (its pair is missing, or it touches punctuation on the wrong side)",
                "pair it, or put a space outside it next to Chinese punctuation",
            )
        elif _STRONG_US.search(content):
            self.add(line, "markup", "'__' shown as is (its pair is missing)", "pair it, or write \\_\\_")
        if "`" in content:
            self.add(line, "markup", "a backtick shown as is (its pair is missing)", "close the code with `")
        if "<!--" in content:
            self.add(line, "markup", "'<!--' shown as is", "close the comment with -->, or write &lt;!--")
        split = (
            _LABEL_AT_END.search(content)
            and after is not None
            and after.type == "softbreak"
            and following is not None
            and following.type == "text"
            and following.content.lstrip().startswith("(")
        )
        if split:
            self.add(
                line,
                "markup",
                "link split over two lines: the site shows '[...]' and '(...)' as text",
                "put ']' and '(' together on one line",
            )
        for m in _UNPARSED_LINK.finditer(content):
            target = m.group(2)
            problem = link_problem(target) if target and m.group(0).endswith(")") else None
            if problem is not None and "unsafe" in problem[0]:
                self.add(line, "link", *problem)
                continue
            what = "picture" if m.group(0).startswith("!") else "link"
            self.add(
                line,
                "markup",
                f"{what} '{quote_short(m.group(0))}' is not parsed and shows as text",
                "keep the address on one line without spaces (write %20)",
            )


_NEVER_CLOSED = re.compile(r"^.*?:(\d+): (Liquid '.*' is never closed).*$")
_DROPPED_TAG = re.compile(r"^.*?:(\d+): unknown HTML tag (<[^>]*>) dropped")


# HTML's element names: a tag deckgen drops but a browser shows is no mistake of the post
_HTML_ELEMENTS = set(
    """a abbr acronym address area article aside audio b base bdi bdo big blink blockquote body br
    button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir
    div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6
    head header hgroup hr html i iframe img input ins kbd label legend li link main map mark marquee
    menu meta meter nav nobr noscript object ol optgroup option output p param picture pre progress q
    rp rt ruby s samp script search section select slot small source span strike strong style sub
    summary sup table tbody td template textarea tfoot th thead time title tr track tt u ul var video
    wbr math svg""".split()
)


def check_markup(path: Path, body: str, body_line: int, diag: Diagnostics) -> list[Finding]:
    """Raw-markup and link findings of a post's body (Liquid already evaluated)."""
    scanner = _Scanner(path, body_line)
    scanner.tokens(markdown().parse(body))
    for warning in diag.warnings:
        if m := _NEVER_CLOSED.match(warning):
            scanner.add(int(m.group(1)), "markup", m.group(2), "close it with }} or %}")
        elif (m := _DROPPED_TAG.match(warning)) and m.group(2)[1:-1].lower() not in _HTML_ELEMENTS:
            scanner.add(
                int(m.group(1)),
                "markup",
                f"{m.group(2)} is not HTML: the reader sees nothing of the tag",
                "write &lt; for '<', or put it in backticks",
            )
    return scanner.found


# ---------------------------------------------------------------------------
# front matter

_DATE_KEY = re.compile(r"^date\s*:", re.M)


def check_front(path: Path, front: dict[str, object], front_text: str) -> list[Finding]:
    found: list[Finding] = []
    title = front.get("title")
    if title is None or not str(title).strip():
        found.append(
            Finding(path, 1, "front-matter", "no title", "add a line 'title: ...' to the front matter")
        )
    if "date" in front and not _is_date(front["date"]):
        m = _DATE_KEY.search(front_text)
        line = front_text.count("\n", 0, m.start()) + 2 if m else 1
        found.append(
            Finding(
                path,
                line,
                "front-matter",
                f"date '{quote_short(str(front['date']))}' is not a date",
                "write it as YYYY-MM-DD (optionally HH:MM:SS +0800)",
            )
        )
    return found


def _is_date(value: object) -> bool:
    if isinstance(value, dt.date):
        return True
    m = re.fullmatch(
        r"\s*(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)\s*(Z|[+-]\d{2}:?\d{2})?)?\s*",
        str(value),
    )
    if not m:
        return False
    try:
        dt.date.fromisoformat(m.group(1))
        if m.group(2):
            dt.time.fromisoformat(m.group(2).zfill(5) if len(m.group(2)) < 5 else m.group(2).zfill(8))
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------------------
# pictures


def _pictures(deck: Deck) -> Iterator[tuple[str, int]]:
    for slide in deck.slides:
        yield from _block_pictures(slide)


def _block_pictures(slide: Slide) -> Iterator[tuple[str, int]]:
    for block in slide.blocks:
        if isinstance(block, Image):
            yield block.url, block.line


def _is_local(url: str) -> bool:
    m = _SCHEME.match(url.strip())
    return not url.strip().startswith("//") and (
        not m or len(m.group(1)) == 1 or m.group(1).lower() == "file"
    )


def check_pictures(path: Path, deck: Deck, options: CheckOptions, fetcher: Fetcher | None) -> list[Finding]:
    """Every picture of the deck, had the way the build has it (cache first, same fetcher)."""
    found: list[Finding] = []
    cache = Cache(options.cache_dir or default_cache_dir())
    # a check asks again what a build remembered failing: the teacher checks after a fix
    picture_options = dataclasses.replace(AssetOptions.taken_from(options), remember_failures=False)
    resolver = AssetResolver(cache, fetcher, picture_options, Diagnostics(), path)
    outside = set()
    for url, line in _pictures(deck):
        if _is_local(url) and not inside_any(resolver.local_path(url), resolver.allowed_folders()):
            outside.add(url)
            found.append(
                Finding(
                    path,
                    line,
                    "picture",
                    f"{quote_short(url)}: a local file outside the site",
                    "copy the picture into the site, or allow its folder with --allow-files DIR",
                )
            )
    deck = _without(deck, outside)
    resolved, _ = resolve_assets(deck, resolver)
    for slide in resolved.slides:
        for block in slide.blocks:
            match block:
                case Image(url=url, asset=asset):
                    pass
                case Embed(poster_url=url, poster=asset):
                    pass
                case _:
                    continue
            if asset is None or asset.status is not AssetStatus.FAILED:
                continue
            reason = asset.reason or "cannot be had"
            if options.offline and "not in the cache" in reason:
                continue  # offline: what is not cached is not checked
            hint = "link to the picture file itself, not to the page showing it"
            if "not an image" not in reason and "web page" not in reason:
                hint = "fix or replace the address, or save the picture into the site"
            found.append(Finding(path, block.line, "picture", f"{url}: {reason}", hint))
    return found


def _without(deck: Deck, urls: set[str]) -> Deck:
    if not urls:
        return deck
    import dataclasses

    slides = tuple(
        dataclasses.replace(
            s, blocks=tuple(b for b in s.blocks if not (isinstance(b, Image) and b.url in urls))
        )
        for s in deck.slides
    )
    return dataclasses.replace(deck, slides=slides)


# ---------------------------------------------------------------------------


def make_fetcher(options: CheckOptions) -> Fetcher | None:
    if options.offline:
        return None
    return HttpFetcher(FetchPolicy(max_bytes=options.max_bytes, total_timeout=options.timeout))


def check_post(
    path: Path, options: CheckOptions, fetcher: Fetcher | None = None, pictures: bool = True
) -> list[Finding]:
    """The findings of one post, in line order. Raises ``InputError`` when it cannot be read."""
    diag = Diagnostics()
    now = options.now or dt.datetime.now()
    source = read_post(path, now, diag)
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")
    front_text = "\n".join(text.split("\n")[1 : max(source.body_line - 2, 1)])
    found = check_front(path, source.front, front_text)
    deck = parse_deck(source, diag)
    found += check_markup(path, source.body, source.body_line, diag)
    if pictures:
        found += check_pictures(path, deck, options, fetcher)
    unique = {(f.line, f.kind, f.message): f for f in found}
    return sorted(unique.values(), key=lambda f: (f.line, KINDS.index(f.kind)))


Checker = Callable[[Path], list[Finding]]

__all__ = ["KINDS", "CheckOptions", "Finding", "check_post", "link_problem", "make_fetcher"]
