"""What each output was made from, so a folder build rebuilds only the posts that changed.

A stamp is a small JSON file beside the outputs (``OUT/.deckgen/<post>.json``) holding one
digest of everything a post's decks depend on: the post's bytes, the theme (its settings
and the bytes of its files), deckgen's version, the options that change the decks and,
for every picture, its cache key as the assets stage resolved it this time (so a picture
that changed at its URL, found by revalidation, changes the digest). A build whose digest
equals the stamp's and whose outputs are all still there has nothing to write.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from deckgen import __version__
from deckgen.diagnostics import Diagnostic, as_dict, from_dict
from deckgen.model.document import Asset, Deck, Embed, Image
from deckgen.options import BuildOptions
from deckgen.theme.schema import Theme

STAMP_DIR = ".deckgen"
STAMP_VERSION = 2
_CONTENT_NAME = re.compile(r"[0-9a-f]{32}")  # cache files are named by their digest


@dataclass(frozen=True)
class Stamp:
    digest: str
    title: str
    pages: int
    outputs: tuple[str, ...]  # relative to the output folder
    diagnostics: tuple[Diagnostic, ...] = ()  # the warnings the writing stages of that build said


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

    feed("deckgen", __version__, STAMP_VERSION)
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
    try:
        data = json.loads(stamp_path(out_dir, post).read_text(encoding="utf-8"))
        return Stamp(
            str(data["digest"]),
            str(data["title"]),
            int(data["pages"]),
            tuple(str(o) for o in data["outputs"]),
            tuple(from_dict(d) for d in data.get("diagnostics", ())),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_stamp(out_dir: Path, post: Path, stamp: Stamp) -> None:
    from deckgen.fileio import atomic_write

    path = stamp_path(out_dir, post)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {
        "digest": stamp.digest,
        "title": stamp.title,
        "pages": stamp.pages,
        "outputs": list(stamp.outputs),
        "diagnostics": [as_dict(d) for d in stamp.diagnostics],
    }
    atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))


def outputs_present(out_dir: Path, stamp: Stamp) -> bool:
    return bool(stamp.outputs) and all((out_dir / rel).exists() for rel in stamp.outputs)


def current(out_dir: Path, post: Path, digest_now: str) -> Stamp | None:
    """The stamp of outputs made from exactly these inputs and still there, else None."""
    old = read_stamp(out_dir, post)
    if old is None or old.digest != digest_now or not outputs_present(out_dir, old):
        return None
    return old


def digest_of(post: Path, theme: Theme, options: BuildOptions, deck: Deck) -> str:
    """The digest of everything a post's decks are made from: its bytes, its theme, the
    options that change the decks, the day (Liquid's ``site.time``) and each picture."""
    try:
        post_bytes = post.read_bytes()
    except OSError:
        post_bytes = b""
    reveal = options.reveal_js or os.environ.get("DECKGEN_REVEAL_JS", "")
    now = options.now or dt.datetime.now()
    pictures = options.pictures
    matters = (
        ("formats", ",".join(options.formats)),
        ("offline", pictures.offline),
        ("site_root", pictures.site_root),
        ("site_url", options.site_url),
        ("allow_files", ",".join(str(p) for p in pictures.allow_files)),
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
