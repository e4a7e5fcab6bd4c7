"""The advance widths a font's characters were measured at, remembered in the cache.

Measuring with a font file means loading Pillow and the font, then asking for each new
character's advance: some 15 ms of a warm build that takes 0.4 s. A width is a function of the
font file alone, so :class:`WidthMemo` keeps the widths per pair of files (regular and bold),
by their paths, sizes and modification times, Pillow's version and this code's, in one JSON file of the
cache's ``font-widths/``. A build that meets only characters measured before never loads
Pillow. The widths are the same either way (a test holds it): the memo is a shortcut, so a file
that is missing, damaged or cannot be written is an empty memo.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

MEMO_VERSION = 1
FOLDER = "font-widths"  # in the cache (``cachenames.MEMOS``: cleared and pruned with it)


def _key(ch: str, bold: bool) -> str:
    return ("1" if bold else "0") + ch


class WidthMemo:
    """The widths of one regular and bold pair: those read from the cache, and those added.

    (A plain class: a dataclass costs a millisecond of every start-up to make.)"""

    def __init__(self, path: Path | None, old: dict[str, float] | None = None) -> None:
        self.path = path
        self.old = old or {}
        self.new: dict[str, float] = {}

    @classmethod
    def open(cls, folder: Path | None, regular: Path, bold: Path) -> WidthMemo:
        """The memo of a pair of font files (empty, and never saved, when a file cannot be seen)."""
        path = memo_path(folder, regular, bold)
        if path is None:
            return cls(None)
        try:
            raw = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return cls(path)
        widths = raw.get("widths") if isinstance(raw, dict) and raw.get("v") == MEMO_VERSION else None
        if not isinstance(widths, dict):
            return cls(path)
        return cls(path, {k: v for k, v in widths.items() if isinstance(k, str) and isinstance(v, float | int)})

    def get(self, ch: str, bold: bool) -> float | None:
        key = _key(ch, bold)
        found = self.old.get(key)
        return found if found is not None else self.new.get(key)

    def put(self, ch: str, bold: bool, width: float) -> None:
        self.new[_key(ch, bold)] = width

    def save(self) -> None:
        """Keep the widths for the next build (only when some were added)."""
        if self.path is None or not self.new:
            return
        from deckgen.fileio import atomic_write

        widths = {**self.old, **self.new}
        data = json.dumps({"v": MEMO_VERSION, "widths": widths}, separators=(",", ":"))
        try:
            atomic_write(self.path, data.encode("utf-8"))
        except OSError:
            return  # only a shortcut: the next build measures them again
        self.old, self.new = widths, {}


def memo_path(folder: Path | None, regular: Path, bold: Path) -> Path | None:
    """The memo file of a pair of font files, named by what their widths depend on."""
    if folder is None:
        return None
    import PIL  # the package alone (its version: the shaper and FreeType it ships), not the imaging

    h = hashlib.sha256(f"{MEMO_VERSION}\0{PIL.__version__}".encode())
    for font in (regular, bold):
        try:
            st = os.stat(font)
        except OSError:
            return None
        h.update(f"\0{os.path.abspath(font)}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8", "surrogateescape"))
    return folder / (h.hexdigest()[:32] + ".json")


__all__ = ["FOLDER", "MEMO_VERSION", "WidthMemo", "memo_path"]
