"""An edited .pptx read back: its custom properties (the map deckgen wrote) and each slide's
shapes and notes, in the order the presentation lists its slides."""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from deckgen.diagnostics import codes as C
from deckgen.errors import InputError
from deckgen.pull.deckmap import CUSTOM_PART, MAP_VERSION, DeckMap, map_of, read_properties
from deckgen.pull.slideread import Shape, read_notes, read_slide

_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
MAX_PART = 64 << 20  # a part larger than this is not a slide a teacher edited


@dataclass(frozen=True)
class DeckSlide:
    number: int  # 1-based, as PowerPoint shows it
    shapes: tuple[Shape, ...]
    notes: str


@dataclass(frozen=True)
class ReadDeck:
    path: Path
    properties: dict[str, str]
    map: DeckMap
    slides: tuple[DeckSlide, ...]


def _resolve(base: str, target: str) -> str:
    """A relationship's target as a part name (relative to the part's folder, or absolute)."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def _rels(z: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str, str]]:
    """A part's relationships: id -> (type, target, mode)."""
    folder, name = posixpath.split(part)
    path = posixpath.join(folder, "_rels", name + ".rels")
    try:
        root = etree.fromstring(_read(z, path), _PARSER)
    except KeyError:
        return {}
    return {
        el.get("Id", ""): (el.get("Type", ""), el.get("Target", ""), el.get("TargetMode", ""))
        for el in root.iter(f"{{{_PR}}}Relationship")
    }


def _read(z: zipfile.ZipFile, name: str) -> bytes:
    info = z.getinfo(name)  # KeyError when absent
    if info.file_size > MAX_PART:
        raise InputError(f"{name} is {info.file_size >> 20} MB: not a deck deckgen wrote", code=C.PULL_NOT_DECKGEN)
    return z.read(info)


def _not_pptx(path: Path, why: str) -> InputError:
    return InputError(f"not a PowerPoint deck ({why})", path, hint="give the .pptx deckgen built", code=C.PULL_NOT_PPTX)


def read_deck(path: Path) -> ReadDeck:
    """The deck at ``path``; an ``InputError`` (one line) when it is no .pptx, or none deckgen wrote."""
    try:
        z = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise InputError("no such file", path, hint="check the path", code=C.PULL_NOT_PPTX) from None
    except IsADirectoryError:
        raise _not_pptx(path, "a folder") from None
    except (zipfile.BadZipFile, OSError) as exc:
        raise _not_pptx(path, "not a ZIP package" if isinstance(exc, zipfile.BadZipFile) else str(exc.strerror)) from None
    with z:
        try:
            return _read_deck(path, z)
        except (etree.XMLSyntaxError, zipfile.BadZipFile, ValueError, KeyError, OSError, EOFError) as exc:
            if isinstance(exc, KeyError) and "presentation" in str(exc):
                raise _not_pptx(path, "no presentation in it") from None
            raise _not_pptx(path, f"damaged: {type(exc).__name__}") from None


def _read_deck(path: Path, z: zipfile.ZipFile) -> ReadDeck:
    names = set(z.namelist())
    if "ppt/presentation.xml" not in names:
        raise _not_pptx(path, "no presentation in it")
    if CUSTOM_PART not in names:
        raise _not_deckgen(path)
    props = read_properties(_read(z, CUSTOM_PART))
    try:
        deck_map = map_of(props)
    except ValueError as exc:
        if str(exc) == "no map":
            raise _not_deckgen(path) from None
        raise InputError(str(exc).replace("the map", "its deckgen map"), path, hint="pull needs the map deckgen wrote",
                         code=C.PULL_NOT_DECKGEN) from None
    if deck_map.version > MAP_VERSION:
        raise InputError(f"a newer deckgen wrote this deck (its map's version {deck_map.version}; this one reads {MAP_VERSION})",
                         path, hint="update deckgen, then pull", code=C.PULL_NOT_DECKGEN)
    pres = "ppt/presentation.xml"
    rels = _rels(z, pres)
    root = etree.fromstring(_read(z, pres), _PARSER)
    slides: list[DeckSlide] = []
    lst = root.find(f"{{{_P}}}sldIdLst")
    for number, sld in enumerate(lst if lst is not None else [], 1):
        rid = sld.get(f"{{{_R}}}id", "")
        if rid not in rels:
            continue
        part = _resolve(pres, rels[rid][1])
        slide_rels = _rels(z, part)
        links = {k: target for k, (rtype, target, _mode) in slide_rels.items() if rtype.endswith("/hyperlink")}
        shapes = read_slide(_read(z, part), links)
        notes = ""
        for rtype, target, _mode in slide_rels.values():
            if rtype == _RT + "notesSlide":
                notes_part = _resolve(part, target)
                if notes_part in names:
                    notes = read_notes(_read(z, notes_part))
        slides.append(DeckSlide(number, tuple(shapes), notes))
    return ReadDeck(path, props, deck_map, tuple(slides))


def _not_deckgen(path: Path) -> InputError:
    return InputError(
        "deckgen did not write this deck (it carries no deckgen map)",
        path,
        hint="pull reads decks built by deckgen since version 0.1; build the post again and edit that deck",
        code=C.PULL_NOT_DECKGEN,
    )


__all__ = ["DeckSlide", "ReadDeck", "read_deck"]
