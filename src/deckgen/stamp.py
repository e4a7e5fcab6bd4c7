"""What each output was made from, so a folder build rebuilds only the posts that changed.

A stamp is a small JSON file beside the outputs (``OUT/.deckgen/<post>.json``) holding one
digest of everything a post's decks depend on: the post's bytes, the theme (its settings
and the bytes of its files), deckgen's version, the options that change the decks and,
for every picture, its cache key as the assets stage resolved it this time (so a picture
that changed at its URL, found by revalidation, changes the digest). A build whose digest
equals the stamp's and whose outputs are all still there has nothing to write. To find that
without parsing the post, the stamp also keeps (``quick``) the key of what the parse reads, the
pictures the deck asked for, what they resolved to and what the parse said (``deckgen.quick``).

The stamp is also the record of what deckgen wrote (every build writes one, a single post's
too): each file it put in place with its SHA-256, size and modification time (``files``), the
post it was made from (path and SHA-256), the date the outputs carry, and the edited outputs it
kept aside (``kept``, see :mod:`deckgen.edits`). A file whose bytes differ from its record was
edited; one without a record was not written by deckgen. The format is in ``docs/usage.md``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from deckgen import __version__
from deckgen.dates import clock
from deckgen.diagnostics import Diagnostic, as_dict, from_dict
from deckgen.model.document import Asset, Deck, Embed, Image
from deckgen.options import BuildOptions
from deckgen.theme.schema import Theme

STAMP_DIR = ".deckgen"
STAMP_VERSION = 4  # 3: the record of each file written, the post's digest, the kept edits; 4: ``quick``
DIGEST_VERSION = 3  # what the digest hashes changed (a new STAMP_VERSION alone does not rebuild every post)
_CONTENT_NAME = re.compile(r"[0-9a-f]{32}")  # cache files are named by their digest


@dataclass(frozen=True)
class FileRecord:
    """One file as deckgen wrote it: its SHA-256 (what counts), size and modification time (a
    shortcut: a file with both unchanged is not read again)."""

    sha256: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Kept:
    """An output found edited (or not written by deckgen) and kept aside before a build replaced it."""

    path: str  # the kept copy, relative to the output folder (``x.edited-20261207-104512.pptx``)
    output: str  # the output it was, relative (``x.pptx``, ``x`` for the HTML deck's folder)
    reason: str  # "edited": its bytes differed from the record; "unknown": there was no record of it
    sha256: str = ""  # the kept file's (a folder: its index.html's)
    written_sha256: str = ""  # what deckgen had written there (the deck the edits were made to)
    post_sha256: str = ""  # the post that deck was made from
    at: str = ""  # when it was kept (local time, ISO 8601)


@dataclass(frozen=True)
class Quick:
    """What lets the next build find the decks current before it parses the post (``deckgen.quick``):
    the key of everything the parse reads, the pictures the deck asked for, and what they
    resolved to and what the parse said (said again when the post is found current so)."""

    key: str  # :func:`quick_key`
    pictures: tuple[tuple[str, int, bool], ...]  # each picture asked for: URL, line, video poster
    assets: str  # :func:`assets_digest` of what each resolved to
    said: tuple[Diagnostic, ...] = ()  # what the parse said (the URL policy, pictures without a description)


@dataclass(frozen=True)
class Stamp:
    digest: str
    title: str
    pages: int
    outputs: tuple[str, ...]  # relative to the output folder
    diagnostics: tuple[Diagnostic, ...] = ()  # the warnings the writing stages of that build said
    files: Mapping[str, FileRecord] = field(default_factory=dict)  # every file written, relative
    kept: tuple[Kept, ...] = ()
    post: str = ""  # the post's path (absolute)
    post_sha256: str = ""
    date: str = ""  # the date the outputs carry (ISO 8601)
    clock: str = ""  # the time Liquid's site.time showed (ISO 8601): a build made again needs it
    version: int = STAMP_VERSION
    recorded_ns: int = 0  # when the stamp file was written (its mtime): what an older stamp, without files, has
    quick: Quick | None = None  # (version 4) what a quick look at the next build compares


def _file_digest(path: Path | None) -> str:
    if path is None:
        return ""
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"


def _asset_key(asset: Asset) -> list[str]:
    path = asset.path
    key = asset.digest or (path.name if path is not None else "")  # the original's SHA-256
    if not asset.digest and path is not None and not _CONTENT_NAME.match(path.name):
        # not a content-addressed cache file (a local picture): its bytes are the key
        key = _file_digest(path)
    return [asset.url, asset.status.value, key, str(asset.width), str(asset.height), asset.reason]


def deck_assets(deck: Deck) -> Iterator[Asset]:
    """Every asset the resolved deck holds, in order (pictures and video posters)."""
    blocks = [*deck.abstract, *(block for slide in deck.slides for block in slide.blocks)]
    for block in blocks:
        if isinstance(block, Image) and block.asset is not None:
            yield block.asset
        elif isinstance(block, Embed) and block.poster is not None:
            yield block.poster


def digest(
    post_bytes: bytes, theme: Theme, options: Iterable[tuple[str, object]], assets: Iterable[Asset]
) -> str:
    h = hashlib.sha256()

    def feed(*parts: object) -> None:
        h.update(json.dumps([str(p) for p in parts], ensure_ascii=False).encode("utf-8") + b"\n")

    feed("deckgen", __version__, DIGEST_VERSION)
    h.update(hashlib.sha256(post_bytes).digest())
    feed("theme", repr(theme))
    for path in (theme.source, theme.logo, theme.pptx_template, theme.css, *(f.path for f in theme.fonts.files)):
        feed("theme-file", path, _file_digest(path))
    for name, value in options:
        feed("option", name, value)
    for asset in assets:
        feed("asset", *_asset_key(asset))
    return h.hexdigest()


def stamp_path(out_dir: Path, post: Path) -> Path:
    return out_dir / STAMP_DIR / f"{post.stem}.json"


def read_stamp(out_dir: Path, post: Path) -> Stamp | None:
    """The stamp of ``post``'s outputs in ``out_dir``; None when there is none or it is damaged."""
    path = stamp_path(out_dir, post)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = data.get("files") or {}
        return Stamp(
            str(data["digest"]),
            str(data["title"]),
            int(data["pages"]),
            tuple(str(o) for o in data["outputs"]),
            tuple(from_dict(d) for d in data.get("diagnostics", ())),
            {str(rel): FileRecord(str(r["sha256"]), int(r["size"]), int(r["mtime_ns"])) for rel, r in files.items()},
            tuple(Kept(**{k: str(v) for k, v in item.items() if k in _KEPT_FIELDS}) for item in data.get("kept", ())),
            str(data.get("post", "")),
            str(data.get("post_sha256", "")),
            str(data.get("date", "")),
            str(data.get("clock", "")),
            version=int(data.get("version", 2)),
            recorded_ns=path.stat().st_mtime_ns,
            quick=_read_quick(data.get("quick")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _read_quick(data: object) -> Quick | None:
    """The stamp's ``quick`` (None when it has none, or it is damaged: the slow way then)."""
    if not isinstance(data, dict):
        return None
    try:
        pictures = tuple((str(url), int(line), bool(poster)) for url, line, poster in data["pictures"])
        said = tuple(from_dict(d) for d in data.get("said", ()))
        return Quick(str(data["key"]), pictures, str(data["assets"]), said)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


_KEPT_FIELDS = ("path", "output", "reason", "sha256", "written_sha256", "post_sha256", "at")


def write_stamp(out_dir: Path, post: Path, stamp: Stamp) -> None:
    """Write the stamp (all of it or nothing); raises OSError."""
    from deckgen.fileio import atomic_write

    path = stamp_path(out_dir, post)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "version": STAMP_VERSION,
        "digest": stamp.digest,
        "title": stamp.title,
        "pages": stamp.pages,
        "post": stamp.post,
        "post_sha256": stamp.post_sha256,
        "date": stamp.date,
        "clock": stamp.clock,
        "outputs": list(stamp.outputs),
        "files": {
            rel: {"sha256": r.sha256, "size": r.size, "mtime_ns": r.mtime_ns} for rel, r in sorted(stamp.files.items())
        },
        "kept": [{k: getattr(item, k) for k in _KEPT_FIELDS} for item in stamp.kept],
        "diagnostics": [as_dict(d) for d in stamp.diagnostics],
    }
    if stamp.quick is not None:
        quick = stamp.quick
        data["quick"] = {
            "key": quick.key,
            "pictures": [list(p) for p in quick.pictures],
            "assets": quick.assets,
            "said": [as_dict(d) for d in quick.said],
        }
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def outputs_present(out_dir: Path, stamp: Stamp) -> bool:
    return bool(stamp.outputs) and all((out_dir / rel).exists() for rel in stamp.outputs)


def digest_of(post: Path, theme: Theme, options: BuildOptions, deck: Deck) -> str:
    """The digest of everything a post's decks are made from: its bytes, its theme, the
    options that change the decks, the day (Liquid's ``site.time``) and each picture."""
    try:
        post_bytes = post.read_bytes()
    except OSError:
        post_bytes = b""
    return digest(post_bytes, theme, _matters(post_bytes, options, deck.meta.deck_url), deck_assets(deck))


def quick_key(
    post_bytes: bytes, theme: Theme, options: BuildOptions, deck_url: str, read: Iterable[tuple[str, object]]
) -> str:
    """The digest of what :func:`digest_of` hashes but the pictures, and of what else the
    parse reads (``read``: the post's path, the site's address and language...): equal keys,
    the post parses to the same deck, asking for the same pictures."""
    matters = (*_matters(post_bytes, options, deck_url), ("quick", 1), *read)
    return digest(post_bytes, theme, matters, ())


def assets_digest(assets: Iterable[Asset | None]) -> str:
    """The digest of what each picture resolved to (as :func:`digest_of` keys them)."""
    h = hashlib.sha256()
    for asset in assets:
        key = _asset_key(asset) if asset is not None else ["none"]
        h.update(json.dumps(key, ensure_ascii=False).encode("utf-8") + b"\n")
    return h.hexdigest()


def remembered(key: str, deck: Deck, parse_said: tuple[Diagnostic, ...]) -> Quick:
    """What the stamp of the resolved ``deck`` keeps for the next build's quick look (``deckgen.quick``)."""
    from deckgen.assets.resolve import attached, collect

    jobs, assets = collect(deck), attached(deck)
    pictures = tuple((job.url, job.line, job.poster) for job in jobs)
    return Quick(key, pictures, assets_digest(assets.get(job.url) for job in jobs), parse_said)


def _matters(post_bytes: bytes, options: BuildOptions, deck_url: str) -> tuple[tuple[str, object], ...]:
    """The options (and the facts) that change the decks."""
    reveal = options.reveal_js or os.environ.get("DECKGEN_REVEAL_JS", "")
    now = clock(options.source_date, options.now)
    pictures = options.pictures
    return (
        ("formats", ",".join(options.formats)),
        ("offline", pictures.offline),
        ("site_root", pictures.site_root),
        ("site_url", options.site_url),
        ("deck_url", deck_url),  # the title slide's QR code
        ("allow_files", ",".join(str(p) for p in pictures.allow_files)),
        ("handout", options.handout),
        ("paper", options.paper),
        ("reveal_js", reveal),
        ("reveal_js_stat", _stat_key(Path(reveal)) if reveal else ""),
        # Liquid's site.time is in the text: a post that shows the time changes every day
        ("date", now.date().isoformat() if uses_clock(post_bytes) else ""),
        ("source_date", options.source_date.isoformat() if options.source_date else ""),  # the outputs' date
    )


_CLOCK = re.compile(rb"site\.time|[\"'](?:now|today)[\"']", re.IGNORECASE)


def uses_clock(post_bytes: bytes) -> bool:
    """Might the post's Liquid show the time of the build (``{{ site.time }}``, ``"now" | date``)?
    (Erring towards yes: such a post is rebuilt each day.)"""
    return _CLOCK.search(post_bytes) is not None


def _stat_key(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "missing"
    return f"{st.st_size}:{st.st_mtime_ns}"
