"""Each slide's map remembered by what it is made from, so a deck built again reads back only
the slides that changed.

A slide's map (:func:`deckgen.pull.deckmap.page_map`) is a function of its XML, its
relationships, the origins the writer gave its paragraphs, its notes page, its post line and
whether its title is hidden, and of the code that reads them (this deckgen's
``slideread`` and ``deckmap``). :class:`MapMemo` keeps, per post, the maps of its last build
by a digest of all of these, in one JSON file of the cache; a build looks each slide up and
reads back only what it does not find. The map is the same either way (a test holds it): the
memo is a shortcut, so a file that is missing, damaged or cannot be written is an empty memo.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from deckgen import __version__
from deckgen.pull.deckmap import MAP_VERSION, PageMap, page_item, page_map, page_of_item

if TYPE_CHECKING:
    from deckgen.model.document import Origin

# the code that reads a slide back: a build whose maps are all remembered does not load it
_READERS = ("deckgen.pull.slideread", "deckgen.pull.deckmap")

MEMO_VERSION = 1


@cache
def _code_key() -> bytes:
    """What the maps depend on besides the slide: the reading code, byte for byte."""
    h = hashlib.sha256(f"{MEMO_VERSION}:{MAP_VERSION}:{__version__}".encode())
    for name in _READERS:
        try:
            spec = importlib.util.find_spec(name)  # its file (``__file__``), without importing it
            if spec is None or spec.origin is None:
                raise OSError(name)
            h.update(Path(spec.origin).read_bytes())
        except (OSError, ImportError, ValueError):
            h.update(b"unknown")
    return h.digest()


def slide_key(
    xml: bytes,
    rels: Mapping[str, str],
    origins: Sequence[Sequence[Origin | None] | None],
    notes: str,
    line: int,
    hidden: bool,
) -> str:
    """The digest of everything one slide's map is made from."""
    h = hashlib.sha256(_code_key())
    h.update(xml)
    parts = [f"{line}\x1f{int(hidden)}"]
    parts.extend(f"{rid}\x1f{target}" for rid, target in rels.items())
    for shape in origins:
        if shape is None:
            parts.append("-")
            continue
        parts.append("+" + "\x1e".join("" if o is None else f"{o.key}\x1f{o.start}\x1f{o.length}" for o in shape))
    parts.append(notes)
    h.update("\x1d".join(parts).encode("utf-8"))
    return h.hexdigest()[:40]


class MapMemo:
    """The slide maps of one post's last build (``path``: its file; None keeps nothing)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.old: dict[str, object] = self._load(path) if path is not None else {}
        self.new: dict[str, object] = {}
        self.read_back = 0  # slides read back this build (the others were remembered)

    @staticmethod
    def _load(path: Path) -> dict[str, object]:
        try:
            data = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict) or data.get("v") != MEMO_VERSION or not isinstance(data.get("pages"), dict):
            return {}
        return data["pages"]

    def page(
        self,
        xml: bytes,
        rels: Mapping[str, str],
        origins: Sequence[Sequence[Origin | None] | None],
        notes: str,
        line: int,
        hidden: bool,
    ) -> PageMap:
        """The map of one slide as written: remembered, else read back from its XML."""
        key = slide_key(xml, rels, origins, notes, line, hidden)
        item = self.old.get(key)
        if isinstance(item, list):
            try:
                found = page_of_item(item)
            except (KeyError, TypeError, IndexError, ValueError):
                pass
            else:
                self.new[key] = item
                return found
        from deckgen.pull.slideread import read_notes, read_slide

        self.read_back += 1
        made = page_map(line, read_slide(xml, rels), origins, read_notes(notes) if notes else "", hidden)
        self.new[key] = page_item(made)
        return made

    def save(self) -> None:
        """Keep this build's maps for the next (only when they changed)."""
        if self.path is None or self.new.keys() == self.old.keys():
            return
        from deckgen.fileio import atomic_write

        data = json.dumps({"v": MEMO_VERSION, "pages": self.new}, ensure_ascii=False, separators=(",", ":"))
        try:
            atomic_write(self.path, data.encode("utf-8"))
        except OSError:
            pass  # only a shortcut: the next build reads the slides back again


def memo_path(folder: Path | None, post: str) -> Path | None:
    """The memo file of a post (``post``: its folder and name as the deck records them)."""
    if folder is None or not post:
        return None
    return folder / (hashlib.sha256(post.encode("utf-8")).hexdigest()[:32] + ".json")


__all__ = ["MEMO_VERSION", "MapMemo", "memo_path", "slide_key"]
