"""The map a .pptx carries of where its texts come from, for ``deckgen pull``.

Only the package's custom document properties (``docProps/custom.xml``) survive both
PowerPoint and LibreOffice saving a deck (measured: names of placeholders, shape ids, tags and
extension lists do not). So the deck carries, as custom properties:

- ``deckgen.post``: the post's folder and file name (``_posts/2024-09-01-x.md``),
- ``deckgen.post-sha256``: the SHA-256 of the post's bytes it was made from,
- ``deckgen.version``: the deckgen that wrote it,
- ``deckgen.map.000``, ``deckgen.map.001``...: the map, JSON compressed with zlib and written
  in base64, cut in pieces of at most :data:`CHUNK` characters (Office keeps a text property
  to 255).

The map: per slide (:class:`PageMap`) the post line its part starts on, whether its title is
hidden, a digest of its notes, and per shape (:class:`ShapeMap`) its slot (``t`` the title
placeholder, ``b`` the body placeholder, ``=NAME`` an ordinary shape), kind, box (tenths of a
point), colours and one :class:`Entry` per paragraph (a table: per cell): the post's text it
shows (an :class:`~deckgen.model.document.Origin`'s key, start and length; "" for text of the
layout's own), the layout's text after it (a title's `` (2/3)``) and a short digest of its
text and formatting. Nothing in it depends on the time or the machine: the same deck, the
same map.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from lxml import etree

if TYPE_CHECKING:  # the slides are read back (``slideread``) only when a map is not remembered
    from deckgen.model.document import Origin
    from deckgen.pull.slideread import Shape, Style, TextPara, TextRuns

MAP_VERSION = 1
CHUNK = 250
PREFIX = "deckgen."
POST, POST_SHA, VERSION, MAP = "deckgen.post", "deckgen.post-sha256", "deckgen.version", "deckgen.map."
CP = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
CUSTOM_PART = "docProps/custom.xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"  # the user-defined properties' set


def canonical(runs: TextRuns) -> str:
    """A paragraph's text and formatting as one string: the text, then the style of each
    stretch of non-blank characters (a space's formatting is not compared: a link written one
    word per run has its spaces unlinked)."""
    from deckgen.pull.slideread import PLAIN

    spans: list[str] = []
    count = 0
    last: Style = PLAIN
    for text, style in runs:
        shown = len("".join(text.split()))  # its non-blank characters (str.split: str.isspace's blanks)
        if not shown:
            continue
        if style != last and count:
            spans.append(f"{count}{_style_code(last)}")
            count = 0
        last = style
        count += shown
    if count:
        spans.append(f"{count}{_style_code(last)}")
    return "".join(t for t, _ in runs) + "\x1f" + ",".join(spans)


def _style_code(style: Style) -> str:
    bold, italic, strike, link = style
    return ("b" if bold else "") + ("i" if italic else "") + ("s" if strike else "") + (f"<{link}>" if link else "")


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def para_digest(para: TextPara | TextRuns) -> str:
    return digest(canonical(para if isinstance(para, tuple) else para.runs))


def notes_digest(notes: str) -> str:
    return digest(notes.replace("\u200b", "").strip("\n")) if notes.strip() else ""


@dataclass(frozen=True)
class Entry:
    """A paragraph (or cell) as written: the post's text it shows (``key`` "" for none), from
    ``start``, ``length`` characters of it (-1 to its end), then ``tail`` (the layout's)."""

    key: str
    digest: str
    start: int = 0
    length: int = -1
    tail: str = ""


@dataclass(frozen=True)
class ShapeMap:
    slot: str
    kind: str
    box: tuple[int, int, int, int]  # tenths of a point
    colours: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = ()
    grid: tuple[int, int] = (0, 0)  # a table's rows and columns


@dataclass(frozen=True)
class PageMap:
    line: int  # the post line its part starts on (0: the title page)
    shapes: tuple[ShapeMap, ...]
    notes: str = ""  # digest of its notes ("" none)
    hidden_title: bool = False


@dataclass(frozen=True)
class DeckMap:
    pages: tuple[PageMap, ...]
    site: str = ""  # the site's address the links were made absolute with
    version: int = MAP_VERSION


def tenths(box: tuple[int, int, int, int] | None) -> tuple[int, int, int, int]:
    """A box in EMU as tenths of a point."""
    if box is None:
        return (0, 0, 0, 0)
    x, y, w, h = box
    return (round(x / 1270), round(y / 1270), round(w / 1270), round(h / 1270))


def _entry(para: TextPara, origin: Origin | None) -> Entry:
    d = para_digest(para)
    if origin is None:
        return Entry("", d)
    tail = ""
    if origin.length >= 0:
        tail = para.text[origin.length :]
    return Entry(origin.key, d, origin.start, origin.length, tail)


def shape_map(shape: Shape, origins: Sequence[Origin | None] | None) -> ShapeMap | None:
    """What the map says of one shape as written (None: a placeholder deckgen fills itself)."""
    if shape.slot is None:
        return None
    found = list(origins or ())
    texts = shape.cells if shape.kind == "tbl" else shape.paras
    entries = tuple(_entry(p, found[i] if i < len(found) else None) for i, p in enumerate(texts))
    return ShapeMap(shape.slot, shape.kind, tenths(shape.box), tuple(sorted(shape.colours)), entries, shape.grid)


def page_map(
    line: int, shapes: Sequence[Shape], origins: Sequence[Sequence[Origin | None] | None], notes: str, hidden: bool
) -> PageMap:
    """The map of one slide: its shapes as read back from its XML, each with the origins the
    writer gave its paragraphs (in the same order)."""
    mapped = []
    for i, shape in enumerate(shapes):
        found = shape_map(shape, origins[i] if i < len(origins) else None)
        if found is not None:
            mapped.append(found)
    return PageMap(line, tuple(mapped), notes_digest(notes), hidden)


# -- encoding -------------------------------------------------------------------


def _entry_json(e: Entry) -> list[object]:
    out: list[object] = [e.key, e.digest]
    if (e.start, e.length, e.tail) != (0, -1, ""):
        out += [e.start, e.length, e.tail]
    return out


def page_item(p: PageMap) -> list[object]:
    """One slide's map as the JSON the deck carries (a list)."""
    return [
        p.line, int(p.hidden_title), p.notes,
        [[s.slot, s.kind, list(s.box), ",".join(s.colours), [_entry_json(e) for e in s.entries], list(s.grid)]
         for s in p.shapes],
    ]


def page_of_item(item: Sequence[Any]) -> PageMap:
    """One slide's map from its JSON (:func:`page_item`); KeyError, TypeError, IndexError or
    ValueError when it is not one."""
    line, hidden, notes, shapes = item
    mapped = []
    for slot, kind, box, colours, entries, grid in shapes:
        found = tuple(
            Entry(str(e[0]), str(e[1]), *(int(e[2]), int(e[3]), str(e[4])) if len(e) > 2 else ()) for e in entries
        )
        mapped.append(
            ShapeMap(str(slot), str(kind), tuple(int(v) for v in box),  # type: ignore[arg-type]
                     tuple(c for c in str(colours).split(",") if c), found, (int(grid[0]), int(grid[1])))
        )
    return PageMap(int(line), tuple(mapped), str(notes), bool(hidden))


def to_json(m: DeckMap) -> str:
    pages = [page_item(p) for p in m.pages]
    return json.dumps({"v": m.version, "site": m.site, "pages": pages}, ensure_ascii=False, separators=(",", ":"))


def from_json(text: str) -> DeckMap:
    data = json.loads(text)
    pages = tuple(page_of_item(item) for item in data["pages"])
    return DeckMap(pages, str(data.get("site", "")), int(data["v"]))


def encode(m: DeckMap) -> list[str]:
    """The map as the pieces of text the custom properties hold."""
    packed = base64.b64encode(zlib.compress(to_json(m).encode("utf-8"), 9)).decode("ascii")
    return [packed[i : i + CHUNK] for i in range(0, len(packed), CHUNK)] or [""]


def decode(pieces: Sequence[str]) -> DeckMap:
    """The map from its pieces; raises ValueError when they are not one."""
    try:
        text = zlib.decompress(base64.b64decode("".join(pieces), validate=True)).decode("utf-8")
        return from_json(text)
    except (zlib.error, UnicodeDecodeError, KeyError, TypeError, IndexError, json.JSONDecodeError) as exc:
        raise ValueError(f"the map is damaged ({type(exc).__name__})") from None
    except ValueError as exc:
        raise ValueError(f"the map is damaged ({exc})") from None


def properties(post: str, post_sha: str, version: str, m: DeckMap) -> list[tuple[str, str]]:
    """The custom properties a deck carries, in order."""
    pieces = encode(m)
    return [(POST, post), (POST_SHA, post_sha), (VERSION, version)] + [
        (f"{MAP}{i:03d}", piece) for i, piece in enumerate(pieces)
    ]


def custom_xml(props: Sequence[tuple[str, str]]) -> bytes:
    """``docProps/custom.xml`` holding ``props`` as text properties."""
    root = etree.Element(f"{{{CP}}}Properties", nsmap={None: CP, "vt": VT})
    for pid, (name, value) in enumerate(props, 2):  # pid 2 on: 0 and 1 are reserved
        el = etree.SubElement(root, f"{{{CP}}}property", fmtid=_FMTID, pid=str(pid), name=name)
        etree.SubElement(el, f"{{{VT}}}lpwstr").text = value
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def read_properties(data: bytes) -> dict[str, str]:
    """The text properties of a ``docProps/custom.xml``, by name (LibreOffice renumbers them)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    root = etree.fromstring(data, parser)
    out: dict[str, str] = {}
    for el in root:
        name = el.get("name")
        if name:
            out[name] = "".join(el.itertext())
    return out


def map_of(props: Mapping[str, str]) -> DeckMap:
    """The map the properties hold; ValueError when there is none or it is damaged."""
    pieces = []
    i = 0
    while f"{MAP}{i:03d}" in props:
        pieces.append(props[f"{MAP}{i:03d}"])
        i += 1
    if not pieces:
        raise ValueError("no map")
    return decode(pieces)


__all__ = [
    "CHUNK", "CUSTOM_CT", "CUSTOM_PART", "CUSTOM_RT", "DeckMap", "Entry", "MAP_VERSION", "POST", "POST_SHA",
    "PageMap", "ShapeMap", "VERSION", "canonical", "custom_xml", "decode", "digest", "encode", "from_json",
    "map_of", "notes_digest", "page_item", "page_map", "page_of_item", "para_digest", "properties", "read_properties", "shape_map",
    "tenths", "to_json",
]
